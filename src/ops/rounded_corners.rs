//! `rounded-corners,r_<radius>`: rounded corners (spec/rounded-corners.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
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
        let Some(radius) = params.uint("r", 1..=4096, Some("0040-00000237"))? else {
            // An unknown key (a clone's `rx`, say) explains more than a missing `r`.
            params.reject_leftovers()?;
            // No EC is published for a missing `r` (rounded-corners.md, error cases).
            return Err(Error::missing(None));
        };
        Ok(RoundedCorners { radius })
    }
}

impl fmt::Display for RoundedCorners {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r_{}", self.radius)
    }
}

impl Op for RoundedCorners {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
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
