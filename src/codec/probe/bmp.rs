//! BMP: the file header and the info header after it.

use super::{truncated, Header};
use crate::codec::bytes::{arr, le16, le32};
use crate::error::{Error, Result};
use crate::format::ImageFormat;

/// BMP: BITMAPCOREHEADER (16-bit sides) or one of the larger headers (signed 32-bit sides;
/// a negative height means top-down rows). Alpha as the decoder sees it: a non-zero alpha
/// mask in a V3+ header with bit fields.
pub(super) fn header(b: &[u8]) -> Result<Header> {
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

#[cfg(test)]
mod tests {
    use crate::codec::probe::samples::{bmp, facts, is_corrupt};
    use crate::format::ImageFormat;

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
}
