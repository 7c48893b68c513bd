use proptest::prelude::*;

use super::*;
use crate::ops::{Action, Chain, Rotate};
use crate::options::Options;
use crate::pipeline::Pipeline;
use crate::spec::types::{base64url_encode, Rgb};
use crate::spec::ParseRules;

/// The watermark actions of a whole spec, parsed the way `process` parses it.
fn marks_with(spec: &str, options: &Options) -> Result<Vec<Watermark>> {
    let pipeline = Pipeline::parse(spec, options)?;
    Ok(pipeline
        .chain
        .actions
        .into_iter()
        .filter_map(|a| match a {
            Action::Watermark(w) => Some(*w),
            _ => None,
        })
        .collect())
}

fn marks(spec: &str) -> Result<Vec<Watermark>> {
    marks_with(spec, &Options::default())
}

/// `image/watermark,<args>` in strict mode.
fn wm(args: &str) -> Result<Watermark> {
    let mut found = marks(&format!("image/watermark,{args}"))?;
    assert_eq!(found.len(), 1);
    Ok(found.remove(0))
}

fn lenient(args: &str) -> Result<Watermark> {
    let options = Options {
        rules: ParseRules::LENIENT,
        ..Options::default()
    };
    let mut found = marks_with(&format!("image/watermark,{args}"), &options)?;
    Ok(found.remove(0))
}

fn b64(s: &str) -> String {
    base64url_encode(s.as_bytes())
}

fn text_mark(text: &str) -> TextMark {
    TextMark {
        text: text.into(),
        font: Font::WqyZenhei,
        size: 40,
        color: Rgb::BLACK,
        shadow: 0,
        rotate: 0,
    }
}

fn image_mark(object: &str) -> ImageMark {
    ImageMark {
        object: object.into(),
        preprocess: None,
    }
}

/// A mark with every common parameter at its default.
fn plain(mark: Mark) -> Watermark {
    Watermark {
        mark,
        opacity: 100,
        gravity: Gravity::SouthEast,
        x: 10,
        y: 10,
        voffset: 0,
        fill: false,
        padx: 0,
        pady: 0,
        animation: false,
    }
}

/// Asserts that `w` prints `canonical` and that the canonical form parses back to `w`.
fn assert_canonical(w: &Watermark, canonical: &str) {
    assert_eq!(w.to_string(), canonical);
    assert_eq!(&wm(canonical).unwrap(), w, "{canonical}");
}

const PANDA: &str = "cGFuZGEucG5n";
const HELLO: &str = "SGVsbG8gV29ybGQ";

// --- watermark.md §1 canonical examples and §7 worked examples -----------------------

#[test]
fn canonical_examples() {
    let w = wm("text_SGVsbG8gV29ybGQ").unwrap();
    assert_eq!(w, plain(Mark::Text(text_mark("Hello World"))));
    assert_canonical(&w, "text_SGVsbG8gV29ybGQ");

    let spec = "image/resize,w_300,h_300/watermark,type_d3F5LXplbmhlaQ,size_30,\
                text_SGVsbG8gV29ybGQ,color_FFFFFF,shadow_50,t_100,g_se,x_10,y_10";
    let w = marks(spec).unwrap().remove(0);
    let text = TextMark {
        size: 30,
        color: Rgb::WHITE,
        shadow: 50,
        ..text_mark("Hello World")
    };
    assert_eq!(w, plain(Mark::Text(text)));
    assert_canonical(&w, "text_SGVsbG8gV29ybGQ,color_FFFFFF,size_30,shadow_50");

    let w = wm("image_cGFuZGEucG5n").unwrap();
    assert_eq!(w, plain(Mark::Image(image_mark("panda.png"))));
    assert_canonical(&w, "image_cGFuZGEucG5n");

    let spec =
        "image/resize,w_300,h_300/quality,q_90/watermark,image_cGFuZGEucG5n,t_90,g_se,x_10,y_10";
    let w = marks(spec).unwrap().remove(0);
    assert_eq!(
        w,
        Watermark {
            opacity: 90,
            ..plain(Mark::Image(image_mark("panda.png")))
        }
    );
    assert_canonical(&w, "image_cGFuZGEucG5n,t_90");
}

