//! Header facts without decoding pixels. Each format has a small hand parser that walks
//! markers, chunks or blocks by their declared lengths with bounds-checked reads; nothing
//! here allocates in proportion to a declared size.

use super::exif::{self, Ifd0};
use super::sniff;
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::LoopCount;

/// Reads format, size, frame count, EXIF orientation and alpha from the header.
pub fn probe(bytes: &[u8]) -> Result<Probe> {
    Ok(read_header(bytes)?.probe)
}

/// What the header says, including the animation's loop count, which `decode` needs but
/// [`Probe`] does not carry.
pub(super) struct Header {
    pub probe: Probe,
    pub loop_count: LoopCount,
    pub gif: GifRepairs,
}

/// What a GIF needs before the gif crate decodes it the way browsers show it.
#[derive(Default)]
pub(super) struct GifRepairs {
    /// A frame has neither a local nor a global colour table (the gif crate refuses it).
    pub grey_palette: bool,
    /// The first frame reaches past the logical screen, which grows to hold it; the
    /// probe's size is the grown one.
    pub grow_screen: bool,
}

pub(super) fn read_header(bytes: &[u8]) -> Result<Header> {
    let format = sniff(bytes).ok_or_else(Error::unsupported_format)?;
    let header = match format {
        ImageFormat::Jpeg => jpeg(bytes),
        ImageFormat::Png => png(bytes),
        ImageFormat::Gif => gif(bytes),
        ImageFormat::WebP => webp(bytes),
        ImageFormat::Bmp => bmp(bytes),
        ImageFormat::Tiff => tiff(bytes),
    }?;
    if header.probe.width == 0 || header.probe.height == 0 {
        return Err(Error::corrupt("the image declares a zero width or height"));
    }
    Ok(header)
}

impl Header {
    fn still(format: ImageFormat, width: u32, height: u32, orientation: u8, alpha: bool) -> Self {
        Header {
            probe: Probe {
                format,
                width,
                height,
                frames: 1,
                orientation,
                has_alpha: alpha,
            },
            loop_count: LoopCount::Infinite,
            gif: GifRepairs::default(),
        }
    }
}

/// `N` bytes at `at`, if they are all there.
pub(super) fn arr<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// `len` bytes at `at`, if they are all there.
fn slice(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    arr(b, at).map(u16::from_be_bytes)
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    arr(b, at).map(u32::from_be_bytes)
}
fn le16(b: &[u8], at: usize) -> Option<u16> {
    arr(b, at).map(u16::from_le_bytes)
}
fn le24(b: &[u8], at: usize) -> Option<u32> {
    arr(b, at).map(|[x, y, z]| u32::from_le_bytes([x, y, z, 0]))
}
fn le32(b: &[u8], at: usize) -> Option<u32> {
    arr(b, at).map(u32::from_le_bytes)
}

fn truncated(format: &str) -> Error {
    Error::corrupt(format!("the {format} header is truncated"))
}

/// The marker segments of a JPEG after SOI as `(marker, body, offset after the segment)`,
/// in file order, up to and including the first SOS (its header only) or EOI (empty body).
/// Ends early at a truncated or malformed segment.
pub(super) fn jpeg_segments(b: &[u8]) -> impl Iterator<Item = (u8, &[u8], usize)> {
    let mut pos: Option<usize> = Some(2);
    std::iter::from_fn(move || loop {
        let at = pos.take()?;
        // Bytes between segments are not allowed, but decoders skip them; so do we.
        let skip = b.get(at..)?.iter().position(|&x| x == 0xFF)?;
        let mut at = at.checked_add(skip)?;
        while b.get(at) == Some(&0xFF) {
            at = at.checked_add(1)?;
        }
        let marker = *b.get(at)?;
        let at = at.checked_add(1)?;
        match marker {
            // Standalone markers (and a stuffed 0x00) carry no length.
            0x00 | 0x01 | 0xD0..=0xD8 => {
                pos = Some(at);
                continue;
            }
            0xD9 => return Some((marker, &[][..], at)),
            _ => {}
        }
        let len = usize::from(be16(b, at)?);
        let data = slice(b, at.checked_add(2)?, len.checked_sub(2)?)?;
        let next = at.checked_add(len)?;
        if marker != 0xDA {
            pos = Some(next);
        }
        return Some((marker, data, next));
    })
}

