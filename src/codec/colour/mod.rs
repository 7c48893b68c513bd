//! Source colour → sRGB, the one place it happens (spec/README.md §2.4, as the team amended
//! it: convert to sRGB, keep no profile). `decode` calls [`to_srgb`] on the decoded frames
//! before any action runs, so every action, `average-hue` and the encoders see sRGB.
//! An untagged picture costs a header walk; an sRGB profile a cache lookup.
//!
//! A codec that states its colour as CICP (HEIF/AVIF nclx) will build its profile with
//! `moxcms::ColorProfile::new_from_cicp` and go through the same cached transforms.

mod embedded;
mod transform;

use std::sync::Arc;

use transform::ToSrgb;

use super::probe::jpeg::jpeg_segments;
use crate::format::ImageFormat;
use crate::frame::Image;

/// The conversion of a decoded picture's RGBA to sRGB, for a caller that applies it later:
/// shrink-on-load applies it after the first resize, as libvips' `thumbnail` does, so it
/// touches a fraction of the pixels.
pub struct SrgbConversion(Arc<ToSrgb>);

impl SrgbConversion {
    pub fn apply(&self, image: &mut Image) {
        image.edit_pixels(|px| self.0.apply(px));
    }
}

/// Converts `image`, decoded from `bytes`, from the profile the file embeds to sRGB.
pub(super) fn to_srgb(bytes: &[u8], format: ImageFormat, image: &mut Image) {
    if let Some(conversion) = conversion(bytes, format) {
        conversion.apply(image);
    }
}

/// What [`to_srgb`] would apply to a picture decoded from `bytes`; `None` for an untagged
/// or sRGB one.
pub(super) fn conversion(bytes: &[u8], format: ImageFormat) -> Option<SrgbConversion> {
    let icc = embedded::icc_profile(bytes, format)?;
    // CMYK pictures are converted from their samples by `cmyk_to_srgb`; one that a
    // decoder already made RGB (a YCCK JPEG) is left as it is. Bytes 16..20: colour space.
    if icc.get(16..20) == Some(b"CMYK".as_slice()) {
        return None;
    }
    transform::for_profile(&icc).map(SrgbConversion)
}

/// Converts a HEIF/AVIF picture to sRGB from the colour its container states: an ICC profile
/// (`colr` of type `prof`/`rICC`) wins, else the CICP primaries and transfer (`colr` nclx or
/// the bitstream's own description). The same cached transforms as embedded profiles.
pub(super) fn heif_to_srgb(icc: Option<&[u8]>, cicp: Option<(u8, u8)>, image: &mut Image) {
    let t = match icc.filter(|p| !p.is_empty() && p.len() <= embedded::MAX_PROFILE) {
        Some(icc) => transform::for_profile(icc),
        None => cicp.and_then(|(primaries, transfer)| transform::for_cicp(primaries, transfer)),
    };
    if let Some(t) = t.filter(|t| !matches!(**t, ToSrgb::Cmyk(_))) {
        image.edit_pixels(|px| t.apply(px));
    }
}

/// The CMYK profile a CMYK picture without one is taken to have: "Chemical proof" (Graeme W.
/// Gill, public domain), the one libvips assumes, cut to its A2B table by
/// `scripts/cmyk-profile.mjs` (54 KB of the original 962 KB).
const DEFAULT_CMYK_PROFILE: &[u8] = include_bytes!("chemical_proof.icc");

