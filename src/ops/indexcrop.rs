//! `indexcrop,x_<len>|y_<len>,i_<index>`: one strip of an equal slicing (spec/indexcrop.md).

use std::fmt;

use super::crop::Window;
use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::spec::params::parse_int;
use crate::spec::Params;

/// Strip length below 1 (`x_0`, `y_-10`), or neither `x` nor `y` given.
const EC_LENGTH: &str = "0040-00000230";

/// The direction along which the image is cut into strips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// `x`: vertical strips, `strip` columns wide.
    X,
    /// `y`: horizontal strips, `strip` rows high.
    Y,
}

/// Strip number `index` of the image cut into strips of `strip` pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexCrop {
    pub axis: Axis,
    /// Strip length, at least 1; a length beyond the edge means a single strip.
    pub strip: u32,
    /// 0 = leftmost / topmost; an index past the last strip returns the image unchanged.
    pub index: u32,
}

/// An integer of at least `min`, or `None` when `key` is absent. Neither value has an upper
/// bound (a longer strip is clamped, a later index returns the image), so numbers beyond
/// `u32` saturate instead of failing.
fn count(
    params: &mut Params<'_>,
    key: &str,
    min: u32,
    not_a_number: Option<&'static str>,
    too_small: Option<&'static str>,
) -> Result<Option<u32>> {
    let Some(raw) = params.take(key) else {
        return Ok(None);
    };
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_value(not_a_number, key, raw));
    }
    // Only an i64 overflow is left to fail, and its sign says which end it is past.
    let value = parse_int(raw).unwrap_or(if raw.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    });
    if value < i64::from(min) {
        return Err(Error::invalid_value(too_small, key, raw));
    }
    Ok(Some(u32::try_from(value).unwrap_or(u32::MAX)))
}

impl Parse for IndexCrop {
    const NAME: &'static str = "indexcrop";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // Every given parameter is validated first, so `x_0,y_100` fails (indexcrop.md Q4).
        // The EC for a non-numeric `x` is unconfirmed (README §7.3).
        let x = count(params, "x", 1, Some("0040-00000223"), Some(EC_LENGTH))?;
        let y = count(params, "y", 1, Some("0040-00000224"), Some(EC_LENGTH))?;
        let ec_index = Some("0040-00000229");
        let index = count(params, "i", 0, ec_index, ec_index)?.unwrap_or(0);
        // `y` wins when both are given.
        let (axis, strip) = match (x, y) {
            (_, Some(y)) => (Axis::Y, y),
            (Some(x), None) => (Axis::X, x),
            (None, None) => {
                return Err(Error::invalid(
                    Some(EC_LENGTH),
                    "The action indexcrop needs x or y.",
                ))
            }
        };
        Ok(IndexCrop { axis, strip, index })
    }
}

/// Keys in alphabetical order; `i_0` is the default and is left out.
impl fmt::Display for IndexCrop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.index != 0 {
            write!(f, "i_{},", self.index)?;
        }
        let key = match self.axis {
            Axis::X => "x",
            Axis::Y => "y",
        };
        write!(f, "{key}_{}", self.strip)
    }
}

impl IndexCrop {
    /// The strip on a `width×height` image, or `None` when the index is past the last
    /// strip and the image is returned unchanged (indexcrop.md).
    pub fn window(&self, width: u32, height: u32) -> Option<Window> {
        let along = match self.axis {
            Axis::X => width,
            Axis::Y => height,
        };
        let (start, size) = strip(self.strip, self.index, along)?;
        Some(match self.axis {
            Axis::X => Window {
                x: start,
                y: 0,
                w: size,
                h: height,
            },
            Axis::Y => Window {
                x: 0,
                y: start,
                w: width,
                h: size,
            },
        })
    }
}

/// Start and size of strip `index` when `total` pixels are cut into strips of `len`; the
/// last strip may be shorter (indexcrop.md Q1), a longer `len` makes one strip (Q2).
fn strip(len: u32, index: u32, total: u32) -> Option<(u32, u32)> {
    let len = len.min(total);
    // `index` is past the last strip exactly when its start is not inside the image.
    let start = index.checked_mul(len).filter(|&start| start < total)?;
    Some((start, len.min(total - start)))
}

