//! `blur,r_<radius>,s_<sigma>`: Gaussian blur (spec/blur.md).

mod rgb;
mod weighted_sum;

use std::fmt;

use self::weighted_sum::{weighted_sum, Term, BLOCK, WEIGHT_BITS};
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
        let kernel = Kernel::gaussian(self.radius, f64::from(self.sigma));
        cx.image.map_frames(|frame| blur(frame, &kernel))
    }
}

fn blur(frame: &Frame, kernel: &Kernel) -> Result<Frame> {
    convolve(frame, kernel, &Rounded)
}

/// The blur itself: the blurred values, rounded.
struct Rounded;

impl Finish for Rounded {
    fn pixel(&self, _: [u8; 4], blurred: [i32; 4]) -> [u8; 4] {
        blurred.map(to_u8)
    }

    fn opaque_row(&self, _: &[u8], blurred: &[i16], out: &mut [u8]) {
        rgb::to_pixels(blurred, out);
    }
}

/// What [`convolve`] makes of each blurred pixel.
pub(super) trait Finish {
    /// The output pixel from the source pixel and its blurred value: straight RGBA in fixed
    /// point ([`LEVEL`] per level), unrounded; colour 0 where the blurred alpha is 0.
    fn pixel(&self, src: [u8; 4], blurred: [i32; 4]) -> [u8; 4];

    /// A row of opaque pixels from their blurred RGB samples.
    fn opaque_row(&self, src: &[u8], blurred: &[i16], out: &mut [u8]) {
        let pixels = out.chunks_exact_mut(4).zip(src.chunks_exact(4));
        for ((o, s), b) in pixels.zip(blurred.chunks_exact(3)) {
            let value = [i32::from(b[0]), i32::from(b[1]), i32::from(b[2]), FULL];
            o.copy_from_slice(&self.pixel([s[0], s[1], s[2], s[3]], value));
        }
    }
}

/// Fraction bits of the fixed-point samples the passes work on.
const FRACTION_BITS: u32 = 6;
/// One level of an 8-bit channel in fixed point.
pub(super) const LEVEL: i32 = 1 << FRACTION_BITS;
/// Full intensity, 255 levels.
const FULL: i32 = 255 * LEVEL;
const _: () = assert!(FULL <= weighted_sum::MAX_SAMPLE);

/// A Gaussian truncated at its radius (blur.md §2) in Q15 fixed point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Kernel {
    /// `weights[d]` weighs the taps at distance `d` on either side; the centre counts as the
    /// pair (centre, centre), so `weights[0]` is half its tap. `2·Σ weights` is exactly
    /// `1 << 15`, so flat areas stay flat. Taps that round to 0 are left out: they cannot
    /// move any output (the negligible tails of a radius far beyond 3σ).
    weights: Vec<i16>,
}

impl Kernel {
    /// The normalised weights `exp(-k²/2σ²)` for `k = -radius..=radius`, rounded to Q15.
    pub(super) fn gaussian(radius: u32, sigma: f64) -> Self {
        let raw: Vec<f64> = (0..=radius)
            .map(|d| (-f64::from(d).powi(2) / (2.0 * sigma * sigma)).exp())
            .collect();
        // raw[0] = 1 is the centre, counted once.
        let total = 2.0 * raw.iter().sum::<f64>() - 1.0;
        let one = f64::from(1 << WEIGHT_BITS);
        let mut weights: Vec<i16> = raw
            .iter()
            .map(|w| (w / total * one).round() as i16)
            .collect();
        while weights.len() > 1 && weights.last() == Some(&0) {
            weights.pop();
        }
        // The centre absorbs the rounding of the others.
        let sides: i32 = weights.iter().skip(1).map(|&w| i32::from(w)).sum();
        if let Some(centre) = weights.first_mut() {
            *centre = ((1 << (WEIGHT_BITS - 1)) - sides) as i16;
        }
        Kernel { weights }
    }

    /// The whole kernel, `2r + 1` taps, as fractions of 1.
    #[cfg(test)]
    pub(super) fn taps(&self) -> Vec<f64> {
        let one = f64::from(1 << WEIGHT_BITS);
        let side = self.weights.iter().skip(1).map(|&w| f64::from(w) / one);
        let centre = self.weights.first().map(|&w| 2.0 * f64::from(w) / one);
        side.clone().rev().chain(centre).chain(side).collect()
    }

    fn radius(&self) -> usize {
        self.weights.len().saturating_sub(1)
    }

    /// One term per distance `d`, reading the samples at `starts(d)` = (before, after).
    fn terms<'a>(
        &'a self,
        starts: impl Fn(usize) -> (usize, usize) + 'a,
    ) -> impl Iterator<Item = Term> + 'a {
        self.weights.iter().enumerate().map(move |(d, &weight)| {
            let (before, after) = starts(d);
            Term {
                before,
                after,
                weight,
            }
        })
    }
}

