//! `rotate,<degrees>`: clockwise rotation (spec/rotate.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
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

impl Op for Rotate {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
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
}