/// The examples whose pre-processing uses `resize,P_<n>` (watermark.md §1 rows 5–6, §7
/// rows 5 and 7).
#[test]
fn examples_with_main_relative_resize() {
    let p30 = "cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMzA";
    for spec in [
        format!("image/resize,w_300/watermark,image_{p30},t_90,g_se,x_10,y_10"),
        format!("image/resize,w_400/watermark,image_{p30},t_90,g_se,x_10,y_10"),
    ] {
        let w = marks(&spec).unwrap().remove(0);
        assert_eq!(w.object_key(), Some("panda.png"));
        assert_eq!(w.opacity, 90);
        assert!(w.to_string().starts_with("image_"));
        assert_eq!(wm(&w.to_string()).unwrap(), w);
    }

    let w = wm(&format!("image_{p30},text_{HELLO}")).unwrap();
    assert!(matches!(w.mark, Mark::Mixed(_)));
    assert_eq!(w.object_key(), Some("panda.png"));
    assert_eq!(w.font_name(), Some("wqy-zenhei"));

    let spec = "image/watermark,image_cGljcy9KZWxseWZpc2guanBnP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMjA,g_nw,x_10,y_10\
                /watermark,image_cGljcy9Lb2FsYS5qcGc_eC1vc3MtcHJvY2Vzcz1pbWFnZS9yZXNpemUsUF8yMA,g_se,x_10,y_10\
                /watermark,text_V2F0ZXJtYXJrIDE,size_20,g_ne,x_10,y_200";
    let found = marks(spec).unwrap();
    let keys: Vec<_> = found.iter().map(Watermark::object_key).collect();
    assert_eq!(
        keys,
        [Some("pics/Jellyfish.jpg"), Some("pics/Koala.jpg"), None]
    );
    assert!(found.iter().take(2).all(preprocessed));
}

/// Whether the mark's picture has a pre-processing chain.
fn preprocessed(w: &Watermark) -> bool {
    match &w.mark {
        Mark::Image(i) | Mark::Mixed(MixedMark { image: i, .. }) => i.preprocess.is_some(),
        Mark::Text(_) => false,
    }
}

#[test]
fn worked_examples() {
    // "水印" in fangzhengkaiti, 60 px, rotated 30°, centred, 50 % opacity.
    let w = wm("text_5rC05Y2w,type_ZmFuZ3poZW5na2FpdGk,size_60,g_center,rotate_30,t_50").unwrap();
    let text = TextMark {
        font: Font::FangzhengKaiti,
        size: 60,
        rotate: 30,
        ..text_mark("水印")
    };
    assert_eq!(
        w,
        Watermark {
            opacity: 50,
            gravity: Gravity::Center,
            ..plain(Mark::Text(text))
        }
    );
    assert_canonical(
        &w,
        "text_5rC05Y2w,type_ZmFuZ3poZW5na2FpdGk,size_60,rotate_30,t_50,g_center",
    );

    // Rotated text tiled with 80/60 px gaps.
    let w = wm("text_5rC05Y2w,fill_1,padx_80,pady_60,rotate_24,t_58").unwrap();
    let text = TextMark {
        rotate: 24,
        ..text_mark("水印")
    };
    assert_eq!(
        w,
        Watermark {
            opacity: 58,
            fill: true,
            padx: 80,
            pady: 60,
            ..plain(Mark::Text(text))
        }
    );
    assert_canonical(&w, "text_5rC05Y2w,rotate_24,t_58,fill_1,padx_80,pady_60");

    // Text, 8 px gap, panda.png; centred on each other.
    let w = wm("image_cGFuZGEucG5n,text_SGVsbG8gV29ybGQ,order_1,align_1,interval_8").unwrap();
    let mixed = MixedMark {
        image: image_mark("panda.png"),
        text: text_mark("Hello World"),
        order: Order::TextFirst,
        align: Align::Center,
        interval: 8,
    };
    assert_eq!(w, plain(Mark::Mixed(mixed)));
    assert_canonical(
        &w,
        "image_cGFuZGEucG5n,text_SGVsbG8gV29ybGQ,order_1,align_1,interval_8",
    );

    // White 30 px text with a 50 % shadow.
    let w = wm("text_SGVsbG8gV29ybGQ,color_FFFFFF,size_30,shadow_50,g_se,x_10,y_10").unwrap();
    assert_canonical(&w, "text_SGVsbG8gV29ybGQ,color_FFFFFF,size_30,shadow_50");
}

