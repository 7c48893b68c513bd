//! Shrink-on-load for JPEG, the trick libvips and sharp use for thumbnails: when the first
//! resize shrinks the picture anyway, decode it at 1/2, 1/4 or 1/8 of its stored size in
//! the DCT domain (a reduced IDCT per block), so a 12 MP photo never exists at full size.
//! The exact Lanczos resize still makes the size the spec asks for.

use jpeg_decoder::{Decoder, PixelFormat};

use crate::error::Result;
use crate::frame::{rgba_len, try_zeroed, Frame};

/// How many times over the reduced decode must still cover the resize's target: the final
/// Lanczos pass keeps at least a 2× shrink of its own, as libvips' `thumbnail` does, so the
/// result stays as sharp as from a full decode.
const KEEP_FOR_RESIZE: u32 = 2;

/// The largest DCT scale denominator (1, 2, 4 or 8) that still leaves a `width × height`
/// JPEG at least `KEEP_FOR_RESIZE` times the `min_w × min_h` the resize samples down to.
pub fn scale_denominator(width: u32, height: u32, min_w: u32, min_h: u32) -> u32 {
    let covers = |d: u32| {
        let enough = |side: u32, min: u32| {
            min.checked_mul(KEEP_FOR_RESIZE)
                .is_some_and(|need| side.div_ceil(d) >= need)
        };
        enough(width, min_w) && enough(height, min_h)
    };
    [8, 4, 2].into_iter().find(|&d| covers(d)).unwrap_or(1)
}

/// The `width × height` JPEG decoded at 1/`denominator` scale (sides rounded up, as the
/// IDCT does) as RGBA8, or `None` when this decoder does not take the file (CMYK, 16-bit,
/// a header that disagrees with `width × height`, a stream it rejects): the caller then
/// decodes at full size, which also reports any error the usual way.
pub fn decode(
    bytes: &[u8],
    (width, height): (u32, u32),
    denominator: u32,
    max_alloc: u64,
) -> Result<Option<Frame>> {
    let mut decoder = Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(usize::try_from(max_alloc).unwrap_or(usize::MAX));
    if decoder.read_info().is_err() {
        return Ok(None);
    }
    let Some(info) = decoder.info() else {
        return Ok(None);
    };
    let channels = match info.pixel_format {
        PixelFormat::RGB24 => 3,
        PixelFormat::L8 => 1,
        PixelFormat::L16 | PixelFormat::CMYK32 => return Ok(None),
    };
    if (u32::from(info.width), u32::from(info.height)) != (width, height) || denominator == 0 {
        return Ok(None);
    }
    let (sw, sh) = (width.div_ceil(denominator), height.div_ceil(denominator));
    let (Ok(rw), Ok(rh)) = (u16::try_from(sw), u16::try_from(sh)) else {
        return Ok(None);
    };
    if decoder.scale(rw, rh).ok() != Some((rw, rh)) {
        return Ok(None);
    }
    let Ok(pixels) = decoder.decode() else {
        return Ok(None);
    };
    let mut rgba = try_zeroed(rgba_len(sw, sh)?)?;
    if pixels.len().checked_mul(4) != rgba.len().checked_mul(channels) {
        return Ok(None);
    }
    if channels == 3 {
        for (out, px) in rgba.chunks_exact_mut(4).zip(pixels.chunks_exact(3)) {
            if let ([r, g, b, a], [pr, pg, pb]) = (out, px) {
                (*r, *g, *b, *a) = (*pr, *pg, *pb, 255);
            }
        }
    } else {
        for (out, &v) in rgba.chunks_exact_mut(4).zip(&pixels) {
            out.copy_from_slice(&[v, v, v, 255]);
        }
    }
    Frame::from_rgba(sw, sh, rgba).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denominator_leaves_twice_the_target() {
        // 4000×3000 → 300×225: 1/4 gives 1000×750 ≥ 600×450; 1/8 (500×375) would not.
        assert_eq!(scale_denominator(4000, 3000, 300, 225), 4);
        assert_eq!(scale_denominator(4000, 3000, 250, 187), 8);
        assert_eq!(scale_denominator(4000, 3000, 1000, 750), 2);
        // A 2× shrink leaves nothing for the DCT.
        assert_eq!(scale_denominator(4000, 3000, 2000, 1500), 1);
        // Rounded-up sides count: ceil(1001 / 2) = 501 ≥ 2 · 250.
        assert_eq!(scale_denominator(1001, 1001, 250, 250), 2);
        assert_eq!(scale_denominator(1000, 1000, 251, 1), 1);
        assert_eq!(scale_denominator(u32::MAX, u32::MAX, u32::MAX, 1), 1);
    }
}
