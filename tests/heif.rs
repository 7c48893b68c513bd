//! HEIC through the whole pipeline on a committed fixture (no corpus needed): the primary
//! image (not the first one stored), its pixels against libheif's, `info`, the default
//! output format (format.md Q3), and hostile variants of the file.

mod common;

use common::{fixture, rgba};
use ossimg::{ErrorKind, ImageFormat, Output};

#[cfg(feature = "heic")]
#[test]
fn zpug_primary_matches_libheif() {
    let heic = fixture("pillowheif_zPug_3.heic");
    let ours = rgba(&match ossimg::process(&heic, "image/format,png").unwrap() {
        Output::Image { bytes, .. } => bytes,
        other => panic!("{other:?}"),
    });
    let reference = rgba(&fixture("pillowheif_zPug_3.libheif.png"));
    assert_eq!(ours.dimensions(), reference.dimensions());
    let diff: u64 = ours
        .pixels()
        .zip(reference.pixels())
        .flat_map(|(a, b)| (0..3).map(move |c| u64::from(a.0[c].abs_diff(b.0[c]))))
        .sum();
    let mad = diff as f64 / (64.0 * 64.0 * 3.0);
    assert!(mad <= 1.0, "mean abs diff {mad} against libheif");
}

#[cfg(feature = "heic")]
#[test]
fn heic_default_output_is_jpeg_when_opaque() {
    let heic = fixture("pillowheif_zPug_3.heic");
    match ossimg::process(&heic, "image/resize,w_32").unwrap() {
        Output::Image { format, width, .. } => {
            assert_eq!((format, width), (ImageFormat::Jpeg, 32));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn heic_info_reads_the_header() {
    let heic = fixture("pillowheif_zPug_3.heic");
    let Output::Json(json) = ossimg::process(&heic, "image/info").unwrap() else {
        panic!("info answers JSON");
    };
    assert!(json.contains(r#""Format":{"value":"heic"}"#), "{json}");
    assert!(json.contains(r#""ImageWidth":{"value":"64"}"#), "{json}");
}

#[test]
fn damaged_heic_is_a_clean_400() {
    let heic = fixture("pillowheif_zPug_3.heic");
    for len in (0..heic.len()).step_by(97) {
        if let Err(e) = ossimg::process(&heic[..len], "image/format,png") {
            assert_eq!(e.status(), 400, "{len}: {e}");
            assert!(matches!(
                e.kind(),
                ErrorKind::BadRequest | ErrorKind::ImageTooLarge
            ));
        }
    }
    for at in (0..heic.len()).step_by(13) {
        let mut bad = heic.clone();
        bad[at] ^= 0x5A;
        if let Err(e) = ossimg::process(&bad, "image/resize,w_16") {
            assert_eq!(e.status(), 400, "byte {at}: {e}");
        }
    }
}

/// link-u's kimono files (corpus, CC-BY-SA, not committed): every transformed copy must
/// display as `linku_kimono.png` once the container's `irot` / `imir` are applied. The
/// AVIFs are lossy, so "the same" is a small MAD, far below a wrong turn or flip.
#[test]
fn kimono_transforms_display_as_the_original() {
    let Some(dir) = common::corpus_or_skip("kimono transforms") else {
        return;
    };
    let avif = dir.join("formats/avif");
    let original = common::rgba(&std::fs::read(avif.join("linku_kimono.png")).unwrap());
    for name in [
        "linku_kimono.rotate90.avif",
        "linku_kimono.mirror-horizontal.avif",
    ] {
        let bytes = std::fs::read(avif.join(name)).unwrap();
        let (png, ..) = common::image(&bytes, "image/format,png");
        let ours = common::rgba(&png);
        assert_eq!(ours.dimensions(), original.dimensions(), "{name}");
        let mut sum = 0f64;
        for (a, b) in ours.pixels().zip(original.pixels()) {
            for c in 0..3 {
                sum += (f64::from(a[c]) - f64::from(b[c])).abs();
            }
        }
        let mad = sum / (f64::from(ours.width() * ours.height()) * 3.0);
        assert!(mad < 6.0, "{name}: MAD {mad:.2} against linku_kimono.png");
    }
}