/// Turns `samples`, the CMYK of a `format` file as stored (4 bytes a pixel: a JPEG's, or a
/// TIFF's ink amounts), into sRGB RGBA in place, through the embedded CMYK profile or else
/// [`DEFAULT_CMYK_PROFILE`]. Photoshop writes CMYK JPEGs inverted and marks them with an
/// Adobe APP14 segment; like libvips, only those are inverted back.
pub(super) fn cmyk_to_srgb(bytes: &[u8], format: ImageFormat, samples: &mut [u8]) {
    let adobe = format == ImageFormat::Jpeg
        && jpeg_segments(bytes)
            .any(|(marker, data, _)| marker == 0xEE && data.starts_with(b"Adobe"));
    if adobe {
        samples.iter_mut().for_each(|v| *v = 255 - *v);
    }
    let is_cmyk = |t: &Arc<ToSrgb>| matches!(**t, ToSrgb::Cmyk(_));
    let embedded = embedded::icc_profile(bytes, format)
        .and_then(|icc| transform::for_profile(&icc))
        .filter(is_cmyk);
    match embedded.or_else(|| transform::for_profile(DEFAULT_CMYK_PROFILE).filter(is_cmyk)) {
        Some(t) => t.apply(samples),
        // Unreachable with the profile above (a test builds it); ink amounts kept as grey
        // levels would be a negative, so fall back to the textbook formula.
        None => samples.chunks_exact_mut(4).for_each(naive_cmyk),
    }
}

/// sRGB's transfer function on a linear value (clamped to 0..1), to 8 bits.
pub(super) fn srgb_encode(linear: f64) -> u8 {
    let v = linear.clamp(0.0, 1.0);
    let e = if v <= 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    };
    (e * 255.0).round() as u8
}

/// One CMYK pixel (ink amounts) to RGBA without a profile: `R = (255 − C)(255 − K) / 255`.
fn naive_cmyk(px: &mut [u8]) {
    let white = |ink: u8, k: u8| {
        let t = u32::from(255 - ink) * u32::from(255 - k) + 128;
        u8::try_from(((t >> 8) + t) >> 8).unwrap_or(u8::MAX)
    };
    if let [c, m, y, k] = px {
        (*c, *m, *y, *k) = (white(*c, *k), white(*m, *k), white(*y, *k), 255);
    }
}

#[cfg(test)]
mod tests {
    use moxcms::ColorProfile;

    use super::srgb_encode;

    use crate::codec::{decode, encode, probe, EncodeOptions};
    use crate::format::ImageFormat;
    use crate::frame::{Frame, Image};
    use crate::limits::Limits;

    /// A lossless 2×1 PNG of `pixels` carrying `profile` in an iCCP chunk.
    fn tagged_png(pixels: [[u8; 3]; 2], profile: &ColorProfile) -> Vec<u8> {
        let rgba = pixels
            .iter()
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        let image = Image::still(Frame::from_rgba(2, 1, rgba).unwrap());
        let opts = EncodeOptions {
            format: ImageFormat::Png,
            quality: 90,
            progressive: false,
        };
        let png = encode(&image, &opts, &Limits::oss()).unwrap();
        let mut body = b"iCCPtest\0\0".to_vec();
        body.extend(miniz_oxide::deflate::compress_to_vec_zlib(
            &profile.encode().unwrap(),
            6,
        ));
        let mut chunk = u32::try_from(body.len() - 4)
            .unwrap()
            .to_be_bytes()
            .to_vec();
        chunk.extend_from_slice(&body);
        chunk.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
        // After the signature (8) and IHDR (8 + 13 + 4).
        [&png[..33], &chunk, &png[33..]].concat()
    }

    fn decoded(bytes: &[u8]) -> Vec<u8> {
        let p = probe(bytes).unwrap();
        let oss = Limits::oss();
        decode(bytes, &p, &oss, &oss.admit(&p, 1).unwrap())
            .unwrap()
            .first()
            .pixels()
            .to_vec()
    }

    type Matrix = [[f64; 3]; 3];

    /// RGB → XYZ for the primaries' chromaticities and a white point (the usual derivation:
    /// scale each primary's XYZ so that RGB (1, 1, 1) lands on the white).
    fn rgb_to_xyz(primaries: [(f64, f64); 3], white: (f64, f64)) -> Matrix {
        let xyz = |(x, y): (f64, f64)| [x / y, 1.0, (1.0 - x - y) / y];
        let p: Vec<[f64; 3]> = primaries.into_iter().map(xyz).collect();
        let m = [
            [p[0][0], p[1][0], p[2][0]],
            [p[0][1], p[1][1], p[2][1]],
            [p[0][2], p[1][2], p[2][2]],
        ];
        let s = mul(&inverse(&m), xyz(white));
        m.map(|row| [row[0] * s[0], row[1] * s[1], row[2] * s[2]])
    }

