//! `sharpen,<value>`: unsharp mask (spec/sharpen.md).

use std::fmt;

use super::blur::{convolve, to_u8, Finish, Kernel, LEVEL};
use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::spec::Params;

/// A sharpening strength; there is no "off" value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sharpen {
    /// In `50..=399`.
    pub value: u16,
}

impl Parse for Sharpen {
    const NAME: &'static str = "sharpen";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(Some("0040-00000279"), "The action sharpen needs a value.");
        let value = params.single_int(missing, 50..=399, Some("0040-00000280"))?;
        Ok(Sharpen {
            value: value as u16,
        })
    }
}

impl fmt::Display for Sharpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Op for Sharpen {
    /// Unsharp mask (sharpen.md §2): `out = in + (in − blur)` on R, G, B with a Gaussian of
    /// sigma `value/100` cut at `ceil(3·sigma)`; alpha is kept.
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let kernel = self.kernel();
        cx.image.map_frames(|frame| sharpen(frame, &kernel))
    }
}

impl Sharpen {
    /// The Gaussian of sigma `value/100`, cut at `ceil(3·sigma)`.
    fn kernel(self) -> Kernel {
        let radius = (3 * u32::from(self.value)).div_ceil(100);
        Kernel::gaussian(radius, f64::from(self.value) / 100.0)
    }
}

fn sharpen(frame: &Frame, kernel: &Kernel) -> Result<Frame> {
    convolve(frame, kernel, &UnsharpMask)
}

/// `in + (in − blur)` on R, G, B; alpha kept.
struct UnsharpMask;

impl Finish for UnsharpMask {
    fn pixel(&self, src: [u8; 4], blurred: [i32; 4]) -> [u8; 4] {
        // Under a fully transparent neighbourhood there is no colour to sharpen.
        if blurred[3] <= 0 {
            return src;
        }
        let c = |i: usize| to_u8(2 * LEVEL * i32::from(src[i]) - blurred[i]);
        [c(0), c(1), c(2), src[3]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Sharpen> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // sharpen.md §3 (the resize row is about order, i.e. apply).
        for (arg, value) in [("100", 100), ("50", 50), ("399", 399)] {
            assert_eq!(parse(&[arg]).unwrap(), Sharpen { value }, "{arg}");
        }
    }

    #[test]
    fn error_cases() {
        for (args, ec) in [
            (&[][..], "0040-00000279"),
            (&["10"], "0040-00000280"),
            (&["49"], "0040-00000280"),
            (&["400"], "0040-00000280"),
            (&["0"], "0040-00000280"),
            (&["-100"], "0040-00000280"),
            (&["abc"], "0040-00000280"),
            (&["100.5"], "0040-00000280"),
            (&["100", "2"], "0040-00000203"),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(
                (e.code(), e.ec()),
                ("InvalidArgument", Some(ec)),
                "{args:?}"
            );
        }
    }

    /// A frame of `w × h` whose pixel (x, y) is `px(x)` in every row.
    fn columns(w: u32, h: u32, px: impl Fn(u32) -> [u8; 4]) -> Frame {
        let row: Vec<u8> = (0..w).flat_map(&px).collect();
        Frame::from_rgba(w, h, row.repeat(h as usize)).unwrap()
    }

    #[test]
    fn kernel_follows_the_value() {
        // sharpen.md §2: sigma = v/100, radius = ceil(3·sigma).
        for (value, radius) in [(50, 2), (100, 3), (101, 4), (399, 12)] {
            let k = Sharpen { value }.kernel().taps();
            assert_eq!(k.len(), 2 * radius + 1, "{value}");
            let sigma = f64::from(value) / 100.0;
            let edge = (-((radius * radius) as f64) / (2.0 * sigma * sigma)).exp();
            // Q15 weights: the outer tap is within one unit, the centre within radius + 1.
            let unit = 1.0 / 32768.0;
            assert!(
                (k[0] - edge * k[radius]).abs() < (radius + 2) as f64 * unit,
                "{value}"
            );
        }
    }

    #[test]
    fn step_edge_overshoots_symmetrically_and_flat_areas_stay() {
        // sharpen.md §3: …, 100, 100, 200, 200, … with sharpen,100.
        let img = columns(16, 3, |x| {
            let v = if x < 8 { 100 } else { 200 };
            [v, v, v, 255]
        });
        let got = sharpen(&img, &Sharpen { value: 100 }.kernel()).unwrap();
        let row: Vec<u8> = got.pixels()[..16 * 4].chunks(4).map(|p| p[0]).collect();
        // Expected from the formula: blur along x only (the rows are equal), edges clamped,
        // then round(2·in − blur) half away from zero.
        let (sigma, radius) = (1.0f64, 3i64);
        let weights: Vec<f64> = (-radius..=radius)
            .map(|k| (-((k * k) as f64) / (2.0 * sigma * sigma)).exp())
            .collect();
        let total: f64 = weights.iter().sum();
        let input = |x: i64| if x.clamp(0, 15) < 8 { 100.0 } else { 200.0 };
        for x in 0..16i64 {
            let blur: f64 = (-radius..=radius)
                .zip(&weights)
                .map(|(k, w)| w * input(x + k))
                .sum::<f64>()
                / total;
            let want = (2.0 * input(x) - blur).round().clamp(0.0, 255.0);
            assert_eq!(f64::from(row[x as usize]), want, "x={x}");
        }
        assert!(row[7] < 100 && row[8] > 200, "{row:?}");
        for i in 0..3 {
            assert_eq!(100 - row[7 - i], row[8 + i] - 200, "{row:?}");
        }
        // More than `radius` away from the edge nothing changes.
        assert!(row[..5].iter().all(|&v| v == 100) && row[11..].iter().all(|&v| v == 200));
        assert!(got
            .pixels()
            .chunks(4)
            .all(|p| p[0] == p[1] && p[1] == p[2] && p[3] == 255));
    }

    #[test]
    fn alpha_is_kept_and_hidden_colour_untouched() {
        let img = columns(8, 2, |x| match x {
            0..=2 => [0, 0, 0, 0],
            3..=5 => [200, 50, 90, 128],
            _ => [20, 240, 90, 255],
        });
        let got = sharpen(&img, &Sharpen { value: 150 }.kernel()).unwrap();
        for (g, s) in got.pixels().chunks(4).zip(img.pixels().chunks(4)) {
            assert_eq!(g[3], s[3]);
        }
        // Far from any visible pixel there is no colour to sharpen.
        let clear = columns(12, 2, |x| {
            if x < 10 {
                [7, 8, 9, 0]
            } else {
                [255, 255, 255, 255]
            }
        });
        let got = sharpen(&clear, &Sharpen { value: 100 }.kernel()).unwrap();
        assert_eq!(&got.pixels()[..4], &[7, 8, 9, 0]);
    }

    #[test]
    fn canonical_round_trip() {
        for arg in ["50", "0100", "399"] {
            let v = parse(&[arg]).unwrap();
            assert_eq!(parse(&[&v.to_string()]).unwrap(), v, "{arg}");
        }
        assert_eq!(parse(&["0100"]).unwrap().to_string(), "100");
    }
}
