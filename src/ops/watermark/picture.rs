//! Loads the picture part of a mark (watermark.md §2.2 steps 4–5): the host-supplied
//! object, decoded (first frame), turned upright, then its pre-processing chain with `P`
//! resolved against the current main image.

use super::image::ImageMark;
use crate::codec;
use crate::error::{Error, ErrorKind, Result};
use crate::format::ImageFormat;
use crate::frame::Frame;
use crate::ops::{Chain, Ctx};
use crate::options::Options;

/// The picture of `mark`, ready to draw, for a `main_w × main_h` main image.
pub fn load(mark: &ImageMark, main_w: u32, main_h: u32, options: &Options) -> Result<Frame> {
    let bytes = options.object(&mark.object).ok_or_else(|| {
        Error::new(
            ErrorKind::WatermarkError,
            Some("0040-00000025"),
            format!(
                "The watermark object {} does not exist.",
                crate::error::echo(&mark.object)
            ),
        )
    })?;
    let unsupported = || {
        Error::new(
            ErrorKind::WatermarkError,
            Some("0040-00000027"),
            "The watermark picture format is not supported.",
        )
    };
    let limits = &options.limits;
    limits.check_source_bytes(bytes.len())?;
    let probe = codec::probe(&bytes).map_err(|_| unsupported())?;
    // JPG, PNG, BMP, WebP, TIFF; never GIF (§2.2 step 4).
    if probe.format == ImageFormat::Gif {
        return Err(unsupported());
    }
    // A mark is drawn still: its first frame (§2.2 step 4 [DECISION]).
    let admission = limits.admit(&probe, 1)?;
    let image = codec::decode(&bytes, &probe, limits, &admission)?;
    let mut cx = Ctx {
        image,
        source: &probe,
        // Areas that rotate or rounded-corners cut away stay transparent in a mark.
        output_format: ImageFormat::Png,
        options,
    };
    let chain = mark
        .preprocess
        .as_ref()
        .map_or_else(Chain::default, |chain| chain.sized_for(main_w, main_h));
    chain.run(&mut cx, None)?;
    Ok(cx.image.first().clone())
}
