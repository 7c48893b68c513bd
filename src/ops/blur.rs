//! `blur,r_<radius>,s_<sigma>`: Gaussian blur (spec/blur.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, ErrorKind, Result};
use crate::frame::{rgba_len, try_filled, try_zeroed, Frame};
use crate::spec::Params;

const EC_RADIUS: &str = "0040-00000241";
const EC_SIGMA: &str = "0040-00000242";

/// A Gaussian blur truncated at `radius`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blur {
    /// Kernel half-width in `1..=50` (kernel size `2r+1`).
    pub radius: u32,
    /// Standard deviation in pixels, `1..=50`.
    pub sigma: u32,
}

impl Parse for Blur {
    const NAME: &'static str = "blur";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // Every given value is validated before anything is reported missing.
        let radius = params.uint("r", 1..=50, Some(EC_RADIUS))?;
        let sigma = params.uint("s", 1..=50, Some(EC_SIGMA))?;
        // The vendor prints these two ECs with the family prefix 0004 (blur.md §4).
        let face = match params.take("g") {
            None => false,
            Some("face" | "faces") => true,
            Some(other) => return Err(Error::invalid_value(Some("0004-00000243"), "g", other)),
        };
        let face_share = params.uint("p", 1..=200, Some("0004-00000244"))?;
        if face || face_share.is_some() {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                None,
                "Face blur (g, p) needs face detection, which this build does not have.",
            ));
        }
        let (Some(radius), Some(sigma)) = (radius, sigma) else {
            // blur.md §4 [DECISION]: a missing value reports that parameter's EC.
            let ec = if radius.is_none() {
                EC_RADIUS
            } else {
                EC_SIGMA
            };
            return Err(params.missing(Some(ec)));
        };
        Ok(Blur { radius, sigma })
    }
}

impl fmt::Display for Blur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r_{},s_{}", self.radius, self.sigma)
    }
}

impl Op for Blur {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let kernel = gaussian_kernel(self.radius, f64::from(self.sigma));
        cx.image.map_frames(|frame| blur(frame, &kernel))
    }
}

fn blur(frame: &Frame, kernel: &[f32]) -> Result<Frame> {
    convolve(frame, kernel, |_, blurred| blurred.map(to_u8))
}

/// Normalised weights below this move no output by even 1/10,000 of a level (100 of them
/// times 255), and their products would be subnormal f32, which CPUs compute very slowly.
const NEGLIGIBLE: f64 = 1e-9;