// --- watermark.md §8: every error that parsing can detect -----------------------------

#[test]
fn error_table() {
    let long_ascii = b64(&"a".repeat(65));
    let long_cjk = b64(&"一".repeat(22));
    let info = "cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvaW5mbw";
    let with = |chain: &str| format!("image_{}", b64(&format!("panda.png?x-oss-process={chain}")));
    let cases: Vec<(String, Option<&str>)> = vec![
        (format!("text_{HELLO},font_***"), Some("0040-00000249")),
        (format!("text_{HELLO},type_***"), Some("0040-00000250")),
        (
            format!("text_{HELLO},type_bm90c3VwcG9ydAo"),
            Some("0040-00000251"),
        ),
        (
            format!("text_{HELLO},color_AABBCCDD"),
            Some("0040-00000254"),
        ),
        (format!("text_{HELLO},shadow_101"), Some("0040-00000255")),
        (format!("text_{HELLO},size_0"), Some("0040-00000256")),
        (format!("text_{HELLO},size_1001"), Some("0040-00000256")),
        ("text_a*b".into(), Some("0040-00000257")),
        ("text_abcde".into(), Some("0040-00000257")),
        ("text___4".into(), Some("0040-00000257")), // 0xFF 0xFE: not UTF-8
        ("text_".into(), Some("0040-00000258")),
        ("text".into(), Some("0040-00000258")),
        (format!("text_{long_ascii}"), Some("0040-00000259")),
        (format!("text_{long_cjk}"), Some("0040-00000259")),
        (format!("text_{HELLO},g_xx"), Some("0040-00000260")),
        (format!("text_{HELLO},x_4097"), Some("0040-00000262")),
        (format!("text_{HELLO},t_200"), Some("0040-00000263")),
        (format!("text_{HELLO},y_-1"), Some("0040-00000264")),
        ("image_cGFu*GEucG5n".into(), Some("0040-00000265")),
        ("image___4".into(), Some("0040-00000265")),
        (format!("text_{HELLO},voffset_1001"), Some("0040-00000268")),
        (format!("text_{HELLO},order_2"), Some("0040-00000269")),
        (format!("text_{HELLO},interval_1001"), Some("0040-00000270")),
        (format!("text_{HELLO},align_3"), Some("0040-00000271")),
        (format!("text_{HELLO},rotate_361"), Some("0040-00000272")),
        (format!("text_{HELLO},fill_2"), Some("0040-00000274")),
        (format!("text_{HELLO},padx_4097"), Some("0040-00000276")),
        (format!("text_{HELLO},pady_abc"), Some("0040-00000277")),
        ("t_50".into(), Some("0040-00000278")),
        (with("image/watermark,text_SGVsbG8"), Some("0040-00000373")),
        (format!("image_{info}"), Some("0040-00000374")),
        (with("image/rotate,90/info"), Some("0040-00000374")),
        (with("image/average-hue"), Some("0040-00000374")),
        // No vendor EC known for these (§2.1, §2.2).
        (with("image/resize,w_100|sys/saveas,o_x"), None),
        (with("image/circle,r_10"), None),
        (with("style/x"), None),
        (format!("text_{HELLO},animation_2"), None),
    ];
    for (args, ec) in &cases {
        let e = wm(args).unwrap_err();
        assert_eq!((e.code(), e.ec()), ("InvalidArgument", *ec), "{args}: {e}");
    }
    // The vendor's own examples (§7 and §6).
    let e = marks("image/watermark").unwrap_err();
    assert_eq!(
        (e.code(), e.ec()),
        ("InvalidArgument", Some("0040-00000278"))
    );
    let e =
        marks("image/watermark,image_cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvaW5mbw").unwrap_err();
    assert_eq!(
        (e.code(), e.ec()),
        ("InvalidArgument", Some("0040-00000374"))
    );
}

