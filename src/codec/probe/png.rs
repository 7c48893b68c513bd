//! PNG: IHDR and the chunks after it.

use super::{truncated, Header};
use crate::codec::bytes::{be32, slice};
use crate::codec::metadata::orientation::exif_orientation;
use crate::error::{Error, Result};
use crate::format::ImageFormat;

/// PNG: IHDR, then every chunk header for tRNS (alpha), eXIf (orientation), iCCP (an
/// unknown compression method, which the png crate would ignore) and PLTE (its length).
/// APNG reads as its still image.
pub(super) fn header(b: &[u8]) -> Result<Header> {
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
            b"eXIf" if orientation.is_none() => orientation = data.and_then(exif_orientation),
            // 1 to 256 RGB entries, as libpng requires; the png crate panics on a palette
            // whose length is no multiple of 3 (found by the pipeline fuzz target).
            b"PLTE" if data.is_some_and(|d| d.is_empty() || d.len() % 3 != 0 || d.len() > 768) => {
                return Err(Error::corrupt("invalid PNG palette length"));
            }
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
pub(in crate::codec) fn png_chunks(b: &[u8]) -> impl Iterator<Item = (&[u8; 4], Option<&[u8]>)> {
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

/// Where a PNG cut off before its IEND chunk should end to be whole again: the end of its
/// last complete chunk, when a chunk after IHDR is truncated (its length runs past the end
/// of the file, or its header is cut) or the file ends without IEND; `None` for a PNG that
/// reaches IEND. Decoding `&b[..end]` followed by an IEND chunk shows what the file has (its
/// image data may still be short: the decoder then fails as for any truncated PNG).
pub(in crate::codec) fn png_end_before_truncation(b: &[u8]) -> Option<usize> {
    let mut at: usize = 33;
    loop {
        let Some(len) = be32(b, at).and_then(|l| usize::try_from(l).ok()) else {
            return Some(at.min(b.len()));
        };
        if b.get(at.checked_add(4)?..at.checked_add(8)?) == Some(b"IEND".as_slice()) {
            return None;
        }
        let end = at
            .checked_add(12)
            .and_then(|e| e.checked_add(len))
            .filter(|&e| e <= b.len());
        match end {
            Some(end) => at = end,
            None => return Some(at),
        }
    }
}

/// False when the PNG's image data is too short for its declared size: deflate expands
/// at most 1032:1, so such a file cannot be complete. Checking this before decoding keeps
/// a tiny file that declares a huge image from making the decoder allocate the canvas.
pub(in crate::codec) fn png_has_enough_data(b: &[u8]) -> bool {
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
    let raw = u64::from(height).saturating_mul(row_bytes.saturating_add(1));
    let idat: u64 = png_chunks(b)
        .filter(|(kind, _)| *kind == b"IDAT")
        .map(|(_, data)| data.map_or(0, |d| d.len() as u64))
        .sum();
    const MAX_DEFLATE_RATIO: u64 = 1032;
    raw <= idat.saturating_mul(MAX_DEFLATE_RATIO).saturating_add(1024)
}

#[cfg(test)]
mod tests {
    use super::png_has_enough_data;
    use crate::codec::metadata::ifd::tests::tiff_with;
    use crate::codec::metadata::tags;
    use crate::codec::probe::probe;
    use crate::codec::probe::samples::{facts, is_corrupt, png};
    use crate::format::ImageFormat;

    #[test]
    fn a_palette_that_is_no_multiple_of_3_is_corrupt() {
        // The pipeline fuzz target's find (tests/regressions): a 52-byte PLTE made the png
        // crate index past the palette.
        let crash = include_bytes!(
            "../../../tests/regressions/pipeline-png-palette-length-not-multiple-of-3"
        );
        let png = &crash[1..]; // the first byte picks the target's spec
        assert!(is_corrupt(png));
    }

    #[test]
    fn the_end_before_a_truncated_chunk_is_found() {
        use super::png_end_before_truncation as end;
        let p = png(6, &[]);
        assert_eq!(end(&p), None);
        let iend = p.len() - 12;
        assert_eq!(&p[iend + 4..iend + 8], b"IEND");
        // No IEND at all, IEND's header cut, a chunk whose length runs past the end.
        assert_eq!(end(&p[..iend]), Some(iend));
        assert_eq!(end(&p[..iend + 5]), Some(iend));
        let mut longer = p[..iend].to_vec();
        longer.extend_from_slice(&[0, 0, 0, 40, b'I', b'D', b'A', b'T', 1, 2]);
        assert_eq!(end(&longer), Some(iend));
        assert_eq!(end(&p[..20]), Some(20));
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
        let exif = tiff_with(true, &[(tags::TAG_ORIENTATION, 8)]);
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
}