/// Convolves `frame` with the symmetric `kernel` along rows, then along columns (edges
/// clamped), in premultiplied alpha so that transparent pixels lend no colour; `finish`
/// makes the output pixels.
///
/// Samples are i16 with 6 fraction bits and weights Q15; the sums are exact in i32, so each
/// pass rounds once (to 1/64 of a level) and native and wasm agree bit for bit. Opaque frames
/// are blurred as RGB (alpha stays 255). Rows are blurred horizontally into a ring of
/// `2r + 1` rows; the vertical pass sums whole ring rows into one output row, so memory is
/// streamed and the working set is a few rows, not a second image.
pub(super) fn convolve(frame: &Frame, kernel: &Kernel, finish: &impl Finish) -> Result<Frame> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let opaque = !frame.has_transparency();
    let channels = if opaque { 3 } else { 4 };
    let r = kernel.radius();
    let too_wide = || Error::too_large(None, "the image is too wide to blur.");
    // Whole blocks of lanes per row; the lanes past the image are computed and ignored.
    let lanes = w
        .checked_mul(channels)
        .and_then(|n| n.checked_next_multiple_of(BLOCK))
        .ok_or_else(too_wide)?;
    // The clamped source row: r pixels each side (and clamped samples up to the end).
    let margin = r * channels;
    let mut line = try_filled(lanes.checked_add(2 * margin).ok_or_else(too_wide)?, 0i16)?;
    let ring_rows = (2 * r + 1).min(h);
    let mut ring = try_filled(lanes.checked_mul(ring_rows).ok_or_else(too_wide)?, 0i16)?;
    let mut blurred = try_filled(lanes, 0i16)?;
    let mut out = try_zeroed(rgba_len(frame.width(), frame.height())?)?;

    let along_row: Vec<Term> = kernel
        .terms(|d| (margin - d * channels, margin + d * channels))
        .collect();
    let mut down_column: Vec<Term> = Vec::with_capacity(along_row.len());
    let slot = |j: usize| (j % ring_rows) * lanes;
    let row_bytes = w * 4;
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
            load_line(src, channels, margin, &mut line)?;
            let ring_row = ring
                .get_mut(slot(j)..slot(j) + lanes)
                .ok_or_else(|| Error::internal("blur ring row out of range"))?;
            weighted_sum(&line, &along_row, ring_row)?;
        }
        down_column.clear();
        down_column.extend(kernel.terms(|d| (slot(y.saturating_sub(d)), slot((y + d).min(h - 1)))));
        weighted_sum(&ring, &down_column, &mut blurred)?;
        if opaque {
            finish.opaque_row(src_row, &blurred, out_row);
        } else {
            let pixels = out_row.chunks_exact_mut(4).zip(src_row.chunks_exact(4));
            for ((o, s), b) in pixels.zip(blurred.chunks_exact(4)) {
                let value = unpremultiply([b[0], b[1], b[2], b[3]].map(i32::from));
                o.copy_from_slice(&finish.pixel([s[0], s[1], s[2], s[3]], value));
            }
        }
    }
    Frame::from_rgba(frame.width(), frame.height(), out)
}

/// Writes one source row into `line` as fixed-point samples (RGB when `channels` is 3, else
/// premultiplied RGBA) after `margin` samples of its first pixel, and repeats its last pixel
/// to the end of `line` (clamp to edge).
fn load_line(src: &[u8], channels: usize, margin: usize, line: &mut [i16]) -> Result<()> {
    let samples = src.len() / 4 * channels;
    let short = || Error::internal("blur line too short");
    let (left, rest) = line.split_at_mut_checked(margin).ok_or_else(short)?;
    let (middle, right) = rest.split_at_mut_checked(samples).ok_or_else(short)?;
    if channels == 3 {
        rgb::to_samples(src, middle);
    } else {
        for (d, px) in middle.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
            d.copy_from_slice(&premultiplied(px));
        }
    }
    let first = middle.get(..channels).ok_or_else(short)?;
    let last = middle
        .get(samples.saturating_sub(channels)..)
        .ok_or_else(short)?;
    for d in left.chunks_mut(channels) {
        d.copy_from_slice(first.get(..d.len()).ok_or_else(short)?);
    }
    for d in right.chunks_mut(channels) {
        d.copy_from_slice(last.get(..d.len()).ok_or_else(short)?);
    }
    Ok(())
}

