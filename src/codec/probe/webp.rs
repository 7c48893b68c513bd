//! WebP: the first chunk (VP8, VP8L or VP8X) and, for VP8X, the chunks after it.

use super::gif::GifRepairs;
use super::{truncated, Header};
use crate::codec::bytes::{arr, le16, le24, le32, slice};
use crate::codec::metadata::orientation::{exif_orientation, EXIF_PREFIX};
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::LoopCount;

/// WebP: the first chunk (VP8, VP8L or VP8X) gives the size; for VP8X the other chunks
/// give frames (ANMF), loop count (ANIM) and orientation (EXIF).
pub(super) fn header(b: &[u8]) -> Result<Header> {
    let t = || truncated("WebP");
    let kind = arr::<4>(b, 12).ok_or_else(t)?;
    let (width, height, alpha) = match &kind {
        b"VP8 " => {
            // frame tag(3), start code 9D 01 2A, then 14-bit width and height.
            let data = slice(b, 20, 10).ok_or_else(t)?;
            if data.get(3..6) != Some(b"\x9D\x01\x2A".as_slice()) {
                return Err(Error::corrupt("bad VP8 start code"));
            }
            let w = le16(data, 6).ok_or_else(t)? & 0x3FFF;
            let h = le16(data, 8).ok_or_else(t)? & 0x3FFF;
            (u32::from(w), u32::from(h), false)
        }
        b"VP8L" => {
            if b.get(20) != Some(&0x2F) {
                return Err(Error::corrupt("bad VP8L signature"));
            }
            let bits = le32(b, 21).ok_or_else(t)?;
            let w = (bits & 0x3FFF) + 1;
            let h = ((bits >> 14) & 0x3FFF) + 1;
            (w, h, bits & (1 << 28) != 0)
        }
        b"VP8X" => return webp_extended(b),
        _ => return Err(Error::corrupt("unknown WebP chunk")),
    };
    Ok(Header::still(ImageFormat::WebP, width, height, 1, alpha))
}

fn webp_extended(b: &[u8]) -> Result<Header> {
    let t = || truncated("WebP");
    let flags = *b.get(20).ok_or_else(t)?;
    let width = le24(b, 24).ok_or_else(t)? + 1;
    let height = le24(b, 27).ok_or_else(t)? + 1;
    let animated = flags & 0x02 != 0;
    let mut frames: u32 = 0;
    let mut loop_count = LoopCount::Infinite;
    let mut orientation = None;
    // The RIFF size bounds the chunks; a truncated tail ends the walk.
    let riff_end = le32(b, 4)
        .and_then(|s| usize::try_from(s).ok())
        .and_then(|s| s.checked_add(8))
        .map_or(b.len(), |end| end.min(b.len()));
    for (kind, data_at, size) in chunks(b, riff_end) {
        match &kind {
            b"ANMF" => {
                frames = frames.saturating_add(1);
                if !alpha_frame_sizes_agree(b.get(data_at..).unwrap_or_default()) {
                    return Err(Error::corrupt(
                        "an animated WebP frame's colour data does not have the frame's size",
                    ));
                }
            }
            b"ANIM" => {
                // WebP counts plays (0 = forever); LoopCount counts repeats, as GIF does.
                if let Some(plays) = le16(b, data_at.saturating_add(4)) {
                    loop_count = match plays.checked_sub(1) {
                        None => LoopCount::Infinite,
                        Some(repeats) => LoopCount::Finite(repeats),
                    };
                }
            }
            b"EXIF" if orientation.is_none() => {
                orientation = slice(b, data_at, size).and_then(exif_orientation);
            }
            _ => {}
        }
    }
    if !animated {
        frames = 1;
    } else if frames == 0 {
        return Err(Error::corrupt("the animated WebP has no frames"));
    }
    Ok(Header {
        probe: Probe {
            format: ImageFormat::WebP,
            width,
            height,
            frames,
            orientation: orientation.unwrap_or(1),
            has_alpha: flags & 0x10 != 0,
        },
        loop_count,
        gif: GifRepairs::default(),
    })
}

/// The chunks after the RIFF header that start before `end`, as fourcc, data offset and
/// declared size. A truncated chunk header ends the walk.
fn chunks(b: &[u8], end: usize) -> impl Iterator<Item = ([u8; 4], usize, usize)> + '_ {
    let mut pos = Some(12usize);
    std::iter::from_fn(move || {
        let at = pos.filter(|&at| at < end)?;
        let [k0, k1, k2, k3, s0, s1, s2, s3] = arr::<8>(b, at)?;
        let size = usize::try_from(u32::from_le_bytes([s0, s1, s2, s3])).ok()?;
        let data_at = at.checked_add(8)?;
        // Chunks are padded to an even size.
        pos = data_at
            .checked_add(size)
            .and_then(|end| end.checked_add(size & 1));
        Some(([k0, k1, k2, k3], data_at, size))
    })
}

/// The TIFF block in a WebP's EXIF chunk, without an `Exif\0\0` prefix.
pub(in crate::codec) fn exif_block(b: &[u8]) -> Option<&[u8]> {
    let (_, data_at, size) = chunks(b, b.len()).find(|(kind, ..)| kind == b"EXIF")?;
    let block = slice(b, data_at, size)?;
    Some(block.strip_prefix(EXIF_PREFIX).unwrap_or(block))
}

