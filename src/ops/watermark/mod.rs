//! `watermark`: one image, text or mixed mark drawn over the current image
//! (spec/watermark.md): parsing and the canonical form here, the picture in `picture.rs`,
//! the text in `render_text.rs` (faces from `font.rs`), positions in `layout.rs`, the
//! blending in `composite.rs`.

mod composite;
mod font;
mod image;
mod layout;
mod picture;
mod render_text;
// The tests use proptest, which is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
mod text;

use std::fmt;
use std::ops::RangeInclusive;

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::spec::types::{base64url_decode, Gravity};
use crate::spec::{Params, ParseRules};

pub use self::font::{DEFAULT_CJK_FONT, DEFAULT_LATIN_FONT};
pub use self::image::ImageMark;
pub use self::text::{Font, TextMark};

/// Default of `t`: fully opaque.
const OPAQUE: u8 = 100;
/// Default of `x` and `y`, in px.
const MARGIN: u32 = 10;
const DEFAULT_GRAVITY: Gravity = Gravity::SouthEast;

/// One validated `watermark` action. A value the mark cannot use is reset to its default
/// and the parameters of the other mark kind are dropped, so that equal meanings compare
/// and print equal.
#[derive(Clone, Debug, PartialEq)]
pub struct Watermark {
    pub mark: Mark,
    /// `t`: opacity of the whole mark in percent (100 = opaque).
    pub opacity: u8,
    /// `g`: the anchor cell.
    pub gravity: Gravity,
    /// `x`: distance from the left or right edge; the default for the middle column.
    pub x: u32,
    /// `y`: distance from the top or bottom edge; the default for the middle row.
    pub y: u32,
    /// `voffset`: downward shift from the centre line; 0 outside the middle row.
    pub voffset: i32,
    /// `fill_1`: tile the mark over the whole image.
    pub fill: bool,
    /// `padx`: horizontal gap between tiles; 0 without `fill`.
    pub padx: u32,
    /// `pady`: vertical gap between tiles; 0 without `fill`.
    pub pady: u32,
    /// `animation_1`: draw on every frame of an animation; only ever set for image marks.
    pub animation: bool,
}

/// What is drawn: chosen by which of `image` and `text` are present.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    Image(ImageMark),
    Text(TextMark),
    Mixed(MixedMark),
}

/// Image and text side by side as one block (watermark.md §4.6).
#[derive(Clone, Debug, PartialEq)]
pub struct MixedMark {
    pub image: ImageMark,
    pub text: TextMark,
    /// `order`: which part is on the left.
    pub order: Order,
    /// `align`: how the two parts line up vertically.
    pub align: Align,
    /// `interval`: horizontal gap between the parts, in px.
    pub interval: u32,
}

/// `order_0` / `order_1`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    ImageFirst = 0,
    TextFirst = 1,
}

/// `align_0..2`; the default is 2 (bottoms aligned), per the current vendor table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Align {
    Top = 0,
    Center = 1,
    #[default]
    Bottom = 2,
}

impl Watermark {
    /// The object of the same bucket a host must supply, if the mark has an image.
    pub fn object_key(&self) -> Option<&str> {
        match &self.mark {
            Mark::Image(image) | Mark::Mixed(MixedMark { image, .. }) => Some(&image.object),
            Mark::Text(_) => None,
        }
    }

    /// The OSS font name a host should supply, if the mark has text.
    pub fn font_name(&self) -> Option<&str> {
        match &self.mark {
            Mark::Text(text) | Mark::Mixed(MixedMark { text, .. }) => Some(text.font.name()),
            Mark::Image(_) => None,
        }
    }
}

impl Parse for Watermark {
    const NAME: &'static str = "watermark";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let rules = params.rules();

