//! circle end to end through `ossimg::process`: the worked examples and error cases of
//! spec/circle.md, the mask checked on every pixel against the spec's coverage formula.

mod common;

use common::mask::{all_pixels, assert_mask};
use common::*;
use ossimg::ImageFormat;

/// circle.md: in a D×D output, R = (D − 1) / 2, coverage = clamp(R + 0.5 − d, 0, 1) with d
/// the distance of pixel (x, y) from (R, R).
fn circle_coverage(side: u32) -> impl Fn(u32, u32) -> f32 {
    let r = (side as f32 - 1.0) / 2.0;
    move |x, y| (r + 0.5 - (x as f32 - r).hypot(y as f32 - r)).clamp(0.0, 1.0)
}

#[test]
fn circle_on_jpeg_and_png() {
    let photo = jpeg_rgb(2500, 1875, None, &flat(2500, 1875, FLAT));
    let s = rgba(&photo);
    let source = |x, y| s.get_pixel(x + 1149, y + 837).0;
    // Examples 1–3: white outside in a JPEG, transparent in a PNG, wherever `format` is.
    for (spec, format) in [
        ("image/circle,r_100", ImageFormat::Jpeg),
        ("image/circle,r_100/format,png", ImageFormat::Png),
        ("image/format,png/circle,r_100", ImageFormat::Png),
    ] {
        let (out, p) = run(&photo, spec);
        assert_eq!((size(&p), p.format), ((201, 201), format), "{spec}");
        let jpeg = format == ImageFormat::Jpeg;
        assert_mask(
            &out,
            jpeg,
            all_pixels(201, 201),
            source,
            circle_coverage(201),
            spec,
        );
        let rim = out.get_pixel(100, 0).0;
        assert!(rim[3] > 0 && (jpeg || rim[3] < 255), "{spec}: rim {rim:?}");
    }
}

#[test]
fn circle_sizes_and_offsets() {
    let photo = png_with(2500, 1875, code);
    let coded = png_with(400, 200, code);
    // (#, source, spec, side, left, top): the centre pixel names its source position.
    for (n, src, spec, side, left, top) in [
        (4, &photo, "image/circle,r_1000", 1875, 312, 0),
        (5, &coded, "image/circle,r_4096", 200, 100, 0),
        (6, &coded, "image/circle,r_150", 200, 100, 0),
        (7, &coded, "image/circle,r_99", 199, 100, 0),
    ] {
        let (out, p) = run(src, spec);
        assert_eq!(size(&p), (side, side), "example {n}: {spec}");
        let c = side / 2;
        assert_eq!(
            out.get_pixel(c, c).0,
            code(left + c, top + c),
            "example {n}: {spec}"
        );
        assert_mask(
            &out,
            false,
            all_pixels(side, side),
            |x, y| code(left + x, top + y),
            circle_coverage(side),
            spec,
        );
    }
    // Example 8.
    let (out, p) = run(&png_with(10, 10, code), "image/circle,r_1");
    assert_eq!(size(&p), (3, 3));
    assert_eq!(out.get_pixel(1, 1).0, code(4, 4));
    // Example 9.
    assert_eq!(
        size(&image(&jpeg(2500, 1875, 90), "image/resize,w_200/circle,r_100").1),
        (150, 150)
    );
}

#[test]
fn circle_keeps_the_source_alpha_and_makes_animations_still() {
    // Example 10: inside pixels keep their own alpha, scaled by the coverage at the rim.
    let alpha = |x: u32, y: u32| [10, 20, 30, 50 + ((x + y) % 200) as u8];
    let src = png_with(300, 200, alpha);
    let (out, p) = run(&src, "image/circle,r_50");
    assert_eq!((size(&p), p.format), ((101, 101), ImageFormat::Png));
    assert_mask(
        &out,
        false,
        all_pixels(101, 101),
        |x, y| alpha(x + 99, y + 49),
        circle_coverage(101),
        "r_50",
    );
    // Example 11.
    let (_, p) = image(&gif(300, 300, 5), "image/circle,r_50");
    assert_eq!(
        (size(&p), p.frames, p.format),
        ((101, 101), 1, ImageFormat::Gif)
    );
}

#[test]
fn circle_error_cases() {
    let src = png(20, 10, false);
    for (spec, code, ec) in [
        (
            "image/circle,r_abc",
            "InvalidArgument",
            Some("0040-00000233"),
        ),
        (
            "image/circle,r_5000",
            "InvalidArgument",
            Some("0040-00000233"),
        ),
        ("image/circle,r_0", "InvalidArgument", Some("0040-00000233")),
        ("image/circle", "MissingArgument", None),
        ("image/circle,r_10,x_5", "InvalidArgument", None),
    ] {
        assert_invalid(&src, spec, code, ec);
    }
}
