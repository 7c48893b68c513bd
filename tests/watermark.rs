//! Watermark drawing (spec/watermark.md, fonts.md): positions asserted on pixels for the
//! geometry of §4, the worked examples of §7, the errors of §8 that need pixels or
//! objects, and golden images for the looks (text, shadow, rotation, tiling, P, mixed).
//!
//! Fonts come from `www/fonts/` (built by `bash scripts/fonts.sh`). Goldens live in
//! `tests/fixtures/watermark/`; `OSSIMG_BLESS=1 cargo test --test watermark` rewrites them
//! (look at every one before committing it).

mod common;

use std::collections::HashMap;
use std::io::Cursor;
use std::path::PathBuf;

use ab_glyph::{Font, FontRef};
use common::{assert_error, png_of, solid_png};
use image::{Rgba, RgbaImage};
use ossimg::spec::types::base64url_encode;
use ossimg::{Options, Output};

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const RED: Rgba<u8> = Rgba([255, 0, 0, 255]);

fn fonts() -> HashMap<String, Vec<u8>> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/www/fonts"));
    ["wqy-microhei", "dejavu-sans"]
        .into_iter()
        .map(|key| {
            let path = dir.join(format!("{key}.ttf"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; build the default fonts with `bash scripts/fonts.sh`",
                    path.display()
                )
            });
            (key.to_owned(), bytes)
        })
        .collect()
}

fn options(objects: &[(&str, Vec<u8>)]) -> Options {
    let mut options = Options::default();
    options.fonts = fonts();
    options.objects = objects
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    options
}

fn b64(s: &str) -> String {
    base64url_encode(s.as_bytes())
}

/// Runs `spec` on `input` and decodes the (first frame of the) result.
fn run(input: &[u8], spec: &str, options: &Options) -> RgbaImage {
    match ossimg::process_with(input, spec, options) {
        Ok(Output::Image { bytes, .. }) => common::rgba(&bytes),
        other => panic!("{spec}: expected an image, got {other:?}"),
    }
}

/// The inclusive bounding box (x0, y0, x1, y1) of the pixels for which `hit` holds.
fn bbox(img: &RgbaImage, hit: impl Fn(&Rgba<u8>) -> bool) -> Option<(u32, u32, u32, u32)> {
    let mut found: Option<(u32, u32, u32, u32)> = None;
    for (x, y, px) in img.enumerate_pixels() {
        if hit(px) {
            found = Some(match found {
                None => (x, y, x, y),
                Some((a, b, c, d)) => (a.min(x), b.min(y), c.max(x), d.max(y)),
            });
        }
    }
    found
}

fn reddish(px: &Rgba<u8>) -> bool {
    px[0] > 200 && px[1] < 60 && px[2] < 60
}

fn inked(px: &Rgba<u8>) -> bool {
    px[0] < 250 || px[1] < 250 || px[2] < 250
}

// --- §4.1/§4.2: the nine anchors, x / y / voffset ---------------------------------------

#[test]
fn worked_positions_for_all_nine_gravities() {
    // Main image 400×267, mark 100×50, x_10, y_10 (§4.2).
    let main = solid_png(400, 267, WHITE);
    let opts = options(&[("mark.png", solid_png(100, 50, RED))]);
    let mark = format!("image_{}", b64("mark.png"));
    let rows = [
        ("g_nw", (10, 10)),
        ("g_north", (150, 10)),
        ("g_ne", (290, 10)),
        ("g_west", (10, 108)),
        ("g_center", (150, 108)),
        ("g_east", (290, 108)),
        ("g_sw", (10, 207)),
        ("g_south", (150, 207)),
        ("g_se", (290, 207)),
        // The "More:" rows of §4.2.
        ("g_center,voffset_-40", (150, 68)),
        ("g_east,x_0,voffset_100", (300, 208)),
        ("g_sw,x_100,y_50", (100, 167)),
        ("g_north,x_999,y_0", (150, 0)),
        // Defaults: g_se, x_10, y_10; voffset ignored outside the middle row.
        ("t_100", (290, 207)),
        ("g_se,voffset_30", (290, 207)),
    ];
    for (args, (x, y)) in rows {
        let spec = format!("image/watermark,{mark},{args}");
        let out = run(&main, &spec, &opts);
        assert_eq!(bbox(&out, reddish), Some((x, y, x + 99, y + 49)), "{args}");
    }
}

