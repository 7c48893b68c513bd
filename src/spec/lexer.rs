//! Splits a spec into actions and arguments (spec/README.md §1). It knows nothing about
//! what an action means; `ops` turns each [`Segment`] into a typed action.

use crate::error::{Error, ErrorKind, Result};

/// One `/`-separated action: its name and its raw `,`-separated arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    pub name: &'a str,
    pub args: Vec<&'a str>,
}

/// Strips an optional `x-oss-process=` and percent-decodes the value once when it
/// contains `%` (README §1.1). `+` stays a literal `+`.
pub fn normalize(spec: &str) -> Result<std::borrow::Cow<'_, str>> {
    let spec = spec.strip_prefix("x-oss-process=").unwrap_or(spec);
    if !spec.contains('%') {
        return Ok(spec.into());
    }
    let bytes = spec.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    Error::invalid(None, "The process parameter has a bad percent-encoding.")
                })?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map(Into::into)
        .map_err(|_| Error::invalid(None, "The process parameter is not valid UTF-8."))
}

/// Splits an `image/...` chain into segments, skipping empty ones (README §1.2 rule 3).
/// `max_actions` bounds the number of segments.
pub fn parse_chain(chain: &str, max_actions: usize) -> Result<Vec<Segment<'_>>> {
    let body = match chain.strip_prefix("image") {
        Some("") => "",
        Some(rest) if rest.starts_with('/') => rest,
        _ => return Err(unknown_processor(chain)),
    };
    if chain.contains('|') {
        return Err(Error::new(
            ErrorKind::NotImplemented,
            None,
            "Persistence pipes (|sys/saveas) are not supported.",
        ));
    }
    let mut segments = Vec::new();
    for raw in body.split('/').filter(|s| !s.is_empty()) {
        if segments.len() == max_actions {
            return Err(Error::invalid(
                None,
                format!("The process parameter has more than {max_actions} actions."),
            ));
        }
        let mut parts = raw.split(',');
        let name = parts.next().unwrap_or_default();
        segments.push(Segment {
            name,
            args: parts.collect(),
        });
    }
    if segments.is_empty() {
        return Err(Error::invalid(
            Some("0040-00000212"),
            "The process parameter has no action.",
        ));
    }
    Ok(segments)
}

/// `video/...`, `doc/...` and the like are OSS processors this module does not have.
fn unknown_processor(spec: &str) -> Error {
    let known = ["video/", "doc/", "audio/", "sys/"];
    if known.iter().any(|p| spec.starts_with(p)) {
        Error::new(
            ErrorKind::NotImplemented,
            None,
            "Only image processing (image/...) is supported.",
        )
    } else {
        Error::invalid(
            None,
            "The process parameter must start with image/ or style/.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(chain: &str) -> Vec<String> {
        parse_chain(chain, 64)
            .unwrap()
            .into_iter()
            .map(|s| s.name.to_string())
            .collect()
    }

    #[test]
    fn prefix_and_percent_decoding() {
        assert_eq!(
            normalize("x-oss-process=image/resize,w_1").unwrap(),
            "image/resize,w_1"
        );
        assert_eq!(
            normalize("image%2Fresize%2Cp_50").unwrap(),
            "image/resize,p_50"
        );
        assert_eq!(normalize("image/a+b").unwrap(), "image/a+b");
        // Decoded exactly once: %252F stays %2F.
        assert_eq!(normalize("image%252F").unwrap(), "image%2F");
        assert_eq!(normalize("image%2").unwrap_err().code(), "InvalidArgument");
        assert_eq!(normalize("image%zz").unwrap_err().code(), "InvalidArgument");
        assert_eq!(normalize("image%FF").unwrap_err().code(), "InvalidArgument");
    }

    #[test]
    fn empty_segments_are_skipped() {
        assert_eq!(names("image/resize,w_100/"), ["resize"]);
        assert_eq!(names("image//resize,w_100//crop,x_1"), ["resize", "crop"]);
    }

    #[test]
    fn no_action_is_0212() {
        for spec in ["image/", "image", "image//"] {
            assert_eq!(
                parse_chain(spec, 64).unwrap_err().ec(),
                Some("0040-00000212")
            );
        }
    }

    #[test]
    fn other_processors_and_pipes() {
        assert_eq!(
            parse_chain("video/snapshot,t_1", 64).unwrap_err().code(),
            "NotImplemented"
        );
        assert_eq!(
            parse_chain("image/resize,w_1|sys/saveas,o_x", 64)
                .unwrap_err()
                .code(),
            "NotImplemented"
        );
        assert_eq!(
            parse_chain("imagex/resize", 64).unwrap_err().code(),
            "InvalidArgument"
        );
        assert_eq!(
            parse_chain("resize,w_1", 64).unwrap_err().code(),
            "InvalidArgument"
        );
    }

    #[test]
    fn action_count_limit() {
        let spec = format!("image{}", "/rotate,90".repeat(65));
        assert_eq!(
            parse_chain(&spec, 64).unwrap_err().code(),
            "InvalidArgument"
        );
        let spec = format!("image{}", "/rotate,90".repeat(64));
        assert!(parse_chain(&spec, 64).is_ok());
    }

    #[test]
    fn args_keep_underscores_and_order() {
        let segs = parse_chain("image/watermark,text_a_b,t_50", 64).unwrap();
        assert_eq!(segs[0].args, ["text_a_b", "t_50"]);
    }
}