#[test]
fn error_messages() {
    let e = wm(&format!("text_{}", b64(&"a".repeat(65)))).unwrap_err();
    assert!(e.message().starts_with("font content is too large"), "{e}");
    let e = wm("text_SGVsbG8gV29ybGQ,type_bm90c3VwcG9ydAo").unwrap_err();
    assert_eq!(
        e.message(),
        "The value: notsupport? of parameter: type is invalid."
    );
    let e = wm("text_SGVsbG8gV29ybGQ,font_bm90c3VwcG9ydAo").unwrap_err();
    assert_eq!(
        e.message(),
        "The value: notsupport? of parameter: font is invalid."
    );
}

/// §6 [DECISION]: the font name is checked after every key's syntax; the kind after that.
#[test]
fn font_lookup_is_a_second_pass() {
    let e = wm("text_SGVsbG8gV29ybGQ,type_bm90c3VwcG9ydAo,color_AABBCCDD").unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000254"));
    let e = wm("type_bm90c3VwcG9ydAo,size_0").unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000256"));
    // Not Base64 is a first-pass error.
    let e = wm("type_***,color_AABBCCDD").unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000250"));
    // A bad font name comes before a missing text / image.
    let e = wm("type_bm90c3VwcG9ydAo").unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000251"));
    // Text keys are validated even for an image-only mark (§2.4, §11).
    let e = wm(&format!("image_{PANDA},type_bm90c3VwcG9ydAo")).unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000251"));
    let e = wm(&format!("image_{PANDA},rotate_400")).unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000272"));
    let e = wm("text_SGVsbG8gV29ybGQ,align_9").unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000271"));
}

#[test]
fn preprocessing_errors_of_the_nested_chain_pass_through() {
    let image = format!(
        "image_{}",
        b64("panda.png?x-oss-process=image/resize,w_abc")
    );
    assert_eq!(wm(&image).unwrap_err().ec(), Some("0040-00000312"));
    let image = format!("image_{}", b64("panda.png?x-oss-process=image/slim,1"));
    assert_eq!(wm(&image).unwrap_err().ec(), Some("0040-00000213"));
    let image = format!("image_{}", b64("panda.png?x-oss-process=image/"));
    assert_eq!(wm(&image).unwrap_err().ec(), Some("0040-00000212"));
    // A forbidden action is found before the arguments of earlier actions are checked.
    let image = format!(
        "image_{}",
        b64("panda.png?x-oss-process=image/resize,w_abc/info")
    );
    assert_eq!(wm(&image).unwrap_err().ec(), Some("0040-00000374"));
    // An object key is required.
    let image = format!("image_{}", b64("?x-oss-process=image/rotate,90"));
    assert_eq!(wm(&image).unwrap_err().ec(), Some("0040-00000265"));
    assert_eq!(wm("image_").unwrap_err().ec(), Some("0040-00000265"));
}

// --- ranges, defaults, Base64 -----------------------------------------------------------

#[test]
fn range_bounds_are_inclusive() {
    for args in [
        "t_0",
        "t_100",
        "x_0",
        "x_4096",
        "y_0",
        "y_4096",
        "size_1",
        "size_1000",
        "shadow_0",
        "shadow_100",
        "rotate_0",
        "rotate_360",
        "interval_0",
        "interval_1000",
        "order_0",
        "order_1",
        "align_0",
        "align_2",
        "fill_0",
        "fill_1",
        "animation_0",
        "animation_1",
        "padx_4096",
        "pady_4096",
        "voffset_-1000",
        "voffset_1000",
        "t_0100",
    ] {
        assert!(wm(&format!("text_{HELLO},{args}")).is_ok(), "{args}");
    }
    for (args, ec) in [
        ("t_-1", "0040-00000263"),
        ("t_1.5", "0040-00000263"),
        ("t_", "0040-00000263"),
        ("x_-1", "0040-00000262"),
        ("voffset_-1001", "0040-00000268"),
        ("voffset_+5", "0040-00000268"),
        ("shadow_-1", "0040-00000255"),
        ("rotate_-1", "0040-00000272"),
        ("g_SE", "0040-00000260"),
        ("g_", "0040-00000260"),
        ("color_#FFFFFF", "0040-00000254"),
        ("color_FFF", "0040-00000254"),
        ("color_", "0040-00000254"),
    ] {
        let e = wm(&format!("text_{HELLO},{args}")).unwrap_err();
        assert_eq!(e.ec(), Some(ec), "{args}");
    }
}

