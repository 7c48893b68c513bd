//! HEIF containers (ISO/IEC 23008-12): HEIC (HEVC-coded) and AVIF (AV1-coded) images.
//! The container reader (`boxes`, `meta`, `props`, `container`) finds the primary item,
//! its properties (size, transforms, colour, alpha) and its coded data; a codec (`hevc`,
//! `av1`) turns that data into a [`YuvPicture`]; `yuv` makes RGBA8 of it, `transform`
//! applies clap → irot → imir, and `codec::colour` converts to sRGB.

#[cfg(feature = "avif")]
mod av1;
mod boxes;
mod container;
#[cfg(feature = "heic")]
mod hevc;
mod meta;
// A build without any HEIF codec (the lean one) reads containers but makes no pictures.
#[cfg_attr(not(any(feature = "heic", feature = "avif")), allow(dead_code))]
mod picture;
mod props;
#[cfg(feature = "avif")]
mod sequence;
mod transform;
mod yuv;

use std::borrow::Cow;

use container::{Codec, Coded, Primary};
use picture::{Cicp, YuvPicture};
use props::Prop;

use super::colour;

/// The `av1` fuzz target's entry (fuzz/src/lib.rs): the AV1 primitive on arbitrary bytes;
/// `Ok` holds the picture's width and height.
#[cfg(feature = "avif")]
#[doc(hidden)]
pub fn fuzz_av1_decode(av1c: &[u8], data: &[u8], max_bytes: u64) -> Result<(u32, u32)> {
    av1::decode(av1c, data, max_bytes).map(|p| (p.width, p.height))
}

/// Decodes an AV1 item for other modules' tests: width, height, mean luma on 0–255, and
/// the CICP (primaries, transfer, matrix, full range).
#[cfg(all(test, feature = "avif"))]
#[allow(clippy::type_complexity)]
pub(crate) fn av1_decode_for_tests(
    av1c: &[u8],
    data: &[u8],
    max: u64,
) -> Result<(u32, u32, f64, (u8, u8, u8, bool))> {
    let pic = av1::decode(av1c, data, max)?;
    let mean = match &pic.samples {
        picture::Samples::U8(p) => p[0].iter().map(|&v| f64::from(v)).sum::<f64>(),
        picture::Samples::U16(p) => p[0]
            .iter()
            .map(|&v| f64::from(v >> (pic.bit_depth - 8)))
            .sum(),
    } / f64::from(pic.width * pic.height);
    let c = pic.cicp.ok_or_else(|| Error::corrupt("no CICP"))?;
    Ok((
        pic.width,
        pic.height,
        mean,
        (c.primaries, c.transfer, c.matrix, c.full_range),
    ))
}

use crate::error::{Error, Result};
use crate::format::Probe;
use crate::frame::{rgba_len, try_zeroed, Frame, Image};
use crate::limits::Admission;

/// Header facts of a HEIF file: the displayed size (after clap and irot), frames, alpha.
pub(super) struct Facts {
    pub width: u32,
    pub height: u32,
    pub frames: u32,
    pub alpha: bool,
}

/// Reads the container only. A damaged one is a corrupt-image error; a primary image of a
/// kind we do not read (overlay, JPEG-in-HEIF…) is the unsupported-format error.
pub(super) fn facts(bytes: &[u8]) -> Result<Facts> {
    let p = container::read(bytes)?;
    let (width, height) = p.display_size();
    // A sequence is shown from its tracks (`decode_sequence`): its alpha track counts.
    #[cfg(feature = "avif")]
    let sequence_alpha = shown_sequence(bytes, &p, 1).is_some_and(|s| s.alpha.is_some());
    #[cfg(not(feature = "avif"))]
    let sequence_alpha = false;
    Ok(Facts {
        width,
        height,
        frames: p.frames,
        alpha: p.alpha.is_some() || sequence_alpha,
    })
}

/// The primary image's EXIF block (a TIFF structure), if the file has one.
pub(in crate::codec) fn exif(bytes: &[u8]) -> Option<Vec<u8>> {
    let p = container::read(bytes).ok()?;
    p.exif().map(Cow::into_owned)
}

