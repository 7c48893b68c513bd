//! Geometry end to end through `ossimg::process`: the worked examples and error cases of
//! spec/rotate.md, indexcrop.md, circle.md, rounded-corners.md and auto-orient.md, golden
//! pixel checks computed from the source pixels and the spec's formulas, the orientation
//! corpus against its reference images, and animated corpus files through the
//! animation-capable actions.

mod common;

use common::*;
use image::{AnimationDecoder, ImageDecoder, RgbaImage};
use ossimg::{ImageFormat, Options, Output};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Builders

/// The pixels `pixel(x, y)`, row by row.
fn draw<const N: usize>(w: u32, h: u32, pixel: impl Fn(u32, u32) -> [u8; N]) -> Vec<u8> {
    (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .flat_map(|(x, y)| pixel(x, y))
        .collect()
}

/// `w×h` pixels of one colour (quick for the large sources of the limit examples).
fn flat<const N: usize>(w: u32, h: u32, colour: [u8; N]) -> Vec<u8> {
    colour.repeat((w * h) as usize)
}

/// A PNG of the RGBA8 `px`, written by the png crate.
fn png_rgba(w: u32, h: u32, px: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.write_header().unwrap().write_image_data(px).unwrap();
    }
    out
}

/// The colour that names position (x, y) for sides below 4096: low bytes in R and G,
/// high nibbles in B.
fn code(x: u32, y: u32) -> [u8; 4] {
    [x as u8, y as u8, ((x >> 8) << 4 | (y >> 8)) as u8, 255]
}

/// A JPEG of the RGB8 `px` (jpeg-encoder, quality 95) and, when given, an EXIF block
/// holding only the orientation tag.
fn jpeg_rgb(w: u32, h: u32, orientation: Option<u16>, px: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 95);
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

fn close(a: &[u8], b: &[u8], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
}

/// The image output of `spec`, decoded (first frame), with its probe.
fn run(input: &[u8], spec: &str) -> (RgbaImage, ossimg::Probe) {
    let (bytes, probe) = image(input, spec);
    (rgba(&bytes), probe)
}

fn size(p: &ossimg::Probe) -> (u32, u32) {
    (p.width, p.height)
}

fn assert_invalid(input: &[u8], spec: &str, code: &str, ec: Option<&str>) {
    assert_error(ossimg::process(input, spec), code, 400, ec, spec);
}

// ---------------------------------------------------------------------------------------
// rotate

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
    let src = png_rgba(
        w,
        h,
        &draw(w, h, |x, y| {
            let [r, g, b, _] = code(x, y);
            [r, g, b, 1 + ((x * 7 + y * 3) % 255) as u8]
        }),
    );
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
    let src = png_rgba(2, 1, &draw(2, 1, |x, _| if x == 0 { a } else { b }));
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
    let src = png_rgba(w, h, &draw(w, h, smooth(w, h)));
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
    let square = png_rgba(4096, 4096, &flat(4096, 4096, [9, 99, 199, 255]));
    assert_eq!(size(&image(&square, "image/rotate,90").1), (4096, 4096));
    assert_invalid(
        &square,
        "image/rotate,45",
        "InvalidArgument",
        Some("0040-00000007"),
    );
    let e = ossimg::process(
        &png_rgba(5000, 3000, &flat(5000, 3000, [0, 0, 0, 255])),
        "image/rotate,90",
    )
    .unwrap_err();
    assert_eq!((e.code(), e.ec()), ("BadRequest", Some("0040-00000006")));
    assert_eq!(
        e.message(),
        "Picture exceed the maximum allowable rotation range."
    );
    // The limit binds the source even after a shrinking resize (rotate.md Q1).
    let big = png_rgba(6000, 4000, &flat(6000, 4000, [0, 0, 0, 255]));
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

// ---------------------------------------------------------------------------------------
// indexcrop

