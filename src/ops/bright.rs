//! `bright,<value>`: brightness shift (spec/bright.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::spec::Params;

/// A brightness change: negative darker, 0 unchanged, positive brighter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bright {
    /// In `-100..=100`.
    pub value: i8,
}

impl Parse for Bright {
    const NAME: &'static str = "bright";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(Some("0040-00000245"), "The action bright needs a value.");
        // parse_int admits no leading `+`, which bright.md §1 rejects too.
        let value = params.single_int(missing, -100..=100, Some("0040-00000246"))?;
        Ok(Bright { value: value as i8 })
    }
}

impl fmt::Display for Bright {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl Op for Bright {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Bright> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // bright.md §3 (the resize row is about order, i.e. apply).
        for (arg, value) in [
            ("50", 50),
            ("-50", -50),
            ("0", 0),
            ("100", 100),
            ("-100", -100),
        ] {
            assert_eq!(parse(&[arg]).unwrap(), Bright { value }, "{arg}");
        }
    }

    #[test]
    fn error_cases() {
        for (args, ec) in [
            (&[][..], "0040-00000245"),
            (&["200"], "0040-00000246"),
            (&["101"], "0040-00000246"),
            (&["-101"], "0040-00000246"),
            (&["abc"], "0040-00000246"),
            (&["1.5"], "0040-00000246"),
            (&["+50"], "0040-00000246"),
            (&["v_50"], "0040-00000246"),
            (&["50", "50"], "0040-00000203"),
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
