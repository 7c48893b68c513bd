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

    /// The XML body OSS sends with an error response.
    pub fn to_oss_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n");
        xml += &format!("  <Code>{}</Code>\n", self.code());
        xml += &format!("  <Message>{}</Message>\n", xml_escape(&self.message));
        xml += &format!("  <RequestId>{}</RequestId>\n", xml_escape(request_id));
        xml += &format!("  <HostId>{}</HostId>\n", xml_escape(host_id));
        if let Some(ec) = self.ec {
            xml += &format!("  <EC>{ec}</EC>\n");
            xml += &format!(
                "  <RecommendDoc>https://api.aliyun.com/troubleshoot?q={ec}</RecommendDoc>\n"
            );
        }
        xml += "</Error>\n";
        xml
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

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
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
    fn xml_is_escaped_and_carries_ec() {
        let e = Error::invalid_value(Some("0040-00000312"), "w", "<script>");
        let xml = e.to_oss_xml("rid", "host");
        assert!(xml.contains("<Code>InvalidArgument</Code>"));
        assert!(xml.contains("&lt;script&gt;"));
        assert!(xml.contains("<EC>0040-00000312</EC>"));
        assert!(!xml.contains("<script>"));
    }

    #[test]
    fn long_input_is_not_echoed_whole() {
        let long = "a".repeat(10_000);
        let e = Error::invalid_value(None, "w", &long);
        assert!(e.message().len() < 200);
    }
}
