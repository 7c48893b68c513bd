//! Reading and writing image files. `probe` reads header facts only; `decode` turns bytes
//! into RGBA8 frames under the allocation budget of [`Limits`]; `encode` writes one format.

mod bytes;
mod colour;
#[cfg(all(target_arch = "wasm32", feature = "webp-libwebp"))]
mod cshim;
mod decode;
mod encode;
mod heif;
mod jpeg_quality;
mod jpeg_rgba;
mod jpeg_scaled;
pub(crate) mod metadata;
mod probe;
mod sniff;
mod tiff;

pub use colour::SrgbConversion;
pub use decode::{decode, decode_shrunk, Shrunk};
pub use encode::{can_encode, encode};
#[cfg(feature = "avif")]
#[doc(hidden)]
pub use heif::fuzz_av1_decode;
pub use jpeg_quality::estimate_jpeg_quality;
pub use probe::probe;
pub use sniff::sniff;

use crate::format::ImageFormat;

/// How `encode` writes the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    pub format: ImageFormat,
    /// 1..=100; used by JPEG and lossy WebP.
    pub quality: u8,
    /// Progressive JPEG (`interlace,1`).
    pub progressive: bool,
}
