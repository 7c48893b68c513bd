//! A parsed spec and how it runs: admit → decode → orient → actions → encode, or the JSON
//! answer of an end step.

use std::fmt;
use std::str::FromStr;

use crate::codec::{self, EncodeOptions, Shrunk};
use crate::error::{Error, ErrorKind, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::{Frame, Image};
use crate::limits::Admission;
use crate::ops::chain::{parse_steps, Place, Prescaled};
use crate::ops::{self, Chain, Ctx, End, Format, Interlace, Quality, Setting, Step};
use crate::options::Options;
use crate::spec::{lexer, styles};

/// A validated spec: the chain of pixel actions, the end step that answers JSON instead
/// of an image (if any), and the encoder settings (the last occurrence of each wins).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Pipeline {
    /// `auto-orient` and the actions, in order.
    pub chain: Chain,
    /// `info` (alone) or `average-hue` (last).
    pub end: Option<End>,
    pub format: Option<Format>,
    pub quality: Option<Quality>,
    pub interlace: Option<Interlace>,
}

impl Pipeline {
    /// Parses a spec (`image/...`, `x-oss-process=...`, percent-encoded, or `style/<name>`).
    /// An empty spec is not a pipeline: callers return the source unchanged.
    pub fn parse(spec: &str, options: &Options) -> Result<Pipeline> {
        let rules = options.rules;
        if spec.len() > rules.max_spec_len {
            return Err(Error::invalid(
                Some("0017-00000288"),
                format!(
                    "The process parameter is longer than {} bytes.",
                    rules.max_spec_len
                ),
            ));
        }
        let spec = lexer::normalize(spec)?;
        let chain = if spec.starts_with("style/") {
            styles::resolve(&spec, &options.styles)?
        } else {
            &spec
        };
        let steps = parse_steps(chain, rules, Place::Request)?;
        check_chain_rules(&steps)?;
        let mut pipeline = Pipeline::default();
        for step in steps {
            match step {
                Step::Action(action) => pipeline.chain.actions.push(action),
                Step::End(end) => pipeline.end = Some(end),
                Step::Setting(Setting::Format(f)) => pipeline.format = Some(f),
                Step::Setting(Setting::Quality(q)) => pipeline.quality = Some(q),
                // `interlace,0` is the default: stored as absent so equal meanings compare equal.
                Step::Setting(Setting::Interlace(i)) => {
                    pipeline.interlace = i.progressive.then_some(i)
                }
                Step::Setting(Setting::AutoOrient(a)) => pipeline.chain.auto_orient = Some(a),
            }
        }
        Ok(pipeline)
    }

