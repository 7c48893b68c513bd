//! Header facts without decoding pixels. Each format has a small hand parser that walks
//! markers, chunks or blocks by their declared lengths with bounds-checked reads
//! ([`super::bytes`]); nothing here allocates in proportion to a declared size.

mod bmp;
mod gif;
pub(super) mod jpeg;
pub(super) mod png;
mod tiff;
mod webp;

use super::sniff;
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::LoopCount;
use gif::GifRepairs;

/// Reads format, size, frame count, EXIF orientation and alpha from the header.
pub fn probe(bytes: &[u8]) -> Result<Probe> {
    Ok(read_header(bytes)?.probe)
}

/// What the header says, including the animation's loop count, which `decode` needs but
/// [`Probe`] does not carry.
pub(in crate::codec) struct Header {
    pub probe: Probe,
    pub loop_count: LoopCount,
    pub gif: GifRepairs,
}

pub(in crate::codec) fn read_header(bytes: &[u8]) -> Result<Header> {
    let format = sniff(bytes).ok_or_else(Error::unsupported_format)?;
    let header = match format {
        ImageFormat::Jpeg => jpeg::header(bytes),
        ImageFormat::Png => png::header(bytes),
        ImageFormat::Gif => gif::header(bytes),
        ImageFormat::WebP => webp::header(bytes),
        ImageFormat::Bmp => bmp::header(bytes),
        ImageFormat::Tiff => tiff::header(bytes),
    }?;
    if header.probe.width == 0 || header.probe.height == 0 {
        return Err(Error::corrupt("the image declares a zero width or height"));
    }
    Ok(header)
}

impl Header {
    fn still(format: ImageFormat, width: u32, height: u32, orientation: u8, alpha: bool) -> Self {
        Header {
            probe: Probe {
                format,
                width,
                height,
                frames: 1,
                orientation,
                has_alpha: alpha,
            },
            loop_count: LoopCount::Infinite,
            gif: GifRepairs::default(),
        }
    }
}

fn truncated(format: &str) -> Error {
    Error::corrupt(format!("the {format} header is truncated"))
}

#[cfg(test)]
mod tests {
    use super::png::png_has_enough_data;
    use super::*;
    use crate::codec::metadata::ifd::tests::tiff_with;
    use crate::codec::metadata::tags;
    use crate::error::ErrorKind;

    fn facts(bytes: &[u8]) -> (ImageFormat, u32, u32, u32, u8, bool) {
        let p = probe(bytes).unwrap();
        (
            p.format,
            p.width,
            p.height,
            p.frames,
            p.orientation,
            p.has_alpha,
        )
    }

    fn is_corrupt(bytes: &[u8]) -> bool {
        let e = probe(bytes).unwrap_err();
        e.kind() == ErrorKind::BadRequest && e.message().contains("cannot be decoded")
    }

    fn jpeg_with_exif(orientation: u16) -> Vec<u8> {
        let exif = tiff_with(false, &[(tags::TAG_ORIENTATION, orientation)]);
        let mut j = b"\xFF\xD8\xFF\xE0\x00\x04JF".to_vec();
        j.extend_from_slice(b"\xFF\xE1");
        j.extend_from_slice(&((exif.len() + 8) as u16).to_be_bytes());
        j.extend_from_slice(b"Exif\0\0");
        j.extend_from_slice(&exif);
        j.extend_from_slice(b"\xFF\xFF\xC2\x00\x11\x08\x01\x2C\x02\x58\x03");
        j.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        j.extend_from_slice(b"\xFF\xDA");
        j
    }

    #[test]
    fn jpeg_size_and_orientation() {
        let j = jpeg_with_exif(6);
        assert_eq!(facts(&j), (ImageFormat::Jpeg, 600, 300, 1, 6, false));
        assert_eq!(facts(&jpeg_with_exif(11)).4, 1);
        // Zero height (DNL) is not supported.
        let mut z = j.clone();
        let sof = z.windows(2).position(|w| w == b"\xFF\xC2").unwrap();
        z[sof + 5] = 0;
        z[sof + 6] = 0;
        assert!(is_corrupt(&z));
    }

    #[test]
    fn jpeg_scan_before_frame_is_corrupt() {
        assert!(is_corrupt(b"\xFF\xD8\xFF\xDA\x00\x02"));
        assert!(is_corrupt(b"\xFF\xD8\xFF\xD9"));
        assert!(is_corrupt(b"\xFF\xD8\xFF\xE0\x00\x01"));
        assert!(is_corrupt(b"\xFF\xD8\xFF\xE0\x00\x02garbage\xFF\xD9"));
    }

