//! Profile → sRGB transforms through moxcms, built once per profile and kept in a small
//! cache (a worker instance sees the same few camera and phone profiles over and over).

use std::sync::{Arc, Mutex, PoisonError};

use moxcms::{
    CicpColorPrimaries, CicpProfile, ColorProfile, DataColorSpace, Layout, MatrixCoefficients,
    RenderingIntent, ToneReprCurve, TransferCharacteristics, Transform8BitExecutor,
    TransformF32Executor, TransformOptions,
};

/// Converts pixels from one source profile to sRGB RGBA8 in place.
pub(super) enum ToSrgb {
    /// RGBA in, RGBA out; alpha is kept.
    Rgb(Arc<Transform8BitExecutor>),
    /// CMYK (ink amounts, 4 bytes a pixel) in, opaque RGBA out.
    Cmyk(Box<CmykToSrgb>),
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
            ToSrgb::Cmyk(t) => t.apply(rgba),
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

/// A CMYK profile to sRGB with black point compensation, as libvips converts CMYK (lcms
/// with BPC): the profile's darkest black becomes sRGB black instead of a grey (about 35
/// levels for a press profile). moxcms has no BPC, so the profile goes to linear sRGB in
/// floats (unclipped), the compensation is applied there, and a table encodes the result.
pub(super) struct CmykToSrgb {
    to_linear: Arc<TransformF32Executor>,
    /// BPC in linear sRGB: `rgb' = matrix · rgb − offset`.
    matrix: [[f32; 3]; 3],
    offset: [f32; 3],
}

/// Entries of the linear → sRGB8 table: a fifth of a level apart at the darkest.
const ENCODE_STEPS: usize = 1 << 16;

/// sRGB8 of linear `i / (ENCODE_STEPS − 1)`: built once, shared by every CMYK transform
/// (a profile over the cache's size is rebuilt per picture; this table need not be).
fn encode_table() -> &'static [u8] {
    static TABLE: std::sync::OnceLock<Box<[u8]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..ENCODE_STEPS)
            .map(|i| super::srgb_encode(i as f64 / (ENCODE_STEPS - 1) as f64))
            .collect()
    })
}

/// Linear sRGB → PCS XYZ (D50) and back: sRGB's primaries, Bradford-adapted to D50, as the
/// ICC sRGB profiles state them.
const SRGB_TO_XYZ_D50: [[f64; 3]; 3] = [
    [0.436_074_7, 0.385_064_9, 0.143_080_4],
    [0.222_504_5, 0.716_878_6, 0.060_616_9],
    [0.013_932_2, 0.097_104_5, 0.714_173_3],
];
const XYZ_D50_TO_SRGB: [[f64; 3]; 3] = [
    [3.133_856_1, -1.616_866_7, -0.490_614_6],
    [-0.978_768_4, 1.916_141_5, 0.033_454_0],
    [0.071_945_3, -0.228_991_4, 1.405_242_7],
];
const D50: [f64; 3] = [0.9642, 1.0, 0.8249];

impl CmykToSrgb {
    /// Through moxcms to linear sRGB; lcms' BPC (libvips 8.18, lcms 2.19) with the
    /// profile's black point taken as the colour of full ink on all four channels (no
    /// lighter than Y = 0.18, L* 50): XYZ' = white · (XYZ − black) / (white − black).
    fn new(source: &ColorProfile) -> Option<CmykToSrgb> {
        let mut linear = ColorProfile::new_srgb();
        let identity = Some(ToneReprCurve::Parametric(vec![1.0]));
        (linear.red_trc, linear.green_trc, linear.blue_trc) =
            (identity.clone(), identity.clone(), identity);
        // Its CICP tag would have moxcms use sRGB's curve instead of those.
        linear.cicp = None;
        let to_linear = transform_with(|options| {
            source.create_transform_f32(Layout::Rgba, &linear, Layout::Rgb, options)
        })?;
        let mut black = [0f32; 3];
        to_linear.transform(&[1.0; 4], &mut black).ok()?;
        let mut black = mul(&SRGB_TO_XYZ_D50, black.map(f64::from));
        if black[1] > 0.184_187 {
            let lighten = 0.184_187 / black[1];
            black = black.map(|v| v * lighten);
        }
        let scale: [f64; 3] = std::array::from_fn(|c| D50[c] / (D50[c] - black[c]));
        // matrix = M · S · M⁻¹ and offset = M · S · black, M being XYZ → linear sRGB.
        let mut matrix = [[0f32; 3]; 3];
        for (j, column) in [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
            .into_iter()
            .enumerate()
        {
            let xyz = mul(&SRGB_TO_XYZ_D50, column);
            let rgb = mul(&XYZ_D50_TO_SRGB, std::array::from_fn(|c| xyz[c] * scale[c]));
            for (row, v) in matrix.iter_mut().zip(rgb) {
                row[j] = v as f32;
            }
        }
        let offset = mul(
            &XYZ_D50_TO_SRGB,
            std::array::from_fn(|c| black[c] * scale[c]),
        );
        Some(CmykToSrgb {
            to_linear,
            matrix,
            offset: offset.map(|v| v as f32),
        })
    }

    fn apply(&self, rgba: &mut [u8]) {
        let mut cmyk = vec![0f32; CHUNK_PIXELS * 4];
        let mut rgb = vec![0f32; CHUNK_PIXELS * 3];
        let top = (ENCODE_STEPS - 1) as f32;
        let encode = encode_table();
        for chunk in rgba.chunks_mut(CHUNK_PIXELS * 4) {
            let pixels = chunk.len() / 4;
            let (Some(cmyk), Some(rgb)) = (cmyk.get_mut(..pixels * 4), rgb.get_mut(..pixels * 3))
            else {
                continue;
            };
            cmyk.iter_mut()
                .zip(chunk.iter())
                .for_each(|(ink, &v)| *ink = f32::from(v) / 255.0);
            if self.to_linear.transform(cmyk, rgb).is_err() {
                continue;
            }
            for (px, linear) in chunk.chunks_exact_mut(4).zip(rgb.chunks_exact(3)) {
                let &[r, g, b] = linear else { continue };
                for ((out, row), offset) in px.iter_mut().zip(&self.matrix).zip(self.offset) {
                    let v = row[0] * r + row[1] * g + row[2] * b - offset;
                    let at = (v.clamp(0.0, 1.0) * top + 0.5) as usize;
                    *out = encode.get(at).copied().unwrap_or(u8::MAX);
                }
                if let Some(alpha) = px.get_mut(3) {
                    *alpha = 255;
                }
            }
        }
    }
}

fn mul(m: &[[f64; 3]; 3], v: [f64; 3]) -> [f64; 3] {
    m.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
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
        DataColorSpace::Cmyk => CmykToSrgb::new(&source).map(|t| ToSrgb::Cmyk(Box::new(t))),
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
    transform_with(|options| source.create_transform_8bit(from, &srgb, to, options))
}

/// The first transform `create` makes with the relative colorimetric intent, else the
/// perceptual one (see [`transform`]).
fn transform_with<T: ?Sized, E>(
    create: impl Fn(TransformOptions) -> Result<Arc<T>, E>,
) -> Option<Arc<T>> {
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
        create(options).ok()
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
