//! A parsed chain and how it runs: probe → limits → decode → orient → actions → encode.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::codec::{self, EncodeOptions, Frames};
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::ops::{self, AutoOrient, Ctx, Format, Interlace, Quality, Setting, Step};
use crate::spec::{lexer, styles};
use crate::Limits;

/// Everything a call may configure besides the spec.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    pub limits: Limits,
    /// Style registry: name → `image/...` content.
    pub styles: HashMap<String, String>,
    /// Watermark images by object key (the host fetches them from the same bucket).
    pub objects: HashMap<String, Vec<u8>>,
    /// Asked for a watermark picture that `objects` lacks; `None` (or no answer) is
    /// EC 0040-00000025.
    pub object_resolver: Option<ObjectResolver>,
    /// Font files (TrueType/OpenType, a collection gives its first face) by OSS font name
    /// (e.g. `wqy-zenhei`), plus the default faces `wqy-microhei` and `dejavu-sans` that
    /// `scripts/fonts.sh` builds. A text mark draws with its font's fallback chain
    /// (fonts.md §4) restricted to these; an absent requested font falls back to
    /// `wqy-microhei`; none at all is a 500 error.
    pub fonts: HashMap<String, Vec<u8>>,
    /// Reject unknown parameter keys (README rule 12); `false` ignores them.
    pub strict_unknown_params: bool,
    pub max_spec_len: usize,
    pub max_actions: usize,
    /// JPEG quality when the chain has no `quality` action.
    pub default_jpeg_quality: u8,
    /// WebP quality when the chain has no `quality` action.
    pub default_webp_quality: u8,
    /// Apply the EXIF orientation when the chain has no `auto-orient`.
    pub default_auto_orient: bool,
    /// `rotate` makes an animation static, as the vendor's rotate page says (README G5);
    /// off by default: the general limits page keeps the animation.
    pub compat_static_gif_rotate: bool,
    /// Check `rotate`'s 4,096 px limit on the image at that step instead of the source
    /// object (rotate.md Q1).
    pub lenient_rotate_limit: bool,
    /// Decode a JPEG at 1/2, 1/4 or 1/8 scale when the chain's first resize shrinks it
    /// that much anyway (same output size, near-identical pixels, far less time and memory).
    pub shrink_on_load: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::oss(),
            styles: HashMap::new(),
            objects: HashMap::new(),
            object_resolver: None,
            fonts: HashMap::new(),
            strict_unknown_params: true,
            max_spec_len: 4096,
            max_actions: 64,
            default_jpeg_quality: 90,
            default_webp_quality: 85,
            default_auto_orient: true,
            compat_static_gif_rotate: false,
            lenient_rotate_limit: false,
            shrink_on_load: true,
        }
    }
}

/// Fetches a watermark picture by its exact object key (watermark.md §9), so that a Rust
/// host can load pictures on demand instead of filling `Options::objects` up front.
#[derive(Clone)]
pub struct ObjectResolver(pub Arc<FetchObject>);

/// What an [`ObjectResolver`] calls: the object key in, the bytes (or nothing) out.
/// `RefUnwindSafe` keeps `Options` usable across `catch_unwind`.
pub type FetchObject = dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync + std::panic::RefUnwindSafe;

impl fmt::Debug for ObjectResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ObjectResolver(..)")
    }
}

/// A validated chain: pixel actions in order plus the position-independent settings
/// (the last occurrence of each wins).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Pipeline {
    pub actions: Vec<ops::Action>,
    pub format: Option<Format>,
    pub quality: Option<Quality>,
    pub interlace: Option<Interlace>,
    /// `None` when the chain does not mention `auto-orient` (the default applies).
    pub auto_orient: Option<AutoOrient>,
}

impl Pipeline {
    /// Parses a spec (`image/...`, `x-oss-process=...`, percent-encoded, or `style/<name>`).
    /// An empty spec is not a pipeline: callers return the source unchanged.
    pub fn parse(spec: &str, options: &Options) -> Result<Pipeline> {
        if spec.len() > options.max_spec_len {
            return Err(Error::invalid(
                Some("0017-00000288"),
                format!(
                    "The process parameter is longer than {} bytes.",
                    options.max_spec_len
                ),
            ));
        }
        let spec = lexer::normalize(spec)?;
        let chain = if spec.starts_with("style/") {
            styles::resolve(&spec, &options.styles)?
        } else {
            &spec
        };
        let steps = lexer::parse_chain(chain, options.max_actions)?
            .iter()
            .map(|segment| ops::parse_step(segment, options.strict_unknown_params))
            .collect::<Result<Vec<Step>>>()?;
        check_chain_rules(&steps)?;
        let mut pipeline = Pipeline::default();
        for step in steps {
            match step {
                Step::Action(action) => pipeline.actions.push(action),
                Step::Setting(Setting::Format(f)) => pipeline.format = Some(f),
                Step::Setting(Setting::Quality(q)) => pipeline.quality = Some(q),
                // `interlace,0` is the default: stored as absent so equal meanings compare equal.
                Step::Setting(Setting::Interlace(i)) => {
                    pipeline.interlace = i.progressive.then_some(i)
                }
                Step::Setting(Setting::AutoOrient(a)) => pipeline.auto_orient = Some(a),
            }
        }
        Ok(pipeline)
    }

