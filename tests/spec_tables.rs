//! The worked examples and error cases of spec/README.md, resize.md, crop.md, format.md,
//! quality.md and interlace.md, run end to end through `ossimg::process` on real encoded
//! images. (Sizes of every resize/crop example are also checked in the unit tests.)

mod common;

use common::*;
use ossimg::{ImageFormat, Output};

#[test]
fn resize_examples_on_real_images() {
    let photo = jpeg(2500, 1875, 90);
    let rows = [
        ("image/resize,p_50", (1250, 938)),
        ("image/resize,w_200", (200, 150)),
        ("image/resize,h_100", (133, 100)),
        ("image/resize,l_200", (200, 150)),
        ("image/resize,s_200", (267, 200)),
        ("image/resize,m_fill,w_100,h_100", (100, 100)),
        ("image/resize,m_fixed,w_100,h_100", (100, 100)),
        ("image/resize,l_200,s_100", (133, 100)),
        ("image/resize,w_120,h_120,w_240", (160, 120)),
    ];
    for (spec, size) in rows {
        let (_, p) = image(&photo, spec);
        assert_eq!((p.width, p.height), size, "{spec}");
        assert_eq!(p.format, ImageFormat::Jpeg, "{spec}: source format kept");
    }
}

#[test]
fn resize_limit_passes_the_image_through() {
    let small = png(200, 100, false);
    let (bytes, p) = image(&small, "image/resize,w_300");
    assert_eq!((p.width, p.height), (200, 100));
    assert_eq!(rgba(&bytes), rgba(&small), "unchanged pixels, re-encoded");
    let (_, p) = image(&small, "image/resize,w_300,limit_0");
    assert_eq!((p.width, p.height), (300, 150));
}

#[test]
fn pad_bands_have_the_pad_colour() {
    let photo = png(2500, 1875, false);
    let (bytes, p) = image(&photo, "image/resize,m_pad,w_100,h_100,color_FF0000");
    assert_eq!((p.width, p.height), (100, 100));
    let px = rgba(&bytes);
    // 100×75 image with bands of 12 px (top) and 13 px (bottom).
    for y in [0, 11, 87, 99] {
        assert_eq!(px.get_pixel(50, y).0, [255, 0, 0, 255], "band at y={y}");
    }
    assert_ne!(
        px.get_pixel(50, 12).0,
        [255, 0, 0, 255],
        "image starts at y=12"
    );
    assert_ne!(
        px.get_pixel(50, 86).0,
        [255, 0, 0, 255],
        "image ends at y=86"
    );
    let (bytes, _) = image(&photo, "image/resize,m_pad,w_100,h_100");
    assert_eq!(
        rgba(&bytes).get_pixel(0, 0).0,
        [255, 255, 255, 255],
        "default band is white"
    );
}

#[test]
fn resize_keeps_content_in_place() {
    // Left half transparent, right half opaque: the same after a 2× shrink.
    let (bytes, p) = image(&png(64, 32, true), "image/resize,w_32");
    assert_eq!((p.width, p.height), (32, 16));
    let px = rgba(&bytes);
    assert_eq!(px.get_pixel(2, 8).0[3], 0);
    assert_eq!(px.get_pixel(29, 8).0[3], 255);
}

#[test]
fn animated_resize_rules() {
    let anim = gif(400, 300, 10);
    let (_, p) = image(&anim, "image/resize,w_200");
    assert_eq!((p.width, p.height, p.frames), (200, 150, 10), "example 37");
    let (_, p) = image(&anim, "image/resize,w_800,limit_0");
    assert_eq!(
        (p.width, p.height, p.frames),
        (400, 300, 10),
        "example 38: never enlarged"
    );
    let (_, p) = image(&anim, "image/resize,p_50");
    assert_eq!(
        (p.width, p.height, p.frames),
        (200, 150, 1),
        "example 39: p makes it static"
    );
}

