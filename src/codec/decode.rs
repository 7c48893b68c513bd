//! Bytes → RGBA8 frames through the `image` crate, under the allocation budget of
//! [`Limits`]. Animated GIF and WebP come out as fully composited frames with delays.

use std::io::Cursor;

use image::codecs::gif::GifDecoder;
use image::codecs::webp::WebPDecoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageError, ImageReader};

use super::colour::{self, SrgbConversion};
use super::probe::jpeg::jpeg_has_scan_data;
use super::probe::png::{png_end_before_truncation, png_has_enough_data};
use super::probe::{read_header, Header};
use super::{heif, jpeg_rgba, jpeg_scaled, tiff};
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::{rgba_len, Frame, Image, LoopCount};
use crate::limits::{Admission, Limits};

/// Decodes `bytes`, whose header facts are `probe`, into RGBA8 frames: as many as
/// `admission` lets through, within the bytes it granted.
pub fn decode(
    bytes: &[u8],
    probe: &Probe,
    limits: &Limits,
    admission: &Admission,
) -> Result<Image> {
    let budget = Budget {
        limits: decoder_limits(limits),
        max_bytes: admission.decode_bytes(),
        frames: admission.frames(),
    };
    let mut image = match probe.format {
        ImageFormat::Gif => decode_gif(bytes, &budget),
        ImageFormat::WebP => decode_webp(bytes, &budget),
        ImageFormat::Heic | ImageFormat::Avif => {
            heif::decode(bytes, probe, admission, limits.max_decode_alloc)
        }
        format => decode_still(bytes, format, &budget),
    }?;
    colour::to_srgb(bytes, probe.format, &mut image);
    Ok(image)
}

/// A still JPEG decoded at a reduced DCT scale, and the conversion to sRGB still to apply.
pub struct Shrunk {
    pub image: Image,
    /// `None`: the picture is sRGB already.
    pub colour: Option<SrgbConversion>,
}

/// For a still JPEG whose first resize samples it down to `min_w × min_h` stored pixels:
/// the frame decoded at the smallest DCT scale that still leaves that resize a 2× shrink
/// (shrink-on-load), or `None` when no reduced decode applies (decode it with [`decode`]).
/// Unlike [`decode`], the colour conversion is left to the caller, to run after that resize.
pub fn decode_shrunk(
    bytes: &[u8],
    probe: &Probe,
    admission: &Admission,
    (min_w, min_h): (u32, u32),
) -> Result<Option<Shrunk>> {
    let denominator = jpeg_scaled::scale_denominator(probe.width, probe.height, min_w, min_h);
    if probe.format != ImageFormat::Jpeg || admission.frames() != 1 || denominator == 1 {
        return Ok(None);
    }
    if !jpeg_has_scan_data(bytes) {
        return Err(Error::corrupt("the JPEG has no image data"));
    }
    let size = (probe.width, probe.height);
    let frame = jpeg_scaled::decode(bytes, size, denominator, admission.decode_bytes())?;
    Ok(frame.map(|frame| Shrunk {
        image: Image::still(frame),
        colour: colour::conversion(bytes, probe.format),
    }))
}

/// What one decode may use: the `image` limits, the checked RGBA total and the frame count.
struct Budget {
    limits: image::Limits,
    max_bytes: u64,
    frames: u32,
}

fn decoder_limits(limits: &Limits) -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_source_side);
    l.max_image_height = Some(limits.max_source_side);
    l.max_alloc = Some(limits.max_decode_alloc);
    l
}

/// Limit errors stay limit errors; everything else means the file is broken.
fn decode_error(e: ImageError) -> Error {
    match e {
        ImageError::Limits(l) => Error::too_large(None, format!("decode error: {l}")),
        other => Error::corrupt(other),
    }
}

/// The `image` crate's name for a format it decodes for us.
fn image_format(format: ImageFormat) -> Option<image::ImageFormat> {
    Some(match format {
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Gif => image::ImageFormat::Gif,
        ImageFormat::WebP => image::ImageFormat::WebP,
        ImageFormat::Bmp => image::ImageFormat::Bmp,
        ImageFormat::Tiff => image::ImageFormat::Tiff,
        ImageFormat::Heic | ImageFormat::Avif => return None,
    })
}

