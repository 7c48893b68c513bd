//! Hostile specs: every nasty string is a typed 400 (never a panic), answered quickly.
//! Timing is measured and printed (`cargo test --release --test hostile_specs -- --nocapture`);
//! only a generous hang guard is asserted, since the machine is shared and noisy.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use ossimg::{Error, Options, Pipeline};

mod common;

/// No single spec may take this long: a hang guard, not a speed claim (an unoptimised
/// build on a loaded 2-core machine gets ten times the time).
const HANG_GUARD: Duration = Duration::from_millis(if cfg!(debug_assertions) { 500 } else { 50 });

/// Parses `spec` (catching panics) and measures how long it took.
fn timed_parse(spec: &str, options: &Options) -> (Result<Pipeline, Error>, Duration) {
    let start = Instant::now();
    let result = std::panic::catch_unwind(|| Pipeline::parse(spec, options))
        .unwrap_or_else(|_| panic!("panic on {:?}", short(spec)));
    (result, start.elapsed())
}

fn short(spec: &str) -> String {
    spec.chars().take(80).collect()
}

/// Collects timings so the test can print max and median per table.
#[derive(Default)]
struct Timings(Vec<Duration>);

impl Timings {
    fn report(mut self, table: &str) {
        self.0.sort();
        let median = self.0.get(self.0.len() / 2).copied().unwrap_or_default();
        let max = self.0.last().copied().unwrap_or_default();
        eprintln!(
            "{table}: {} specs, median {median:?}, max {max:?}",
            self.0.len()
        );
    }
}

/// Asserts a 400 with `code` (and `ec` when given) within the hang guard.
fn assert_rejected(
    spec: &str,
    options: &Options,
    code: &str,
    ec: Option<&str>,
    timings: &mut Timings,
) {
    let (result, took) = timed_parse(spec, options);
    timings.0.push(took);
    assert!(took < HANG_GUARD, "{:?} took {took:?}", short(spec));
    let e = result.expect_err(&short(spec));
    assert_eq!(e.status(), 400, "{:?}: {e}", short(spec));
    assert_eq!(e.code(), code, "{:?}: {e}", short(spec));
    if ec.is_some() {
        assert_eq!(e.ec(), ec, "{:?}: {e}", short(spec));
    }
}

/// (spec, OSS code, EC when the spec names one). Expected codes follow spec/README.md §1
/// and the action files.
fn nasty_strings() -> Vec<(String, &'static str, Option<&'static str>)> {
    let inv = "InvalidArgument";
    let huge = "9".repeat(40);
    let mut table: Vec<(String, &'static str, Option<&'static str>)> = vec![
        // Numbers beyond every integer type, negative where the range is not.
        (format!("image/resize,w_{huge}"), inv, None),
        ("image/resize,w_-1".into(), inv, None),
        ("image/resize,w_4294967296".into(), inv, None),
        ("image/resize,w_18446744073709551616".into(), inv, None),
        ("image/resize,w_-9223372036854775809".into(), inv, None),
        ("image/resize,p_1001".into(), inv, None),
        (
            "image/crop,x_4294967295,y_4294967295,w_4294967295".into(),
            inv,
            None,
        ),
        ("image/crop,w_-2147483648".into(), inv, None),
        ("image/rotate,-1".into(), inv, None),
        (format!("image/rotate,{huge}"), inv, None),
        ("image/bright,101".into(), inv, None),
        ("image/contrast,-9223372036854775808".into(), inv, None),
        ("image/blur,r_51,s_50".into(), inv, None),
        ("image/circle,r_99999999999".into(), inv, None),
        ("image/rounded-corners,r_-5".into(), inv, None),
        ("image/indexcrop,x_0,i_0".into(), inv, None),
        ("image/quality,q_101".into(), inv, None),
        ("image/quality,Q_-1".into(), inv, None),
        ("image/sharpen,401".into(), inv, None),
        // Not numbers at all.
        ("image/resize,w_1e3".into(), inv, None),
        ("image/resize,w_0x10".into(), inv, None),
        ("image/resize,w_+5".into(), inv, None),
        ("image/resize,w_ 5".into(), inv, None),
        ("image/resize,w_".into(), inv, None),
        ("image/resize,w_١٢".into(), inv, None),
        // Broken percent-encoding and invalid UTF-8 after decoding.
        ("image%2Fresize%2Cw_1%".into(), inv, None),
        ("image%2Fresize%2Cw_1%G1".into(), inv, None),
        ("image/resize,w_%FF".into(), inv, None),
        ("image/resize,w_%C3%28".into(), inv, None),
        ("image%2Fresize%2Cw_%2".into(), inv, None),
        // Watermark text and names: invalid base64, and base64 of bytes that are not UTF-8.
        ("image/watermark,text___5B".into(), inv, None),
        ("image/watermark,text_@@@@".into(), inv, None),
        ("image/watermark,text_".into(), inv, None),
        ("image/watermark,image_!!!".into(), inv, None),
        ("image/watermark,text_SGVsbG8,type___5B".into(), inv, None),
        // Structure.
        ("image/".into(), inv, Some("0040-00000212")),
        ("image////".into(), inv, Some("0040-00000212")),
        ("image/nosuch,w_1".into(), inv, Some("0040-00000213")),
        ("image/Resize,w_1".into(), inv, Some("0040-00000213")),
        ("image/resize,w_1,zz_1".into(), inv, None),
        ("image/resize,w_1/info".into(), inv, None),
        ("image/average-hue/resize,w_1".into(), inv, None),
        ("image/info,1".into(), inv, None),
        ("images/resize,w_1".into(), inv, None),
        ("IMAGE/resize,w_1".into(), inv, None),
        ("image\0/resize,w_1".into(), inv, None),
        // Persistence pipes and other processors are out of scope.
        (
            "image/resize,w_1|sys/saveas,o_b3V0LmpwZw,b_YnVja2V0".into(),
            "NotImplemented",
            None,
        ),
        (
            "image/resize,w_1%7Csys%2Fsaveas,o_b3V0".into(),
            "NotImplemented",
            None,
        ),
        ("sys/saveas,o_b3V0LmpwZw".into(), "NotImplemented", None),
        ("video/snapshot,t_0".into(), "NotImplemented", None),
        ("image/format,heic".into(), "NotImplemented", None),
        // More than 3 picture watermarks: WatermarkError per watermark.md §8.
        (
            format!("image{}", "/watermark,image_cGFuZGEucG5n".repeat(4)),
            "WatermarkError",
            Some("0040-00000026"),
        ),
        // Size: a 1 MB spec and 10,000 actions hit the 4,096-byte limit first.
        (
            format!("image/resize,w_1{}", ",w_1".repeat(262_144)),
            inv,
            Some("0017-00000288"),
        ),
        (
            format!("image{}", "/resize,w_1".repeat(10_000)),
            inv,
            Some("0017-00000288"),
        ),
        (
            format!("image{}", "/".repeat(1 << 20)),
            inv,
            Some("0017-00000288"),
        ),
        (
            format!("image/watermark,text_{}", "QUFB".repeat(5_000)),
            inv,
            Some("0017-00000288"),
        ),
    ];
    // Every percent-escape over a short spec: the decoder must never slice past the end.
    for cut in ["%", "%4", "%%", "%%%", "%-1", "%+F"] {
        table.push((format!("image/resize,w_1{cut}"), inv, None));
    }
    table
}

