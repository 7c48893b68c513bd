//! Header facts without decoding pixels. Each format has a small hand parser that walks
//! markers, chunks or blocks by their declared lengths with bounds-checked reads
//! (`codec::bytes`); nothing here allocates in proportion to a declared size.

mod bmp;
mod gif;
mod heif;
pub(super) mod jpeg;
pub(super) mod png;
mod tiff;
pub(super) mod webp;

use super::sniff;
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::LoopCount;
use gif::GifRepairs;

/// Reads format, size, frame count, EXIF orientation and alpha from the header.
pub fn probe(bytes: &[u8]) -> Result<Probe> {
    Ok(read_header(bytes)?.probe)
}

/// What the header says, including the animation's loop count, which `decode` needs but
/// [`Probe`] does not carry.
pub(in crate::codec) struct Header {
    pub probe: Probe,
    pub loop_count: LoopCount,
    pub gif: GifRepairs,
}

pub(in crate::codec) fn read_header(bytes: &[u8]) -> Result<Header> {
    let format = sniff(bytes).ok_or_else(Error::unsupported_format)?;
    let header = match format {
        ImageFormat::Jpeg => jpeg::header(bytes),
        ImageFormat::Png => png::header(bytes),
        ImageFormat::Gif => gif::header(bytes),
        ImageFormat::WebP => webp::header(bytes),
        ImageFormat::Bmp => bmp::header(bytes),
        ImageFormat::Tiff => tiff::header(bytes),
        ImageFormat::Heic | ImageFormat::Avif => heif::header(bytes, format),
    }?;
    if header.probe.width == 0 || header.probe.height == 0 {
        return Err(Error::corrupt("the image declares a zero width or height"));
    }
    Ok(header)
}

impl Header {
    fn still(format: ImageFormat, width: u32, height: u32, orientation: u8, alpha: bool) -> Self {
        Header {
            probe: Probe {
                format,
                width,
                height,
                frames: 1,
                orientation,
                has_alpha: alpha,
            },
            loop_count: LoopCount::Infinite,
            gif: GifRepairs::default(),
        }
    }
}

fn truncated(format: &str) -> Error {
    Error::corrupt(format!("the {format} header is truncated"))
}

#[cfg(test)]
mod samples;

#[cfg(test)]
mod tests {
    use super::samples::{bmp, gif, jpeg_with_exif, png, riff, vp8x};
    use super::*;
    use crate::codec::metadata::ifd::tests::tiff_with;
    use crate::codec::metadata::tags;
    use crate::error::ErrorKind;

    #[test]
    fn garbage_is_unsupported() {
        for bytes in [b"".as_slice(), b"hello world", b"\0\0\0\x0cjP  \r\n\x87\n"] {
            let e = probe(bytes).unwrap_err();
            assert_eq!(e, Error::unsupported_format());
        }
    }

    #[test]
    fn every_prefix_of_every_header_is_an_error_or_a_probe() {
        let exif = tiff_with(true, &[(tags::TAG_ORIENTATION, 3)]);
        let samples = [
            jpeg_with_exif(6),
            png(6, &[(b"eXIf", exif.clone())]),
            gif(3, true, Some(2)),
            riff(&[
                (b"VP8X", vp8x(0x1A, 30, 20)),
                (b"ANIM", vec![0; 6]),
                (b"ANMF", vec![0; 16]),
                (b"EXIF", exif),
            ]),
            bmp(124, 7, 5, 32, 3, 1),
            tiff_with(
                false,
                &[(tags::TAG_WIDTH, 2), (tags::TAG_HEIGHT, 2), (0x0112, 2)],
            ),
        ];
        for sample in &samples {
            assert!(probe(sample).is_ok());
            for len in 0..sample.len() {
                if let Err(e) = probe(&sample[..len]) {
                    assert_eq!(e.kind(), ErrorKind::BadRequest);
                }
            }
        }
    }
}
