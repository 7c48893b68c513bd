//! JPEG through jpeg-encoder: IJG quality scaling and 4:2:0 sampling. Progressive output
//! has optimised Huffman tables; baseline output keeps the standard ones (see below).

use jpeg_encoder::{ChromaSubsamplingMethod, Encoder, SamplingFactor};

use super::jpeg_ycbcr::RgbaRows;
use super::rgba_copy;
use crate::error::{Error, Result};
use crate::frame::Frame;

/// Scans for `interlace,1`. jpeg-encoder does spectral selection only, so every scan costs
/// size: 3 is about 7% over baseline, its default 4 about 13%.
const PROGRESSIVE_SCANS: u8 = 3;

pub(super) fn encode(frame: &Frame, quality: u8, progressive: bool) -> Result<Vec<u8>> {
    let too_big = |_| Error::internal("JPEG sides are limited to 65,535 px");
    let w = u16::try_from(frame.width()).map_err(too_big)?;
    let h = u16::try_from(frame.height()).map_err(too_big)?;
    // JPEG has no alpha: composite onto white. The encoder reads R, G, B and skips A.
    let flattened;
    let pixels = if frame.has_transparency() {
        let mut copy = Frame::from_rgba(frame.width(), frame.height(), rgba_copy(frame)?)?;
        copy.flatten_onto([255, 255, 255]);
        flattened = copy;
        flattened.pixels()
    } else {
        frame.pixels()
    };
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    // Box-average each 2×2 block as libjpeg does; the default takes its top-left pixel,
    // which aliases colour edges (W5e's Cb and Cr: 1.2 and 1.6 dB worse than libjpeg's).
    encoder.set_chroma_subsampling_method(ChromaSubsamplingMethod::Average);
    if progressive {
        encoder.set_progressive_scans(PROGRESSIVE_SCANS);
        encoder.set_optimized_huffman_tables(true);
    }
    // Baseline with optimised tables makes jpeg-encoder write one scan per component, and
    // zune-jpeg 0.5.15 (image's decoder, so ours) decodes non-interleaved 4:2:0 scans to
    // garbage (zune-image#422). The standard tables keep one interleaved scan, 2-10% larger.
    let rows = RgbaRows {
        pixels,
        width: w,
        height: h,
    };
    encoder.encode_image(rows).map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{mean_diff, opts, ramp, round_trip};
    use super::*;
    use crate::codec::estimate_jpeg_quality;
    use crate::format::ImageFormat;
    use crate::frame::Image;

    #[test]
    fn round_trip_is_close_and_keeps_quality() {
        // Also guards the baseline Huffman choice: optimised tables decode to garbage here.
        let frame = ramp(64, 48, false);
        let out = round_trip(&Image::still(frame.clone()), &opts(ImageFormat::Jpeg, 95));
        assert!(mean_diff(out.first(), &frame) < 3.0);
        let bytes = encode(&frame, 75, false).unwrap();
        assert_eq!(estimate_jpeg_quality(&bytes), Some(75));
    }

    #[test]
    fn transparency_is_flattened_onto_white() {
        let clear = Frame::filled(16, 16, [0, 0, 0, 0]).unwrap();
        let bytes = encode(&clear, 90, false).unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap().into_rgb8();
        assert!(decoded.pixels().all(|p| p.0.iter().all(|&c| c >= 250)));
    }

    #[test]
    fn progressive_writes_sof2() {
        let frame = ramp(32, 32, false);
        let baseline = encode(&frame, 80, false).unwrap();
        let progressive = encode(&frame, 80, true).unwrap();
        assert!(baseline.windows(2).any(|w| w == [0xFF, 0xC0]));
        assert!(progressive.windows(2).any(|w| w == [0xFF, 0xC2]));
        let decoded = image::load_from_memory(&progressive).unwrap().into_rgba8();
        let decoded = Frame::from_rgba(32, 32, decoded.into_raw()).unwrap();
        assert!(mean_diff(&decoded, &frame) < 3.0);
    }

    #[test]
    fn subsampling_is_4_2_0_at_high_quality_too() {
        let bytes = encode(&ramp(16, 16, false), 95, false).unwrap();
        let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        // First component's sampling byte: 2×2.
        assert_eq!(bytes[sof + 11], 0x22);
    }
}