/// Decodes a HEIC or AVIF file into RGBA8 frames: as many as `admission` lets through,
/// within the bytes it granted. The admission counts the displayed size; a clean aperture
/// crops a larger stored picture, which may use more, up to `max_alloc` (the engine's cap
/// for one decode). An image sequence gives its frames, the first alone for a still result.
pub(super) fn decode(
    bytes: &[u8],
    _probe: &Probe,
    admission: &Admission,
    max_alloc: u64,
) -> Result<Image> {
    let p = container::read(bytes)?;
    #[cfg(feature = "avif")]
    if let Some(image) = decode_sequence(bytes, &p, admission)? {
        return Ok(image);
    }
    let (w, h) = (p.image.width, p.image.height);
    let len = rgba_len(w, h)?;
    let budget = if p.clap.is_some() {
        max_alloc
    } else {
        admission.decode_bytes()
    };
    if len as u64 > budget {
        return Err(Error::too_large(
            None,
            format!("decoding {w}x{h} needs more memory than allowed"),
        ));
    }
    let mut canvas = try_zeroed(len)?;
    let colour = decode_coded(&p, &p.image, &mut canvas, Plane::Colour)?;
    if let Some(alpha) = &p.alpha {
        if (alpha.width, alpha.height) == (w, h) {
            decode_coded(&p, alpha, &mut canvas, Plane::Alpha)?;
            let alpha_id = alpha.tiles.first().copied();
            let premultiplied = p
                .meta
                .refs_from(b"prem", p.meta.primary)
                .any(|id| Some(id) == alpha_id);
            if premultiplied {
                yuv::unpremultiply(&mut canvas);
            }
        }
    }
    let mut image = Image::still(Frame::from_rgba(w, h, canvas)?);
    transform::apply(&p, &mut image)?;
    let cicp = p.nclx.or(colour).map(|c| (c.primaries, c.transfer));
    colour::heif_to_srgb(p.icc, cicp, &mut image);
    Ok(image)
}

/// The colour of a picture that states none: unspecified primaries and transfer (shown as
/// sRGB), BT.601 matrix, limited range.
const UNSPECIFIED: Cicp = Cicp {
    primaries: 2,
    transfer: 2,
    matrix: 6,
    full_range: false,
};

/// The first `max_frames` frames of the image sequence an AVIF shows, if any: its tracks,
/// when they have the primary image's displayed size. libavif (and so every browser) shows
/// an `.avifs` from its tracks, not from its still item, which may even lack the alpha the
/// tracks carry (linku_star-10bpc-with-alpha.avifs: its alpha item refers to item 0).
/// Tracks that cannot be read leave the still item to show, as a reader of items only would.
#[cfg(feature = "avif")]
fn shown_sequence<'a>(
    bytes: &'a [u8],
    p: &Primary<'_>,
    max_frames: u32,
) -> Option<sequence::Sequence<'a>> {
    if p.image.codec != Codec::Av1 {
        return None;
    }
    let seq = sequence::read(bytes, max_frames).ok().flatten()?;
    let shown = (seq.colour.width, seq.colour.height) == p.display_size();
    (shown && !seq.colour.samples.is_empty()).then_some(seq)
}

