//! `interlace,0|1`: progressive JPEG output (spec/interlace.md). An encoder setting that
//! only JPEG output honours.

use std::fmt;

use super::Parse;
use crate::error::{Error, Result};
use crate::spec::Params;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interlace {
    pub progressive: bool,
}

impl Parse for Interlace {
    const NAME: &'static str = "interlace";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(Some("0040-00000281"), "The action interlace needs a value.");
        match params.single_value(missing)? {
            "0" => Ok(Interlace { progressive: false }),
            "1" => Ok(Interlace { progressive: true }),
            other => Err(Error::invalid_value(
                Some("0040-00000282"),
                "interlace",
                other,
            )),
        }
    }
}

impl fmt::Display for Interlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.progressive { "1" } else { "0" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Interlace> {
        Interlace::parse(&mut Params::new(
            "interlace",
            args,
            crate::spec::ParseRules::OSS,
        ))
    }

    #[test]
    fn values_and_errors() {
        assert!(parse(&["1"]).unwrap().progressive);
        assert!(!parse(&["0"]).unwrap().progressive);
        assert_eq!(parse(&[]).unwrap_err().ec(), Some("0040-00000281"));
        assert_eq!(parse(&["2"]).unwrap_err().ec(), Some("0040-00000282"));
        assert_eq!(parse(&["abc"]).unwrap_err().ec(), Some("0040-00000282"));
        assert_eq!(parse(&["1", "0"]).unwrap_err().ec(), Some("0040-00000203"));
    }
}
