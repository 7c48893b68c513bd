//! Sweeps of the shared corpus (`../shared/corpus`, or the folder in `OSSIMG_CORPUS`)
//! against its `manifest.json`: every file (`ok` files decode to their size and frame count,
//! `error` files give a clean 400, nothing panics), the orientation files against their
//! reference images, and the animated files through the animation-capable actions.
//! Without the corpus each test says it is skipped, or fails under `OSSIMG_REQUIRE_CORPUS=1`.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{corpus_manifest, corpus_or_skip, heif_manifest, run, size};
use image::{AnimationDecoder, ImageDecoder, RgbaImage};
use ossimg::{ImageFormat, Output};
use serde_json::Value;

#[test]
fn corpus_sweep() {
    let Some(dir) = corpus_or_skip("corpus sweep") else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in corpus_manifest(&dir).iter().chain(&heif_manifest(&dir)) {
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

/// `ok` files this build cannot decode yet. They must still fail cleanly with a 400; when
/// a codec learns one, this test fails until the file is taken off the list. (Empty since
/// issue 15's TIFF reader, `src/codec/tiff/`.)
const KNOWN_DECODER_GAPS: &[(&str, &str)] = &[];

/// Files whose manifest size we checked and found wrong: the tags of this G4 TIFF say
/// 88x590 with orientation 6, so upright it is 590x88; the manifest's display size applies
/// the orientation to Pillow's already-rotated 590x88. The two HEIC files are stored
/// landscape with `irot` 1 (a quarter turn): `heif-info` (libheif 1.15) and
/// `heif-convert`'s PNG are portrait, 3024x4032 and 12240x16320 (the manifest's
/// `property` says so too); its width and height are the stored ones.
const MANIFEST_CORRECTIONS: &[(&str, (u32, u32))] = &[
    ("formats/tiff/pillow_g4_orientation_6.tif", (590, 88)),
    ("formats/heic/pillowheif_arrow_iphone.heic", (3024, 4032)),
    ("limits/pillowheif_200MP.heic", (12240, 16320)),
];

/// `ok` files that this sweep checks from the header only: the 200 MP HEIC would take
/// 0.8 GB and about a minute here (`heif_200mp_limits` checks its limits).
fn header_only(path: &str) -> bool {
    path.starts_with("limits/pillowheif_")
}

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
        Some("ok") if header_only(path) => {
            let (w, h) = MANIFEST_CORRECTIONS
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, size)| *size)
                .unwrap_or_else(|| (dim(entry, "width", "width"), dim(entry, "height", "height")));
            match ossimg::probe(bytes) {
                Ok(p) if (p.width, p.height) == (w, h) => {}
                Ok(p) => {
                    return Err(format!(
                        "probed {}x{}, manifest says {w}x{h}",
                        p.width, p.height
                    ))
                }
                Err(e) => return Err(format!("should probe: {e}")),
            }
            Ok(())
        }
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