    fn mul(m: &Matrix, v: [f64; 3]) -> [f64; 3] {
        m.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
    }

    fn inverse(m: &Matrix) -> Matrix {
        let c = |r: usize, k: usize| {
            let (r1, r2) = ((r + 1) % 3, (r + 2) % 3);
            let (k1, k2) = ((k + 1) % 3, (k + 2) % 3);
            m[r1][k1] * m[r2][k2] - m[r1][k2] * m[r2][k1]
        };
        let det = m[0][0] * c(0, 0) + m[0][1] * c(0, 1) + m[0][2] * c(0, 2);
        [0, 1, 2].map(|r| [0, 1, 2].map(|k| c(k, r) / det))
    }

    fn srgb_decode(v: f64) -> f64 {
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    }

    const D65: (f64, f64) = (0.3127, 0.3290);
    const SRGB: [(f64, f64); 3] = [(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)];

    /// `rgb` in a space with `primaries` (white D65) and transfer `decode_tf`, as sRGB.
    fn expected(rgb: [u8; 3], primaries: [(f64, f64); 3], decode_tf: fn(f64) -> f64) -> [u8; 3] {
        let linear = rgb.map(|v| decode_tf(f64::from(v) / 255.0));
        let to_srgb = inverse(&rgb_to_xyz(SRGB, D65));
        mul(&to_srgb, mul(&rgb_to_xyz(primaries, D65), linear)).map(srgb_encode)
    }

    fn assert_close(got: &[u8], want: [u8; 3], what: &str) {
        let near = got.iter().zip(want).all(|(&g, w)| g.abs_diff(w) <= 2);
        assert!(near, "{what}: got {got:?}, want {want:?} ± 2");
    }

    #[test]
    fn display_p3_converts_by_the_published_primaries() {
        const P3: [(f64, f64); 3] = [(0.680, 0.320), (0.265, 0.690), (0.150, 0.060)];
        let (red, mid) = ([255, 0, 0], [200, 120, 60]);
        let px = decoded(&tagged_png([red, mid], &ColorProfile::new_display_p3()));
        // P3's red lies outside sRGB: clipped to a red brighter than sRGB can show.
        assert_close(&px[..3], expected(red, P3, srgb_decode), "P3 red");
        assert_close(&px[4..7], expected(mid, P3, srgb_decode), "P3 mid colour");
        assert_eq!((px[3], px[7]), (255, 255));
        // The hand-computed value moved: the profile did something.
        assert_ne!(expected(mid, P3, srgb_decode), mid);
    }

    #[test]
    fn adobe_rgb_converts_by_the_published_primaries() {
        const ADOBE: [(f64, f64); 3] = [(0.64, 0.33), (0.21, 0.71), (0.15, 0.06)];
        // Adobe RGB (1998): a pure power law, 563 / 256.
        let adobe_decode = |v: f64| v.powf(563.0 / 256.0);
        let (green, mid) = ([30, 200, 40], [90, 140, 200]);
        let px = decoded(&tagged_png([green, mid], &ColorProfile::new_adobe_rgb()));
        assert_close(
            &px[..3],
            expected(green, ADOBE, adobe_decode),
            "Adobe green",
        );
        assert_close(
            &px[4..7],
            expected(mid, ADOBE, adobe_decode),
            "Adobe mid colour",
        );
    }