impl Op for IndexCrop {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let (width, height) = (cx.image.width(), cx.image.height());
        match self.window(width, height) {
            Some(win) if (win.w, win.h) != (width, height) => {
                cx.image.crop(win.x, win.y, win.w, win.h)
            }
            _ => Ok(()),
        }
    }

    /// Part of the crop family: the same strip of every frame (README §6, indexcrop.md Q3).
    fn keeps_animation(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<IndexCrop> {
        crate::ops::parse_args(args, true)
    }

    fn crop(axis: Axis, strip: u32, index: u32) -> IndexCrop {
        IndexCrop { axis, strip, index }
    }

    #[test]
    fn worked_examples() {
        use Axis::{X, Y};
        // indexcrop.md examples 1–12, in order (6 repeats 5 on another source).
        for (args, expected) in [
            (&["x_100", "i_0"][..], crop(X, 100, 0)),
            (&["x_100", "i_24"], crop(X, 100, 24)),
            (&["x_100", "i_25"], crop(X, 100, 25)),
            (&["x_100", "i_100"], crop(X, 100, 100)),
            (&["y_100", "i_10"], crop(Y, 100, 10)),
            (&["y_100", "i_18"], crop(Y, 100, 18)),
            (&["y_100", "i_19"], crop(Y, 100, 19)),
            (&["x_300", "i_8"], crop(X, 300, 8)),
            (&["x_100", "y_200", "i_1"], crop(Y, 200, 1)),
            (&["x_3000", "i_0"], crop(X, 3000, 0)),
            (&["y_100"], crop(Y, 100, 0)),
        ] {
            assert_eq!(parse(args).unwrap(), expected, "{args:?}");
        }
    }

    #[test]
    fn unbounded_numbers_saturate() {
        let v = parse(&["x_99999999999999999999", "i_5000000000"]).unwrap();
        assert_eq!(v, crop(Axis::X, u32::MAX, u32::MAX));
    }

    #[test]
    fn error_cases() {
        for (args, ec) in [
            (&["x_0", "i_0"][..], Some(EC_LENGTH)),
            (&["i_1"], Some(EC_LENGTH)),
            (&[], Some(EC_LENGTH)),
            (&["y_abc", "i_0"], Some("0040-00000224")),
            (&["x_abc", "i_0"], Some("0040-00000223")),
            (&["x_100", "i_abc"], Some("0040-00000229")),
            (&["x_100", "i_-1"], Some("0040-00000229")),
            (&["x_100", "i_-99999999999999999999"], Some("0040-00000229")),
            (&["x_-10", "i_0"], Some(EC_LENGTH)),
            (&["y_-99999999999999999999"], Some(EC_LENGTH)),
            (&["x_1.5"], Some("0040-00000223")),
            (&["x_", "i_0"], Some("0040-00000223")),
            // Q4: an invalid `y` is not skipped in favour of a valid `x`, nor the reverse.
            (&["x_100", "y_0"], Some(EC_LENGTH)),
            (&["x_0", "y_100"], Some(EC_LENGTH)),
            (&["x_100", "z_1"], None),
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), ("InvalidArgument", ec), "{args:?}");
        }
    }

    #[test]
    fn canonical_round_trip() {
        for (args, canonical) in [
            (&["x_0100", "i_00"][..], "x_100"),
            (&["y_100"], "y_100"),
            (&["i_3", "y_100"], "i_3,y_100"),
            (&["y_100", "i_3"], "i_3,y_100"),
            (&["x_5", "y_100", "i_3"], "i_3,y_100"),
        ] {
            let v = parse(args).unwrap();
            assert_eq!(v.to_string(), canonical, "{args:?}");
            let s = v.to_string();
            let again: Vec<&str> = s.split(',').collect();
            assert_eq!(parse(&again).unwrap(), v, "{args:?}");
        }
    }

    #[test]
    fn windows_of_the_worked_examples() {
        // indexcrop.md examples 1–12: (#, args, source, window or None = whole image).
        let win = |x, y, w, h| Some(Window { x, y, w, h });
        type Row = (u32, &'static [&'static str], (u32, u32), Option<Window>);
        let rows: [Row; 12] = [
            (1, &["x_100", "i_0"], (2500, 1875), win(0, 0, 100, 1875)),
            (2, &["x_100", "i_24"], (2500, 1875), win(2400, 0, 100, 1875)),
            (3, &["x_100", "i_25"], (2500, 1875), None),
            (4, &["x_100", "i_100"], (2500, 1875), None),
            (5, &["y_100", "i_10"], (2500, 1875), win(0, 1000, 2500, 100)),
            (6, &["y_100", "i_10"], (400, 267), None),
            (7, &["y_100", "i_18"], (2500, 1875), win(0, 1800, 2500, 75)),
            (8, &["y_100", "i_19"], (2500, 1875), None),
            (9, &["x_300", "i_8"], (2500, 1875), win(2400, 0, 100, 1875)),
            (
                10,
                &["x_100", "y_200", "i_1"],
                (2500, 1875),
                win(0, 200, 2500, 200),
            ),
            (11, &["x_3000", "i_0"], (2500, 1875), win(0, 0, 2500, 1875)),
            (12, &["y_100"], (2500, 1875), win(0, 0, 2500, 100)),
        ];
        for (n, args, (w, h), expected) in rows {
            assert_eq!(parse(args).unwrap().window(w, h), expected, "example {n}");
        }
    }

    #[test]
    fn huge_strips_and_indices_do_not_overflow() {
        assert_eq!(crop(Axis::X, u32::MAX, u32::MAX).window(10, 10), None);
        assert_eq!(crop(Axis::Y, 3, u32::MAX / 2).window(10, 10), None);
        assert_eq!(
            crop(Axis::Y, u32::MAX, 0).window(10, 10),
            Some(Window {
                x: 0,
                y: 0,
                w: 10,
                h: 10
            })
        );
    }

    #[test]
    fn keeps_animation() {
        assert!(crop(Axis::X, 1, 0).keeps_animation());
    }
}
