//! wasm32 boundary tests (wasm-bindgen-test). No `wasm_bindgen_test_configure!`, so the
//! runner picks the host from the environment: Node by default, a Chrome page with
//! `WASM_BINDGEN_USE_BROWSER=1`, a dedicated Web Worker with
//! `WASM_BINDGEN_USE_DEDICATED_WORKER=1` (`wasm-pack test --node` / `--headless --chrome`).
#![cfg(target_arch = "wasm32")]

use ossimg::{ImageFormat, Output};
use wasm_bindgen_test::wasm_bindgen_test;

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