#[test]
fn animated_frames_keep_their_delays() {
    let anim = gif(40, 30, 4);
    let (bytes, _) = image(&anim, "image/resize,w_20");
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(bytes.as_slice()).unwrap();
    let mut delays = Vec::new();
    while let Some(frame) = dec.read_next_frame().unwrap() {
        delays.push(frame.delay);
    }
    assert_eq!(delays, [10, 11, 12, 13]);
}

#[test]
fn resize_errors() {
    let photo = jpeg(1000, 1000, 80);
    let rows = [
        ("image/resize", "MissingArgument", Some("0040-00000322")),
        ("image/resize,w_0", "InvalidArgument", Some("0040-00000312")),
        (
            "image/resize,w_16385",
            "InvalidArgument",
            Some("0040-00000312"),
        ),
        (
            "image/resize,w_0,h_0",
            "InvalidArgument",
            Some("0040-00000321"),
        ),
        (
            "image/resize,p_1001",
            "InvalidArgument",
            Some("0040-00000317"),
        ),
        (
            "image/resize,m_fixed,w_5000,h_5000,limit_0",
            "InvalidArgument",
            Some("0040-00000007"),
        ),
    ];
    for (spec, code, ec) in rows {
        assert_error(ossimg::process(&photo, spec), code, 400, ec, spec);
    }
    let big = jpeg(4000, 3000, 50);
    assert_error(
        ossimg::process(&big, "image/resize,w_16384,limit_0"),
        "InvalidArgument",
        400,
        Some("0040-00000007"),
        "16384×12288",
    );
    let wide = png(30_001, 1, false);
    assert_error(
        ossimg::process(&wide, "image/resize,w_100"),
        "ImageTooLarge",
        400,
        Some("0040-00000009"),
        "30001 px",
    );
}

#[test]
fn crop_examples_on_real_images() {
    let photo = png(2500, 1875, false);
    let source = rgba(&photo);
    let rows = [
        ("image/crop,x_800,y_50", (800, 50, 1700, 1825)),
        ("image/crop,w_900,h_900,g_se", (1600, 975, 900, 900)),
        (
            "image/crop,x_100,y_100,w_900,h_900,g_se",
            (1700, 1075, 800, 800),
        ),
        ("image/crop,w_500,h_500,g_center", (1000, 687, 500, 500)),
        ("image/crop,g_east,w_200,h_200,x_50", (2350, 837, 150, 200)),
        ("image/crop,x_2499,y_1874", (2499, 1874, 1, 1)),
    ];
    for (spec, (x, y, w, h)) in rows {
        let (bytes, p) = image(&photo, spec);
        assert_eq!((p.width, p.height), (w, h), "{spec}");
        let out = rgba(&bytes);
        for (ox, oy) in [(0, 0), (w - 1, h - 1), (w / 2, h / 3)] {
            assert_eq!(
                out.get_pixel(ox, oy),
                source.get_pixel(x + ox, y + oy),
                "{spec} at ({ox},{oy})"
            );
        }
    }
}

#[test]
fn crop_errors_and_animation() {
    let photo = png(2500, 1875, false);
    for spec in [
        "image/crop,x_2500,y_0",
        "image/crop,x_10,y_100000",
        "image/crop,g_se,w_100,h_100,x_100",
    ] {
        assert_error(ossimg::process(&photo, spec), "BadRequest", 400, None, spec);
    }
    assert_error(
        ossimg::process(&photo, "image/crop,w_abc"),
        "InvalidArgument",
        400,
        Some("0040-00000225"),
        "w_abc",
    );
    assert_error(
        ossimg::process(&photo, "image/crop,g_fac,w_1"),
        "InvalidArgument",
        400,
        Some("0040-00000209"),
        "g_fac",
    );
    let (_, p) = image(&gif(400, 300, 5), "image/crop,w_200,h_200");
    assert_eq!(
        (p.width, p.height, p.frames),
        (200, 200, 5),
        "crop example 14"
    );
}

