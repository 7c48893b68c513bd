//! blur, bright, contrast, sharpen, average-hue and info end to end through
//! `ossimg::process` (spec/{blur,bright,contrast,sharpen,average-hue,info}.md). Pixel checks
//! go PNG in, PNG out, so nothing lossy stands between a formula and its test. The info
//! sweep reads `../shared/corpus` (or `OSSIMG_CORPUS`) and says when it is absent.

mod common;
mod simd_parity;

use common::{png_of, png_with};
use image::RgbaImage;
use ossimg::Output;
use serde_json::Value;

/// The RGBA pixels of the image that `spec` makes of `input`.
fn after(input: &[u8], spec: &str) -> RgbaImage {
    common::rgba(&common::image(input, spec).0)
}

/// A 384×256 opaque photo (a crop of kodim23), as PNG and as pixels.
fn photo() -> (Vec<u8>, RgbaImage) {
    let full = common::rgba(&common::fixture("kodim23.png"));
    let crop = image::imageops::crop_imm(&full, 192, 128, 384, 256).to_image();
    (png_of(&crop), crop)
}

fn json_text(input: &[u8], spec: &str) -> String {
    match ossimg::process(input, spec) {
        Ok(Output::Json(text)) => text,
        other => panic!("{spec}: expected JSON, got {other:?}"),
    }
}

#[test]
fn bright_pixel_vectors() {
    // bright.md §3: (0, 128, 255) shifted, clamped; alpha kept; bright,0 unchanged.
    let input = png_with(1, 1, |_, _| [0, 128, 255, 200]);
    for (spec, want) in [
        ("image/bright,50", [50, 178, 255, 200]),
        ("image/bright,-50", [0, 78, 205, 200]),
        ("image/bright,100", [100, 228, 255, 200]),
        ("image/bright,0", [0, 128, 255, 200]),
    ] {
        assert_eq!(after(&input, spec).get_pixel(0, 0).0, want, "{spec}");
    }
}

#[test]
fn contrast_pixel_vectors() {
    // contrast.md §3, input levels (0, 64, 128, 192, 255).
    let levels = [0u8, 64, 128, 192, 255];
    let input = png_with(5, 1, |x, _| {
        let v = levels[x as usize];
        [v, v, v, 255]
    });
    for (spec, want) in [
        ("image/contrast,50", [0, 32, 128, 224, 255]),
        ("image/contrast,-50", [32, 80, 128, 176, 223]),
        ("image/contrast,100", [0, 1, 129, 255, 255]),
        ("image/contrast,-100", [64, 96, 128, 160, 191]),
        ("image/contrast,0", levels),
    ] {
        let out = after(&input, spec);
        let got: Vec<u8> = out.pixels().map(|p| p.0[0]).collect();
        assert_eq!(got, want, "{spec}");
        assert!(out.pixels().all(|p| p.0[0] == p.0[1] && p.0[1] == p.0[2]));
    }
}

#[test]
fn actions_run_on_the_resized_image() {
    // The vendor examples resize,w_200/<action>: the action works on the 200-px result.
    let (input, _) = photo();
    let resized = common::image(&input, "image/resize,w_200").0;
    for action in ["bright,50", "contrast,-50", "sharpen,100", "blur,r_3,s_2"] {
        let chained = after(&input, &format!("image/resize,w_200/{action}"));
        assert_eq!(chained.width(), 200, "{action}");
        assert_eq!(
            chained,
            after(&resized, &format!("image/{action}")),
            "{action}"
        );
    }
}