#[test]
fn nasty_strings_are_typed_400s() {
    let options = Options::default();
    let mut timings = Timings::default();
    for (spec, code, ec) in nasty_strings() {
        assert_rejected(&spec, &options, code, ec, &mut timings);
    }
    timings.report("nasty strings");
}

/// With the byte limit lifted, the action limit (64) still binds: 10,000 actions fail
/// without building 10,000 segments' worth of work.
#[test]
fn ten_thousand_actions_hit_the_action_limit() {
    let mut options = Options::default();
    options.rules.max_spec_len = usize::MAX;
    let mut timings = Timings::default();
    let many = format!("image{}", "/resize,w_1".repeat(10_000));
    assert_rejected(&many, &options, "InvalidArgument", None, &mut timings);
    // 20 KB of arguments to one action: linear work, bounded by the byte limit in practice.
    let wide = format!("image/resize,w_1{}", ",zz_1".repeat(4_000));
    assert_rejected(&wide, &options, "InvalidArgument", None, &mut timings);
    timings.report("lifted byte limit");
    // Exactly 64 actions is still accepted (spec/README.md §1.2 rule 13).
    let at_limit = format!("image{}", "/resize,w_1".repeat(64));
    assert!(Pipeline::parse(&at_limit, &options).is_ok());
}

