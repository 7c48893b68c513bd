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
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        cx.image.edit_pixels(|pixels| shift_rgb(pixels, self.value));
        Ok(())
    }
}

/// bright.md §2.1: `clamp(in + value, 0, 255)` on R, G and B of every pixel, in place;
/// alpha is kept. Saturating byte arithmetic, 16 bytes per SIMD128 step on wasm.
fn shift_rgb(pixels: &mut [u8], value: i8) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let pixels = simd128::shift_rgb(pixels, value);
    for px in pixels.chunks_exact_mut(4) {
        for level in px.iter_mut().take(3) {
            *level = level.saturating_add_signed(value);
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    /// `shift_rgb` for whole groups of four pixels; returns the rest of `pixels`.
    pub(super) fn shift_rgb(pixels: &mut [u8], value: i8) -> &mut [u8] {
        let step = value.unsigned_abs();
        // The step on R, G and B, 0 on alpha.
        let shift = u32x4_splat(u32::from_le_bytes([step, step, step, 0]));
        let mut groups = pixels.chunks_exact_mut(16);
        for group in groups.by_ref() {
            // SAFETY: `group` is 16 bytes: one unaligned load and one store.
            unsafe {
                let px = v128_load(group.as_ptr().cast());
                let out = if value < 0 {
                    u8x16_sub_sat(px, shift)
                } else {
                    u8x16_add_sat(px, shift)
                };
                v128_store(group.as_mut_ptr().cast(), out);
            }
        }
        groups.into_remainder()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{Frame, Image};

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

    /// bright.md §2.1 as a table of every level.
    fn spec_table(value: i8) -> [u8; 256] {
        std::array::from_fn(|level| (level as i32 + i32::from(value)).clamp(0, 255) as u8)
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
            let mut pixels = [0, 128, 255, 77];
            shift_rgb(&mut pixels, value);
            let [r, g, b] = want;
            assert_eq!(pixels, [r, g, b, 77], "bright,{value}");
        }
    }

    #[test]
    fn every_value_shifts_every_level_as_the_spec_and_keeps_alpha() {
        // 257 pixels (a rest after the SIMD groups): levels 0..=255 in R, mirrored in G,
        // rotated in B, and every alpha.
        let pixels: Vec<u8> = (0..=256u16)
            .flat_map(|i| {
                let level = i as u8;
                [
                    level,
                    255 - level,
                    level.wrapping_add(85),
                    level.wrapping_mul(3),
                ]
            })
            .collect();
        for value in -100..=100 {
            let table = spec_table(value);
            let mut shifted = pixels.clone();
            shift_rgb(&mut shifted, value);
            for (got, src) in shifted.chunks(4).zip(pixels.chunks(4)) {
                let want = [
                    table[src[0] as usize],
                    table[src[1] as usize],
                    table[src[2] as usize],
                    src[3],
                ];
                assert_eq!(got, want, "bright,{value} of {src:?}");
            }
        }
    }

    #[test]
    fn bright_0_is_the_identity() {
        let mut pixels: Vec<u8> = (0..=255).collect();
        shift_rgb(&mut pixels, 0);
        assert!(pixels.iter().enumerate().all(|(i, &v)| usize::from(v) == i));
    }

    #[test]
    fn applies_in_place_to_every_frame() {
        let frames = [10, 250].map(|level| Frame::filled(3, 2, [level, level, level, 9]).unwrap());
        let mut image = Image::animation(frames.to_vec(), Default::default()).unwrap();
        image.edit_pixels(|pixels| shift_rgb(pixels, 20));
        assert_eq!(image.frames()[0].pixels()[..4], [30, 30, 30, 9]);
        assert_eq!(image.frames()[1].pixels()[20..], [255, 255, 255, 9]);
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