/// True for the SOFn markers (C0..CF except DHT, JPG and DAC).
pub(super) fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// True when entropy-coded data follows the first scan header (a file cut right after
/// it decodes to a blank picture without complaint).
pub(super) fn jpeg_has_scan_data(b: &[u8]) -> bool {
    jpeg_segments(b)
        .find(|&(marker, _, _)| marker == 0xDA)
        .and_then(|(_, _, next)| b.get(next..))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(b"\xFF\xD9"))
}

/// JPEG: the size from the first SOFn; an APP1 Exif segment before it gives the
/// orientation.
fn jpeg(b: &[u8]) -> Result<Header> {
    let mut orientation = None;
    for (marker, data, _) in jpeg_segments(b) {
        match marker {
            m if is_sof(m) => {
                // precision(1) height(2) width(2) components(1)
                let height = be16(data, 1).ok_or_else(|| truncated("JPEG"))?;
                let width = be16(data, 3).ok_or_else(|| truncated("JPEG"))?;
                return Ok(Header::still(
                    ImageFormat::Jpeg,
                    u32::from(width),
                    u32::from(height),
                    orientation.unwrap_or(1),
                    false,
                ));
            }
            0xE1 if orientation.is_none() && data.starts_with(b"Exif\0\0") => {
                orientation = exif::orientation(data);
            }
            0xD9 => return Err(Error::corrupt("the JPEG ends before its frame header")),
            0xDA => {
                return Err(Error::corrupt(
                    "the JPEG has a scan before its frame header",
                ))
            }
            _ => {}
        }
    }
    Err(truncated("JPEG"))
}

/// PNG: IHDR, then every chunk header for tRNS (alpha), eXIf (orientation) and iCCP (an
/// unknown compression method, which the png crate would ignore). APNG reads as its still
/// image.
fn png(b: &[u8]) -> Result<Header> {
    let t = || truncated("PNG");
    let ihdr = slice(b, 16, 13).ok_or_else(t)?;
    if be32(b, 8) != Some(13) || b.get(12..16) != Some(b"IHDR".as_slice()) {
        return Err(Error::corrupt("the PNG does not start with IHDR"));
    }
    let width = be32(ihdr, 0).ok_or_else(t)?;
    let height = be32(ihdr, 4).ok_or_else(t)?;
    let color_type = ihdr.get(9).copied().ok_or_else(t)?;
    // Compression and filter method 0 are the only ones defined; interlace is 0 or 1.
    if !matches!(ihdr.get(10..13), Some([0, 0, 0 | 1])) {
        return Err(Error::corrupt(
            "unknown PNG compression, filter or interlace method",
        ));
    }
    let mut alpha = matches!(color_type, 4 | 6);
    let mut orientation = None;
    for (kind, data) in png_chunks(b) {
        match kind {
            b"tRNS" => alpha = true,
            // Profile name, NUL, compression method: only 0 (zlib) exists.
            b"iCCP" => {
                let method = data
                    .and_then(|d| d.splitn(2, |&x| x == 0).nth(1))
                    .and_then(|after_name| after_name.first());
                if method.is_some_and(|&m| m != 0) {
                    return Err(Error::corrupt("unknown PNG compression method"));
                }
            }
            b"eXIf" if orientation.is_none() => orientation = data.and_then(exif::orientation),
            _ => {}
        }
    }
    Ok(Header::still(
        ImageFormat::Png,
        width,
        height,
        orientation.unwrap_or(1),
        alpha,
    ))
}

/// The chunks after IHDR up to IEND: type and data (`None` when the data is cut off).
/// A truncated tail ends the walk: later chunks are optional facts.
fn png_chunks(b: &[u8]) -> impl Iterator<Item = (&[u8; 4], Option<&[u8]>)> {
    let mut pos: Option<usize> = Some(33);
    std::iter::from_fn(move || {
        let at = pos?;
        let len = usize::try_from(be32(b, at)?).ok()?;
        let kind: &[u8; 4] = b
            .get(at.checked_add(4)?..at.checked_add(8)?)?
            .try_into()
            .ok()?;
        if kind == b"IEND" {
            pos = None;
            return None;
        }
        let data_at = at.checked_add(8)?;
        pos = data_at.checked_add(len).and_then(|end| end.checked_add(4));
        Some((kind, slice(b, data_at, len)))
    })
}

