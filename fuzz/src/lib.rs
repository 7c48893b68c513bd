//! What each fuzz target does with one input. Shared by the libFuzzer targets
//! (`fuzz_targets/`) and by `tests/regressions/main.rs`, which replays saved crash inputs
//! through exactly the same code. Each function panics only on a property violation.

use ossimg::{Limits, Options, Output, Pipeline, Result};

/// The spec parser on arbitrary strings: whatever parses prints a canonical form that
/// parses back to the same pipeline and prints the same string, which is returned.
pub fn spec_parse(data: &[u8]) -> Option<String> {
    let spec = std::str::from_utf8(data).ok()?;
    let mut options = Options::default();
    // A stored style so that `style/s` is reachable.
    options
        .styles
        .insert("s".into(), "image/resize,w_10/format,png".into());
    let pipeline = Pipeline::parse(spec, &options).ok()?;
    let canonical = pipeline.to_string();
    let reparsed = Pipeline::parse(&canonical, &options)
        .unwrap_or_else(|e| panic!("{spec:?} -> {canonical:?} does not parse: {e}"));
    assert_eq!(reparsed, pipeline, "{spec:?} -> {canonical:?}");
    assert_eq!(reparsed.to_string(), canonical, "{spec:?}");
    Some(canonical)
}

/// Header probing on arbitrary bytes, then the limit check that reads only its facts.
pub fn probe(data: &[u8]) {
    if let Ok(probe) = ossimg::probe(data) {
        let _ = Limits::oss().check_source(&probe);
    }
}

/// HEIF (HEIC/AVIF) containers and HEIC decoding on arbitrary bytes: probe, `info` (the
/// Exif item), then a decode under the tight limits, and for an image sequence an animated
/// one (WebP). Errors are fine; a probe that succeeds must describe a decode that either
/// fails cleanly (400) or gives its size.
pub fn heif(data: &[u8]) {
    let Ok(probe) = ossimg::probe(data) else {
        return;
    };
    let mut options = Options::default();
    options.limits = tight_limits();
    let _ = ossimg::process_with(data, "image/info", &options);
    match ossimg::process_with(data, "image/format,png", &options) {
        Ok(Output::Image { width, height, .. }) => {
            assert_eq!((width, height), (probe.width, probe.height), "decoded size");
        }
        Ok(_) => panic!("an image spec answered JSON"),
        Err(e) => assert!(e.status() == 400, "{e}"),
    }
    // An image sequence (.avifs) stays animated in WebP: every frame of its tracks.
    if probe.frames > 1 {
        match ossimg::process_with(data, "image/format,webp", &options) {
            Ok(Output::Image { frames, .. }) => assert!(frames <= probe.frames, "{frames} frames"),
            Ok(_) => panic!("an image spec answered JSON"),
            Err(e) => assert!(e.status() == 400, "{e}"),
        }
    }
}

/// The AV1 decode primitive (`codec::heif::av1`) on arbitrary bytes: the first byte is the
/// length of the `av1C` payload that follows (its config OBUs may hold the sequence
/// header), the rest the item's OBUs. A 1 MiB budget (pictures up to about 350 k pixels):
/// a mutated sequence header asks for any size, and decoding a large picture from a few
/// bytes only repeats the same paths ever more slowly. A picture that decodes has a size.
#[cfg(feature = "avif")]
pub fn av1(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (av1c, obus) = rest.split_at(usize::from(n).min(rest.len()));
    if let Ok((w, h)) = ossimg::codec::fuzz_av1_decode(av1c, obus, 1 << 20) {
        assert!(w > 0 && h > 0, "{w}x{h}");
    }
}

/// The specs the pipeline target runs, one per input (its first byte picks).
pub const PIPELINE_SPECS: &[&str] = &[
    "image/resize,w_64",
    "image/resize,m_pad,w_40,h_30,color_FF0000/format,png",
    "image/resize,m_fill,w_33,h_17/format,webp",
    "image/resize,p_150,limit_0/format,gif",
    "image/crop,w_20,h_20,g_se/format,bmp",
    "image/indexcrop,x_10,i_1/format,tiff",
    "image/rotate,37/format,png",
    "image/rotate,90",
    "image/circle,r_20/format,png",
    "image/rounded-corners,r_8/format,webp",
    "image/blur,r_3,s_2/format,jpg/quality,q_80",
    "image/sharpen,100/interlace,1/format,jpg",
    "image/bright,40/contrast,-30",
    "image/auto-orient,1/format,png",
    "image/quality,Q_50/format,webp",
    "image/average-hue",
    "image/info",
    "image/format,png",
];

/// The whole pipeline on arbitrary bytes: the first byte picks a spec, the rest is the
/// image. Errors are fine; panics and allocations beyond the tight limits are not.
pub fn pipeline(data: &[u8]) -> Option<Result<Output>> {
    let (&pick, image) = data.split_first()?;
    let spec = PIPELINE_SPECS.get(usize::from(pick) % PIPELINE_SPECS.len())?;
    let mut options = Options::default();
    options.limits = tight_limits();
    Some(ossimg::process_with(image, spec, &options))
}

/// 64 K pixels in and out (256×256): every code path is reachable and each run is cheap.
pub fn tight_limits() -> Limits {
    let mut limits = Limits::oss();
    limits.max_source_bytes = 1 << 16;
    limits.max_source_side = 4_096;
    limits.max_source_pixels = 1 << 16;
    limits.max_rotate_side = 1_024;
    limits.max_output_side = 1_024;
    limits.max_output_pixels = 1 << 16;
    limits.max_decode_alloc = 4 << 20;
    limits
}