        // First pass (§6): syntax and range of every key, in the order of §2.5.
        let opacity = int(params, "t", 0..=100, "0040-00000263")?.unwrap_or(OPAQUE);
        let gravity = match params.take("g") {
            None => DEFAULT_GRAVITY,
            Some(raw) => Gravity::from_name(raw)
                .ok_or_else(|| Error::invalid_value(Some("0040-00000260"), "g", raw))?,
        };
        let x = int(params, "x", 0..=4096, "0040-00000262")?.unwrap_or(MARGIN);
        let y = int(params, "y", 0..=4096, "0040-00000264")?.unwrap_or(MARGIN);
        let voffset = int(params, "voffset", -1000..=1000, "0040-00000268")?.unwrap_or(0);
        let fill = params.flag("fill", Some("0040-00000274"))?.unwrap_or(false);
        let padx = int(params, "padx", 0..=4096, "0040-00000276")?.unwrap_or(0);
        let pady = int(params, "pady", 0..=4096, "0040-00000277")?.unwrap_or(0);
        // No vendor EC is known for `animation` (§2.1 [DECISION]).
        let animation = params.flag("animation", None)?.unwrap_or(false);
        let image = params
            .take("image")
            .map(|raw| ImageMark::parse(raw, rules))
            .transpose()?;
        let text = text::Pending::parse(params)?;
        let order = match params.flag("order", Some("0040-00000269"))? {
            Some(true) => Order::TextFirst,
            Some(false) | None => Order::ImageFirst,
        };
        let align = match int(params, "align", 0..=2, "0040-00000271")? {
            Some(0u8) => Align::Top,
            Some(1) => Align::Center,
            // 2 or absent.
            _ => Align::Bottom,
        };
        let interval = int(params, "interval", 0..=1000, "0040-00000270")?.unwrap_or(0);
        bare_args(params, rules)?;

        // Second pass (§6 [DECISION]): the font name, once every key is well-formed.
        let text = text.resolve()?;

        let mark = match (image, text) {
            (Some(image), None) => Mark::Image(image),
            (None, Some(text)) => Mark::Text(text),
            (Some(image), Some(text)) => Mark::Mixed(MixedMark {
                image,
                text,
                order,
                align,
                interval,
            }),
            (None, None) => {
                return Err(Error::invalid(
                    Some("0040-00000278"),
                    "The action watermark needs a text or an image parameter.",
                ))
            }
        };
        // Which offsets a gravity uses: §4.1; text and mixed marks stay static: §2.1.
        let middle_column = gravity.column() == 1;
        let middle_row = gravity.row() == 1;
        Ok(Watermark {
            animation: animation && matches!(mark, Mark::Image(_)),
            mark,
            opacity,
            gravity,
            x: if middle_column { MARGIN } else { x },
            y: if middle_row { MARGIN } else { y },
            voffset: if middle_row { voffset } else { 0 },
            fill,
            padx: if fill { padx } else { 0 },
            pady: if fill { pady } else { 0 },
        })
    }
}

/// Canonical arguments: the mark's keys first, then the common ones, defaults left out,
/// Base64 re-encoded without padding.
impl fmt::Display for Watermark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut args = Vec::new();
        match &self.mark {
            Mark::Image(image) => image.push_args(&mut args),
            Mark::Text(text) => text.push_args(&mut args),
            Mark::Mixed(mixed) => {
                mixed.image.push_args(&mut args);
                mixed.text.push_args(&mut args);
                push_if(
                    &mut args,
                    "order",
                    mixed.order as u8,
                    Order::default() as u8,
                );
                push_if(
                    &mut args,
                    "align",
                    mixed.align as u8,
                    Align::default() as u8,
                );
                push_if(&mut args, "interval", mixed.interval, 0);
            }
        }
        push_if(&mut args, "t", self.opacity, OPAQUE);
        push_if(&mut args, "g", self.gravity, DEFAULT_GRAVITY);
        push_if(&mut args, "x", self.x, MARGIN);
        push_if(&mut args, "y", self.y, MARGIN);
        push_if(&mut args, "voffset", self.voffset, 0);
        push_if(&mut args, "fill", u8::from(self.fill), 0);
        push_if(&mut args, "padx", self.padx, 0);
        push_if(&mut args, "pady", self.pady, 0);
        push_if(&mut args, "animation", u8::from(self.animation), 0);
        f.write_str(&args.join(","))
    }
}