    fn png_chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]);
    }

    fn png(color_type: u8, extra: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = 640u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&480u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, color_type, 0, 0, 0]);
        png_chunk(&mut p, b"IHDR", &ihdr);
        for (kind, data) in extra {
            png_chunk(&mut p, kind, data);
        }
        // 640×480 RGBA needs at least 1,229,280 / 1032 bytes of deflate data.
        png_chunk(&mut p, b"IDAT", &[0; 1200]);
        png_chunk(&mut p, b"IEND", &[]);
        p
    }

    #[test]
    fn png_data_must_be_able_to_fill_the_declared_size() {
        let mut p = png(6, &[]);
        assert!(png_has_enough_data(&p));
        // Shrink the IDAT chunk (its length field follows IHDR at byte 33) to 10 bytes.
        p[33..37].copy_from_slice(&10u32.to_be_bytes());
        assert!(!png_has_enough_data(&p));
        assert!(!png_has_enough_data(&p[..20]));
    }

    #[test]
    fn png_alpha_and_exif() {
        assert_eq!(
            facts(&png(2, &[])),
            (ImageFormat::Png, 640, 480, 1, 1, false)
        );
        assert!(facts(&png(6, &[])).5);
        assert!(facts(&png(3, &[(b"tRNS", vec![0])])).5);
        let exif = tiff_with(true, &[(tags::TAG_ORIENTATION, 8)]);
        let actl = vec![0, 0, 0, 5, 0, 0, 0, 0];
        let p = png(2, &[(b"acTL", actl), (b"eXIf", exif)]);
        assert_eq!(facts(&p), (ImageFormat::Png, 640, 480, 1, 8, false));
        let mut method = png(2, &[]);
        method[26] = 1;
        assert!(is_corrupt(&method));
        assert!(is_corrupt(&png(2, &[(b"iCCP", b"icc\0\x01xyz".to_vec())])));
        assert!(probe(&png(2, &[(b"iCCP", b"icc\0\0xyz".to_vec())])).is_ok());
        let mut not_ihdr = png(2, &[]);
        not_ihdr[12] = b'X';
        assert!(is_corrupt(&not_ihdr));
    }

    /// A GIF with `frames` 1×1 images, optional transparency and loop block.
    fn gif(frames: usize, transparent: bool, netscape: Option<u16>) -> Vec<u8> {
        let mut g = b"GIF89a\x02\x00\x03\x00\x80\x00\x00".to_vec();
        g.extend_from_slice(&[0; 6]);
        if let Some(n) = netscape {
            g.extend_from_slice(b"\x21\xFF\x0BNETSCAPE2.0\x03\x01");
            g.extend_from_slice(&n.to_le_bytes());
            g.push(0);
        }
        for _ in 0..frames {
            g.extend_from_slice(&[0x21, 0xF9, 4, u8::from(transparent), 10, 0, 0, 0]);
            g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 2, 0, 3, 0, 0]);
            g.extend_from_slice(&[2, 2, 0x4C, 0x01, 0]);
        }
        g.push(0x3B);
        g
    }

    #[test]
    fn gif_frames_alpha_and_loop() {
        assert_eq!(
            facts(&gif(1, false, None)),
            (ImageFormat::Gif, 2, 3, 1, 1, false)
        );
        assert_eq!(
            facts(&gif(3, true, None)),
            (ImageFormat::Gif, 2, 3, 3, 1, true)
        );
        let h = read_header(&gif(2, false, Some(0))).unwrap();
        assert_eq!(h.loop_count, LoopCount::Infinite);
        let h = read_header(&gif(2, false, Some(4))).unwrap();
        assert_eq!(h.loop_count, LoopCount::Finite(4));
        let h = read_header(&gif(2, false, None)).unwrap();
        assert_eq!(h.loop_count, LoopCount::Finite(0));
        // The trailer is optional; a cut inside the second frame keeps the first.
        let g = gif(2, false, None);
        assert_eq!(facts(&g[..g.len() - 1]).3, 2);
        assert_eq!(facts(&g[..g.len() - 4]).3, 1);
        assert!(is_corrupt(b"GIF89a\x02\x00\x03\x00\x00\x00\x00\x3B"));
        assert!(is_corrupt(b"GIF89a\x02\x00\x03\x00\x00\x00\x00\x99"));
    }

    #[test]
    fn the_screen_grows_to_hold_the_first_frame() {
        // 2×3 screen, first frame 5×4 at (1, 0): the canvas becomes 6×4.
        let mut g = gif(2, false, None);
        let desc = g.iter().position(|&b| b == 0x2C).unwrap();
        g[desc + 1] = 1;
        g[desc + 5] = 5;
        g[desc + 7] = 4;
        let h = read_header(&g).unwrap();
        assert_eq!(
            (h.probe.width, h.probe.height, h.probe.has_alpha),
            (6, 4, true)
        );
        assert!(h.gif.grow_screen);
        assert!(!read_header(&gif(2, false, None)).unwrap().gif.grow_screen);
        // An extent past 65,535 cannot be stored: the frame is clipped instead.
        g[desc + 1] = 0xFF;
        g[desc + 2] = 0xFF;
        assert_eq!(read_header(&g).unwrap().probe.width, 2);
    }

    #[test]
    fn gif_frame_smaller_than_canvas_has_alpha() {
        let mut g = gif(1, false, None);
        let desc = g.iter().position(|&b| b == 0x2C).unwrap();
        g[desc + 5] = 1;
        assert!(facts(&g).5);
    }

    fn riff(chunks: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        for (kind, data) in chunks {
            body.extend_from_slice(kind);
            body.extend_from_slice(&(data.len() as u32).to_le_bytes());
            body.extend_from_slice(data);
            if data.len() % 2 == 1 {
                body.push(0);
            }
        }
        let mut r = b"RIFF".to_vec();
        r.extend_from_slice(&(body.len() as u32).to_le_bytes());
        r.extend_from_slice(&body);
        r
    }

    #[test]
    fn webp_simple_lossy_and_lossless() {
        let vp8 = vec![0x10, 0, 0, 0x9D, 0x01, 0x2A, 0x90, 0x01, 0xC8, 0x40];
        assert_eq!(
            facts(&riff(&[(b"VP8 ", vp8)])),
            (ImageFormat::WebP, 400, 200, 1, 1, false)
        );
        // 100 × 50 with alpha: w-1 = 99, h-1 = 49 << 14, alpha bit 28.
        let bits: u32 = 99 | (49 << 14) | (1 << 28);
        let mut vp8l = vec![0x2F];
        vp8l.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(
            facts(&riff(&[(b"VP8L", vp8l)])),
            (ImageFormat::WebP, 100, 50, 1, 1, true)
        );
        assert!(is_corrupt(&riff(&[(b"VP8 ", vec![0; 10])])));
        assert!(is_corrupt(&riff(&[(b"JUNK", vec![0; 10])])));
    }

    fn vp8x(flags: u8, w: u32, h: u32) -> Vec<u8> {
        let mut d = vec![flags, 0, 0, 0];
        d.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
        d
    }

    #[test]
    fn webp_extended_animation_and_exif() {
        let exif = tiff_with(true, &[(tags::TAG_ORIENTATION, 3)]);
        let anim = vec![0, 0, 0, 0, 5, 0];
        let w = riff(&[
            (b"VP8X", vp8x(0x02 | 0x08 | 0x10, 300, 20_000)),
            (b"ANIM", anim),
            (b"ANMF", vec![0; 17]),
            (b"ANMF", vec![0; 16]),
            (b"EXIF", exif),
        ]);
        assert_eq!(facts(&w), (ImageFormat::WebP, 300, 20_000, 2, 3, true));
        assert_eq!(read_header(&w).unwrap().loop_count, LoopCount::Finite(4));
        let still = riff(&[(b"VP8X", vp8x(0, 16_384, 1)), (b"VP8 ", vec![0; 10])]);
        assert_eq!(facts(&still), (ImageFormat::WebP, 16_384, 1, 1, 1, false));
        assert!(is_corrupt(&riff(&[(b"VP8X", vp8x(0x02, 5, 5))])));
    }

    /// An ANMF frame of 400×200 (WebP spec: sides stored minus one) holding ALPH + VP8.
    fn alpha_frame(vp8_width: u8) -> Vec<u8> {
        let mut d = vec![0; 6];
        d.extend_from_slice(&(400u32 - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&(200u32 - 1).to_le_bytes()[..3]);
        d.extend_from_slice(&[100, 0, 0, 0]);
        d.extend_from_slice(b"ALPH\x03\0\0\0\0\0\0\0");
        // VP8 key frame header: frame tag, start code, 14-bit width and height (400×200).
        d.extend_from_slice(b"VP8 \x0a\0\0\0");
        d.extend_from_slice(&[0x10, 0, 0, 0x9D, 0x01, 0x2A, vp8_width, 0x01, 0xC8, 0x00]);
        d
    }

    #[test]
    fn webp_alpha_frame_must_match_its_colour_size() {
        let anim = |frame| riff(&[(b"VP8X", vp8x(0x02 | 0x10, 400, 200)), (b"ANMF", frame)]);
        assert_eq!(
            facts(&anim(alpha_frame(0x90))),
            (ImageFormat::WebP, 400, 200, 1, 1, true)
        );
        // 0x0190 = 400 wide; 0x0191 = 401: the decoder would index past its buffers.
        assert!(is_corrupt(&anim(alpha_frame(0x91))));
    }

    fn bmp(header_size: u32, w: i32, h: i32, bpp: u16, compression: u32, a_mask: u32) -> Vec<u8> {
        let mut b = b"BM".to_vec();
        b.extend_from_slice(&[0; 12]);
        b.extend_from_slice(&header_size.to_le_bytes());
        if header_size == 12 {
            b.extend_from_slice(&(w as u16).to_le_bytes());
            b.extend_from_slice(&(h as u16).to_le_bytes());
            b.extend_from_slice(&1u16.to_le_bytes());
            b.extend_from_slice(&bpp.to_le_bytes());
            return b;
        }
        b.extend_from_slice(&w.to_le_bytes());
        b.extend_from_slice(&h.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&bpp.to_le_bytes());
        b.extend_from_slice(&compression.to_le_bytes());
        b.resize(14 + header_size as usize, 0);
        if header_size >= 56 {
            b[66..70].copy_from_slice(&a_mask.to_le_bytes());
        }
        b
    }

    #[test]
    fn bmp_headers() {
        assert_eq!(
            facts(&bmp(12, 7, 5, 24, 0, 0)),
            (ImageFormat::Bmp, 7, 5, 1, 1, false)
        );
        assert_eq!(
            facts(&bmp(40, 7, -5, 24, 0, 0)),
            (ImageFormat::Bmp, 7, 5, 1, 1, false)
        );
        assert!(facts(&bmp(124, 7, 5, 32, 3, 0xFF00_0000)).5);
        assert!(!facts(&bmp(124, 7, 5, 32, 3, 0)).5);
        assert!(!facts(&bmp(40, 7, 5, 32, 0, 0)).5);
        assert!(is_corrupt(&bmp(40, -7, 5, 24, 0, 0)));
        assert!(is_corrupt(&bmp(40, 7, 0, 24, 0, 0)));
        assert!(is_corrupt(&bmp(8, 7, 5, 24, 0, 0)));
        assert_eq!(facts(&bmp(40, 7, i32::MIN, 24, 0, 0)).2, 1 << 31);
    }

    #[test]
    fn tiff_ifd0() {
        let t = tiff_with(
            false,
            &[
                (tags::TAG_WIDTH, 20),
                (tags::TAG_HEIGHT, 10),
                (tags::TAG_ORIENTATION, 5),
            ],
        );
        assert_eq!(facts(&t), (ImageFormat::Tiff, 20, 10, 1, 5, false));
        let t = tiff_with(
            true,
            &[
                (tags::TAG_WIDTH, 20),
                (tags::TAG_HEIGHT, 10),
                (tags::TAG_EXTRA_SAMPLES, 2),
            ],
        );
        assert_eq!(facts(&t), (ImageFormat::Tiff, 20, 10, 1, 1, true));
        assert!(is_corrupt(&tiff_with(true, &[(tags::TAG_WIDTH, 20)])));
    }

    #[test]
    fn garbage_is_unsupported() {
        for bytes in [b"".as_slice(), b"hello world", b"\0\0\0\x0cjP  \r\n\x87\n"] {
            let e = probe(bytes).unwrap_err();
            assert_eq!(e, Error::unsupported_format());
        }
    }

    #[test]
    fn every_prefix_of_every_header_is_an_error_or_a_probe() {
        let exif = tiff_with(true, &[(tags::TAG_ORIENTATION, 3)]);
        let samples = [
            jpeg_with_exif(6),
            png(6, &[(b"eXIf", exif.clone())]),
            gif(3, true, Some(2)),
            riff(&[
                (b"VP8X", vp8x(0x1A, 30, 20)),
                (b"ANIM", vec![0; 6]),
                (b"ANMF", vec![0; 16]),
                (b"EXIF", exif),
            ]),
            bmp(124, 7, 5, 32, 3, 1),
            tiff_with(
                false,
                &[(tags::TAG_WIDTH, 2), (tags::TAG_HEIGHT, 2), (0x0112, 2)],
            ),
        ];
        for sample in &samples {
            assert!(probe(sample).is_ok());
            for len in 0..sample.len() {
                if let Err(e) = probe(&sample[..len]) {
                    assert_eq!(e.kind(), ErrorKind::BadRequest);
                }
            }
        }
    }
}