#[test]
fn format_examples() {
    let photo = jpeg(2500, 1875, 90);
    let (_, p) = image(&photo, "image/format,png");
    assert_eq!(
        (p.format, p.width, p.height, p.has_alpha),
        (ImageFormat::Png, 2500, 1875, false)
    );
    let (_, p) = image(&photo, "image/resize,w_200/format,webp");
    assert_eq!((p.format, p.width, p.height), (ImageFormat::WebP, 200, 150));
    let (a, _) = image(&photo, "image/format,webp/resize,w_200");
    let (b, _) = image(&photo, "image/resize,w_200/format,webp");
    assert_eq!(a, b, "format position does not matter");
    let (_, p) = image(&photo, "image/format,gif");
    assert_eq!(
        p.format,
        ImageFormat::Jpeg,
        "non-GIF sources never become GIF"
    );
    let (_, p) = image(&photo, "image/format,png/format,webp");
    assert_eq!(p.format, ImageFormat::WebP, "last wins");
    let (_, p) = image(&png(40, 30, false), "image/format,jpeg");
    assert_eq!(p.format, ImageFormat::Jpeg, "jpeg alias");
    let (_, p) = image(&png(40, 30, true), "image/format,bmp");
    assert_eq!(p.format, ImageFormat::Bmp);
    let (_, p) = image(&png(40, 30, true), "image/format,tiff");
    assert_eq!(p.format, ImageFormat::Tiff);
}

#[test]
fn transparency_becomes_white_in_jpeg() {
    let (bytes, _) = image(&png(64, 32, true), "image/format,jpg");
    let px = rgba(&bytes);
    let p = px.get_pixel(4, 16).0;
    assert!(
        p[0] > 245 && p[1] > 245 && p[2] > 245,
        "transparent area is white, got {p:?}"
    );
}

#[test]
fn animated_format_rules() {
    let anim = gif(400, 300, 6);
    let (_, p) = image(&anim, "image/format,gif");
    assert_eq!(
        (p.format, p.frames),
        (ImageFormat::Gif, 6),
        "format example 7"
    );
    let (_, p) = image(&anim, "image/format,png");
    assert_eq!(
        (p.format, p.width, p.height, p.frames),
        (ImageFormat::Png, 400, 300, 1),
        "example 8"
    );
    let (_, p) = image(&anim, "image/resize,w_200/format,webp");
    assert_eq!(
        (p.format, p.width, p.height, p.frames),
        (ImageFormat::WebP, 200, 150, 6),
        "example 9"
    );
}

#[test]
fn webp_side_limit() {
    assert_error(
        ossimg::process(&png(20_000, 100, false), "image/format,webp"),
        "BadRequest",
        400,
        Some("0040-00000011"),
        "format example 14",
    );
    assert_error(
        ossimg::process(&png(16_384, 100, false), "image/format,webp"),
        "BadRequest",
        400,
        Some("0040-00000011"),
        "format example 16",
    );
    let (_, p) = image(&png(16_383, 100, false), "image/format,webp");
    assert_eq!(
        (p.format, p.width),
        (ImageFormat::WebP, 16_383),
        "format example 17"
    );
}

#[test]
fn format_errors() {
    let photo = png(10, 10, false);
    let rows = [
        ("image/format", "InvalidArgument", Some("0040-00000207")),
        ("image/format,dng", "InvalidArgument", Some("0040-00000206")),
        (
            "image/format,f_png",
            "InvalidArgument",
            Some("0040-00000206"),
        ),
        ("image/format,JPG", "InvalidArgument", Some("0040-00000206")),
        (
            "image/format,png,jpg",
            "InvalidArgument",
            Some("0040-00000203"),
        ),
        ("image/format,heic", "NotImplemented", None),
    ];
    for (spec, code, ec) in rows {
        assert_error(ossimg::process(&photo, spec), code, 400, ec, spec);
    }
}

