//! The text part of a mark (watermark.md §2.3, fonts.md): text, font, size, colour,
//! shadow and rotation.

use super::{decode_utf8, int, push_if};
use crate::error::{Error, Result};
use crate::spec::types::{base64url_encode, Rgb};
use crate::spec::Params;

/// Longest decoded text, in bytes of UTF-8 (§3.3).
const MAX_TEXT_BYTES: usize = 64;
/// Default of `size`, in px.
const DEFAULT_SIZE: u32 = 40;
const DEFAULT_COLOR: Rgb = Rgb::BLACK;

/// The seven fonts OSS offers for `type` (fonts.md §1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Font {
    #[default]
    WqyZenhei,
    WqyMicrohei,
    FangzhengShusong,
    FangzhengKaiti,
    FangzhengHeiti,
    FangzhengFangsong,
    DroidSansFallback,
}

impl Font {
    pub const ALL: [Font; 7] = [
        Font::WqyZenhei,
        Font::WqyMicrohei,
        Font::FangzhengShusong,
        Font::FangzhengKaiti,
        Font::FangzhengHeiti,
        Font::FangzhengFangsong,
        Font::DroidSansFallback,
    ];

    /// The OSS name: what `type` decodes to, and the key of a host's font files.
    pub fn name(self) -> &'static str {
        match self {
            Font::WqyZenhei => "wqy-zenhei",
            Font::WqyMicrohei => "wqy-microhei",
            Font::FangzhengShusong => "fangzhengshusong",
            Font::FangzhengKaiti => "fangzhengkaiti",
            Font::FangzhengHeiti => "fangzhengheiti",
            Font::FangzhengFangsong => "fangzhengfangsong",
            Font::DroidSansFallback => "droidsansfallback",
        }
    }

    /// Exact, case-sensitive match (fonts.md [DECISION]).
    pub fn from_name(name: &str) -> Option<Font> {
        Font::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// The text part of a text or mixed mark.
#[derive(Clone, Debug, PartialEq)]
pub struct TextMark {
    /// The decoded text, 1..=64 bytes of UTF-8, kept as given: control characters are
    /// skipped when drawing (§3.3), not here.
    pub text: String,
    /// `type` (or its alias `font`).
    pub font: Font,
    /// `size`: em size in px, 1..=1000.
    pub size: u32,
    /// `color`.
    pub color: Rgb,
    /// `shadow`: opacity of the drop shadow in percent; 0 = no shadow.
    pub shadow: u8,
    /// `rotate`: clockwise degrees, 0..360 (`rotate_360` is stored as 0).
    pub rotate: u16,
}

impl TextMark {
    pub(super) fn push_args(&self, args: &mut Vec<String>) {
        args.push(format!("text_{}", base64url_encode(self.text.as_bytes())));
        if self.font != Font::default() {
            args.push(format!(
                "type_{}",
                base64url_encode(self.font.name().as_bytes())
            ));
        }
        push_if(args, "color", self.color, DEFAULT_COLOR);
        push_if(args, "size", self.size, DEFAULT_SIZE);
        push_if(args, "shadow", self.shadow, 0);
        push_if(args, "rotate", self.rotate, 0);
    }
}

/// The text keys after the first pass. They are validated even without `text` (§2.4);
/// the font name is looked up in the second pass (§6).
pub(super) struct Pending {
    text: Option<String>,
    /// The decoded font name and the key it came from.
    font: Option<(&'static str, String)>,
    size: u32,
    color: Rgb,
    shadow: u8,
    rotate: u16,
}

impl Pending {
    /// First pass over `text type font color size shadow rotate`.
    pub(super) fn parse(params: &mut Params<'_>) -> Result<Self> {
        let text = params.take("text").map(parse_text).transpose()?;
        let type_name = params
            .take("type")
            .map(|raw| decode_utf8("type", raw, "0040-00000250"))
            .transpose()?;
        // `font` is an alias of `type` with its own EC; `type` wins (§2.3 [DECISION]).
        let alias = params
            .take("font")
            .map(|raw| decode_utf8("font", raw, "0040-00000249"))
            .transpose()?;
        let font = type_name
            .map(|name| ("type", name))
            .or(alias.map(|name| ("font", name)));
        let color = match params.take("color") {
            None => DEFAULT_COLOR,
            Some(hex) => Rgb::from_hex(hex)
                .ok_or_else(|| Error::invalid_value(Some("0040-00000254"), "color", hex))?,
        };
        let size = int(params, "size", 1..=1000, "0040-00000256")?.unwrap_or(DEFAULT_SIZE);
        let shadow = int(params, "shadow", 0..=100, "0040-00000255")?.unwrap_or(0);
        // A full turn draws the text unrotated.
        let rotate = int(params, "rotate", 0..=360, "0040-00000272")?.map_or(0, |r: u16| r % 360);
        Ok(Pending {
            text,
            font,
            size,
            color,
            shadow,
            rotate,
        })
    }

    /// Second pass: the font must be one of the seven (0040-00000251), even when no text
    /// uses it. `None` when the action has no `text`.
    pub(super) fn resolve(self) -> Result<Option<TextMark>> {
        let font = match self.font {
            None => Font::default(),
            Some((key, name)) => Font::from_name(&name)
                .ok_or_else(|| Error::invalid_value(Some("0040-00000251"), key, &name))?,
        };
        Ok(self.text.map(|text| TextMark {
            text,
            font,
            size: self.size,
            color: self.color,
            shadow: self.shadow,
            rotate: self.rotate,
        }))
    }
}

/// `text_` or a bare `text` (0040-00000258).
pub(super) fn no_value() -> Error {
    Error::invalid(Some("0040-00000258"), "The parameter text has no value.")
}

fn parse_text(raw: &str) -> Result<String> {
    if raw.is_empty() {
        return Err(no_value());
    }
    let text = decode_utf8("text", raw, "0040-00000257")?;
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(
            Some("0040-00000259"),
            format!(
                "font content is too large: the text has {} bytes, at most {MAX_TEXT_BYTES} are allowed.",
                text.len()
            ),
        ));
    }
    Ok(text)
}
