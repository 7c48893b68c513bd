//! auto-orient end to end through `ossimg::process`: the worked examples and error cases
//! of spec/auto-orient.md on JPEGs carrying an EXIF orientation.

mod common;

use common::*;
use image::RgbaImage;

/// Four flat quadrants, easy to tell apart after a JPEG round trip.
const TL: [u8; 3] = [220, 30, 30];
const TR: [u8; 3] = [30, 200, 30];
const BL: [u8; 3] = [30, 30, 220];
const BR: [u8; 3] = [240, 240, 240];

fn quadrants(w: u32, h: u32) -> impl Fn(u32, u32) -> [u8; 3] {
    move |x, y| match (x < w / 2, y < h / 2) {
        (true, true) => TL,
        (false, true) => TR,
        (true, false) => BL,
        (false, false) => BR,
    }
}

/// Asserts that the colour at the centre of each quadrant of `out` is close to `expected`
/// (top-left, top-right, bottom-left, bottom-right).
fn assert_quadrants(out: &RgbaImage, expected: [[u8; 3]; 4], what: &str) {
    let (w, h) = out.dimensions();
    let centres = [
        (w / 4, h / 4),
        (3 * w / 4, h / 4),
        (w / 4, 3 * h / 4),
        (3 * w / 4, 3 * h / 4),
    ];
    for ((x, y), want) in centres.into_iter().zip(expected) {
        let got = out.get_pixel(x, y).0;
        assert!(
            close(&got[..3], &want, 12),
            "{what}: ({x}, {y}) is {got:?}, expected {want:?}"
        );
    }
}

#[test]
fn auto_orient_worked_examples() {
    // Fixture "f": stored 1000×790 with orientation 6 (upright 790×1000).
    let f = jpeg_rgb(1000, 790, Some(6), &draw(1000, 790, quadrants(1000, 790)));
    assert_eq!(ossimg::probe(&f).unwrap().orientation, 6);
    for (n, spec, want) in [
        (1, "image/resize,w_100/auto-orient,1", (100, 127)),
        (2, "image/resize,w_100/auto-orient,0", (100, 79)),
        (3, "image/resize,w_100", (100, 127)),
        (4, "image/auto-orient,1", (790, 1000)),
        (5, "image/auto-orient,0", (1000, 790)),
        (
            6,
            "image/auto-orient,0/resize,w_100/auto-orient,1",
            (100, 127),
        ),
    ] {
        let (bytes, p) = image(&f, spec);
        assert_eq!(size(&p), want, "example {n}: {spec}");
        assert_eq!(
            ossimg::probe(&bytes).unwrap().orientation,
            1,
            "example {n}: no tag left"
        );
    }
    // Turning 90° clockwise brings the stored bottom-left quadrant to the top-left.
    let (out, _) = run(&f, "image/auto-orient,1");
    assert_quadrants(&out, [BL, TL, BR, TR], "example 4");
    let (out, _) = run(&f, "image/auto-orient,0");
    assert_quadrants(&out, [TL, TR, BL, BR], "example 5");
    // Example 11: the crop is cut from the upright image.
    let (out, p) = run(&f, "image/crop,x_0,y_0,w_100,h_50");
    assert_eq!(size(&p), (100, 50));
    assert!(close(&out.get_pixel(50, 25).0[..3], &BL, 12), "example 11");
    // Examples 7–9 on 400×300.
    for (n, orientation, want, expected) in [
        (7, 3, (400, 300), [BR, BL, TR, TL]),
        (8, 2, (400, 300), [TR, TL, BR, BL]),
        (9, 8, (300, 400), [TR, BR, TL, BL]),
    ] {
        let src = jpeg_rgb(
            400,
            300,
            Some(orientation),
            &draw(400, 300, quadrants(400, 300)),
        );
        let (out, p) = run(&src, "image/auto-orient,1");
        assert_eq!(size(&p), want, "example {n}");
        assert_quadrants(&out, expected, &format!("example {n}"));
    }
    // Example 10.
    let plain = png(64, 48, true);
    let (out, p) = run(&plain, "image/auto-orient,1");
    assert_eq!((size(&p), out), ((64, 48), rgba(&plain)), "example 10");
}

#[test]
fn auto_orient_limits_and_animation() {
    // Examples 12 and 13: only the explicit form enforces the rotation limit.
    let big = jpeg_rgb(6000, 4000, Some(6), &flat(6000, 4000, FLAT));
    assert_invalid(
        &big,
        "image/auto-orient,1",
        "BadRequest",
        Some("0040-00000006"),
    );
    assert_eq!(size(&image(&big, "image/resize,w_100").1), (100, 150));
    // Example 14.
    let (_, p) = image(&gif(300, 200, 5), "image/auto-orient,1/resize,w_100");
    assert_eq!((p.width, p.frames), (100, 1));
}

#[test]
fn auto_orient_error_cases() {
    let src = png(20, 10, false);
    for (spec, ec) in [
        ("image/resize,w_100/auto-orient", "0040-00000214"),
        ("image/resize,w_100/auto-orient,abc", "0040-00000215"),
        ("image/resize,w_100/auto-orient,10", "0040-00000215"),
        ("image/auto-orient,2", "0040-00000215"),
        ("image/auto-orient,1,2", "0040-00000203"),
    ] {
        assert_invalid(&src, spec, "InvalidArgument", Some(ec));
    }
}
