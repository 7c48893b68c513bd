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

impl<'a> Place<'a> {
    /// The whole of a `width × height` canvas.
    #[cfg(feature = "avif")]
    pub fn whole(canvas: &'a mut [u8], width: u32, height: u32) -> Self {
        Place {
            canvas,
            width,
            height,
            left: 0,
            top: 0,
        }
    }
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
    match &pic.samples {
        Samples::U8([y, cb, cr]) => convert(pic, [y, cb, cr], cicp, place),
        Samples::U16([y, cb, cr]) => convert(pic, [y, cb, cr], cicp, place),
    }
}

/// Per-sample tables, in output levels (0..=255 before clamping): luma; Cr → R; Cb → G;
/// Cr → G; Cb → B. For identity (GBR) the chroma tables hold R and B as luma-like levels.
struct Tables {
    y: Vec<f32>,
    r_cr: Vec<f32>,
    g_cb: Vec<f32>,
    g_cr: Vec<f32>,
    b_cb: Vec<f32>,
}

fn tables(depth: u8, cicp: Cicp) -> Tables {
    let r = range(depth, cicp.full_range);
    let n = 1usize << depth.clamp(8, 16);
    let levels = |f: &dyn Fn(f32) -> f32| (0..n).map(|v| f(v as f32) * 255.0).collect::<Vec<f32>>();
    let y = levels(&|v| (v - r.y_off) * r.y_scale);
    let c = |v: f32| (v - r.c_off) * r.c_scale;
    match coefficients(cicp.matrix) {
        Some((kr, kb)) => {
            let kg = 1.0 - kr - kb;
            Tables {
                y,
                r_cr: levels(&|v| 2.0 * (1.0 - kr) * c(v)),
                g_cb: levels(&|v| -(2.0 * kb * (1.0 - kb) / kg) * c(v)),
                g_cr: levels(&|v| -(2.0 * kr * (1.0 - kr) / kg) * c(v)),
                b_cb: levels(&|v| 2.0 * (1.0 - kb) * c(v)),
            }
        }
        None => Tables {
            r_cr: y.clone(),
            b_cb: y.clone(),
            g_cb: Vec::new(),
            g_cr: Vec::new(),
            y,
        },
    }
}

fn level(v: f32) -> u8 {
    (v + 0.5).clamp(0.0, 255.0) as u8
}

/// Table entry `v`, 0 for a sample past the bit depth (a decoder never gives one).
fn at<T: Copy + Into<usize>>(table: &[f32], v: T) -> f32 {
    table.get(v.into()).copied().unwrap_or(0.0)
}

fn convert<T: Copy + Into<usize>>(
    pic: &YuvPicture,
    [yp, cbp, crp]: [&Vec<T>; 3],
    cicp: Cicp,
    place: &mut Place<'_>,
) {
    let (vw, vh) = visible(pic, place);
    let t = tables(pic.bit_depth, cicp);
    let identity = coefficients(cicp.matrix).is_none();
    let (sx, sy) = match pic.chroma {
        Chroma::Yuv420 => (1, 1),
        Chroma::Yuv422 => (1, 0),
        Chroma::Yuv444 | Chroma::Monochrome => (0, 0),
    };
    let pw = pic.width as usize;
    let cw = pw.div_ceil(1 << sx);
    let canvas_w = place.width as usize;
    for y in 0..vh {
        let out_row = (place.top as usize + y) * canvas_w + place.left as usize;
        let (Some(out), Some(luma)) = (
            place.canvas.get_mut(out_row * 4..(out_row + vw) * 4),
            yp.get(y * pw..y * pw + vw),
        ) else {
            return;
        };
        if pic.chroma == Chroma::Monochrome {
            for (px, &l) in out.chunks_exact_mut(4).zip(luma) {
                let v = level(at(&t.y, l));
                px.copy_from_slice(&[v, v, v, 255]);
            }
            continue;
        }
        let crow = (y >> sy) * cw;
        let (Some(cb), Some(cr)) = (cbp.get(crow..crow + cw), crp.get(crow..crow + cw)) else {
            return;
        };
        for (x, (px, &l)) in out.chunks_exact_mut(4).zip(luma).enumerate() {
            let (Some(&u), Some(&v)) = (cb.get(x >> sx), cr.get(x >> sx)) else {
                return;
            };
            let rgb = if identity {
                [
                    level(at(&t.r_cr, v)),
                    level(at(&t.y, l)),
                    level(at(&t.b_cb, u)),
                ]
            } else {
                let yy = at(&t.y, l);
                [
                    level(yy + at(&t.r_cr, v)),
                    level(yy + at(&t.g_cb, u) + at(&t.g_cr, v)),
                    level(yy + at(&t.b_cb, u)),
                ]
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