/// The data of a WebP's ICCP chunk (an ICC profile), if it has one.
pub(in crate::codec) fn icc_chunk(b: &[u8]) -> Option<&[u8]> {
    let (_, data_at, size) = chunks(b, b.len()).find(|(kind, ..)| kind == b"ICCP")?;
    slice(b, data_at, size)
}

/// For an ANMF frame holding ALPH + VP8: the VP8 key frame has the frame's size.
/// image-webp 0.2.4 checks that for a plain VP8 frame but not after ALPH, and panics on a
/// mismatch (fuzz regression `pipeline-webp-anmf-alph-vp8-size`). Truncated or non-key
/// frames pass: the decoder refuses those with an error.
fn alpha_frame_sizes_agree(anmf: &[u8]) -> bool {
    // X, Y, width-1, height-1 (24 bits each), duration (24), flags (8); then sub-chunks.
    let (Some(width), Some(height)) = (le24(anmf, 6), le24(anmf, 9)) else {
        return true;
    };
    let Some(alph) = arr::<8>(anmf, 16).filter(|h| h.starts_with(b"ALPH")) else {
        return true;
    };
    let [.., s0, s1, s2, s3] = alph;
    // The decoder reads whatever chunk follows ALPH as VP8, whatever its name.
    let colour = usize::try_from(u32::from_le_bytes([s0, s1, s2, s3]))
        .ok()
        .and_then(|size| size.checked_add(size & 1))
        .and_then(|size| size.checked_add(16 + 8 + 8));
    let Some(vp8) = colour.and_then(|at| slice(anmf, at, 10)) else {
        return true;
    };
    if vp8.get(3..6) != Some(b"\x9D\x01\x2A".as_slice()) {
        return true;
    }
    let size = |at| le16(vp8, at).map(|v| u32::from(v & 0x3FFF));
    size(6) == width.checked_add(1) && size(8) == height.checked_add(1)
}

#[cfg(test)]
mod tests {
    use crate::codec::metadata::ifd::tests::tiff_with;
    use crate::codec::metadata::tags;
    use crate::codec::probe::read_header;
    use crate::codec::probe::samples::{facts, is_corrupt, riff, vp8x};
    use crate::format::ImageFormat;
    use crate::frame::LoopCount;

    #[test]
    fn webp_simple_lossy_and_lossless() {
        let vp8 = vec![0x10, 0, 0, 0x9D, 0x01, 0x2A, 0x90, 0x01, 0xC8, 0x40];
        assert_eq!(
            facts(&riff(&[(b"VP8 ", vp8)])),
            (ImageFormat::WebP, 400, 200, 1, 1, false)
        );
        // 100 × 50 with alpha: w-1 = 99, h-1 = 49 << 14, alpha bit 28.
        let bits: u32 = 99 | (49 << 14) | (1 << 28);
        let mut vp8l = vec![0x2F];
        vp8l.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(
            facts(&riff(&[(b"VP8L", vp8l)])),
            (ImageFormat::WebP, 100, 50, 1, 1, true)
        );
        assert!(is_corrupt(&riff(&[(b"VP8 ", vec![0; 10])])));
        assert!(is_corrupt(&riff(&[(b"JUNK", vec![0; 10])])));
    }

    #[test]
    fn webp_extended_animation_and_exif() {
        let exif = tiff_with(true, &[(tags::TAG_ORIENTATION, 3)]);
        let anim = vec![0, 0, 0, 0, 5, 0];
        let w = riff(&[
            (b"VP8X", vp8x(0x02 | 0x08 | 0x10, 300, 20_000)),
            (b"ANIM", anim),
            (b"ANMF", vec![0; 17]),
            (b"ANMF", vec![0; 16]),
            (b"EXIF", exif),
        ]);
        assert_eq!(facts(&w), (ImageFormat::WebP, 300, 20_000, 2, 3, true));
        assert_eq!(read_header(&w).unwrap().loop_count, LoopCount::Finite(4));
        let still = riff(&[(b"VP8X", vp8x(0, 16_384, 1)), (b"VP8 ", vec![0; 10])]);
        assert_eq!(facts(&still), (ImageFormat::WebP, 16_384, 1, 1, 1, false));
        assert!(is_corrupt(&riff(&[(b"VP8X", vp8x(0x02, 5, 5))])));
    }

    /// An ANMF frame of 400×200 (WebP spec: sides stored minus one) holding ALPH + VP8.
    fn alpha_frame(vp8_width: u8) -> Vec<u8> {
        let mut d = vec![0; 6];
        d.extend_from_slice(&(400u32 - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&(200u32 - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&[100, 0, 0, 0]);
        d.extend_from_slice(b"ALPH\x03\0\0\0\0\0\0\0");
        // VP8 key frame header: frame tag, start code, 14-bit width and height (400×200).
        d.extend_from_slice(b"VP8 \x0a\0\0\0");
        d.extend_from_slice(&[0x10, 0, 0, 0x9D, 0x01, 0x2A, vp8_width, 0x01, 0xC8, 0x00]);
        d
    }

    #[test]
    fn webp_alpha_frame_must_match_its_colour_size() {
        let anim = |frame| riff(&[(b"VP8X", vp8x(0x02 | 0x10, 400, 200)), (b"ANMF", frame)]);
        assert_eq!(
            facts(&anim(alpha_frame(0x90))),
            (ImageFormat::WebP, 400, 200, 1, 1, true)
        );
        // 0x0190 = 400 wide; 0x0191 = 401: the decoder would index past its buffers.
        assert!(is_corrupt(&anim(alpha_frame(0x91))));
    }
}