/// The spec's kernel in f64 (blur.md §2).
fn kernel(radius: i64, sigma: f64) -> Vec<f64> {
    let raw: Vec<f64> = (-radius..=radius)
        .map(|k| (-((k * k) as f64) / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f64 = raw.iter().sum();
    raw.iter().map(|w| w / sum).collect()
}

/// A textbook separable Gaussian of the RGB channels in f64, edges clamped.
fn reference_blur(img: &RgbaImage, radius: i64, sigma: f64) -> Vec<[f64; 3]> {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let k = kernel(radius, sigma);
    let index = |x: i64, y: i64| (y.clamp(0, h - 1) * w + x.clamp(0, w - 1)) as usize;
    let source: Vec<[f64; 3]> = img
        .pixels()
        .map(|p| [0, 1, 2].map(|c| f64::from(p.0[c])))
        .collect();
    // One pass along x or y; sample positions clamped to the image.
    let pass = |input: &[[f64; 3]], along_x: bool| {
        let mut out = vec![[0.0; 3]; input.len()];
        for y in 0..h {
            for x in 0..w {
                let sum = &mut out[index(x, y)];
                for (i, weight) in (-radius..).zip(&k) {
                    let p = if along_x {
                        input[index(x + i, y)]
                    } else {
                        input[index(x, y + i)]
                    };
                    for (s, v) in sum.iter_mut().zip(p) {
                        *s += weight * v;
                    }
                }
            }
        }
        out
    };
    pass(&pass(&source, true), false)
}

fn psnr(got: &RgbaImage, reference: &[[f64; 3]]) -> f64 {
    let mut sum = 0.0;
    for (p, r) in got.pixels().zip(reference) {
        for (v, want) in p.0.iter().zip(r) {
            sum += (f64::from(*v) - want).powi(2);
        }
    }
    let mse = sum / (reference.len() * 3) as f64;
    10.0 * (255.0 * 255.0 / mse).log10()
}

#[test]
fn blur_agrees_with_a_float_reference() {
    let (input, pixels) = photo();
    for (radius, sigma) in [(15, 5), (3, 2)] {
        let got = after(&input, &format!("image/blur,r_{radius},s_{sigma}"));
        let db = psnr(&got, &reference_blur(&pixels, radius, f64::from(sigma)));
        assert!(db >= 40.0, "r_{radius},s_{sigma}: {db:.1} dB");
        assert!(got.pixels().all(|p| p.0[3] == 255));
    }
}

/// Mean squared 4-neighbour Laplacian of the luma: large for fine detail.
fn high_frequency_energy(img: &RgbaImage) -> f64 {
    let luma = |x: u32, y: u32| {
        let p = img.get_pixel(x, y).0;
        0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2])
    };
    let (w, h) = img.dimensions();
    let mut sum = 0.0;
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let lap = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1)
                - 4.0 * luma(x, y);
            sum += lap * lap;
        }
    }
    sum / f64::from((w - 2) * (h - 2))
}

#[test]
fn blur_lowers_and_sharpen_raises_high_frequency_energy() {
    let (input, pixels) = photo();
    let energy = |spec: &str| high_frequency_energy(&after(&input, spec));
    let original = high_frequency_energy(&pixels);
    let light = energy("image/blur,r_3,s_2");
    let strong = energy("image/blur,r_10,s_10");
    let sharp = energy("image/sharpen,100");
    let sharper = energy("image/sharpen,399");
    assert!(
        strong < light && light < original / 2.0,
        "{strong} {light} {original}"
    );
    assert!(sharp > original * 1.5, "{sharp} {original}");
    assert!(sharper > sharp, "{sharper} {sharp}");
}

