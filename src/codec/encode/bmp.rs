//! BMP: 24-bit when the frame is opaque, 32-bit with alpha otherwise.

use image::codecs::bmp::BmpEncoder;
use image::ExtendedColorType;

use super::rgb_pixels;
use crate::error::{Error, Result};
use crate::frame::Frame;

pub(super) fn encode(frame: &Frame) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = BmpEncoder::new(&mut out);
    let (w, h) = (frame.width(), frame.height());
    if frame.has_transparency() {
        encoder.encode(frame.pixels(), w, h, ExtendedColorType::Rgba8)
    } else {
        encoder.encode(&rgb_pixels(frame)?, w, h, ExtendedColorType::Rgb8)
    }
    .map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::ramp;
    use super::*;

    #[test]
    fn bit_depth_follows_transparency() {
        let bpp = |bytes: &[u8]| u16::from_le_bytes([bytes[28], bytes[29]]);
        assert_eq!(bpp(&encode(&ramp(3, 3, false)).unwrap()), 24);
        assert_eq!(bpp(&encode(&ramp(3, 3, true)).unwrap()), 32);
    }
}
