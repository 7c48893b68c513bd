#![cfg(not(target_arch = "wasm32"))]
//! `Pipeline`'s `Display` is canonical: parsing it gives the same pipeline, printing that
//! gives the same string, and equivalent spellings print the same (a cache key).

use ossimg::Pipeline;
use proptest::prelude::*;

/// One random, mostly valid segment: numbers are drawn over and beyond each range, so some
/// specs fail to parse (proptest rejects; the property is about the ones that parse).
fn segment() -> impl Strategy<Value = String> {
    let n = || 0u32..20_000;
    prop_oneof![
        (
            prop::sample::select(vec!["lfit", "mfit", "fill", "pad", "fixed"]),
            n(),
            n(),
            0u32..2
        )
            .prop_map(|(m, w, h, l)| format!("resize,m_{m},w_{w},h_{h},limit_{l}")),
        (n(), 0u32..1200).prop_map(|(w, p)| format!("resize,w_{w},p_{p},color_00ff00")),
        (n(), n()).prop_map(|(l, s)| format!("resize,s_{s},l_{l}")),
        (0u32..1200).prop_map(|p| format!("resize,p_{p}")),
        (
            n(),
            n(),
            n(),
            prop::sample::select(vec!["nw", "se", "center", "east", "south"])
        )
            .prop_map(|(w, h, x, g)| format!("crop,w_{w},h_{h},x_{x},g_{g}")),
        (0u32..400).prop_map(|a| format!("rotate,{a}")),
        (0u32..120).prop_map(|q| format!("quality,q_{q}")),
        (0u32..120, 0u32..120).prop_map(|(q, bq)| format!("quality,Q_{bq},q_{q}")),
        prop::sample::select(vec!["png", "jpg", "jpeg", "webp", "gif", "bmp", "tiff"])
            .prop_map(|f| format!("format,{f}")),
        (0u32..2).prop_map(|v| format!("interlace,{v}")),
        (0u32..2).prop_map(|v| format!("auto-orient,{v}")),
        (-120i32..120).prop_map(|v| format!("bright,{v}")),
        (-120i32..120).prop_map(|v| format!("contrast,{v}")),
        (0u32..5000).prop_map(|r| format!("circle,r_{r}")),
        (1u32..60, 1u32..60).prop_map(|(r, s)| format!("blur,r_{r},s_{s}")),
        (1u32..5, 0u32..5).prop_map(|(x, i)| format!("indexcrop,x_{x}00,i_{i}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn canonical_form_round_trips(segments in prop::collection::vec(segment(), 1..6)) {
        let spec = format!("image/{}", segments.join("/"));
        let parsed = spec.parse::<Pipeline>();
        // Rejected specs count as proptest rejects; too many of them fail the test.
        prop_assume!(parsed.is_ok());
        let pipeline = parsed.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let canonical = pipeline.to_string();
        let reparsed: Pipeline = canonical.parse().map_err(|e| TestCaseError::fail(format!("{canonical}: {e}")))?;
        prop_assert_eq!(&reparsed, &pipeline, "{} -> {}", spec, canonical);
        prop_assert_eq!(reparsed.to_string(), canonical);
    }
}

#[test]
fn equivalent_spellings_print_the_same() {
    let same = [
        ("image/resize,w_120,h_120,w_240", "image/resize,h_120,w_240"),
        (
            "image/resize,h_100,m_fixed,w_100",
            "image/resize,m_fixed,w_100,h_100",
        ),
        (
            "x-oss-process=image/resize,w_100/",
            "image%2Fresize%2Cw_100",
        ),
        (
            "image/format,jpeg/resize,w_100",
            "image/resize,w_100/format,jpg",
        ),
        (
            "image/format,png/resize,w_1/format,webp",
            "image/resize,w_1/format,webp",
        ),
        ("image/quality,80", "image/quality,Q_80"),
        ("image/quality,q_90,Q_70", "image/quality,Q_70"),
        (
            "image/interlace,1/interlace,0/resize,w_5",
            "image/resize,w_5",
        ),
        (
            "image/auto-orient,0/resize,w_1/auto-orient,1",
            "image/resize,w_1/auto-orient,1",
        ),
        ("image/rotate,360", "image/rotate,0"),
    ];
    for (a, b) in same {
        let (pa, pb): (Pipeline, Pipeline) = (a.parse().unwrap(), b.parse().unwrap());
        assert_eq!(pa.to_string(), pb.to_string(), "{a} vs {b}");
    }
    assert_eq!(
        "image/resize,w_0100,m_lfit/crop,g_nw,w_10"
            .parse::<Pipeline>()
            .unwrap()
            .to_string(),
        "image/resize,w_100/crop,w_10"
    );
}

#[test]
fn chain_rules() {
    let err = |spec: &str| spec.parse::<Pipeline>().unwrap_err();
    assert!("image/info".parse::<Pipeline>().is_ok());
    assert_eq!(
        err("image/resize,s_700,limit_0/info").code(),
        "InvalidArgument"
    );
    assert_eq!(err("image/info/format,png").code(), "InvalidArgument");
    assert!("image/crop,w_100,h_100/average-hue"
        .parse::<Pipeline>()
        .is_ok());
    assert_eq!(
        err("image/average-hue/resize,w_1").code(),
        "InvalidArgument"
    );
    // Settings may precede average-hue but not follow it; the canonical form keeps that.
    let hue = "image/format,webp/crop,w_9,h_9/average-hue";
    let canonical = hue.parse::<Pipeline>().unwrap().to_string();
    assert_eq!(canonical, "image/format,webp/crop,w_9,h_9/average-hue");
    assert_eq!(
        canonical.parse::<Pipeline>().unwrap().to_string(),
        canonical
    );
    assert_eq!(
        err("image/average-hue/format,webp").code(),
        "InvalidArgument"
    );
    let mark = "watermark,image_cGFuZGEucG5n";
    assert!(format!("image/{mark}/{mark}/{mark}")
        .parse::<Pipeline>()
        .is_ok());
    assert_eq!(
        err(&format!("image/{mark}/{mark}/{mark}/{mark}")).ec(),
        Some("0040-00000026")
    );
    let text = "watermark,text_SGVsbG8gV29ybGQ";
    assert!(format!("image/{mark}/{mark}/{mark}/{text}")
        .parse::<Pipeline>()
        .is_ok());
}
