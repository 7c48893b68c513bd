//! What a file is: its format and the facts its header states. Below `codec` (which reads
//! them) so that `limits` and `frame` can name them without depending on the codecs.

/// The file formats this crate reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
    /// HEIF with an HEVC-coded primary image (what phones shoot).
    Heic,
    /// HEIF with an AV1-coded primary image; `.avifs` sequences too.
    Avif,
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
            ImageFormat::Heic => "image/heic",
            ImageFormat::Avif => "image/avif",
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
            ImageFormat::Heic => "heic",
            ImageFormat::Avif => "avif",
        }
    }

    /// Formats that can carry several frames in our encoders.
    pub fn can_animate(self) -> bool {
        matches!(self, ImageFormat::Gif | ImageFormat::WebP)
    }

    /// Sources whose frames we read: those we can write animated, and AVIF image sequences
    /// (`.avifs`, kept animated only in WebP output).
    pub fn has_frames(self) -> bool {
        self.can_animate() || self == ImageFormat::Avif
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
