//! Raw RGBA pixels as a source (`process_pixels`, JS `process(imageData, spec)`): no decoding,
//! the same admission as a still PNG of that size, asked before the pixels are looked at.
use ossimg::{check_pixels, process, process_pixels, Limits, Options, Output};

/// A `w`×`h` RGBA gradient with some transparency.
fn gradient(w: u32, h: u32) -> Vec<u8> {
    let mut px = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[
                (x * 255 / w) as u8,
                (y * 255 / h) as u8,
                128,
                if x < 4 { 0 } else { 255 },
            ]);
        }
    }
    px
}

fn image(out: Output) -> (Vec<u8>, &'static str, u32, u32) {
    match out {
        Output::Image {
            bytes,
            format,
            width,
            height,
            ..
        } => (bytes, format.name(), width, height),
        other => panic!("expected an image, got {other:?}"),
    }
}

#[test]
fn pixels_are_processed_like_the_png_of_them() {
    let options = Options::default();
    // An empty spec encodes the pixels as PNG (lossless).
    let (png, format, w, h) =
        image(process_pixels(gradient(64, 48), 64, 48, "", &options).unwrap());
    assert_eq!((format, w, h), ("png", 64, 48));
    // The default output is PNG, and the result is the one the PNG file gives.
    let spec = "image/resize,w_32/rotate,90";
    let from_pixels = image(process_pixels(gradient(64, 48), 64, 48, spec, &options).unwrap());
    let from_png = image(process(&png, spec).unwrap());
    assert_eq!(
        (from_pixels.1, from_pixels.2, from_pixels.3),
        ("png", 24, 32)
    );
    assert_eq!(from_pixels, from_png);
    let (_, format, ..) =
        image(process_pixels(gradient(8, 8), 8, 8, "image/format,webp", &options).unwrap());
    assert_eq!(format, "webp");
}

#[test]
fn pixels_are_admitted_before_they_are_looked_at() {
    let mut workers = Options::default();
    workers.limits = Limits::workers();
    // Over the Worker decode budget: refused from the size alone, with no pixels at all.
    let err = check_pixels(5000, 5000, "image/resize,w_10", &workers).unwrap_err();
    assert_eq!(err.code(), "ImageTooLarge");
    let err = process_pixels(Vec::new(), 5000, 5000, "image/resize,w_10", &workers).unwrap_err();
    assert_eq!(err.code(), "ImageTooLarge");
    // Over OSS's longest side.
    let err = process_pixels(
        Vec::new(),
        40_000,
        1,
        "image/resize,w_10",
        &Options::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "ImageTooLarge");
    assert!(check_pixels(64, 48, "image/resize,w_10", &workers).is_ok());
}

#[test]
fn wrong_lengths_info_and_bad_specs_are_refused() {
    let options = Options::default();
    let err = process_pixels(vec![0; 10], 2, 2, "image/resize,w_1", &options).unwrap_err();
    assert_eq!((err.code(), err.status()), ("InvalidArgument", 400));
    let err = process_pixels(gradient(4, 4), 4, 4, "image/info", &options).unwrap_err();
    assert_eq!(err.code(), "InvalidArgument");
    let err = process_pixels(gradient(4, 4), 4, 4, "image/resize,w_0", &options).unwrap_err();
    assert_eq!(err.ec(), Some("0040-00000312"));
}
