//! `blur,r_<radius>,s_<sigma>`: Gaussian blur (spec/blur.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, ErrorKind, Result};
use crate::spec::Params;

const EC_RADIUS: &str = "0040-00000241";
const EC_SIGMA: &str = "0040-00000242";

/// A Gaussian blur truncated at `radius`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blur {
    /// Kernel half-width in `1..=50` (kernel size `2r+1`).
    pub radius: u32,
    /// Standard deviation in pixels, `1..=50`.
    pub sigma: u32,
}

impl Parse for Blur {
    const NAME: &'static str = "blur";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // Every given value is validated before anything is reported missing.
        let radius = params.uint("r", 1..=50, Some(EC_RADIUS))?;
        let sigma = params.uint("s", 1..=50, Some(EC_SIGMA))?;
        // The vendor prints these two ECs with the family prefix 0004 (blur.md §4).
        let face = match params.take("g") {
            None => false,
            Some("face" | "faces") => true,
            Some(other) => return Err(Error::invalid_value(Some("0004-00000243"), "g", other)),
        };
        let face_share = params.uint("p", 1..=200, Some("0004-00000244"))?;
        if face || face_share.is_some() {
            return Err(Error::new(
                ErrorKind::NotImplemented,
                None,
                "Face blur (g, p) needs face detection, which this build does not have.",
            ));
        }
        let (Some(radius), Some(sigma)) = (radius, sigma) else {
            // A misspelt key (`t_2`) explains more than the missing one.
            params.reject_leftovers()?;
            // blur.md §4 [DECISION]: a missing value reports that parameter's EC.
            let ec = if radius.is_none() {
                EC_RADIUS
            } else {
                EC_SIGMA
            };
            return Err(Error::missing(Some(ec)));
        };
        Ok(Blur { radius, sigma })
    }
}

impl fmt::Display for Blur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r_{},s_{}", self.radius, self.sigma)
    }
}

impl Op for Blur {
    fn apply(&self, _cx: &mut Ctx<'_>) -> Result<()> {
        Err(Error::not_implemented(Self::NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Blur> {
        crate::ops::parse_args(args, true)
    }

    #[test]
    fn worked_examples() {
        // blur.md §3 (the resize row is about order, i.e. apply).
        for (args, radius, sigma) in [
            (&["r_3", "s_2"][..], 3, 2),
            (&["r_10", "s_10"], 10, 10),
            (&["r_1", "s_50"], 1, 50),
            (&["s_2", "r_3"], 3, 2),
            (&["r_50", "s_1"], 50, 1),
        ] {
            assert_eq!(parse(args).unwrap(), Blur { radius, sigma }, "{args:?}");
        }
    }

    #[test]
    fn error_cases() {
        for (args, code, ec) in [
            (&["r_3"][..], "MissingArgument", Some(EC_SIGMA)),
            (&["s_2"], "MissingArgument", Some(EC_RADIUS)),
            (&[], "MissingArgument", Some(EC_RADIUS)),
            (&["r_200", "s_25"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_abc", "s_25"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_0", "s_25"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_2.5", "s_2"], "InvalidArgument", Some(EC_RADIUS)),
            (&["r_3", "s_200"], "InvalidArgument", Some(EC_SIGMA)),
            (&["r_3", "s_0"], "InvalidArgument", Some(EC_SIGMA)),
            // An invalid value is reported before a missing one.
            (&["s_abc"], "InvalidArgument", Some(EC_SIGMA)),
            (
                &["r_3", "s_2", "g_fac"],
                "InvalidArgument",
                Some("0004-00000243"),
            ),
            (
                &["r_3", "s_2", "g_face", "p_1000"],
                "InvalidArgument",
                Some("0004-00000244"),
            ),
            (&["r_3", "s_2", "g_face"], "NotImplemented", None),
            (&["r_3", "s_2", "g_faces", "p_150"], "NotImplemented", None),
            (&["r_3", "s_2", "p_150"], "NotImplemented", None),
            (&["r_3", "s_2", "x_1"], "InvalidArgument", None),
            (&["r_3", "t_2"], "InvalidArgument", None),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, ec), "{args:?}");
        }
    }

    #[test]
    fn canonical_round_trip() {
        let v = parse(&["s_02", "r_03"]).unwrap();
        assert_eq!(v.to_string(), "r_3,s_2");
        let s = v.to_string();
        let args: Vec<&str> = s.split(',').collect();
        assert_eq!(parse(&args).unwrap(), v);
        assert_eq!(parse(&["r_3", "s_2"]).unwrap().to_string(), s);
        assert_eq!(parse(&["r_9", "s_2", "r_3"]).unwrap().to_string(), s);
    }
}
