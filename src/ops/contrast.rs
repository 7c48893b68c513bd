//! `contrast,<value>`: contrast around mid-grey (spec/contrast.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::spec::Params;

/// EC for a missing, non-integer or out-of-range value (assumed, contrast.md §1).
const EC_INVALID: &str = "0040-00000247";

/// A contrast change: negative flatter, 0 unchanged, positive punchier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contrast {
    /// In `-100..=100`.
    pub value: i8,
}

impl Parse for Contrast {
    const NAME: &'static str = "contrast";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(Some(EC_INVALID), "The action contrast needs a value.");
        let value = params.single_int(missing, -100..=100, Some(EC_INVALID))?;
        Ok(Contrast { value: value as i8 })
    }
}

impl fmt::Display for Contrast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Op for Contrast {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Contrast> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // contrast.md §3 and the values of its pixel vectors (the resize row is about apply).
        for (arg, value) in [
            ("-50", -50),
            ("50", 50),
            ("100", 100),
            ("-100", -100),
            ("0", 0),
        ] {
            assert_eq!(parse(&[arg]).unwrap(), Contrast { value }, "{arg}");
        }
    }

    #[test]
    fn error_cases() {
        for (args, ec) in [
            (&["150"][..], EC_INVALID),
            (&["-101"], EC_INVALID),
            (&[], EC_INVALID),
            (&["abc"], EC_INVALID),
            (&["1.5"], EC_INVALID),
            (&["+50"], EC_INVALID),
            (&["50", "10"], "0040-00000203"),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(
                (e.code(), e.ec()),
                ("InvalidArgument", Some(ec)),
                "{args:?}"
            );
        }
    }

    #[test]
    fn canonical_round_trip() {
        for arg in ["-100", "-050", "0", "-0", "007", "100"] {
            let v = parse(&[arg]).unwrap();
            assert_eq!(parse(&[&v.to_string()]).unwrap(), v, "{arg}");
        }
        assert_eq!(parse(&["-050"]).unwrap().to_string(), "-50");
        assert_eq!(parse(&["-0"]).unwrap().to_string(), "0");
    }
}
