//! The faces a text mark is drawn with (fonts.md §4–5): the requested OSS font and its
//! glyph fallback chain, taken from the font files the host passed in `Options.fonts`.
//! No font is compiled in: hosts load the default assets on demand.

use std::collections::HashMap;

use ab_glyph::{Font as _, FontRef, GlyphId};

use super::text::Font;
use crate::error::{Error, ErrorKind, Result};

/// Key of the default CJK face (a GB2312 + ASCII subset of WenQuanYi Micro Hei), also an
/// OSS name: the stand-in for any requested font the host did not supply (fonts.md §5.2).
pub const DEFAULT_CJK_FONT: &str = "wqy-microhei";
/// Key of the default Latin face (DejaVu Sans), the Latin fallback of every chain.
pub const DEFAULT_LATIN_FONT: &str = "dejavu-sans";

/// The chain of fonts.md §4 by font key, requested face first.
fn chain(font: Font) -> &'static [&'static str] {
    const ZEN: &str = "wqy-zenhei";
    const DROID: &str = "droidsansfallback";
    const SHUSONG: &str = "fangzhengshusong";
    match font {
        Font::WqyZenhei => &[ZEN, DEFAULT_CJK_FONT, DROID, DEFAULT_LATIN_FONT],
        Font::WqyMicrohei => &[DEFAULT_CJK_FONT, DROID, DEFAULT_LATIN_FONT],
        // Droid Sans Fallback has no printable ASCII: Latin comes from DejaVu first.
        Font::DroidSansFallback => &[DROID, DEFAULT_LATIN_FONT, DEFAULT_CJK_FONT],
        Font::FangzhengHeiti => &[
            "fangzhengheiti",
            DEFAULT_CJK_FONT,
            DROID,
            DEFAULT_LATIN_FONT,
        ],
        Font::FangzhengShusong => &[SHUSONG, DROID, DEFAULT_LATIN_FONT, DEFAULT_CJK_FONT],
        Font::FangzhengKaiti => &[
            "fangzhengkaiti",
            DROID,
            DEFAULT_LATIN_FONT,
            DEFAULT_CJK_FONT,
        ],
        // The FangSong stand-in falls back to the ShuSong one (fonts.md §2 [DECISION]).
        Font::FangzhengFangsong => &[
            "fangzhengfangsong",
            SHUSONG,
            DROID,
            DEFAULT_LATIN_FONT,
            DEFAULT_CJK_FONT,
        ],
    }
}

/// A face with its scale: pixels per font unit at the mark's `size`.
pub struct Face<'a> {
    pub font: FontRef<'a>,
    pub scale: f32,
}

/// The faces of one text mark, in fallback order; the first one sets the line box.
pub struct Faces<'a> {
    primary: Face<'a>,
    fallbacks: Vec<Face<'a>>,
}

impl<'a> Faces<'a> {
    /// The chain for `font` at `size` px per em, restricted to the faces in `fonts`. A
    /// requested font that is absent is replaced by the default CJK face (fonts.md §5.2;
    /// OSS never fails for a valid name).
    pub fn new(font: Font, size: u32, fonts: &'a HashMap<String, Vec<u8>>) -> Result<Self> {
        let chain = chain(font);
        let requested_absent = chain.first().is_some_and(|k| !fonts.contains_key(*k));
        let keys = requested_absent
            .then_some(DEFAULT_CJK_FONT)
            .into_iter()
            .chain(chain.iter().copied());
        let mut faces: Vec<Face<'a>> = Vec::new();
        let mut used: Vec<&str> = Vec::new();
        for key in keys {
            let Some(bytes) = fonts.get(key) else {
                continue;
            };
            if used.contains(&key) {
                continue;
            }
            used.push(key);
            // A collection (.ttc) gives its first face.
            let font = FontRef::try_from_slice(bytes).map_err(|_| {
                Error::new(
                    ErrorKind::InternalError,
                    None,
                    format!("options.fonts[\"{key}\"] is not a TrueType or OpenType font."),
                )
            })?;
            let units_per_em = font.units_per_em().unwrap_or(1000.0);
            faces.push(Face {
                scale: size as f32 / units_per_em,
                font,
            });
        }
        let mut faces = faces.into_iter();
        let Some(primary) = faces.next() else {
            return Err(Error::new(
                ErrorKind::InternalError,
                None,
                format!(
                    "no font for the text watermark ({}): pass options.fonts, e.g. the \
                     package's fonts/{DEFAULT_CJK_FONT}.ttf and fonts/{DEFAULT_LATIN_FONT}.ttf.",
                    font.name()
                ),
            ));
        };
        Ok(Faces {
            primary,
            fallbacks: faces.collect(),
        })
    }

    /// The face that sets the line box and draws `.notdef`.
    pub fn primary(&self) -> &Face<'a> {
        &self.primary
    }

    /// The first face whose cmap has `c` and its glyph; else the primary's `.notdef`.
    pub fn glyph(&self, c: char) -> (&Face<'a>, GlyphId) {
        std::iter::once(&self.primary)
            .chain(&self.fallbacks)
            .find_map(|face| {
                let id = face.font.glyph_id(c);
                (id.0 != 0).then_some((face, id))
            })
            .unwrap_or((self.primary(), GlyphId(0)))
    }
}
