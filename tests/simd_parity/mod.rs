//! Code with its own SIMD128 path in the wasm build (blur, sharpen, the JPEG encoder's
//! RGBA → YCbCr) must write the same bytes as the portable path natively, which unit tests
//! check against references (an f64 Gaussian, jpeg-encoder's own conversion). Each case
//! pins a hash of the output bytes, computed natively: `tests/pixel_actions.rs` checks it
//! natively and `tests/web.rs` in wasm.

use ossimg::Output;

pub struct Case {
    pub input: &'static [u8],
    pub spec: &'static str,
    /// FNV-1a 64 of the output bytes.
    pub output_fnv: u64,
}

const KODIM23: &[u8] = include_bytes!("../fixtures/kodim23.png");
const BASN6A08: &[u8] = include_bytes!("../fixtures/pngsuite_basn6a08.png");

pub const CASES: [Case; 6] = [
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
        output_fnv: 0x0cf7_35c2_aac8_c149,
    },
    Case {
        input: KODIM23,
        spec: "image/crop,w_501,h_301/format,jpg/quality,Q_85",
        output_fnv: 0xbcbe_d828_7fbe_ed08,
    },
];

/// Every case's output has its pinned hash.
pub fn assert_every_case() {
    for case in &CASES {
        let Ok(Output::Image { bytes, .. }) = ossimg::process(case.input, case.spec) else {
            panic!("{}: expected an image", case.spec);
        };
        let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        assert_eq!(hash, case.output_fnv, "{}: {hash:#x}", case.spec);
    }
}
