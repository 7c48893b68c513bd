//! The resolution a container states outside EXIF (spec/info.md §2.2): JFIF density,
//! PNG pHYs, BMP pixels per metre, as ResolutionUnit, XResolution and YResolution.

use crate::codec::bytes::{arr, be32};
use crate::codec::probe::png::png_chunks;
use crate::format::ImageFormat;

/// ResolutionUnit, XResolution and YResolution from the container (info.md §2.2), for
/// sources whose EXIF IFD0 has none.
pub(crate) fn container_resolution(bytes: &[u8], format: ImageFormat) -> Option<[String; 3]> {
    match format {
        ImageFormat::Jpeg => jfif_density(bytes),
        ImageFormat::Png => png_physical_size(bytes),
        ImageFormat::Bmp => bmp_pixels_per_metre(bytes),
        ImageFormat::Gif
        | ImageFormat::WebP
        | ImageFormat::Tiff
        | ImageFormat::Heic
        | ImageFormat::Avif => None,
    }
}

/// A JPEG's JFIF APP0 (which leads the file; other APPn segments before it are skipped):
/// units 0/1/2 become "1"/"2"/"3", densities `<d>/1`.
fn jfif_density(b: &[u8]) -> Option<[String; 3]> {
    let mut at: usize = 2;
    while let Some(&[0xFF, marker @ 0xE0..=0xEF, hi, lo]) = b.get(at..at.checked_add(4)?) {
        let end = at
            .checked_add(2)?
            .checked_add(usize::from(u16::from_be_bytes([hi, lo])))?;
        let body = b.get(at.checked_add(4)?..end)?;
        if let (0xE0, Some(&[_, _, units, x0, x1, y0, y1, ..])) =
            (marker, body.strip_prefix(b"JFIF\0"))
        {
            let unit = match units {
                0..=2 => units + 1,
                _ => return None,
            };
            let density = |hi, lo| format!("{}/1", u16::from_be_bytes([hi, lo]));
            return Some([unit.to_string(), density(x0, x1), density(y0, y1)]);
        }
        at = end;
    }
    None
}

/// A PNG's pHYs chunk (before IDAT): unit 0 gives "1" with `<x>/1`, unit 1 (per metre)
/// "3" with `<ppm>/100`.
fn png_physical_size(b: &[u8]) -> Option<[String; 3]> {
    for (kind, data) in png_chunks(b) {
        match (kind, data) {
            (b"IDAT", _) => return None,
            (b"pHYs", Some(data)) if data.len() == 9 => {
                let (x, y) = (be32(data, 0)?, be32(data, 4)?);
                return match data.get(8)? {
                    0 => Some(["1".into(), format!("{x}/1"), format!("{y}/1")]),
                    1 => Some(["3".into(), format!("{x}/100"), format!("{y}/100")]),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    None
}

/// A BMP info header's pixels per metre, when both are set: "3" with `<ppm>/100`.
fn bmp_pixels_per_metre(b: &[u8]) -> Option<[String; 3]> {
    let le32 = |at: usize| arr(b, at).map(i32::from_le_bytes);
    // BITMAPCOREHEADER (12 bytes) has no resolution; the larger headers have it at 38.
    if le32(14)? < 40 {
        return None;
    }
    let (x, y) = (le32(38)?, le32(42)?);
    (x > 0 && y > 0).then(|| ["3".into(), format!("{x}/100"), format!("{y}/100")])
}
