//! PNG: RGB8 when the frame is opaque, RGBA8 otherwise; default compression, adaptive filter.

use png::{BitDepth, ColorType, Encoder, Filter};

use super::rgb_pixels;
use crate::error::{Error, Result};
use crate::frame::Frame;

pub(super) fn encode(frame: &Frame) -> Result<Vec<u8>> {
    let opaque = !frame.has_transparency();
    let rgb;
    let (color, data) = if opaque {
        rgb = rgb_pixels(frame)?;
        (ColorType::Rgb, rgb.as_slice())
    } else {
        (ColorType::Rgba, frame.pixels())
    };
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, frame.width(), frame.height());
    encoder.set_color(color);
    encoder.set_depth(BitDepth::Eight);
    encoder.set_filter(Filter::Adaptive);
    let mut writer = encoder.write_header().map_err(Error::internal)?;
    writer.write_image_data(data).map_err(Error::internal)?;
    writer.finish().map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::ramp;
    use super::*;

    #[test]
    fn opaque_frames_are_written_without_alpha() {
        let rgb = encode(&ramp(5, 4, false)).unwrap();
        let rgba = encode(&ramp(5, 4, true)).unwrap();
        // IHDR colour type byte: 2 = RGB, 6 = RGBA.
        assert_eq!(rgb[25], 2);
        assert_eq!(rgba[25], 6);
    }
}
