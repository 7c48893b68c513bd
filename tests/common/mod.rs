//! Builders for synthetic test images, written with the codec crates directly (not with
//! ossimg's own encoders), plus small readers for the facts tests assert.
#![allow(dead_code)]

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

/// A JPEG written by jpeg-encoder (IJG tables) at `quality`.
pub fn jpeg(w: u32, h: u32, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.encode(
        &gradient_rgb(w, h),
        w as u16,
        h as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .unwrap();
    out
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

/// The shared corpus: `../shared/corpus`, or the folder in `OSSIMG_CORPUS`; `None` when it
/// has no `manifest.json` (a clone without the corpus).
pub fn corpus_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("OSSIMG_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
        });
    dir.join("manifest.json").is_file().then_some(dir)
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
pub fn rgba(bytes: &[u8]) -> image::RgbaImage {
    image::load_from_memory(bytes).unwrap().to_rgba8()
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
