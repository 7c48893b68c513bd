//! `bright,<value>`: brightness shift (spec/bright.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::frame::{try_zeroed, Frame, Image};
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
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        map_rgb(&mut cx.image, &self.table())
    }
}

impl Bright {
    /// bright.md §2.1: `clamp(in + value, 0, 255)` for every level.
    fn table(self) -> [u8; 256] {
        std::array::from_fn(|level| (level as i32 + i32::from(self.value)).clamp(0, 255) as u8)
    }
}

/// Maps R, G and B of every pixel through `table`; alpha is kept. Shared by the per-level
/// tone actions (bright, contrast).
pub(super) fn map_rgb(image: &mut Image, table: &[u8; 256]) -> Result<()> {
    image.map_frames(|frame| {
        let mut out = try_zeroed(frame.pixels().len())?;
        for (o, s) in out.chunks_exact_mut(4).zip(frame.pixels().chunks_exact(4)) {
            for c in 0..3 {
                o[c] = table[usize::from(s[c])];
            }
            o[3] = s[3];
        }
        Frame::from_rgba(frame.width(), frame.height(), out)
    })
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
    fn pixel_vectors() {
        // bright.md §3: (0, 128, 255) shifted by the value, clamped.
        for (value, want) in [
            (50, [50, 178, 255]),
            (-50, [0, 78, 205]),
            (100, [100, 228, 255]),
            (0, [0, 128, 255]),
        ] {
            let mut image = Image::still(Frame::from_rgba(1, 1, vec![0, 128, 255, 77]).unwrap());
            map_rgb(&mut image, &Bright { value }.table()).unwrap();
            let [r, g, b] = want;
            assert_eq!(image.first().pixels(), &[r, g, b, 77], "bright,{value}");
        }
    }

    #[test]
    fn bright_0_is_the_identity() {
        let table = Bright { value: 0 }.table();
        assert!(table
            .iter()
            .enumerate()
            .all(|(level, &v)| usize::from(v) == level));
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
