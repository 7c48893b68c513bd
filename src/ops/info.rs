//! `info`: the source's metadata as JSON instead of an image (spec/info.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::spec::Params;

/// Takes no parameters. That it must be the only action is a chain rule (info.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Info;

impl Parse for Info {
    const NAME: &'static str = "info";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // info.md §1 [DECISION]: any argument is an error, not only unknown keys, so
        // lenient mode does not let `info,1` through.
        params.expect_none().map(|()| Info)
    }
}

impl fmt::Display for Info {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl Op for Info {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(args: &[&str], strict: bool) -> Result<Info> {
        crate::ops::parse_args(args, strict)
    }

    #[test]
    fn no_parameters() {
        assert_eq!(parse_with(&[], true).unwrap(), Info);
        // `image/info,` leaves one empty argument, which is dropped like an empty segment.
        assert_eq!(parse_with(&[""], true).unwrap(), Info);
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
        assert_eq!(Info.to_string(), "");
        assert_eq!(parse_with(&[&Info.to_string()], true).unwrap(), Info);
    }
}
