//! The patched zune-jpeg (`vendor/zune-jpeg`, PATCHED.md): arithmetic-coded JPEG (SOF9,
//! SOF10, DAC) decodes to exactly the pixels of the same coefficients Huffman-coded, damaged
//! arithmetic data never panics, and damaged Huffman data is decoded as libjpeg-turbo does
//! (a bad code is a zero, a damaged restart interval ends at the next RSTn).

mod common;

use common::{corpus_or_skip, fixture};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

/// zune-jpeg with the settings `src/codec/jpeg_rgba.rs` uses: lenient, RGBA out.
fn zune(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), String> {
    zune_as(bytes, ColorSpace::RGBA)
}

fn zune_as(bytes: &[u8], out: ColorSpace) -> Result<(usize, usize, Vec<u8>), String> {
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .jpeg_set_out_colorspace(out);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let pixels = decoder.decode().map_err(|e| format!("{e:?}"))?;
    let (w, h) = decoder.dimensions().ok_or("no dimensions")?;
    Ok((w, h, pixels))
}

/// Decoded through ossimg's own entry point, as a PNG-less RGBA frame.
fn ossimg_rgba(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let (png, probe) = common::image(bytes, "image/auto-orient,0/format,png");
    let decoded = image::load_from_memory(&png).unwrap().into_rgba8();
    (probe.width, probe.height, decoded.into_raw())
}

/// Arithmetic-coded copies of the committed Huffman fixtures, made losslessly (same
/// coefficients) with libjpeg-turbo 2.1.5's `jpegtran` (LICENSES.md): sequential and
/// progressive, 4:2:0 noise with a restart every 3 MCUs, and a greyscale progressive one.
/// Each must decode to the pixels of its Huffman source.
#[test]
fn arithmetic_coding_decodes_to_the_huffman_coded_pixels() {
    let noisy = zune(&fixture("noisy_rst_baseline.jpg")).unwrap();
    for name in [
        "arith_noisy_rst_sequential.jpg",
        "arith_noisy_rst_progressive.jpg",
    ] {
        let got = zune(&fixture(name)).unwrap();
        assert_eq!((got.0, got.1), (noisy.0, noisy.1), "{name}");
        assert!(
            got.2 == noisy.2,
            "{name}: pixels differ from the Huffman-coded file"
        );
    }
    // Greyscale (`jpegtran -grayscale` keeps the luma coefficients): the luma of the
    // Huffman-coded colour file.
    let luma = zune_as(&fixture("hopper.jpg"), ColorSpace::Luma).unwrap();
    let grey = zune_as(
        &fixture("arith_hopper_grey_progressive.jpg"),
        ColorSpace::Luma,
    )
    .unwrap();
    assert_eq!((grey.0, grey.1), (128, 128));
    assert!(
        grey.2 == luma.2,
        "grey arithmetic file differs from the source's luma"
    );
    // Through the whole pipeline too (jpeg_rgba, then colour, then the PNG encoder).
    let (w, h, px) = ossimg_rgba(&fixture("arith_noisy_rst_progressive.jpg"));
    assert_eq!((w as usize, h as usize), (noisy.0, noisy.1));
    assert!(px == noisy.2);
}

/// The IJG test image, arithmetic-coded with its own DAC conditioning tables, decodes to
/// the pixels of the IJG's Huffman-coded copy of it (corpus).
#[test]
fn ijg_arithmetic_test_image_matches_its_huffman_copy() {
    let Some(dir) = corpus_or_skip("IJG arithmetic test image") else {
        return;
    };
    let read = |name: &str| std::fs::read(dir.join("formats/jpeg").join(name)).unwrap();
    let arith = zune(&read("ijg_testimgari_arithmetic.jpg")).unwrap();
    let huffman = zune(&read("ijg_testimgint.jpg")).unwrap();
    assert_eq!((arith.0, arith.1), (227, 149));
    assert!(arith.2 == huffman.2);
}

/// Damaged arithmetic-coded files (cut anywhere, or one byte overwritten) decode or fail,
/// never panic.
#[test]
fn damaged_arithmetic_data_never_panics() {
    for name in [
        "arith_noisy_rst_sequential.jpg",
        "arith_noisy_rst_progressive.jpg",
        "arith_hopper_grey_progressive.jpg",
    ] {
        let bytes = fixture(name);
        for len in (0..bytes.len()).step_by(97) {
            let _ = zune(&bytes[..len]);
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..300 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut damaged = bytes.clone();
            let at = (seed % bytes.len() as u64) as usize;
            damaged[at] = (seed >> 32) as u8;
            let _ = zune(&damaged);
        }
    }
}

/// Positions of the RSTn markers in `bytes`.
fn restart_markers(bytes: &[u8]) -> Vec<usize> {
    (0..bytes.len().saturating_sub(1))
        .filter(|&i| bytes[i] == 0xFF && (0xD0..=0xD7).contains(&bytes[i + 1]))
        .collect()
}

