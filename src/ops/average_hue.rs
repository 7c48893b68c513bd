//! `average-hue`: the average colour as JSON instead of an image (spec/average-hue.md).

use std::fmt;

use super::Parse;
use crate::error::Result;
use crate::frame::{Frame, Image};
use crate::spec::Params;

/// Takes no parameters. That it must be the last action is a chain rule (average-hue.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AverageHue;

impl Parse for AverageHue {
    const NAME: &'static str = "average-hue";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // average-hue.md §1 [DECISION]: any argument is an error, not only unknown keys, so
        // lenient mode does not let `average-hue,1` through.
        params.expect_none().map(|()| AverageHue)
    }
}

impl fmt::Display for AverageHue {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl AverageHue {
    /// The JSON answer for `image` (its first frame: an animation is decoded still).
    pub fn answer(&self, image: &Image) -> String {
        let [r, g, b] = average(image.first());
        format!(r#"{{"RGB":"0x{r:02x}{g:02x}{b:02x}"}}"#)
    }
}

/// The mean of the stored R, G, B (alpha ignored), each rounded half up (average-hue.md §3).
fn average(frame: &Frame) -> [u8; 3] {
    // u64 cannot overflow: 2 · 255 · pixels stays far below 2^64 for any addressable frame.
    let mut sums = [0u64; 3];
    for px in frame.pixels().chunks_exact(4) {
        for (sum, &v) in sums.iter_mut().zip(px) {
            *sum += u64::from(v);
        }
    }
    let n = u64::from(frame.width()) * u64::from(frame.height());
    // (2·sum + n) / 2n = floor(sum/n + 1/2); the mean is at most 255.
    sums.map(|sum| ((2 * sum + n) / (2 * n)).min(255) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(args: &[&str], strict: bool) -> Result<AverageHue> {
        crate::ops::parse_args(args, strict)
    }

    #[test]
    fn no_parameters() {
        assert_eq!(parse_with(&[], true).unwrap(), AverageHue);
        // `image/average-hue,` leaves one empty argument, which is dropped like an empty segment.
        assert_eq!(parse_with(&[""], true).unwrap(), AverageHue);
    }

    #[test]
    fn error_cases() {
        for strict in [true, false] {
            for args in [&["1"][..], &["zz_1"], &["w_100", "h_100"]] {
                let e = parse_with(args, strict).unwrap_err();
                assert_eq!((e.code(), e.ec()), ("InvalidArgument", None), "{args:?}");
            }
        }
    }

    fn average_of(w: u32, h: u32, pixels: &[[u8; 4]]) -> [u8; 3] {
        average(&Frame::from_rgba(w, h, pixels.concat()).unwrap())
    }

    #[test]
    fn test_vectors() {
        // average-hue.md §3: (255+0)/2 = 127.5 rounds up; 1/3 rounds down.
        let red_blue = [[255, 0, 0, 255], [0, 0, 255, 255]];
        assert_eq!(average_of(2, 1, &red_blue), [128, 0, 128]);
        assert_eq!(average_of(3, 2, &[[92, 120, 59, 255]; 6]), [92, 120, 59]);
        let dark = [[0, 0, 0, 255], [0, 0, 0, 255], [1, 1, 1, 255]];
        assert_eq!(average_of(1, 3, &dark), [0, 0, 0]);
    }

    #[test]
    fn alpha_is_ignored() {
        // A fully transparent image whose hidden pixels are black reports black.
        assert_eq!(average_of(2, 2, &[[0, 0, 0, 0]; 4]), [0, 0, 0]);
        let half = [[200, 100, 50, 0], [100, 50, 25, 255]];
        assert_eq!(average_of(2, 1, &half), [150, 75, 38]);
    }

    #[test]
    fn canonical_round_trip() {
        assert_eq!(AverageHue.to_string(), "");
        assert_eq!(
            parse_with(&[&AverageHue.to_string()], true).unwrap(),
            AverageHue
        );
    }
}