#[test]
fn oversize_marks_are_clipped_to_the_canvas() {
    // §4.4: 300×300 image, 500×100 mark, g_se,x_10,y_10 → X = −210, Y = 190.
    let mark = RgbaImage::from_fn(500, 100, |c, _| {
        Rgba([(c / 2) as u8, 0, (c % 2) as u8 * 200, 255])
    });
    let opts = options(&[("wide.png", png_of(&mark))]);
    let spec = format!("image/watermark,image_{}", b64("wide.png"));
    let out = run(&solid_png(300, 300, WHITE), &spec, &opts);
    // Canvas x lands on mark column x + 210.
    for x in [0u32, 1, 100, 289] {
        let c = x + 210;
        let expected = Rgba([(c / 2) as u8, 0, (c % 2) as u8 * 200, 255]);
        assert_eq!(*out.get_pixel(x, 190), expected, "x {x}");
        assert_eq!(*out.get_pixel(x, 289), expected, "x {x}");
        assert_eq!(*out.get_pixel(x, 189), WHITE, "above the mark");
        assert_eq!(*out.get_pixel(x, 290), WHITE, "the bottom margin");
    }
    for x in 290..300 {
        assert_eq!(*out.get_pixel(x, 200), WHITE, "the right margin");
    }

    // A 1×1 image: the default position puts the mark entirely off the canvas...
    let opts = options(&[("m.png", solid_png(100, 50, RED))]);
    let mark = format!("image_{}", b64("m.png"));
    let blue = solid_png(1, 1, Rgba([0, 0, 255, 255]));
    let out = run(&blue, &format!("image/watermark,{mark}"), &opts);
    assert_eq!(*out.get_pixel(0, 0), Rgba([0, 0, 255, 255]));
    // ...and g_nw,x_0,y_0 covers it with the mark's pixel (0, 0).
    let out = run(
        &blue,
        &format!("image/watermark,{mark},g_nw,x_0,y_0"),
        &opts,
    );
    assert_eq!(*out.get_pixel(0, 0), RED);
}

// --- §4.7: tiling ----------------------------------------------------------------------

#[test]
fn tiling_follows_the_worked_grid() {
    // 400×267, mark 120×40, fill_1,padx_80,pady_60, g_se,x_10,y_10 → columns 70, 270,
    // rows 17, 117, 217: six copies, the ones on the edges clipped.
    let opts = options(&[("t.png", solid_png(120, 40, RED))]);
    let spec = format!(
        "image/watermark,image_{},fill_1,padx_80,pady_60",
        b64("t.png")
    );
    let out = run(&solid_png(400, 267, WHITE), &spec, &opts);
    let inside = |x: u32, y: u32| {
        [70u32, 270].iter().any(|&c| (c..c + 120).contains(&x))
            && [17u32, 117, 217].iter().any(|&r| (r..r + 40).contains(&y))
    };
    for (x, y, px) in out.enumerate_pixels() {
        let expected = if inside(x, y) { RED } else { WHITE };
        assert_eq!(*px, expected, "({x}, {y})");
    }
    // padx/pady default to 0: copies touch and cover everything.
    let spec = format!("image/watermark,image_{},fill_1", b64("t.png"));
    let out = run(&solid_png(400, 267, WHITE), &spec, &opts);
    assert!(out.pixels().all(|px| *px == RED));
}

// --- §4.8: compositing -----------------------------------------------------------------

