//! HEIF (HEIC and AVIF) header facts from `codec::heif`'s container reader: the displayed
//! size (after the clean aperture and the rotation, as libheif and libvips report it), the
//! frame count of an image sequence and alpha. Orientation is always 1: the container's
//! `irot`/`imir` already make the picture upright and, like libvips (which drops the EXIF
//! orientation of a HEIF image), the EXIF orientation tag is not applied a second time.

use super::Header;
use crate::codec::heif;
use crate::error::Result;
use crate::format::{ImageFormat, Probe};
use crate::frame::LoopCount;

pub(super) fn header(bytes: &[u8], format: ImageFormat) -> Result<Header> {
    let f = heif::facts(bytes)?;
    Ok(Header {
        probe: Probe {
            format,
            width: f.width,
            height: f.height,
            frames: f.frames,
            orientation: 1,
            has_alpha: f.alpha,
        },
        loop_count: LoopCount::Infinite,
        gif: Default::default(),
    })
}
