//! Code with its own SIMD128 path in the wasm build (blur, sharpen, the JPEG encoder's
//! RGBA → YCbCr, bright, alpha flattening) must write the same bytes as the portable path
//! natively, which unit tests check against references (an f64 Gaussian, jpeg-encoder's own
//! conversion, the spec formulas over every value and alpha). Each case pins a hash of the
//! output bytes, computed natively (also of per-pixel loops reworked without SIMD: contrast
//! in place, the shape masks' shortcuts, circle's in-place crop); flattening is checked
//! against its formula over every value and alpha directly. `tests/pixel_actions.rs` runs
//! the checks natively, `tests/web.rs` in wasm.

use ossimg::frame::Frame;
use ossimg::Output;

pub struct Case {
    pub input: Input,
    pub spec: &'static str,
    /// FNV-1a 64 of the output bytes.
    pub output_fnv: u64,
}

pub enum Input {
    Fixture(&'static [u8]),
    /// The PNG of [`grid_png`].
    Grid,
}

const KODIM23: Input = Input::Fixture(include_bytes!("../fixtures/kodim23.png"));
const BASN6A08: Input = Input::Fixture(include_bytes!("../fixtures/pngsuite_basn6a08.png"));

pub const CASES: [Case; 13] = [
    Case {
        input: KODIM23,
        spec: "image/blur,r_15,s_5/format,png",
        output_fnv: 0xa14b_50ad_73e8_0868,
    },
    Case {
        input: KODIM23,
        spec: "image/sharpen,150/format,png",
        output_fnv: 0x7719_1dae_a2c5_7037,
    },
    // With alpha: the premultiplied path.
    Case {
        input: BASN6A08,
        spec: "image/blur,r_15,s_5/format,png",
        output_fnv: 0x16dc_7c53_eacb_a1c1,
    },
    Case {
        input: BASN6A08,
        spec: "image/sharpen,150/format,png",
        output_fnv: 0x9fc2_52cc_6cf2_3866,
    },
    // JPEG: rows of 768 px (whole SIMD groups) and of 501 px (a rest of 5 pixels).
    Case {
        input: KODIM23,
        spec: "image/format,jpg/quality,Q_85",
        output_fnv: 0x2b62_c955_55de_336c,
    },
    Case {
        input: KODIM23,
        spec: "image/crop,w_501,h_301/format,jpg/quality,Q_85",
        output_fnv: 0xbde5_b2c9_b041_934a,
    },
    // bright and contrast on every level and alpha, with a rest after the SIMD groups.
    Case {
        input: Input::Grid,
        spec: "image/bright,57/format,png",
        output_fnv: 0x4d0e_2e36_1676_cb00,
    },
    Case {
        input: Input::Grid,
        spec: "image/bright,-43/format,png",
        output_fnv: 0xe6ab_6744_e025_e7e7,
    },
    Case {
        input: Input::Grid,
        spec: "image/contrast,60/format,png",
        output_fnv: 0xc3d5_0510_8364_8246,
    },
    // The anti-aliased masks: circles of whole and half-pixel radius, corners.
    Case {
        input: KODIM23,
        spec: "image/circle,r_200/format,png",
        output_fnv: 0x7f0a_d208_66ae_8946,
    },
    Case {
        input: KODIM23,
        spec: "image/crop,w_501,h_300/circle,r_1000/format,png",
        output_fnv: 0xfbda_f366_9b39_0cc5,
    },
    Case {
        input: BASN6A08,
        spec: "image/rounded-corners,r_9/format,png",
        output_fnv: 0x42fc_297c_784f_3eba,
    },
    Case {
        input: KODIM23,
        spec: "image/crop,w_501,h_301/rounded-corners,r_4096/format,png",
        output_fnv: 0x32db_8ebe_b819_419d,
    },
];

/// Side of the grid: 257 px rows and 257² px frames are whole SIMD groups and a rest.
const GRID_SIDE: u32 = 257;

/// RGBA pixels of a 257×257 grid: R is every level along a row, G its mirror, B mixed, and
/// alpha every value down the columns.
fn grid_pixels() -> Vec<u8> {
    (0..GRID_SIDE)
        .flat_map(|y| {
            (0..GRID_SIDE).flat_map(move |x| {
                let (x, y) = (x as u8, y as u8);
                [x, 255 - x, x.wrapping_mul(7).wrapping_add(y), y]
            })
        })
        .collect()
}

/// The grid as a PNG.
fn grid_png() -> Vec<u8> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, GRID_SIDE, GRID_SIDE);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("PNG header");
    writer.write_image_data(&grid_pixels()).expect("PNG data");
    writer.finish().expect("PNG end");
    png
}

/// `Frame::flatten_onto` (JPEG output; SIMD128 in wasm) gives `(c·a + bg·(255 − a) + 127)
/// / 255` for every value and alpha.
fn assert_flatten_follows_the_formula() {
    let pixels = grid_pixels();
    for background in [[255, 255, 255], [3, 140, 250]] {
        let mut frame = Frame::from_rgba(GRID_SIDE, GRID_SIDE, pixels.clone()).expect("grid");
        frame.flatten_onto(background);
        for (got, src) in frame.pixels().chunks(4).zip(pixels.chunks(4)) {
            let a = u32::from(src[3]);
            let over = |i: usize| {
                let sum = u32::from(src[i]) * a + u32::from(background[i]) * (255 - a);
                ((sum + 127) / 255) as u8
            };
            assert_eq!(
                got,
                [over(0), over(1), over(2), 255],
                "{src:?} onto {background:?}"
            );
        }
    }
}

/// Every case's output has its pinned hash.
pub fn assert_every_case() {
    assert_flatten_follows_the_formula();
    let grid = grid_png();
    let mismatches: Vec<String> = CASES
        .iter()
        .filter_map(|case| {
            let input = match case.input {
                Input::Fixture(bytes) => bytes,
                Input::Grid => &grid,
            };
            let Ok(Output::Image { bytes, .. }) = ossimg::process(input, case.spec) else {
                return Some(format!("{}: expected an image", case.spec));
            };
            let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            (hash != case.output_fnv).then(|| format!("{}: {hash:#x}", case.spec))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
