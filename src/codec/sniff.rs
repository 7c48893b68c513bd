//! Format detection from magic bytes. Only the signature is looked at; whether the rest of
//! the header makes sense is for [`super::probe`] to decide.

use crate::format::ImageFormat;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The format whose signature `bytes` starts with, if any.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\xFF\xD8\xFF") {
        Some(ImageFormat::Jpeg)
    } else if starts(PNG_SIGNATURE) {
        Some(ImageFormat::Png)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some(ImageFormat::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some(ImageFormat::WebP)
    } else if starts(b"BM") {
        Some(ImageFormat::Bmp)
    } else if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|magic| starts(magic.as_slice()))
    {
        // Classic TIFF (42) and BigTIFF (43), either byte order.
        Some(ImageFormat::Tiff)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_is_recognised() {
        let cases: [(&[u8], ImageFormat); 10] = [
            (b"\xFF\xD8\xFF\xE0rest", ImageFormat::Jpeg),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ImageFormat::Png),
            (b"GIF87a..", ImageFormat::Gif),
            (b"GIF89a..", ImageFormat::Gif),
            (b"RIFF\x10\0\0\0WEBPVP8 ", ImageFormat::WebP),
            (b"BM\0\0", ImageFormat::Bmp),
            (b"II*\0\x08\0\0\0", ImageFormat::Tiff),
            (b"MM\0*\0\0\0\x08", ImageFormat::Tiff),
            (b"II+\0\x08\0\0\0", ImageFormat::Tiff),
            (b"MM\0+\0\x08\0\0", ImageFormat::Tiff),
        ];
        for (bytes, format) in cases {
            assert_eq!(sniff(bytes), Some(format), "{bytes:?}");
        }
    }

    #[test]
    fn garbage_and_near_misses_are_unknown() {
        for bytes in [
            b"".as_slice(),
            b"\xFF\xD8",
            b"\x89PNG\r\n",
            b"GIF88a",
            b"RIFF\0\0\0\0WAVE",
            b"RIFF\0\0\0\0WEB",
            b"B",
            b"II*\x01",
            b"<svg xmlns=",
            b"\0\0\0\x18ftypavif",
        ] {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }
}