#[test]
fn opacity_blends_colour_and_keeps_the_main_alpha() {
    let opts = options(&[("m.png", solid_png(10, 10, RED))]);
    let mark = format!("image_{}", b64("m.png"));
    let main = solid_png(20, 20, WHITE);
    // t_50: red over white at a = 0.5.
    let out = run(
        &main,
        &format!("image/watermark,{mark},t_50,g_nw,x_0,y_0"),
        &opts,
    );
    let px = out.get_pixel(0, 0);
    assert_eq!(px[0], 255);
    assert!(
        (127..=128).contains(&px[1]) && (127..=128).contains(&px[2]),
        "{px:?}"
    );
    // t_0 draws nothing.
    let out = run(
        &main,
        &format!("image/watermark,{mark},t_0,g_nw,x_0,y_0"),
        &opts,
    );
    assert!(out.pixels().all(|px| *px == WHITE));

    // A PNG whose left half is transparent keeps its alpha exactly; the colour under
    // the mark changes where the main image is opaque.
    let half = RgbaImage::from_fn(20, 10, |x, _| {
        Rgba([0, 0, 255, if x < 10 { 0 } else { 255 }])
    });
    let opts = options(&[("m.png", solid_png(20, 10, RED))]);
    let out = run(
        &png_of(&half),
        &format!("image/watermark,{mark},g_nw,x_0,y_0"),
        &opts,
    );
    for (x, y, px) in out.enumerate_pixels() {
        assert_eq!(px[3], half.get_pixel(x, y)[3], "alpha at ({x}, {y})");
        if x >= 10 {
            assert_eq!(*px, RED);
        }
    }

    // The mark's own alpha: its transparent pixels leave the image alone.
    let holed = RgbaImage::from_fn(10, 10, |x, _| {
        Rgba([255, 0, 0, if x < 5 { 0 } else { 255 }])
    });
    let opts = options(&[("m.png", png_of(&holed))]);
    let out = run(
        &main,
        &format!("image/watermark,{mark},g_nw,x_0,y_0"),
        &opts,
    );
    assert_eq!(*out.get_pixel(4, 4), WHITE);
    assert_eq!(*out.get_pixel(5, 4), RED);
}

// --- §2.2: the picture, its pre-processing and P ---------------------------------------

#[test]
fn p_sizes_the_picture_relative_to_the_current_main_image() {
    // Vendor example: P_10 on 100×100 gives a 10×10 mark, on 200×200 a 20×20 one.
    let opts = options(&[("sq.png", solid_png(50, 50, RED))]);
    let p10 = format!("image_{}", b64("sq.png?x-oss-process=image/resize,P_10"));
    for side in [100u32, 200] {
        let out = run(
            &solid_png(side, side, WHITE),
            &format!("image/watermark,{p10},g_nw,x_0,y_0"),
            &opts,
        );
        let s = side / 10;
        assert_eq!(bbox(&out, reddish), Some((0, 0, s - 1, s - 1)), "{side}");
    }
    // §7: the main image is resized first; P_30 of 400×200 is the box 120×60, into
    // which a 200×50 picture fits as 120×30 (enlarging is allowed: 40×10 → 120×30).
    for (picture, expected) in [
        ((200, 50), (120, 30)),
        ((40, 10), (120, 30)),
        ((10, 40), (15, 60)),
    ] {
        let opts = options(&[("p.png", solid_png(picture.0, picture.1, RED))]);
        let p30 = format!("image_{}", b64("p.png?x-oss-process=image/resize,P_30"));
        let spec = format!("image/resize,w_400/watermark,{p30},g_nw,x_0,y_0");
        let out = run(&solid_png(800, 400, WHITE), &spec, &opts);
        let (x0, y0, x1, y1) = bbox(&out, reddish).unwrap();
        assert_eq!((x0, y0), (0, 0));
        // Lanczos edges may tint one more pixel faintly; the box is the mark size ±1.
        let (w, h) = (x1 + 1, y1 + 1);
        assert!(
            w.abs_diff(expected.0) <= 1 && h.abs_diff(expected.1) <= 1,
            "{picture:?}: {w}x{h}"
        );
    }
}

#[test]
fn pre_processing_runs_on_the_picture() {
    // rotate,90 turns a 30×10 picture into 10×30; crop keeps its top-left 5×5.
    let opts = options(&[("p.png", solid_png(30, 10, RED))]);
    let main = solid_png(100, 100, WHITE);
    for (chain, (w, h)) in [
        ("image/rotate,90", (10, 30)),
        ("image/crop,w_5,h_5", (5, 5)),
        ("image/resize,w_15/bright,10", (15, 5)),
    ] {
        let image = format!("image_{}", b64(&format!("p.png?x-oss-process={chain}")));
        let out = run(
            &main,
            &format!("image/watermark,{image},g_nw,x_0,y_0"),
            &opts,
        );
        let (_, _, x1, y1) = bbox(&out, |px| px[1] < 200).unwrap();
        assert_eq!((x1 + 1, y1 + 1), (w, h), "{chain}");
    }
}

