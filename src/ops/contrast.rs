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
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let table = self.table();
        cx.image.edit_pixels(|pixels| map_rgb(pixels, &table));
        Ok(())
    }
}

/// Maps R, G and B of every pixel through `table`, in place; alpha is kept. A 256-byte
/// table lookup per channel beats computing the formula, in wasm too.
fn map_rgb(pixels: &mut [u8], table: &[u8; 256]) {
    for px in pixels.chunks_exact_mut(4) {
        for level in px.iter_mut().take(3) {
            *level = table[usize::from(*level)];
        }
    }
}

impl Contrast {
    /// contrast.md §2: `round((in − 127.5)·k + 127.5)`, clamped, with `k = 1 + v/100` for
    /// `v ≥ 0` and `1 + v/200` below. In integers, so that exact halves round away from zero
    /// as the spec's vectors require: with `k = num/den`, the value is `n / 2den` where
    /// `n = 255·den + (2·in − 255)·num`.
    fn table(self) -> [u8; 256] {
        let v = i32::from(self.value);
        let (num, den) = if v >= 0 {
            (100 + v, 100)
        } else {
            (200 + v, 200)
        };
        std::array::from_fn(|level| {
            let n = 255 * den + (2 * level as i32 - 255) * num;
            // Negative values clamp to 0; `(n + den) / 2den` rounds a half up.
            ((n.max(0) + den) / (2 * den)).min(255) as u8
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{Frame, Image};

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
    fn pixel_vectors() {
        // contrast.md §3, input (0, 64, 128, 192, 255).
        for (value, want) in [
            (50, [0, 32, 128, 224, 255]),
            (-50, [32, 80, 128, 176, 223]),
            (100, [0, 1, 129, 255, 255]),
            (-100, [64, 96, 128, 160, 191]),
        ] {
            let table = Contrast { value }.table();
            let got = [0, 64, 128, 192, 255].map(|level: usize| table[level]);
            assert_eq!(got, want, "contrast,{value}");
        }
    }

    #[test]
    fn contrast_0_is_the_identity_and_alpha_is_kept() {
        let table = Contrast { value: 0 }.table();
        assert!(table
            .iter()
            .enumerate()
            .all(|(level, &v)| usize::from(v) == level));
        let mut image = Image::still(Frame::from_rgba(1, 1, vec![0, 64, 192, 9]).unwrap());
        let table = Contrast { value: 50 }.table();
        image.edit_pixels(|pixels| map_rgb(pixels, &table));
        assert_eq!(image.first().pixels(), &[0, 32, 224, 9]);
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