fn mean_and_spread(img: &RgbaImage) -> (f64, f64) {
    let values: Vec<f64> = img
        .pixels()
        .flat_map(|p| p.0[..3].iter().map(|&v| f64::from(v)).collect::<Vec<_>>())
        .collect();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

#[test]
fn bright_and_contrast_follow_their_formulas_on_a_photo() {
    let (input, pixels) = photo();
    let (mean, spread) = mean_and_spread(&pixels);
    for v in [30i32, -30] {
        let out = after(&input, &format!("image/bright,{v}"));
        // bright.md §2.1, pixel by pixel.
        for (o, s) in out.pixels().zip(pixels.pixels()) {
            for c in 0..3 {
                assert_eq!(i32::from(o.0[c]), (i32::from(s.0[c]) + v).clamp(0, 255));
            }
        }
        let (m, _) = mean_and_spread(&out);
        assert!(
            (m - mean) * f64::from(v) > 0.0,
            "bright,{v}: mean {mean} → {m}"
        );
    }
    for (v, k) in [(50, 1.5), (-50, 0.75)] {
        let out = after(&input, &format!("image/contrast,{v}"));
        // contrast.md §2; k and the halves are exact in f64, so round() is the spec's.
        for (o, s) in out.pixels().zip(pixels.pixels()) {
            for c in 0..3 {
                let want = ((f64::from(s.0[c]) - 127.5) * k + 127.5)
                    .round()
                    .clamp(0.0, 255.0);
                assert_eq!(f64::from(o.0[c]), want);
            }
        }
        let (m, s) = mean_and_spread(&out);
        let expected_mean = (mean - 127.5) * k + 127.5;
        if k < 1.0 {
            // No clipping: the spread scales by k, the mean moves towards mid-grey.
            assert!(
                (s / spread - k).abs() < 0.01,
                "contrast,{v}: {spread} → {s}"
            );
            assert!(
                (m - expected_mean).abs() < 0.5,
                "contrast,{v}: {m} vs {expected_mean}"
            );
        } else {
            // Clipping at 0 and 255 takes a little off the ×1.5.
            assert!(
                s / spread > 1.3 && s / spread <= k,
                "contrast,{v}: {spread} → {s}"
            );
        }
    }
}

#[test]
fn blur_keeps_transparent_areas_transparent() {
    // Left half transparent with hidden colours, right half opaque.
    let input = common::png(40, 20, true);
    let out = after(&input, "image/blur,r_3,s_2");
    for y in 0..20 {
        assert_eq!(out.get_pixel(5, y).0[3], 0);
        assert_eq!(out.get_pixel(35, y).0[3], 255);
        let edge = out.get_pixel(20, y).0[3];
        assert!(edge > 0 && edge < 255, "{edge}");
    }
}

#[test]
fn pixel_actions_make_animations_static() {
    // README §6: only resize/crop/rotate/watermark/format keep frames.
    let gif = common::gif(8, 6, 3);
    let webp = common::fixture("imagers_anim.webp");
    for action in ["blur,r_2,s_1", "bright,10", "contrast,10", "sharpen,100"] {
        for input in [&gif, &webp] {
            let (_, probe) = common::image(input, &format!("image/{action}"));
            assert_eq!(probe.frames, 1, "{action}");
        }
    }
    // The first GIF frame is palette index 0, red.
    assert_eq!(
        json_text(&gif, "image/average-hue"),
        r#"{"RGB":"0xff0000"}"#
    );
}

#[test]
fn blur_and_sharpen_on_a_jpeg() {
    let jpeg = common::jpeg(64, 48, 90);
    for spec in [
        "image/blur,r_10,s_10",
        "image/blur,r_50,s_50",
        "image/sharpen,399",
    ] {
        let (_, probe) = common::image(&jpeg, spec);
        assert_eq!(
            (probe.format, probe.width, probe.height),
            (ossimg::ImageFormat::Jpeg, 64, 48)
        );
    }
}

#[test]
fn average_hue_documents() {
    // average-hue.md §3 test vectors and §2 body.
    let red_blue = png_with(2, 1, |x, _| {
        if x == 0 {
            [255, 0, 0, 255]
        } else {
            [0, 0, 255, 255]
        }
    });
    assert_eq!(
        json_text(&red_blue, "image/average-hue"),
        r#"{"RGB":"0x800080"}"#
    );
    let out = ossimg::process(&red_blue, "image/average-hue").unwrap();
    assert_eq!(out.mime(), "application/json");
    let solid = png_with(3, 2, |_, _| [92, 120, 59, 255]);
    assert_eq!(
        json_text(&solid, "image/average-hue"),
        r#"{"RGB":"0x5c783b"}"#
    );
    let dark = png_with(1, 3, |_, y| {
        if y == 2 {
            [1, 1, 1, 255]
        } else {
            [0, 0, 0, 255]
        }
    });
    assert_eq!(
        json_text(&dark, "image/average-hue"),
        r#"{"RGB":"0x000000"}"#
    );
    let clear = png_with(2, 2, |_, _| [0, 0, 0, 0]);
    assert_eq!(
        json_text(&clear, "image/average-hue"),
        r#"{"RGB":"0x000000"}"#
    );
    // Earlier actions apply first: the crop holds only the red pixel.
    let crop = "image/crop,w_1,h_1/average-hue";
    assert_eq!(json_text(&red_blue, crop), r#"{"RGB":"0xff0000"}"#);
    common::assert_error(
        ossimg::process(&red_blue, "image/average-hue/resize,w_1"),
        "InvalidArgument",
        400,
        None,
        "average-hue must be last",
    );
}

#[test]
fn error_codes_end_to_end() {
    let input = common::png(4, 4, false);
    for (spec, ec) in [
        ("image/blur,r_3", "0040-00000242"),
        ("image/blur,r_200,s_25", "0040-00000241"),
        ("image/blur,r_abc,s_25", "0040-00000241"),
        ("image/blur,r_3,s_200", "0040-00000242"),
        ("image/bright", "0040-00000245"),
        ("image/bright,200", "0040-00000246"),
        ("image/bright,abc", "0040-00000246"),
        ("image/bright,50,50", "0040-00000203"),
        ("image/contrast,150", "0040-00000247"),
        ("image/sharpen", "0040-00000279"),
        ("image/sharpen,10", "0040-00000280"),
        ("image/sharpen,100,2", "0040-00000203"),
        ("image/exif", "0040-00000213"),
        ("image/average_hue", "0040-00000213"),
    ] {
        let code = if spec == "image/blur,r_3" {
            "MissingArgument"
        } else {
            "InvalidArgument"
        };
        common::assert_error(ossimg::process(&input, spec), code, 400, Some(ec), spec);
    }
    for spec in [
        "image/info,1",
        "image/resize,w_10/info",
        "image/info/format,png",
        "image/average-hue,1",
    ] {
        common::assert_error(
            ossimg::process(&input, spec),
            "InvalidArgument",
            400,
            None,
            spec,
        );
    }
}

/// True when `text` has no whitespace outside its string literals.
fn is_compact(text: &str) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if escaped {
            escaped = false;
        } else if in_string {
            match c {
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c.is_whitespace() {
            return false;
        }
    }
    true
}

/// Checks the info document's shape: compact, sorted, every member `{"value": "<string>"}`,
/// and the always-present fields (info.md §2.1).
fn check_info(input: &[u8], format: &str, size: (u32, u32), frames: u32) -> Value {
    let text = json_text(input, "image/info");
    assert!(is_compact(&text), "{text}");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let members = doc.as_object().unwrap();
    // serde_json's map iterates in byte order; the text must list the names in that order
    // too (`"Name":` cannot occur inside a string, where quotes are escaped).
    let positions: Vec<usize> = members
        .keys()
        .map(|n| text.find(&format!("\"{n}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "{text}");
    for (name, member) in members {
        assert!(
            member["value"].is_string() && member.as_object().unwrap().len() == 1,
            "{name}"
        );
    }
    let value = |name: &str| doc[name]["value"].as_str().unwrap().to_string();
    assert_eq!(value("FileSize"), input.len().to_string());
    assert_eq!(value("Format"), format);
    assert_eq!(value("ImageWidth"), size.0.to_string());
    assert_eq!(value("ImageHeight"), size.1.to_string());
    assert_eq!(value("FrameCount"), frames.to_string());
    doc
}

#[test]
fn info_on_every_format() {
    let doc = check_info(&common::fixture("Landscape_6.jpg"), "jpg", (1200, 1800), 1);
    // The stored size, not the oriented one; the raw tag value.
    assert_eq!(doc["Orientation"]["value"], "6");
    check_info(&common::fixture("hopper.jpg"), "jpg", (128, 128), 1);
    let doc = check_info(&common::fixture("kodim23.png"), "png", (768, 512), 1);
    assert!(doc.get("Orientation").is_none());
    check_info(&common::fixture("imagers_anim.webp"), "webp", (200, 200), 6);
    let doc = check_info(
        &common::fixture("imagers_any-disposal.gif"),
        "gif",
        (32, 32),
        5,
    );
    assert!(doc.get("XResolution").is_none());
    let doc = check_info(
        &common::fixture("pillow_hopper_lzw.tif"),
        "tiff",
        (128, 128),
        1,
    );
    // A TIFF's own tags are its IFD0.
    assert_eq!(doc["ImageLength"]["value"], "128");
    assert_eq!(doc["Compression"]["value"], "5");
    check_info(&common::fixture("rgb24.bmp"), "bmp", (127, 64), 1);
    check_info(&common::gif(9, 7, 4), "gif", (9, 7), 4);
    // jpeg-encoder writes JFIF units 0 with density 1:1, the vendor's no-EXIF example.
    let doc = check_info(&common::jpeg(40, 30, 80), "jpg", (40, 30), 1);
    assert_eq!(doc["ResolutionUnit"]["value"], "1");
    assert_eq!(doc["XResolution"]["value"], "1/1");
}

#[test]
fn info_reads_headers_only() {
    // A JPEG cut right after its scan header still answers; decoding it fails.
    let mut broken = common::jpeg(64, 48, 90);
    let sos = broken.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    broken.truncate(sos + 14);
    check_info(&broken, "jpg", (64, 48), 1);
    assert!(ossimg::process(&broken, "image/format,png").is_err());
    // A header that declares 40,000 × 40,000 px: over the pixel limits, still described.
    let mut huge = common::jpeg(16, 16, 90);
    let sof = huge.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    huge[sof + 5..sof + 9].copy_from_slice(&[0x9C, 0x40, 0x9C, 0x40]);
    common::assert_error(
        ossimg::process(&huge, "image/format,png"),
        "ImageTooLarge",
        400,
        Some("0040-00000019"),
        "decoding a 40,000-px JPEG",
    );
    check_info(&huge, "jpg", (40_000, 40_000), 1);
}

#[test]
fn info_on_the_corpus_photos() {
    let Some(dir) = common::corpus_or_skip("info corpus sweep") else {
        return;
    };
    let mut checked = 0;
    let mut gps = 0;
    for entry in &common::corpus_manifest(&dir) {
        let path = entry["path"].as_str().unwrap();
        let in_scope = path.starts_with("exif/") || path.starts_with("photos/");
        if !in_scope || entry["expect"] != "ok" {
            continue;
        }
        let bytes = std::fs::read(dir.join(path)).unwrap();
        let format = match entry["format"].as_str().unwrap() {
            "jpeg" => "jpg",
            other => other,
        };
        let size = (
            entry["width"].as_u64().unwrap() as u32,
            entry["height"].as_u64().unwrap() as u32,
        );
        let frames = entry["frames"].as_u64().unwrap() as u32;
        let doc = check_info(&bytes, format, size, frames);
        // EXIF orientation, raw, for the formats whose EXIF info.md reads (never PNG).
        let orientation = doc
            .get("Orientation")
            .map(|o| o["value"].as_str().unwrap().to_string());
        let expected = match (format, entry["orientation"].as_u64()) {
            ("png", _) | (_, None) => None,
            (_, Some(o)) => Some(o.to_string()),
        };
        assert_eq!(orientation, expected, "{path}");
        if entry["gps"] == true {
            for name in ["GPSTag", "GPSLatitude"] {
                assert!(doc.get(name).is_some(), "{path}: no {name}");
            }
            gps += 1;
        }
        checked += 1;
    }
    eprintln!("info corpus sweep: {checked} files, {gps} with GPS");
    assert!(checked >= 40 && gps >= 5, "{checked} files, {gps} with GPS");
}

/// The bytes that tests/web.rs expects from the wasm SIMD128 paths (blur, sharpen, JPEG).
#[test]
fn simd_paths_pin_the_bytes_wasm_must_match() {
    simd_parity::assert_every_case();
}