#[test]
fn indexcrop_worked_examples() {
    let (w, h) = (2500, 1875);
    let src = png_rgba(w, h, &draw(w, h, code));
    let s = rgba(&src);
    // indexcrop.md examples 1–12 (6 uses a 400×267 source): the strip as x, y, w, h.
    let whole = (0, 0, w, h);
    for (n, args, strip) in [
        (1, "x_100,i_0", (0, 0, 100, h)),
        (2, "x_100,i_24", (2400, 0, 100, h)),
        (3, "x_100,i_25", whole),
        (4, "x_100,i_100", whole),
        (5, "y_100,i_10", (0, 1000, w, 100)),
        (7, "y_100,i_18", (0, 1800, w, 75)),
        (8, "y_100,i_19", whole),
        (9, "x_300,i_8", (2400, 0, 100, h)),
        (10, "x_100,y_200,i_1", (0, 200, w, 200)),
        (11, "x_3000,i_0", whole),
        (12, "y_100", (0, 0, w, 100)),
    ] {
        let spec = format!("image/indexcrop,{args}");
        let (out, p) = run(&src, &spec);
        let (x, y, sw, sh) = strip;
        assert_eq!(size(&p), (sw, sh), "example {n}: {spec}");
        let row_bytes = (sw * 4) as usize;
        for (v, row) in out.as_raw().chunks(row_bytes).enumerate() {
            let start = (((y + v as u32) * w + x) * 4) as usize;
            assert!(
                row == &s.as_raw()[start..start + row_bytes],
                "example {n}: row {v}"
            );
        }
    }
    let small = png(400, 267, false);
    let (out, p) = run(&small, "image/indexcrop,y_100,i_10");
    assert_eq!(size(&p), (400, 267), "example 6");
    assert_eq!(out, rgba(&small), "example 6: the whole image");
}

#[test]
fn indexcrop_error_cases_and_animation() {
    let src = png(20, 10, false);
    for (spec, ec) in [
        ("image/indexcrop,x_0,i_0", Some("0040-00000230")),
        ("image/indexcrop,i_1", Some("0040-00000230")),
        ("image/indexcrop,y_abc,i_0", Some("0040-00000224")),
        ("image/indexcrop,x_abc,i_0", Some("0040-00000223")),
        ("image/indexcrop,x_100,i_abc", Some("0040-00000229")),
        ("image/indexcrop,x_100,i_-1", Some("0040-00000229")),
        ("image/indexcrop,x_-10,i_0", Some("0040-00000230")),
    ] {
        assert_invalid(&src, spec, "InvalidArgument", ec);
    }
    // Q3: the same strip of every frame.
    let (_, p) = image(&gif(300, 200, 5), "image/indexcrop,x_100,i_1");
    assert_eq!((size(&p), p.frames), ((100, 200), 5));
}

// ---------------------------------------------------------------------------------------
// circle and rounded-corners

/// circle.md: in a D×D output, R = (D − 1) / 2, coverage = clamp(R + 0.5 − d, 0, 1) with d
/// the distance of pixel (x, y) from (R, R).
fn circle_coverage(side: u32) -> impl Fn(u32, u32) -> f32 {
    let r = (side as f32 - 1.0) / 2.0;
    move |x, y| (r + 0.5 - (x as f32 - r).hypot(y as f32 - r)).clamp(0.0, 1.0)
}

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

