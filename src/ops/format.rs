//! `format,<target>`: the output encoding (spec/format.md). An encoder setting.

use std::fmt;

use super::Parse;
use crate::error::{Error, ErrorKind, Result};
use crate::format::ImageFormat;
use crate::spec::Params;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    pub target: ImageFormat,
}

impl Parse for Format {
    const NAME: &'static str = "format";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        let missing = Error::invalid(
            Some("0040-00000207"),
            "The action format needs a target format.",
        );
        let value = params.single_value(missing)?;
        let target = match value {
            "jpg" | "jpeg" => ImageFormat::Jpeg,
            "png" => ImageFormat::Png,
            "webp" => ImageFormat::WebP,
            "bmp" => ImageFormat::Bmp,
            "gif" => ImageFormat::Gif,
            "tiff" => ImageFormat::Tiff,
            #[cfg(feature = "avif")]
            "avif" => ImageFormat::Avif,
            #[cfg(not(feature = "avif"))]
            "avif" => {
                return Err(Error::new(
                    ErrorKind::NotImplemented,
                    None,
                    format!("This build cannot encode {value}."),
                ))
            }
            "heic" => {
                return Err(Error::new(
                    ErrorKind::NotImplemented,
                    None,
                    format!("This build cannot encode {value}."),
                ))
            }
            _ => return Err(Error::invalid_value(Some("0040-00000206"), "format", value)),
        };
        Ok(Format { target })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.target.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Params;

    fn parse(args: &[&str]) -> Result<Format> {
        Format::parse(&mut Params::new(
            "format",
            args,
            crate::spec::ParseRules::OSS,
        ))
    }

    #[test]
    fn targets_and_alias() {
        assert_eq!(parse(&["jpeg"]).unwrap().target, ImageFormat::Jpeg);
        assert_eq!(parse(&["jpeg"]).unwrap().to_string(), "jpg");
        assert_eq!(parse(&["tiff"]).unwrap().target, ImageFormat::Tiff);
    }

    #[test]
    fn errors() {
        assert_eq!(parse(&[]).unwrap_err().ec(), Some("0040-00000207"));
        assert_eq!(parse(&["dng"]).unwrap_err().ec(), Some("0040-00000206"));
        assert_eq!(parse(&["f_png"]).unwrap_err().ec(), Some("0040-00000206"));
        assert_eq!(parse(&["JPG"]).unwrap_err().ec(), Some("0040-00000206"));
        assert_eq!(
            parse(&["png", "jpg"]).unwrap_err().ec(),
            Some("0040-00000203")
        );
        assert_eq!(parse(&["heic"]).unwrap_err().code(), "NotImplemented");
    }

    #[cfg(feature = "avif")]
    #[test]
    fn avif_is_a_target_with_the_feature() {
        assert_eq!(parse(&["avif"]).unwrap().target, ImageFormat::Avif);
        assert_eq!(parse(&["avif"]).unwrap().to_string(), "avif");
    }

    #[cfg(not(feature = "avif"))]
    #[test]
    fn avif_is_not_implemented_without_the_feature() {
        let e = parse(&["avif"]).unwrap_err();
        assert_eq!((e.code(), e.status()), ("NotImplemented", 400));
    }
}
