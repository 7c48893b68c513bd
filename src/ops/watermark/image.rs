//! The picture part of a mark (watermark.md §2.2): an object of the same bucket and an
//! optional pre-processing chain applied to it before it is drawn.

use super::{decode_utf8, Watermark};
use crate::error::{Error, Result};
use crate::ops::{parse_step, Action, AverageHue, Circle, Info, Parse, Resize, Setting, Step};
use crate::pipeline::{Options, Pipeline};
use crate::spec::types::base64url_encode;
use crate::spec::{lexer, parse_chain, Params};

/// Separates the object key from its pre-processing inside the decoded `image` value.
const PROCESS: &str = "?x-oss-process=";
const EC_IMAGE: &str = "0040-00000265";

/// The picture part of an image or mixed mark.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageMark {
    /// The exact object key (case-sensitive, may contain `/`), never empty.
    pub object: String,
    /// The chain run on the picture; `None` when it would change nothing. Encoder
    /// settings are dropped because the picture is never encoded.
    pub preprocess: Option<Pipeline>,
}

impl ImageMark {
    /// Decodes the `image` value; `strict` is the mode of the enclosing chain.
    pub(super) fn parse(raw: &str, strict: bool) -> Result<Self> {
        let value = decode_utf8("image", raw, EC_IMAGE)?;
        let (object, chain) = match value.split_once(PROCESS) {
            Some((object, chain)) => (object, Some(chain)),
            None => (value.as_str(), None),
        };
        // No object can have an empty key; say so now rather than after a host lookup.
        if object.is_empty() {
            return Err(Error::invalid(
                Some(EC_IMAGE),
                "The parameter image names no object.",
            ));
        }
        let preprocess = match chain {
            Some(chain) => preprocess(chain, strict)?,
            None => None,
        };
        Ok(ImageMark {
            object: object.to_owned(),
            preprocess,
        })
    }

    pub(super) fn push_args(&self, args: &mut Vec<String>) {
        let value = match &self.preprocess {
            Some(chain) => format!("{}{PROCESS}{chain}", self.object),
            None => self.object.clone(),
        };
        args.push(format!("image_{}", base64url_encode(value.as_bytes())));
    }
}

/// Parses a pre-processing chain under the restrictions of §2.2 step 3.
fn preprocess(chain: &str, strict: bool) -> Result<Option<Pipeline>> {
    if !chain.starts_with("image/") {
        return Err(Error::invalid(
            None,
            "The watermark pre-processing must start with image/.",
        ));
    }
    // The general lexer reads `|` as a persistence pipe; here it has its own error
    // (vendor page 600842, whose EC number is unknown).
    if chain.contains('|') {
        return Err(Error::invalid(
            None,
            "pipeline not allowed in watermark pre-processing",
        ));
    }
    let chain = lexer::normalize(chain)?;
    let mut pipeline = Pipeline::default();
    // Forbidden actions are found by name first, so they are reported even when their
    // arguments (or those of earlier actions) are bad, and a nested watermark is never
    // parsed.
    let segments = parse_chain(&chain, Options::default().max_actions)?;
    for segment in &segments {
        match segment.name {
            Watermark::NAME => {
                return Err(Error::invalid(
                    Some("0040-00000373"),
                    "A watermark picture cannot be pre-processed with watermark.",
                ))
            }
            // average-hue gives no image either (§2.2 [DECISION]).
            Info::NAME | AverageHue::NAME => {
                return Err(Error::invalid(
                    Some("0040-00000374"),
                    format!(
                        "A watermark picture cannot be pre-processed with {}.",
                        segment.name
                    ),
                ))
            }
            // Documented as not allowed; no vendor EC (§2.2 [DECISION]).
            Circle::NAME => {
                return Err(Error::invalid(
                    None,
                    "A watermark picture cannot be pre-processed with circle.",
                ))
            }
            _ => {}
        }
    }
    for segment in &segments {
        // `resize` accepts `P` (relative to the main image) only here.
        let step = if segment.name == Resize::NAME {
            let mut params = Params::new(segment.name, &segment.args, strict);
            let resize = Resize::parse_in_watermark(&mut params)?;
            params.finish()?;
            Step::Action(Action::Resize(resize))
        } else {
            parse_step(segment, strict)?
        };
        match step {
            Step::Action(action) => pipeline.actions.push(action),
            Step::Setting(Setting::AutoOrient(a)) => pipeline.auto_orient = Some(a),
            // The picture is never encoded: encoder settings change nothing.
            Step::Setting(_) => {}
        }
    }
    Ok((pipeline != Pipeline::default()).then_some(pipeline))
}
