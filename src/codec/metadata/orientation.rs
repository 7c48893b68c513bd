//! The EXIF orientation of an embedded EXIF block (JPEG APP1, PNG eXIf, WebP EXIF).

use super::ifd::ifd0;
use super::tags::TAG_ORIENTATION;

/// The prefix JPEG APP1 (and some PNG/WebP writers) put before the TIFF header.
pub(crate) const EXIF_PREFIX: &[u8] = b"Exif\0\0";

/// The EXIF orientation (1..=8) in an EXIF block, with or without the `Exif\0\0` prefix.
pub(crate) fn exif_orientation(block: &[u8]) -> Option<u8> {
    let tiff = block.strip_prefix(EXIF_PREFIX).unwrap_or(block);
    valid_orientation(ifd0(tiff)?.value(TAG_ORIENTATION)?)
}

/// An orientation value when it is one of the eight defined ones.
pub(crate) fn valid_orientation(value: u64) -> Option<u8> {
    u8::try_from(value).ok().filter(|v| (1..=8).contains(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::metadata::ifd::tests::tiff_with;
    use crate::codec::metadata::tags::TAG_WIDTH;

    #[test]
    fn orientation_in_both_byte_orders_and_with_prefix() {
        for le in [true, false] {
            let tiff = tiff_with(le, &[(0x010F, 7), (TAG_ORIENTATION, 6)]);
            assert_eq!(exif_orientation(&tiff), Some(6));
            let mut prefixed = EXIF_PREFIX.to_vec();
            prefixed.extend_from_slice(&tiff);
            assert_eq!(exif_orientation(&prefixed), Some(6));
        }
    }

    #[test]
    fn invalid_orientations_are_absent() {
        for bad in [0, 9, 300] {
            let tiff = tiff_with(true, &[(TAG_ORIENTATION, bad)]);
            assert_eq!(exif_orientation(&tiff), None);
        }
        assert_eq!(exif_orientation(b"II*\0\xff\xff\xff\xff"), None);
        assert_eq!(exif_orientation(b"XX*\0"), None);
    }

    #[test]
    fn every_truncation_reads_as_absent_without_panicking() {
        let tiff = tiff_with(false, &[(TAG_WIDTH, 5), (TAG_ORIENTATION, 3)]);
        for len in 0..tiff.len() {
            let _ = exif_orientation(&tiff[..len]);
        }
    }
}
