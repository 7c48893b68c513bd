//! `auto-orient,0|1`: apply the EXIF orientation (spec/auto-orient.md). A decode-time
//! setting, ON by default, applied before every action wherever it stands.

use std::fmt;

use super::{Ctx, Parse};
use crate::error::{Error, Result};
use crate::frame::{rgba_len, try_zeroed, Frame};
use crate::spec::Params;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoOrient {
    pub enabled: bool,
}

impl Parse for AutoOrient {
    const NAME: &'static str = "auto-orient";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(
            Some("0040-00000214"),
            "The action auto-orient needs a value.",
        );
        match params.single_value(missing)? {
            "0" => Ok(AutoOrient { enabled: false }),
            "1" => Ok(AutoOrient { enabled: true }),
            other => Err(Error::invalid_value(
                Some("0040-00000215"),
                "auto-orient",
                other,
            )),
        }
    }
}

impl fmt::Display for AutoOrient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.enabled { "1" } else { "0" })
    }
}

/// Turns the current image upright per the source's EXIF orientation. An explicit
/// `auto-orient,1` obeys the rotation size limit; the implicit default never errors.
pub fn apply_orientation(cx: &mut Ctx<'_>, explicit: bool) -> Result<()> {
    let orientation = cx.source.orientation;
    if !(2..=8).contains(&orientation) {
        return Ok(());
    }
    if explicit {
        cx.limits()
            .check_rotate_source(cx.image.width(), cx.image.height())?;
    }
    cx.image.map_frames(|frame| orient(frame, orientation))
}

/// The pixels of `frame` with EXIF `orientation` (1..=8) applied.
pub fn orient(frame: &Frame, orientation: u8) -> Result<Frame> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let swaps = orientation >= 5;
    let (ow, oh) = if swaps { (h, w) } else { (w, h) };
    let mut out = try_zeroed(rgba_len(frame.width(), frame.height())?)?;
    let src = frame.pixels();
    for (y, row) in src.chunks_exact(w * 4).enumerate() {
        for (x, px) in row.chunks_exact(4).enumerate() {
            // Destination of the stored pixel (x, y): the table in auto-orient.md.
            let (dx, dy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (h - 1 - y, x),
                7 => (h - 1 - y, w - 1 - x),
                8 => (y, w - 1 - x),
                _ => (x, y),
            };
            let d = (dy * ow + dx) * 4;
            out[d..d + 4].copy_from_slice(px);
        }
    }
    Frame::from_rgba(ow as u32, oh as u32, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<AutoOrient> {
        AutoOrient::parse(&mut Params::new(
            "auto-orient",
            args,
            crate::spec::ParseRules::OSS,
        ))
    }

    #[test]
    fn parse_rules() {
        assert!(parse(&["1"]).unwrap().enabled);
        assert!(!parse(&["0"]).unwrap().enabled);
        assert_eq!(parse(&[]).unwrap_err().ec(), Some("0040-00000214"));
        for bad in ["abc", "10", "2"] {
            assert_eq!(parse(&[bad]).unwrap_err().ec(), Some("0040-00000215"));
        }
        assert_eq!(parse(&["1", "2"]).unwrap_err().ec(), Some("0040-00000203"));
    }

    /// A 3×2 frame whose red channel numbers the pixels 0..6 in stored order.
    fn numbered() -> Frame {
        let px = (0..6u8).flat_map(|i| [i, 0, 0, 255]).collect();
        Frame::from_rgba(3, 2, px).unwrap()
    }

    fn reds(f: &Frame) -> Vec<u8> {
        f.pixels().chunks(4).map(|p| p[0]).collect()
    }

    #[test]
    fn orientation_table() {
        // Stored:  0 1 2
        //          3 4 5
        let cases: [(u8, (u32, u32), [u8; 6]); 8] = [
            (1, (3, 2), [0, 1, 2, 3, 4, 5]),
            (2, (3, 2), [2, 1, 0, 5, 4, 3]),
            (3, (3, 2), [5, 4, 3, 2, 1, 0]),
            (4, (3, 2), [3, 4, 5, 0, 1, 2]),
            (5, (2, 3), [0, 3, 1, 4, 2, 5]),
            (6, (2, 3), [3, 0, 4, 1, 5, 2]),
            (7, (2, 3), [5, 2, 4, 1, 3, 0]),
            (8, (2, 3), [2, 5, 1, 4, 0, 3]),
        ];
        for (o, size, expected) in cases {
            let out = orient(&numbered(), o).unwrap();
            assert_eq!((out.width(), out.height()), size, "orientation {o}");
            assert_eq!(reds(&out), expected, "orientation {o}");
        }
    }
}
