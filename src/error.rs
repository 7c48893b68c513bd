//! One error type for the whole crate: an OSS `Code`, its HTTP status, an optional EC
//! (the vendor's diagnostic number) and a message that is safe to show to a client.

use std::fmt;

/// What went wrong, in OSS terms. The `Code` string and the HTTP status follow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed or out-of-range parameter (400).
    InvalidArgument,
    /// A required parameter is absent (400).
    MissingArgument,
    /// The request cannot be executed on this image: unsupported or corrupt source,
    /// crop origin outside the image, rotation source too large (400).
    BadRequest,
    /// Source over the size or pixel limits (400).
    ImageTooLarge,
    /// A watermark problem (400).
    WatermarkError,
    /// Recognised but not available in this build (400, as OSS groups it).
    NotImplemented,
    /// `style/<name>` names no stored style (404).
    NoSuchStyle,
    /// A bug or an encoder failure (500).
    InternalError,
}

impl ErrorKind {
    /// Every kind, in declaration order: the JS package's error-code type is generated from
    /// it (tests/js_facts.rs).
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::InvalidArgument,
        ErrorKind::MissingArgument,
        ErrorKind::BadRequest,
        ErrorKind::ImageTooLarge,
        ErrorKind::WatermarkError,
        ErrorKind::NotImplemented,
        ErrorKind::NoSuchStyle,
        ErrorKind::InternalError,
    ];

    /// The OSS `Code` element.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "InvalidArgument",
            ErrorKind::MissingArgument => "MissingArgument",
            ErrorKind::BadRequest => "BadRequest",
            ErrorKind::ImageTooLarge => "ImageTooLarge",
            ErrorKind::WatermarkError => "WatermarkError",
            ErrorKind::NotImplemented => "NotImplemented",
            ErrorKind::NoSuchStyle => "NoSuchStyle",
            ErrorKind::InternalError => "InternalError",
        }
    }

    /// The HTTP status OSS answers with.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::NoSuchStyle => 404,
            ErrorKind::InternalError => 500,
            _ => 400,
        }
    }
}

/// The crate's error: kind, optional EC and a public message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    ec: Option<&'static str>,
    message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The `reason` the wasm build adds to [`Error::over_engine_budget`], by which hosts tell
/// it from a source that is too large everywhere (and the Worker's fallback reason).
pub const ENGINE_BUDGET_REASON: &str = "engine-budget";

/// Longest slice of client input echoed back in a message.
const MAX_ECHO_CHARS: usize = 64;

impl Error {
    pub fn new(kind: ErrorKind, ec: Option<&'static str>, message: impl Into<String>) -> Self {
        Error {
            kind,
            ec,
            message: message.into(),
        }
    }

    /// `The value: <v> of parameter: <key> is invalid.`, the wording OSS uses.
    pub fn invalid_value(ec: Option<&'static str>, key: &str, value: &str) -> Self {
        Error::new(
            ErrorKind::InvalidArgument,
            ec,
            format!(
                "The value: {} of parameter: {} is invalid.",
                echo(value),
                echo(key)
            ),
        )
    }

    pub fn invalid(ec: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, ec, message)
    }

    pub fn missing(ec: Option<&'static str>) -> Self {
        Error::new(
            ErrorKind::MissingArgument,
            ec,
            "Missing Some Required Arguments.",
        )
    }

    pub fn bad_request(ec: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadRequest, ec, message)
    }

    pub fn too_large(ec: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::ImageTooLarge, ec, message)
    }

    /// Source bytes that are not an image this build can read.
    pub fn unsupported_format() -> Self {
        Error::bad_request(Some("0040-00000005"), "This image format is not supported.")
    }

    /// Source bytes that claim a supported format but cannot be decoded.
    pub fn corrupt(detail: impl fmt::Display) -> Self {
        Error::bad_request(
            Some("0040-00000005"),
            format!("The image cannot be decoded: {}", echo(&detail.to_string())),
        )
    }

    /// An action that parses but whose pixels are not built yet.
    pub fn not_implemented(what: &str) -> Self {
        Error::new(
            ErrorKind::NotImplemented,
            None,
            format!("{} is not implemented yet.", echo(what)),
        )
    }

    /// A call that went over `Limits::memory_budget` (wasm build): `ImageTooLarge` like the
    /// header limits, whatever the refused allocation made the decoder or encoder say.
    pub fn over_engine_budget() -> Self {
        Error::too_large(
            None,
            "Processing this image goes over the engine memory budget.",
        )
    }

    pub fn internal(detail: impl fmt::Display) -> Self {
        Error::new(
            ErrorKind::InternalError,
            None,
            format!("Internal error: {}", echo(&detail.to_string())),
        )
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
    pub fn status(&self) -> u16 {
        self.kind.status()
    }
    pub fn ec(&self) -> Option<&'static str> {
        self.ec
    }
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}", self.code(), self.status())?;
        if let Some(ec) = self.ec {
            write!(f, ", EC {ec}")?;
        }
        write!(f, "): {}", self.message)
    }
}

impl std::error::Error for Error {}

/// Client input quoted in a message: at most [`MAX_ECHO_CHARS`] characters, control
/// characters replaced, so a message never carries a whole hostile string.
pub(crate) fn echo(value: &str) -> String {
    let mut out: String = value
        .chars()
        .take(MAX_ECHO_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if value.chars().nth(MAX_ECHO_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses() {
        assert_eq!(ErrorKind::InvalidArgument.status(), 400);
        assert_eq!(ErrorKind::NoSuchStyle.status(), 404);
        assert_eq!(ErrorKind::InternalError.status(), 500);
        assert_eq!(ErrorKind::MissingArgument.code(), "MissingArgument");
    }

    #[test]
    fn all_is_every_kind_in_declaration_order() {
        // A new kind fails to compile here: give it the next position, and add it to ALL.
        let position = |kind| match kind {
            ErrorKind::InvalidArgument => 0,
            ErrorKind::MissingArgument => 1,
            ErrorKind::BadRequest => 2,
            ErrorKind::ImageTooLarge => 3,
            ErrorKind::WatermarkError => 4,
            ErrorKind::NotImplemented => 5,
            ErrorKind::NoSuchStyle => 6,
            ErrorKind::InternalError => 7,
        };
        for (i, kind) in ErrorKind::ALL.into_iter().enumerate() {
            assert_eq!(position(kind), i, "{kind:?}");
        }
    }

    #[test]
    fn long_input_is_not_echoed_whole() {
        let long = "a".repeat(10_000);
        let e = Error::invalid_value(None, "w", &long);
        assert!(e.message().len() < 200);
    }
}
