//! `quality,q_<n>` (relative) / `quality,Q_<n>` (absolute) (spec/quality.md). An encoder
//! setting for JPEG and lossy WebP output.

use std::fmt;

use super::Parse;
use crate::error::{Error, Result};
use crate::spec::params::parse_int;
use crate::spec::Params;

/// The output quality rule; `Q` wins over `q` when both are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quality {
    /// `q`: percent of the source JPEG's quality.
    Relative(u8),
    /// `Q` (or a bare value): absolute, but never above the source JPEG's quality.
    Absolute(u8),
}

impl Quality {
    /// The quality to encode with, given the source's (100 for non-JPEG sources).
    pub fn output_quality(self, source_quality: u8) -> u8 {
        match self {
            Quality::Absolute(q) => q.min(source_quality),
            Quality::Relative(q) => {
                let scaled = (u32::from(source_quality) * u32::from(q) + 50) / 100;
                scaled.clamp(1, 100) as u8
            }
        }
    }
}

fn percent(params: &mut Params<'_>, key: &str, ec: &'static str) -> Result<Option<u8>> {
    Ok(params.uint(key, 1..=100, Some(ec))?.map(|v| v as u8))
}

impl Parse for Quality {
    const NAME: &'static str = "quality";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        if params.is_empty() {
            return Err(Error::missing(Some("0040-00000307")));
        }
        let absolute = percent(params, "Q", "0040-00000308")?;
        let relative = percent(params, "q", "0040-00000309")?;
        if let Some(q) = absolute {
            return Ok(Quality::Absolute(q));
        }
        if let Some(q) = relative {
            return Ok(Quality::Relative(q));
        }
        // A bare `quality,<n>` reads as `Q_<n>` (quality.md Q3).
        let Some(bare) = params.take_bare() else {
            return Err(params.missing(Some("0040-00000307")));
        };
        match parse_int(bare) {
            Some(v @ 1..=100) => Ok(Quality::Absolute(v as u8)),
            _ => Err(Error::invalid_value(Some("0040-00000310"), "quality", bare)),
        }
    }
}

impl fmt::Display for Quality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quality::Relative(q) => write!(f, "q_{q}"),
            Quality::Absolute(q) => write!(f, "Q_{q}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Quality> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn forms() {
        assert_eq!(parse(&["q_90"]).unwrap(), Quality::Relative(90));
        assert_eq!(parse(&["Q_90"]).unwrap(), Quality::Absolute(90));
        assert_eq!(parse(&["q_90", "Q_70"]).unwrap(), Quality::Absolute(70));
        assert_eq!(parse(&["80"]).unwrap(), Quality::Absolute(80));
        assert_eq!(parse(&["q_080"]).unwrap().to_string(), "q_80");
    }

    #[test]
    fn errors() {
        assert_eq!(parse(&[]).unwrap_err().ec(), Some("0040-00000307"));
        assert_eq!(parse(&[]).unwrap_err().code(), "MissingArgument");
        for (args, ec) in [
            (&["Q_200"][..], "0040-00000308"),
            (&["Q_0"], "0040-00000308"),
            (&["Q_lossless"], "0040-00000308"),
            (&["q_200"], "0040-00000309"),
            (&["q_0"], "0040-00000309"),
            (&["q_abc"], "0040-00000309"),
            (&["200"], "0040-00000310"),
            (&["lossless"], "0040-00000310"),
        ] {
            assert_eq!(parse(args).unwrap_err().ec(), Some(ec), "{args:?}");
        }
        assert_eq!(parse(&["x_50"]).unwrap_err().code(), "InvalidArgument");
    }

    #[test]
    fn output_quality_rules() {
        // quality.md worked examples 1–5, 12.
        assert_eq!(Quality::Relative(90).output_quality(100), 90);
        assert_eq!(Quality::Relative(90).output_quality(80), 72);
        assert_eq!(Quality::Absolute(90).output_quality(95), 90);
        assert_eq!(Quality::Absolute(90).output_quality(80), 80);
        assert_eq!(Quality::Absolute(100).output_quality(75), 75);
        assert_eq!(Quality::Relative(50).output_quality(80), 40);
        assert_eq!(Quality::Relative(1).output_quality(1), 1);
    }
}