#[test]
fn picture_errors() {
    let main = solid_png(50, 50, WHITE);
    let spec = format!("image/watermark,image_{}", b64("missing.png"));
    assert_error(
        ossimg::process_with(&main, &spec, &options(&[])),
        "WatermarkError",
        400,
        Some("0040-00000025"),
        "missing object",
    );
    for (what, bytes) in [
        ("gif", common::gif(8, 8, 1)),
        ("text", b"not an image at all".to_vec()),
    ] {
        let spec = format!("image/watermark,image_{}", b64("p"));
        assert_error(
            ossimg::process_with(&main, &spec, &options(&[("p", bytes)])),
            "WatermarkError",
            400,
            Some("0040-00000027"),
            what,
        );
    }
    // §7: a nested info, and a fourth picture.
    assert_error(
        ossimg::process_with(
            &main,
            "image/watermark,image_cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvaW5mbw",
            &options(&[]),
        ),
        "InvalidArgument",
        400,
        Some("0040-00000374"),
        "nested info",
    );
    let mark = format!("/watermark,image_{}", b64("p.png"));
    assert_error(
        ossimg::process_with(&main, &format!("image{}", mark.repeat(4)), &options(&[])),
        // watermark.md §8: 0040-00000025/26/27 are WatermarkError.
        "WatermarkError",
        400,
        Some("0040-00000026"),
        "four pictures",
    );
    // A text mark with no usable font is a clear 500, not a panic.
    let spec = format!("image/watermark,text_{}", b64("Hi"));
    let result = ossimg::process_with(&main, &spec, &Options::default());
    let e = result.unwrap_err();
    assert_eq!((e.code(), e.status()), ("InternalError", 500));
    assert!(e.message().contains("options.fonts"), "{e}");
}

#[test]
fn a_resolver_supplies_objects_the_map_lacks() {
    use std::sync::{Arc, Mutex};
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    let mut opts = options(&[("in-map.png", solid_png(10, 10, RED))]);
    opts.object_resolver = Some(ossimg::options::ObjectResolver(Arc::new(
        move |key: &str| {
            log.lock().unwrap().push(key.to_owned());
            (key == "dir/lazy.png").then(|| solid_png(10, 10, Rgba([0, 0, 255, 255])))
        },
    )));
    let main = solid_png(40, 40, WHITE);
    let spec = format!(
        "image/watermark,image_{},g_nw,x_0,y_0/watermark,image_{},g_se,x_0,y_0",
        b64("in-map.png"),
        b64("dir/lazy.png")
    );
    let out = run(&main, &spec, &opts);
    assert_eq!(*out.get_pixel(0, 0), RED);
    assert_eq!(*out.get_pixel(39, 39), Rgba([0, 0, 255, 255]));
    assert_eq!(
        *asked.lock().unwrap(),
        ["dir/lazy.png"],
        "the map is asked first"
    );
    let spec = format!("image/watermark,image_{}", b64("nowhere.png"));
    assert_error(
        ossimg::process_with(&main, &spec, &opts),
        "WatermarkError",
        400,
        Some("0040-00000025"),
        "the resolver has no answer",
    );
}

#[test]
fn several_marks_in_one_chain() {
    // §7's last worked example, on a 400×300 image: two pictures at 20 % of the main
    // image (nw and se) and a text mark 200 px below the top right corner.
    let opts = options(&[
        ("pics/Jellyfish.jpg", solid_png(100, 100, RED)),
        (
            "pics/Koala.jpg",
            solid_png(100, 100, Rgba([0, 0, 255, 255])),
        ),
    ]);
    let spec = "image/watermark,image_cGljcy9KZWxseWZpc2guanBnP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMjA,g_nw,x_10,y_10\
                /watermark,image_cGljcy9Lb2FsYS5qcGc_eC1vc3MtcHJvY2Vzcz1pbWFnZS9yZXNpemUsUF8yMA,g_se,x_10,y_10\
                /watermark,text_V2F0ZXJtYXJrIDE,size_20,g_ne,x_10,y_200";
    let out = run(&solid_png(400, 300, WHITE), spec, &opts);
    // P_20 of 400×300 is the box 80×60: the squares become 60×60.
    assert_eq!(bbox(&out, reddish), Some((10, 10, 69, 69)));
    let blue = |px: &Rgba<u8>| px[2] > 200 && px[0] < 60;
    assert_eq!(bbox(&out, blue), Some((330, 230, 389, 289)));
    let black = |px: &Rgba<u8>| px[0] < 128 && px[1] < 128 && px[2] < 128;
    let (x0, y0, x1, y1) = bbox(&out, black).unwrap();
    assert!(
        y0 >= 200 && y1 < 200 + 24 && x1 < 390 && x0 > 250,
        "{:?}",
        (x0, y0, x1, y1)
    );
}