/// The frames of an `.avifs` image sequence, as many as `admission` lets through (the first
/// alone for a still result), or `None` for a file without a shown sequence. Frames take the
/// sequence's own colour (its bitstream's, or the primary's `colr`) and alpha track; OSS
/// keeps animation only in WebP/GIF output.
#[cfg(feature = "avif")]
fn decode_sequence(bytes: &[u8], p: &Primary<'_>, admission: &Admission) -> Result<Option<Image>> {
    let Some(seq) = shown_sequence(bytes, p, admission.frames().max(1)) else {
        return Ok(None);
    };
    let (w, h) = (seq.colour.width, seq.colour.height);
    let len = rgba_len(w, h)?;
    let fits = u64::try_from(len)
        .ok()
        .and_then(|len| len.checked_mul(seq.colour.samples.len() as u64))
        .is_some_and(|total| total <= admission.decode_bytes());
    if !fits {
        return Err(Error::too_large(
            None,
            format!("decoding the frames of a {w}x{h} sequence needs more memory than allowed"),
        ));
    }
    // Bytes of one picture's planes: up to two bytes a sample, padded to coding blocks.
    let max = u64::from(w.saturating_add(64)) * u64::from(h.saturating_add(64)) * 6;
    let mut canvases = Vec::new();
    let mut first_cicp = None;
    av1::decode_sequence(seq.colour.av1c, &seq.colour.samples, max, |_, pic| {
        let cicp = p.nclx.or(pic.cicp).unwrap_or(UNSPECIFIED);
        first_cicp = first_cicp.or(Some(cicp));
        let mut canvas = try_zeroed(len)?;
        yuv::colour_into(&pic, cicp, &mut yuv::Place::whole(&mut canvas, w, h));
        canvases.push(canvas);
        Ok(())
    })?;
    if let Some(alpha) = &seq.alpha {
        av1::decode_sequence(alpha.av1c, &alpha.samples, max, |i, pic| {
            if let Some(canvas) = canvases.get_mut(i) {
                let full_range = pic.cicp.is_some_and(|c| c.full_range);
                yuv::alpha_into(&pic, full_range, &mut yuv::Place::whole(canvas, w, h));
            }
            Ok(())
        })?;
    }
    let frames = canvases
        .into_iter()
        .zip(&seq.colour.delays_ms)
        .map(|(canvas, &delay_ms)| {
            let mut frame = Frame::from_rgba(w, h, canvas)?;
            frame.delay_ms = delay_ms;
            Ok(frame)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut image = Image::animation(frames, crate::frame::LoopCount::Infinite)?;
    let cicp = first_cicp.map(|c| (c.primaries, c.transfer));
    colour::heif_to_srgb(p.icc, cicp, &mut image);
    Ok(Some(image))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Plane {
    Colour,
    Alpha,
}

/// Decodes every tile of `coded` into its place in `canvas` (RGBA8, `coded`'s size) and
/// returns the colour description the first tile's bitstream gave.
fn decode_coded(
    p: &Primary<'_>,
    coded: &Coded,
    canvas: &mut [u8],
    plane: Plane,
) -> Result<Option<Cicp>> {
    let mut first = None;
    let mut left = 0u32;
    let mut top = 0u32;
    let mut row_height = 0u32;
    for (i, &id) in coded.tiles.iter().enumerate() {
        if i > 0 && i % coded.columns as usize == 0 {
            left = 0;
            top = top.saturating_add(row_height);
        }
        let item = p.meta.item(id)?;
        let config = p
            .meta
            .props_of(item)
            .find_map(|prop| match *prop {
                Prop::HvcC(c) if coded.codec == Codec::Hevc => Some(c),
                Prop::Av1C(c) if coded.codec == Codec::Av1 => Some(c),
                _ => None,
            })
            .ok_or_else(|| boxes::corrupt("an image has no codec configuration"))?;
        let (tw, th) = p
            .meta
            .props_of(item)
            .find_map(|prop| match *prop {
                Prop::Ispe(w, h) => Some((w, h)),
                _ => None,
            })
            .unwrap_or((coded.width, coded.height));
        let data = p.meta.data(item)?;
        // The coded picture may be padded to whole coding blocks, not more.
        let max = u64::from(tw.saturating_add(64)) * u64::from(th.saturating_add(64));
        let pic = decode_item(coded.codec, config, &data, max)?;
        let cicp = p.nclx.or(pic.cicp).unwrap_or(UNSPECIFIED);
        first = first.or(Some(cicp));
        let mut place = yuv::Place {
            canvas: &mut *canvas,
            width: coded.width,
            height: coded.height,
            left,
            top,
        };
        match plane {
            Plane::Colour => yuv::colour_into(&pic, cicp, &mut place),
            // An alpha plane's range is its own bitstream's, never the colour's nclx.
            Plane::Alpha => {
                yuv::alpha_into(&pic, pic.cicp.is_some_and(|c| c.full_range), &mut place)
            }
        }
        left = left.saturating_add(pic.width);
        row_height = pic.height;
    }
    Ok(first)
}

/// One coded picture through the codec this build has for it.
fn decode_item(codec: Codec, config: &[u8], data: &[u8], max_samples: u64) -> Result<YuvPicture> {
    match codec {
        #[cfg(feature = "heic")]
        Codec::Hevc => hevc::decode(config, data, max_samples),
        // Bytes: three planes of up to two bytes a sample, chroma at most as large as luma.
        #[cfg(feature = "avif")]
        Codec::Av1 => av1::decode(config, data, max_samples.saturating_mul(6)),
        #[allow(unreachable_patterns)]
        _ => {
            let _ = (config, data, max_samples);
            Err(Error::bad_request(
                Some("0040-00000005"),
                format!(
                    "This build has no {} decoder (ossimg/lean leaves HEIC and AVIF out): use the full build.",
                    codec.name()
                ),
            ))
        }
    }
}
