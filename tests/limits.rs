//! Decompression bombs and over-limit sources fail from their headers, before pixels are
//! allocated: a counting allocator measures the peak heap of each call. Native only: on
//! wasm32 the library installs its own global allocator (src/alloc_budget.rs).
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

mod common;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's `layout` contract is `System.alloc`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above, that is from `System`, with this layout.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak heap growth (bytes) while `f` runs.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A PNG that declares `w×h` RGBA pixels and carries one tiny IDAT.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A baseline JPEG header declaring `w×h`.
fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
    out.extend_from_slice(&h.to_be_bytes());
    out.extend_from_slice(&w.to_be_bytes());
    out.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A GIF whose logical screen is `w×h` with `frames` full-canvas frames of 1 byte each.
fn gif_header(w: u16, h: u16, frames: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&w.to_le_bytes());
    out.extend_from_slice(&h.to_le_bytes());
    out.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    for _ in 0..frames {
        out.push(0x2C);
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&w.to_le_bytes());
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&[0, 2, 2, 0x4C, 0x01, 0]);
    }
    out.push(0x3B);
    out
}

/// Most heap a refused bomb or over-limit source may cost (issue 7: 2 MB).
const BUDGET: usize = 2 * 1024 * 1024;

/// Peak heap of a call under `Limits::workers()` (a 128 MB isolate; see WITHIN_96_MIB).
const WORKERS_PEAK: usize = 96 * 1024 * 1024;

/// One test so that no other test allocates while the peak is measured.
#[test]
fn bombs_fail_before_allocation() {
    let mut cases: Vec<(String, Vec<u8>, &str)> = vec![
        (
            "png 100000×100000".into(),
            png_header(100_000, 100_000),
            "0040-00000009",
        ),
        ("png 30001×1".into(), png_header(30_001, 1), "0040-00000009"),
        (
            "png 20000×20000 (400 M px)".into(),
            png_header(20_000, 20_000),
            "0040-00000012",
        ),
        (
            "jpeg 65500×65500".into(),
            jpeg_header(65_500, 65_500),
            "0040-00000019",
        ),
        (
            "gif 30001×10".into(),
            gif_header(30_001, 10, 1),
            "0040-00000009",
        ),
        (
            "gif 10000×10000 × 3 frames".into(),
            gif_header(10_000, 10_000, 3),
            "0040-00000012",
        ),
    ];
    // Without the corpus, the generated headers above are checked alone.
    if let Some(dir) = common::corpus_or_skip("the corpus's limit files") {
        for (name, ec) in [
            ("limits/made_png_100000x100000_header.png", "0040-00000009"),
            ("limits/made_png_20000x20000_bomb.png", "0040-00000012"),
            ("limits/made_jpeg_65500x65500_header.jpg", "0040-00000019"),
            ("limits/made_gif_30001x10.gif", "0040-00000009"),
            ("limits/made_png_30001x1.png", "0040-00000009"),
            ("limits/made_webp_16384x16384_header.webp", "0040-00000012"),
        ] {
            let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            cases.push((name.into(), bytes, ec));
        }
    }
    for (name, bytes, ec) in cases {
        let (result, peak) = peak_during(|| ossimg::process(&bytes, "image/resize,w_100"));
        let e = result.expect_err(&name);
        assert_eq!(
            (e.code(), e.status(), e.ec()),
            ("ImageTooLarge", 400, Some(ec)),
            "{name}: {e}"
        );
        assert!(peak < BUDGET, "{name}: peak heap {peak} bytes");
        eprintln!("{name}: rejected with peak heap {} KiB", peak / 1024);
    }
    // Within the limits, but far too little data for its size: refused as corrupt before
    // the 900 MB canvas is allocated.
    let bomb = png_header(15_000, 15_000);
    let (result, peak) = peak_during(|| ossimg::process(&bomb, "image/resize,w_100"));
    let e = result.expect_err("15000×15000 PNG with 8 bytes of data");
    assert_eq!(
        (e.code(), e.ec()),
        ("BadRequest", Some("0040-00000005")),
        "{e}"
    );
    assert!(peak < BUDGET, "in-limit PNG bomb: peak heap {peak} bytes");
    eprintln!(
        "in-limit PNG bomb: refused with peak heap {} KiB",
        peak / 1024
    );
    workers_profile_peak();
}

