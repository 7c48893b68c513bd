//! The raster's colour model → RGBA8, as libvips shows each (grey and white-is-zero,
//! RGB, palette, CMYK through `colour::cmyk_to_srgb`, YCbCr; LogLuv comes as linear RGB); a first extra
//! sample is alpha, un-premultiplied when ExtraSamples says "associated".

use super::layout::{Layout, BLACK_IS_ZERO, CMYK, PALETTE, RGB, WHITE_IS_ZERO, YCBCR};
use super::raster::Raster;
use crate::codec::colour;
use crate::error::{Error, Result};
use crate::format::ImageFormat;
use crate::frame::{rgba_len, try_zeroed, Frame};

/// `raster`, whose samples are `photometric`, as an RGBA8 frame. `bytes` is the whole file
/// (CMYK looks up its embedded profile there).
/// `linear`: the samples are linear light (float RGB, which libvips reads as scRGB; LogLuv),
/// encoded with sRGB's curve.
pub(super) fn to_rgba(
    bytes: &[u8],
    l: &Layout<'_>,
    (photometric, linear): (u16, bool),
    raster: &Raster,
) -> Result<Frame> {
    let (w, h) = (raster.width, raster.height);
    let mut out = try_zeroed(rgba_len(w, h)?)?;
    let max = raster.max.max(1);
    let to8 = |v: u32| ((v * 255 + max / 2) / max).min(255) as u8;
    let n = raster.samples;
    let need = |k: usize| {
        if n < k {
            Err(Error::corrupt(format!(
                "TIFF: photometric {photometric} needs {k} samples"
            )))
        } else {
            Ok(())
        }
    };
    let rgb8 = |v: u32| {
        if linear {
            colour::srgb_encode(f64::from(v) / 65535.0)
        } else {
            to8(v)
        }
    };
    let colours = match photometric {
        WHITE_IS_ZERO | BLACK_IS_ZERO => 1,
        PALETTE => {
            need(1)?;
            1
        }
        // LogLuv arrives here as linear RGB (`logluv.rs`); only SGILog-compressed LogLuv
        // is read, any other reaches the refusal below.
        RGB | YCBCR => {
            need(3)?;
            3
        }
        CMYK => {
            need(4)?;
            4
        }
        other => {
            return Err(Error::corrupt(format!(
                "TIFF photometric {other} is not supported"
            )))
        }
    };
    let alpha = (n > colours).then_some(colours);
    let palette = if photometric == PALETTE {
        Some(Palette::new(l)?)
    } else {
        None
    };
    for (i, px) in out.chunks_exact_mut(4).enumerate() {
        let s = |k: usize| raster.get(i, k);
        let rgba: [u8; 4] = match photometric {
            WHITE_IS_ZERO => {
                let g = 255 - to8(s(0));
                [g, g, g, 255]
            }
            BLACK_IS_ZERO => {
                let g = rgb8(s(0));
                [g, g, g, 255]
            }
            PALETTE => palette.as_ref().map_or([0, 0, 0, 255], |p| p.colour(s(0))),
            RGB => [rgb8(s(0)), rgb8(s(1)), rgb8(s(2)), 255],
            YCBCR => ycbcr([s(0), s(1), s(2)].map(to8), &l.reference_black_white),
            CMYK => [to8(s(0)), to8(s(1)), to8(s(2)), to8(s(3))],
            _ => [0, 0, 0, 255], // refused above
        };
        px.copy_from_slice(&rgba);
    }
    if photometric == CMYK {
        colour::cmyk_to_srgb(bytes, ImageFormat::Tiff, &mut out);
    }
    if let Some(a) = alpha {
        let associated = l.extra == Some(1);
        for (i, px) in out.chunks_exact_mut(4).enumerate() {
            let alpha = to8(raster.get(i, a));
            if let Some(p) = px.get_mut(3) {
                *p = alpha;
            }
            if associated && alpha > 0 && alpha < 255 {
                for c in px.iter_mut().take(3) {
                    *c = ((u32::from(*c) * 255 + u32::from(alpha) / 2) / u32::from(alpha)).min(255)
                        as u8;
                }
            }
        }
    }
    Frame::from_rgba(w, h, out)
}

/// YCbCr to RGB: ITU-R BT.601 coefficients, the codes scaled by ReferenceBlackWhite as
/// TIFF 6.0 section 21 (and libtiff's `TIFFYCbCrToRGBInit`) say: black to white is 0 to 255
/// of Y, and chroma zero to extreme is 0 to 127.
fn ycbcr([y, cb, cr]: [u8; 3], rbw: &[f32; 6]) -> [u8; 4] {
    let [black, white, cb_zero, cb_top, cr_zero, cr_top] = *rbw;
    let scale =
        |v: u8, zero: f32, top: f32, range: f32| (f32::from(v) - zero) * range / (top - zero);
    let y = scale(y, black, white, 255.0);
    let (cb, cr) = (
        scale(cb, cb_zero, cb_top, 127.0),
        scale(cr, cr_zero, cr_top, 127.0),
    );
    let c = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    [
        c(y + 1.402 * cr),
        c(y - 0.344_136 * cb - 0.714_136 * cr),
        c(y + 1.772 * cb),
        255,
    ]
}

/// A TIFF colour map: 2^bits reds, then greens, then blues, 16 bits each. Like libtiff
/// (and libvips), a map whose values all fit 8 bits is taken as an old 8-bit map.
struct Palette<'m> {
    map: &'m [u16],
    entries: usize,
    shift: u32,
}

impl<'m> Palette<'m> {
    fn new(l: &'m Layout<'_>) -> Result<Self> {
        let entries = 1usize
            .checked_shl(u32::from(l.bits))
            .filter(|_| l.bits <= 16)
            .ok_or_else(|| Error::corrupt("TIFF: palette too deep"))?;
        if l.colour_map.len() < entries * 3 {
            return Err(Error::corrupt("TIFF: the colour map is missing or short"));
        }
        let shift = if l.colour_map.iter().all(|&v| v < 256) {
            0
        } else {
            8
        };
        Ok(Palette {
            map: &l.colour_map,
            entries,
            shift,
        })
    }

    fn colour(&self, index: u32) -> [u8; 4] {
        let at = |k: usize| {
            let v = self
                .map
                .get(k * self.entries + index as usize)
                .copied()
                .unwrap_or(0);
            (v >> self.shift) as u8
        };
        [at(0), at(1), at(2), 255]
    }
}
