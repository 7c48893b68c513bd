//! One chunk's bytes as stored → its uncompressed bytes, at most `expected` of them (a
//! chunk that decodes to more is cut there, one that decodes to less is padded with
//! zeros, as libtiff reads short strips). JPEG chunks decode to pixels instead: `jpeg.rs`.

use std::io::Write;

use crate::error::{Error, Result};
use crate::frame::try_zeroed;

pub(super) const NONE: u16 = 1;
pub(super) const CCITT_RLE: u16 = 2;
pub(super) const CCITT_G3: u16 = 3;
pub(super) const CCITT_G4: u16 = 4;
pub(super) const LZW: u16 = 5;
pub(super) const OLD_JPEG: u16 = 6;
pub(super) const JPEG: u16 = 7;
pub(super) const DEFLATE: u16 = 8;
pub(super) const ADOBE_DEFLATE: u16 = 32946;
pub(super) const PACKBITS: u16 = 32773;
pub(super) const SGILOG: u16 = 34676;
pub(super) const LZMA: u16 = 34925;

/// The uncompressed bytes of `data`, exactly `expected` of them.
pub(super) fn decompress(compression: u16, data: &[u8], expected: usize) -> Result<Vec<u8>> {
    let mut out = match compression {
        NONE => {
            let mut out = try_zeroed(expected)?;
            let n = data.len().min(expected);
            if let (Some(dst), Some(src)) = (out.get_mut(..n), data.get(..n)) {
                dst.copy_from_slice(src);
            }
            out
        }
        LZW => lzw(data, expected)?,
        DEFLATE | ADOBE_DEFLATE => {
            match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, expected) {
                Ok(out) => out,
                // More data than the chunk needs, or a truncated stream: keep what came out.
                Err(e) if !e.output.is_empty() => e.output,
                Err(e) => return Err(Error::corrupt(format!("TIFF Deflate: {:?}", e.status))),
            }
        }
        PACKBITS => packbits(data, expected)?,
        LZMA => lzma(data, expected)?,
        other => {
            return Err(Error::corrupt(format!(
                "TIFF compression {other} is not supported"
            )))
        }
    };
    out.truncate(expected);
    if out.len() < expected {
        out.try_reserve_exact(expected - out.len())
            .map_err(|_| Error::too_large(None, "cannot allocate a TIFF chunk."))?;
        out.resize(expected, 0);
    }
    Ok(out)
}