/// Specs that stay within 96 MiB at the largest source `Limits::workers()` accepts:
/// a shrink, a quarter turn (source and result alive at once), and the WebP and GIF
/// encoders. Measured exceptions at 4096×3000 (issue 7 report): a full-size resize
/// (~148 MB), blur ~105 MB and sharpen ~100 MB, and the full-size JPEG (~147 MB; ~160 MB
/// progressive), PNG (~145 MB), TIFF (~140 MB) and BMP (~186 MB) encoders. libwebp's own
/// mallocs are not seen here natively; in wasm (www/test/memory.test.mjs) a WebP with
/// alpha at that size takes ~276 MB.
const WITHIN_96_MIB: &[&str] = &[
    "image/resize,w_300",
    "image/rotate,90/format,webp",
    "image/rounded-corners,r_100/format,gif",
    "image/format,gif",
];

/// The largest sources `Limits::workers()` accepts (12,288,000 px) and a call's peak heap:
/// at most 96 MiB for the specs above. Part of the one test above.
fn workers_profile_peak() {
    let mut options = ossimg::Options::default();
    options.limits = ossimg::Limits::workers();
    let cases = [
        ("jpeg 4096×3000", common::jpeg(4096, 3000, 90)),
        ("png 2000×1500 rgba", common::png(2000, 1500, true)),
    ];
    for (name, bytes) in &cases {
        for spec in WITHIN_96_MIB {
            let (result, peak) = peak_during(|| ossimg::process_with(bytes, spec, &options));
            eprintln!(
                "workers profile, {name} {spec}: peak heap {:.1} MB",
                peak as f64 / 1e6
            );
            result.unwrap_or_else(|e| panic!("{name} {spec}: {e}"));
            assert!(
                peak <= WORKERS_PEAK,
                "{name} {spec}: peak heap {peak} bytes"
            );
        }
    }
    // One pixel row more than the profile accepts: refused from the header.
    let over = png_header(4096, 3001);
    let (result, peak) =
        peak_during(|| ossimg::process_with(&over, "image/resize,w_300", &options));
    assert_eq!(
        result.expect_err("4096×3001 under workers").ec(),
        Some("0040-00000012")
    );
    assert!(
        peak < BUDGET,
        "over the workers profile: peak heap {peak} bytes"
    );
}

/// `Pipeline::admit` (what hosts ask through `checkSource`) decides with the frame choice of
/// the run: a still result decodes one frame of an animation, a kept animation all of them.
#[test]
fn admission_counts_the_frames_the_run_decodes() {
    use ossimg::format::{ImageFormat, Probe};
    use ossimg::{ErrorKind, Options, Pipeline};
    // 100 frames of 1000×1000: 100 M px in all, within OSS's 250 M px; one frame is within
    // the 12,288,000 px a Worker isolate decodes at once, all of them are not.
    let gif = Probe {
        format: ImageFormat::Gif,
        width: 1000,
        height: 1000,
        frames: 100,
        orientation: 1,
        has_alpha: false,
    };
    let mut workers = Options::default();
    workers.limits = ossimg::Limits::workers();
    let admit = |spec: &str, options: &Options| {
        Pipeline::parse(spec, options).unwrap().admit(&gif, options)
    };
    // `format,jpg` and `quality` make the output still (README §6): one frame is decoded.
    assert_eq!(admit("image/format,jpg", &workers).unwrap().frames(), 1);
    assert_eq!(
        admit("image/resize,w_100/quality,q_80", &workers)
            .unwrap()
            .frames(),
        1
    );
    // A resize to GIF keeps the animation: all 100 frames, over the isolate's budget.
    let e = admit("image/resize,w_100", &workers).unwrap_err();
    assert_eq!(
        (e.kind(), e.ec()),
        (ErrorKind::ImageTooLarge, Some("0040-00000012"))
    );
    // Under OSS's own limits the animation fits; `info` decodes nothing at all.
    let oss = Options::default();
    assert_eq!(admit("image/resize,w_100", &oss).unwrap().frames(), 100);
    assert_eq!(admit("image/info", &workers).unwrap().frames(), 0);
    // OSS counts every frame towards 250 M px whatever the output.
    let huge = Probe { frames: 251, ..gif };
    let e = Pipeline::parse("image/format,jpg", &oss)
        .unwrap()
        .admit(&huge, &oss)
        .unwrap_err();
    assert_eq!(e.ec(), Some("0040-00000012"));
}