/// A pixel premultiplied by its alpha, in fixed point, rounded.
fn premultiplied(px: &[u8]) -> [i16; 4] {
    let alpha = u32::from(px[3]);
    let c = |v: u8| ((u32::from(v) * alpha * LEVEL as u32 + 127) / 255) as i16;
    [
        c(px[0]),
        c(px[1]),
        c(px[2]),
        (alpha as i16) << FRACTION_BITS,
    ]
}

fn unpremultiply([r, g, b, a]: [i32; 4]) -> [i32; 4] {
    if a <= 0 {
        return [0; 4];
    }
    // f32 is exact enough (24 bits for values below 2^14) and the same on every target.
    let scale = FULL as f32 / a as f32;
    let c = |v: i32| (v as f32 * scale + 0.5) as i32;
    [c(r), c(g), c(b), a]
}

/// Rounds a fixed-point value half up to a level and clamps it to 0..=255.
pub(super) fn to_u8(v: i32) -> u8 {
    ((v + LEVEL / 2) >> FRACTION_BITS).clamp(0, 255) as u8
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

    /// Q15 rounding, plus what the centre absorbs from the other taps.
    fn q15_tolerance(radius: usize) -> f64 {
        (0.5 + radius as f64) / 32768.0
    }

    #[test]
    fn kernel_of_the_worked_example() {
        // blur.md §3: r_3,s_2 normalised (sum 4.6274), printed to 4 decimals.
        let expected = [0.0702, 0.1311, 0.1907, 0.2161, 0.1907, 0.1311, 0.0702];
        let k = Kernel::gaussian(3, 2.0).taps();
        assert_eq!(k.len(), 7);
        for (got, want) in k.iter().zip(expected) {
            assert!((got - want).abs() < 5e-5 + q15_tolerance(3), "{k:?}");
        }
        assert_eq!(k.iter().sum::<f64>(), 1.0);
    }

    #[test]
    fn r_1_s_50_is_nearly_a_box_of_three() {
        // blur.md §3: a 3-tap kernel with nearly equal weights.
        let k = Kernel::gaussian(1, 50.0).taps();
        assert_eq!(k.len(), 3);
        assert!(k.iter().all(|w| (w - 1.0 / 3.0).abs() < 1e-4), "{k:?}");
    }

    #[test]
    fn r_10_s_10_is_21_taps_of_the_gaussian() {
        let k = Kernel::gaussian(10, 10.0).taps();
        assert_eq!(k.len(), 21);
        let spec = spec_kernel(10, 10.0);
        for (got, want) in k.iter().zip(&spec) {
            assert!((got - want).abs() <= q15_tolerance(10), "{got} {want}");
        }
        // The outermost tap is exp(-100/200) of the centre one.
        assert!((k[0] / k[10] - (-0.5f64).exp()).abs() < 1e-3);
    }

    #[test]
    fn taps_that_round_to_zero_are_dropped() {
        // In Q15 a tap below 2^-16 is 0: at sigma 1 that is beyond k = 4 (exp(-12.5)/2.5 ≈
        // 1.5e-6), at sigma 7 beyond k = 28; at sigma 50 every tap counts.
        assert_eq!(Kernel::gaussian(50, 1.0).taps().len(), 9);
        assert_eq!(Kernel::gaussian(50, 50.0).taps().len(), 101);
        assert_eq!(Kernel::gaussian(50, 7.0).taps().len(), 57);
        assert_eq!(Kernel::gaussian(50, 7.0), Kernel::gaussian(28, 7.0));
    }

    /// The exact 2-D convolution with the spec's product kernel, edges clamped, unrounded.
    fn reference(img: &Frame, radius: u32, sigma: u32, x: i64, y: i64, c: usize) -> f64 {
        let k = spec_kernel(i64::from(radius), f64::from(sigma));
        let (w, h, r) = (
            i64::from(img.width()),
            i64::from(img.height()),
            i64::from(radius),
        );
        let mut sum = 0.0;
        for (i, kx) in k.iter().enumerate() {
            for (j, ky) in k.iter().enumerate() {
                let sx = (x + i as i64 - r).clamp(0, w - 1) as u32;
                let sy = (y + j as i64 - r).clamp(0, h - 1) as u32;
                sum += kx * ky * f64::from(pixel(img, sx, sy)[c]);
            }
        }
        sum
    }

    #[test]
    fn fixed_point_matches_an_f64_gaussian_within_one_level() {
        // Opaque test images, so premultiplication changes nothing. Two roundings of 1/128
        // of a level and the Q15 weights (at most (r + 1/2)/32768 each) move the unrounded
        // result by far less than half a level here, so the output is the f64 result rounded
        // unless that is within 0.05 of a half: never more than 1 level off, and rarely (< 2 %).
        // (50, 7) and (50, 1) also check that dropping the zero taps changes nothing.
        let blurs = [(3u32, 2u32), (1, 50), (10, 10), (15, 5), (50, 7), (50, 1)];
        let (mut samples, mut off_by_one) = (0, 0);
        for ((w, h), (radius, sigma)) in [(9u32, 7u32), (1, 5), (6, 1), (21, 17)]
            .into_iter()
            .flat_map(|size| blurs.map(|b| (size, b)))
        {
            let img = frame(w, h, |x, y| {
                let v = (x * 37 + y * 91 + x * y * 13) % 256;
                [v as u8, (255 - v) as u8, ((v * 7) % 256) as u8, 255]
            });
            let got = blur(&img, &Kernel::gaussian(radius, f64::from(sigma))).unwrap();
            for (y, x) in (0..h).flat_map(|y| (0..w).map(move |x| (y, x))) {
                let got = pixel(&got, x, y);
                for (c, &value) in got.iter().take(3).enumerate() {
                    let exact = reference(&img, radius, sigma, x.into(), y.into(), c);
                    let diff = (f64::from(value) - exact.round()).abs();
                    let at = format!("r_{radius},s_{sigma} {w}x{h} ({x},{y}) c{c}: {exact}");
                    assert!(diff <= 1.0, "{at}");
                    if (exact.fract() - 0.5).abs() > 0.05 {
                        assert_eq!(diff, 0.0, "{at}");
                    }
                    samples += 1;
                    off_by_one += usize::from(diff > 0.0);
                }
                assert_eq!(got[3], 255);
            }
        }
        assert!(off_by_one * 50 < samples, "{off_by_one} of {samples}");
    }

    #[test]
    fn edges_are_clamped_in_both_passes() {
        // blur.md §2 [DECISION]: clamp-to-edge. A bright pixel at one end of a line of 12:
        // beyond the end it repeats, so a pixel d from the end gets the weights of all the
        // taps that reach the end or past it (zero padding or mirroring would leave the end
        // pixel only its own centre tap, k[3]).
        let k = spec_kernel(3, 2.0);
        let near_end = [
            k[0] + k[1] + k[2] + k[3],
            k[0] + k[1] + k[2],
            k[0] + k[1],
            k[0],
            0.0,
        ];
        let bright = |i: u32, n: u32| {
            if i == n {
                [200, 100, 50, 255]
            } else {
                [0, 0, 0, 255]
            }
        };
        for (w, h, end) in [(12, 1, 0), (12, 1, 11), (1, 12, 0), (1, 12, 11)] {
            let img = frame(w, h, |x, y| bright(x.max(y), end));
            let got = blur(&img, &Kernel::gaussian(3, 2.0)).unwrap();
            for (distance, weight) in near_end.iter().enumerate() {
                let i = end.abs_diff(distance as u32);
                let px = if w == 1 {
                    pixel(&got, 0, i)
                } else {
                    pixel(&got, i, 0)
                };
                let want = [200.0, 100.0, 50.0].map(|v: f64| (v * weight).round() as u8);
                assert_eq!(px, [want[0], want[1], want[2], 255], "{w}x{h} at {i}");
            }
        }
        // In two dimensions a corner pixel sees itself for all taps past both edges.
        let img = frame(7, 7, |x, y| bright(x + y, 0));
        let got = blur(&img, &Kernel::gaussian(3, 2.0)).unwrap();
        let corner = near_end[0] * near_end[0];
        assert_eq!(pixel(&got, 0, 0)[0], (200.0 * corner).round() as u8);
    }

    #[test]
    fn flat_and_single_pixel_images_are_unchanged() {
        let flat = frame(6, 5, |_, _| [10, 200, 37, 255]);
        assert_eq!(blur(&flat, &Kernel::gaussian(10, 10.0)).unwrap(), flat);
        let one = frame(1, 1, |_, _| [1, 2, 3, 4]);
        assert_eq!(blur(&one, &Kernel::gaussian(50, 50.0)).unwrap(), one);
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
        let got = blur(&img, &Kernel::gaussian(1, 1.0)).unwrap();
        let k = spec_kernel(1, 1.0);
        // Clamped: pixel 0 sees itself twice, pixel 1 sees pixel 0 once.
        let alpha0 = ((k[0] + k[1]) * 255.0).round() as u8;
        let alpha1 = (k[0] * 255.0).round() as u8;
        assert_eq!(pixel(&got, 0, 0), [255, 0, 0, alpha0]);
        assert_eq!(pixel(&got, 1, 0), [255, 0, 0, alpha1]);
        // Nothing opaque nearby: colour 0, alpha 0.
        let clear = frame(3, 2, |_, _| [9, 9, 9, 0]);
        let got = blur(&clear, &Kernel::gaussian(2, 1.0)).unwrap();
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
