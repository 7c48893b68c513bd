//! Replays every saved fuzz input in this folder through the fuzz target it came from
//! (`<target>-<what>`, e.g. `pipeline-gif-zero-frame`), with the same code the target runs
//! (`fuzz/src/lib.rs`): each must finish without a panic (typed errors are fine).

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;

#[test]
fn saved_fuzz_inputs_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/regressions") {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let data = std::fs::read(&path).expect("readable input");
        match name.split_once('-').map(|(target, _)| target) {
            Some("spec_parse") => drop(harness::spec_parse(&data)),
            Some("probe") => harness::probe(&data),
            Some("heif") => harness::heif(&data),
            #[cfg(feature = "avif")]
            Some("av1") => harness::av1(&data),
            Some("pipeline") => {
                if let Some(Err(e)) = harness::pipeline(&data) {
                    assert!(matches!(e.status(), 400 | 404), "{name}: {e}");
                }
            }
            _ => continue,
        }
        eprintln!("{name}: ok");
        replayed += 1;
    }
    eprintln!("{replayed} saved inputs replayed");
}

/// The tight fuzzing limits still let a small real image through every spec, so the
/// pipeline target reaches decode, the actions and every encoder.
#[test]
fn harness_accepts_valid_specs_and_images() {
    assert!(harness::spec_parse(b"image/resize,w_100/format,png").is_some());
    assert!(harness::spec_parse(b"image/resize,w_0").is_none());
    let png = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pngsuite_basn6a08.png"),
    )
    .expect("fixture");
    for pick in 0..harness::PIPELINE_SPECS.len() {
        let mut input = vec![u8::try_from(pick).expect("few specs")];
        input.extend_from_slice(&png);
        let spec = harness::PIPELINE_SPECS[pick];
        match harness::pipeline(&input) {
            Some(Ok(_)) => {}
            other => panic!("{spec}: {other:?}"),
        }
    }
}
