//! `rotate,<degrees>`: clockwise rotation (spec/rotate.md).

use std::fmt;

use super::auto_orient::orient;
use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::frame::{rgba_len, try_zeroed, Frame};
use crate::spec::Params;

/// A clockwise rotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rotate {
    /// Clockwise angle in `0..360`; `rotate,360` is stored as 0 because it behaves like 0.
    pub degrees: u16,
}

impl Parse for Rotate {
    const NAME: &'static str = "rotate";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(Some("0040-00000216"), "The action rotate needs a value.");
        // The keyed form `a_90` is not a number either, so it fails here too.
        let degrees = params.single_int(missing, 0..=360, Some("0040-00000217"))?;
        Ok(Rotate {
            degrees: (degrees % 360) as u16,
        })
    }
}

impl fmt::Display for Rotate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.degrees)
    }
}

impl Rotate {
    /// The canvas that holds a `width×height` image turned by this angle (rotate.md):
    /// right angles keep or swap the sides, other angles grow to the rotated bounding box.
    pub fn output_size(&self, width: u32, height: u32) -> (u32, u32) {
        match self.degrees {
            0 | 180 => (width, height),
            90 | 270 => (height, width),
            degrees => {
                let (sin, cos) = f64::from(degrees).to_radians().sin_cos();
                let (sin, cos) = (sin.abs(), cos.abs());
                let (w, h) = (f64::from(width), f64::from(height));
                // `as` saturates; the output limit check rejects what is too large.
                (
                    (w * cos + h * sin).round() as u32,
                    (w * sin + h * cos).round() as u32,
                )
            }
        }
    }

    /// The EXIF orientation whose pixel permutation is this right-angle turn.
    fn as_orientation(&self) -> Option<u8> {
        match self.degrees {
            90 => Some(6),
            180 => Some(3),
            270 => Some(8),
            _ => None,
        }
    }

    /// `frame` turned about its centre onto a `width×height` canvas: bilinear, with the
    /// exposed canvas transparent.
    pub(crate) fn rotate_frame(&self, frame: &Frame, width: u32, height: u32) -> Result<Frame> {
        if width == 0 || height == 0 {
            return Err(Error::internal("rotation onto an empty canvas"));
        }
        let mut pixels = try_zeroed(rgba_len(width, height)?)?;
        let (sin, cos) = f64::from(self.degrees).to_radians().sin_cos();
        let (sin, cos) = (sin as f32, cos as f32);
        let (sw, sh) = (frame.width() as f32, frame.height() as f32);
        // Each output pixel centre, taken relative to the canvas centre, is turned back
        // (counter-clockwise) about the source centre; -0.5 makes it a pixel index. Along
        // a row the source position moves by (cos, -sin) per pixel.
        let du = 0.5 - width as f32 / 2.0;
        let stride = width as usize * 4;
        // Square tiles keep the source reads of the slanted walk within the cache.
        let bands = pixels.chunks_mut(stride.saturating_mul(TILE as usize));
        for (rows, band_top) in bands.zip((0..height).step_by(TILE as usize)) {
            for tile_left in (0..width).step_by(TILE as usize) {
                let tile_right = tile_left.saturating_add(TILE).min(width);
                for (v, row) in (band_top..).zip(rows.chunks_exact_mut(stride)) {
                    let dv = v as f32 + 0.5 - height as f32 / 2.0;
                    let x0 = sw / 2.0 - 0.5 + du * cos + dv * sin;
                    let y0 = sh / 2.0 - 0.5 - du * sin + dv * cos;
                    // Only pixels that can see the source are sampled; the rest stay zero.
                    let (a, b) = (span(x0, cos, sw, width), span(y0, -sin, sh, width));
                    let first = a.0.max(b.0).max(tile_left);
                    let last = a.1.min(b.1).min(tile_right);
                    let Some(row) = row.get_mut(first as usize * 4..last as usize * 4) else {
                        continue;
                    };
                    for (u, px) in (first..).zip(row.chunks_exact_mut(4)) {
                        let u = u as f32;
                        px.copy_from_slice(&bilinear(frame, x0 + u * cos, y0 - u * sin));
                    }
                }
            }
        }
        Frame::from_rgba(width, height, pixels)
    }
}

/// Side of the square blocks in which the canvas is filled.
const TILE: u32 = 64;