impl Watermark {
    /// The mark as one RGBA picture (before the opacity `t`), for a `width × height` main
    /// image: `P` of the pre-processing refers to that size.
    fn draw(&self, cx: &Ctx<'_>, width: u32, height: u32) -> Result<Frame> {
        let text = |t: &TextMark| render_text::render(t, &cx.options.fonts, cx.limits());
        match &self.mark {
            Mark::Image(image) => picture::load(image, width, height, cx.options),
            Mark::Text(t) => text(t),
            Mark::Mixed(mixed) => layout::mixed_block(
                &picture::load(&mixed.image, width, height, cx.options)?,
                &text(&mixed.text)?,
                mixed.order,
                mixed.align,
                mixed.interval,
            ),
        }
    }
}

impl Op for Watermark {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let (width, height) = (cx.image.width(), cx.image.height());
        let mark = self.draw(cx, width, height)?;
        let (columns, rows) = layout::copies(self, width, height, mark.width(), mark.height());
        // Every frame of a kept animation gets the same mark at the same place (§4.8),
        // blended in place.
        cx.image.edit_pixels(|pixels| {
            for &top in &rows {
                for &left in &columns {
                    composite::blend(pixels, width, &mark, left, top, self.opacity);
                }
            }
        });
        Ok(())
    }

    /// Only an image mark with `animation_1` keeps an animation (README §6); `animation`
    /// is never set for the other kinds.
    fn keeps_animation(&self) -> bool {
        self.animation
    }
}

/// An integer key in `range`, in the narrowest type that holds the range.
fn int<T: TryFrom<i64>>(
    params: &mut Params<'_>,
    key: &str,
    range: RangeInclusive<i64>,
    ec: &'static str,
) -> Result<Option<T>> {
    params
        .int(key, range, Some(ec))?
        .map(|v| T::try_from(v).map_err(|_| Error::internal(format!("{key} overflows its type"))))
        .transpose()
}

/// Decodes a Base64 value of `image`, `text`, `type` or `font` (§3.2, lenient): `+` and
/// a space (a `+` that went through URL decoding) count as `-`; `=` padding is optional
/// but, when present, must complete the last quantum. The bytes must be UTF-8. Every
/// failure is the key's own EC.
fn decode_utf8(key: &str, raw: &str, ec: &'static str) -> Result<String> {
    let bad = || Error::invalid_value(Some(ec), key, raw);
    if raw.contains('=') && raw.len() % 4 != 0 {
        return Err(bad());
    }
    let url_safe: String = raw
        .chars()
        .map(|c| if c == '+' || c == ' ' { '-' } else { c })
        .collect();
    let bytes = base64url_decode(&url_safe).map_err(|_| bad())?;
    String::from_utf8(bytes).map_err(|_| bad())
}

/// Arguments without `key_`: a bare `text` is a text without value (0040-00000258); any
/// other is an unknown parameter, which a one-argument `Params` rejects exactly as
/// `finish` would (an error in strict mode only).
fn bare_args(params: &mut Params<'_>, rules: ParseRules) -> Result<()> {
    while let Some(bare) = params.take_bare() {
        if bare == "text" {
            return Err(text::no_value());
        }
        Params::new(params.action(), &[bare], rules).finish()?;
    }
    Ok(())
}

/// Appends `key_value` unless `value` is the default (the canonical form omits defaults).
fn push_if<T: PartialEq + fmt::Display>(args: &mut Vec<String>, key: &str, value: T, default: T) {
    if value != default {
        args.push(format!("{key}_{value}"));
    }
}
