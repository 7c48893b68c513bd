//! HEIF containers (ISO/IEC 23008-12): HEIC (HEVC-coded) and AVIF (AV1-coded) images.
//! The container reader finds the primary item, its properties (size, transforms, colour,
//! alpha) and its coded data; a codec turns that data into a [`YuvPicture`]; `yuv`
//! makes RGBA8 of it and the colour module sRGB.

// The seam the codecs fill in; the allow goes when the first codec lands.
#[allow(dead_code, unused_imports)]
mod picture;

// AV1 decoding of one coded item; the container reader calls it (the allow goes then).
#[cfg(feature = "avif")]
#[allow(dead_code)]
mod av1;

use crate::error::{Error, Result};
use crate::format::Probe;
use crate::frame::Image;
use crate::limits::Admission;

/// Decodes a HEIC or AVIF file into RGBA8 frames: as many as `admission` lets through,
/// within the bytes it granted.
pub(super) fn decode(_bytes: &[u8], _probe: &Probe, _admission: &Admission) -> Result<Image> {
    Err(Error::unsupported_format())
}
