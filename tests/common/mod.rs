//! Builders for synthetic test images, written with the codec crates directly (not with
//! ossimg's own encoders), plus small readers for the facts tests assert.
#![allow(dead_code)]

pub mod mask;

use std::io::Write;
use std::path::PathBuf;

use image::{Rgba, RgbaImage};
use ossimg::{Output, Probe};

/// A smooth RGB gradient, so that lossy codecs behave as on a photo.
pub fn gradient_rgb(w: u32, h: u32) -> Vec<u8> {
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            px.push((x * 255 / w.max(1)) as u8);
            px.push((y * 255 / h.max(1)) as u8);
            px.push(((x + y) * 127 / (w + h).max(1)) as u8);
        }
    }
    px
}

/// A JPEG of `gradient_rgb` written by jpeg-encoder (IJG tables) at `quality`.
pub fn jpeg(w: u32, h: u32, quality: u8) -> Vec<u8> {
    encode_jpeg(w, h, quality, None, &gradient_rgb(w, h))
}

/// A JPEG of the RGB8 `px` (jpeg-encoder, quality 95) and, when given, an EXIF block
/// holding only the orientation tag.
pub fn jpeg_rgb(w: u32, h: u32, orientation: Option<u16>, px: &[u8]) -> Vec<u8> {
    encode_jpeg(w, h, 95, orientation, px)
}

fn encode_jpeg(w: u32, h: u32, quality: u8, orientation: Option<u16>, px: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    if let Some(o) = orientation {
        // Big-endian TIFF header, one IFD with one SHORT entry (0x0112), no next IFD.
        let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        tiff.extend_from_slice(&o.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        enc.add_exif_metadata(&tiff).unwrap();
    }
    enc.encode(px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// A PNG of `img` (RGBA8) as the image crate writes it.
pub fn png_of(img: &RgbaImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An RGBA PNG whose pixel (x, y) is `px(x, y)`.
pub fn png_with(w: u32, h: u32, px: impl Fn(u32, u32) -> [u8; 4]) -> Vec<u8> {
    png_of(&RgbaImage::from_fn(w, h, |x, y| Rgba(px(x, y))))
}

/// An RGBA PNG of one colour.
pub fn solid_png(w: u32, h: u32, colour: Rgba<u8>) -> Vec<u8> {
    png_of(&RgbaImage::from_pixel(w, h, colour))
}

/// The pixels `pixel(x, y)`, row by row.
pub fn draw<const N: usize>(w: u32, h: u32, pixel: impl Fn(u32, u32) -> [u8; N]) -> Vec<u8> {
    (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .flat_map(|(x, y)| pixel(x, y))
        .collect()
}

/// `w×h` pixels of one colour (quick for the large sources of the limit examples).
pub fn flat<const N: usize>(w: u32, h: u32, colour: [u8; N]) -> Vec<u8> {
    colour.repeat((w * h) as usize)
}

/// A flat colour, so that JPEG errors stay small away from the edges.
pub const FLAT: [u8; 3] = [40, 90, 160];

/// The colour that names position (x, y) for sides below 4096: low bytes in R and G,
/// high nibbles in B.
pub fn code(x: u32, y: u32) -> [u8; 4] {
    [x as u8, y as u8, ((x >> 8) << 4 | (y >> 8)) as u8, 255]
}

/// A PNG written by the png crate; RGBA when `alpha` (left half transparent).
pub fn png(w: u32, h: u32, alpha: bool) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_depth(png::BitDepth::Eight);
        if alpha {
            enc.set_color(png::ColorType::Rgba);
            let rgb = gradient_rgb(w, h);
            let mut px = Vec::with_capacity(rgb.len() / 3 * 4);
            for (i, c) in rgb.chunks(3).enumerate() {
                let x = i as u32 % w;
                px.extend_from_slice(c);
                px.push(if x < w / 2 { 0 } else { 255 });
            }
            enc.write_header().unwrap().write_image_data(&px).unwrap();
        } else {
            enc.set_color(png::ColorType::Rgb);
            enc.write_header()
                .unwrap()
                .write_image_data(&gradient_rgb(w, h))
                .unwrap();
        }
    }
    out
}

/// An animated GIF of `frames` frames, each a different flat colour, 10 cs apart.
pub fn gif(w: u16, h: u16, frames: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0];
        let mut enc = gif::Encoder::new(&mut out, w, h, &palette).unwrap();
        enc.set_repeat(gif::Repeat::Infinite).unwrap();
        for i in 0..frames {
            let mut frame = gif::Frame {
                width: w,
                height: h,
                delay: 10 + u16::from(i),
                ..Default::default()
            };
            let pixels = vec![i % 4; usize::from(w) * usize::from(h)];
            frame.buffer = pixels.into();
            enc.write_frame(&frame).unwrap();
        }
    }
    out
}

/// The shared corpus for the check `what`: `../shared/corpus`, or the folder in
/// `OSSIMG_CORPUS`, when it has a `manifest.json`. Without one the check is skipped, said
/// plainly on stderr, and `None` returned; with `OSSIMG_REQUIRE_CORPUS=1` (scripts/test.sh,
/// CI) the test fails instead, so that a sweep cannot pass without sweeping.
pub fn corpus_or_skip(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("OSSIMG_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    if dir.join("manifest.json").is_file() {
        return Some(dir);
    }
    let missing = format!("no manifest.json in {} (set OSSIMG_CORPUS)", dir.display());
    if std::env::var_os("OSSIMG_REQUIRE_CORPUS").is_some_and(|v| v == "1") {
        panic!("{what}: OSSIMG_REQUIRE_CORPUS=1 but the corpus is missing: {missing}");
    }
    // Straight to stderr: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {what}: {missing}; OSSIMG_REQUIRE_CORPUS=1 makes this a failure"
    );
    None
}