    #[test]
    fn a_grey_profile_maps_levels_through_its_curve() {
        // A linear grey profile: stored 128 means half the light, sRGB level 188.
        let linear = ColorProfile::new_gray_with_gamma(1.0);
        let px = decoded(&tagged_png([[128; 3], [0; 3]], &linear));
        let want = srgb_encode(128.0 / 255.0);
        assert_close(&px[..3], [want; 3], "linear grey 128");
        assert_close(&px[4..7], [0; 3], "black");
    }

    #[test]
    fn an_srgb_profile_changes_nothing_and_needs_no_transform() {
        let srgb = ColorProfile::new_srgb().encode().unwrap();
        assert!(super::transform::for_profile(&srgb).is_none());
        let pixels = [[200, 120, 60], [3, 250, 128]];
        let px = decoded(&tagged_png(pixels, &ColorProfile::new_srgb()));
        assert_eq!(px, [200, 120, 60, 255, 3, 250, 128, 255]);
    }

    /// The centre of each 8×8 patch of a 32×16 picture, RGB.
    fn patch_centres(rgba: &[u8]) -> Vec<[u8; 3]> {
        (0..8)
            .map(|i| {
                let at = (((i / 4) * 8 + 4) * 32 + (i % 4) * 8 + 4) * 4;
                [rgba[at], rgba[at + 1], rgba[at + 2]]
            })
            .collect()
    }

    /// Mean absolute difference per channel of two lists of RGB colours.
    fn mad(a: &[[u8; 3]], b: &[[u8; 3]]) -> f64 {
        let sum: u32 = a
            .iter()
            .flatten()
            .zip(b.iter().flatten())
            .map(|(&x, &y)| u32::from(x.abs_diff(y)))
            .sum();
        f64::from(sum) / (a.len() * 3) as f64
    }

    #[test]
    fn a_cmyk_jpeg_converts_through_its_embedded_profile() {
        // An Adobe (inverted) CMYK JPEG with a FOGRA39 profile in four APP2 chunks
        // (tests/fixtures/LICENSES.md). Reference: libvips 8.18.7 (sharp 0.35.5, lcms 2.19)
        // decoding the same file to sRGB, an independent implementation.
        let jpeg = include_bytes!("../../../tests/fixtures/cmyk_fogra39.jpg");
        let libvips = [
            [225, 29, 39],
            [1, 156, 73],
            [33, 72, 145],
            [225, 196, 23],
            [117, 116, 118],
            [255, 255, 255],
            [15, 15, 21],
            [199, 117, 87],
        ];
        let px = decoded(jpeg);
        assert!(px.chunks_exact(4).all(|p| p[3] == 255));
        let ours = patch_centres(&px);
        assert_eq!(ours[5], [255; 3], "paper white");
        // Measured 1.0 with black point compensation (6.3 without: max-ink black 35 instead
        // of lcms' 15); the naive formula is 21 away.
        let (w, h, mut naive) = crate::codec::jpeg_rgba::decode_cmyk(jpeg, 64, 1 << 20)
            .unwrap()
            .unwrap();
        assert_eq!((w, h), (32, 16));
        naive.iter_mut().for_each(|v| *v = 255 - *v);
        naive.chunks_exact_mut(4).for_each(super::naive_cmyk);
        let (profiled, naive) = (mad(&ours, &libvips), mad(&patch_centres(&naive), &libvips));
        assert!(
            profiled <= 2.0 && naive >= 15.0,
            "MAD to libvips: {profiled:.1} with the profile, {naive:.1} naive"
        );
    }

    #[test]
    fn the_default_cmyk_profile_builds() {
        let t = super::transform::for_profile(super::DEFAULT_CMYK_PROFILE);
        assert!(t.is_some_and(|t| matches!(*t, super::ToSrgb::Cmyk(_))));
    }

    #[test]
    fn a_broken_profile_is_ignored() {
        assert!(super::transform::for_profile(b"not a profile").is_none());
        let mut p3 = ColorProfile::new_display_p3().encode().unwrap();
        p3.truncate(p3.len() / 2);
        assert!(super::transform::for_profile(&p3).is_none());
    }
}