/// quality.md examples: the output quality is measured with the spec's own estimator.
#[test]
fn quality_examples() {
    let q = |bytes: &[u8]| ossimg::codec::estimate_jpeg_quality(bytes).unwrap();
    let rows: [(&str, u8, u8); 7] = [
        ("image/quality,q_90", 100, 90),
        ("image/quality,q_90", 80, 72),
        ("image/quality,Q_90", 95, 90),
        ("image/quality,Q_90", 80, 80),
        ("image/quality,q_90,Q_70", 95, 70),
        ("image/quality,Q_100", 75, 75),
        ("image/quality,q_80/quality,Q_50", 90, 50),
    ];
    for (spec, source_q, expected) in rows {
        let src = jpeg(320, 240, source_q);
        assert_eq!(q(&src), source_q, "fixture quality");
        let (bytes, _) = image(&src, spec);
        let got = q(&bytes);
        assert!(
            got.abs_diff(expected) <= 1,
            "{spec} on q{source_q}: {got}, expected {expected}"
        );
    }
    let (bytes, p) = image(&jpeg(2500, 1875, 90), "image/resize,w_100/quality,q_80");
    assert_eq!((p.width, p.height), (100, 75));
    assert!(q(&bytes).abs_diff(72) <= 1, "example 6");
    let (bytes, _) = image(&jpeg(320, 240, 95), "image/resize,w_100");
    assert!(q(&bytes).abs_diff(90) <= 1, "example 14: default 90");
    let (bytes, _) = image(&jpeg(320, 240, 95), "image/quality,80");
    assert!(q(&bytes).abs_diff(80) <= 1, "example 16: bare value");
    let (bytes, _) = image(&png(64, 64, false), "image/format,jpg/quality,Q_30");
    assert!(q(&bytes).abs_diff(30) <= 1, "example 9");
}

#[test]
fn quality_on_other_formats() {
    let (_, p) = image(&png(64, 64, false), "image/quality,q_50");
    assert_eq!(p.format, ImageFormat::Png, "example 8: ignored for PNG");
    let (_, p) = image(&png(64, 64, false), "image/format,webp/quality,Q_30");
    assert_eq!(p.format, ImageFormat::WebP, "example 10");
    let (_, p) = image(&gif(400, 300, 4), "image/resize,w_100/quality,q_90");
    assert_eq!(
        (p.format, p.width, p.frames),
        (ImageFormat::Gif, 100, 1),
        "example 15"
    );
    // WebP at a lower quality is smaller: quality reaches the encoder.
    let src = jpeg(320, 240, 95);
    let small = image(&src, "image/format,webp/quality,Q_10").0.len();
    let large = image(&src, "image/format,webp/quality,Q_95").0.len();
    assert!(
        small < large,
        "webp Q_10 {small} bytes vs Q_95 {large} bytes"
    );
}

#[test]
fn quality_errors() {
    let photo = jpeg(10, 10, 90);
    let rows = [
        ("image/quality", "MissingArgument", Some("0040-00000307")),
        (
            "image/quality,Q_200",
            "InvalidArgument",
            Some("0040-00000308"),
        ),
        (
            "image/quality,Q_0",
            "InvalidArgument",
            Some("0040-00000308"),
        ),
        (
            "image/quality,q_200",
            "InvalidArgument",
            Some("0040-00000309"),
        ),
        (
            "image/quality,q_abc",
            "InvalidArgument",
            Some("0040-00000309"),
        ),
        (
            "image/quality,200",
            "InvalidArgument",
            Some("0040-00000310"),
        ),
        (
            "image/quality,Q_lossless",
            "InvalidArgument",
            Some("0040-00000308"),
        ),
        (
            "image/quality,lossless",
            "InvalidArgument",
            Some("0040-00000310"),
        ),
        ("image/quality,x_50", "InvalidArgument", None),
    ];
    for (spec, code, ec) in rows {
        assert_error(ossimg::process(&photo, spec), code, 400, ec, spec);
    }
}

