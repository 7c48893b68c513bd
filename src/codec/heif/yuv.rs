//! A decoded [`YuvPicture`] (8-, 10- or 12-bit; 4:2:0, 4:2:2, 4:4:4 or monochrome) to RGBA8,
//! by the matrix and range of its CICP (ITU-T H.273): BT.601, BT.709, BT.2020 NCL, FCC,
//! SMPTE 240 and identity (GBR); chroma is upsampled by its nearest sample. An alpha
//! picture's luma becomes the A channel. Pictures land at an offset in a larger canvas
//! (a grid's tiles), clipped to it.

use super::picture::{Chroma, Cicp, Samples, YuvPicture};

/// Where a picture goes: an RGBA8 canvas `width` pixels wide and the picture's top-left
/// corner in it.
pub(super) struct Place<'a> {
    pub canvas: &'a mut [u8],
    pub width: u32,
    pub height: u32,
    pub left: u32,
    pub top: u32,
}

/// `(Kr, Kb)` of a CICP matrix; `None` for identity (GBR).
fn coefficients(matrix: u8) -> Option<(f32, f32)> {
    Some(match matrix {
        0 => return None,
        1 => (0.2126, 0.0722),
        4 => (0.30, 0.11),
        7 => (0.212, 0.087),
        9 | 10 => (0.2627, 0.0593),
        // 5, 6 (BT.601) and 2 (unspecified), as libheif and libavif take it.
        _ => (0.299, 0.114),
    })
}

/// Sample scaling: `(value − offset) × scale` gives luma in 0..=1 and chroma in −½..=½.
struct Range {
    y_off: f32,
    y_scale: f32,
    c_off: f32,
    c_scale: f32,
}

fn range(depth: u8, full: bool) -> Range {
    let unit = f32::from(1u16 << (depth.clamp(8, 16) - 8));
    let max = f32::from(u16::try_from((1u32 << depth.clamp(8, 16)) - 1).unwrap_or(u16::MAX));
    if full {
        Range {
            y_off: 0.0,
            y_scale: 1.0 / max,
            c_off: 128.0 * unit,
            c_scale: 1.0 / max,
        }
    } else {
        Range {
            y_off: 16.0 * unit,
            y_scale: 1.0 / (219.0 * unit),
            c_off: 128.0 * unit,
            c_scale: 1.0 / (224.0 * unit),
        }
    }
}

fn to_u8(v: f32) -> u8 {
    (v * 255.0 + 0.5).clamp(0.0, 255.0) as u8
}

/// The rows and columns of `pic` that fall inside the canvas.
fn visible(pic: &YuvPicture, place: &Place<'_>) -> (usize, usize) {
    let w = place.width.saturating_sub(place.left).min(pic.width);
    let h = place.height.saturating_sub(place.top).min(pic.height);
    (w as usize, h as usize)
}

/// Reads sample `i` of plane `p` as u16 (0 when out of range: a plane is never short once
/// its geometry was checked, and a wrong pixel beats a panic).
fn sample(s: &Samples, p: usize, i: usize) -> u16 {
    match s {
        Samples::U8(planes) => planes
            .get(p)
            .and_then(|pl| pl.get(i))
            .map_or(0, |&v| u16::from(v)),
        Samples::U16(planes) => planes.get(p).and_then(|pl| pl.get(i)).copied().unwrap_or(0),
    }
}

/// Writes `pic`'s colour into the RGB of the canvas at its place (alpha set opaque).
pub(super) fn colour_into(pic: &YuvPicture, cicp: Cicp, place: &mut Place<'_>) {
    let (vw, vh) = visible(pic, place);
    let r = range(pic.bit_depth, cicp.full_range);
    let k = coefficients(cicp.matrix);
    let (sx, sy) = match pic.chroma {
        Chroma::Yuv420 => (1, 1),
        Chroma::Yuv422 => (1, 0),
        Chroma::Yuv444 | Chroma::Monochrome => (0, 0),
    };
    let cw = (pic.width as usize).div_ceil(1 << sx);
    let pw = pic.width as usize;
    let canvas_w = place.width as usize;
    for y in 0..vh {
        let out_row = (place.top as usize + y) * canvas_w + place.left as usize;
        let Some(out) = place.canvas.get_mut(out_row * 4..(out_row + vw) * 4) else {
            return;
        };
        let crow = (y >> sy) * cw;
        for (x, px) in out.chunks_exact_mut(4).enumerate() {
            let yv = (f32::from(sample(&pic.samples, 0, y * pw + x)) - r.y_off) * r.y_scale;
            let rgb = if pic.chroma == Chroma::Monochrome {
                let v = to_u8(yv);
                [v, v, v]
            } else {
                let ci = crow + (x >> sx);
                let cb = (f32::from(sample(&pic.samples, 1, ci)) - r.c_off) * r.c_scale;
                let cr = (f32::from(sample(&pic.samples, 2, ci)) - r.c_off) * r.c_scale;
                match k {
                    Some((kr, kb)) => {
                        let kg = 1.0 - kr - kb;
                        [
                            to_u8(yv + 2.0 * (1.0 - kr) * cr),
                            to_u8(
                                yv - (2.0 * kb * (1.0 - kb) / kg) * cb
                                    - (2.0 * kr * (1.0 - kr) / kg) * cr,
                            ),
                            to_u8(yv + 2.0 * (1.0 - kb) * cb),
                        ]
                    }
                    // Identity: G = Y, B = Cb, R = Cr, each scaled like luma.
                    None => {
                        let g = |v: f32| to_u8((v / r.c_scale + r.c_off - r.y_off) * r.y_scale);
                        [g(cr), to_u8(yv), g(cb)]
                    }
                }
            };
            px.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
        }
    }
}