/// Any bit depth or colour model to one RGBA8 frame (a multi-page TIFF gives its first page).
fn decode_still(bytes: &[u8], format: ImageFormat, budget: &Budget) -> Result<Image> {
    match format {
        ImageFormat::Jpeg if !jpeg_has_scan_data(bytes) => {
            return Err(Error::corrupt("the JPEG has no image data"));
        }
        ImageFormat::Png if !png_has_enough_data(bytes) => {
            return Err(Error::corrupt(
                "the PNG holds less image data than its size needs",
            ));
        }
        // tiff 0.11 panics on tiled planar files and misreads float RGB: ours decodes them.
        ImageFormat::Tiff if tiff::takes_over(bytes) => {
            return decode_tiff(bytes, budget);
        }
        _ => {}
    }
    if format == ImageFormat::Jpeg {
        let max_side = budget.limits.max_image_width.unwrap_or(u32::MAX);
        if let Some(frame) = jpeg_rgba::decode(bytes, max_side, budget.max_bytes)? {
            return Ok(Image::still(frame));
        }
        if let Some((w, h, mut cmyk)) = jpeg_rgba::decode_cmyk(bytes, max_side, budget.max_bytes)? {
            colour::cmyk_to_srgb(bytes, ImageFormat::Jpeg, &mut cmyk);
            return Ok(Image::still(Frame::from_rgba(w, h, cmyk)?));
        }
    }
    let repaired;
    let bytes = match format {
        ImageFormat::Png => match png_end_before_truncation(bytes) {
            Some(end) => {
                repaired = png_with_iend(bytes, end)?;
                repaired.as_slice()
            }
            None => bytes,
        },
        _ => bytes,
    };
    let mut reader = ImageReader::with_format(
        Cursor::new(bytes),
        image_format(format).ok_or_else(Error::unsupported_format)?,
    );
    reader.limits(budget.limits.clone());
    match reader.decode() {
        Ok(decoded) => still_from(decoded, budget),
        // A TIFF variant image refuses (palette, CMYK, YCbCr, JPEG, LZMA, fax, ...).
        // Its error then is ours: it says which feature or which part is at fault.
        Err(e) if format == ImageFormat::Tiff && !matches!(e, ImageError::Limits(_)) => {
            decode_tiff(bytes, budget)
        }
        Err(e) => Err(decode_error(e)),
    }
}

/// The PNG's first `end` bytes (its complete chunks) and an IEND chunk. A PNG cut in or
/// before its last chunks (IEND, a trailing ancillary chunk, an empty IDAT header after the
/// image data) still holds its whole image, and libvips, browsers and the png command-line
/// tools show it; the png crate fails on the cut chunk instead. When the image data itself
/// is short, decoding this copy fails as before.
fn png_with_iend(bytes: &[u8], end: usize) -> Result<Vec<u8>> {
    const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
    let head = bytes
        .get(..end)
        .ok_or_else(|| Error::internal("PNG repair offset"))?;
    let mut out = Vec::new();
    out.try_reserve_exact(end.saturating_add(IEND.len()))
        .map_err(|_| Error::too_large(None, "cannot allocate a copy of the PNG."))?;
    out.extend_from_slice(head);
    out.extend_from_slice(&IEND);
    Ok(out)
}

/// The first page of a TIFF through our own reader (`codec/tiff/`).
fn decode_tiff(bytes: &[u8], budget: &Budget) -> Result<Image> {
    let max_side = budget.limits.max_image_width.unwrap_or(u32::MAX);
    let max_alloc = budget.limits.max_alloc.unwrap_or(u64::MAX);
    let frame = tiff::decode(bytes, max_side, budget.max_bytes, max_alloc)?;
    check_frame(frame.width(), frame.height(), 1, budget)?;
    Ok(Image::still(frame))
}

fn still_from(decoded: DynamicImage, budget: &Budget) -> Result<Image> {
    let (w, h) = (decoded.width(), decoded.height());
    check_frame(w, h, 1, budget)?;
    Ok(Image::still(Frame::from_rgba(
        w,
        h,
        decoded.into_rgba8().into_raw(),
    )?))
}

/// Fails when frame number `n` (1-based) of `w × h` would go over the checked total; the
/// decoder may disagree with the header about sizes or frame counts.
fn check_frame(w: u32, h: u32, n: u32, budget: &Budget) -> Result<()> {
    let used = u64::try_from(rgba_len(w, h)?)
        .ok()
        .and_then(|b| b.checked_mul(u64::from(n)));
    match used {
        Some(used) if used <= budget.max_bytes => Ok(()),
        _ => Err(Error::too_large(
            None,
            "the decoded image is larger than its header declares.",
        )),
    }
}

