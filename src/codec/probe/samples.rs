//! Small hand-built files of every format for the probe's tests.

use super::{probe, ImageFormat};
use crate::codec::metadata::ifd::tests::tiff_with;
use crate::codec::metadata::tags;
use crate::error::ErrorKind;

pub(super) fn facts(bytes: &[u8]) -> (ImageFormat, u32, u32, u32, u8, bool) {
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

pub(super) fn is_corrupt(bytes: &[u8]) -> bool {
    let e = probe(bytes).unwrap_err();
    e.kind() == ErrorKind::BadRequest && e.message().contains("cannot be decoded")
}

pub(super) fn jpeg_with_exif(orientation: u16) -> Vec<u8> {
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

fn png_chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0; 4]);
}

pub(super) fn png(color_type: u8, extra: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
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

/// A GIF with `frames` 1×1 images, optional transparency and loop block.
pub(super) fn gif(frames: usize, transparent: bool, netscape: Option<u16>) -> Vec<u8> {
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

pub(super) fn riff(chunks: &[(&[u8], Vec<u8>)]) -> Vec<u8> {
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

pub(super) fn vp8x(flags: u8, w: u32, h: u32) -> Vec<u8> {
    let mut d = vec![flags, 0, 0, 0];
    d.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    d.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    d
}

pub(super) fn bmp(
    header_size: u32,
    w: i32,
    h: i32,
    bpp: u16,
    compression: u32,
    a_mask: u32,
) -> Vec<u8> {
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