    /// The settings as steps, in canonical order.
    fn settings(&self) -> impl Iterator<Item = Setting> + '_ {
        let auto_orient = self.auto_orient.clone().map(Setting::AutoOrient);
        let format = self.format.clone().map(Setting::Format);
        let quality = self.quality.map(Setting::Quality);
        let interlace = self.interlace.clone().map(Setting::Interlace);
        [auto_orient, format, quality, interlace]
            .into_iter()
            .flatten()
    }

    /// Whether an animated source keeps its frames (README §6).
    fn keeps_animation(&self, output: ImageFormat, options: &Options) -> bool {
        let static_rotate = |a: &ops::Action| {
            options.compat_static_gif_rotate && matches!(a, ops::Action::Rotate(_))
        };
        output.can_animate()
            && self.quality.is_none()
            && self.auto_orient.is_none()
            && self
                .actions
                .iter()
                .all(|a| a.keeps_animation() && !static_rotate(a))
    }

    /// The format the result is written in (format.md): the source format unless
    /// `format` says otherwise, and never GIF for a source that is not a GIF.
    pub fn output_format(&self, source: ImageFormat) -> ImageFormat {
        match self.format.as_ref().map(|f| f.target) {
            Some(ImageFormat::Gif) if source != ImageFormat::Gif => source,
            Some(target) => target,
            None => source,
        }
    }

    /// Runs the chain on `input`, whose header facts are `probe`.
    pub fn run(&self, input: &[u8], probe: &Probe, options: &Options) -> Result<Output> {
        // `info` stands alone (check_chain_rules) and reads only the header and EXIF, so it
        // answers for any source within the byte limit, without decoding (info.md).
        if let [ops::Action::Info(_)] = self.actions.as_slice() {
            return Ok(Output::Json(ops::info::describe(input, probe)));
        }
        let limits = &options.limits;
        limits.check_source(probe)?;
        let output_format = self.output_format(probe.format);
        let frames = if probe.frames > 1 && self.keeps_animation(output_format, options) {
            Frames::All
        } else {
            Frames::First
        };
        let orient = match &self.auto_orient {
            Some(a) => a.enabled,
            None => options.default_auto_orient,
        };
        let hint = options
            .shrink_on_load
            .then(|| self.shrink_on_load(probe, orient))
            .flatten();
        let shrunk = match hint {
            Some(min) => codec::decode_shrunk(input, probe, limits, min)?,
            None => None,
        };
        let prescaled = shrunk.is_some();
        let image = match shrunk {
            Some(image) => image,
            None => codec::decode(input, probe, limits, frames)?,
        };
        let mut cx = Ctx {
            image,
            source: probe,
            source_bytes: input,
            output_format,
            options,
            limits,
            json: None,
        };
        if orient {
            ops::auto_orient::apply_orientation(&mut cx, self.auto_orient.is_some())?;
        }
        let decoded_size = if prescaled {
            oriented_size(probe, orient)
        } else {
            (cx.image.width(), cx.image.height())
        };
        for (i, action) in self.actions.iter().enumerate() {
            match action {
                // The reduced frame stands for the full-size source.
                ops::Action::Resize(resize) if i == 0 && prescaled => {
                    resize.apply_as_if(&mut cx, decoded_size)?
                }
                _ => action.apply(&mut cx)?,
            }
            if let Some(json) = cx.json.take() {
                return Ok(Output::Json(json));
            }
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
        let Some(ops::Action::Resize(resize)) = self.actions.first() else {
            return None;
        };
        let turns = orient && (2..=8).contains(&probe.orientation);
        // An explicit auto-orient checks the rotation limit on the decoded size.
        if probe.format != ImageFormat::Jpeg || (turns && self.auto_orient.is_some()) {
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
    let is = |step: &Step, f: fn(&ops::Action) -> bool| matches!(step, Step::Action(a) if f(a));
    if steps.len() > 1
        && steps
            .iter()
            .any(|s| is(s, |a| matches!(a, ops::Action::Info(_))))
    {
        return Err(Error::invalid(
            None,
            "The action info cannot be combined with other actions.",
        ));
    }
    let hue = |a: &ops::Action| matches!(a, ops::Action::AverageHue(_));
    if let Some(pos) = steps.iter().position(|s| is(s, hue)) {
        if pos + 1 != steps.len() {
            return Err(Error::invalid(
                None,
                "The action average-hue must be the last action.",
            ));
        }
    }
    let pictures = steps
        .iter()
        .filter(|s| {
            is(
                s,
                |a| matches!(a, ops::Action::Watermark(w) if w.object_key().is_some()),
            )
        })
        .count();
    if pictures > 3 {
        return Err(Error::invalid(
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
/// `average-hue` must stay last, so a chain ending in it prints the settings first.
impl fmt::Display for Pipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("image")?;
        if self.actions.is_empty() && self.settings().next().is_none() {
            // A chain that only re-encodes (`image/interlace,0`) still needs one action.
            return f.write_str("/interlace,0");
        }
        let settings_first = matches!(self.actions.last(), Some(ops::Action::AverageHue(_)));
        if settings_first {
            self.settings().try_for_each(|s| write!(f, "/{s}"))?;
        }
        for action in &self.actions {
            write!(f, "/{action}")?;
        }
        if !settings_first {
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
