//! The IJG quality (1..=100) a JPEG was most likely saved with, from its luminance
//! quantisation table (spec/quality.md, "Source JPEG quality estimation").

use super::probe::jpeg::{is_sof, jpeg_segments};

/// ISO/IEC 10918-1 Annex K luminance table, natural (row-major) order.
const ANNEX_K_LUMA: [u8; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, //
    12, 12, 14, 19, 26, 58, 60, 55, //
    14, 13, 16, 24, 40, 57, 69, 56, //
    14, 17, 22, 29, 51, 87, 80, 62, //
    18, 22, 37, 56, 68, 109, 103, 77, //
    24, 35, 55, 64, 81, 104, 113, 92, //
    49, 64, 78, 87, 103, 121, 120, 101, //
    72, 92, 95, 98, 112, 100, 103, 99,
];

/// Natural-order index of the k-th coefficient in zigzag order.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// A DQT slot as the file defines it.
#[derive(Clone, Copy)]
enum Table {
    Missing,
    /// 16-bit precision: not comparable with the 8-bit IJG tables.
    Wide,
    /// 8-bit values in natural order.
    Narrow([u16; 64]),
}

/// The estimated quality, or `None` when the file has no usable 8-bit luminance table (the
/// caller then assumes 100).
pub fn estimate_jpeg_quality(bytes: &[u8]) -> Option<u8> {
    if !bytes.starts_with(b"\xFF\xD8") {
        return None;
    }
    let mut tables = [Table::Missing; 4];
    // The table of the first frame component; table 0 when there is no SOF.
    let mut luma = 0usize;
    let mut seen_sof = false;
    for (marker, data, _) in jpeg_segments(bytes) {
        if marker == 0xDB {
            read_dqt(data, &mut tables)?;
        } else if is_sof(marker) && !seen_sof {
            seen_sof = true;
            // precision(1) height(2) width(2) count(1), then id, sampling, table per component
            luma = usize::from(*data.get(8)?);
        }
    }
    match tables.get(luma)? {
        Table::Narrow(table) => Some(best_ijg_quality(table)),
        Table::Missing | Table::Wide => None,
    }
}

/// Stores every table of one DQT segment; `None` when the segment is malformed.
fn read_dqt(mut data: &[u8], tables: &mut [Table; 4]) -> Option<()> {
    while let Some((&pq_tq, rest)) = data.split_first() {
        let slot = tables.get_mut(usize::from(pq_tq & 0x0F))?;
        if pq_tq >> 4 == 0 {
            let values = rest.get(..64)?;
            let mut natural = [0u16; 64];
            for (&v, &n) in values.iter().zip(ZIGZAG.iter()) {
                *natural.get_mut(n)? = u16::from(v);
            }
            *slot = Table::Narrow(natural);
            data = rest.get(64..)?;
        } else {
            *slot = Table::Wide;
            data = rest.get(128..)?;
        }
    }
    Some(())
}

/// The IJG quality whose scaled Annex K table is closest (sum of absolute differences) to
/// `table`; ties go to the higher quality.
fn best_ijg_quality(table: &[u16; 64]) -> u8 {
    let mut best = (u32::MAX, 100u8);
    for quality in 1..=100u8 {
        let scale = ijg_scale(quality);
        let distance: u32 = ANNEX_K_LUMA
            .iter()
            .zip(table.iter())
            .map(|(&std, &actual)| {
                let entry = ((u32::from(std) * scale + 50) / 100).clamp(1, 255);
                entry.abs_diff(u32::from(actual))
            })
            .sum();
        if distance <= best.0 {
            best = (distance, quality);
        }
    }
    best.1
}

/// libjpeg's `jpeg_quality_scaling`, in percent.
fn ijg_scale(quality: u8) -> u32 {
    let q = u32::from(quality);
    if q < 50 {
        5000 / q
    } else {
        200 - 2 * q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_at(quality: u8) -> Vec<u8> {
        let (w, h) = (32u16, 24u16);
        let mut rgb = Vec::new();
        for y in 0..h {
            for x in 0..w {
                rgb.extend_from_slice(&[(x * 8) as u8, (y * 10) as u8, ((x + y) * 3) as u8]);
            }
        }
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
        enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
        enc.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    #[test]
    fn jpeg_encoder_round_trips_exactly() {
        for q in [35, 50, 75, 90, 100] {
            assert_eq!(estimate_jpeg_quality(&jpeg_at(q)), Some(q), "q{q}");
        }
    }

    #[test]
    fn every_ijg_quality_is_recovered_from_its_own_table() {
        // Tables that clamp to the same values (e.g. 1 vs 2, 97..100) resolve upwards.
        for q in 1..=100u8 {
            let scale = ijg_scale(q);
            let mut table = [0u16; 64];
            for (t, &s) in table.iter_mut().zip(ANNEX_K_LUMA.iter()) {
                *t = ((u32::from(s) * scale + 50) / 100).clamp(1, 255) as u16;
            }
            let got = best_ijg_quality(&table);
            let same = (1..=100u8).filter(|&c| {
                let sc = ijg_scale(c);
                ANNEX_K_LUMA
                    .iter()
                    .zip(table.iter())
                    .all(|(&s, &t)| ((u32::from(s) * sc + 50) / 100).clamp(1, 255) as u16 == t)
            });
            assert_eq!(Some(got), same.max(), "q{q}");
        }
    }

    #[test]
    fn sixteen_bit_and_missing_tables_are_unusable() {
        let mut j = b"\xFF\xD8\xFF\xDB\x00\x83\x10".to_vec();
        j.extend_from_slice(&[0, 1].repeat(64));
        j.extend_from_slice(b"\xFF\xDA\x00\x02");
        assert_eq!(estimate_jpeg_quality(&j), None);
        assert_eq!(estimate_jpeg_quality(b"\xFF\xD8\xFF\xD9"), None);
        assert_eq!(estimate_jpeg_quality(b"\x89PNG"), None);
    }

    #[test]
    fn the_first_components_table_is_used() {
        // Table 0 says q10, table 1 says q90; the component uses table 1.
        let table = |id: u8, q: u8| {
            let mut seg = vec![0xFF, 0xDB, 0x00, 0x43, id];
            let scale = ijg_scale(q);
            let mut zz = [0u8; 64];
            for (k, &n) in ZIGZAG.iter().enumerate() {
                zz[k] = ((u32::from(ANNEX_K_LUMA[n]) * scale + 50) / 100).clamp(1, 255) as u8;
            }
            seg.extend_from_slice(&zz);
            seg
        };
        let mut j = b"\xFF\xD8".to_vec();
        j.extend_from_slice(&table(0, 10));
        j.extend_from_slice(&table(1, 90));
        j.extend_from_slice(b"\xFF\xC0\x00\x0B\x08\x00\x01\x00\x01\x01\x01\x11\x01");
        assert_eq!(estimate_jpeg_quality(&j), Some(90));
    }

    #[test]
    fn truncations_never_panic() {
        let j = jpeg_at(80);
        assert_eq!(estimate_jpeg_quality(&j), Some(80));
        for len in 0..j.len() {
            let _ = estimate_jpeg_quality(&j[..len]);
        }
    }
}
