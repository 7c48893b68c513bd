//! Full-size JPEG decoding straight into RGBA8. Through `image`, zune-jpeg writes RGB and
//! `into_rgba8` copies that into a second buffer: for 12 MP that is 36 MB more at the peak
//! and one more pass over every pixel.

use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use crate::error::Result;
use crate::frame::{rgba_len, try_zeroed, Frame};

/// The JPEG as RGBA8 with zune-jpeg's lenient settings (those `image` uses), sides at most
/// `max_side` and pixels within `max_bytes`; `None` for colour models other than YCbCr / RGB
/// and for any decoding error: the caller then decodes through `image`, which also reports
/// errors the usual way.
pub fn decode(bytes: &[u8], max_side: u32, max_bytes: u64) -> Result<Option<Frame>> {
    let Some((w, h, rgba)) = decode_as(bytes, max_side, max_bytes, ColorSpace::RGBA)? else {
        return Ok(None);
    };
    Frame::from_rgba(w, h, rgba).map(Some)
}

/// A four-channel CMYK JPEG's samples as stored (`w`, `h`, 4 bytes a pixel, an RGBA frame's
/// size), for `codec::colour` to convert; `None` as for [`decode`]. A YCCK JPEG (Adobe
/// transform 2) gives the CMYK that libjpeg's `ycck_cmyk_convert` makes of it.
pub fn decode_cmyk(
    bytes: &[u8],
    max_side: u32,
    max_bytes: u64,
) -> Result<Option<(u32, u32, Vec<u8>)>> {
    if let Some(cmyk) = decode_as(bytes, max_side, max_bytes, ColorSpace::CMYK)? {
        return Ok(Some(cmyk));
    }
    let Some((w, h, mut samples)) = decode_as(bytes, max_side, max_bytes, ColorSpace::YCCK)? else {
        return Ok(None);
    };
    samples.chunks_exact_mut(4).for_each(ycck_to_cmyk);
    Ok(Some((w, h, samples)))
}

/// One YCCK pixel to CMYK as libjpeg does: YCbCr to RGB (BT.601, full range), each
/// inverted; K as it is.
fn ycck_to_cmyk(px: &mut [u8]) {
    if let [c, m, y, _] = px {
        let (luma, cb, cr) = (f32::from(*c), f32::from(*m) - 128.0, f32::from(*y) - 128.0);
        let inverted = |v: f32| 255 - v.round().clamp(0.0, 255.0) as u8;
        (*c, *m, *y) = (
            inverted(luma + 1.402 * cr),
            inverted(luma - 0.344_136 * cb - 0.714_136 * cr),
            inverted(luma + 1.772 * cb),
        );
    }
}

/// A three-component JPEG's samples as stored, without the YCbCr → RGB step (`w`, `h`, 3
/// bytes a pixel): for a TIFF whose ReferenceBlackWhite changes that step.
pub fn decode_ycbcr(
    bytes: &[u8],
    max_side: u32,
    max_bytes: u64,
) -> Result<Option<(u32, u32, Vec<u8>)>> {
    decode_as(bytes, max_side, max_bytes, ColorSpace::YCbCr)
}

/// Decodes into `out` (RGBA or YCbCr from YCbCr, RGBA from RGB, CMYK from CMYK, or YCCK
/// from YCCK).
fn decode_as(
    bytes: &[u8],
    max_side: u32,
    max_bytes: u64,
    out: ColorSpace,
) -> Result<Option<(u32, u32, Vec<u8>)>> {
    let side = usize::try_from(max_side).unwrap_or(usize::MAX);
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(side)
        .set_max_height(side)
        .jpeg_set_out_colorspace(out);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let accepted = match (decoder.decode_headers(), decoder.input_colorspace()) {
        (Ok(()), Some(ColorSpace::YCbCr)) => matches!(out, ColorSpace::RGBA | ColorSpace::YCbCr),
        (Ok(()), Some(ColorSpace::RGB)) => out == ColorSpace::RGBA,
        (Ok(()), Some(ColorSpace::CMYK)) => out == ColorSpace::CMYK,
        (Ok(()), Some(ColorSpace::YCCK)) => out == ColorSpace::YCCK,
        _ => false,
    };
    if !accepted {
        return Ok(None);
    }
    let Some((w, h)) = decoder.dimensions() else {
        return Ok(None);
    };
    let (Ok(w), Ok(h)) = (u32::try_from(w), u32::try_from(h)) else {
        return Ok(None);
    };
    let len = rgba_len(w, h)? / 4 * out.num_components();
    let fits = u64::try_from(len).is_ok_and(|len| len <= max_bytes);
    if !fits || decoder.output_buffer_size() != Some(len) {
        return Ok(None);
    }
    let mut pixels = try_zeroed(len)?;
    if decoder.decode_into(&mut pixels).is_err() {
        return Ok(None);
    }
    Ok(Some((w, h, pixels)))
}
