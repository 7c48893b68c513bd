//! `circle,r_<radius>`: inscribed circle crop (spec/circle.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
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
        let Some(radius) = params.uint("r", 1..=4096, Some("0040-00000233"))? else {
            // An unknown key (a clone's `rx`, say) explains more than a missing `r`.
            params.reject_leftovers()?;
            // No EC is published for a missing `r` (circle.md, error cases).
            return Err(Error::missing(None));
        };
        Ok(Circle { radius })
    }
}

impl fmt::Display for Circle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r_{}", self.radius)
    }
}

impl Op for Circle {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
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