    /// The settings as steps, in canonical order.
    fn settings(&self) -> impl Iterator<Item = Setting> + '_ {
        let auto_orient = self.chain.auto_orient.clone().map(Setting::AutoOrient);
        let format = self.format.clone().map(Setting::Format);
        let quality = self.quality.map(Setting::Quality);
        let interlace = self.interlace.clone().map(Setting::Interlace);
        [auto_orient, format, quality, interlace]
            .into_iter()
            .flatten()
    }

    /// Whether an animated source keeps its frames (README §6).
    fn keeps_animation(&self, output: ImageFormat, options: &Options) -> bool {
        output.can_animate()
            && self.quality.is_none()
            && self.end.is_none()
            && self.chain.keeps_animation(options)
    }

    /// The format the result is written in (format.md): the source format unless
    /// `format` says otherwise, and never GIF for a source that is not a GIF. A source
    /// this build cannot write (HEIC, AVIF without its encoder) becomes JPG when opaque and
    /// PNG when it has alpha (format.md Q3).
    pub fn output_format(&self, source: &Probe) -> ImageFormat {
        let own = match source.format {
            ImageFormat::Heic | ImageFormat::Avif if !codec::can_encode(source.format) => {
                if source.has_alpha {
                    ImageFormat::Png
                } else {
                    ImageFormat::Jpeg
                }
            }
            format => format,
        };
        match self.format.as_ref().map(|f| f.target) {
            Some(ImageFormat::Gif) if source.format != ImageFormat::Gif => own,
            Some(target) => target,
            None => own,
        }
    }

    /// Decides from the header whether this pipeline may run on the source that `probe`
    /// describes, and how many of its frames it decodes: all of them when an animation
    /// stays animated, else the first. Hosts ask it before they fetch a whole object
    /// (`checkSource` in JS) and `run` asks it before decoding, so both decide alike.
    pub fn admit(&self, probe: &Probe, options: &Options) -> Result<Admission> {
        // `info` reads only the header and EXIF: it answers for any source within the
        // byte limit, without decoding (info.md).
        if let Some(End::Info(_)) = self.end {
            return Ok(Admission::HEADER_ONLY);
        }
        let animated = probe.format.has_frames()
            && probe.frames > 1
            && self.keeps_animation(self.output_format(probe), options);
        let frames = if animated { probe.frames } else { 1 };
        options.limits.admit(probe, frames)
    }

    /// Runs the pipeline on `input`, whose header facts are `probe`.
    pub fn run(&self, input: &[u8], probe: &Probe, options: &Options) -> Result<Output> {
        let admission = self.admit(probe, options)?;
        if let Some(End::Info(_)) = self.end {
            return Ok(Output::Json(ops::info::describe(input, probe)));
        }
        let limits = &options.limits;
        let orient = self.chain.orients(options);
        let hint = options
            .shrink_on_load
            .then(|| self.shrink_on_load(probe, orient))
            .flatten();
        let shrunk = match hint {
            Some(min) => codec::decode_shrunk(input, probe, &admission, min)?,
            None => None,
        };
        let (image, prescaled) = match shrunk {
            Some(Shrunk { image, colour }) => {
                let full_size = oriented_size(probe, orient);
                (image, Some(Prescaled { full_size, colour }))
            }
            None => (codec::decode(input, probe, limits, &admission)?, None),
        };
        // The size the actions start from: the source's, upright.
        let decoded_size = match &prescaled {
            Some(prescaled) => prescaled.full_size,
            None if swaps_sides(probe, orient) => (image.height(), image.width()),
            None => (image.width(), image.height()),
        };
        self.finish(image, probe, input, decoded_size, prescaled, options)
    }

    /// The header facts raw RGBA pixels stand for: a still PNG of that size without EXIF,
    /// so the output is PNG by default and the PNG source limits apply.
    pub fn pixels_probe(width: u32, height: u32) -> Probe {
        Probe {
            format: ImageFormat::Png,
            width,
            height,
            frames: 1,
            orientation: 1,
            has_alpha: true,
        }
    }

    /// Runs the pipeline on raw RGBA pixels (a canvas's `ImageData`): no decoding, but the
    /// same admission as a decoded source of that size ([`Pipeline::pixels_probe`]), asked
    /// before the frame is made. `info` needs a file and is refused.
    pub fn run_pixels(
        &self,
        width: u32,
        height: u32,
        rgba: Vec<u8>,
        options: &Options,
    ) -> Result<Output> {
        let probe = Self::pixels_probe(width, height);
        self.admit(&probe, options)?;
        if let Some(End::Info(_)) = self.end {
            return Err(Error::invalid(
                None,
                "info describes an image file, not raw pixels.",
            ));
        }
        let expected = u64::from(width) * u64::from(height) * 4;
        if width == 0 || height == 0 || rgba.len() as u64 != expected {
            return Err(Error::invalid(
                None,
                format!(
                    "raw pixels: {} bytes for {width}x{height} RGBA (expected {expected}).",
                    rgba.len()
                ),
            ));
        }
        let image = Image::still(Frame::from_rgba(width, height, rgba)?);
        self.finish(image, &probe, &[], (width, height), None, options)
    }

    /// The chain, the end step and the encoder on a decoded `image` (`decoded_size`: the
    /// source's size, upright; `input`: the source file, for its JPEG quality).
    fn finish(
        &self,
        image: Image,
        probe: &Probe,
        input: &[u8],
        decoded_size: (u32, u32),
        prescaled: Option<Prescaled>,
        options: &Options,
    ) -> Result<Output> {
        let limits = &options.limits;
        let output_format = self.output_format(probe);
        let mut cx = Ctx {
            image,
            source: probe,
            output_format,
            options,
        };
        self.chain.run(&mut cx, prescaled.as_ref())?;
        if let Some(End::AverageHue(hue)) = &self.end {
            return Ok(Output::Json(hue.answer(&cx.image)));
        }
        let image = cx.image;
        // Output limits bind what the actions produced; a source within the source
        // limits passes through at its own size (spec README §5.2, see the issue note).
        if (image.width(), image.height()) != decoded_size {
            limits.check_output(image.width(), image.height())?;
        }
        let quality = self.encode_quality(input, probe.format, output_format, options);
        let encode = EncodeOptions {
            format: output_format,
            quality,
            progressive: self.interlace.as_ref().is_some_and(|i| i.progressive),
        };
        let bytes = codec::encode(&image, &encode, limits)?;
        Ok(Output::Image {
            bytes,
            format: output_format,
            width: image.width(),
            height: image.height(),
            frames: image.frames().len() as u32,
        })
    }

    /// Shrink-on-load (issue 6): when the chain starts with a resize of a still JPEG, the
    /// size in stored (unrotated) pixels that resize samples the source down to, so the
    /// decoder may decode at a fraction of the size. `None` when it does not apply.
    fn shrink_on_load(&self, probe: &Probe, orient: bool) -> Option<(u32, u32)> {
        let Some(ops::Action::Resize(resize)) = self.chain.actions.first() else {
            return None;
        };
        let turns = orient && (2..=8).contains(&probe.orientation);
        // An explicit auto-orient checks the rotation limit on the decoded size.
        if probe.format != ImageFormat::Jpeg || (turns && self.chain.auto_orient.is_some()) {
            return None;
        }
        let (w, h) = oriented_size(probe, orient);
        let (sw, sh) = resize.plan(w, h, false).sampled_size()?;
        Some(if swaps_sides(probe, orient) {
            (sh, sw)
        } else {
            (sw, sh)
        })
    }

    /// Quality for JPEG / lossy WebP output (quality.md): `q` relative to the source
    /// JPEG's estimated quality, `Q` absolute but never above it, else the default.
    fn encode_quality(
        &self,
        input: &[u8],
        source: ImageFormat,
        output: ImageFormat,
        options: &Options,
    ) -> u8 {
        match &self.quality {
            Some(q) => {
                let source_quality = if source == ImageFormat::Jpeg {
                    codec::estimate_jpeg_quality(input).unwrap_or(100)
                } else {
                    100
                };
                q.output_quality(source_quality)
            }
            None if output == ImageFormat::WebP => options.default_webp_quality,
            None if output == ImageFormat::Avif => options.default_avif_quality,
            None => options.default_jpeg_quality,
        }
    }
}