#[test]
fn text_length_is_counted_in_decoded_bytes() {
    for ok in ["a".repeat(64), "一".repeat(21), "Hello World".into()] {
        let w = wm(&format!("text_{}", b64(&ok))).unwrap();
        assert_eq!(w.mark, Mark::Text(text_mark(&ok)));
    }
    // Control characters count and are kept; drawing skips them (§3.3).
    let w = wm(&format!("text_{}", b64("a\tb"))).unwrap();
    assert_eq!(w.mark, Mark::Text(text_mark("a\tb")));
}

#[test]
fn every_documented_font_encoding_is_accepted() {
    // fonts.md §1: canonical and padded forms.
    let table = [
        ("d3F5LXplbmhlaQ", "d3F5LXplbmhlaQ==", Font::WqyZenhei),
        ("d3F5LW1pY3JvaGVp", "d3F5LW1pY3JvaGVp", Font::WqyMicrohei),
        (
            "ZmFuZ3poZW5nc2h1c29uZw",
            "ZmFuZ3poZW5nc2h1c29uZw==",
            Font::FangzhengShusong,
        ),
        (
            "ZmFuZ3poZW5na2FpdGk",
            "ZmFuZ3poZW5na2FpdGk=",
            Font::FangzhengKaiti,
        ),
        (
            "ZmFuZ3poZW5naGVpdGk",
            "ZmFuZ3poZW5naGVpdGk=",
            Font::FangzhengHeiti,
        ),
        (
            "ZmFuZ3poZW5nZmFuZ3Nvbmc",
            "ZmFuZ3poZW5nZmFuZ3Nvbmc=",
            Font::FangzhengFangsong,
        ),
        (
            "ZHJvaWRzYW5zZmFsbGJhY2s",
            "ZHJvaWRzYW5zZmFsbGJhY2s=",
            Font::DroidSansFallback,
        ),
    ];
    for (canonical, padded, font) in table {
        for form in [canonical, padded] {
            let w = wm(&format!("text_{HELLO},type_{form}")).unwrap();
            assert_eq!(w.font_name(), Some(font.name()), "{form}");
            let expected = if font == Font::WqyZenhei {
                format!("text_{HELLO}")
            } else {
                format!("text_{HELLO},type_{canonical}")
            };
            assert_canonical(&w, &expected);
        }
        assert_eq!(Font::from_name(font.name()), Some(font));
    }
    // Exact, case-sensitive names (fonts.md [DECISION]); an empty name is no font.
    for name in ["WQY-ZENHEI", "wqy-zenhei ", "notsupport\n", ""] {
        let e = wm(&format!("text_{HELLO},type_{}", b64(name))).unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000251"), "{name:?}");
    }
}

#[test]
fn font_alias() {
    let w = wm(&format!("text_{HELLO},font_ZmFuZ3poZW5na2FpdGk")).unwrap();
    assert_eq!(w.font_name(), Some("fangzhengkaiti"));
    assert_canonical(&w, &format!("text_{HELLO},type_ZmFuZ3poZW5na2FpdGk"));
    // `type` wins; the alias is still checked for syntax.
    let w = wm(&format!(
        "text_{HELLO},font_ZmFuZ3poZW5na2FpdGk,type_ZmFuZ3poZW5naGVpdGk"
    ))
    .unwrap();
    assert_eq!(w.font_name(), Some("fangzhengheiti"));
    let w = wm(&format!(
        "text_{HELLO},type_ZmFuZ3poZW5naGVpdGk,font_bm90c3VwcG9ydAo"
    ))
    .unwrap();
    assert_eq!(w.font_name(), Some("fangzhengheiti"));
    let e = wm(&format!("text_{HELLO},type_ZmFuZ3poZW5naGVpdGk,font_***")).unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000249"));
}