#[test]
fn interlace_examples() {
    let photo = jpeg(2500, 1875, 90);
    let (a, p) = image(&photo, "image/resize,w_200/interlace,1");
    assert_eq!((p.width, p.height), (200, 150));
    assert!(is_progressive_jpeg(&a), "example 1: SOF2");
    let (b, _) = image(&photo, "image/interlace,1/resize,w_200");
    assert_eq!(a, b, "example 2: position-independent");
    let (bytes, p) = image(&png(64, 32, true), "image/format,jpg/interlace,1");
    assert!(
        is_progressive_jpeg(&bytes) && p.format == ImageFormat::Jpeg,
        "example 3"
    );
    let (bytes, p) = image(&png(64, 32, false), "image/interlace,1");
    assert_eq!(p.format, ImageFormat::Png, "example 4");
    assert_eq!(
        bytes[28], 0,
        "example 4: PNG not interlaced (IHDR interlace byte)"
    );
    let progressive = image(&photo, "image/interlace,1").0;
    let (bytes, _) = image(&progressive, "image/interlace,0");
    assert!(
        is_baseline_jpeg(&bytes) && !is_progressive_jpeg(&bytes),
        "example 5"
    );
    let (bytes, _) = image(&progressive, "image/resize,w_200");
    assert!(is_baseline_jpeg(&bytes), "example 6: baseline by default");
    let (bytes, _) = image(&photo, "image/interlace,1/interlace,0");
    assert!(is_baseline_jpeg(&bytes), "example 7: last wins");
    let (_, p) = image(&photo, "image/interlace,1/format,webp");
    assert_eq!(p.format, ImageFormat::WebP, "example 8");
}

#[test]
fn interlace_errors() {
    let photo = jpeg(10, 10, 90);
    let rows = [
        ("image/interlace", Some("0040-00000281")),
        ("image/interlace,2", Some("0040-00000282")),
        ("image/interlace,abc", Some("0040-00000282")),
        ("image/interlace,1,0", Some("0040-00000203")),
    ];
    for (spec, ec) in rows {
        assert_error(
            ossimg::process(&photo, spec),
            "InvalidArgument",
            400,
            ec,
            spec,
        );
    }
}

/// spec/README.md §1: the grammar, end to end.
#[test]
fn grammar() {
    let photo = png(200, 100, false);
    let ok = [
        "x-oss-process=image/resize,w_100",
        "image%2Fresize%2Cw_100",
        "image/resize,w_100/",
        "image//resize,w_100",
        "image/resize,w_0100",
        "image/resize,h_50,w_100",
    ];
    for spec in ok {
        let (_, p) = image(&photo, spec);
        assert_eq!((p.width, p.height), (100, 50), "{spec}");
    }
    let rows = [
        ("image/", "InvalidArgument", Some("0040-00000212")),
        ("image/slim,1", "InvalidArgument", Some("0040-00000213")),
        (
            "image/Resize,w_100",
            "InvalidArgument",
            Some("0040-00000213"),
        ),
        ("image/resize,w_100,zz_1", "InvalidArgument", None),
        (
            "image/resize,w_1.5",
            "InvalidArgument",
            Some("0040-00000312"),
        ),
        (
            "image/resize,w_ 100",
            "InvalidArgument",
            Some("0040-00000312"),
        ),
        (
            "image/rotate,90,200,300",
            "InvalidArgument",
            Some("0040-00000203"),
        ),
        ("video/snapshot,t_1000", "NotImplemented", None),
        (
            "image/resize,w_100|sys/saveas,o_abc",
            "NotImplemented",
            None,
        ),
        ("image%2", "InvalidArgument", None),
    ];
    for (spec, code, ec) in rows {
        assert_error(ossimg::process(&photo, spec), code, 400, ec, spec);
    }
    let long = format!("image/resize,w_100{}", "/".repeat(5000));
    assert_error(
        ossimg::process(&photo, &long),
        "InvalidArgument",
        400,
        Some("0017-00000288"),
        "length",
    );
    assert_eq!(
        ossimg::process(&photo, "").unwrap(),
        Output::Original,
        "empty spec"
    );
}