/// False when the PNG's image data is too short for its declared size: deflate expands
/// at most 1032:1, so such a file cannot be complete. Checking this before decoding keeps
/// a tiny file that declares a huge image from making the decoder allocate the canvas.
pub(super) fn png_has_enough_data(b: &[u8]) -> bool {
    let (Some(width), Some(height), Some(&depth), Some(&color_type)) =
        (be32(b, 16), be32(b, 20), b.get(24), b.get(25))
    else {
        return false;
    };
    let channels: u64 = match color_type {
        2 => 3,
        4 => 2,
        6 => 4,
        _ => 1,
    };
    let row_bytes = (u64::from(width) * channels * u64::from(depth)).div_ceil(8);
    let raw = u64::from(height) * (1 + row_bytes);
    let idat: u64 = png_chunks(b)
        .filter(|(kind, _)| *kind == b"IDAT")
        .map(|(_, data)| data.map_or(0, |d| d.len() as u64))
        .sum();
    const MAX_DEFLATE_RATIO: u64 = 1032;
    raw <= idat.saturating_mul(MAX_DEFLATE_RATIO).saturating_add(1024)
}

/// Bytes of a GIF colour table announced by a packed flags byte.
fn gif_color_table_len(flags: u8) -> usize {
    if flags & 0x80 != 0 {
        3 << ((flags & 7) + 1)
    } else {
        0
    }
}

/// Skips a chain of GIF data sub-blocks starting at `pos`; the offset after its terminator.
fn skip_sub_blocks(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let size = usize::from(*b.get(pos)?);
        pos = pos.checked_add(1)?.checked_add(size)?;
        if size == 0 {
            return Some(pos);
        }
    }
}

/// GIF: walk the block structure (skipping image data without LZW decoding) to count the
/// frames and find transparency and the NETSCAPE2.0 loop count.
fn gif(b: &[u8]) -> Result<Header> {
    let t = || truncated("GIF");
    let mut width = le16(b, 6).ok_or_else(t)?;
    let mut height = le16(b, 8).ok_or_else(t)?;
    let flags = *b.get(10).ok_or_else(t)?;
    let mut pos = 13 + gif_color_table_len(flags);
    let global_table = flags & 0x80 != 0;
    let mut repairs = GifRepairs::default();
    let mut frames: u32 = 0;
    let mut alpha = false;
    // Without a NETSCAPE2.0 block an animation plays once.
    let mut loop_count = LoopCount::Finite(0);
    // A missing trailer or a truncated last block is common: keep the complete frames.
    while let Some(&block) = b.get(pos) {
        match block {
            0x3B => break,
            0x21 => {
                let Some(start) = pos.checked_add(2) else {
                    break;
                };
                match b.get(pos.saturating_add(1)) {
                    // Graphic control: flags byte after the sub-block size.
                    Some(0xF9) if b.get(start.saturating_add(1)).is_some_and(|f| f & 1 != 0) => {
                        alpha = true;
                    }
                    Some(0xFF) => {
                        if let Some(count) = gif_loop_count(b, start) {
                            loop_count = count;
                        }
                    }
                    _ => {}
                }
                match skip_sub_blocks(b, start) {
                    Some(next) => pos = next,
                    None => break,
                }
            }
            0x2C => {
                // left(2) top(2) width(2) height(2) flags(1), then the LZW code size.
                let Some(desc) = slice(b, pos.saturating_add(1), 9) else {
                    break;
                };
                if frames == 0 {
                    let [left, top, w, h] = [0, 2, 4, 6].map(|at| le16(desc, at).unwrap_or(0));
                    // Browsers grow the screen to hold the first frame (when it still fits
                    // the 16-bit fields); later frames are clipped.
                    let right = left.checked_add(w).unwrap_or(width).max(width);
                    let bottom = top.checked_add(h).unwrap_or(height).max(height);
                    repairs.grow_screen = (right, bottom) != (width, height);
                    (width, height) = (right, bottom);
                    alpha |= left != 0 || top != 0 || w < width || h < height;
                }
                let table = desc.get(8).map_or(0, |&f| gif_color_table_len(f));
                repairs.grey_palette |= table == 0 && !global_table;
                let data = pos.checked_add(11).and_then(|p| p.checked_add(table));
                match data.and_then(|d| skip_sub_blocks(b, d)) {
                    Some(next) => {
                        frames = frames.saturating_add(1);
                        pos = next;
                    }
                    None => break,
                }
            }
            _ if frames > 0 => break,
            _ => return Err(Error::corrupt("unknown GIF block")),
        }
    }
    if frames == 0 {
        return Err(Error::corrupt("the GIF has no complete image"));
    }
    Ok(Header {
        probe: Probe {
            format: ImageFormat::Gif,
            width: u32::from(width),
            height: u32::from(height),
            frames,
            orientation: 1,
            has_alpha: alpha,
        },
        loop_count,
        gif: repairs,
    })
}