/// TIFF LZW: MSB-first codes that widen one code early (libtiff's "compat" LZW, with
/// LSB-first codes, is the old, rare variant: tried when the first fails).
fn lzw(data: &[u8], expected: usize) -> Result<Vec<u8>> {
    let mut out = try_zeroed(expected)?;
    let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let (mut read, mut written) = (0, 0);
    while written < expected {
        let (Some(inp), Some(dst)) = (data.get(read..), out.get_mut(written..)) else {
            break;
        };
        let r = decoder.decode_bytes(inp, dst);
        read += r.consumed_in;
        written += r.consumed_out;
        match r.status {
            Ok(weezl::LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
            Ok(_) => break,
            // A damaged tail: keep the rows that decoded, as libtiff does.
            Err(_) if written > 0 => break,
            Err(e) => return Err(Error::corrupt(format!("TIFF LZW: {e}"))),
        }
    }
    Ok(out)
}

/// PackBits (Apple): a header byte n, then n + 1 literal bytes (n ≥ 0) or one byte
/// repeated 1 − n times (n < 0; −128 is a no-op).
fn packbits(data: &[u8], expected: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    out.try_reserve_exact(expected)
        .map_err(|_| Error::too_large(None, "cannot allocate a TIFF chunk."))?;
    let mut at = 0usize;
    while out.len() < expected {
        let Some(&n) = data.get(at) else { break };
        at += 1;
        let n = n as i8;
        if n >= 0 {
            let len = usize::from(n.unsigned_abs()) + 1;
            let Some(run) = data.get(at..at.saturating_add(len)) else {
                out.extend_from_slice(data.get(at..).unwrap_or_default());
                break;
            };
            out.extend_from_slice(run);
            at += len;
        } else if n != -128 {
            let Some(&b) = data.get(at) else { break };
            at += 1;
            let len = usize::from(n.unsigned_abs()) + 1;
            out.extend(std::iter::repeat_n(b, len.min(expected - out.len())));
        }
    }
    Ok(out)
}

/// LZMA as libtiff writes it: an .xz stream of one block whose filter chain is LZMA2,
/// usually after a byte-wise delta filter (libtiff's default). lzma-rs reads only
/// LZMA2-alone .xz files, so the block header is read here, its LZMA2 data decoded with
/// lzma-rs and the delta undone after. Output past `expected` is refused by the writer,
/// which also bounds the decoder's dictionary (it grows only as data is written).
fn lzma(data: &[u8], expected: usize) -> Result<Vec<u8>> {
    struct Capped(Vec<u8>, usize);
    impl Write for Capped {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let room = self.1.saturating_sub(self.0.len());
            if room == 0 && !buf.is_empty() {
                return Err(std::io::Error::other("more data than the chunk needs"));
            }
            let n = buf.len().min(room);
            self.0.extend_from_slice(buf.get(..n).unwrap_or_default());
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let bad = || Error::corrupt("TIFF LZMA: not an .xz stream this decoder reads");
    let (delta, lzma2) = xz_block(data).ok_or_else(bad)?;
    let mut out = Vec::new();
    out.try_reserve_exact(expected)
        .map_err(|_| Error::too_large(None, "cannot allocate a TIFF chunk."))?;
    let mut sink = Capped(out, expected);
    let result = lzma_rs::lzma2_decompress(&mut std::io::BufReader::new(lzma2), &mut sink);
    let mut out = match result {
        Ok(()) => sink.0,
        Err(_) if !sink.0.is_empty() => sink.0,
        Err(e) => return Err(Error::corrupt(format!("TIFF LZMA: {e}"))),
    };
    if let Some(distance) = delta {
        for i in distance..out.len() {
            let prev = out.get(i - distance).copied().unwrap_or(0);
            if let Some(b) = out.get_mut(i) {
                *b = b.wrapping_add(prev);
            }
        }
    }
    Ok(out)
}

/// The first block of an .xz stream: its delta distance (when the chain starts with the
/// delta filter) and its LZMA2 data. `None` for other filters or a malformed header.
fn xz_block(data: &[u8]) -> Option<(Option<usize>, &[u8])> {
    const MAGIC: &[u8] = b"\xFD7zXZ\0";
    if data.get(..6)? != MAGIC {
        return None;
    }
    let header_len = (usize::from(*data.get(12)?) + 1) * 4;
    let header = data.get(12..12 + header_len)?;
    let flags = *header.get(1)?;
    let filters = usize::from(flags & 3) + 1;
    let mut at = 2;
    let varint = |at: &mut usize| -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..63).step_by(7) {
            let b = *header.get(*at)?;
            *at += 1;
            v |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    if flags & 0x40 != 0 {
        varint(&mut at)?;
    }
    if flags & 0x80 != 0 {
        varint(&mut at)?;
    }
    let mut delta = None;
    for n in 0..filters {
        let id = varint(&mut at)?;
        let props = usize::try_from(varint(&mut at)?).ok()?;
        let first_prop = *header.get(at)?;
        at = at.checked_add(props)?;
        match (id, n + 1 == filters) {
            (0x03, false) => delta = Some(usize::from(first_prop) + 1),
            (0x21, true) => {}
            _ => return None,
        }
    }
    Some((delta, data.get(12 + header_len..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packbits_runs_and_literals() {
        // Apple's example: literal AA, run of 3 × AA? Use a small hand-made stream.
        let data = [2, 1, 2, 3, 0xFE, 9, 0x80, 0, 7];
        assert_eq!(packbits(&data, 7).unwrap(), [1, 2, 3, 9, 9, 9, 7]);
        // Truncated and over-long streams stop at `expected` without panicking.
        assert_eq!(packbits(&[5, 1], 9).unwrap(), [1]);
        assert_eq!(decompress(PACKBITS, &[0xF0, 4], 3).unwrap(), [4, 4, 4]);
    }

    #[test]
    fn short_chunks_are_padded_long_ones_cut() {
        assert_eq!(decompress(NONE, &[1, 2], 4).unwrap(), [1, 2, 0, 0]);
        assert_eq!(decompress(NONE, &[1, 2, 3], 2).unwrap(), [1, 2]);
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&[7; 100], 6);
        assert_eq!(decompress(DEFLATE, &z, 10).unwrap(), [7; 10]);
    }

    #[test]
    fn lzma_round_trip() {
        // lzma-rs writes LZMA2-only .xz streams; libtiff's delta chain is covered by the
        // corpus file pillow_hopper_lzma.tif (tests/corpus.rs, tests/fidelity).
        let raw: Vec<u8> = (0..200u8).collect();
        let mut xz = Vec::new();
        lzma_rs::xz_compress(&mut raw.as_slice(), &mut xz).unwrap();
        assert_eq!(decompress(LZMA, &xz, 200).unwrap(), raw);
        assert_eq!(decompress(LZMA, &xz, 50).unwrap(), raw[..50]);
        assert!(decompress(LZMA, &xz[..20], 10).is_err());
    }
}
