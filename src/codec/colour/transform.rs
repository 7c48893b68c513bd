//! Profile → sRGB transforms through moxcms, built once per profile and kept in a small
//! cache (a worker instance sees the same few camera and phone profiles over and over).

use std::sync::{Arc, Mutex, PoisonError};

use moxcms::{
    CicpColorPrimaries, CicpProfile, ColorProfile, DataColorSpace, Layout, MatrixCoefficients,
    RenderingIntent, TransferCharacteristics, Transform8BitExecutor, TransformOptions,
};

/// Converts pixels from one source profile to sRGB RGBA8 in place.
pub(super) enum ToSrgb {
    /// RGBA in, RGBA out; alpha is kept.
    Rgb(Arc<Transform8BitExecutor>),
    /// CMYK (ink amounts, 4 bytes a pixel) in, opaque RGBA out.
    Cmyk(Arc<Transform8BitExecutor>),
    /// A grey profile: one curve per output channel, indexed by the grey level (the decoders
    /// give grey pictures as R = G = B).
    Grey(Box<[[u8; 3]; 256]>),
}

/// Pixels per transform call: the scratch buffer stays small instead of a second frame.
const CHUNK_PIXELS: usize = 4096;

impl ToSrgb {
    pub(super) fn apply(&self, rgba: &mut [u8]) {
        match self {
            ToSrgb::Rgb(t) => {
                let mut scratch = [0u8; CHUNK_PIXELS * 4];
                for chunk in rgba.chunks_mut(CHUNK_PIXELS * 4) {
                    if let Some(out) = scratch.get_mut(..chunk.len()) {
                        // Fails only on a length that is no multiple of 4, which a frame never has.
                        if t.transform(chunk, out).is_ok() {
                            chunk.copy_from_slice(out);
                        }
                    }
                }
            }
            ToSrgb::Cmyk(t) => {
                let mut scratch = [0u8; CHUNK_PIXELS * 3];
                for chunk in rgba.chunks_mut(CHUNK_PIXELS * 4) {
                    let Some(out) = scratch.get_mut(..chunk.len() / 4 * 3) else {
                        continue;
                    };
                    if t.transform(chunk, out).is_ok() {
                        for (px, rgb) in chunk.chunks_exact_mut(4).zip(out.chunks_exact(3)) {
                            if let ([r, g, b, a], [pr, pg, pb]) = (px, rgb) {
                                (*r, *g, *b, *a) = (*pr, *pg, *pb, 255);
                            }
                        }
                    }
                }
            }
            ToSrgb::Grey(lut) => {
                for px in rgba.chunks_exact_mut(4) {
                    if let [r, g, b, _] = px {
                        let [lr, lg, lb] = lut[usize::from(*r)];
                        (*r, *g, *b) = (lr, lg, lb);
                    }
                }
            }
        }
    }
}

/// Profiles remembered, most recent first; bytes are compared in full, never by a hash.
const CACHE_ENTRIES: usize = 4;
/// Larger profiles (LUT-based ones) are rebuilt per picture rather than held.
const CACHE_MAX_PROFILE: usize = 64 << 10;

type Entry = (Vec<u8>, Option<Arc<ToSrgb>>);
static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// The transform for an embedded profile; `None` when there is nothing to do (an sRGB
/// profile) or nothing we can do (unreadable, or a colour model the decoded RGBA cannot
/// carry): the pixels are then taken as sRGB, as libvips does with a broken profile.
pub(super) fn for_profile(icc: &[u8]) -> Option<Arc<ToSrgb>> {
    cached(icc, icc.len() <= CACHE_MAX_PROFILE, || build(icc))
}

/// The transform cached under `key` (most recently used first), else `make`'s, kept when
/// `keep` says the key is small enough.
fn cached(key: &[u8], keep: bool, make: impl FnOnce() -> Option<ToSrgb>) -> Option<Arc<ToSrgb>> {
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(at) = cache.iter().position(|(k, _)| k.as_slice() == key) {
        let entry = cache.remove(at);
        let found = entry.1.clone();
        cache.insert(0, entry);
        return found;
    }
    let built = make().map(Arc::new);
    if keep {
        cache.truncate(CACHE_ENTRIES - 1);
        cache.insert(0, (key.to_vec(), built.clone()));
    }
    built
}