/// The normalised weights `exp(-k²/2σ²)` for `k = -radius..=radius` (blur.md §2), without
/// the negligible tails that a radius far beyond 3σ adds.
pub(super) fn gaussian_kernel(radius: u32, sigma: f64) -> Vec<f32> {
    let r = i64::from(radius);
    let raw: Vec<f64> = (-r..=r)
        .map(|k| (-((k * k) as f64) / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f64 = raw.iter().sum();
    let weights = raw.iter().map(|w| w / sum);
    // Symmetric: dropping from the front drops as many from the back.
    let tail = weights.clone().take_while(|&w| w < NEGLIGIBLE).count();
    weights
        .skip(tail)
        .take(raw.len() - 2 * tail)
        .map(|w| w as f32)
        .collect()
}

/// One RGBA pixel in f32.
type Px = [f32; 4];

/// Convolves `frame` with the odd-length, symmetric `kernel` along rows, then along columns
/// (edges clamped), in premultiplied alpha so that transparent pixels lend no colour.
/// `finish` turns each source pixel and its blurred value (straight RGBA, 0..=255,
/// unrounded; colour 0 where the blurred alpha is 0) into the output pixel.
///
/// Rows are blurred horizontally into a ring of `kernel.len()` rows that the vertical pass
/// reads, so the working memory is a few rows, not a second image. Each output costs
/// `kernel.len()` multiply-adds per channel and pass, arranged so that they vectorise: four
/// neighbouring pixels at a time along rows, whole rows at a time down columns.
pub(super) fn convolve(
    frame: &Frame,
    kernel: &[f32],
    finish: impl Fn([u8; 4], Px) -> [u8; 4],
) -> Result<Frame> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let r = kernel.len() / 2;
    let ring_rows = kernel.len().min(h);
    let row_bytes = w * 4;
    let too_wide = || Error::too_large(None, "the image is too wide to blur.");
    let mut ring = try_filled(row_bytes.checked_mul(ring_rows).ok_or_else(too_wide)?, 0.0)?;
    // The clamped source row: r pixels each side, and 3 more so that the last group of four
    // outputs has a whole window.
    let padded_len = w.checked_add(2 * r + 3).ok_or_else(too_wide)?;
    let mut padded = try_filled(padded_len, [0.0; 4])?;
    let groups_len = w.checked_next_multiple_of(4).ok_or_else(too_wide)?;
    let mut blurred_row = try_filled(groups_len, [0.0; 4])?;
    let mut acc = try_filled(row_bytes, 0.0)?;
    // Straight and premultiplied agree where every pixel is opaque: skip the division.
    let opaque = !frame.has_transparency();
    let mut out = try_zeroed(rgba_len(frame.width(), frame.height())?)?;
    let mut sources = frame
        .pixels()
        .chunks_exact(row_bytes)
        .enumerate()
        .peekable();
    let rows = out
        .chunks_exact_mut(row_bytes)
        .zip(frame.pixels().chunks_exact(row_bytes));
    for (y, (out_row, src_row)) in rows.enumerate() {
        // Source rows up to y + r must have had their horizontal pass.
        let needed = (y + r).min(h - 1);
        while let Some((j, src)) = sources.next_if(|&(j, _)| j <= needed) {
            horizontal(src, kernel, &mut padded, &mut blurred_row);
            let slot = ring
                .chunks_exact_mut(row_bytes)
                .nth(j % ring_rows)
                .ok_or_else(|| Error::internal("blur ring row out of range"))?;
            for (dst, px) in slot.chunks_exact_mut(4).zip(&blurred_row) {
                dst.copy_from_slice(px);
            }
        }
        // The kernel is symmetric: rows y − d and y + d share a weight.
        let ring_row = |j: usize| {
            ring.chunks_exact(row_bytes)
                .nth(j.min(h - 1) % ring_rows)
                .ok_or_else(|| Error::internal("blur ring row out of range"))
        };
        acc.fill(0.0);
        for (d, &k) in kernel.iter().skip(r).enumerate() {
            let below = ring_row(y + d)?;
            if d == 0 {
                acc.iter_mut().zip(below).for_each(|(a, p)| *a += k * p);
            } else {
                let above = ring_row(y.saturating_sub(d))?;
                for ((a, p), q) in acc.iter_mut().zip(above).zip(below) {
                    *a += k * (p + q);
                }
            }
        }
        for ((o, s), a) in out_row
            .chunks_exact_mut(4)
            .zip(src_row.chunks_exact(4))
            .zip(acc.chunks_exact(4))
        {
            let a = [a[0], a[1], a[2], a[3]];
            let blurred = if opaque { a } else { unpremultiply(a) };
            o.copy_from_slice(&finish([s[0], s[1], s[2], s[3]], blurred));
        }
    }
    Frame::from_rgba(frame.width(), frame.height(), out)
}

/// Blurs one source row along x into `out`, four pixels per group (independent sums keep
/// the vector units busy); `padded` is scratch of `row + 2r + 3` pixels.
fn horizontal(src: &[u8], kernel: &[f32], padded: &mut [Px], out: &mut [Px]) {
    let r = kernel.len() / 2;
    let mut pixels = src.chunks_exact(4).map(premultiply);
    let first = src
        .chunks_exact(4)
        .next()
        .map(premultiply)
        .unwrap_or_default();
    // Clamp to edge: the border pixels repeat beyond each side.
    let mut last = first;
    for (i, p) in padded.iter_mut().enumerate() {
        if i >= r {
            last = pixels.next().unwrap_or(last);
        }
        *p = if i < r { first } else { last };
    }
    let windows = padded.windows(kernel.len() + 3).step_by(4);
    for (group, window) in out.chunks_exact_mut(4).zip(windows) {
        let mut sums = [[0.0f32; 4]; 4];
        for (&k, taps) in kernel.iter().zip(window.windows(4)) {
            for (sum, p) in sums.iter_mut().zip(taps) {
                for c in 0..4 {
                    sum[c] += k * p[c];
                }
            }
        }
        group.copy_from_slice(&sums);
    }
}

fn premultiply(px: &[u8]) -> Px {
    let a = f32::from(px[3]);
    let c = |v: u8| f32::from(v) * a / 255.0;
    [c(px[0]), c(px[1]), c(px[2]), a]
}

fn unpremultiply([r, g, b, a]: Px) -> Px {
    let scale = if a > 0.0 { 255.0 / a } else { 0.0 };
    [r * scale, g * scale, b * scale, a]
}

/// Rounds half away from zero and clamps to 0..=255 (`as` saturates; negatives give 0).
pub(super) fn to_u8(v: f32) -> u8 {
    (v + 0.5) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Blur> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // blur.md §3 (the resize row is about order, i.e. apply).
        for (args, radius, sigma) in [
            (&["r_3", "s_2"][..], 3, 2),
            (&["r_10", "s_10"], 10, 10),
            (&["r_1", "s_50"], 1, 50),
            (&["s_2", "r_3"], 3, 2),
            (&["r_50", "s_1"], 50, 1),
        ] {
            assert_eq!(parse(args).unwrap(), Blur { radius, sigma }, "{args:?}");
        }
    }

    #[test]
    fn error_cases() {
        for (args, code, ec) in [
            (&["r_3"][..], "MissingArgument", Some(EC_SIGMA)),
            (&["s_2"], "MissingArgument", Some(EC_RADIUS)),
            (&[], "MissingArgument", Some(EC_RADIUS)),
            (&["r_200", "s_25"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_abc", "s_25"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_0", "s_25"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_2.5", "s_2"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_3", "s_200"], "InvalidArgument", Some(EC_SIGMA)),
            (&["r_3", "s_0"], "InvalidArgument", Some(EC_SIGMA)),
            // An invalid value is reported before a missing one.
            (&["s_abc"], "InvalidArgument", Some(EC_SIGMA)),
            (
                &["r_3", "s_2", "g_fac"],
                "InvalidArgument",
                Some("0004-00000243"),
            ),
            (
                &["r_3", "s_2", "g_face", "p_1000"],
                "InvalidArgument",
                Some("0004-00000244"),
            ),
            (&["r_3", "s_2", "g_face"], "NotImplemented", None),
            (&["r_3", "s_2", "g_faces", "p_150"], "NotImplemented", None),
            (&["r_3", "s_2", "p_150"], "NotImplemented", None),
            (&["r_3", "s_2", "x_1"], "InvalidArgument", None),
            (&["r_3", "t_2"], "InvalidArgument", None),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, ec), "{args:?}");
        }
    }

    /// The spec's kernel (blur.md §2) in f64, computed here independently.
    fn spec_kernel(radius: i64, sigma: f64) -> Vec<f64> {
        let raw: Vec<f64> = (-radius..=radius)
            .map(|k| (-((k * k) as f64) / (2.0 * sigma * sigma)).exp())
            .collect();
        let sum: f64 = raw.iter().sum();
        raw.iter().map(|w| w / sum).collect()
    }

    /// A frame whose pixel (x, y) is `px(x, y)`.
    fn frame(w: u32, h: u32, px: impl Fn(u32, u32) -> [u8; 4]) -> Frame {
        let mut bytes = Vec::new();
        for y in 0..h {
            for x in 0..w {
                bytes.extend_from_slice(&px(x, y));
            }
        }
        Frame::from_rgba(w, h, bytes).unwrap()
    }

    fn pixel(f: &Frame, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * f.width() + x) * 4) as usize;
        f.pixels()[i..i + 4].try_into().unwrap()
    }

    #[test]
    fn kernel_of_the_worked_example() {
        // blur.md §3: r_3,s_2 normalised (sum 4.6274).
        let expected = [0.0702, 0.1311, 0.1907, 0.2161, 0.1907, 0.1311, 0.0702];
        let k = gaussian_kernel(3, 2.0);
        assert_eq!(k.len(), 7);
        for (got, want) in k.iter().zip(expected) {
            assert!((f64::from(*got) - want).abs() < 5e-5, "{k:?}");
        }
    }

    #[test]
    fn r_1_s_50_is_nearly_a_box_of_three() {
        // blur.md §3: a 3-tap kernel with nearly equal weights.
        let k = gaussian_kernel(1, 50.0);
        assert_eq!(k.len(), 3);
        assert!(k.iter().all(|w| (w - 1.0 / 3.0).abs() < 1e-4), "{k:?}");
    }

    #[test]
    fn r_10_s_10_is_21_taps_of_the_gaussian() {
        let k = gaussian_kernel(10, 10.0);
        assert_eq!(k.len(), 21);
        let spec = spec_kernel(10, 10.0);
        for (got, want) in k.iter().zip(&spec) {
            assert!((f64::from(*got) - want).abs() < 1e-7);
        }
        // The outermost tap is exp(-100/200) of the centre one.
        assert!((f64::from(k[0] / k[10]) - (-0.5f64).exp()).abs() < 1e-6);
    }

    #[test]
    fn negligible_tails_are_dropped() {
        // exp(-k²/2)/2.5066 < 1e-9 beyond k = 6; at sigma 50 every tap counts.
        assert_eq!(gaussian_kernel(50, 1.0).len(), 13);
        assert_eq!(gaussian_kernel(50, 50.0).len(), 101);
        assert_eq!(gaussian_kernel(50, 7.0).len(), 83);
    }

    #[test]
    fn matches_the_spec_formula_with_clamped_edges() {
        // Opaque test images, so premultiplication changes nothing: the expected value is
        // the 2-D convolution with the product kernel, edges clamped, rounded half away
        // from zero (blur.md §2).
        // (50, 7) and (50, 1) also check that dropping the negligible tails changes nothing.
        let blurs = [(3u32, 2u32), (1, 50), (10, 10), (50, 7), (50, 1)];
        for ((w, h), (radius, sigma)) in [(9u32, 7u32), (1, 5), (6, 1)]
            .into_iter()
            .flat_map(|size| blurs.map(|b| (size, b)))
        {
            let img = frame(w, h, |x, y| {
                let v = (x * 37 + y * 91 + x * y * 13) % 256;
                [v as u8, (255 - v) as u8, ((v * 7) % 256) as u8, 255]
            });
            let (w, h) = (i64::from(w), i64::from(h));
            let got = blur(&img, &gaussian_kernel(radius, f64::from(sigma))).unwrap();
            let k = spec_kernel(i64::from(radius), f64::from(sigma));
            let r = i64::from(radius);
            for y in 0..h {
                for x in 0..w {
                    for c in 0..3 {
                        let mut sum = 0.0;
                        for (i, kx) in k.iter().enumerate() {
                            for (j, ky) in k.iter().enumerate() {
                                let sx = (x + i as i64 - r).clamp(0, w - 1) as u32;
                                let sy = (y + j as i64 - r).clamp(0, h - 1) as u32;
                                sum += kx * ky * f64::from(pixel(&img, sx, sy)[c]);
                            }
                        }
                        let got = pixel(&got, x as u32, y as u32)[c];
                        // f32 accumulation may round an exact half either way.
                        if (sum.fract() - 0.5).abs() > 1e-3 {
                            assert_eq!(
                                f64::from(got),
                                sum.round(),
                                "r_{radius},s_{sigma} ({x},{y}) c{c}"
                            );
                        }
                    }
                    assert_eq!(pixel(&got, x as u32, y as u32)[3], 255);
                }
            }
        }
    }

    #[test]
    fn flat_and_single_pixel_images_are_unchanged() {
        let flat = frame(6, 5, |_, _| [10, 200, 37, 255]);
        assert_eq!(blur(&flat, &gaussian_kernel(10, 10.0)).unwrap(), flat);
        let one = frame(1, 1, |_, _| [1, 2, 3, 4]);
        assert_eq!(blur(&one, &gaussian_kernel(50, 50.0)).unwrap(), one);
    }

    #[test]
    fn transparent_pixels_lend_no_colour() {
        // blur.md §2 [DECISION]: premultiplied. Opaque red beside transparent black stays
        // pure red where it spreads; only alpha is blurred.
        let img = frame(2, 1, |x, _| {
            if x == 0 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 0, 0]
            }
        });
        let got = blur(&img, &gaussian_kernel(1, 1.0)).unwrap();
        let k = spec_kernel(1, 1.0);
        // Clamped: pixel 0 sees itself twice, pixel 1 sees pixel 0 once.
        let alpha0 = ((k[0] + k[1]) * 255.0).round() as u8;
        let alpha1 = (k[0] * 255.0).round() as u8;
        assert_eq!(pixel(&got, 0, 0), [255, 0, 0, alpha0]);
        assert_eq!(pixel(&got, 1, 0), [255, 0, 0, alpha1]);
        // Nothing opaque nearby: colour 0, alpha 0.
        let clear = frame(3, 2, |_, _| [9, 9, 9, 0]);
        let got = blur(&clear, &gaussian_kernel(2, 1.0)).unwrap();
        assert!(got.pixels().iter().all(|&v| v == 0));
    }

    #[test]
    fn canonical_round_trip() {
        let v = parse(&["s_02", "r_03"]).unwrap();
        assert_eq!(v.to_string(), "r_3,s_2");
        let s = v.to_string();
        let args: Vec<&str> = s.split(',').collect();
        assert_eq!(parse(&args).unwrap(), v);
        assert_eq!(parse(&["r_3", "s_2"]).unwrap().to_string(), s);
        assert_eq!(parse(&["r_9", "s_2", "r_3"]).unwrap().to_string(), s);
    }
}