#[test]
fn animation_kept_only_for_image_marks_with_animation_1() {
    let gif = common::gif(40, 30, 3);
    let opts = options(&[("m.png", solid_png(10, 10, RED))]);
    let mark = format!("image_{}", b64("m.png"));
    let frames = |spec: &str| match ossimg::process_with(&gif, spec, &opts).unwrap() {
        Output::Image { frames, .. } => frames,
        other => panic!("{other:?}"),
    };
    assert_eq!(frames(&format!("image/watermark,{mark},animation_1")), 3);
    assert_eq!(frames(&format!("image/watermark,{mark}")), 1);
    assert_eq!(
        frames(&format!("image/watermark,text_{},animation_1", b64("a"))),
        1
    );
    // Every frame carries the mark.
    let Output::Image { bytes, .. } = ossimg::process_with(
        &gif,
        &format!("image/watermark,{mark},animation_1,g_nw,x_0,y_0"),
        &opts,
    )
    .unwrap() else {
        panic!()
    };
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).unwrap();
    let frames = image::AnimationDecoder::into_frames(decoder)
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 3);
    for f in &frames {
        assert!(reddish(f.buffer().get_pixel(5, 5)));
    }
}

// --- §4.5, §4.6, fonts.md §4: text boxes, mixed blocks and fallback ---------------------

/// The text box of §4.5 computed from the font files: (w_text, h_text), with each char
/// from the first face of `chain` that has it.
fn text_box(text: &str, size: f32, chain: &[&str]) -> (u32, u32) {
    let fonts = fonts();
    let faces: Vec<FontRef> = chain
        .iter()
        .map(|k| FontRef::try_from_slice(&fonts[*k]).unwrap())
        .collect();
    let scale = |f: &FontRef| size / f.units_per_em().unwrap();
    let mut advance = 0.0;
    for c in text.chars() {
        let face = faces.iter().find(|f| f.glyph_id(c).0 != 0).unwrap();
        advance += face.h_advance_unscaled(face.glyph_id(c)) * scale(face);
    }
    let primary = &faces[0];
    let height = (primary.ascent_unscaled() - primary.descent_unscaled()) * scale(primary);
    (advance.ceil() as u32, height.ceil() as u32)
}

#[test]
fn text_ink_lies_inside_the_box_for_every_gravity() {
    let main = solid_png(400, 267, WHITE);
    let opts = options(&[]);
    let (w, h) = text_box("Hello World", 40.0, &["wqy-microhei"]);
    // WenQuanYi Micro Hei: 2048 units per em, ascender 1918, descender −483 (fonts.md).
    assert_eq!(h, ((1918.0f32 + 483.0) * 40.0 / 2048.0).ceil() as u32);
    let mut cases: Vec<(String, &str, (i64, i64, i64))> = [
        "nw", "north", "ne", "west", "center", "east", "sw", "south", "se",
    ]
    .into_iter()
    .map(|g| (format!(",g_{g},x_20,y_15,voffset_-7"), g, (20, 15, -7)))
    .collect();
    // §7 row 1: the defaults are 40 px black text, bottom right, 10 px from the edges.
    cases.push((String::new(), "se", (10, 10, 0)));
    for (args, g, offsets) in cases {
        let spec = format!("image/watermark,text_SGVsbG8gV29ybGQ{args}");
        let out = run(&main, &spec, &opts);
        let (x0, y0, x1, y1) = bbox(&out, inked).unwrap();
        assert!(
            out.pixels()
                .any(|px| px[0] == 0 && px[1] == 0 && px[2] == 0),
            "black"
        );
        let (bx, by) = anchor(g, (400, 267), (w, h), offsets);
        // The ink lies inside the box and reaches close to its edges: the side bearings
        // and the room above the capitals and below the baseline are the only slack.
        assert!(
            x0 as i64 >= bx && x1 as i64 <= bx + w as i64,
            "{g}: x {x0}..{x1} vs {bx}+{w}"
        );
        assert!(
            y0 as i64 >= by && y1 as i64 <= by + h as i64,
            "{g}: y {y0}..{y1} vs {by}+{h}"
        );
        assert!(
            (x0 as i64 - bx) <= 6 && (bx + w as i64 - x1 as i64) <= 6,
            "{g}: x tight"
        );
        assert!(
            (y0 as i64 - by) <= 12 && (by + h as i64 - y1 as i64) <= 14,
            "{g}: y tight"
        );
    }
}

