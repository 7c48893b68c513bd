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