/// The 200 MP HEIC (a grid of 512×512 tiles, 12240×16320 upright) from its header: over
/// the Workers limits (decoded pixels, EC 0040-00000012) before a pixel is decoded; within
/// the OSS limits, which grant it 0.8 GB of RGBA (`Limits::oss()` decodes it natively in about 30 s with a 1.6 GB peak: the
/// RGBA canvas and its rotated copy).
#[test]
fn heif_200mp_limits() {
    let Some(dir) = corpus_or_skip("200 MP HEIC limits") else {
        return;
    };
    let bytes = std::fs::read(dir.join("limits/pillowheif_200MP.heic")).unwrap();
    let probe = ossimg::probe(&bytes).unwrap();
    assert_eq!((probe.width, probe.height), (12240, 16320));
    let pipeline =
        ossimg::Pipeline::parse("image/resize,w_1000", &ossimg::Options::default()).unwrap();
    let mut workers = ossimg::Options::default();
    workers.limits = ossimg::Limits::workers();
    let e = pipeline.admit(&probe, &workers).unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000012"), "{e}");
    let admission = pipeline.admit(&probe, &ossimg::Options::default()).unwrap();
    assert_eq!(admission.decode_bytes(), 12240 * 16320 * 4);
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

/// `pixels` (default: `bytes` decoded with the image crate) turned upright by the image
/// crate's own EXIF reading of `bytes`.
fn upright(bytes: &[u8], pixels: Option<RgbaImage>) -> RgbaImage {
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    let orientation = decoder.orientation().unwrap();
    let mut img = match pixels {
        Some(pixels) => image::DynamicImage::ImageRgba8(pixels),
        None => image::DynamicImage::from_decoder(decoder).unwrap(),
    };
    img.apply_orientation(orientation);
    img.to_rgba8()
}

/// Mean absolute difference per colour channel of two images of one size.
fn mean_abs_diff(a: &RgbaImage, b: &RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a
        .pixels()
        .zip(b.pixels())
        .flat_map(|(p, q)| (0..3).map(move |c| u64::from(p[c].abs_diff(q[c]))))
        .sum();
    sum as f64 / (f64::from(a.width()) * f64::from(a.height()) * 3.0)
}

#[test]
fn orientation_corpus_matches_its_references() {
    let Some(dir) = corpus_or_skip("orientation corpus") else {
        return;
    };
    let files: Vec<Value> = corpus_manifest(&dir)
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("orientation/"))
        .collect();
    assert_eq!(files.len(), 29, "orientation files in the manifest");
    for entry in &files {
        let path = entry["path"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let (out, p) = run(&bytes, "image/auto-orient,1/format,bmp");
        let display = (
            entry["display_width"].as_u64().unwrap() as u32,
            entry["display_height"].as_u64().unwrap() as u32,
        );
        assert_eq!(size(&p), display, "{path}");
        // Files without a reference: our stored-orientation decode turned upright by the
        // image crate's own orientation (our decode converts embedded profiles to sRGB,
        // the image crate's does not; this test is about geometry).
        let (reference, max) = match entry["reference"].as_str() {
            Some(r) => (
                upright(&std::fs::read(dir.join(r)).unwrap(), None),
                entry["max_mean_abs_diff"].as_f64().unwrap(),
            ),
            None => {
                let stored = run(&bytes, "image/auto-orient,0/format,bmp").0;
                (upright(&bytes, Some(stored)), 0.5)
            }
        };
        let diff = mean_abs_diff(&out, &reference);
        assert!(diff <= max, "{path}: mean abs difference {diff:.2} > {max}");
    }
    eprintln!(
        "orientation corpus: {} files match their references",
        files.len()
    );
}

/// Mean absolute difference per channel of the premultiplied colours (the colour under
/// a transparent pixel does not count).
fn premultiplied_diff(a: &RgbaImage, b: &RgbaImage) -> f64 {
    let premultiply = |img: &RgbaImage| {
        let mut out = img.clone();
        for p in out.pixels_mut() {
            let a = u16::from(p[3]);
            for c in 0..3 {
                p[c] = (u16::from(p[c]) * a / 255) as u8;
            }
        }
        out
    };
    mean_abs_diff(&premultiply(a), &premultiply(b))
}

/// At most `max` frames of an animation as the image crate composites them, with their
/// delays in milliseconds; `None` when it cannot decode them.
fn composited(bytes: &[u8], format: ImageFormat, max: usize) -> Option<Vec<(u32, RgbaImage)>> {
    let cursor = std::io::Cursor::new(bytes);
    let frames = match format {
        ImageFormat::Gif => image::codecs::gif::GifDecoder::new(cursor)
            .ok()?
            .into_frames(),
        _ => image::codecs::webp::WebPDecoder::new(cursor)
            .ok()?
            .into_frames(),
    };
    frames
        .take(max)
        .map(|f| {
            let f = f.ok()?;
            let (num, den) = f.delay().numer_denom_ms();
            Some((num / den, f.into_buffer()))
        })
        .collect()
}

/// Delays in centiseconds and sizes of the raw frames of a GIF, read by the gif crate's
/// streaming decoder (which, unlike its `Decoder`, also reads a GIF without a palette).
fn gif_frames(bytes: &[u8]) -> Vec<(u16, (u32, u32))> {
    use gif::streaming_decoder::{Block, Decoded, OutputBuffer, StreamingDecoder};
    let mut decoder = StreamingDecoder::new();
    let (mut rest, mut out) = (bytes, Vec::new());
    loop {
        let (used, decoded) = decoder.update(rest, &mut OutputBuffer::None).unwrap();
        match decoded {
            Decoded::FrameMetadata(_) => {
                let f = decoder.current_frame();
                out.push((f.delay, (u32::from(f.width), u32::from(f.height))));
            }
            Decoded::BlockStart(Block::Trailer) | Decoded::Nothing => return out,
            _ => {}
        }
        rest = &rest[used..];
    }
}

/// Frames whose content is compared, from the start of each animation (decoding every
/// frame of the 380-frame stress file several times takes minutes in a debug build).
const CONTENT_FRAMES: usize = 40;

#[test]
fn animated_corpus_keeps_frames_and_delays() {
    let Some(dir) = corpus_or_skip("animation corpus") else {
        return;
    };
    let (mut checked, mut no_reference) = (0, Vec::new());
    for entry in corpus_manifest(&dir) {
        let path = entry["path"].as_str().unwrap();
        let format = match entry["format"].as_str() {
            Some("gif") => ImageFormat::Gif,
            Some("webp") => ImageFormat::WebP,
            _ => continue,
        };
        let count = entry["frames"].as_u64().unwrap_or(1) as usize;
        if !path.starts_with("formats/") || count <= 1 || entry["expect"] != "ok" {
            continue;
        }
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let (w, h) = (
            entry["width"].as_u64().unwrap() as u32,
            entry["height"].as_u64().unwrap() as u32,
        );
        // Every frame's delay (and, for a GIF, raw size) comes from the codec crates; the
        // content of the first frames is compared with the source as the image crate
        // composites it, where it can.
        let delays = |bytes: &[u8]| -> Vec<(u32, (u32, u32))> {
            match format {
                ImageFormat::Gif => gif_frames(bytes)
                    .into_iter()
                    .map(|(d, size)| (u32::from(d) * 10, size))
                    .collect(),
                _ => composited(bytes, format, count)
                    .unwrap()
                    .into_iter()
                    .map(|(d, f)| (d, f.dimensions()))
                    .collect(),
            }
        };
        let src_delays: Vec<u32> = delays(&bytes).iter().map(|&(d, _)| d).collect();
        assert_eq!(
            src_delays.len(),
            count,
            "{path}: the manifest's frame count"
        );
        let source = composited(&bytes, format, CONTENT_FRAMES);
        if source.is_none() {
            no_reference.push(path.to_string());
        }
        // The source re-encoded unmoved: what the codec alone costs, frame by frame.
        let reencoded = match ossimg::process(&bytes, "image/crop,x_0") {
            Ok(Output::Image { bytes, .. }) => composited(&bytes, format, CONTENT_FRAMES),
            _ => None,
        };
        let (cw, ch) = ((w / 2).max(1), (h / 2).max(1));
        let (cx, cy) = ((w - cw) / 2, (h - ch) / 2);
        // Resizing shrinks only (README §6).
        let shrunk = if w > 100 {
            let sh = (f64::from(h) * 100.0 / f64::from(w)).round() as u32;
            (100, sh.max(1))
        } else {
            (w, h)
        };
        for (spec, want) in [
            ("image/resize,w_100".to_string(), shrunk),
            (format!("image/crop,w_{cw},h_{ch},g_center"), (cw, ch)),
            ("image/rotate,90".to_string(), (h, w)),
        ] {
            let what = format!("{path}: {spec}");
            let Ok(Output::Image {
                bytes: out,
                format: of,
                frames: n,
                ..
            }) = ossimg::process(&bytes, &spec)
            else {
                panic!("{what}: no image");
            };
            assert_eq!((of, n as usize), (format, count), "{what}");
            let frames = delays(&out);
            let got: Vec<u32> = frames.iter().map(|&(d, _)| d).collect();
            assert_eq!(got, src_delays, "{what}: delays");
            assert!(
                frames.iter().all(|&(_, size)| size == want),
                "{what}: every frame {want:?}"
            );
            let content = composited(&out, format, CONTENT_FRAMES)
                .unwrap_or_else(|| panic!("{what}: undecodable"));
            let (Some(source), Some(reencoded)) = (&source, &reencoded) else {
                continue;
            };
            let moved = |img: &RgbaImage| {
                if spec.contains("rotate") {
                    Some(image::imageops::rotate90(img))
                } else if spec.contains("crop") {
                    Some(image::imageops::crop_imm(img, cx, cy, cw, ch).to_image())
                } else {
                    None
                }
            };
            for (i, ((_, frame), ((_, src), (_, unmoved)))) in
                content.iter().zip(source.iter().zip(reencoded)).enumerate()
            {
                // The content is the source frame's, moved as the action says: it may
                // differ from it little more than the unmoved re-encoding does (lossy
                // WebP on noise is far from exact).
                let (Some(expected), Some(unmoved)) = (moved(src), moved(unmoved)) else {
                    continue;
                };
                let diff = premultiplied_diff(frame, &expected);
                let limit = 4.0 + 1.25 * premultiplied_diff(&unmoved, &expected);
                assert!(
                    diff <= limit,
                    "{what}: frame {i} differs by {diff:.1} > {limit:.1}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} animated files");
    eprintln!(
        "animation corpus: {checked} files keep their frames and delays; the image crate cannot decode {no_reference:?}, so their content went unchecked"
    );
}
