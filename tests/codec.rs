//! The codec layer through the public API: sniff → probe → limits → decode → encode.

use ossimg::codec::{
    decode, encode, estimate_jpeg_quality, probe, sniff, EncodeOptions, Frames, ImageFormat,
};
use ossimg::frame::{Frame, Image, LoopCount};
use ossimg::{ErrorKind, Limits};

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
