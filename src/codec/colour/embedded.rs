//! The ICC profile a file embeds, found with the header layer's container walkers. Read
//! here, not from each decoder, so that every decode path (zune-jpeg, jpeg-decoder's
//! shrink-on-load, `image`) gets the same profile.

use std::borrow::Cow;

use crate::codec::metadata::ifd::ifd0;
use crate::codec::metadata::tags::TAG_ICC_PROFILE;
use crate::codec::probe::jpeg::jpeg_segments;
use crate::codec::probe::png::png_chunks;
use crate::codec::probe::webp::icc_chunk;
use crate::format::ImageFormat;

/// Profiles above this are ignored (the picture then reads as sRGB): real ones, CMYK LUT
/// profiles included, stay well below; the cap bounds a PNG's inflate and a JPEG's chunks.
pub(super) const MAX_PROFILE: usize = 2 << 20;

/// The embedded profile of a `format` file; `None` when it has none, an incomplete or
/// oversized one, or (PNG) an `sRGB` chunk, which means what the output is anyway.
pub(super) fn icc_profile(bytes: &[u8], format: ImageFormat) -> Option<Cow<'_, [u8]>> {
    let icc = match format {
        ImageFormat::Jpeg => jpeg_icc(bytes),
        ImageFormat::Png => png_icc(bytes).map(Cow::Owned),
        ImageFormat::WebP => icc_chunk(bytes).map(Cow::Borrowed),
        ImageFormat::Tiff => ifd0(bytes)
            .and_then(|ifd| ifd.entries().find(|e| e.tag == TAG_ICC_PROFILE))
            .and_then(|entry| entry.bytes())
            .map(Cow::Borrowed),
        // HEIF's `colr` profile comes with the decoded picture (codec::heif), not from here.
        ImageFormat::Gif | ImageFormat::Bmp | ImageFormat::Heic | ImageFormat::Avif => None,
    };
    icc.filter(|icc| !icc.is_empty() && icc.len() <= MAX_PROFILE)
}

/// JPEG: APP2 `ICC_PROFILE\0` segments, each with its 1-based sequence number and the
/// chunk count, joined in sequence order. Like libjpeg's `jpeg_read_icc_profile`, a missing,
/// repeated or inconsistent chunk means no profile.
fn jpeg_icc(bytes: &[u8]) -> Option<Cow<'_, [u8]>> {
    const TAG: &[u8] = b"ICC_PROFILE\0";
    let mut chunks: Vec<(u8, u8, &[u8])> = jpeg_segments(bytes)
        .filter(|&(marker, _, _)| marker == 0xE2)
        .filter_map(|(_, data, _)| match data.strip_prefix(TAG)? {
            [seq, count, rest @ ..] => Some((*seq, *count, rest)),
            _ => None,
        })
        .collect();
    chunks.sort_unstable_by_key(|&(seq, _, _)| seq);
    let count = chunks.first()?.1;
    let complete = usize::from(count) == chunks.len()
        && chunks
            .iter()
            .zip(1u8..)
            .all(|(&(seq, n, _), want)| seq == want && n == count);
    if !complete {
        return None;
    }
    if let [(_, _, only)] = chunks.as_slice() {
        return Some(Cow::Borrowed(only));
    }
    // At most 255 chunks of under 64 KB: the sum cannot overflow, but it is checked first.
    let total = chunks
        .iter()
        .try_fold(0usize, |sum, (_, _, c)| sum.checked_add(c.len()))?;
    if total > MAX_PROFILE {
        return None;
    }
    let mut icc = Vec::new();
    icc.try_reserve_exact(total).ok()?;
    for (_, _, chunk) in chunks {
        icc.extend_from_slice(chunk);
    }
    Some(Cow::Owned(icc))
}

