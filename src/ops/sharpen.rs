//! `sharpen,<value>`: unsharp mask (spec/sharpen.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
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
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
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

    #[test]
    fn canonical_round_trip() {
        for arg in ["50", "0100", "399"] {
            let v = parse(&[arg]).unwrap();
            assert_eq!(parse(&[&v.to_string()]).unwrap(), v, "{arg}");
        }
        assert_eq!(parse(&["0100"]).unwrap().to_string(), "100");
    }
}