fn decode_gif(bytes: &[u8], budget: &Budget) -> Result<Image> {
    let header = read_header(bytes)?;
    let repaired;
    let bytes = if header.gif.grey_palette || header.gif.grow_screen {
        repaired = repaired_gif(bytes, &header)?;
        repaired.as_slice()
    } else {
        bytes
    };
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(decode_error)?;
    decoder
        .set_limits(budget.limits.clone())
        .map_err(decode_error)?;
    animation(decoder, header.loop_count, budget)
}

/// A copy of a GIF with the repairs its header walk asked for: the logical screen grown to
/// the probed size, and a 256-level grey global colour table when a frame has none (Pillow
/// shows those as greys).
fn repaired_gif(bytes: &[u8], header: &Header) -> Result<Vec<u8>> {
    let (screen, rest) = bytes
        .split_at_checked(13)
        .ok_or_else(|| Error::corrupt("the GIF header is truncated"))?;
    let mut out = Vec::new();
    out.try_reserve_exact(bytes.len().saturating_add(768))
        .map_err(|_| Error::too_large(None, "cannot allocate a copy of the GIF."))?;
    out.extend_from_slice(screen);
    if header.gif.grow_screen {
        let side = |v: u32| u16::try_from(v).map_err(|_| Error::internal("GIF screen size"));
        let (w, h) = (side(header.probe.width)?, side(header.probe.height)?);
        if let Some(size) = out.get_mut(6..10) {
            size.copy_from_slice(&[w.to_le_bytes(), h.to_le_bytes()].concat());
        }
    }
    if header.gif.grey_palette {
        if let Some(flags) = out.get_mut(10) {
            // Global table present, 256 entries; keep colour resolution and sort flag.
            *flags = (*flags & 0x78) | 0x87;
        }
        for level in 0..=255u8 {
            out.extend_from_slice(&[level; 3]);
        }
    }
    out.extend_from_slice(rest);
    Ok(out)
}

fn decode_webp(bytes: &[u8], budget: &Budget) -> Result<Image> {
    let mut decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(decode_error)?;
    decoder
        .set_limits(budget.limits.clone())
        .map_err(decode_error)?;
    if decoder.has_animation() {
        animation(decoder, read_header(bytes)?.loop_count, budget)
    } else {
        still_from(
            DynamicImage::from_decoder(decoder).map_err(decode_error)?,
            budget,
        )
    }
}

/// The first `budget.frames` composited frames with their delays. The loop count comes from
/// our own header walk: image folds GIF's "play once" and "forever" together.
fn animation<'a>(
    decoder: impl AnimationDecoder<'a>,
    loop_count: LoopCount,
    budget: &Budget,
) -> Result<Image> {
    let mut frames = Vec::new();
    for (n, decoded) in (1..=budget.frames).zip(decoder.into_frames()) {
        let decoded = decoded.map_err(decode_error)?;
        let (numer, denom) = decoded.delay().numer_denom_ms();
        let buffer = decoded.into_buffer();
        let (w, h) = buffer.dimensions();
        check_frame(w, h, n, budget)?;
        let mut frame = Frame::from_rgba(w, h, buffer.into_raw())?;
        frame.delay_ms = rounded_ms(numer, denom);
        frames.push(frame);
    }
    Image::animation(frames, loop_count)
}