/// Checks `out` at `points` against a mask with `coverage`: the alpha of an alpha format
/// is the source alpha times the coverage (±1) with the source colour kept; a JPEG shows
/// the source colour blended onto white by the coverage. `source(x, y)` is the source
/// pixel under output pixel (x, y).
fn assert_mask(
    out: &RgbaImage,
    jpeg: bool,
    points: impl Iterator<Item = (u32, u32)>,
    source: impl Fn(u32, u32) -> [u8; 4],
    coverage: impl Fn(u32, u32) -> f32,
    what: &str,
) {
    let (mut checked, mut between) = (0, 0);
    for (x, y) in points {
        let (got, src, c) = (out.get_pixel(x, y).0, source(x, y), coverage(x, y));
        checked += 1;
        if c > 0.0 && c < 1.0 {
            between += 1;
        }
        if !jpeg {
            let alpha = (f32::from(src[3]) * c).round() as u8;
            assert!(
                got[3].abs_diff(alpha) <= 1,
                "{what}: alpha at ({x}, {y}) is {}, coverage {c}",
                got[3]
            );
            if got[3] > 0 {
                assert_eq!(got[..3], src[..3], "{what}: colour at ({x}, {y})");
            }
            continue;
        }
        // JPEG: every channel where the coverage is the same 8 px around; near an edge,
        // where 4:2:0 chroma rings over a 16-px block, the full-resolution luma only.
        let flat = [(8, 0), (0, 8), (6, 6), (6, -6)].iter().all(|&(dx, dy)| {
            [(dx, dy), (-dx, -dy)].iter().all(|&(dx, dy)| {
                let (nx, ny) = (x.saturating_add_signed(dx), y.saturating_add_signed(dy));
                coverage(nx, ny) == c
            })
        });
        let want = src.map(|v| (f32::from(v) * c + 255.0 * (1.0 - c)).round() as u8);
        let luma = |p: [u8; 4]| {
            0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
        };
        let (ok, tolerance) = if flat {
            (close(&got[..3], &want[..3], 16), "16 per channel")
        } else {
            ((luma(got) - luma(want)).abs() <= 24.0, "24 in luma")
        };
        assert!(
            ok,
            "{what}: ({x}, {y}) is {got:?}, expected {want:?} within {tolerance} (coverage {c})"
        );
    }
    assert!(
        checked > 0 && between > 0,
        "{what}: no anti-aliased pixel among {checked}"
    );
}

fn all_pixels(w: u32, h: u32) -> impl Iterator<Item = (u32, u32)> {
    (0..h).flat_map(move |y| (0..w).map(move |x| (x, y)))
}

/// A flat colour, so that JPEG errors stay small away from the edges.
const FLAT: [u8; 3] = [40, 90, 160];

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
    let photo = png_rgba(2500, 1875, &draw(2500, 1875, code));
    let coded = png_rgba(400, 200, &draw(400, 200, code));
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
    let (out, p) = run(&png_rgba(10, 10, &draw(10, 10, code)), "image/circle,r_1");
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
    let src = png_rgba(300, 200, &draw(300, 200, alpha));
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
    let (out, p) = run(
        &png_rgba(400, 200, &draw(400, 200, opaque)),
        "image/rounded-corners,r_4096",
    );
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
        &png_rgba(200, 200, &draw(200, 200, opaque)),
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
    let (out, _) = run(
        &png_rgba(120, 80, &draw(120, 80, alpha)),
        "image/rounded-corners,r_20",
    );
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
        &png_rgba(200, 100, &draw(200, 100, opaque)),
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

// ---------------------------------------------------------------------------------------
// auto-orient

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

// ---------------------------------------------------------------------------------------
// Corpus

fn manifest(dir: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read(dir.join("manifest.json")).unwrap();
    let manifest: Value = serde_json::from_slice(&text).unwrap();
    manifest["files"].as_array().unwrap().clone()
}

/// `pixels` (default: `bytes` decoded with the image crate) turned upright by the image
/// crate's own EXIF reading of `bytes`.
fn upright(bytes: &[u8], pixels: Option<&[u8]>) -> RgbaImage {
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_decoder()
        .unwrap();
    let orientation = decoder.orientation().unwrap();
    let mut img = match pixels {
        Some(p) => image::load_from_memory(p).unwrap(),
        None => image::DynamicImage::from_decoder(decoder).unwrap(),
    };
    img.apply_orientation(orientation);
    img.to_rgba8()
}

/// Mean absolute difference per colour channel of two images of one size.
fn mean_abs_diff(a: &RgbaImage, b: &RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let sum: u64 = a
        .pixels()
        .zip(b.pixels())
        .flat_map(|(p, q)| (0..3).map(move |c| u64::from(p[c].abs_diff(q[c]))))
        .sum();
    sum as f64 / (f64::from(a.width()) * f64::from(a.height()) * 3.0)
}

