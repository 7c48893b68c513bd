//! Shrink-on-load (issue 6): a JPEG whose first resize shrinks it ≥ 4× is decoded at 1/2,
//! 1/4 or 1/8 scale in the DCT domain. Output sizes must be exactly those of the spec
//! (resize.md), the pixels close to a full decode, EXIF orientation still applied.

mod common;

use ossimg::{codec, Limits, Options, Output};

/// kodim23 (a 768×512 photograph) as a JPEG q95.
fn photo_jpeg() -> Vec<u8> {
    common::image(
        &common::fixture("kodim23.png"),
        "image/format,jpg/quality,Q_95",
    )
    .0
}

fn run(input: &[u8], spec: &str, shrink_on_load: bool) -> (Vec<u8>, u32, u32) {
    let mut options = Options::default();
    options.shrink_on_load = shrink_on_load;
    match ossimg::process_with(input, spec, &options) {
        Ok(Output::Image {
            bytes,
            width,
            height,
            ..
        }) => (bytes, width, height),
        other => panic!("{spec}: expected an image, got {other:?}"),
    }
}

/// PSNR of the RGB channels of two same-sized images, in dB.
fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let (a, b) = (common::rgba(a), common::rgba(b));
    assert_eq!(a.dimensions(), b.dimensions());
    let (mut se, mut n) = (0f64, 0f64);
    for (p, q) in a.pixels().zip(b.pixels()) {
        for c in 0..3 {
            se += (f64::from(p[c]) - f64::from(q[c])).powi(2);
            n += 1.0;
        }
    }
    10.0 * (255.0f64 * 255.0 / (se / n)).log10()
}

#[test]
fn every_resize_mode_keeps_the_spec_size() {
    let jpeg = photo_jpeg();
    // 768×512 source; expected sizes worked out from resize.md.
    let cases = [
        ("resize,w_90", (90, 60)),
        ("resize,h_90", (135, 90)),
        ("resize,m_lfit,w_150,h_60", (90, 60)),
        ("resize,m_mfit,w_150,h_60", (150, 100)),
        ("resize,m_fill,w_150,h_60", (150, 60)),
        ("resize,m_pad,w_150,h_60", (150, 60)),
        ("resize,m_fixed,w_150,h_60", (150, 60)),
        ("resize,m_fixed,w_100,h_30", (100, 30)),
        ("resize,l_120", (120, 80)),
        ("resize,s_60", (90, 60)),
        ("resize,p_10", (77, 51)),
        ("resize,w_90/crop,w_50,h_40", (50, 40)),
    ];
    for (args, expected) in cases {
        let spec = format!("image/{args}/format,png");
        let (fast, fw, fh) = run(&jpeg, &spec, true);
        let (full, w, h) = run(&jpeg, &spec, false);
        assert_eq!((fw, fh), expected, "{spec} with shrink-on-load");
        assert_eq!((w, h), expected, "{spec} with a full decode");
        let db = psnr(&fast, &full);
        assert!(db >= 34.0, "{spec}: {db:.2} dB against the full decode");
    }
}

#[test]
fn the_reduced_decode_is_taken_and_close_to_the_full_one() {
    let jpeg = photo_jpeg();
    let spec = "image/resize,w_90/format,png";
    let (fast, ..) = run(&jpeg, spec, true);
    let (full, ..) = run(&jpeg, spec, false);
    // Different decode paths give different (but close) pixels.
    assert_ne!(fast, full, "shrink-on-load did not change the decode");
    let db = psnr(&fast, &full);
    assert!(db >= 38.0, "{db:.2} dB against the full decode");

    let probe = ossimg::probe(&jpeg).unwrap();
    let admission = Limits::oss().admit(&probe, 1).unwrap();
    // w_90 samples down to 90×60: 1/4 leaves 192×128 (≥ 2× the target), 1/8 would not.
    let image = codec::decode_shrunk(&jpeg, &probe, &admission, (90, 60))
        .unwrap()
        .expect("a reduced decode");
    assert_eq!((image.image.width(), image.image.height()), (192, 128));
    let image = codec::decode_shrunk(&jpeg, &probe, &admission, (150, 100))
        .unwrap()
        .expect("a reduced decode");
    assert_eq!((image.image.width(), image.image.height()), (384, 256));
    // Less than a 4× shrink: decode at full size.
    let none = codec::decode_shrunk(&jpeg, &probe, &admission, (300, 200)).unwrap();
    assert!(none.is_none());
}