/// The range of `u` in `0..count` for which `start + u * step` may fall in (-1, len), one
/// pixel wider at each end than the exact solution (`bilinear` checks the bounds itself).
/// A zero step would divide to ±inf, which the clamp turns into all or nothing.
fn span(start: f32, step: f32, len: f32, count: u32) -> (u32, u32) {
    let (t1, t2) = ((-1.0 - start) / step, (len - start) / step);
    let clamp = |t: f32| t.clamp(0.0, count as f32) as u32;
    (clamp(t1.min(t2) - 1.0), clamp(t1.max(t2) + 2.0))
}

/// The colour at pixel-index position (`x`, `y`), interpolated from the four nearest
/// pixels with premultiplied alpha. Pixels beyond the edge count as transparent, which
/// anti-aliases the rotated edges.
fn bilinear(frame: &Frame, x: f32, y: f32) -> [u8; 4] {
    let (w, h) = (frame.width() as f32, frame.height() as f32);
    // Written so that NaN also lands outside.
    if !(x > -1.0 && y > -1.0 && x < w && y < h) {
        return [0; 4];
    }
    // Both are above -1, so truncating one more is the floor (cheaper than `floor`).
    let (xi, yi) = ((x + 1.0) as i64 - 1, (y + 1.0) as i64 - 1);
    // 8-bit fractions: the four weights are products that add up to exactly 65536.
    let fx = (((x - xi as f32) * 256.0) as u32).min(256);
    let fy = (((y - yi as f32) * 256.0) as u32).min(256);
    let weights = [
        (256 - fx) * (256 - fy),
        fx * (256 - fy),
        (256 - fx) * fy,
        fx * fy,
    ];
    let quad = neighbours(frame, xi, yi);
    if quad.iter().all(|p| p[3] == 255) {
        // Opaque: premultiplying changes nothing.
        let mut acc = [1 << 15; 3];
        for (p, wt) in quad.iter().zip(weights) {
            for (a, &c) in acc.iter_mut().zip(p) {
                *a += u32::from(c) * wt;
            }
        }
        let [r, g, b] = acc.map(|c| (c >> 16) as u8);
        return [r, g, b, 255];
    }
    let mut acc = [0u64; 4];
    for (&[r, g, b, a], wt) in quad.iter().zip(weights) {
        let a = u64::from(a) * u64::from(wt);
        acc[0] += u64::from(r) * a;
        acc[1] += u64::from(g) * a;
        acc[2] += u64::from(b) * a;
        acc[3] += a;
    }
    let [r, g, b, a] = acc;
    if a == 0 {
        return [0; 4];
    }
    // Un-premultiply, rounding to nearest; every quotient is at most 255.
    let unmul = |c: u64| ((c + a / 2) / a) as u8;
    [unmul(r), unmul(g), unmul(b), ((a + (1 << 15)) >> 16) as u8]
}

/// Pixels (x, y), (x+1, y), (x, y+1), (x+1, y+1); those outside the frame are transparent.
fn neighbours(frame: &Frame, x: i64, y: i64) -> [[u8; 4]; 4] {
    let stride = frame.width() as usize * 4;
    if let (Ok(xu), Ok(yu)) = (usize::try_from(x), usize::try_from(y)) {
        let i = yu * stride + xu * 4;
        // Inside on all sides: two 8-byte reads instead of four checked ones.
        if x + 1 < i64::from(frame.width()) {
            let rows = frame
                .pixels()
                .get(i..i + 8)
                .zip(frame.pixels().get(i + stride..i + stride + 8));
            if let Some((top, bottom)) = rows {
                let px = |s: &[u8], at: usize| -> [u8; 4] {
                    s.get(at..at + 4)
                        .and_then(|p| p.try_into().ok())
                        .unwrap_or([0; 4])
                };
                return [px(top, 0), px(top, 4), px(bottom, 0), px(bottom, 4)];
            }
        }
    }
    let at = |dx: i64, dy: i64| pixel(frame, x + dx, y + dy).copied().unwrap_or([0; 4]);
    [at(0, 0), at(1, 0), at(0, 1), at(1, 1)]
}

/// The RGBA of pixel (`x`, `y`), or `None` outside the frame.
fn pixel(frame: &Frame, x: i64, y: i64) -> Option<&[u8; 4]> {
    let x = u32::try_from(x).ok().filter(|&x| x < frame.width())?;
    let y = u32::try_from(y).ok().filter(|&y| y < frame.height())?;
    let i = (y as usize * frame.width() as usize + x as usize) * 4;
    frame.pixels().get(i..i + 4)?.try_into().ok()
}

