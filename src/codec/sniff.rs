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
        heif_brand(bytes)
    }
}

/// HEIF (ISO/IEC 23008-12) files open with an `ftyp` box: a major brand and a list of
/// compatible brands. An AVIF brand anywhere makes it AVIF (AV1-coded); an HEVC brand, or
/// the generic `mif1`/`msf1` alone, makes it HEIC. Which codec the primary item really
/// uses is for the container reader to find out.
fn heif_brand(bytes: &[u8]) -> Option<ImageFormat> {
    let size = usize::try_from(u32::from_be_bytes(*bytes.first_chunk::<4>()?)).ok()?;
    if bytes.get(4..8) != Some(b"ftyp".as_slice()) || !(16..=4096).contains(&size) {
        return None;
    }
    // Major brand (8..12), minor version (12..16), compatible brands (16..size).
    let compatible = bytes.get(16..size.min(bytes.len()))?.chunks_exact(4);
    let brands: Vec<&[u8]> = bytes.get(8..12).into_iter().chain(compatible).collect();
    let has = |names: &[&[u8; 4]]| {
        brands
            .iter()
            .any(|b| names.iter().any(|n| *b == n.as_slice()))
    };
    if has(&[b"avif", b"avis"]) {
        Some(ImageFormat::Avif)
    } else if has(&[
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
    ]) {
        Some(ImageFormat::Heic)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_is_recognised() {
        let cases: [(&[u8], ImageFormat); 14] = [
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
            (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", ImageFormat::Heic),
            (b"\0\0\0\x14ftypmif1\0\0\0\0mif1", ImageFormat::Heic),
            (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", ImageFormat::Avif),
            (b"\0\0\0\x18ftypmif1\0\0\0\0mif1avis", ImageFormat::Avif),
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
            // An `ftyp` that is too short to hold its brands, and one of an MP4 video.
            b"\0\0\0\x0cftypavif",
            b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2",
        ] {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }
}