fn swaps_sides(probe: &Probe, orient: bool) -> bool {
    orient && (5..=8).contains(&probe.orientation)
}

/// The source size after EXIF orientation (when applied): orientations 5–8 swap the sides.
fn oriented_size(probe: &Probe, orient: bool) -> (u32, u32) {
    if swaps_sides(probe, orient) {
        (probe.height, probe.width)
    } else {
        (probe.width, probe.height)
    }
}

/// Rules about the chain as a whole: `info` stands alone (info.md), `average-hue` is last
/// (average-hue.md), at most 3 watermarks carry a picture (watermark.md §5, EC 0026).
fn check_chain_rules(steps: &[Step]) -> Result<()> {
    let info = |s: &Step| matches!(s, Step::End(End::Info(_)));
    if steps.len() > 1 && steps.iter().any(info) {
        return Err(Error::invalid(
            None,
            "The action info cannot be combined with other actions.",
        ));
    }
    let hue = |s: &Step| matches!(s, Step::End(End::AverageHue(_)));
    if let Some(pos) = steps.iter().position(hue) {
        if pos + 1 != steps.len() {
            return Err(Error::invalid(
                None,
                "The action average-hue must be the last action.",
            ));
        }
    }
    let pictures = steps
        .iter()
        .filter(
            |s| matches!(s, Step::Action(ops::Action::Watermark(w)) if w.object_key().is_some()),
        )
        .count();
    if pictures > 3 {
        // watermark.md §8: 0025/26/27 are WatermarkError.
        return Err(Error::new(
            ErrorKind::WatermarkError,
            Some("0040-00000026"),
            "At most 3 image watermarks are allowed in one request.",
        ));
    }
    Ok(())
}