/// PNG: the first iCCP chunk (name, NUL, method 0, zlib data), inflated up to
/// [`MAX_PROFILE`]. An `sRGB` chunk without iCCP means sRGB. gAMA / cHRM are not applied,
/// as libvips does not (see README "Colour").
fn png_icc(bytes: &[u8]) -> Option<Vec<u8>> {
    let (_, data) = png_chunks(bytes).find(|(kind, _)| *kind == b"iCCP")?;
    let data = data?;
    let name_end = data.iter().position(|&b| b == 0)?;
    let zlib = match data.get(name_end.checked_add(1)?..)? {
        [0, zlib @ ..] => zlib,
        _ => return None,
    };
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(zlib, MAX_PROFILE).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app2(seq: u8, count: u8, body: &[u8]) -> Vec<u8> {
        let len = u16::try_from(2 + 12 + 2 + body.len()).unwrap();
        let mut s = vec![0xFF, 0xE2];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(b"ICC_PROFILE\0");
        s.extend_from_slice(&[seq, count]);
        s.extend_from_slice(body);
        s
    }

    fn jpeg(segments: &[Vec<u8>]) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        for s in segments {
            j.extend_from_slice(s);
        }
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    #[test]
    fn jpeg_chunks_join_in_sequence_order() {
        let j = jpeg(&[app2(2, 3, b"BB"), app2(1, 3, b"AAA"), app2(3, 3, b"C")]);
        assert_eq!(
            icc_profile(&j, ImageFormat::Jpeg).as_deref(),
            Some(&b"AAABBC"[..])
        );
        let one = jpeg(&[app2(1, 1, b"X")]);
        assert_eq!(
            icc_profile(&one, ImageFormat::Jpeg).as_deref(),
            Some(&b"X"[..])
        );
    }

    #[test]
    fn jpeg_incomplete_or_inconsistent_chunks_mean_no_profile() {
        for segments in [
            vec![app2(1, 2, b"A")],                   // chunk 2 missing
            vec![app2(1, 2, b"A"), app2(1, 2, b"B")], // chunk 1 twice
            vec![app2(1, 2, b"A"), app2(2, 3, b"B")], // counts disagree
            vec![app2(0, 1, b"A")],                   // sequence numbers start at 1
            vec![app2(1, 1, b"")],                    // empty
        ] {
            assert_eq!(icc_profile(&jpeg(&segments), ImageFormat::Jpeg), None);
        }
    }

    fn png_with(chunk: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut p =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\0\0\0\0".to_vec();
        p.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        p.extend_from_slice(chunk);
        p.extend_from_slice(data);
        p.extend_from_slice(&[0; 4]);
        p.extend_from_slice(b"\0\0\0\0IEND\xAE\x42\x60\x82");
        p
    }

    #[test]
    fn png_iccp_inflates_within_the_cap() {
        let profile = b"a profile".repeat(10);
        let mut data = b"name\0\0".to_vec();
        data.extend(miniz_oxide::deflate::compress_to_vec_zlib(&profile, 6));
        let png = png_with(b"iCCP", &data);
        assert_eq!(
            icc_profile(&png, ImageFormat::Png),
            Some(Cow::Owned(profile))
        );
        // A bomb: inflating past the cap is refused, not allocated.
        let bomb = vec![0u8; MAX_PROFILE + 1];
        let mut data = b"name\0\0".to_vec();
        data.extend(miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 9));
        assert!(data.len() < 10_000);
        assert_eq!(
            icc_profile(&png_with(b"iCCP", &data), ImageFormat::Png),
            None
        );
        assert_eq!(
            icc_profile(&png_with(b"sRGB", &[0]), ImageFormat::Png),
            None
        );
    }

    #[test]
    fn tiff_profile_tag() {
        // II, IFD at 8 with one UNDEFINED entry of 6 bytes stored at offset 26.
        let mut t = b"II*\0\x08\0\0\0\x01\0".to_vec();
        t.extend_from_slice(&TAG_ICC_PROFILE.to_le_bytes());
        t.extend_from_slice(&7u16.to_le_bytes());
        t.extend_from_slice(&6u32.to_le_bytes());
        t.extend_from_slice(&26u32.to_le_bytes());
        t.extend_from_slice(&[0; 4]);
        t.extend_from_slice(b"PROFIL");
        assert_eq!(
            icc_profile(&t, ImageFormat::Tiff).as_deref(),
            Some(&b"PROFIL"[..])
        );
        t.truncate(t.len() - 1);
        assert_eq!(icc_profile(&t, ImageFormat::Tiff), None);
    }
}
