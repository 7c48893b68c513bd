//! TIFF through the tiff crate directly (image's TIFF encoder writes uncompressed files):
//! LZW with the horizontal predictor, RGB8 when opaque, RGBA8 otherwise, its alpha declared
//! unassociated (ExtraSamples = 2): the crate writes no ExtraSamples tag for RGBA8, and
//! readers then guess what the fourth sample means or ignore it.

use std::io::Cursor;

use tiff::encoder::{colortype, Compression, Predictor, TiffEncoder};
use tiff::tags::{ExtraSamples, Tag};

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
        let mut image = encoder
            .new_image::<colortype::RGBA8>(w, h)
            .map_err(Error::internal)?;
        let unassociated = ExtraSamples::UnassociatedAlpha.to_u16();
        image
            .encoder()
            .write_tag(Tag::ExtraSamples, unassociated)
            .map_err(Error::internal)?;
        image.write_data(frame.pixels())
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

    #[test]
    fn alpha_is_declared_unassociated_and_round_trips() {
        use crate::codec::metadata::ifd::ifd0;
        use crate::codec::metadata::tags::TAG_EXTRA_SAMPLES;
        use crate::codec::{decode, probe};
        use crate::limits::Limits;

        let frame = ramp(37, 19, true);
        let bytes = encode(&frame).unwrap();
        let ifd = ifd0(&bytes).unwrap();
        assert_eq!(ifd.value(TAG_EXTRA_SAMPLES), Some(2));
        assert_eq!(ifd.value(0x0115), Some(4)); // SamplesPerPixel
        let p = probe(&bytes).unwrap();
        let oss = Limits::oss();
        let image = decode(&bytes, &p, &oss, &oss.admit(&p, 1).unwrap()).unwrap();
        assert_eq!(image.first(), &frame);
        assert!(ifd0(&encode(&ramp(8, 8, false)).unwrap())
            .is_some_and(|ifd| !ifd.has(TAG_EXTRA_SAMPLES)));
    }
}
