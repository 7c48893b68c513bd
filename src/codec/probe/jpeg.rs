//! JPEG: the marker segments, the frame size and the Exif orientation.

use super::{truncated, Header};
use crate::codec::bytes::{be16, slice};
use crate::codec::metadata::orientation::exif_orientation;
use crate::error::{Error, Result};
use crate::format::ImageFormat;

/// The marker segments of a JPEG after SOI as `(marker, body, offset after the segment)`,
/// in file order, up to and including the first SOS (its header only) or EOI (empty body).
/// Ends early at a truncated or malformed segment.
pub(in crate::codec) fn jpeg_segments(b: &[u8]) -> impl Iterator<Item = (u8, &[u8], usize)> {
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
pub(in crate::codec) fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// True when entropy-coded data follows the first scan header (a file cut right after
/// it decodes to a blank picture without complaint).
pub(in crate::codec) fn jpeg_has_scan_data(b: &[u8]) -> bool {
    jpeg_segments(b)
        .find(|&(marker, _, _)| marker == 0xDA)
        .and_then(|(_, _, next)| b.get(next..))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(b"\xFF\xD9"))
}

/// JPEG: the size from the first SOFn; an APP1 Exif segment before it gives the
/// orientation.
pub(super) fn header(b: &[u8]) -> Result<Header> {
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
                orientation = exif_orientation(data);
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

#[cfg(test)]
mod tests {
    use crate::codec::probe::samples::{facts, is_corrupt, jpeg_with_exif};
    use crate::format::ImageFormat;

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
}
