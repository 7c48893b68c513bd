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

/// The `av1` fuzz target's entry (fuzz/src/lib.rs): the AV1 primitive on arbitrary bytes;
/// `Ok` holds the picture's width and height.
#[cfg(feature = "avif")]
#[doc(hidden)]
pub fn fuzz_av1_decode(av1c: &[u8], data: &[u8], max_bytes: u64) -> Result<(u32, u32)> {
    av1::decode(av1c, data, max_bytes).map(|p| (p.width, p.height))
}

/// Decodes an AV1 item for other modules' tests: width, height, mean luma on 0–255, and
/// the CICP (primaries, transfer, matrix, full range).
#[cfg(all(test, feature = "avif"))]
#[allow(clippy::type_complexity)]
pub(crate) fn av1_decode_for_tests(
    av1c: &[u8],
    data: &[u8],
    max: u64,
) -> Result<(u32, u32, f64, (u8, u8, u8, bool))> {
    let pic = av1::decode(av1c, data, max)?;
    let mean = match &pic.samples {
        picture::Samples::U8(p) => p[0].iter().map(|&v| f64::from(v)).sum::<f64>(),
        picture::Samples::U16(p) => p[0]
            .iter()
            .map(|&v| f64::from(v >> (pic.bit_depth - 8)))
            .sum(),
    } / f64::from(pic.width * pic.height);
    let c = pic.cicp.ok_or_else(|| Error::corrupt("no CICP"))?;
    Ok((
        pic.width,
        pic.height,
        mean,
        (c.primaries, c.transfer, c.matrix, c.full_range),
    ))
}

use crate::error::{Error, Result};
use crate::format::Probe;
use crate::frame::Image;
use crate::limits::Admission;

/// Decodes a HEIC or AVIF file into RGBA8 frames: as many as `admission` lets through,
/// within the bytes it granted.
pub(super) fn decode(_bytes: &[u8], _probe: &Probe, _admission: &Admission) -> Result<Image> {
    Err(Error::unsupported_format())
}