/// The transform for a colour stated as CICP primaries and transfer (HEIF/AVIF `nclx`),
/// cached like a profile under a key no ICC profile can have (a profile is ≥ 128 bytes).
/// `None` for sRGB and BT.709 primaries with an sRGB-like transfer, and for code points
/// moxcms cannot build (then the pixels are taken as sRGB, as for a broken profile).
pub(super) fn for_cicp(primaries: u8, transfer: u8) -> Option<Arc<ToSrgb>> {
    // The SDR video transfers (BT.709, BT.601, BT.2020, unspecified) are shown as sRGB, as
    // libheif, libvips and browsers show them: their OETF inverted would be scene light,
    // several levels brighter than what every viewer displays.
    let transfer = if matches!(transfer, 1 | 2 | 6 | 14 | 15) {
        13
    } else {
        transfer
    };
    if matches!(primaries, 1 | 2) && transfer == 13 {
        return None;
    }
    let key = [b'c', b'i', b'c', b'p', primaries, transfer];
    cached(&key, true, || build_cicp(primaries, transfer))
}

fn build_cicp(primaries: u8, transfer: u8) -> Option<ToSrgb> {
    let cicp = CicpProfile {
        color_primaries: CicpColorPrimaries::try_from(primaries).ok()?,
        transfer_characteristics: TransferCharacteristics::try_from(transfer).ok()?,
        matrix_coefficients: MatrixCoefficients::Bt709,
        full_range: true,
    };
    let source = ColorProfile::new_from_cicp(cicp);
    let t = transform(&source, Layout::Rgba, Layout::Rgba)?;
    (!is_identity(t.as_ref())).then_some(ToSrgb::Rgb(t))
}

fn build(icc: &[u8]) -> Option<ToSrgb> {
    let source = ColorProfile::new_from_slice(icc).ok()?;
    match source.color_space {
        DataColorSpace::Rgb => {
            let t = transform(&source, Layout::Rgba, Layout::Rgba)?;
            (!is_identity(t.as_ref())).then_some(ToSrgb::Rgb(t))
        }
        // moxcms reads CMYK with the RGBA layout.
        DataColorSpace::Cmyk => transform(&source, Layout::Rgba, Layout::Rgb).map(ToSrgb::Cmyk),
        DataColorSpace::Gray => {
            let t = transform(&source, Layout::Gray, Layout::Rgb)?;
            let ramp: Vec<u8> = (0..=255).collect();
            let mut rgb = [0u8; 256 * 3];
            t.transform(&ramp, &mut rgb).ok()?;
            let mut lut = Box::new([[0u8; 3]; 256]);
            for (entry, px) in lut.iter_mut().zip(rgb.chunks_exact(3)) {
                entry.copy_from_slice(px);
            }
            let identity = lut
                .iter()
                .zip(0u8..=255)
                .all(|(px, v)| px.iter().all(|&c| c.abs_diff(v) <= 1));
            (!identity).then_some(ToSrgb::Grey(lut))
        }
        _ => None,
    }
}

/// `source` → sRGB with the relative colorimetric intent, as libvips converts; a LUT
/// profile without that table falls back to its perceptual one (A2B0), as the ICC
/// specification and lcms do. Matrix-shaper profiles (nearly every camera and phone
/// profile) serve every intent alike.
fn transform(
    source: &ColorProfile,
    from: Layout,
    to: Layout,
) -> Option<Arc<Transform8BitExecutor>> {
    let srgb = ColorProfile::new_srgb();
    [
        RenderingIntent::RelativeColorimetric,
        RenderingIntent::Perceptual,
    ]
    .into_iter()
    .find_map(|rendering_intent| {
        let options = TransformOptions {
            rendering_intent,
            ..TransformOptions::default()
        };
        source.create_transform_8bit(from, &srgb, to, options).ok()
    })
}

/// True when `t` leaves every colour of a 9×9×9 grid within one level: an sRGB profile
/// under another name or with a slightly different encoding, which needs no pixel pass.
fn is_identity(t: &Transform8BitExecutor) -> bool {
    const STEPS: [u8; 9] = [0, 32, 64, 96, 128, 160, 192, 224, 255];
    let mut grid = Vec::with_capacity(STEPS.len().pow(3) * 4);
    for r in STEPS {
        for g in STEPS {
            for b in STEPS {
                grid.extend_from_slice(&[r, g, b, 255]);
            }
        }
    }
    let mut out = vec![0u8; grid.len()];
    t.transform(&grid, &mut out).is_ok() && grid.iter().zip(&out).all(|(a, b)| a.abs_diff(*b) <= 1)
}