#[test]
fn unknown_keys_can_be_ignored() {
    let mut options = ossimg::Options::default();
    options.rules.strict = false;
    let out =
        ossimg::process_with(&png(200, 100, false), "image/resize,w_100,zz_1", &options).unwrap();
    assert!(matches!(
        out,
        Output::Image {
            width: 100,
            height: 50,
            ..
        }
    ));
}

#[test]
fn styles() {
    let mut options = ossimg::Options::default();
    options
        .styles
        .insert("thumb".into(), "image/resize,w_100/format,png".into());
    let photo = jpeg(400, 300, 90);
    match ossimg::process_with(&photo, "style/thumb", &options).unwrap() {
        Output::Image {
            format,
            width,
            height,
            ..
        } => assert_eq!((format, width, height), (ImageFormat::Png, 100, 75)),
        other => panic!("{other:?}"),
    }
    let e = ossimg::process_with(&photo, "style/none", &options).unwrap_err();
    assert_eq!((e.code(), e.status()), ("NoSuchStyle", 404));
    let e = ossimg::process_with(&photo, "style/a(b", &options).unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000602"));
    let e = ossimg::process_with(&photo, "style/thumb/resize,w_1", &options).unwrap_err();
    assert_eq!(e.code(), "InvalidArgument");
}

#[test]
fn source_errors() {
    assert_error(
        ossimg::process(b"hello world", "image/resize,w_1"),
        "BadRequest",
        400,
        Some("0040-00000005"),
        "text",
    );
    assert_error(
        ossimg::process(&[], "image/resize,w_1"),
        "BadRequest",
        400,
        Some("0040-00000005"),
        "empty",
    );
    let big = vec![0u8; 20 * 1024 * 1024 + 1];
    assert_error(
        ossimg::process(&big, "image/resize,w_1"),
        "ImageTooLarge",
        400,
        Some("0040-00000001"),
        "21 MB",
    );
}

#[test]
fn every_format_round_trips() {
    for (name, format, size) in [
        ("hopper.jpg", ImageFormat::Jpeg, (128, 128)),
        ("kodim23.png", ImageFormat::Png, (768, 512)),
        ("rgb24.bmp", ImageFormat::Bmp, (127, 64)),
        ("pillow_hopper_lzw.tif", ImageFormat::Tiff, (128, 128)),
        ("imagers_anim.webp", ImageFormat::WebP, (200, 200)),
        ("imagers_any-disposal.gif", ImageFormat::Gif, (32, 32)),
    ] {
        let src = fixture(name);
        let (_, p) = image(&src, "image/resize,w_64");
        assert_eq!(p.format, format, "{name}: default output = source format");
        assert_eq!(p.width, 64.min(size.0), "{name}");
    }
}

/// README §2.2: the EXIF orientation is applied first by default, wherever `auto-orient`
/// stands; `auto-orient,0` keeps the stored pixels. (The fixture is stored 1200×1800 with
/// orientation 6, so it is 1800×1200 upright.)
#[test]
fn orientation_is_applied_first_by_default() {
    let photo = fixture("Landscape_6.jpg");
    let stored = ossimg::probe(&photo).unwrap();
    assert_eq!(
        (stored.width, stored.height, stored.orientation),
        (1200, 1800, 6)
    );
    for spec in [
        "image/resize,w_100",
        "image/resize,w_100/auto-orient,1",
        "image/auto-orient,0/resize,w_100/auto-orient,1",
    ] {
        let (bytes, p) = image(&photo, spec);
        assert_eq!((p.width, p.height), (100, 67), "{spec}");
        assert_eq!(
            ossimg::probe(&bytes).unwrap().orientation,
            1,
            "{spec}: no stale orientation tag"
        );
    }
    let (_, p) = image(&photo, "image/resize,w_100/auto-orient,0");
    assert_eq!((p.width, p.height), (100, 150), "stored pixels");
}