/// `numer / denom` milliseconds, rounded to the nearest integer.
fn rounded_ms(numer: u32, denom: u32) -> u32 {
    if denom == 0 {
        return 0;
    }
    let ms = (u64::from(numer) + u64::from(denom / 2)) / u64::from(denom);
    u32::try_from(ms).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::{encode, probe, EncodeOptions};
    use crate::error::ErrorKind;

    fn gradient(w: u32, h: u32, alpha: bool) -> Frame {
        let mut px = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let a = if alpha {
                    ((x * 255) / w.max(1)) as u8
                } else {
                    255
                };
                px.extend_from_slice(&[(x * 7) as u8, (y * 11) as u8, ((x + y) * 5) as u8, a]);
            }
        }
        Frame::from_rgba(w, h, px).unwrap()
    }

    fn encoded(format: ImageFormat, image: &Image) -> Vec<u8> {
        let opts = EncodeOptions {
            format,
            quality: 90,
            progressive: false,
        };
        encode(image, &opts, &Limits::oss()).unwrap()
    }

    fn decode_all(bytes: &[u8], limits: &Limits) -> Result<Image> {
        let p = probe(bytes)?;
        decode(bytes, &p, limits, &every_frame(&p, limits)?)
    }

    /// What a kept animation is admitted with: all of its frames.
    fn every_frame(p: &Probe, limits: &Limits) -> Result<Admission> {
        limits.admit(p, if p.format.has_frames() { p.frames } else { 1 })
    }

    #[test]
    fn stills_decode_to_their_size() {
        let image = Image::still(gradient(13, 9, false));
        for format in [
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::Gif,
            ImageFormat::WebP,
            ImageFormat::Bmp,
            ImageFormat::Tiff,
        ] {
            let out = decode_all(&encoded(format, &image), &Limits::oss()).unwrap();
            assert_eq!((out.width(), out.height(), out.frames().len()), (13, 9, 1));
        }
    }

    fn animation_of(n: u32) -> Image {
        let frames = (0..n)
            .map(|i| {
                let mut f = Frame::filled(8, 6, [(i * 60) as u8, 0, 255, 255]).unwrap();
                f.delay_ms = 100 + i * 20;
                f
            })
            .collect();
        Image::animation(frames, LoopCount::Finite(3)).unwrap()
    }

    #[test]
    fn first_frame_only_when_asked() {
        let gif = encoded(ImageFormat::Gif, &animation_of(3));
        let p = probe(&gif).unwrap();
        assert_eq!(p.frames, 3);
        let oss = Limits::oss();
        let first = decode(&gif, &p, &oss, &oss.admit(&p, 1).unwrap()).unwrap();
        assert_eq!(first.frames().len(), 1);
        let all = decode_all(&gif, &oss).unwrap();
        assert_eq!(all.frames().len(), 3);
        assert_eq!(all.loop_count, LoopCount::Finite(3));
        let delays: Vec<u32> = all.frames().iter().map(|f| f.delay_ms).collect();
        assert_eq!(delays, [100, 120, 140]);
    }

    #[test]
    fn budget_is_checked_before_decoding() {
        let gif = encoded(ImageFormat::Gif, &animation_of(3));
        let mut tight = Limits::oss();
        tight.max_decode_alloc = 8 * 6 * 4 * 2;
        let e = decode_all(&gif, &tight).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ImageTooLarge);
        let p = probe(&gif).unwrap();
        assert!(decode(&gif, &p, &tight, &tight.admit(&p, 1).unwrap()).is_ok());
    }

    #[test]
    fn side_limit_reaches_the_decoder() {
        let png = encoded(ImageFormat::Png, &Image::still(gradient(40, 2, false)));
        let p = probe(&png).unwrap();
        let admitted = Limits::oss().admit(&p, 1).unwrap();
        let mut tight = Limits::oss();
        tight.max_source_side = 39;
        let e = decode(&png, &p, &tight, &admitted).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ImageTooLarge);
    }

    #[test]
    fn a_lying_header_cannot_overrun_the_budget() {
        // The probe is trusted for the budget; a decoded size above it is refused.
        let png = encoded(ImageFormat::Png, &Image::still(gradient(40, 30, false)));
        let mut p = probe(&png).unwrap();
        p.width = 4;
        p.height = 3;
        let oss = Limits::oss();
        let e = decode(&png, &p, &oss, &every_frame(&p, &oss).unwrap()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ImageTooLarge);
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let still = Image::still(gradient(7, 5, true));
        for format in [
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::WebP,
            ImageFormat::Bmp,
            ImageFormat::Tiff,
        ] {
            let bytes = encoded(format, &still);
            for len in 0..bytes.len() {
                let cut = &bytes[..len];
                if let Ok(p) = probe(cut) {
                    // A few formats end with bytes the decoder does not need.
                    let admitted = every_frame(&p, &Limits::oss());
                    if let Err(e) = admitted.and_then(|a| decode(cut, &p, &Limits::oss(), &a)) {
                        assert_eq!(e.kind(), ErrorKind::BadRequest, "{format:?} {len}");
                    }
                }
            }
        }
        let gif = encoded(ImageFormat::Gif, &animation_of(3));
        for len in 0..gif.len() {
            let cut = &gif[..len];
            if let Ok(p) = probe(cut) {
                if let Ok(image) = decode_all(cut, &Limits::oss()) {
                    assert_eq!(image.frames().len() as u32, p.frames);
                }
            }
        }
    }

    #[test]
    fn a_png_cut_after_its_image_data_decodes() {
        let image = Image::still(gradient(13, 9, true));
        let png = encoded(ImageFormat::Png, &image);
        let whole = decode_all(&png, &Limits::oss()).unwrap();
        let iend = png.len() - 12;
        // IEND cut or missing; a trailing chunk header whose data is missing (Pillow's
        // truncated_end_chunk.png: an IDAT header after the complete image data).
        let mut dangling = png[..iend].to_vec();
        dangling.extend_from_slice(&[0, 0, 0x76, 0x4E, b'I', b'D', b'A', b'T']);
        for cut in [&png[..iend + 7], &png[..iend], dangling.as_slice()] {
            let out = decode_all(cut, &Limits::oss()).unwrap();
            assert_eq!(out.first(), whole.first());
        }
        // Image data cut: refused (libvips too, unless told to fail on nothing).
        let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
        let e = decode_all(&png[..idat + 20], &Limits::oss()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadRequest);
    }

    #[test]
    fn garbage_after_a_valid_magic_is_corrupt() {
        let mut fake = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02\x08\x06\0\0\0".to_vec();
        fake.extend_from_slice(&[0xAB; 64]);
        let e = decode_all(&fake, &Limits::oss()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadRequest);
    }

    #[test]
    fn a_jpeg_cut_after_its_scan_header_is_corrupt() {
        let jpeg = encoded(ImageFormat::Jpeg, &Image::still(gradient(16, 16, false)));
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let len = usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]));
        let cut = &jpeg[..sos + 2 + len];
        let e = decode_all(cut, &Limits::oss()).unwrap_err();
        assert!(e.message().contains("no image data"), "{e}");
    }

    #[test]
    fn a_gif_without_any_palette_decodes_as_grey() {
        // 2×1 screen, no global table; one 2×1 image without a local table whose two
        // pixels are index 0 and 3 (LZW, min code size 2: clear, 0, 3, end).
        let mut gif = b"GIF89a\x02\x00\x01\x00\x00\x00\x00".to_vec();
        gif.extend_from_slice(&[0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0]);
        gif.extend_from_slice(&[2, 2, 0xC4, 0x0A, 0, 0x3B]);
        let image = decode_all(&gif, &Limits::oss()).unwrap();
        assert_eq!(image.first().pixels(), &[0, 0, 0, 255, 3, 3, 3, 255]);
    }

    #[test]
    fn a_first_frame_larger_than_the_screen_grows_the_canvas() {
        let gif = encoded(ImageFormat::Gif, &Image::still(gradient(6, 4, false)));
        let mut small_screen = gif.clone();
        small_screen[6] = 3;
        small_screen[8] = 2;
        let image = decode_all(&small_screen, &Limits::oss()).unwrap();
        assert_eq!((image.width(), image.height()), (6, 4));
        assert_eq!(
            image.first(),
            decode_all(&gif, &Limits::oss()).unwrap().first()
        );
    }

    #[test]
    fn tiled_planar_tiff_goes_to_our_reader_not_image() {
        // tiff 0.11 panics on some tiled planar files; ours says what is missing.
        use crate::codec::metadata::ifd::tests::tiff_with;
        use crate::codec::metadata::tags;
        let tiff = tiff_with(
            true,
            &[
                (tags::TAG_WIDTH, 40),
                (tags::TAG_HEIGHT, 30),
                (tags::TAG_PLANAR_CONFIGURATION, 2),
                (0x0115, 3), // SamplesPerPixel
                (tags::TAG_TILE_WIDTH, 16),
                (0x0143, 16), // TileLength
            ],
        );
        let e = decode_all(&tiff, &Limits::oss()).unwrap_err();
        assert!(e.message().contains("fewer chunks"), "{e}");
    }

    #[test]
    fn delays_round_to_milliseconds() {
        assert_eq!(rounded_ms(100, 1), 100);
        assert_eq!(rounded_ms(1, 3), 0);
        assert_eq!(rounded_ms(2, 3), 1);
        assert_eq!(rounded_ms(5, 0), 0);
    }
}