/// Writes `pic`'s luma (an alpha plane, `full_range` per its own bitstream) into the A of
/// the canvas at its place.
pub(super) fn alpha_into(pic: &YuvPicture, full_range: bool, place: &mut Place<'_>) {
    let (vw, vh) = visible(pic, place);
    let r = range(pic.bit_depth, full_range);
    let pw = pic.width as usize;
    let canvas_w = place.width as usize;
    for y in 0..vh {
        let out_row = (place.top as usize + y) * canvas_w + place.left as usize;
        let Some(out) = place.canvas.get_mut(out_row * 4..(out_row + vw) * 4) else {
            return;
        };
        for (x, px) in out.chunks_exact_mut(4).enumerate() {
            let a = (f32::from(sample(&pic.samples, 0, y * pw + x)) - r.y_off) * r.y_scale;
            if let Some(dst) = px.get_mut(3) {
                *dst = to_u8(a);
            }
        }
    }
}

/// Undoes premultiplied alpha (an `iref` of type `prem`).
pub(super) fn unpremultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        if let [r, g, b, a] = px {
            if *a != 0 && *a != 255 {
                let f = |c: u8| {
                    ((u32::from(c) * 255 + u32::from(*a) / 2) / u32::from(*a)).min(255) as u8
                };
                (*r, *g, *b) = (f(*r), f(*g), f(*b));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pic(depth: u8, chroma: Chroma, y: u16, cb: u16, cr: u16) -> YuvPicture {
        let c = if chroma == Chroma::Monochrome { 0 } else { 4 };
        let samples = if depth == 8 {
            Samples::U8([vec![y as u8; 4], vec![cb as u8; c], vec![cr as u8; c]])
        } else {
            Samples::U16([vec![y; 4], vec![cb; c], vec![cr; c]])
        };
        YuvPicture {
            width: 2,
            height: 2,
            bit_depth: depth,
            chroma,
            samples,
            cicp: None,
        }
    }

    fn convert(p: &YuvPicture, matrix: u8, full: bool) -> [u8; 4] {
        let mut canvas = vec![0u8; 16];
        let cicp = Cicp {
            primaries: 1,
            transfer: 13,
            matrix,
            full_range: full,
        };
        let mut place = Place {
            canvas: &mut canvas,
            width: 2,
            height: 2,
            left: 0,
            top: 0,
        };
        colour_into(p, cicp, &mut place);
        canvas[12..16].try_into().unwrap()
    }

    #[test]
    fn limited_and_full_range_greys() {
        let p = pic(8, Chroma::Yuv420, 235, 128, 128);
        assert_eq!(convert(&p, 6, false), [255, 255, 255, 255]);
        let p = pic(8, Chroma::Yuv420, 16, 128, 128);
        assert_eq!(convert(&p, 6, false), [0, 0, 0, 255]);
        assert_eq!(convert(&p, 6, true), [16, 16, 16, 255]);
        let p = pic(10, Chroma::Yuv444, 940, 512, 512);
        assert_eq!(convert(&p, 1, false), [255, 255, 255, 255]);
        let p = pic(12, Chroma::Monochrome, 4095, 0, 0);
        assert_eq!(convert(&p, 1, true), [255, 255, 255, 255]);
    }

    #[test]
    fn bt601_and_bt709_red() {
        // Full-range BT.601 red: Y 76, Cb 85, Cr 255.
        let p = pic(8, Chroma::Yuv444, 76, 85, 255);
        let [r, g, b, _] = convert(&p, 6, true);
        assert!(r >= 253 && g <= 2 && b <= 2, "{r} {g} {b}");
        // Limited-range BT.709 red: Y 63, Cb 102, Cr 240.
        let p = pic(8, Chroma::Yuv422, 63, 102, 240);
        let [r, g, b, _] = convert(&p, 1, false);
        assert!(r >= 253 && g <= 2 && b <= 2, "{r} {g} {b}");
    }

    #[test]
    fn identity_is_gbr() {
        let p = pic(8, Chroma::Yuv444, 10, 20, 30);
        assert_eq!(convert(&p, 0, true), [30, 10, 20, 255]);
    }

    #[test]
    fn alpha_and_clipping() {
        let p = pic(8, Chroma::Monochrome, 235, 0, 0);
        let mut canvas = vec![0u8; 4 * 3];
        let mut place = Place {
            canvas: &mut canvas,
            width: 3,
            height: 1,
            left: 2,
            top: 0,
        };
        alpha_into(&p, false, &mut place);
        assert_eq!(canvas, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255]);
        let mut px = [100, 50, 0, 128];
        unpremultiply(&mut px);
        assert_eq!(px, [199, 100, 0, 128]);
    }
}