/// §4.1 written out independently of the library.
fn anchor(
    g: &str,
    (iw, ih): (u32, u32),
    (w, h): (u32, u32),
    (x, y, v): (i64, i64, i64),
) -> (i64, i64) {
    let (fw, fh) = (iw as i64 - w as i64, ih as i64 - h as i64);
    let col = match g {
        "nw" | "west" | "sw" => x,
        "north" | "center" | "south" => fw.div_euclid(2),
        _ => fw - x,
    };
    let row = match g {
        "nw" | "north" | "ne" => y,
        "west" | "center" | "east" => fh.div_euclid(2) + v,
        _ => fh - y,
    };
    (col, row)
}

#[test]
fn worked_examples_of_rotated_and_tiled_chinese_text() {
    let main = solid_png(400, 300, WHITE);
    let opts = options(&[]);
    // §7 row 3: "水印", 60 px, rotated 30°, centred, 50 % opacity (fangzhengkaiti is not
    // supplied: Micro Hei draws it). The rotated box is centred, so is the ink, ±3 px.
    let spec =
        "image/watermark,text_5rC05Y2w,type_ZmFuZ3poZW5na2FpdGk,size_60,g_center,rotate_30,t_50";
    let out = run(&main, spec, &opts);
    let (x0, y0, x1, y1) = bbox(&out, inked).unwrap();
    assert!(
        (x0 + x1).abs_diff(399) <= 6 && (y0 + y1).abs_diff(299) <= 6,
        "{:?}",
        (x0, y0, x1, y1)
    );
    // Black at 50 % over white is never darker than 127.
    let darkest = out.pixels().map(|px| px[0]).min().unwrap();
    assert!((126..=128).contains(&darkest), "{darkest}");

    // §7 row 4: "水印" rotated 24° and tiled with 80/60 px gaps: the picture repeats
    // with the periods w + 80 and h + 60 of the rotated box (§4.5, §4.7).
    let (wt, ht) = text_box("水印", 40.0, &["wqy-microhei"]);
    let (sin, cos) = 24f64.to_radians().sin_cos();
    let rw = (f64::from(wt) * cos + f64::from(ht) * sin).ceil() as u32;
    let rh = (f64::from(wt) * sin + f64::from(ht) * cos).ceil() as u32;
    let spec = "image/watermark,text_5rC05Y2w,fill_1,padx_80,pady_60,rotate_24,t_58";
    let out = run(&solid_png(600, 500, WHITE), spec, &opts);
    let (sx, sy) = (rw + 80, rh + 60);
    let mut inked_pixels = 0;
    for y in 0..500 - sy {
        for x in 0..600 - sx {
            let px = out.get_pixel(x, y);
            assert_eq!(px, out.get_pixel(x + sx, y), "({x}, {y}) vs +{sx}");
            assert_eq!(px, out.get_pixel(x, y + sy), "({x}, {y}) vs +{sy}");
            inked_pixels += usize::from(inked(px));
        }
    }
    assert!(inked_pixels > 1000);
}