/// The files listed in the corpus's `manifest.json`.
pub fn corpus_manifest(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read(dir.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&text).unwrap();
    manifest["files"].as_array().unwrap().clone()
}

/// The HEIC/AVIF files of `manifest-heic-avif.json` (same fields as `manifest.json`).
pub fn heif_manifest(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read(dir.join("manifest-heic-avif.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&text).unwrap();
    manifest["files"].as_array().unwrap().clone()
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs a spec and returns the image output with its probe (re-read from the bytes).
pub fn image(input: &[u8], spec: &str) -> (Vec<u8>, Probe) {
    match ossimg::process(input, spec) {
        Ok(Output::Image {
            bytes,
            width,
            height,
            frames,
            format,
        }) => {
            let probe = ossimg::probe(&bytes).unwrap();
            assert_eq!(
                (probe.width, probe.height),
                (width, height),
                "{spec}: reported size"
            );
            assert_eq!(probe.format, format, "{spec}: reported format");
            assert_eq!(probe.frames, frames, "{spec}: reported frames");
            (bytes, probe)
        }
        other => panic!("{spec}: expected an image, got {other:?}"),
    }
}

/// RGBA8 pixels of an encoded image (first frame), decoded by the image crate.
pub fn rgba(bytes: &[u8]) -> RgbaImage {
    image::load_from_memory(bytes).unwrap().to_rgba8()
}

/// The image output of `spec`, decoded (first frame), with its probe.
pub fn run(input: &[u8], spec: &str) -> (RgbaImage, Probe) {
    let (bytes, probe) = image(input, spec);
    (rgba(&bytes), probe)
}

pub fn size(p: &Probe) -> (u32, u32) {
    (p.width, p.height)
}

/// True when every channel of `a` is within `tolerance` of `b`'s.
pub fn close(a: &[u8], b: &[u8], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
}

/// Asserts `(code, status, ec)` of a failing call.
pub fn assert_error(
    result: ossimg::Result<Output>,
    code: &str,
    status: u16,
    ec: Option<&str>,
    what: &str,
) {
    match result {
        Err(e) => assert_eq!(
            (e.code(), e.status(), e.ec()),
            (code, status, ec),
            "{what}: {e}"
        ),
        Ok(out) => panic!("{what}: expected {code}, got {:?}", out.mime()),
    }
}

/// Asserts that `spec` on `input` fails with a 400 `(code, ec)`.
pub fn assert_invalid(input: &[u8], spec: &str, code: &str, ec: Option<&str>) {
    assert_error(ossimg::process(input, spec), code, 400, ec, spec);
}

/// True when the JPEG has a progressive (SOF2) frame header.
pub fn is_progressive_jpeg(bytes: &[u8]) -> bool {
    marker(bytes, 0xC2)
}

/// True when the JPEG has a baseline or extended sequential (SOF0/SOF1) frame header.
pub fn is_baseline_jpeg(bytes: &[u8]) -> bool {
    marker(bytes, 0xC0) || marker(bytes, 0xC1)
}

fn marker(bytes: &[u8], code: u8) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let m = bytes[i + 1];
        if m == code {
            return true;
        }
        if m == 0xDA {
            return false;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    false
}
