//! Reading and writing image files. `probe` reads header facts only; `decode` turns bytes
//! into RGBA8 frames under the allocation budget of [`Limits`]; `encode` writes one format.

#[cfg(all(target_arch = "wasm32", feature = "webp-libwebp"))]
mod cshim;
mod decode;
mod encode;
mod exif;
mod jpeg_quality;
mod jpeg_rgba;
mod jpeg_scaled;
mod probe;
mod sniff;

pub use decode::{decode, decode_shrunk};
pub use encode::encode;
pub use jpeg_quality::estimate_jpeg_quality;
pub use probe::probe;
pub use sniff::sniff;

/// The file formats this crate reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
}

impl ImageFormat {
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
            ImageFormat::WebP => "image/webp",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::Tiff => "image/tiff",
        }
    }

    /// The name OSS uses for the format (`format,<name>`, `info`).
    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Gif => "gif",
            ImageFormat::WebP => "webp",
            ImageFormat::Bmp => "bmp",
            ImageFormat::Tiff => "tiff",
        }
    }

    /// Formats that can carry several frames in our encoders.
    pub fn can_animate(self) -> bool {
        matches!(self, ImageFormat::Gif | ImageFormat::WebP)
    }
}

/// Facts read from the header, without decoding pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub format: ImageFormat,
    /// Stored width (before EXIF orientation); for animations the canvas width.
    pub width: u32,
    pub height: u32,
    /// Number of frames (1 for still images).
    pub frames: u32,
    /// EXIF orientation 1..=8 (1 when absent or invalid).
    pub orientation: u8,
    /// The header declares an alpha channel or transparency.
    pub has_alpha: bool,
}

/// Which frames `decode` returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frames {
    /// Every frame of an animation, composited.
    All,
    /// Only the first frame (the pipeline will output a still image).
    First,
}

/// How `encode` writes the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    pub format: ImageFormat,
    /// 1..=100; used by JPEG and lossy WebP.
    pub quality: u8,
    /// Progressive JPEG (`interlace,1`).
    pub progressive: bool,
}
