//! `circle,r_<radius>`: inscribed circle crop (spec/circle.md).

use std::fmt;

use super::crop::Window;
use super::{Ctx, Op, Parse};
use crate::error::Result;
use crate::frame::disc_coverage;
use crate::spec::Params;

/// A circle around the image centre; the output is its bounding square.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Circle {
    /// Requested radius in `1..=4096`; capped to the image when applied.
    pub radius: u32,
}

impl Parse for Circle {
    const NAME: &'static str = "circle";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let radius = params.uint("r", 1..=4096, Some("0040-00000233"))?;
        // No EC is published for a missing `r` (circle.md, error cases).
        let radius = radius.ok_or_else(|| params.missing(None))?;
        Ok(Circle { radius })
    }
}

impl fmt::Display for Circle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r_{}", self.radius)
    }
}

impl Circle {
    /// The square cut from a `width×height` image: side `min(2r + 1, shorter edge)`,
    /// centred, an odd leftover pixel going to the right / bottom (circle.md Q1, Q2).
    pub fn square(&self, width: u32, height: u32) -> Window {
        let side = self
            .radius
            .saturating_mul(2)
            .saturating_add(1)
            .min(width.min(height));
        // `side` fits in both sides, so the subtractions cannot wrap.
        Window {
            x: (width - side) / 2,
            y: (height - side) / 2,
            w: side,
            h: side,
        }
    }
}

impl Op for Circle {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let square = self.square(cx.image.width(), cx.image.height());
        cx.image.crop(square.x, square.y, square.w, square.h)?;
        // Centre and radius in pixel-index coordinates: (D - 1) / 2, possibly x.5.
        let r = (square.w as f32 - 1.0) / 2.0;
        cx.image
            .mask(|x, y| disc_coverage(r, x as f32 - r, y as f32 - r));
        cx.show_cut_areas();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Circle> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // circle.md examples 1–11: only the radius is a parsing matter.
        for (arg, radius) in [
            ("r_100", 100),
            ("r_1000", 1000),
            ("r_4096", 4096),
            ("r_150", 150),
            ("r_99", 99),
            ("r_1", 1),
            ("r_50", 50),
        ] {
            assert_eq!(parse(&[arg]).unwrap(), Circle { radius }, "{arg}");
        }
    }

    #[test]
    fn squares_of_the_worked_examples() {
        // circle.md examples 1–11: (#, radius, current image, (left, top, side)).
        for (n, radius, (w, h), (x, y, side)) in [
            (1, 100, (2500, 1875), (1149, 837, 201)),
            (2, 100, (2500, 1875), (1149, 837, 201)),
            (3, 100, (2500, 1875), (1149, 837, 201)),
            (4, 1000, (2500, 1875), (312, 0, 1875)),
            (5, 4096, (400, 200), (100, 0, 200)),
            (6, 150, (400, 200), (100, 0, 200)),
            (7, 99, (400, 200), (100, 0, 199)),
            (8, 1, (10, 10), (3, 3, 3)),
            // 9: resize,w_200 has made 2500×1875 into 200×150.
            (9, 100, (200, 150), (25, 0, 150)),
            (10, 50, (400, 300), (149, 99, 101)),
            (11, 50, (300, 300), (99, 99, 101)),
        ] {
            let expected = Window {
                x,
                y,
                w: side,
                h: side,
            };
            assert_eq!(Circle { radius }.square(w, h), expected, "example {n}");
        }
        // A radius near u32::MAX saturates instead of overflowing.
        assert_eq!(Circle { radius: u32::MAX }.square(7, 9).w, 7);
    }

    #[test]
    fn error_cases() {
        for (args, code, ec) in [
            (&["r_abc"][..], "InvalidArgument", Some("0040-00000233")),
            (&["r_5000"], "InvalidArgument", Some("0040-00000233")),
            (&["r_4097"], "InvalidArgument", Some("0040-00000233")),
            (&["r_0"], "InvalidArgument", Some("0040-00000233")),
            (&["r_-1"], "InvalidArgument", Some("0040-00000233")),
            (&["r_"], "InvalidArgument", Some("0040-00000233")),
            (&[], "MissingArgument", None),
            (&["r_10", "x_5"], "InvalidArgument", None),
            (&["x_5"], "InvalidArgument", None),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, ec), "{args:?}");
        }
    }

    #[test]
    fn canonical_round_trip() {
        let v = parse(&["r_0100"]).unwrap();
        assert_eq!(v.to_string(), "r_100");
        assert_eq!(parse(&[&v.to_string()]).unwrap(), v);
        // A later duplicate wins (README §1.2 rule 6).
        assert_eq!(parse(&["r_5", "r_100"]).unwrap().to_string(), "r_100");
    }
}
