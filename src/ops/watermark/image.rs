//! The picture part of a mark (watermark.md §2.2): an object of the same bucket and an
//! optional pre-processing chain applied to it before it is drawn.

use super::decode_utf8;
use crate::error::{Error, Result};
use crate::ops::chain::{parse_steps, Chain, Place, Step};
use crate::ops::Setting;
use crate::spec::types::base64url_encode;
use crate::spec::{lexer, ParseRules};

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
    pub preprocess: Option<Chain>,
}

impl ImageMark {
    /// Decodes the `image` value, read under the rules of the enclosing chain.
    pub(super) fn parse(raw: &str, rules: ParseRules) -> Result<Self> {
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
            Some(chain) => preprocess(chain, rules)?,
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
fn preprocess(chain: &str, rules: ParseRules) -> Result<Option<Chain>> {
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
    let mut picture = Chain::default();
    for step in parse_steps(&chain, rules, Place::WatermarkPicture)? {
        match step {
            Step::Action(action) => picture.actions.push(action),
            Step::Setting(Setting::AutoOrient(a)) => picture.auto_orient = Some(a),
            // The picture is never encoded: encoder settings change nothing. No `End` gets
            // here: `parse_steps` refuses info and average-hue in a picture by name.
            Step::Setting(_) | Step::End(_) => {}
        }
    }
    Ok((picture != Chain::default()).then_some(picture))
}
