//! `average-hue`: the average colour as JSON instead of an image (spec/average-hue.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::spec::Params;

/// Takes no parameters. That it must be the last action is a chain rule (average-hue.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AverageHue;

impl Parse for AverageHue {
    const NAME: &'static str = "average-hue";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // average-hue.md §1 [DECISION]: any argument is an error, not only unknown keys, so
        // lenient mode does not let `average-hue,1` through.
        params.expect_none().map(|()| AverageHue)
    }
}

impl fmt::Display for AverageHue {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl Op for AverageHue {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(args: &[&str], strict: bool) -> Result<AverageHue> {
        crate::ops::parse_args(args, strict)
    }

    #[test]
    fn no_parameters() {
        assert_eq!(parse_with(&[], true).unwrap(), AverageHue);
        // `image/average-hue,` leaves one empty argument, which is dropped like an empty segment.
        assert_eq!(parse_with(&[""], true).unwrap(), AverageHue);
    }

    #[test]
    fn error_cases() {
        for strict in [true, false] {
            for args in [&["1"][..], &["zz_1"], &["w_100", "h_100"]] {
                let e = parse_with(args, strict).unwrap_err();
                assert_eq!((e.code(), e.ec()), ("InvalidArgument", None), "{args:?}");
            }
        }
    }

    #[test]
    fn canonical_round_trip() {
        assert_eq!(AverageHue.to_string(), "");
        assert_eq!(
            parse_with(&[&AverageHue.to_string()], true).unwrap(),
            AverageHue
        );
    }
}
