//! rotate end to end through `ossimg::process`: the worked examples and error cases of
//! spec/rotate.md, exact pixel permutations for the right angles, the limits, animations
//! and the README §4.2 compatibility switches.

mod common;

use common::*;
use image::Rgba;
use ossimg::{ImageFormat, Options};

/// rotate.md: W' = round(W·|cos θ| + H·|sin θ|), H' = round(W·|sin θ| + H·|cos θ|).
fn spec_rotated_size(w: u32, h: u32, degrees: f64) -> (u32, u32) {
    let (s, c) = degrees.to_radians().sin_cos();
    let (s, c, w, h) = (s.abs(), c.abs(), f64::from(w), f64::from(h));
    (
        (w * c + h * s).round() as u32,
        (w * s + h * c).round() as u32,
    )
}

#[test]
fn rotate_right_angles_are_exact_pixel_permutations() {
    let (w, h) = (37, 23);
    let src = png_with(w, h, |x, y| {
        let [r, g, b, _] = code(x, y);
        [r, g, b, 1 + ((x * 7 + y * 3) % 255) as u8]
    });
    let s = rgba(&src);
    // Where output pixel (u, v) comes from, turning clockwise (rotate.md).
    type From = fn(u32, u32, u32, u32) -> (u32, u32);
    let rows: [(&str, (u32, u32), From); 5] = [
        ("0", (w, h), |u, v, _, _| (u, v)),
        ("90", (h, w), |u, v, _, h| (v, h - 1 - u)),
        ("180", (w, h), |u, v, w, h| (w - 1 - u, h - 1 - v)),
        ("270", (h, w), |u, v, w, _| (w - 1 - v, u)),
        ("360", (w, h), |u, v, _, _| (u, v)),
    ];
    for (degrees, out_size, from) in rows {
        let spec = format!("image/rotate,{degrees}");
        let (out, p) = run(&src, &spec);
        assert_eq!(size(&p), out_size, "{spec}");
        assert_eq!(p.format, ImageFormat::Png, "{spec}");
        for (u, v, px) in out.enumerate_pixels() {
            let (x, y) = from(u, v, w, h);
            assert_eq!(px, s.get_pixel(x, y), "{spec}: ({u}, {v}) from ({x}, {y})");
        }
    }
}

#[test]
fn rotate_pixel_probe_and_chained_resize() {
    // Example 13: [A, B] turned 90° clockwise is A above B.
    let (a, b) = ([200, 10, 10, 255], [10, 10, 200, 255]);
    let src = png_with(2, 1, |x, _| if x == 0 { a } else { b });
    let (out, p) = run(&src, "image/rotate,90");
    assert_eq!(size(&p), (1, 2));
    assert_eq!((out.get_pixel(0, 0).0, out.get_pixel(0, 1).0), (a, b));
    // Example 10: resize first, then rotate.
    let photo = jpeg(2500, 1875, 90);
    let (_, p) = run(&photo, "image/resize,w_200/rotate,90");
    assert_eq!(size(&p), (150, 200));
    // Examples 1–5 on the same photo.
    for (spec, want) in [
        ("image/rotate,90", (1875, 2500)),
        ("image/rotate,180", (2500, 1875)),
        ("image/rotate,270", (1875, 2500)),
        ("image/rotate,0", (2500, 1875)),
        ("image/rotate,360", (2500, 1875)),
    ] {
        assert_eq!(size(&image(&photo, spec).1), want, "{spec}");
    }
}

/// A smooth opaque gradient, so that a sample between pixels stays close to its neighbours.
fn smooth(w: u32, h: u32) -> impl Fn(u32, u32) -> [u8; 4] {
    move |x, y| [(x * 255 / w) as u8, (y * 255 / h) as u8, 128, 255]
}

#[test]
fn rotate_other_angles_on_png() {
    let (w, h) = (400, 200);
    let src = png_with(w, h, smooth(w, h));
    let centre = rgba(&src).get_pixel(w / 2, h / 2).0;
    for degrees in [30, 45] {
        let spec = format!("image/rotate,{degrees}");
        let (out, p) = run(&src, &spec);
        assert_eq!(
            size(&p),
            spec_rotated_size(w, h, f64::from(degrees)),
            "{spec}"
        );
        let (ow, oh) = out.dimensions();
        for (x, y) in [(0, 0), (ow - 1, 0), (0, oh - 1), (ow - 1, oh - 1)] {
            assert_eq!(
                out.get_pixel(x, y).0[3],
                0,
                "{spec}: transparent corner ({x}, {y})"
            );
        }
        let mid = out.get_pixel(ow / 2, oh / 2).0;
        assert!(
            close(&mid, &centre, 4),
            "{spec}: centre {mid:?} vs {centre:?}"
        );
        assert!(
            out.pixels().any(|p| p[3] > 0 && p[3] < 255),
            "{spec}: anti-aliased edge"
        );
    }
    // Example 9.
    let (ow, oh) = size(&image(&src, "image/rotate,30").1);
    assert!(ow.abs_diff(446) <= 1 && oh.abs_diff(373) <= 1, "{ow}x{oh}");
}