#[test]
fn lenient_base64() {
    // `fn5-` is "~~~"; `+` and a space (a URL-decoded `+`) stand for `-` (§3.2).
    for form in ["fn5-", "fn5+", "fn5 "] {
        let w = wm(&format!("text_{form}")).unwrap();
        assert_eq!(w.mark, Mark::Text(text_mark("~~~")), "{form:?}");
        assert_eq!(w.to_string(), "text_fn5-");
    }
    // Padding is optional but must be complete when present.
    assert!(wm("text_SGVsbG8gV29ybGQ=").is_ok());
    for bad in [
        "SGVsbG8gV29ybGQ==",
        "SGVsbG8gV29ybG=Q",
        "SGVsbA=",
        "=",
        "====",
    ] {
        let e = wm(&format!("text_{bad}")).unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000257"), "{bad}");
    }
    // Trailing bits in the last symbol are ignored: `SGVsbG8gV29ybGR` ≡ `SGVsbG8gV29ybGQ`.
    assert_eq!(
        wm("text_SGVsbG8gV29ybGR").unwrap(),
        wm(&format!("text_{HELLO}")).unwrap()
    );
    // An object key with a `_` (URL-safe `/`), from §7.
    let w = wm("image_cGljcy9Lb2FsYS5qcGc").unwrap();
    assert_eq!(w.object_key(), Some("pics/Koala.jpg"));
    let w = wm("image_aW1hZ2UvcGFuZGEucG5n").unwrap();
    assert_eq!(w.object_key(), Some("image/panda.png"));
}

// --- pre-processing -----------------------------------------------------------------

#[test]
fn preprocessing_is_parsed_and_printed_canonically() {
    let w = wm(&format!(
        "image_{}",
        b64("panda.png?x-oss-process=image/rotate,0090/format,png")
    ))
    .unwrap();
    let chain = Chain {
        actions: vec![Action::Rotate(Rotate { degrees: 90 })],
        ..Chain::default()
    };
    let image = ImageMark {
        object: "panda.png".into(),
        preprocess: Some(chain),
    };
    assert_eq!(w, plain(Mark::Image(image)));
    let canonical = format!("image_{}", b64("panda.png?x-oss-process=image/rotate,90"));
    assert_canonical(&w, &canonical);

    // Several actions may be chained; the nested chain prints in its own canonical form.
    let raw = "image/resize,w_0100/rotate,90";
    let w = wm(&format!(
        "image_{}",
        b64(&format!("a/b.jpg?x-oss-process={raw}"))
    ))
    .unwrap();
    let nested = Pipeline::parse(raw, &Options::default()).unwrap();
    let canonical = format!("image_{}", b64(&format!("a/b.jpg?x-oss-process={nested}")));
    assert_canonical(&w, &canonical);

    // A chain that changes nothing is no chain.
    for chain in [
        "image/interlace,0",
        "image/format,png/quality,q_90",
        "image/interlace,1",
    ] {
        let w = wm(&format!(
            "image_{}",
            b64(&format!("panda.png?x-oss-process={chain}"))
        ))
        .unwrap();
        assert_eq!(w, wm(&format!("image_{PANDA}")).unwrap(), "{chain}");
    }
    // auto-orient is kept: it changes the picture.
    let raw = "panda.png?x-oss-process=image/auto-orient,0";
    let w = wm(&format!("image_{}", b64(raw))).unwrap();
    assert_canonical(&w, &format!("image_{}", b64(raw)));
    // Only the first `?x-oss-process=` separates the key.
    let w = wm(&format!("image_{}", b64("a?x-oss-processb.png"))).unwrap();
    assert_eq!(w.object_key(), Some("a?x-oss-processb.png"));
}

#[test]
fn preprocessing_follows_the_chain_mode() {
    let image = format!(
        "image_{}",
        b64("panda.png?x-oss-process=image/rotate,90,zz_1")
    );
    assert_eq!(wm(&image).unwrap_err().ec(), Some("0040-00000203"));
    let image = format!(
        "image_{}",
        b64("panda.png?x-oss-process=image/resize,w_10,zz_1")
    );
    assert!(wm(&image).is_err());
    let w = lenient(&image).unwrap();
    assert_eq!(w.object_key(), Some("panda.png"));
}

// --- canonical form ---------------------------------------------------------------------