#[test]
fn shadow_and_rotation_grow_the_box() {
    let main = solid_png(300, 200, WHITE);
    let opts = options(&[]);
    let (w, h) = text_box("Hello World", 30.0, &["wqy-microhei"]);
    // Shadow d = round(30 / 20) = 2: the box grows by 2; at g_se the text moves up-left
    // by 2 and the shadow's ink ends 2 px further right and down than the text's would.
    let plain = run(&main, "image/watermark,text_SGVsbG8gV29ybGQ,size_30", &opts);
    let shadowed = run(
        &main,
        "image/watermark,text_SGVsbG8gV29ybGQ,size_30,shadow_50",
        &opts,
    );
    let (p, s) = (
        bbox(&plain, inked).unwrap(),
        bbox(&shadowed, inked).unwrap(),
    );
    assert_eq!((s.0 + 2, s.1 + 2, s.2, s.3), (p.0, p.1, p.2, p.3));
    // The shadow is black at 50 %: grey where it shows beside the text.
    assert!(shadowed
        .pixels()
        .any(|px| (100..=160).contains(&px[0]) && px[0] == px[1]));

    // rotate_90 swaps the box's sides; g_nw,x_0,y_0 puts it at the origin.
    let out = run(
        &main,
        "image/watermark,text_SGVsbG8gV29ybGQ,size_30,rotate_90,g_nw,x_0,y_0",
        &opts,
    );
    let (x0, y0, x1, y1) = bbox(&out, inked).unwrap();
    assert!(
        x1 < h && y1 < w && x0 < h && y0 < 6,
        "{:?} in {h}x{w}",
        (x0, y0, x1, y1)
    );
    assert!(y1 + 6 >= w, "the text runs down the whole box");
}

#[test]
fn mixed_blocks_follow_order_align_and_interval() {
    let main = solid_png(300, 120, WHITE);
    let opts = options(&[("p.png", solid_png(40, 40, RED))]);
    let (wt, ht) = text_box("Hello", 40.0, &["wqy-microhei"]);
    assert!(ht > 40, "the text is the taller part");
    let image = format!("image_{}", b64("p.png"));
    for order in [0u32, 1] {
        for (align, top) in [(0u32, 0u32), (1, (ht - 40) / 2), (2, ht - 40)] {
            let spec = format!(
                "image/watermark,{image},text_{},order_{order},align_{align},interval_8,g_nw,x_0,y_0",
                b64("Hello")
            );
            let out = run(&main, &spec, &opts);
            let left = if order == 0 { 0 } else { wt + 8 };
            assert_eq!(
                bbox(&out, reddish),
                Some((left, top, left + 39, top + 39)),
                "order {order} align {align}"
            );
            // The text sits on the other side of the gap.
            let black = |px: &Rgba<u8>| px[0] < 100 && px[1] < 100;
            let (x0, _, x1, _) = bbox(&out, black).unwrap();
            let text_left = if order == 0 { 48 } else { 0 };
            assert!(
                x0 >= text_left && x1 < text_left + wt,
                "order {order}: text {x0}..{x1}"
            );
        }
    }
}

#[test]
fn glyphs_fall_back_through_the_chain() {
    // A requested font that is present (DejaVu bytes given as fangzhengkaiti) draws the
    // Latin letters; the CJK ones fall back to Micro Hei (fonts.md §4); the line box comes
    // from the requested face.
    let mut opts = options(&[]);
    let dejavu = opts.fonts["dejavu-sans"].clone();
    opts.fonts.insert("fangzhengkaiti".into(), dejavu);
    let text = "Ab水印";
    let (w, _) = text_box(text, 40.0, &["dejavu-sans", "wqy-microhei"]);
    let (_, h) = text_box("A", 40.0, &["dejavu-sans"]);
    let spec = format!(
        "image/watermark,text_{},type_{},g_nw,x_0,y_0",
        b64(text),
        b64("fangzhengkaiti")
    );
    let out = run(&solid_png(300, 100, WHITE), &spec, &opts);
    let (_, _, x1, y1) = bbox(&out, inked).unwrap();
    assert!(x1 < w && x1 + 6 >= w, "ink ends at the box ({x1} vs {w})");
    assert!(y1 < h, "{y1} vs {h}");
    // Both CJK glyphs have ink (the last 80 px of the line: two 40 px em squares).
    for (from, to) in [(w - 80, w - 40), (w - 40, w)] {
        let ink = (from..to).flat_map(|x| (0..h).map(move |y| (x, y)));
        assert!(ink.filter(|&(x, y)| inked(out.get_pixel(x, y))).count() > 50);
    }

    // Without Micro Hei the same text still renders (the CJK chars as .notdef boxes) and
    // an absent requested font falls back to Micro Hei (fonts.md §5.2).
    let mut only_latin = options(&[]);
    only_latin.fonts.remove("wqy-microhei");
    let out = run(
        &solid_png(300, 100, WHITE),
        &format!("image/watermark,text_{}", b64(text)),
        &only_latin,
    );
    assert!(bbox(&out, inked).is_some());
    let droid = format!(
        "image/watermark,text_{},type_{}",
        b64("Hello"),
        b64("droidsansfallback")
    );
    let zen = format!("image/watermark,text_{}", b64("Hello"));
    let main = solid_png(300, 100, WHITE);
    assert_eq!(
        run(&main, &droid, &options(&[])),
        run(&main, &zen, &options(&[]))
    );
}