/// Huffman data made invalid inside one restart interval (0xFF 0x00 pairs: all-one bits,
/// which no Huffman table may use) spoils that interval only: the pixels of the last MCU
/// row, several restart intervals later, are those of the undamaged file. Upstream
/// zune-jpeg stopped at the bad code and filled the rest grey (libjpeg-turbo, and so
/// libvips, resync at the next marker).
#[test]
fn damaged_huffman_interval_ends_at_the_next_restart_marker() {
    let good = fixture("noisy_rst_baseline.jpg");
    let rst = restart_markers(&good);
    assert!(rst.len() > 10);
    let mut bad = good.clone();
    // The middle of the interval after the second marker.
    let (from, to) = (rst[1] + 2, rst[2]);
    let mid = (from + to) / 2;
    for pair in bad[mid..mid + 16].chunks_exact_mut(2) {
        pair.copy_from_slice(&[0xFF, 0x00]);
    }
    let (w, h, good_px) = zune(&good).unwrap();
    let (_, _, bad_px) = zune(&bad).unwrap();
    assert!(good_px != bad_px, "the damage should show");
    // 4:2:0: MCU rows of 16 pixels; the interval damaged is in the first one.
    let last_row = (h - 1) / 16 * 16;
    let from = last_row * w * 4;
    assert!(
        good_px[from..] == bad_px[from..],
        "the last MCU row should be undamaged"
    );
    // And no grey fill: the damaged file's last row is not flat.
    assert!(bad_px[from..]
        .chunks_exact(4)
        .any(|p| p[..3] != [128, 128, 128]));
}

/// The corpus' damaged greyscale JPEG (Pillow's `hopper_bad_exif.jpg`: bad Huffman codes in
/// several of its restart intervals): decoded past the damage, not grey from the first bad
/// code on.
#[test]
fn pillow_bad_scan_decodes_past_the_damage() {
    let Some(dir) = corpus_or_skip("Pillow hopper_bad_exif") else {
        return;
    };
    let bytes = std::fs::read(dir.join("exif/pillow_hopper_bad_exif.jpg")).unwrap();
    let (w, h, px) = zune(&bytes).unwrap();
    assert_eq!((w, h), (500, 500));
    // The bottom 8 rows: upstream left them flat grey 128.
    let bottom = &px[(h - 8) * w * 4..];
    let grey = bottom
        .chunks_exact(4)
        .filter(|p| p[..3] == [128, 128, 128])
        .count();
    assert!(
        grey < bottom.len() / 4 / 2,
        "{grey} grey pixels in the last 8 rows"
    );
}

/// A longer run of the above for a change to the arithmetic decoder (overflow checks on, as
/// in any test build): `OSSIMG_ARITH_MUTATIONS=200000 cargo test --test jpeg_arithmetic --
/// --ignored`. 1 to 8 bytes of each copy overwritten, or inserted 0xFF/marker bytes.
#[test]
#[ignore = "long: run by hand after changing vendor/zune-jpeg/src/arith.rs"]
fn damaged_arithmetic_data_never_panics_long() {
    let runs: u64 = std::env::var("OSSIMG_ARITH_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let files = [
        fixture("arith_noisy_rst_sequential.jpg"),
        fixture("arith_noisy_rst_progressive.jpg"),
        fixture("arith_hopper_grey_progressive.jpg"),
    ];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for run in 0..runs {
        let mut damaged = files[(run % 3) as usize].clone();
        for _ in 0..=next() % 8 {
            let at = (next() % damaged.len() as u64) as usize;
            let byte = match next() % 4 {
                0 => 0xFF,
                1 => 0xC0 + (next() % 64) as u8,
                _ => next() as u8,
            };
            damaged[at] = byte;
        }
        let _ = zune(&damaged);
    }
}

/// One scan per component (sequential, 4:2:0, a restart every 2 blocks: `jpegtran -scans`,
/// lossless) decodes to the pixels of the interleaved source. Upstream zune-jpeg decoded one
/// of the two luma block rows per MCU row and misread the rest (MAD 97 against libvips).
#[test]
fn one_scan_per_component_decodes_as_the_interleaved_file() {
    let interleaved = zune(&fixture("hopper.jpg")).unwrap();
    let per_component = zune(&fixture("hopper_3scans_rst.jpg")).unwrap();
    assert_eq!((per_component.0, per_component.1), (128, 128));
    assert!(per_component.2 == interleaved.2);
}

/// The same file with its luma scan cut short in its last restart interval (the bytes
/// before the next scan's tables removed): that interval decodes from the zeros that follow
/// (libjpeg-turbo: "premature end of data segment"), and the chroma scans exactly as in the
/// undamaged file.
#[test]
fn damage_in_one_scan_stays_in_that_scan() {
    let good = fixture("hopper_3scans_rst.jpg");
    let sos: Vec<usize> = (0..good.len() - 1)
        .filter(|&i| good[i] == 0xFF && good[i + 1] == 0xDA)
        .collect();
    assert_eq!(sos.len(), 3);
    // The first marker after the luma scan's data (a DHT before the second SOS).
    let first_sos_end =
        sos[0] + 2 + usize::from(u16::from_be_bytes([good[sos[0] + 2], good[sos[0] + 3]]));
    let next_marker = (first_sos_end..good.len() - 1)
        .find(|&i| good[i] == 0xFF && good[i + 1] != 0 && !(0xD0..=0xD7).contains(&good[i + 1]))
        .unwrap();
    let last_rst = *restart_markers(&good[..next_marker]).last().unwrap();
    let mut bad = good[..last_rst + 3].to_vec();
    bad.extend_from_slice(&good[next_marker..]);
    let (w, h, good_px) = zune_as(&good, ColorSpace::YCbCr).unwrap();
    let (_, _, bad_px) = zune_as(&bad, ColorSpace::YCbCr).unwrap();
    assert_eq!(good_px.len(), w * h * 3);
    let plane = |px: &[u8], c: usize| px.iter().skip(c).step_by(3).copied().collect::<Vec<u8>>();
    assert!(
        plane(&good_px, 0) != plane(&bad_px, 0),
        "the luma damage should show"
    );
    assert!(
        plane(&good_px, 1) == plane(&bad_px, 1),
        "Cb spoilt by the luma scan's damage"
    );
    assert!(
        plane(&good_px, 2) == plane(&bad_px, 2),
        "Cr spoilt by the luma scan's damage"
    );
}
