//! `style/<name>`: named, stored chains (spec/README.md §4).

use std::collections::HashMap;

use crate::error::{Error, ErrorKind, Result};

/// Characters no style name or style content may hold.
const FORBIDDEN: &[char] = &[';', '(', ')', '\'', '*', '?'];

/// Checks a style name: 1–63 characters from `[A-Za-z0-9_.-]`.
pub fn validate_name(name: &str) -> Result<()> {
    let invalid = |ec| {
        Error::invalid(
            Some(ec),
            format!(
                "The value: {} of parameter: stylename is invalid.",
                crate::error::echo(name)
            ),
        )
    };
    if name.contains(FORBIDDEN) {
        return Err(invalid("0040-00000602"));
    }
    if name.is_empty() || name.len() > 63 {
        return Err(invalid("0017-00000250"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return Err(invalid("0017-00000251"));
    }
    Ok(())
}

/// Resolves `style/<name>` to the stored `image/...` content.
pub fn resolve<'s>(reference: &str, styles: &'s HashMap<String, String>) -> Result<&'s str> {
    let name = reference.strip_prefix("style/").unwrap_or(reference);
    if let Some((name, _)) = name.split_once('/') {
        validate_name(name)?;
        return Err(Error::invalid(
            None,
            "A style reference cannot be combined with other actions.",
        ));
    }
    validate_name(name)?;
    let content = styles.get(name).ok_or_else(|| {
        Error::new(
            ErrorKind::NoSuchStyle,
            None,
            "The specified style does not exist.",
        )
    })?;
    if content.contains(FORBIDDEN) {
        return Err(Error::bad_request(
            Some("0017-00000253"),
            "Style content is invalid.",
        ));
    }
    if content.starts_with("style/") {
        return Err(Error::invalid(
            None,
            "A style cannot reference another style.",
        ));
    }
    if !content.starts_with("image/") {
        return Err(Error::invalid(
            None,
            "Style content must start with image/.",
        ));
    }
    Ok(content)
}

/// Splits `object.jpg!thumb` at the first enabled delimiter that yields a valid style
/// name, trying delimiters in the order `-`, `_`, `/`, `!` (a clone vendor's documented
/// precedence). Returns `(object key, style name)`.
pub fn split_style_delimiter<'a>(
    url_tail: &'a str,
    enabled: &[char],
) -> Option<(&'a str, &'a str)> {
    ['-', '_', '/', '!']
        .into_iter()
        .filter(|d| enabled.contains(d))
        .find_map(|d| {
            let (object, name) = url_tail.rsplit_once(d)?;
            (!object.is_empty() && validate_name(name).is_ok() && !name.contains(enabled))
                .then_some((object, name))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> HashMap<String, String> {
        HashMap::from([
            ("thumb".to_string(), "image/resize,w_100".to_string()),
            ("nested".to_string(), "style/thumb".to_string()),
            ("evil".to_string(), "image/resize,w_100;".to_string()),
            ("odd".to_string(), "video/snapshot".to_string()),
        ])
    }

    #[test]
    fn resolves_known_styles() {
        assert_eq!(
            resolve("style/thumb", &registry()).unwrap(),
            "image/resize,w_100"
        );
    }

    #[test]
    fn unknown_style_is_404() {
        let e = resolve("style/none", &registry()).unwrap_err();
        assert_eq!((e.code(), e.status()), ("NoSuchStyle", 404));
    }

    #[test]
    fn name_rules() {
        assert_eq!(
            validate_name("a(b").unwrap_err().ec(),
            Some("0040-00000602")
        );
        assert_eq!(
            validate_name(&"a".repeat(64)).unwrap_err().ec(),
            Some("0017-00000250")
        );
        assert_eq!(validate_name("").unwrap_err().ec(), Some("0017-00000250"));
        assert_eq!(
            validate_name("a b").unwrap_err().ec(),
            Some("0017-00000251")
        );
        assert!(validate_name("Thumb_1.v-2").is_ok());
    }

    #[test]
    fn content_rules() {
        let r = registry();
        assert_eq!(
            resolve("style/evil", &r).unwrap_err().ec(),
            Some("0017-00000253")
        );
        assert_eq!(
            resolve("style/nested", &r).unwrap_err().code(),
            "InvalidArgument"
        );
        assert_eq!(
            resolve("style/odd", &r).unwrap_err().code(),
            "InvalidArgument"
        );
        assert_eq!(
            resolve("style/thumb/resize,w_1", &r).unwrap_err().code(),
            "InvalidArgument"
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(
            split_style_delimiter("a.jpg!thumb", &['!']),
            Some(("a.jpg", "thumb"))
        );
        assert_eq!(split_style_delimiter("a-b.jpg", &['!']), None);
        assert_eq!(
            split_style_delimiter("dir/a.jpg-small", &['-', '!']),
            Some(("dir/a.jpg", "small"))
        );
    }
}
