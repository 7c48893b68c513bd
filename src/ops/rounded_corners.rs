//! `rounded-corners,r_<radius>`: rounded corners (spec/rounded-corners.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::Result;
use crate::frame::disc_coverage;
use crate::spec::Params;

/// Rounds the four corners with one radius; the image keeps its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundedCorners {
    /// Requested radius in `1..=4096`; capped to half the shorter edge when applied.
    pub radius: u32,
}

impl Parse for RoundedCorners {
    const NAME: &'static str = "rounded-corners";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let radius = params.uint("r", 1..=4096, Some("0040-00000237"))?;
        // No EC is published for a missing `r` (rounded-corners.md, error cases).
        let radius = radius.ok_or_else(|| params.missing(None))?;
        Ok(RoundedCorners { radius })
    }
}

impl fmt::Display for RoundedCorners {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r_{}", self.radius)
    }
}

impl RoundedCorners {
    /// The radius used on a `width×height` image: at most half the shorter edge, kept
    /// fractional for an odd edge (rounded-corners.md Q1).
    pub fn radius_on(&self, width: u32, height: u32) -> f32 {
        (self.radius as f32).min(width.min(height) as f32 / 2.0)
    }
}

/// How far the pixel centre `p` lies inside a corner band of width `r` at either end of
/// `0..len`, or `None` when it is between the bands.
fn into_corner(p: f32, len: f32, r: f32) -> Option<f32> {
    if p < r {
        Some(r - p)
    } else if p > len - r {
        Some(p - (len - r))
    } else {
        None
    }
}

/// Coverage of pixel (`x`, `y`) of a `w×h` image with corners of radius `r`. Pixel
/// (x, y) covers [x, x+1) × [y, y+1); only a centre inside a corner square is measured
/// against that corner's arc.
fn coverage(x: u32, y: u32, w: f32, h: f32, r: f32) -> f32 {
    match (
        into_corner(x as f32 + 0.5, w, r),
        into_corner(y as f32 + 0.5, h, r),
    ) {
        (Some(dx), Some(dy)) => disc_coverage(r, dx, dy),
        _ => 1.0,
    }
}

impl Op for RoundedCorners {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let (w, h) = (cx.image.width(), cx.image.height());
        let r = self.radius_on(w, h);
        let (w, h) = (w as f32, h as f32);
        cx.image.mask(|x, y| coverage(x, y, w, h, r));
        cx.show_cut_areas();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<RoundedCorners> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // rounded-corners.md examples 1–8: only the radius is a parsing matter.
        for (arg, radius) in [
            ("r_30", 30),
            ("r_10", 10),
            ("r_4096", 4096),
            ("r_100", 100),
            ("r_20", 20),
        ] {
            assert_eq!(parse(&[arg]).unwrap(), RoundedCorners { radius }, "{arg}");
        }
    }

    #[test]
    fn radius_is_capped_at_half_the_shorter_edge() {
        // rounded-corners.md examples 1, 3, 4, 5, 8 and an odd edge (Q1).
        for (radius, (w, h), r) in [
            (30, (2500, 1875), 30.0),
            (10, (100, 100), 10.0),
            (4096, (400, 200), 100.0),
            (100, (200, 200), 100.0),
            (30, (200, 100), 30.0),
            (4096, (5, 3), 1.5),
        ] {
            assert_eq!(RoundedCorners { radius }.radius_on(w, h), r, "r_{radius}");
        }
    }

    #[test]
    fn coverage_follows_the_arcs() {
        // Example 8: 200×100 with r_30.
        let c = |x, y| coverage(x, y, 200.0, 100.0, 30.0);
        assert_eq!(c(0, 0), 0.0);
        assert_eq!(c(100, 50), 1.0);
        assert_eq!(c(30, 0), 1.0, "first column past the corner square");
        for (x, y) in [(199, 0), (0, 99), (199, 99)] {
            assert_eq!(c(x, y), 0.0, "mirrored corner ({x}, {y})");
        }
        // A pixel whose centre is R from the corner centre is half covered (spec: ramp
        // of 1 px around "farther than R is outside").
        let d = |x: f32, y: f32| (30.0 - x - 0.5).hypot(30.0 - y - 0.5);
        assert_eq!(c(8, 9), (30.5 - d(8.0, 9.0)).clamp(0.0, 1.0));
        assert!(c(8, 9) > 0.0 && c(8, 9) < 1.0, "{}", c(8, 9));
        // Example 4: 400×200 capped to R = 100, the short ends are semicircles.
        let c = |x, y| coverage(x, y, 400.0, 200.0, 100.0);
        assert_eq!((c(0, 0), c(399, 199)), (0.0, 0.0));
        assert!(c(0, 100) > 0.99, "middle of the left end");
        assert_eq!(c(200, 0), 1.0, "straight top edge");
        // Example 5: 200×200 with r_100 keeps the inscribed circle.
        let c = |x, y| coverage(x, y, 200.0, 200.0, 100.0);
        assert_eq!((c(0, 0), c(99, 99), c(100, 100)), (0.0, 1.0, 1.0));
        assert_eq!(c(20, 20), 0.0, "outside the circle near the corner");
    }

    #[test]
    fn error_cases() {
        for (args, code, ec) in [
            (&["r_abc"][..], "InvalidArgument", Some("0040-00000237")),
            (&["r_5000"], "InvalidArgument", Some("0040-00000237")),
            (&["r_0"], "InvalidArgument", Some("0040-00000237")),
            (&["r_25p"], "InvalidArgument", Some("0040-00000237")),
            (&["r_-3"], "InvalidArgument", Some("0040-00000237")),
            (&[], "MissingArgument", None),
            // Huawei's rx/ry extension is an unknown key here.
            (&["rx_10", "ry_10"], "InvalidArgument", None),
            (&["r_10", "rx_10"], "InvalidArgument", None),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, ec), "{args:?}");
        }
    }

    #[test]
    fn canonical_round_trip() {
        let v = parse(&["r_030"]).unwrap();
        assert_eq!(v.to_string(), "r_30");
        assert_eq!(parse(&[&v.to_string()]).unwrap(), v);
        assert_eq!(parse(&["r_5", "r_30"]).unwrap().to_string(), "r_30");
    }
}