/// The loop count of a NETSCAPE2.0 (or ANIMEXTS1.0) application extension whose first
/// sub-block starts at `at`.
fn gif_loop_count(b: &[u8], at: usize) -> Option<LoopCount> {
    let id = slice(b, at, 12)?;
    if id != b"\x0BNETSCAPE2.0" && id != b"\x0BANIMEXTS1.0" {
        return None;
    }
    let sub = slice(b, at.checked_add(12)?, 4)?;
    if sub.first()? < &3 || sub.get(1)? != &1 {
        return None;
    }
    Some(match le16(sub, 2)? {
        0 => LoopCount::Infinite,
        n => LoopCount::Finite(n),
    })
}

/// WebP: the first chunk (VP8, VP8L or VP8X) gives the size; for VP8X the other chunks
/// give frames (ANMF), loop count (ANIM) and orientation (EXIF).
fn webp(b: &[u8]) -> Result<Header> {
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
    let mut pos: usize = 12;
    while let Some(head) = arr::<8>(b, pos).filter(|_| pos < riff_end) {
        let [k0, k1, k2, k3, s0, s1, s2, s3] = head;
        let Ok(size) = usize::try_from(u32::from_le_bytes([s0, s1, s2, s3])) else {
            break;
        };
        let Some(data_at) = pos.checked_add(8) else {
            break;
        };
        match &[k0, k1, k2, k3] {
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
                orientation = slice(b, data_at, size).and_then(exif::orientation);
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        match data_at
            .checked_add(size)
            .and_then(|end| end.checked_add(size & 1))
        {
            Some(next) => pos = next,
            None => break,
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

/// BMP: BITMAPCOREHEADER (16-bit sides) or one of the larger headers (signed 32-bit sides;
/// a negative height means top-down rows). Alpha as the decoder sees it: a non-zero alpha
/// mask in a V3+ header with bit fields.
fn bmp(b: &[u8]) -> Result<Header> {
    let t = || truncated("BMP");
    let header_size = le32(b, 14).ok_or_else(t)?;
    let (width, height, alpha) = match header_size {
        12 => {
            let w = le16(b, 18).ok_or_else(t)?;
            let h = le16(b, 20).ok_or_else(t)?;
            (u32::from(w), u32::from(h), false)
        }
        16.. => {
            let w = arr(b, 18).map(i32::from_le_bytes).ok_or_else(t)?;
            let h = arr(b, 22).map(i32::from_le_bytes).ok_or_else(t)?;
            let bpp = le16(b, 28).ok_or_else(t)?;
            let compression = if header_size >= 20 {
                le32(b, 30).ok_or_else(t)?
            } else {
                0
            };
            let bit_fields = matches!(bpp, 16 | 32) && matches!(compression, 3 | 6);
            let alpha = bit_fields && header_size >= 56 && le32(b, 66).ok_or_else(t)? != 0;
            let w = u32::try_from(w).map_err(|_| Error::corrupt("negative BMP width"))?;
            (w, h.unsigned_abs(), alpha)
        }
        _ => return Err(Error::corrupt("unknown BMP header size")),
    };
    Ok(Header::still(ImageFormat::Bmp, width, height, 1, alpha))
}

/// TIFF (classic or BigTIFF): IFD0 only; later pages are ignored.
fn tiff(b: &[u8]) -> Result<Header> {
    let ifd = Ifd0::parse(b).ok_or_else(|| truncated("TIFF"))?;
    let side = |tag| {
        ifd.value(tag)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| Error::corrupt("the TIFF has no usable image size"))
    };
    let width = side(exif::TAG_WIDTH)?;
    let height = side(exif::TAG_HEIGHT)?;
    let orientation = ifd
        .value(exif::TAG_ORIENTATION)
        .and_then(exif::valid_orientation)
        .unwrap_or(1);
    let alpha = ifd.has(exif::TAG_EXTRA_SAMPLES);
    Ok(Header::still(
        ImageFormat::Tiff,
        width,
        height,
        orientation,
        alpha,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::exif::tests::tiff_with;
    use crate::error::ErrorKind;

    fn facts(bytes: &[u8]) -> (ImageFormat, u32, u32, u32, u8, bool) {
        let p = probe(bytes).unwrap();
        (
            p.format,
            p.width,
            p.height,
            p.frames,
            p.orientation,
            p.has_alpha,
        )
    }

    fn is_corrupt(bytes: &[u8]) -> bool {
        let e = probe(bytes).unwrap_err();
        e.kind() == ErrorKind::BadRequest && e.message().contains("cannot be decoded")
    }

    fn jpeg_with_exif(orientation: u16) -> Vec<u8> {
        let exif = tiff_with(false, &[(exif::TAG_ORIENTATION, orientation)]);
        let mut j = b"\xFF\xD8\xFF\xE0\x00\x04JF".to_vec();
        j.extend_from_slice(b"\xFF\xE1");
        j.extend_from_slice(&((exif.len() + 8) as u16).to_be_bytes());
        j.extend_from_slice(b"Exif\0\0");
        j.extend_from_slice(&exif);
        j.extend_from_slice(b"\xFF\xFF\xC2\x00\x11\x08\x01\x2C\x02\x58\x03");
        j.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        j.extend_from_slice(b"\xFF\xDA");
        j
    }

    #[test]
    fn jpeg_size_and_orientation() {
        let j = jpeg_with_exif(6);
        assert_eq!(facts(&j), (ImageFormat::Jpeg, 600, 300, 1, 6, false));
        assert_eq!(facts(&jpeg_with_exif(11)).4, 1);
        // Zero height (DNL) is not supported.
        let mut z = j.clone();
        let sof = z.windows(2).position(|w| w == b"\xFF\xC2").unwrap();
        z[sof + 5] = 0;
        z[sof + 6] = 0;
        assert!(is_corrupt(&z));
    }

    #[test]
    fn jpeg_scan_before_frame_is_corrupt() {
        assert!(is_corrupt(b"\xFF\xD8\xFF\xDA\x00\x02"));
        assert!(is_corrupt(b"\xFF\xD8\xFF\xD9"));
        assert!(is_corrupt(b"\xFF\xD8\xFF\xE0\x00\x01"));
        assert!(is_corrupt(b"\xFF\xD8\xFF\xE0\x00\x02garbage\xFF\xD9"));
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]);
    }

    fn png(color_type: u8, extra: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = 640u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&480u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, color_type, 0, 0, 0]);
        png_chunk(&mut p, b"IHDR", &ihdr);
        for (kind, data) in extra {
            png_chunk(&mut p, kind, data);
        }
        // 640×480 RGBA needs at least 1,229,280 / 1032 bytes of deflate data.
        png_chunk(&mut p, b"IDAT", &[0; 1200]);
        png_chunk(&mut p, b"IEND", &[]);
        p
    }

    #[test]
    fn png_data_must_be_able_to_fill_the_declared_size() {
        let mut p = png(6, &[]);
        assert!(png_has_enough_data(&p));
        // Shrink the IDAT chunk (its length field follows IHDR at byte 33) to 10 bytes.
        p[33..37].copy_from_slice(&10u32.to_be_bytes());
        assert!(!png_has_enough_data(&p));
        assert!(!png_has_enough_data(&p[..20]));
    }

    #[test]
    fn png_alpha_and_exif() {
        assert_eq!(
            facts(&png(2, &[])),
            (ImageFormat::Png, 640, 480, 1, 1, false)
        );
        assert!(facts(&png(6, &[])).5);
        assert!(facts(&png(3, &[(b"tRNS", vec![0])])).5);
        let exif = tiff_with(true, &[(exif::TAG_ORIENTATION, 8)]);
        let actl = vec![0, 0, 0, 5, 0, 0, 0, 0];
        let p = png(2, &[(b"acTL", actl), (b"eXIf", exif)]);
        assert_eq!(facts(&p), (ImageFormat::Png, 640, 480, 1, 8, false));
        let mut method = png(2, &[]);
        method[26] = 1;
        assert!(is_corrupt(&method));
        assert!(is_corrupt(&png(2, &[(b"iCCP", b"icc\0\x01xyz".to_vec())])));
        assert!(probe(&png(2, &[(b"iCCP", b"icc\0\0xyz".to_vec())])).is_ok());
        let mut not_ihdr = png(2, &[]);
        not_ihdr[12] = b'X';
        assert!(is_corrupt(&not_ihdr));
    }

    /// A GIF with `frames` 1×1 images, optional transparency and loop block.
    fn gif(frames: usize, transparent: bool, netscape: Option<u16>) -> Vec<u8> {
        let mut g = b"GIF89a\x02\x00\x03\x00\x80\x00\x00".to_vec();
        g.extend_from_slice(&[0; 6]);
        if let Some(n) = netscape {
            g.extend_from_slice(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01");
            g.extend_from_slice(&n.to_le_bytes());
            g.push(0);
        }
        for _ in 0..frames {
            g.extend_from_slice(&[0x21, 0xF9, 4, u8::from(transparent), 10, 0, 0, 0]);
            g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 2, 0, 3, 0, 0]);
            g.extend_from_slice(&[2, 2, 0x4C, 0x01, 0]);
        }
        g.push(0x3B);
        g
    }

    #[test]
    fn gif_frames_alpha_and_loop() {
        assert_eq!(
            facts(&gif(1, false, None)),
            (ImageFormat::Gif, 2, 3, 1, 1, false)
        );
        assert_eq!(
            facts(&gif(3, true, None)),
            (ImageFormat::Gif, 2, 3, 3, 1, true)
        );
        let h = read_header(&gif(2, false, Some(0))).unwrap();
        assert_eq!(h.loop_count, LoopCount::Infinite);
        let h = read_header(&gif(2, false, Some(4))).unwrap();
        assert_eq!(h.loop_count, LoopCount::Finite(4));
        let h = read_header(&gif(2, false, None)).unwrap();
        assert_eq!(h.loop_count, LoopCount::Finite(0));
        // The trailer is optional; a cut inside the second frame keeps the first.
        let g = gif(2, false, None);
        assert_eq!(facts(&g[..g.len() - 1]).3, 2);
        assert_eq!(facts(&g[..g.len() - 4]).3, 1);
        assert!(is_corrupt(b"GIF89a\x02\x00\x03\x00\x00\x00\x00\x3B"));
        assert!(is_corrupt(b"GIF89a\x02\x00\x03\x00\x00\x00\x00\x99"));
    }

    #[test]
    fn the_screen_grows_to_hold_the_first_frame() {
        // 2×3 screen, first frame 5×4 at (1, 0): the canvas becomes 6×4.
        let mut g = gif(2, false, None);
        let desc = g.iter().position(|&b| b == 0x2C).unwrap();
        g[desc + 1] = 1;
        g[desc + 5] = 5;
        g[desc + 7] = 4;
        let h = read_header(&g).unwrap();
        assert_eq!(
            (h.probe.width, h.probe.height, h.probe.has_alpha),
            (6, 4, true)
        );
        assert!(h.gif.grow_screen);
        assert!(!read_header(&gif(2, false, None)).unwrap().gif.grow_screen);
        // An extent past 65,535 cannot be stored: the frame is clipped instead.
        g[desc + 1] = 0xFF;
        g[desc + 2] = 0xFF;
        assert_eq!(read_header(&g).unwrap().probe.width, 2);
    }

    #[test]
    fn gif_frame_smaller_than_canvas_has_alpha() {
        let mut g = gif(1, false, None);
        let desc = g.iter().position(|&b| b == 0x2C).unwrap();
        g[desc + 5] = 1;
        assert!(facts(&g).5);
    }

    fn riff(chunks: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        for (kind, data) in chunks {
            body.extend_from_slice(kind);
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(data);
            if data.len() % 2 == 1 {
                body.push(0);
            }
        }
        let mut r = b"RIFF".to_vec();
        r.extend_from_slice(&(body.len() as u32).to_le_bytes());
        r.extend_from_slice(&body);
        r
    }

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

    fn vp8x(flags: u8, w: u32, h: u32) -> Vec<u8> {
        let mut d = vec![flags, 0, 0, 0];
        d.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        d
    }

    #[test]
    fn webp_extended_animation_and_exif() {
        let exif = tiff_with(true, &[(exif::TAG_ORIENTATION, 3)]);
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

    fn bmp(header_size: u32, w: i32, h: i32, bpp: u16, compression: u32, a_mask: u32) -> Vec<u8> {
        let mut b = b"BM".to_vec();
        b.extend_from_slice(&[0; 12]);
        b.extend_from_slice(&header_size.to_le_bytes());
        if header_size == 12 {
            b.extend_from_slice(&(w as u16).to_le_bytes());
            b.extend_from_slice(&(h as u16).to_le_bytes());
            b.extend_from_slice(&1u16.to_le_bytes());
            b.extend_from_slice(&bpp.to_le_bytes());
            return b;
        }
        b.extend_from_slice(&w.to_le_bytes());
        b.extend_from_slice(&h.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&bpp.to_le_bytes());
        b.extend_from_slice(&compression.to_le_bytes());
        b.resize(14 + header_size as usize, 0);
        if header_size >= 56 {
            b[66..70].copy_from_slice(&a_mask.to_le_bytes());
        }
        b
    }

    #[test]
    fn bmp_headers() {
        assert_eq!(
            facts(&bmp(12, 7, 5, 24, 0, 0)),
            (ImageFormat::Bmp, 7, 5, 1, 1, false)
        );
        assert_eq!(
            facts(&bmp(40, 7, -5, 24, 0, 0)),
            (ImageFormat::Bmp, 7, 5, 1, 1, false)
        );
        assert!(facts(&bmp(124, 7, 5, 32, 3, 0xFF00_0000)).5);
        assert!(!facts(&bmp(124, 7, 5, 32, 3, 0)).5);
        assert!(!facts(&bmp(40, 7, 5, 32, 0, 0)).5);
        assert!(is_corrupt(&bmp(40, -7, 5, 24, 0, 0)));
        assert!(is_corrupt(&bmp(40, 7, 0, 24, 0, 0)));
        assert!(is_corrupt(&bmp(8, 7, 5, 24, 0, 0)));
        assert_eq!(facts(&bmp(40, 7, i32::MIN, 24, 0, 0)).2, 1 << 31);
    }

    #[test]
    fn tiff_ifd0() {
        let t = tiff_with(
            false,
            &[
                (exif::TAG_WIDTH, 20),
                (exif::TAG_HEIGHT, 10),
                (exif::TAG_ORIENTATION, 5),
            ],
        );
        assert_eq!(facts(&t), (ImageFormat::Tiff, 20, 10, 1, 5, false));
        let t = tiff_with(
            true,
            &[
                (exif::TAG_WIDTH, 20),
                (exif::TAG_HEIGHT, 10),
                (exif::TAG_EXTRA_SAMPLES, 2),
            ],
        );
        assert_eq!(facts(&t), (ImageFormat::Tiff, 20, 10, 1, 1, true));
        assert!(is_corrupt(&tiff_with(true, &[(exif::TAG_WIDTH, 20)])));
    }

    #[test]
    fn garbage_is_unsupported() {
        for bytes in [b"".as_slice(), b"hello world", b"\0\0\0\x0cjP  \r\n\x87\n"] {
            let e = probe(bytes).unwrap_err();
            assert_eq!(e, Error::unsupported_format());
        }
    }

    #[test]
    fn every_prefix_of_every_header_is_an_error_or_a_probe() {
        let exif = tiff_with(true, &[(exif::TAG_ORIENTATION, 3)]);
        let samples = [
            jpeg_with_exif(6),
            png(6, &[(b"eXIf", exif.clone())]),
            gif(3, true, Some(2)),
            riff(&[
                (b"VP8X", vp8x(0x1A, 30, 20)),
                (b"ANIM", vec![0; 6]),
                (b"ANMF", vec![0; 16]),
                (b"EXIF", exif),
            ]),
            bmp(124, 7, 5, 32, 3, 1),
            tiff_with(
                false,
                &[(exif::TAG_WIDTH, 2), (exif::TAG_HEIGHT, 2), (0x0112, 2)],
            ),
        ];
        for sample in &samples {
            assert!(probe(sample).is_ok());
            for len in 0..sample.len() {
                if let Err(e) = probe(&sample[..len]) {
                    assert_eq!(e.kind(), ErrorKind::BadRequest);
                }
            }
        }
    }
}