#[test]
fn orientation_corpus_matches_its_references() {
    let Some(dir) = corpus_dir() else {
        eprintln!("orientation corpus SKIPPED: no manifest.json in ../shared/corpus and OSSIMG_CORPUS is not set");
        return;
    };
    let files: Vec<Value> = manifest(&dir)
        .into_iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("orientation/"))
        .collect();
    assert_eq!(files.len(), 29, "orientation files in the manifest");
    for entry in &files {
        let path = entry["path"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let (out, p) = run(&bytes, "image/auto-orient,1/format,bmp");
        let display = (
            entry["display_width"].as_u64().unwrap() as u32,
            entry["display_height"].as_u64().unwrap() as u32,
        );
        assert_eq!(size(&p), display, "{path}");
        // Files without a reference: our stored-orientation decode turned upright by the
        // image crate's own orientation (our decode converts embedded profiles to sRGB,
        // the image crate's does not; this test is about geometry).
        let (reference, max) = match entry["reference"].as_str() {
            Some(r) => (
                upright(&std::fs::read(dir.join(r)).unwrap(), None),
                entry["max_mean_abs_diff"].as_f64().unwrap(),
            ),
            None => {
                let stored = image(&bytes, "image/auto-orient,0/format,bmp").0;
                (upright(&bytes, Some(&stored)), 0.5)
            }
        };
        let diff = mean_abs_diff(&out, &reference);
        assert!(diff <= max, "{path}: mean abs difference {diff:.2} > {max}");
    }
    eprintln!(
        "orientation corpus: {} files match their references",
        files.len()
    );
}

/// Mean absolute difference per channel of the premultiplied colours (the colour under
/// a transparent pixel does not count).
fn premultiplied_diff(a: &RgbaImage, b: &RgbaImage) -> f64 {
    let premultiply = |img: &RgbaImage| {
        let mut out = img.clone();
        for p in out.pixels_mut() {
            let a = u16::from(p[3]);
            for c in 0..3 {
                p[c] = (u16::from(p[c]) * a / 255) as u8;
            }
        }
        out
    };
    mean_abs_diff(&premultiply(a), &premultiply(b))
}

/// At most `max` frames of an animation as the image crate composites them, with their
/// delays in milliseconds; `None` when it cannot decode them.
fn composited(bytes: &[u8], format: ImageFormat, max: usize) -> Option<Vec<(u32, RgbaImage)>> {
    let cursor = std::io::Cursor::new(bytes);
    let frames = match format {
        ImageFormat::Gif => image::codecs::gif::GifDecoder::new(cursor)
            .ok()?
            .into_frames(),
        _ => image::codecs::webp::WebPDecoder::new(cursor)
            .ok()?
            .into_frames(),
    };
    frames
        .take(max)
        .map(|f| {
            let f = f.ok()?;
            let (num, den) = f.delay().numer_denom_ms();
            Some((num / den, f.into_buffer()))
        })
        .collect()
}

/// Delays in centiseconds and sizes of the raw frames of a GIF, read by the gif crate's
/// streaming decoder (which, unlike its `Decoder`, also reads a GIF without a palette).
fn gif_frames(bytes: &[u8]) -> Vec<(u16, (u32, u32))> {
    use gif::streaming_decoder::{Block, Decoded, OutputBuffer, StreamingDecoder};
    let mut decoder = StreamingDecoder::new();
    let (mut rest, mut out) = (bytes, Vec::new());
    loop {
        let (used, decoded) = decoder.update(rest, &mut OutputBuffer::None).unwrap();
        match decoded {
            Decoded::FrameMetadata(_) => {
                let f = decoder.current_frame();
                out.push((f.delay, (u32::from(f.width), u32::from(f.height))));
            }
            Decoded::BlockStart(Block::Trailer) | Decoded::Nothing => return out,
            _ => {}
        }
        rest = &rest[used..];
    }
}

/// Frames whose content is compared, from the start of each animation (decoding every
/// frame of the 380-frame stress file several times takes minutes in a debug build).
const CONTENT_FRAMES: usize = 40;