// --- golden images ---------------------------------------------------------------------

/// Compares `out` with `tests/fixtures/watermark/<name>.png`: every channel within 24
/// levels and the mean difference under 1 level (anti-aliasing may differ by a rounding
/// between platforms). `OSSIMG_BLESS=1` writes the golden instead.
fn golden(name: &str, out: &RgbaImage) {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/watermark"
    ))
    .join(format!("{name}.png"));
    if std::env::var_os("OSSIMG_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, png_of(out)).unwrap();
        return;
    }
    let expected = common::rgba(
        &std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (OSSIMG_BLESS=1 writes it)", path.display())),
    );
    assert_eq!(out.dimensions(), expected.dimensions(), "{name}");
    let diffs: Vec<u32> = out
        .as_raw()
        .iter()
        .zip(expected.as_raw())
        .map(|(a, b)| u32::from(a.abs_diff(*b)))
        .collect();
    let max = diffs.iter().copied().max().unwrap_or(0);
    let mean = diffs.iter().sum::<u32>() as f64 / diffs.len() as f64;
    eprintln!("golden {name}: max {max}, mean {mean:.4}");
    assert!(max <= 24 && mean < 1.0, "{name}: max {max}, mean {mean:.3}");
}

/// A 200×120 light background with a soft gradient, so blending shows.
fn backdrop() -> Vec<u8> {
    png_of(&RgbaImage::from_fn(200, 120, |x, y| {
        Rgba([200 + (x / 8) as u8, 210 + (y / 6) as u8, 230, 255])
    }))
}

#[test]
fn golden_text_marks() {
    let opts = options(&[]);
    let rows = [
        (
            "latin",
            format!(
                "text_{},size_28,color_1F3A93,g_center",
                b64("Hello, World!")
            ),
        ),
        (
            "chinese",
            format!("text_{},size_32,color_B22222,g_center", b64("水印文字测试")),
        ),
        (
            "shadow",
            format!(
                "text_{},size_30,color_FFD700,shadow_80,g_center",
                b64("Shadow 阴影")
            ),
        ),
        (
            "rotate45",
            format!("text_{},size_30,rotate_45,t_80,g_center", b64("旋转 45°")),
        ),
        (
            "fill",
            format!(
                "text_{},size_18,rotate_24,t_58,fill_1,padx_20,pady_16",
                b64("水印 OSS")
            ),
        ),
    ];
    for (name, args) in rows {
        golden(
            &format!("text_{name}"),
            &run(&backdrop(), &format!("image/watermark,{args}"), &opts),
        );
    }
}

/// A 60×40 picture with an alpha edge: a blue disc on orange, transparent corners.
fn picture() -> Vec<u8> {
    png_of(&RgbaImage::from_fn(60, 40, |x, y| {
        let (dx, dy) = (x as f32 - 29.5, y as f32 - 19.5);
        let d = (dx * dx + dy * dy).sqrt();
        if d < 12.0 {
            Rgba([30, 60, 200, 255])
        } else if x < 4 && y < 4 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([240, 140, 20, 255])
        }
    }))
}

#[test]
fn golden_image_marks() {
    let opts = options(&[("logo.png", picture())]);
    let p20 = format!("image_{}", b64("logo.png?x-oss-process=image/resize,P_20"));
    golden(
        "image_p20",
        &run(&backdrop(), &format!("image/watermark,{p20},t_90"), &opts),
    );
    let logo = format!("image_{}", b64("logo.png?x-oss-process=image/resize,h_44"));
    for order in [0, 1] {
        for align in [0, 1, 2] {
            let spec = format!(
                "image/watermark,{logo},text_{},size_20,order_{order},align_{align},interval_6,g_center",
                b64("Mixed 混合")
            );
            golden(
                &format!("mixed_order{order}_align{align}"),
                &run(&backdrop(), &spec, &opts),
            );
        }
    }
}
