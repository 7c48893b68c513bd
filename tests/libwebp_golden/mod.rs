//! Lossy WebP goldens. libwebp's SIMD code is bit-exact with its C code, so every build
//! must write these bytes: natively (C, or SSE2 on x86) `tests/codec.rs` pins them, and on
//! wasm (SSE2 through SIMD128, vendor/wasm-sse2) `tests/web.rs` checks them.
//! `OSSIMG_BLESS=1 cargo test --test codec` rewrites them, e.g. after a libwebp update.

use ossimg::Output;

pub struct Case {
    /// File name under `tests/fixtures/libwebp/`.
    pub golden_name: &'static str,
    pub golden: &'static [u8],
    pub input: &'static [u8],
    pub spec: &'static str,
}

pub const CASES: [Case; 2] = [
    // A photo crop (no resize, so only PNG decoding and libwebp make the bytes).
    Case {
        golden_name: "kodim23_crop_q80.webp",
        golden: include_bytes!("../fixtures/libwebp/kodim23_crop_q80.webp"),
        input: include_bytes!("../fixtures/kodim23.png"),
        spec: "image/crop,x_256,y_160,w_256,h_192/format,webp/quality,q_80",
    },
    // Alpha: libwebp's lossless alpha plane next to the lossy picture.
    Case {
        golden_name: "basn6a08_q80.webp",
        golden: include_bytes!("../fixtures/libwebp/basn6a08_q80.webp"),
        input: include_bytes!("../fixtures/pngsuite_basn6a08.png"),
        spec: "image/format,webp/quality,q_80",
    },
];

/// The WebP bytes `ossimg::process` writes for a case.
pub fn encode(case: &Case) -> Vec<u8> {
    match ossimg::process(case.input, case.spec) {
        Ok(Output::Image { bytes, .. }) => bytes,
        other => panic!("{}: expected an image, got {other:?}", case.golden_name),
    }
}
