//! TIFF: the facts of IFD0.

use super::{truncated, Header};
use crate::codec::metadata::ifd::ifd0;
use crate::codec::metadata::orientation::valid_orientation;
use crate::codec::metadata::tags::{TAG_EXTRA_SAMPLES, TAG_HEIGHT, TAG_ORIENTATION, TAG_WIDTH};
use crate::error::{Error, Result};
use crate::format::ImageFormat;

/// TIFF (classic or BigTIFF): IFD0 only; later pages are ignored.
pub(super) fn header(b: &[u8]) -> Result<Header> {
    let ifd = ifd0(b).ok_or_else(|| truncated("TIFF"))?;
    let side = |tag| {
        ifd.value(tag)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| Error::corrupt("the TIFF has no usable image size"))
    };
    let width = side(TAG_WIDTH)?;
    let height = side(TAG_HEIGHT)?;
    let orientation = ifd
        .value(TAG_ORIENTATION)
        .and_then(valid_orientation)
        .unwrap_or(1);
    let alpha = ifd.has(TAG_EXTRA_SAMPLES);
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
    use crate::codec::metadata::ifd::tests::tiff_with;
    use crate::codec::metadata::tags;
    use crate::codec::probe::samples::{facts, is_corrupt};
    use crate::format::ImageFormat;

    #[test]
    fn tiff_ifd0() {
        let t = tiff_with(
            false,
            &[
                (tags::TAG_WIDTH, 20),
                (tags::TAG_HEIGHT, 10),
                (tags::TAG_ORIENTATION, 5),
            ],
        );
        assert_eq!(facts(&t), (ImageFormat::Tiff, 20, 10, 1, 5, false));
        let t = tiff_with(
            true,
            &[
                (tags::TAG_WIDTH, 20),
                (tags::TAG_HEIGHT, 10),
                (tags::TAG_EXTRA_SAMPLES, 2),
            ],
        );
        assert_eq!(facts(&t), (ImageFormat::Tiff, 20, 10, 1, 1, true));
        assert!(is_corrupt(&tiff_with(true, &[(tags::TAG_WIDTH, 20)])));
    }
}
