//! wasm32 boundary tests (wasm-bindgen-test). No `wasm_bindgen_test_configure!`, so the
//! runner picks the host from the environment: Node by default, a Chrome page with
//! `WASM_BINDGEN_USE_BROWSER=1`, a dedicated Web Worker with
//! `WASM_BINDGEN_USE_DEDICATED_WORKER=1` (`wasm-pack test --node` / `--headless --chrome`).
#![cfg(target_arch = "wasm32")]

use ossimg::{ImageFormat, Output};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "webp-libwebp")]
mod libwebp_golden;
mod simd_parity;

const HOPPER_JPG: &[u8] = include_bytes!("fixtures/hopper.jpg");
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// `.cargo/config.toml` sets `+simd128` for wasm32; any `RUSTFLAGS` (even empty) would
/// silently drop it.
#[wasm_bindgen_test]
fn built_with_simd128() {
    assert!(
        cfg!(target_feature = "simd128"),
        "built without -C target-feature=+simd128 (is RUSTFLAGS set?)"
    );
}

/// libwebp picks its SSE2 functions through `VP8GetCPUInfo`; on wasm that check exists only
/// when built as emscripten builds it (`-DEMSCRIPTEN -D__SSE2__`, .cargo/config.toml).
/// Without it the lossy encoder silently runs its plain C code (W2 1.7x slower).
#[cfg(feature = "webp-libwebp")]
#[wasm_bindgen_test]
fn libwebp_runs_its_sse2_code() {
    use std::ffi::c_int;
    unsafe extern "C" {
        static VP8GetCPUInfo: Option<unsafe extern "C" fn(feature: c_int) -> c_int>;
    }
    /// `kSSE2` of libwebp's `CPUFeature` (src/dsp/cpu.h).
    const SSE2: c_int = 0;
    // SAFETY: libwebp initialises the pointer statically and never changes it.
    let cpu_info = unsafe { VP8GetCPUInfo }.expect("libwebp built without a CPU check");
    // SAFETY: the check takes any CPUFeature value and only returns 0 or 1.
    assert_eq!(
        unsafe { cpu_info(SSE2) },
        1,
        "libwebp does not use its SSE2 code"
    );
}

/// libwebp's SSE2 code on SIMD128 writes the same bytes as the native build.
#[cfg(feature = "webp-libwebp")]
#[wasm_bindgen_test]
fn lossy_webp_matches_the_native_goldens() {
    for case in &libwebp_golden::CASES {
        let bytes = libwebp_golden::encode(case);
        assert!(
            bytes == case.golden,
            "{}: wrote {} B, golden {} B",
            case.golden_name,
            bytes.len(),
            case.golden.len()
        );
    }
}

/// The SIMD128 paths (blur, sharpen, JPEG colour conversion) write the native bytes.
#[wasm_bindgen_test]
fn simd_paths_write_the_native_bytes() {
    simd_parity::assert_every_case();
}

/// jpeg-encoder's SIMD128 forward DCT (an ossimg patch, what every JPEG we write runs in
/// wasm) gives the scalar code's coefficients exactly: for level-shifted 8-bit samples
/// (±128), samples with two fraction bits (±512) and up to ±799, the widest range where
/// the scalar code's i32 sums cannot overflow (they would panic here: this debug build
/// checks overflow).
#[wasm_bindgen_test]
fn jpeg_forward_dct_simd128_matches_the_scalar_code() {
    use jpeg_encoder::{fdct_scalar, fdct_simd128};
    use std::f64::consts::PI;
    const WIDEST: i16 = 799;

    // The scalar code is libjpeg's jpeg_fdct_islow: jpeg-encoder's reference block.
    #[rustfmt::skip]
    let mut block: [i16; 64] = [
        21, 28, 11, 24, -45, -37, -55, -103,
        38, -8, 31, 17, -19, 49, 15, -76,
        22, -48, -36, -31, -23, 35, -23, -72,
        13, -30, -45, -42, -44, -15, -20, -44,
        13, -30, -45, -42, -44, -15, -20, -44,
        13, -30, -45, -42, -44, -15, -20, -44,
        13, -30, -45, -42, -44, -15, -20, -44,
        13, -30, -45, -42, -44, -15, -20, -44,
    ];
    fdct_scalar(&mut block);
    #[rustfmt::skip]
    assert_eq!(block, [
        -1420, 717, 187, 910, -244, 579, 222, -191,
        461, 487, -497, -29, -220, 179, 63, -95,
        213, 414, -235, -187, -108, 74, -73, -70,
        -63, 311, 13, -290, 17, -38, -180, -47,
        -254, 201, 116, -247, 102, -109, -185, -36,
        -310, 107, 73, -91, 126, -121, -99, -37,
        -253, 43, -15, 53, 101, -91, -3, -37,
        -136, 12, -44, 81, 53, -45, 31, -24,
    ]);

    let mut blocks: Vec<[i16; 64]> = Vec::new();
    for extreme in [128, 512, WIDEST] {
        for sign in [-1, 1] {
            // The sign pattern of each basis function: the block maximising that coefficient.
            for (u, v) in (0..8).flat_map(|u| (0..8).map(move |v| (u, v))) {
                blocks.push(std::array::from_fn(|at| {
                    let basis = |k: f64, n: usize| ((2 * n + 1) as f64 * k * PI / 16.0).cos();
                    let value = basis(f64::from(u), at / 8) * basis(f64::from(v), at % 8);
                    if value < 0.0 {
                        -sign * extreme
                    } else {
                        sign * extreme
                    }
                }));
            }
            // One sample set, the others zero.
            for at in 0..64 {
                let mut impulse = [0; 64];
                impulse[at] = sign * extreme;
                blocks.push(impulse);
            }
        }
    }
    // Flat blocks of every level-shifted sample and the extremes.
    blocks.extend(
        (-512..=511)
            .chain([-WIDEST, WIDEST])
            .map(|sample| [sample; 64]),
    );
    // Random blocks from a fixed seed (xorshift64): uniform, and extremes only.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = |low: i16, high: i16| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let span = u64::try_from(i32::from(high) - i32::from(low) + 1).expect("high ≥ low");
        low + i16::try_from(state % span).expect("in the span")
    };
    for _ in 0..3_000 {
        for extreme in [128, 512, WIDEST] {
            blocks.push(std::array::from_fn(|_| random(-extreme, extreme - 1)));
            blocks.push(std::array::from_fn(|_| extreme * (2 * random(0, 1) - 1)));
        }
    }

    for samples in blocks {
        let (mut scalar, mut simd) = (samples, samples);
        fdct_scalar(&mut scalar);
        fdct_simd128(&mut simd);
        assert_eq!(scalar, simd, "{samples:?}");
    }
}

