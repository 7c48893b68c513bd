//! rounded-corners end to end through `ossimg::process`: the worked examples and error
//! cases of spec/rounded-corners.md, the corners checked against the spec's coverage formula.

mod common;

use common::mask::{all_pixels, assert_mask};
use common::*;
use ossimg::ImageFormat;

/// rounded-corners.md: R = min(r, shorter edge / 2); a pixel whose centre lies in a corner
/// square is measured against that corner's centre with the same 1-px ramp.
fn corner_coverage(w: u32, h: u32, r: u32) -> impl Fn(u32, u32) -> f32 {
    let (w, h) = (w as f32, h as f32);
    let r = (r as f32).min(w.min(h) / 2.0);
    move |x, y| {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        let cx = if px < r {
            r
        } else if px > w - r {
            w - r
        } else {
            return 1.0;
        };
        let cy = if py < r {
            r
        } else if py > h - r {
            h - r
        } else {
            return 1.0;
        };
        (r + 0.5 - (px - cx).hypot(py - cy)).clamp(0.0, 1.0)
    }
}

#[test]
fn rounded_corners_on_jpeg_and_png() {
    let (w, h) = (2500, 1875);
    let photo = jpeg_rgb(w, h, None, &flat(w, h, FLAT));
    let s = rgba(&photo);
    let source = |x, y| s.get_pixel(x, y).0;
    // The four 40×40 corners and a few points inside.
    let corners = move || {
        (0..40)
            .flat_map(|y| (0..40).map(move |x| (x, y)))
            .flat_map(move |(x, y)| {
                [
                    (x, y),
                    (w - 1 - x, y),
                    (x, h - 1 - y),
                    (w - 1 - x, h - 1 - y),
                ]
            })
            .chain([(1250, 937), (1250, 0), (0, 937)])
    };
    // Examples 1 and 2: white corners in a JPEG.
    for spec in [
        "image/rounded-corners,r_30",
        "image/rounded-corners,r_30/format,jpg",
    ] {
        let (out, p) = run(&photo, spec);
        assert_eq!((size(&p), p.format), ((w, h), ImageFormat::Jpeg), "{spec}");
        assert_mask(
            &out,
            true,
            corners(),
            source,
            corner_coverage(w, h, 30),
            spec,
        );
    }
    // Example 3: transparent corners on the top-left 100×100 of the source.
    let photo = jpeg(w, h, 90);
    let s = rgba(&photo);
    let source = |x, y| s.get_pixel(x, y).0;
    let spec = "image/crop,w_100,h_100/rounded-corners,r_10/format,png";
    let (out, p) = run(&photo, spec);
    assert_eq!((size(&p), p.format), ((100, 100), ImageFormat::Png));
    assert_mask(
        &out,
        false,
        all_pixels(100, 100),
        source,
        corner_coverage(100, 100, 10),
        spec,
    );
}

#[test]
fn rounded_corners_caps_and_probes() {
    let opaque = |x, y| code(x, y);
    // Example 4: R = 100 on 400×200, both short ends are semicircles.
    let (out, p) = run(&png_with(400, 200, opaque), "image/rounded-corners,r_4096");
    assert_eq!(size(&p), (400, 200));
    assert_mask(
        &out,
        false,
        all_pixels(400, 200),
        opaque,
        corner_coverage(400, 200, 100),
        "r_4096",
    );
    assert_eq!(
        (
            out.get_pixel(0, 0)[3],
            out.get_pixel(0, 100)[3],
            out.get_pixel(200, 0)[3]
        ),
        (0, 255, 255)
    );
    // Example 5: the inscribed circle of a 200×200 image.
    let (out, _) = run(
        &png_with(200, 200, opaque),
        "image/rounded-corners,r_100/format,png",
    );
    assert_mask(
        &out,
        false,
        all_pixels(200, 200),
        opaque,
        corner_coverage(200, 200, 100),
        "r_100",
    );
    // Example 6: other pixels keep their alpha.
    let alpha = |x: u32, y: u32| [10, 20, 30, 50 + ((x * 3 + y) % 200) as u8];
    let (out, _) = run(&png_with(120, 80, alpha), "image/rounded-corners,r_20");
    assert_mask(
        &out,
        false,
        all_pixels(120, 80),
        alpha,
        corner_coverage(120, 80, 20),
        "r_20",
    );
    // Example 7.
    let (_, p) = image(&gif(300, 200, 5), "image/rounded-corners,r_20");
    assert_eq!(
        (size(&p), p.frames, p.format),
        ((300, 200), 1, ImageFormat::Gif)
    );
    // Example 8.
    let (out, _) = run(
        &png_with(200, 100, opaque),
        "image/rounded-corners,r_30/format,png",
    );
    let alphas = [(0, 0), (100, 50), (30, 0)].map(|(x, y)| out.get_pixel(x, y)[3]);
    assert_eq!(alphas, [0, 255, 255]);
}

#[test]
fn rounded_corners_error_cases() {
    let src = png(20, 10, false);
    for (spec, code, ec) in [
        (
            "image/rounded-corners,r_abc",
            "InvalidArgument",
            Some("0040-00000237"),
        ),
        (
            "image/rounded-corners,r_5000",
            "InvalidArgument",
            Some("0040-00000237"),
        ),
        (
            "image/rounded-corners,r_0",
            "InvalidArgument",
            Some("0040-00000237"),
        ),
        (
            "image/rounded-corners,r_25p",
            "InvalidArgument",
            Some("0040-00000237"),
        ),
        ("image/rounded-corners", "MissingArgument", None),
    ] {
        assert_invalid(&src, spec, code, ec);
    }
}