#[test]
fn other_formats_and_small_shrinks_decode_in_full() {
    let png = common::png(400, 300, false);
    let probe = ossimg::probe(&png).unwrap();
    let admission = Limits::oss().admit(&probe, 1).unwrap();
    let none = codec::decode_shrunk(&png, &probe, &admission, (10, 10)).unwrap();
    assert!(none.is_none(), "PNG has no DCT to shrink in");
}

#[test]
fn exif_orientation_applies_to_the_reduced_frame() {
    // Stored 1200×1800 with orientation 6: shown 1800×1200.
    let jpeg = common::fixture("Landscape_6.jpg");
    for args in [
        "resize,w_200",
        "resize,m_fill,w_200,h_50",
        "resize,m_fixed,w_50,h_200",
    ] {
        let spec = format!("image/{args}/format,png");
        let (fast, fw, fh) = run(&jpeg, &spec, true);
        let (full, w, h) = run(&jpeg, &spec, false);
        assert_eq!((fw, fh), (w, h), "{spec}");
        let db = psnr(&fast, &full);
        assert!(db >= 34.0, "{spec}: {db:.2} dB against the full decode");
    }
    let (_, w, h) = run(&jpeg, "image/resize,w_200", true);
    assert_eq!((w, h), (200, 133));
}

#[test]
fn corrupt_jpeg_errors_stay_the_same() {
    let mut jpeg = photo_jpeg();
    let cut = jpeg.len() / 3;
    jpeg.truncate(cut);
    let fast = ossimg::process_with(&jpeg, "image/resize,w_50", &Options::default());
    let mut options = Options::default();
    options.shrink_on_load = false;
    let full = ossimg::process_with(&jpeg, "image/resize,w_50", &options);
    match (fast, full) {
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (
            Ok(Output::Image {
                width: a,
                height: b,
                ..
            }),
            Ok(Output::Image {
                width: c,
                height: d,
                ..
            }),
        ) => {
            assert_eq!((a, b), (c, d))
        }
        (a, b) => panic!("different outcomes: {a:?} / {b:?}"),
    }
}

/// A Display P3 photo: shrink-on-load converts its colour after the first resize (fewer
/// pixels), the full decode before it; both must land on the same sRGB colours, and far
/// from the P3 numbers taken as sRGB (the profile ignored).
#[test]
fn a_tagged_photo_gets_its_colour_after_the_shrink() {
    let p3 = common::fixture("kodim23-p3.jpg");
    let spec = "image/resize,w_96/format,png";
    let (fast, ..) = run(&p3, spec, true);
    let (full, ..) = run(&p3, spec, false);
    let db = psnr(&fast, &full);
    assert!(db >= 38.0, "{db:.2} dB against the full decode");
    // The same JPEG without its ICC profile: the colours a profile-blind decoder shows.
    let untagged = strip_app2(&p3);
    let (blind, ..) = run(&untagged, spec, true);
    let off = psnr(&fast, &blind);
    assert!(
        off < db - 6.0,
        "colour not converted: {off:.2} dB to the untagged decode, {db:.2} dB to the full one"
    );
}

/// The JPEG without its APP2 (ICC) segments.
fn strip_app2(jpeg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    let mut at = 2;
    while jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA {
        let end = at + 2 + usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        if jpeg[at + 1] != 0xE2 {
            out.extend_from_slice(&jpeg[at..end]);
        }
        at = end;
    }
    out.extend_from_slice(&jpeg[at..]);
    out
}