/// zune-jpeg patch (vendor/zune-jpeg): its SIMD128 YCbCr → RGBA writes the scalar code's
/// bytes for every sample triple the decoder produces (all 2^24 of 0..=255) and wider ones.
#[wasm_bindgen_test]
fn jpeg_ycbcr_to_rgba_simd128_matches_the_scalar_code() {
    use zune_jpeg::{ycbcr_to_rgba_inner_16_scalar, ycbcr_to_rgba_simd128};

    let compare = |y: &[i16; 16], cb: &[i16; 16], cr: &[i16; 16], at: usize| {
        let (mut scalar, mut simd) = (vec![9_u8; at + 64], vec![9_u8; at + 64]);
        let (mut scalar_at, mut simd_at) = (at, at);
        ycbcr_to_rgba_inner_16_scalar::<false>(y, cb, cr, &mut scalar, &mut scalar_at);
        ycbcr_to_rgba_simd128(y, cb, cr, &mut simd, &mut simd_at);
        assert_eq!(scalar, simd, "{y:?} {cb:?} {cr:?}");
        assert_eq!((scalar_at, simd_at), (at + 64, at + 64));
    };
    let samples: [i16; 256] = std::array::from_fn(|v| i16::try_from(v).expect("< 256"));
    for y in 0..=255 {
        for cb in 0..=255 {
            let cb = [cb; 16];
            for cr in samples.chunks_exact(16) {
                let cr = cr.try_into().expect("16 samples");
                compare(&[y; 16], &cb, cr, usize::from(y.unsigned_abs() % 5));
            }
        }
    }
    // Wider values (the scalar code's `c - 128` is an i16 subtraction: from -32640 up).
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut sample = || {
        // xorshift64 from a fixed seed
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let value = i32::try_from(state % 65_408).expect("< 2^16") - 32_640;
        i16::try_from(value).expect("in -32640..=32767")
    };
    for _ in 0..20_000 {
        let y = std::array::from_fn(|_| sample());
        let cb = std::array::from_fn(|_| sample());
        let cr = std::array::from_fn(|_| sample());
        compare(&y, &cb, &cr, 3);
    }
}

#[wasm_bindgen_test]
fn probes_the_jpeg_fixture() {
    let probe = ossimg::probe(HOPPER_JPG).expect("probe hopper.jpg");
    assert_eq!(probe.format, ImageFormat::Jpeg);
    assert_eq!((probe.width, probe.height, probe.frames), (128, 128, 1));
}

#[wasm_bindgen_test]
fn resizes_a_real_jpeg_to_png() {
    let out = ossimg::process(HOPPER_JPG, "image/resize,w_64/format,png").expect("process");
    let Output::Image {
        bytes,
        format,
        width,
        height,
        frames,
    } = out
    else {
        panic!("expected an image, got {out:?}");
    };
    assert_eq!(format, ImageFormat::Png);
    assert_eq!((width, height, frames), (64, 64, 1));
    assert!(bytes.starts_with(PNG_SIGNATURE), "not a PNG");
    // IHDR width and height, big-endian, right after the signature and chunk header.
    assert_eq!(&bytes[16..24], &[0, 0, 0, 64, 0, 0, 0, 64]);
}

#[wasm_bindgen_test]
fn resizes_to_jpeg() {
    let out =
        ossimg::process(HOPPER_JPG, "image/resize,w_32/quality,Q_80/format,jpg").expect("process");
    assert_eq!(out.mime(), "image/jpeg");
    let Output::Image { bytes, width, .. } = out else {
        panic!("expected an image");
    };
    assert_eq!(width, 32);
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "not a JPEG");
}

#[wasm_bindgen_test]
fn invalid_spec_is_a_typed_400() {
    let err = ossimg::process(HOPPER_JPG, "image/resize,w_0").expect_err("w_0 is invalid");
    assert_eq!(err.code(), "InvalidArgument");
    assert_eq!(err.status(), 400);
    assert_eq!(err.ec(), Some("0040-00000312"));

    let err = ossimg::process(HOPPER_JPG, "image/nosuchaction,x_1").expect_err("unknown action");
    assert_eq!(err.status(), 400);
}

#[wasm_bindgen_test]
fn garbage_input_is_a_typed_400() {
    let err = ossimg::process(b"not an image at all", "image/resize,w_10").expect_err("garbage");
    assert_eq!(err.code(), "BadRequest");
    assert_eq!(err.status(), 400);
}

#[wasm_bindgen_test]
fn empty_spec_serves_the_original() {
    assert_eq!(ossimg::process(HOPPER_JPG, ""), Ok(Output::Original));
}
