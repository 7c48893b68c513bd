//! TIFF variants that `image` 0.25 / `tiff` 0.11 refuse or misread, decoded from IFD0 by
//! hand: palette, grey + alpha, CMYK (through `colour::cmyk_to_srgb`), YCbCr (subsampled
//! or JPEG-compressed, with shared JPEGTables), LZMA, CCITT fax, SGI LogLuv, float RGB as
//! linear light, planar tiles (tiff 0.11 panics on them) and tiles overhanging the edge.
//! `decode.rs` tries `image` first and comes here when it fails, so the well-trodden path
//! stays the crate's; the two that `image` would get wrong or panic on come here directly
//! ([`takes_over`]).
//!
//! One file per concern: `layout` (IFD0 → numbers), `compression` and `fax` (chunk bytes),
//! `samples` (bits → raster), `jpeg` (JPEG chunks → raster), `photometric` (raster → RGBA).

mod compression;
mod fax;
mod jpeg;
mod layout;
mod logluv;
mod photometric;
mod raster;
mod samples;

use layout::{Layout, FLOAT, LOG_LUV, RGB};

use crate::error::{Error, Result};
use crate::frame::{rgba_len, Frame};

/// True for a TIFF that must not go through `image`: tiled with one plane per sample
/// (tiff 0.11 panics on some) and float RGB (image reads it as encoded, libvips as linear).
pub(super) fn takes_over(bytes: &[u8]) -> bool {
    Layout::read(bytes)
        .is_ok_and(|l| (l.tiled && l.planar) || (l.sample_format == FLOAT && l.photometric == RGB))
}

/// The first image of a TIFF as one RGBA8 frame: sides at most `max_side`, pixels within
/// `max_bytes`, and every working buffer (samples, a chunk) within `max_alloc`.
pub(super) fn decode(bytes: &[u8], max_side: u32, max_bytes: u64, max_alloc: u64) -> Result<Frame> {
    let l = Layout::read(bytes)?;
    if l.width > max_side || l.height > max_side {
        return Err(Error::too_large(
            None,
            "the TIFF is larger than the side limit.",
        ));
    }
    let rgba = u64::try_from(rgba_len(l.width, l.height)?).unwrap_or(u64::MAX);
    if rgba > max_bytes {
        return Err(Error::too_large(
            None,
            "the decoded image is larger than its header declares.",
        ));
    }
    let (raster, model) = match l.compression {
        compression::JPEG | compression::OLD_JPEG => {
            let raster = jpeg::read(bytes, &l, max_alloc)?;
            let photometric = if raster.samples == 4 {
                layout::CMYK
            } else {
                RGB
            };
            (raster, (photometric, false))
        }
        compression::SGILOG if l.photometric == LOG_LUV => {
            (logluv::read(bytes, &l, max_alloc)?, (RGB, true))
        }
        _ => {
            let linear = l.sample_format == FLOAT && l.photometric == RGB;
            (
                samples::read(bytes, &l, max_alloc)?,
                (l.photometric, linear),
            )
        }
    };
    photometric::to_rgba(bytes, &l, model, &raster)
}
