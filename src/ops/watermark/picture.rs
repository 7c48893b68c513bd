//! Loads the picture part of a mark (watermark.md §2.2 steps 4–5): the host-supplied
//! object, decoded (first frame), turned upright, then its pre-processing chain with `P`
//! resolved against the current main image.

use std::borrow::Cow;

use super::image::ImageMark;
use crate::codec::{self, Frames};
use crate::error::{Error, ErrorKind, Result};
use crate::format::ImageFormat;
use crate::frame::Frame;
use crate::ops::{auto_orient, Action, Ctx};
use crate::pipeline::Options;

/// The picture of `mark`, ready to draw, for a `main_w × main_h` main image.
pub fn load(mark: &ImageMark, main_w: u32, main_h: u32, options: &Options) -> Result<Frame> {
    let missing = || {
        Error::new(
            ErrorKind::WatermarkError,
            Some("0040-00000025"),
            format!(
                "The watermark object {} does not exist.",
                crate::error::echo(&mark.object)
            ),
        )
    };
    let bytes: Cow<'_, [u8]> = match options.objects.get(&mark.object) {
        Some(bytes) => Cow::Borrowed(bytes),
        None => options
            .object_resolver
            .as_ref()
            .and_then(|resolve| (resolve.0)(&mark.object))
            .map(Cow::Owned)
            .ok_or_else(missing)?,
    };
    let bytes = bytes.as_ref();
    let unsupported = || {
        Error::new(
            ErrorKind::WatermarkError,
            Some("0040-00000027"),
            "The watermark picture format is not supported.",
        )
    };
    let limits = &options.limits;
    limits.check_source_bytes(bytes.len())?;
    let probe = codec::probe(bytes).map_err(|_| unsupported())?;
    // JPG, PNG, BMP, WebP, TIFF; never GIF (§2.2 step 4).
    if probe.format == ImageFormat::Gif {
        return Err(unsupported());
    }
    limits.check_source(&probe)?;
    let image = codec::decode(bytes, &probe, limits, Frames::First)?;
    let mut cx = Ctx {
        image,
        source: &probe,
        source_bytes: bytes,
        // Areas that rotate or rounded-corners cut away stay transparent in a mark.
        output_format: ImageFormat::Png,
        options,
        limits,
        json: None,
    };
    let chain = mark.preprocess.as_ref();
    let explicit = chain.and_then(|c| c.auto_orient.as_ref());
    if explicit.map_or(options.default_auto_orient, |a| a.enabled) {
        auto_orient::apply_orientation(&mut cx, explicit.is_some())?;
    }
    for action in chain.map_or(&[][..], |c| &c.actions) {
        match action {
            Action::Resize(resize) => {
                Action::Resize(resize.relative_to(main_w, main_h)).apply(&mut cx)?
            }
            other => other.apply(&mut cx)?,
        }
    }
    Ok(cx.image.first().clone())
}
