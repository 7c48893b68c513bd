//! Actions with their own SIMD128 code in the wasm build (blur, sharpen) must give the
//! same pixels as the portable code natively, which their unit tests check against an f64
//! reference. Each case pins a hash of the decoded RGBA output: `tests/pixel_actions.rs`
//! checks it natively and `tests/web.rs` in wasm.

use ossimg::Output;

pub struct Case {
    pub input: &'static [u8],
    pub spec: &'static str,
    /// FNV-1a 64 of the output decoded to RGBA8.
    pub rgba_fnv: u64,
}

const KODIM23: &[u8] = include_bytes!("../fixtures/kodim23.png");
const BASN6A08: &[u8] = include_bytes!("../fixtures/pngsuite_basn6a08.png");

pub const CASES: [Case; 4] = [
    Case {
        input: KODIM23,
        spec: "image/blur,r_15,s_5/format,png",
        rgba_fnv: 0x86d2_cd5f_d6f1_6acd,
    },
    Case {
        input: KODIM23,
        spec: "image/sharpen,150/format,png",
        rgba_fnv: 0x922f_606a_ff1b_b69f,
    },
    // With alpha: the premultiplied path.
    Case {
        input: BASN6A08,
        spec: "image/blur,r_15,s_5/format,png",
        rgba_fnv: 0xf86b_6dcc_e360_d4dd,
    },
    Case {
        input: BASN6A08,
        spec: "image/sharpen,150/format,png",
        rgba_fnv: 0x1eab_a256_5031_1481,
    },
];

/// Every case's output has its pinned hash.
pub fn assert_every_case() {
    for case in &CASES {
        assert_eq!(rgba_fnv(case), case.rgba_fnv, "{}", case.spec);
    }
}

/// The FNV-1a 64 of `process(case)`'s output decoded to RGBA8.
fn rgba_fnv(case: &Case) -> u64 {
    let Ok(Output::Image { bytes, .. }) = ossimg::process(case.input, case.spec) else {
        panic!("{}: expected an image", case.spec);
    };
    let rgba = image::load_from_memory(&bytes)
        .expect("our PNG decodes")
        .to_rgba8();
    rgba.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