impl Op for Rotate {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        // The limit binds the source object, not the image at this step (rotate.md Q1),
        // unless the host asked for the lenient reading.
        let (w, h) = if cx.options.lenient_rotate_limit {
            (cx.image.width(), cx.image.height())
        } else {
            (cx.source.width, cx.source.height)
        };
        cx.limits().check_rotate_source(w, h)?;
        if self.degrees == 0 {
            return Ok(());
        }
        let (width, height) = self.output_size(cx.image.width(), cx.image.height());
        cx.limits().check_output(width, height)?;
        if let Some(orientation) = self.as_orientation() {
            return cx.image.map_frames(|frame| orient(frame, orientation));
        }
        // Other angles grow every frame, up to twice the pixels of a square and far more
        // of a thin strip: all frames together must fit the decode budget.
        let frames = u32::try_from(cx.image.frames().len()).unwrap_or(u32::MAX);
        cx.limits()
            .check_frames_alloc("rotating onto", width, height, frames)?;
        cx.image
            .map_frames(|frame| self.rotate_frame(frame, width, height))?;
        cx.show_cut_areas();
        Ok(())
    }

    /// Every frame is rotated: README §6 keeps the animation (open question G5).
    fn keeps_animation(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Rotate> {
        crate::ops::parse_args(args, true)
    }

    fn rotate(degrees: u16) -> Rotate {
        Rotate { degrees }
    }

    #[test]
    fn worked_examples() {
        // rotate.md examples 1–9 (the chained and pixel rows are about apply).
        for (arg, expected) in [
            ("90", 90),
            ("180", 180),
            ("270", 270),
            ("0", 0),
            ("360", 0),
            ("70", 70),
            ("45", 45),
            ("30", 30),
        ] {
            assert_eq!(parse(&[arg]).unwrap(), rotate(expected), "{arg}");
        }
    }

    #[test]
    fn error_cases() {
        for (args, code, ec) in [
            (&[][..], "InvalidArgument", "0040-00000216"),
            (&["abc"], "InvalidArgument", "0040-00000217"),
            (&["400"], "InvalidArgument", "0040-00000217"),
            (&["361"], "InvalidArgument", "0040-00000217"),
            (&["-90"], "InvalidArgument", "0040-00000217"),
            (&["45.5"], "InvalidArgument", "0040-00000217"),
            (&["a_90"], "InvalidArgument", "0040-00000217"),
            (&["+90"], "InvalidArgument", "0040-00000217"),
            (
                &["99999999999999999999"],
                "InvalidArgument",
                "0040-00000217",
            ),
            (&["90", "200", "300"], "InvalidArgument", "0040-00000203"),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, Some(ec)), "{args:?}");
        }
    }

    #[test]
    fn canonical_round_trip() {
        for arg in ["0", "90", "0090", "359", "360"] {
            let v = parse(&[arg]).unwrap();
            let s = v.to_string();
            assert_eq!(parse(&[&s]).unwrap(), v, "{arg}");
        }
        assert_eq!(parse(&["0090"]).unwrap().to_string(), "90");
        assert_eq!(
            parse(&["360"]).unwrap().to_string(),
            parse(&["0"]).unwrap().to_string()
        );
    }

    #[test]
    fn keeps_animation() {
        assert!(rotate(90).keeps_animation());
    }

    #[test]
    fn output_sizes_of_the_worked_examples() {
        // rotate.md examples 1–11: (#, value, source, expected, tolerance the spec allows).
        for (n, arg, (w, h), (ew, eh), tolerance) in [
            (1, "90", (2500, 1875), (1875, 2500), 0),
            (2, "180", (2500, 1875), (2500, 1875), 0),
            (3, "270", (2500, 1875), (1875, 2500), 0),
            (4, "0", (2500, 1875), (2500, 1875), 0),
            (5, "360", (2500, 1875), (2500, 1875), 0),
            (6, "70", (2500, 1875), (2617, 2991), 1),
            (7, "45", (100, 100), (141, 141), 1),
            (8, "45", (100, 100), (141, 141), 1),
            (9, "30", (400, 200), (446, 373), 1),
            // 10: resize,w_200 has made 2500×1875 into 200×150.
            (10, "90", (200, 150), (150, 200), 0),
            (11, "90", (4096, 4096), (4096, 4096), 0),
        ] {
            let (ow, oh) = parse(&[arg]).unwrap().output_size(w, h);
            assert!(
                ow.abs_diff(ew) <= tolerance && oh.abs_diff(eh) <= tolerance,
                "example {n}: rotate,{arg} on {w}x{h} gave {ow}x{oh}"
            );
        }
    }

    /// A 3×2 frame whose red channel numbers the pixels 0..6 in stored order.
    fn numbered(w: u32, h: u32) -> Frame {
        let px = (0..w * h).flat_map(|i| [i as u8, 0, 0, 255]).collect();
        Frame::from_rgba(w, h, px).unwrap()
    }

    fn reds(f: &Frame) -> Vec<u8> {
        f.pixels().chunks(4).map(|p| p[0]).collect()
    }

    #[test]
    fn right_angles_are_clockwise_permutations() {
        // Stored:  0 1 2     90°:  3 0    180°:  5 4 3    270°:  2 5
        //          3 4 5           4 1           2 1 0           1 4
        //                          5 2                           0 3
        for (degrees, size, expected) in [
            (90, (2, 3), vec![3, 0, 4, 1, 5, 2]),
            (180, (3, 2), vec![5, 4, 3, 2, 1, 0]),
            (270, (2, 3), vec![2, 5, 1, 4, 0, 3]),
        ] {
            let r = rotate(degrees);
            let out = orient(&numbered(3, 2), r.as_orientation().unwrap()).unwrap();
            assert_eq!((out.width(), out.height()), size, "{degrees}");
            assert_eq!(reds(&out), expected, "{degrees}");
        }
        // Example 13: [A, B] turned 90° is A above B.
        let out = orient(&numbered(2, 1), rotate(90).as_orientation().unwrap()).unwrap();
        assert_eq!((out.width(), out.height()), (1, 2));
        assert_eq!(reds(&out), [0, 1]);
        assert_eq!(rotate(45).as_orientation(), None);
    }

    fn turned(frame: &Frame, degrees: u16) -> Frame {
        let r = rotate(degrees);
        let (w, h) = r.output_size(frame.width(), frame.height());
        r.rotate_frame(frame, w, h).unwrap()
    }

    #[test]
    fn other_angles_are_anti_aliased_without_dark_fringes() {
        let out = turned(&Frame::filled(40, 40, [200, 30, 10, 255]).unwrap(), 45);
        assert_eq!((out.width(), out.height()), (57, 57));
        let at = |x: u32, y: u32| {
            let i = ((y * out.width() + x) * 4) as usize;
            out.pixels()[i..i + 4].to_vec()
        };
        assert_eq!(at(0, 0), [0, 0, 0, 0], "exposed corner");
        assert_eq!(at(56, 56), [0, 0, 0, 0], "exposed corner");
        assert_eq!(at(28, 28), [200, 30, 10, 255], "centre");
        let alphas: Vec<u8> = out.pixels().chunks(4).map(|p| p[3]).collect();
        assert!(alphas.iter().any(|&a| a > 0 && a < 255), "soft edge");
        // Premultiplied interpolation: a half-covered edge pixel keeps the full colour.
        for px in out.pixels().chunks(4).filter(|p| p[3] > 0) {
            assert_eq!(px[..3], [200, 30, 10], "{px:?}");
        }
        // The turned square keeps its area: 40×40 pixels' worth of alpha.
        let area = alphas.iter().map(|&a| f64::from(a)).sum::<f64>() / 255.0;
        assert!((area - 1600.0).abs() < 1600.0 * 0.02, "area {area}");
    }

    #[test]
    fn transparent_neighbours_do_not_bleed_their_colour() {
        let f = Frame::from_rgba(2, 1, vec![255, 0, 0, 255, 0, 255, 0, 0]).unwrap();
        assert_eq!(bilinear(&f, 0.5, 0.0), [255, 0, 0, 128]);
        assert_eq!(bilinear(&f, 1.0, 0.0), [0, 0, 0, 0]);
        assert_eq!(bilinear(&f, f32::NAN, 0.0), [0, 0, 0, 0]);
    }

    #[test]
    fn the_centre_stays_in_the_centre() {
        // A 31×21 frame whose centre pixel alone is white.
        let mut px = vec![0u8; 31 * 21 * 4];
        for (i, p) in px.chunks_mut(4).enumerate() {
            p[3] = 255;
            if i == 10 * 31 + 15 {
                p[..3].copy_from_slice(&[255, 255, 255]);
            }
        }
        let frame = Frame::from_rgba(31, 21, px).unwrap();
        for degrees in [30, 45, 70, 135, 300] {
            let out = turned(&frame, degrees);
            let (cx, cy) = (out.width() / 2, out.height() / 2);
            let brightest = out
                .pixels()
                .chunks(4)
                .enumerate()
                .max_by_key(|(_, p)| p[0])
                .map(|(i, _)| (i as u32 % out.width(), i as u32 / out.width()))
                .unwrap();
            assert!(
                brightest.0.abs_diff(cx) <= 1 && brightest.1.abs_diff(cy) <= 1,
                "{degrees}: brightest at {brightest:?}, centre ({cx}, {cy})"
            );
        }
    }
}