#[test]
fn equal_meanings_print_equal() {
    let same = [
        // Defaults dropped, numbers normalised, hex upper-cased.
        (format!("text_{HELLO},t_100,g_se,x_10,y_10,voffset_0,fill_0,size_40,color_000000,shadow_0,rotate_0"), format!("text_{HELLO}")),
        (format!("text_{HELLO},t_050,color_ffffff"), format!("text_{HELLO},color_FFFFFF,t_50")),
        (format!("text_{HELLO},rotate_360"), format!("text_{HELLO}")),
        (format!("text_{HELLO},type_d3F5LXplbmhlaQ=="), format!("text_{HELLO}")),
        // Offsets a gravity does not use (§4.1).
        (format!("text_{HELLO},g_north,x_50,voffset_30"), format!("text_{HELLO},g_north")),
        (format!("text_{HELLO},g_center,x_50,y_70,voffset_-40"), format!("text_{HELLO},g_center,voffset_-40")),
        (format!("text_{HELLO},g_east,y_99,x_0"), format!("text_{HELLO},g_east,x_0")),
        // Tile gaps only with fill (§2.1).
        (format!("text_{HELLO},padx_80,pady_60"), format!("text_{HELLO}")),
        // Parameters of the other kind (§2.4, §10 Q11), animation only for images (§2.1).
        (format!("text_{HELLO},order_1,align_0,interval_9,animation_1"), format!("text_{HELLO}")),
        (format!("image_{PANDA},size_99,color_FF0000,shadow_5,rotate_90,type_ZmFuZ3poZW5na2FpdGk"), format!("image_{PANDA}")),
        (format!("image_{PANDA},order_1,align_0,interval_9"), format!("image_{PANDA}")),
        (format!("image_{PANDA},text_{HELLO},animation_1,align_2,order_0"), format!("image_{PANDA},text_{HELLO}")),
        // Keys in any order, later duplicates win.
        (format!("t_90,image_{PANDA},g_nw,t_80"), format!("image_{PANDA},t_80,g_nw")),
    ];
    for (input, canonical) in &same {
        let w = wm(input).unwrap();
        assert_canonical(&w, canonical);
    }
}

#[test]
fn round_trips_with_everything_set() {
    for args in [
        format!(
            "image_{PANDA},text_{HELLO},type_ZmFuZ3poZW5nc2h1c29uZw,color_12AB0F,size_1000,\
             shadow_100,rotate_359,order_1,align_0,interval_1000,t_0,g_nw,x_4096,y_0,\
             fill_1,padx_4096,pady_1"
        ),
        format!("image_{PANDA},t_1,g_west,x_1,voffset_-1000,animation_1"),
        format!(
            "text_{},g_sw,x_0,y_4096,fill_1",
            b64("水印 ~~~ ?x-oss-process=")
        ),
    ] {
        let w = wm(&args).unwrap();
        let canonical = w.to_string();
        assert_eq!(canonical, args);
        assert_eq!(wm(&canonical).unwrap(), w);
    }
}

fn arg_strategy() -> impl Strategy<Value = Vec<String>> {
    let text = prop::collection::vec(any::<char>(), 1..20)
        .prop_map(|c| c.into_iter().collect::<String>())
        .prop_filter("at most 64 bytes", |s| s.len() <= 64)
        .prop_map(|s| format!("text_{}", b64(&s)));
    let image = "[a-z/._?=]{1,12}".prop_map(|key| format!("image_{}", b64(&key)));
    let font =
        prop::sample::select(Font::ALL.to_vec()).prop_map(|f| format!("type_{}", b64(f.name())));
    let gravity = prop::sample::select(Gravity::ALL.to_vec()).prop_map(|g| format!("g_{g}"));
    let int =
        |key: &'static str, lo: i64, hi: i64| (lo..=hi).prop_map(move |v| format!("{key}_{v}"));
    let color =
        any::<[u8; 3]>().prop_map(|c| format!("color_{:02x}{:02X}{:02x}", c[0], c[1], c[2]));
    (
        prop::option::of(text),
        prop::option::of(image),
        prop::collection::vec(
            prop_oneof![
                font,
                gravity,
                color,
                int("t", 0, 100),
                int("x", 0, 4096),
                int("y", 0, 4096),
                int("voffset", -1000, 1000),
                int("fill", 0, 1),
                int("padx", 0, 4096),
                int("pady", 0, 4096),
                int("animation", 0, 1),
                int("size", 1, 1000),
                int("shadow", 0, 100),
                int("rotate", 0, 360),
                int("order", 0, 1),
                int("align", 0, 2),
                int("interval", 0, 1000),
            ],
            0..8,
        ),
    )
        .prop_filter("text or image", |(t, i, _)| t.is_some() || i.is_some())
        .prop_map(|(t, i, mut rest)| {
            rest.extend(t);
            rest.extend(i);
            rest
        })
        .prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn canonical_form_round_trips(args in arg_strategy()) {
        let w = wm(&args.join(",")).unwrap();
        let canonical = w.to_string();
        let again = wm(&canonical).unwrap();
        prop_assert_eq!(&again, &w);
        prop_assert_eq!(again.to_string(), canonical);
    }
}

