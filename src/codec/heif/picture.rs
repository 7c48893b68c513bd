//! One decoded coded image (an HEVC or AV1 picture) before it becomes RGBA: the seam
//! between a codec (`hevc`, `av1`) and the conversion to RGBA8 (`yuv`).

/// Chroma subsampling of a coded picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Chroma {
    /// Luma only (grey; also an alpha plane).
    Monochrome,
    Yuv420,
    Yuv422,
    Yuv444,
}

/// Colour description as code points of ITU-T H.273 (CICP), from the bitstream (HEVC VUI,
/// AV1 sequence header) or a HEIF `colr` box of type `nclx`, which wins where both exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cicp {
    pub primaries: u8,
    pub transfer: u8,
    pub matrix: u8,
    pub full_range: bool,
}

/// Plane samples: one byte each for 8-bit pictures, two for 10- and 12-bit ones.
#[derive(Debug)]
pub(crate) enum Samples {
    U8([Vec<u8>; 3]),
    U16([Vec<u16>; 3]),
}

/// A decoded picture: Y, Cb, Cr planes (Cb and Cr empty when monochrome), each row-major
/// without padding; chroma planes are `ceil(width / 2)` wide for 4:2:0 and 4:2:2 and
/// `ceil(height / 2)` high for 4:2:0.
#[derive(Debug)]
pub(crate) struct YuvPicture {
    pub width: u32,
    pub height: u32,
    /// 8, 10 or 12.
    pub bit_depth: u8,
    pub chroma: Chroma,
    pub samples: Samples,
    /// The bitstream's colour description; `None` when it gives none (then BT.601, limited
    /// range, unless the container says otherwise).
    pub cicp: Option<Cicp>,
}
