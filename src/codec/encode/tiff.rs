//! TIFF through the tiff crate directly (image's TIFF encoder writes uncompressed files):
//! LZW with the horizontal predictor, RGB8 when opaque, RGBA8 otherwise.

use std::io::Cursor;

use tiff::encoder::{colortype, Compression, Predictor, TiffEncoder};

use super::rgb_pixels;
use crate::error::{Error, Result};
use crate::frame::Frame;

pub(super) fn encode(frame: &Frame) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = TiffEncoder::new(Cursor::new(&mut out))
        .map_err(Error::internal)?
        .with_compression(Compression::Lzw)
        .with_predictor(Predictor::Horizontal);
    let (w, h) = (frame.width(), frame.height());
    if frame.has_transparency() {
        encoder.write_image::<colortype::RGBA8>(w, h, frame.pixels())
    } else {
        encoder.write_image::<colortype::RGB8>(w, h, &rgb_pixels(frame)?)
    }
    .map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::ramp;
    use super::*;

    #[test]
    fn output_is_compressed() {
        let frame = ramp(64, 64, false);
        let bytes = encode(&frame).unwrap();
        assert!(bytes.len() < 64 * 64 * 3 / 2, "{} bytes", bytes.len());
    }
}