#[test]
fn rotate_other_angles_on_jpeg() {
    let photo = jpeg(100, 100, 95);
    let centre = rgba(&photo).get_pixel(50, 50).0;
    // Example 7: white corners in a JPEG; example 8: transparent ones in a PNG.
    for (spec, format) in [
        ("image/rotate,45", ImageFormat::Jpeg),
        ("image/rotate,45/format,png", ImageFormat::Png),
    ] {
        let (out, p) = run(&photo, spec);
        assert_eq!(p.format, format, "{spec}");
        let (ow, oh) = size(&p);
        assert!(
            ow.abs_diff(141) <= 1 && oh.abs_diff(141) <= 1,
            "{spec}: {ow}x{oh}"
        );
        let corner = out.get_pixel(0, 0).0;
        match format {
            ImageFormat::Jpeg => assert!(close(&corner, &[255; 4], 4), "{spec}: {corner:?}"),
            _ => assert_eq!(corner[3], 0, "{spec}"),
        }
        let mid = out.get_pixel(ow / 2, oh / 2).0;
        assert!(
            close(&mid, &centre, 8),
            "{spec}: centre {mid:?} vs {centre:?}"
        );
    }
    // Example 6.
    let (ow, oh) = size(&image(&jpeg(2500, 1875, 80), "image/rotate,70").1);
    assert!(
        ow.abs_diff(2617) <= 1 && oh.abs_diff(2991) <= 1,
        "{ow}x{oh}"
    );
}

#[test]
fn rotate_limits() {
    // Example 11: the 4,096 px source limit is inclusive; a 45° turn of that square
    // exceeds the output limit (README §5.2).
    let square = solid_png(4096, 4096, Rgba([9, 99, 199, 255]));
    assert_eq!(size(&image(&square, "image/rotate,90").1), (4096, 4096));
    assert_invalid(
        &square,
        "image/rotate,45",
        "InvalidArgument",
        Some("0040-00000007"),
    );
    let e = ossimg::process(
        &solid_png(5000, 3000, Rgba([0, 0, 0, 255])),
        "image/rotate,90",
    )
    .unwrap_err();
    assert_eq!((e.code(), e.ec()), ("BadRequest", Some("0040-00000006")));
    assert_eq!(
        e.message(),
        "Picture exceed the maximum allowable rotation range."
    );
    // The limit binds the source even after a shrinking resize (rotate.md Q1).
    let big = solid_png(6000, 4000, Rgba([0, 0, 0, 255]));
    assert_invalid(
        &big,
        "image/resize,w_1000/rotate,90",
        "BadRequest",
        Some("0040-00000006"),
    );
}

#[test]
fn rotate_error_cases() {
    let src = png(20, 10, false);
    for (spec, ec) in [
        ("image/rotate", "0040-00000216"),
        ("image/rotate,abc", "0040-00000217"),
        ("image/rotate,400", "0040-00000217"),
        ("image/rotate,-90", "0040-00000217"),
        ("image/rotate,45.5", "0040-00000217"),
        ("image/rotate,a_90", "0040-00000217"),
        ("image/rotate,90,200,300", "0040-00000203"),
    ] {
        assert_invalid(&src, spec, "InvalidArgument", Some(ec));
    }
}

#[test]
fn rotate_keeps_animations() {
    // Example 12.
    let anim = gif(300, 200, 5);
    let (_, p) = image(&anim, "image/rotate,90");
    assert_eq!((size(&p), p.frames), ((200, 300), 5));
    let (_, p) = image(&anim, "image/rotate,45");
    assert_eq!((size(&p), p.frames), (spec_rotated_size(300, 200, 45.0), 5));
    // Every frame grows: all of them together must fit the decode budget.
    let mut options = Options::default();
    options.limits.max_decode_alloc = 4 << 20;
    let strip = gif(300, 2, 40);
    assert!(ossimg::process_with(&strip, "image/rotate,90", &options).is_ok());
    assert_error(
        ossimg::process_with(&strip, "image/rotate,45", &options),
        "ImageTooLarge",
        400,
        None,
        "40 frames of 214x214 over a 4 MB budget",
    );
}

/// README §4.2 switches: `compat_static_gif_rotate` (G5) and `lenient_rotate_limit`
/// (rotate.md Q1).
#[test]
fn rotate_compatibility_switches() {
    let anim = common::gif(40, 30, 4);
    let mut options = ossimg::Options::default();
    let frames =
        |options: &ossimg::Options| match ossimg::process_with(&anim, "image/rotate,90", options) {
            Ok(ossimg::Output::Image {
                frames,
                width,
                height,
                ..
            }) => (frames, width, height),
            other => panic!("{other:?}"),
        };
    assert_eq!(frames(&options), (4, 30, 40), "animation kept by default");
    options.compat_static_gif_rotate = true;
    assert_eq!(
        frames(&options),
        (1, 30, 40),
        "static with the vendor's rotate-page behaviour"
    );

    let big = common::jpeg(5000, 100, 80);
    let spec = "image/resize,w_1000/rotate,90";
    let e = ossimg::process(&big, spec).unwrap_err();
    assert_eq!(
        e.ec(),
        Some("0040-00000006"),
        "source-based check by default"
    );
    let mut options = ossimg::Options::default();
    options.lenient_rotate_limit = true;
    match ossimg::process_with(&big, spec, &options) {
        Ok(ossimg::Output::Image { width, height, .. }) => assert_eq!((width, height), (20, 1000)),
        other => panic!("lenient: {other:?}"),
    }
}