/// Parses with default options (strict, no styles).
impl FromStr for Pipeline {
    type Err = Error;
    fn from_str(spec: &str) -> Result<Self> {
        Pipeline::parse(spec, &Options::default())
    }
}

/// The canonical spec: actions in order, then `auto-orient`, `format`, `quality`,
/// `interlace`. Two specs that mean the same print the same string (a cache key).
/// An end step must stay last, so a chain with one prints the settings first.
impl fmt::Display for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("image")?;
        let actions = &self.chain.actions;
        if actions.is_empty() && self.end.is_none() && self.settings().next().is_none() {
            // A chain that only re-encodes (`image/interlace,0`) still needs one action.
            return f.write_str("/interlace,0");
        }
        if self.end.is_some() {
            self.settings().try_for_each(|s| write!(f, "/{s}"))?;
        }
        for action in actions {
            write!(f, "/{action}")?;
        }
        if let Some(end) = &self.end {
            write!(f, "/{end}")?;
        } else {
            self.settings().try_for_each(|s| write!(f, "/{s}"))?;
        }
        Ok(())
    }
}

/// What `process` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// An encoded image.
    Image {
        bytes: Vec<u8>,
        format: ImageFormat,
        width: u32,
        height: u32,
        frames: u32,
    },
    /// The JSON answer of `info` or `average-hue`.
    Json(String),
    /// No spec was given: serve the source unchanged.
    Original,
}

impl Output {
    pub fn mime(&self) -> &'static str {
        match self {
            Output::Image { format, .. } => format.mime(),
            Output::Json(_) => "application/json",
            Output::Original => "application/octet-stream",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(format: ImageFormat, has_alpha: bool) -> Probe {
        Probe {
            format,
            has_alpha,
            ..Pipeline::pixels_probe(10, 10)
        }
    }

    /// spec README §2.3 and format.md Q3: the source's own format when this build writes it,
    /// else JPG for an opaque picture and PNG for one with alpha.
    #[test]
    fn heif_sources_default_to_a_format_this_build_writes() {
        let pipeline: Pipeline = "image/resize,w_5".parse().unwrap();
        let out = |format, alpha| pipeline.output_format(&source(format, alpha));
        assert_eq!(out(ImageFormat::Heic, false), ImageFormat::Jpeg);
        assert_eq!(out(ImageFormat::Heic, true), ImageFormat::Png);
        let avif = if cfg!(feature = "avif") {
            [ImageFormat::Avif, ImageFormat::Avif]
        } else {
            [ImageFormat::Jpeg, ImageFormat::Png]
        };
        assert_eq!(
            [out(ImageFormat::Avif, false), out(ImageFormat::Avif, true)],
            avif
        );
        let jpg: Pipeline = "image/format,jpg".parse().unwrap();
        assert_eq!(
            jpg.output_format(&source(ImageFormat::Avif, true)),
            ImageFormat::Jpeg
        );
    }
}
