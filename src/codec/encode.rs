//! RGBA8 frames → one file format. JPEG, PNG, BMP and TIFF write the first frame; GIF and
//! WebP write every frame of an animation.

#[cfg(feature = "avif")]
mod avif;
mod bmp;
mod gif;
mod jpeg;
mod jpeg_ycbcr;
mod png;
mod tiff;
mod webp;

use super::EncodeOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::format::ImageFormat;
use crate::frame::{Frame, Image};
use crate::limits::Limits;

/// Whether this build writes `format`: HEIC never, AVIF with the `avif` feature.
pub fn can_encode(format: ImageFormat) -> bool {
    format != ImageFormat::Heic && (format != ImageFormat::Avif || cfg!(feature = "avif"))
}

/// Writes `image` as `opts.format`.
pub fn encode(image: &Image, opts: &EncodeOptions, limits: &Limits) -> Result<Vec<u8>> {
    let quality = opts.quality.clamp(1, 100);
    match opts.format {
        ImageFormat::Jpeg => jpeg::encode(image.first(), quality, opts.progressive),
        ImageFormat::Png => png::encode(image.first()),
        ImageFormat::Gif => gif::encode(image),
        ImageFormat::WebP => {
            limits.check_webp_output(image.width(), image.height())?;
            webp::encode(image, quality)
        }
        ImageFormat::Bmp => bmp::encode(image.first()),
        ImageFormat::Tiff => tiff::encode(image.first()),
        #[cfg(feature = "avif")]
        ImageFormat::Avif => {
            limits.check_avif_output(image.width(), image.height())?;
            avif::encode(image.first(), quality)
        }
        #[cfg(not(feature = "avif"))]
        ImageFormat::Avif => Err(Error::new(
            ErrorKind::NotImplemented,
            None,
            format!("This build cannot encode {}.", opts.format.name()),
        )),
        ImageFormat::Heic => Err(Error::new(
            ErrorKind::NotImplemented,
            None,
            format!("This build cannot encode {}.", opts.format.name()),
        )),
    }
}

/// The frame's pixels without the alpha channel, in a buffer allocated fallibly.
fn rgb_pixels(frame: &Frame) -> Result<Vec<u8>> {
    let len = frame.pixels().len() / 4 * 3;
    let mut rgb = Vec::new();
    rgb.try_reserve_exact(len)
        .map_err(|_| Error::too_large(None, format!("cannot allocate {len} bytes.")))?;
    for px in frame.pixels().chunks_exact(4) {
        if let [r, g, b, _] = *px {
            rgb.extend_from_slice(&[r, g, b]);
        }
    }
    Ok(rgb)
}

/// A copy of the frame's RGBA pixels, allocated fallibly.
fn rgba_copy(frame: &Frame) -> Result<Vec<u8>> {
    let mut copy = Vec::new();
    copy.try_reserve_exact(frame.pixels().len()).map_err(|_| {
        Error::too_large(
            None,
            format!("cannot allocate {} bytes.", frame.pixels().len()),
        )
    })?;
    copy.extend_from_slice(frame.pixels());
    Ok(copy)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::codec::{decode, probe};
    use crate::frame::LoopCount;

    /// A frame with smooth colour ramps, opaque or with a horizontal alpha ramp.
    pub(crate) fn ramp(w: u32, h: u32, alpha: bool) -> Frame {
        let mut px = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let a = if alpha {
                    (x * 255 / (w - 1).max(1)) as u8
                } else {
                    255
                };
                px.extend_from_slice(&[
                    (x * 255 / w) as u8,
                    (y * 255 / h) as u8,
                    128u8.wrapping_add((x + y) as u8),
                    a,
                ]);
            }
        }
        Frame::from_rgba(w, h, px).unwrap()
    }

    pub(crate) fn opts(format: ImageFormat, quality: u8) -> EncodeOptions {
        EncodeOptions {
            format,
            quality,
            progressive: false,
        }
    }

    pub(crate) fn round_trip(image: &Image, opts: &EncodeOptions) -> Image {
        let bytes = encode(image, opts, &Limits::oss()).unwrap();
        let p = probe(&bytes).unwrap();
        assert_eq!(p.format, opts.format);
        assert_eq!((p.width, p.height), (image.width(), image.height()));
        let frames = if p.format.has_frames() { p.frames } else { 1 };
        let admitted = Limits::oss().admit(&p, frames).unwrap();
        decode(&bytes, &p, &Limits::oss(), &admitted).unwrap()
    }

    /// Largest per-channel difference between two frames of one size.
    pub(crate) fn max_diff(a: &Frame, b: &Frame) -> u8 {
        assert_eq!((a.width(), a.height()), (b.width(), b.height()));
        a.pixels()
            .iter()
            .zip(b.pixels())
            .map(|(x, y)| x.abs_diff(*y))
            .max()
            .unwrap()
    }

    /// Mean per-channel difference.
    pub(crate) fn mean_diff(a: &Frame, b: &Frame) -> f64 {
        let sum: u64 = a
            .pixels()
            .iter()
            .zip(b.pixels())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        sum as f64 / a.pixels().len() as f64
    }

    #[test]
    fn lossless_formats_are_exact_with_and_without_alpha() {
        for format in [ImageFormat::Png, ImageFormat::Bmp, ImageFormat::Tiff] {
            for alpha in [false, true] {
                let frame = ramp(37, 23, alpha);
                let out = round_trip(&Image::still(frame.clone()), &opts(format, 75));
                assert_eq!(out.first(), &frame, "{format:?} alpha={alpha}");
            }
        }
    }

    #[test]
    fn animated_sources_become_still_in_still_formats() {
        let frames = vec![
            ramp(8, 8, false),
            Frame::filled(8, 8, [1, 2, 3, 255]).unwrap(),
        ];
        let anim = Image::animation(frames, LoopCount::Infinite).unwrap();
        for format in [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Bmp,
            ImageFormat::Tiff,
        ] {
            let out = round_trip(&anim, &opts(format, 90));
            assert_eq!(out.frames().len(), 1, "{format:?}");
        }
    }

    #[test]
    fn webp_side_limit_is_checked() {
        let wide = Image::still(Frame::filled(16_384, 1, [0, 0, 0, 255]).unwrap());
        let e = encode(&wide, &opts(ImageFormat::WebP, 80), &Limits::oss()).unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000011"));
    }

    #[test]
    fn rgb_drops_alpha() {
        let f = Frame::from_rgba(2, 1, vec![1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        assert_eq!(rgb_pixels(&f).unwrap(), [1, 2, 3, 5, 6, 7]);
    }
}
