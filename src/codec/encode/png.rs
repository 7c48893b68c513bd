//! PNG: RGB8 when the frame is opaque, RGBA8 otherwise; adaptive filter; fdeflate, or zlib
//! level 6 when that is smaller.

use png::{BitDepth, ColorType, Compression, Encoder, Filter};

use super::rgb_pixels;
use crate::error::{Error, Result};
use crate::frame::Frame;

pub(super) fn encode(frame: &Frame) -> Result<Vec<u8>> {
    let opaque = !frame.has_transparency();
    let rgb;
    let (color, data) = if opaque {
        rgb = rgb_pixels(frame)?;
        (ColorType::Rgb, rgb.as_slice())
    } else {
        (ColorType::Rgba, frame.pixels())
    };
    let fast = write(frame, color, data, Compression::Fast)?;
    if fast.len().saturating_mul(RECOMPRESS_BELOW) >= data.len() {
        return Ok(fast);
    }
    let balanced = write(frame, color, data, Compression::Balanced)?;
    Ok(if balanced.len() < fast.len() {
        balanced
    } else {
        fast
    })
}

/// fdeflate (png's `Fast`) packs filtered photographs smaller than zlib level 6 and about
/// 30× faster (1080p photo: 947 vs 993 KB, 9 vs 285 ms natively), but flat graphics up to
/// several times larger; those compress well and zlib is quick on them, so an image whose
/// fdeflate output is under 1/`RECOMPRESS_BELOW` of its raw size is also tried with zlib.
const RECOMPRESS_BELOW: usize = 8;

fn write(
    frame: &Frame,
    color: ColorType,
    data: &[u8],
    compression: Compression,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, frame.width(), frame.height());
    encoder.set_color(color);
    encoder.set_depth(BitDepth::Eight);
    encoder.set_filter(Filter::Adaptive);
    encoder.set_compression(compression);
    let mut writer = encoder.write_header().map_err(Error::internal)?;
    writer.write_image_data(data).map_err(Error::internal)?;
    writer.finish().map_err(Error::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::ramp;
    use super::*;

    #[test]
    fn opaque_frames_are_written_without_alpha() {
        let rgb = encode(&ramp(5, 4, false)).unwrap();
        let rgba = encode(&ramp(5, 4, true)).unwrap();
        // IHDR colour type byte: 2 = RGB, 6 = RGBA.
        assert_eq!(rgb[25], 2);
        assert_eq!(rgba[25], 6);
    }

    fn frame_of(w: u32, h: u32, px: impl Fn(u32, u32) -> [u8; 4]) -> Frame {
        let pixels = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .flat_map(|(x, y)| px(x, y))
            .collect();
        Frame::from_rgba(w, h, pixels).unwrap()
    }

    fn decoded(bytes: &[u8]) -> Vec<u8> {
        image::load_from_memory(bytes)
            .unwrap()
            .to_rgba8()
            .into_raw()
    }

    #[test]
    fn noisy_images_keep_the_fast_encoding() {
        // xorshift noise: nothing compresses it to under 1/8.
        let mut state = 0x2545_f491_u32;
        let mut noise = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()
        };
        let pixels: Vec<[u8; 4]> = (0..64 * 48).map(|_| noise()).collect();
        let frame = frame_of(64, 48, |x, y| pixels[(y * 64 + x) as usize]);
        let out = encode(&frame).unwrap();
        let fast = write(&frame, ColorType::Rgba, frame.pixels(), Compression::Fast).unwrap();
        assert_eq!(out, fast);
        assert_eq!(decoded(&out), frame.pixels());
    }

    #[test]
    fn flat_graphics_take_the_smaller_of_both() {
        let frame = frame_of(240, 120, |x, y| {
            if (x / 30 + y / 30) % 2 == 1 {
                [230, 230, 240, 255]
            } else {
                [30, 60, 200, 255]
            }
        });
        let rgb = rgb_pixels(&frame).unwrap();
        let fast = write(&frame, ColorType::Rgb, &rgb, Compression::Fast).unwrap();
        let balanced = write(&frame, ColorType::Rgb, &rgb, Compression::Balanced).unwrap();
        let out = encode(&frame).unwrap();
        assert_eq!(out.len(), fast.len().min(balanced.len()));
        assert_eq!(decoded(&out), frame.pixels());
    }
}