// --- kinds, host lists, animation, apply ---------------------------------------------

#[test]
fn what_a_host_must_fetch() {
    let image = wm(&format!("image_{PANDA}")).unwrap();
    assert_eq!(
        (image.object_key(), image.font_name()),
        (Some("panda.png"), None)
    );
    let text = wm(&format!("text_{HELLO}")).unwrap();
    assert_eq!(
        (text.object_key(), text.font_name()),
        (None, Some("wqy-zenhei"))
    );
    let mixed = wm(&format!(
        "image_{PANDA},text_{HELLO},type_ZHJvaWRzYW5zZmFsbGJhY2s"
    ))
    .unwrap();
    assert_eq!(
        (mixed.object_key(), mixed.font_name()),
        (Some("panda.png"), Some("droidsansfallback"))
    );
}

#[test]
fn only_image_marks_with_animation_1_stay_animated() {
    for (args, keeps) in [
        (format!("image_{PANDA},animation_1"), true),
        (format!("image_{PANDA},animation_0"), false),
        (format!("image_{PANDA}"), false),
        (format!("text_{HELLO},animation_1"), false),
        (format!("image_{PANDA},text_{HELLO},animation_1"), false),
    ] {
        assert_eq!(wm(&args).unwrap().keeps_animation(), keeps, "{args}");
    }
}

#[test]
fn unknown_and_bare_arguments() {
    let e = wm(&format!("text_{HELLO},zz_1")).unwrap_err();
    assert_eq!((e.code(), e.ec()), ("InvalidArgument", None));
    let e = wm(&format!("text_{HELLO},P_30")).unwrap_err();
    assert_eq!((e.code(), e.ec()), ("InvalidArgument", None));
    let e = wm(&format!("text_{HELLO},oops")).unwrap_err();
    assert_eq!(e.message(), "Unknown parameter: oops of action: watermark.");
    assert!(lenient(&format!("text_{HELLO},zz_1,oops")).is_ok());
    // A bare `text` is a text without value in both modes.
    for parse in [wm, lenient] {
        let e = parse(&format!("image_{PANDA},text")).unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000258"));
    }
}

#[test]
fn main_relative_resize_only_inside_watermarks() {
    // `P` wins over the other targets, which are ignored (§2.2 [DECISION]).
    let a = wm(&format!(
        "image_{}",
        b64("p.png?x-oss-process=image/resize,w_50,P_30,m_pad")
    ))
    .unwrap();
    let b = wm(&format!(
        "image_{}",
        b64("p.png?x-oss-process=image/resize,P_30")
    ))
    .unwrap();
    assert_eq!(a, b);
    assert_canonical(
        &a,
        &format!("image_{}", b64("p.png?x-oss-process=image/resize,P_30")),
    );
    for bad in ["P_0", "P_101", "P_x"] {
        let image = format!(
            "image_{}",
            b64(&format!("p.png?x-oss-process=image/resize,{bad}"))
        );
        assert_eq!(wm(&image).unwrap_err().code(), "InvalidArgument", "{bad}");
    }
    // In the main chain `P` is an unknown parameter.
    let e = Pipeline::parse("image/resize,P_30", &Options::default()).unwrap_err();
    assert_eq!(e.message(), "Unknown parameter: P of action: resize.");
}
