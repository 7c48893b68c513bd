//! The CLI's batch mode (`ossimg batch <dir> <spec> -o <outdir>`): every file processed,
//! over-limit sources copied unchanged (fallback), failures listed with their reason.
//! Needs the `cli` feature: `cargo test --features cli --test cli_batch`.
#![cfg(feature = "cli")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::fixture;

/// A fresh, empty folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// kodim23.png's header declaring a 40,000 px wide image: over OSS's 30,000 px side limit.
fn over_limit_png() -> Vec<u8> {
    let mut png = fixture("kodim23.png");
    png.truncate(4096);
    png[16..20].copy_from_slice(&40_000u32.to_be_bytes());
    png
}

fn run_batch(input: &Path, spec: &str, output: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ossimg"))
        .arg("batch")
        .arg(input)
        .arg(spec)
        .arg("-o")
        .arg(output)
        .output()
        .expect("run the CLI");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn batch_processes_falls_back_and_reports_failures() {
    let input = scratch("batch-in");
    let output = scratch("batch-out");
    std::fs::write(input.join("hopper.jpg"), fixture("hopper.jpg")).unwrap();
    std::fs::write(input.join("kodim23.png"), fixture("kodim23.png")).unwrap();
    std::fs::write(input.join("wide.png"), over_limit_png()).unwrap();
    std::fs::write(input.join("notes.txt"), b"not an image").unwrap();

    let (ok, stderr) = run_batch(&input, "image/resize,w_50/format,webp", &output);
    assert!(
        !ok,
        "a failed file makes the exit status non-zero\n{stderr}"
    );
    assert!(
        stderr.contains("2 done, 1 fallback (original copied), 1 failed, of 4 file(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fallback wide.png: ImageTooLarge"),
        "{stderr}"
    );
    assert!(
        stderr.contains("failed   notes.txt: BadRequest"),
        "{stderr}"
    );
    for name in ["hopper.webp", "kodim23.webp"] {
        let bytes = std::fs::read(output.join(name)).expect(name);
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
        let probe = ossimg::probe(&bytes).unwrap();
        assert_eq!(probe.width, 50, "{name}");
    }
    assert_eq!(
        std::fs::read(output.join("wide.png")).unwrap(),
        over_limit_png(),
        "the fallback is the original, unchanged"
    );
    assert!(!output.join("notes.webp").exists());
    assert!(!output.join("notes.txt").exists());
}

#[test]
fn batch_without_failures_succeeds_and_bad_spec_stops_early() {
    let input = scratch("batch-ok-in");
    let output = scratch("batch-ok-out");
    std::fs::write(input.join("a.jpg"), fixture("hopper.jpg")).unwrap();
    let (ok, stderr) = run_batch(&input, "image/info", &output);
    assert!(ok, "{stderr}");
    let json = std::fs::read_to_string(output.join("a.json")).unwrap();
    assert!(json.contains("\"ImageWidth\""), "{json}");

    let (ok, stderr) = run_batch(&input, "image/resize,w_0", &scratch("batch-bad-out"));
    assert!(!ok);
    assert!(stderr.contains("InvalidArgument"), "{stderr}");
}
