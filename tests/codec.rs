//! The codec layer through the public API: sniff → probe → limits → decode → encode.

use ossimg::codec::{decode, encode, estimate_jpeg_quality, probe, sniff, EncodeOptions, Frames};
use ossimg::format::ImageFormat;
use ossimg::frame::{Frame, Image, LoopCount};
use ossimg::{ErrorKind, Limits};

#[cfg(feature = "webp-libwebp")]
mod libwebp_golden;

const ALL: [ImageFormat; 6] = [
    ImageFormat::Jpeg,
    ImageFormat::Png,
    ImageFormat::Gif,
    ImageFormat::WebP,
    ImageFormat::Bmp,
    ImageFormat::Tiff,
];

fn picture(w: u32, h: u32) -> Frame {
    let mut px = Vec::new();
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x * 4) as u8, (y * 6) as u8, 90, 255]);
        }
    }
    Frame::from_rgba(w, h, px).unwrap()
}

fn options(format: ImageFormat) -> EncodeOptions {
    EncodeOptions {
        format,
        quality: 85,
        progressive: false,
    }
}

fn read(bytes: &[u8], limits: &Limits, frames: Frames) -> ossimg::Result<Image> {
    let p = probe(bytes)?;
    limits.check_source(&p)?;
    decode(bytes, &p, limits, frames)
}

#[test]
fn every_format_survives_a_round_trip() {
    let image = Image::still(picture(61, 47));
    for format in ALL {
        let bytes = encode(&image, &options(format), &Limits::oss()).unwrap();
        assert_eq!(sniff(&bytes), Some(format));
        let p = probe(&bytes).unwrap();
        assert_eq!((p.format, p.width, p.height, p.frames), (format, 61, 47, 1));
        let back = read(&bytes, &Limits::oss(), Frames::All).unwrap();
        assert_eq!((back.width(), back.height()), (61, 47), "{format:?}");
        if matches!(
            format,
            ImageFormat::Png | ImageFormat::Bmp | ImageFormat::Tiff
        ) {
            assert_eq!(back.first(), image.first(), "{format:?}");
        }
    }
}

#[test]
fn animation_converts_between_gif_and_webp() {
    let frames = (0..4u8)
        .map(|i| {
            let mut f = Frame::filled(20, 10, [i * 60, 255 - i * 60, 0, 255]).unwrap();
            f.delay_ms = 80;
            f
        })
        .collect();
    let anim = Image::animation(frames, LoopCount::Finite(2)).unwrap();
    let gif = encode(&anim, &options(ImageFormat::Gif), &Limits::oss()).unwrap();
    let from_gif = read(&gif, &Limits::oss(), Frames::All).unwrap();
    assert_eq!(from_gif.frames().len(), 4);
    let webp = encode(&from_gif, &options(ImageFormat::WebP), &Limits::oss()).unwrap();
    let from_webp = read(&webp, &Limits::oss(), Frames::All).unwrap();
    // Without libwebp the fallback encoder writes the first frame only.
    let expected = if cfg!(feature = "webp-libwebp") { 4 } else { 1 };
    assert_eq!(from_webp.frames().len(), expected);
    if expected > 1 {
        assert_eq!(from_webp.loop_count, LoopCount::Finite(2));
        assert!(from_webp.frames().iter().all(|f| f.delay_ms == 80));
    }
    let first = read(&gif, &Limits::oss(), Frames::First).unwrap();
    assert_eq!(first.frames().len(), 1);
}

#[test]
fn jpeg_quality_is_readable_from_our_output() {
    let image = Image::still(picture(32, 32));
    for q in [40, 75, 95] {
        let opts = EncodeOptions {
            quality: q,
            ..options(ImageFormat::Jpeg)
        };
        let bytes = encode(&image, &opts, &Limits::oss()).unwrap();
        assert_eq!(estimate_jpeg_quality(&bytes), Some(q));
    }
}

#[test]
fn jpeg_chroma_is_averaged_over_each_2x2_block_not_point_sampled() {
    // One-pixel red and blue columns: each 2×2 chroma block must carry their mean, purple.
    // Taking its top-left pixel instead (jpeg-encoder's default) makes every column red.
    let (w, h) = (64, 64);
    let px = (0..w * h)
        .flat_map(|i| {
            if i % 2 == 0 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 255]
            }
        })
        .collect();
    let image = Image::still(Frame::from_rgba(w, h, px).unwrap());
    for progressive in [false, true] {
        let opts = EncodeOptions {
            quality: 95,
            progressive,
            ..options(ImageFormat::Jpeg)
        };
        let bytes = encode(&image, &opts, &Limits::oss()).unwrap();
        let decoded = read(&bytes, &Limits::oss(), Frames::All).unwrap();
        let pixels = decoded.frames()[0].pixels();
        let mean = |c: usize| {
            pixels
                .iter()
                .skip(c)
                .step_by(4)
                .map(|&v| f64::from(v))
                .sum::<f64>()
                / f64::from(w * h)
        };
        // Averaged: red and blue columns decode to the same purple chroma, so the two means
        // agree (~127 each); point-sampled, red averages over 200 and blue under 60.
        assert!(
            (mean(0) - mean(2)).abs() < 8.0,
            "R {} B {}",
            mean(0),
            mean(2)
        );
    }
}

