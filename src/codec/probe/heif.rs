//! HEIF (HEIC and AVIF) header facts: to come from `codec::heif`'s container reader.

use super::Header;
use crate::error::{Error, Result};
use crate::format::ImageFormat;

pub(super) fn header(_bytes: &[u8], _format: ImageFormat) -> Result<Header> {
    Err(Error::unsupported_format())
}