#[test]
fn animated_corpus_keeps_frames_and_delays() {
    let Some(dir) = corpus_dir() else {
        eprintln!("animation corpus SKIPPED: no manifest.json in ../shared/corpus and OSSIMG_CORPUS is not set");
        return;
    };
    let (mut checked, mut no_reference) = (0, Vec::new());
    for entry in manifest(&dir) {
        let path = entry["path"].as_str().unwrap();
        let format = match entry["format"].as_str() {
            Some("gif") => ImageFormat::Gif,
            Some("webp") => ImageFormat::WebP,
            _ => continue,
        };
        let count = entry["frames"].as_u64().unwrap_or(1) as usize;
        if !path.starts_with("formats/") || count <= 1 || entry["expect"] != "ok" {
            continue;
        }
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let (w, h) = (
            entry["width"].as_u64().unwrap() as u32,
            entry["height"].as_u64().unwrap() as u32,
        );
        // Every frame's delay (and, for a GIF, raw size) comes from the codec crates; the
        // content of the first frames is compared with the source as the image crate
        // composites it, where it can.
        let delays = |bytes: &[u8]| -> Vec<(u32, (u32, u32))> {
            match format {
                ImageFormat::Gif => gif_frames(bytes)
                    .into_iter()
                    .map(|(d, size)| (u32::from(d) * 10, size))
                    .collect(),
                _ => composited(bytes, format, count)
                    .unwrap()
                    .into_iter()
                    .map(|(d, f)| (d, f.dimensions()))
                    .collect(),
            }
        };
        let src_delays: Vec<u32> = delays(&bytes).iter().map(|&(d, _)| d).collect();
        assert_eq!(
            src_delays.len(),
            count,
            "{path}: the manifest's frame count"
        );
        let source = composited(&bytes, format, CONTENT_FRAMES);
        if source.is_none() {
            no_reference.push(path.to_string());
        }
        // The source re-encoded unmoved: what the codec alone costs, frame by frame.
        let reencoded = match ossimg::process(&bytes, "image/crop,x_0") {
            Ok(Output::Image { bytes, .. }) => composited(&bytes, format, CONTENT_FRAMES),
            _ => None,
        };
        let (cw, ch) = ((w / 2).max(1), (h / 2).max(1));
        let (cx, cy) = ((w - cw) / 2, (h - ch) / 2);
        // Resizing shrinks only (README §6).
        let shrunk = if w > 100 {
            let sh = (f64::from(h) * 100.0 / f64::from(w)).round() as u32;
            (100, sh.max(1))
        } else {
            (w, h)
        };
        for (spec, want) in [
            ("image/resize,w_100".to_string(), shrunk),
            (format!("image/crop,w_{cw},h_{ch},g_center"), (cw, ch)),
            ("image/rotate,90".to_string(), (h, w)),
        ] {
            let what = format!("{path}: {spec}");
            let Ok(Output::Image {
                bytes: out,
                format: of,
                frames: n,
                ..
            }) = ossimg::process(&bytes, &spec)
            else {
                panic!("{what}: no image");
            };
            assert_eq!((of, n as usize), (format, count), "{what}");
            let frames = delays(&out);
            let got: Vec<u32> = frames.iter().map(|&(d, _)| d).collect();
            assert_eq!(got, src_delays, "{what}: delays");
            assert!(
                frames.iter().all(|&(_, size)| size == want),
                "{what}: every frame {want:?}"
            );
            let content = composited(&out, format, CONTENT_FRAMES)
                .unwrap_or_else(|| panic!("{what}: undecodable"));
            let (Some(source), Some(reencoded)) = (&source, &reencoded) else {
                continue;
            };
            let moved = |img: &RgbaImage| {
                if spec.contains("rotate") {
                    Some(image::imageops::rotate90(img))
                } else if spec.contains("crop") {
                    Some(image::imageops::crop_imm(img, cx, cy, cw, ch).to_image())
                } else {
                    None
                }
            };
            for (i, ((_, frame), ((_, src), (_, unmoved)))) in
                content.iter().zip(source.iter().zip(reencoded)).enumerate()
            {
                // The content is the source frame's, moved as the action says: it may
                // differ from it little more than the unmoved re-encoding does (lossy
                // WebP on noise is far from exact).
                let (Some(expected), Some(unmoved)) = (moved(src), moved(unmoved)) else {
                    continue;
                };
                let diff = premultiplied_diff(frame, &expected);
                let limit = 4.0 + 1.25 * premultiplied_diff(&unmoved, &expected);
                assert!(
                    diff <= limit,
                    "{what}: frame {i} differs by {diff:.1} > {limit:.1}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} animated files");
    eprintln!(
        "animation corpus: {checked} files keep their frames and delays; the image crate cannot decode {no_reference:?}, so their content went unchecked"
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