/// Pins the lossy WebP bytes that the wasm build (libwebp's SSE2 code on SIMD128) must
/// also write: tests/web.rs checks the same goldens.
#[cfg(feature = "webp-libwebp")]
#[test]
fn lossy_webp_matches_the_libwebp_goldens() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/libwebp");
    for case in &libwebp_golden::CASES {
        let bytes = libwebp_golden::encode(case);
        if std::env::var_os("OSSIMG_BLESS").is_some() {
            std::fs::write(dir.join(case.golden_name), &bytes).unwrap();
            continue;
        }
        assert!(
            bytes == case.golden,
            "{}: wrote {} B, golden {} B (OSSIMG_BLESS=1 rewrites the goldens)",
            case.golden_name,
            bytes.len(),
            case.golden.len()
        );
    }
}

#[test]
fn a_declared_bomb_is_refused_from_its_header() {
    // A 60-byte PNG that claims 20,000 × 12,000 pixels (960 MB of RGBA).
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&20_000u32.to_be_bytes());
    png.extend_from_slice(&12_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    let p = probe(&png).unwrap();
    assert_eq!((p.width, p.height), (20_000, 12_000));
    let e = read(&png, &Limits::workers(), Frames::All).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ImageTooLarge);
}

#[test]
fn garbage_is_a_typed_400() {
    for bytes in [
        &b"not an image"[..],
        b"\xFF\xD8\xFF",
        b"GIF89a",
        b"RIFF\0\0\0\0WEBP",
    ] {
        let e = read(bytes, &Limits::oss(), Frames::All).unwrap_err();
        assert_eq!(e.status(), 400, "{bytes:?}");
        assert_eq!(e.ec(), Some("0040-00000005"));
    }
}

/// A 1×1 lossless WebP whose first Huffman code (green) has over-subscribed code lengths:
/// three of length 1, one each of 2..=14 and two of 15 (Kraft sum exactly 2). image-webp
/// 0.2.4 counted codes in `u16`, accepted it and indexed out of bounds; the vendored patch
/// (vendor/image-webp/PATCHED.md) rejects it like libwebp.
fn oversubscribed_vp8l() -> Vec<u8> {
    let mut bits: Vec<u8> = Vec::new();
    // VP8L is read least-significant bit first; Huffman codes most-significant bit first.
    let mut put = |value: u32, n: u32| bits.extend((0..n).map(|i| (value >> i & 1) as u8));
    put(0x2f, 8); // signature
    put(0, 14); // width - 1
    put(0, 14); // height - 1
    put(0, 4); // no alpha, version 0
    put(0, 3); // no transform, no colour cache, no meta Huffman image
    put(0, 1); // green: a normal (not simple) code
    put(15, 4); // 4 + 15 = 19 code-length code lengths, in the VP8L order
    for symbol in [
        17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ] {
        // Symbols 0..=15 get 4-bit codes (so symbol s is coded as s); 16..=18 are unused.
        put(if symbol >= 16 { 0 } else { 4 }, 3);
    }
    put(0, 1); // code lengths for the whole alphabet
    let mut lengths = vec![1, 1, 1];
    lengths.extend(2..=14);
    lengths.extend([15, 15]);
    lengths.resize(280, 0);
    for length in lengths {
        for i in (0..4).rev() {
            put(length >> i & 1, 1);
        }
    }
    let mut data = vec![0u8; bits.len().div_ceil(8) + 16];
    for (i, bit) in bits.iter().enumerate() {
        data[i / 8] |= bit << (i % 8);
    }
    if data.len() % 2 == 1 {
        data.push(0);
    }
    let chunk_len = u32::try_from(data.len()).unwrap();
    let mut file = b"RIFF".to_vec();
    file.extend((chunk_len + 12).to_le_bytes());
    file.extend(b"WEBPVP8L");
    file.extend(chunk_len.to_le_bytes());
    file.extend(data);
    file
}

#[test]
fn an_oversubscribed_lossless_huffman_code_is_a_typed_400() {
    let bytes = oversubscribed_vp8l();
    let e = read(&bytes, &Limits::oss(), Frames::All).unwrap_err();
    assert_eq!(e.status(), 400);
    assert_eq!(e.ec(), Some("0040-00000005"));
    assert!(e.to_string().contains("Huffman"), "{e}");
}