/// Styles: nested, self-referencing, forbidden characters, missing, oversized.
#[test]
fn hostile_styles_are_typed_errors() {
    let styles: HashMap<String, String> = [
        ("nested", "style/inner"),
        ("self", "style/self"),
        ("inner", "image/resize,w_10"),
        ("semicolon", "image/resize,w_10;drop"),
        ("video", "video/snapshot,t_0"),
        ("broken", "image/resize,w_-1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut options = Options::default();
    options.styles = styles;
    options.styles.insert(
        "big".into(),
        format!("image{}", "/resize,w_1".repeat(10_000)),
    );
    let mut timings = Timings::default();
    for (spec, code, ec) in [
        ("style/nested", "InvalidArgument", None),
        ("style/self", "InvalidArgument", None),
        ("style/semicolon", "BadRequest", Some("0017-00000253")),
        ("style/video", "InvalidArgument", None),
        ("style/broken", "InvalidArgument", None),
        ("style/big", "InvalidArgument", None),
        ("style/inner/resize,w_1", "InvalidArgument", None),
        ("style/", "InvalidArgument", Some("0017-00000250")),
        ("style/a;b", "InvalidArgument", Some("0040-00000602")),
        ("style/é", "InvalidArgument", Some("0017-00000251")),
    ] {
        assert_rejected(spec, &options, code, ec, &mut timings);
    }
    let missing = Pipeline::parse(&format!("style/{}", "a".repeat(63)), &options).unwrap_err();
    assert_eq!((missing.code(), missing.status()), ("NoSuchStyle", 404));
    timings.report("styles");
}

/// Each action with valid keyed arguments (from the action files' examples), then with each
/// argument missing, doubled, and doubled after a hostile value (the later one wins,
/// spec/README.md §1.2 rule 6) or before one (the hostile one wins and must be a 400).
const KEYED: &[(&str, &[&str])] = &[
    (
        "resize",
        &["m_pad", "w_100", "h_80", "limit_0", "color_FF0000"],
    ),
    ("resize", &["l_300", "s_200"]),
    ("resize", &["p_50"]),
    ("crop", &["w_100", "h_100", "x_10", "y_10", "g_se"]),
    ("indexcrop", &["x_100", "i_0"]),
    ("circle", &["r_100"]),
    ("rounded-corners", &["r_30"]),
    ("blur", &["r_3", "s_2"]),
    ("quality", &["q_90"]),
    ("quality", &["Q_90"]),
    (
        "watermark",
        &[
            "text_SGVsbG8",
            "type_d3F5LXplbmhlaQ",
            "size_30",
            "color_FFFFFF",
            "shadow_50",
            "rotate_10",
            "fill_0",
            "t_90",
            "g_se",
            "x_10",
            "y_10",
        ],
    ),
    (
        "watermark",
        &["image_cGFuZGEucG5n", "t_90", "g_center", "voffset_-20"],
    ),
];

/// Actions with one bare value: a second value is EC 0040-00000203.
const BARE: &[(&str, &str)] = &[
    ("rotate", "90"),
    ("bright", "50"),
    ("contrast", "-50"),
    ("sharpen", "100"),
    ("format", "png"),
    ("interlace", "1"),
    ("auto-orient", "0"),
];

/// A value no key of any action accepts.
const HOSTILE_VALUE: &str = "-99999999999999999999999";

#[test]
fn every_action_with_every_key_missing_or_doubled() {
    let options = Options::default();
    let mut timings = Timings::default();
    let mut parse = |spec: &str| {
        let (result, took) = timed_parse(spec, &options);
        timings.0.push(took);
        assert!(took < HANG_GUARD, "{spec:?} took {took:?}");
        if let Err(e) = &result {
            assert_eq!(e.status(), 400, "{spec:?}: {e}");
        }
        result
    };
    for (action, args) in KEYED {
        let full = format!("image/{action},{}", args.join(","));
        parse(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
        for (i, arg) in args.iter().enumerate() {
            let mut without = args.to_vec();
            without.remove(i);
            // Missing: accepted with a default, or a typed 400 (checked in `parse`).
            let _ = parse(&format!("image/{action},{}", without.join(",")));
            let doubled = format!("{full},{arg}");
            parse(&doubled).unwrap_or_else(|e| panic!("{doubled}: {e}"));
            let key = arg.split('_').next().unwrap_or_default();
            let hostile = format!("{key}_{HOSTILE_VALUE}");
            let later_wins = format!("image/{action},{hostile},{}", args.join(","));
            parse(&later_wins).unwrap_or_else(|e| panic!("{later_wins}: {e}"));
            let hostile_last = format!("{full},{hostile}");
            let e = parse(&hostile_last).expect_err(&hostile_last);
            assert_eq!(e.code(), "InvalidArgument", "{hostile_last}: {e}");
        }
    }
    for (action, value) in BARE {
        let one = format!("image/{action},{value}");
        parse(&one).unwrap_or_else(|e| panic!("{one}: {e}"));
        let _ = parse(&format!("image/{action}"));
        let doubled = format!("{one},{value}");
        let e = parse(&doubled).expect_err(&doubled);
        assert_eq!(e.ec(), Some("0040-00000203"), "{doubled}: {e}");
        let hostile = format!("image/{action},{HOSTILE_VALUE}");
        let e = parse(&hostile).expect_err(&hostile);
        assert_eq!(e.code(), "InvalidArgument", "{hostile}: {e}");
    }
    for action in ["info", "average-hue"] {
        parse(&format!("image/{action}")).unwrap_or_else(|e| panic!("{action}: {e}"));
        let e = parse(&format!("image/{action},{action}")).expect_err(action);
        assert_eq!(e.code(), "InvalidArgument");
    }
    timings.report("every key missing or doubled");
}

/// The whole `process` entry point gives the same typed 400 as the parser, on a real image.
#[test]
fn process_rejects_before_touching_the_image() {
    let png = common::png(8, 8, false);
    for (spec, code, _) in nasty_strings().into_iter().take(20) {
        let e = ossimg::process(&png, &spec).expect_err(&spec);
        assert_eq!((e.code(), e.status()), (code, 400), "{spec}: {e}");
    }
}
