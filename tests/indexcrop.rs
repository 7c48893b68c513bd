//! indexcrop end to end through `ossimg::process`: the worked examples of
//! spec/indexcrop.md checked row by row against the source, its error cases and animations.

mod common;

use common::*;

#[test]
fn indexcrop_worked_examples() {
    let (w, h) = (2500, 1875);
    let src = png_with(w, h, code);
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
