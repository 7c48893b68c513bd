//! JPEG-compressed TIFF (compression 7, TIFF Technical Note 2): each strip or tile is a
//! JPEG stream whose tables may be shared in the JPEGTables tag. The tables (without their
//! EOI) are put in front of each chunk (without its SOI) and the result goes through the
//! crate's zune-jpeg path (`jpeg_rgba`), which also turns YCbCr into RGB.
//! Old-style JPEG (compression 6, TIFF 6.0 section 22) comes in two kinds: one whole JPEG
//! stream at JPEGInterchangeFormat, or bare scans in the chunks with their tables in
//! JPEGQTables / JPEGDCTables / JPEGACTables, for which we write the JPEG header libtiff's
//! OJPEG codec would (`old_jpeg_header`).

use super::compression::OLD_JPEG;
use super::layout::{Layout, OldJpegTables, CMYK, RGB, YCBCR};
use super::raster::Raster;
use crate::codec::jpeg_rgba;
use crate::error::{Error, Result};

/// The picture of a JPEG-compressed TIFF as a raster, and the photometric of its samples:
/// RGB, CMYK as stored, or (old-style JPEG) YCbCr as stored. libtiff hands libvips the
/// YCbCr of an old-style JPEG to convert with the file's ReferenceBlackWhite, and has
/// libjpeg convert a new-style one at full range.
pub(super) fn read(bytes: &[u8], l: &Layout<'_>, max_alloc: u64) -> Result<(Raster, u16)> {
    if l.planar {
        return Err(Error::corrupt("TIFF: planar JPEG is not supported"));
    }
    let samples = match l.photometric {
        CMYK => Samples::Cmyk,
        YCBCR if l.compression == OLD_JPEG && l.samples == 3 => Samples::Ycbcr,
        _ => Samples::Rgb,
    };
    let (channels, photometric) = match samples {
        Samples::Rgb => (3, RGB),
        Samples::Ycbcr => (3, YCBCR),
        Samples::Cmyk => (4, CMYK),
    };
    let mut raster = Raster::new(l.width, l.height, channels, 255, max_alloc)?;
    let old_jpeg_tables = if l.compression == OLD_JPEG {
        if let Some((offset, len)) = l.jpeg_interchange {
            let stream = slice(bytes, offset, len)?;
            put(&mut raster, stream, (0, 0), (l.width, l.height), samples)?;
            return Ok((raster, photometric));
        }
        let tables = l.old_jpeg_tables.as_ref().ok_or_else(|| {
            Error::corrupt("TIFF: old-style JPEG without JPEGInterchangeFormat or its tables")
        })?;
        Some(tables)
    } else {
        None
    };
    let (across, _) = l.grid();
    let mut joined = Vec::new();
    for (index, &(offset, count)) in l.chunks.iter().enumerate() {
        let index = index as u64;
        let (cx, cy) = (index % u64::from(across), index / u64::from(across));
        let x0 = u32::try_from(cx * u64::from(l.chunk_w)).ok();
        let y0 = u32::try_from(cy * u64::from(l.chunk_h)).ok();
        let (Some(x0), Some(y0)) = (x0, y0) else {
            break;
        };
        if y0 >= l.height {
            break;
        }
        let chunk = slice(bytes, offset, count)?;
        // A strip's scan holds the rows that are left, a tile's always a whole tile.
        let rows = if l.tiled {
            l.chunk_h
        } else {
            l.chunk_h.min(l.height.saturating_sub(y0))
        };
        let stream = match (old_jpeg_tables, l.jpeg_tables, chunk) {
            (Some(tables), _, _) => {
                joined = old_jpeg_header(bytes, l, tables, (l.chunk_w, rows))?;
                joined
                    .try_reserve(chunk.len() + 2)
                    .map_err(|_| Error::too_large(None, "TIFF JPEG chunk"))?;
                joined.extend_from_slice(chunk);
                joined.extend_from_slice(&[0xFF, 0xD9]);
                joined.as_slice()
            }
            (None, Some([0xFF, 0xD8, tables @ .., 0xFF, 0xD9]), [0xFF, 0xD8, rest @ ..]) => {
                joined.clear();
                joined
                    .try_reserve(tables.len() + rest.len() + 2)
                    .map_err(|_| Error::too_large(None, "TIFF JPEG chunk"))?;
                joined.extend_from_slice(&[0xFF, 0xD8]);
                joined.extend_from_slice(tables);
                joined.extend_from_slice(rest);
                joined.as_slice()
            }
            (_, _, _) => chunk,
        };
        put(
            &mut raster,
            stream,
            (x0, y0),
            (l.chunk_w, l.chunk_h),
            samples,
        )?;
    }
    Ok((raster, photometric))
}

/// The JPEG header (SOI to SOS) of an old-style JPEG chunk of `w × h` pixels: one
/// quantisation and one DC/AC Huffman table pair a component, baseline, interleaved; YCbCr
/// with the file's subsampling on the luma component, as libtiff's OJPEG codec writes it.
fn old_jpeg_header(
    bytes: &[u8],
    l: &Layout<'_>,
    tables: &OldJpegTables,
    (w, h): (u32, u32),
) -> Result<Vec<u8>> {
    let corrupt = |what: &str| Error::corrupt(format!("TIFF: old-style JPEG {what}"));
    let components = u8::try_from(l.samples)
        .ok()
        .filter(|&n| n == 1 || n == 3)
        .ok_or_else(|| corrupt("with other than 1 or 3 samples"))?;
    let (w, h) = (
        u16::try_from(w).map_err(|_| corrupt("chunk too wide"))?,
        u16::try_from(h).map_err(|_| corrupt("chunk too high"))?,
    );
    // A file with fewer tables than components shares its last one.
    let table = |offsets: &[u64], c: u8| {
        offsets
            .get(usize::from(c))
            .or(offsets.last())
            .copied()
            .ok_or_else(|| corrupt("with an empty table list"))
    };
    let mut out = vec![0xFF, 0xD8];
    let mut segment = |marker: u8, body: &[u8]| -> Result<()> {
        let len = u16::try_from(body.len() + 2).map_err(|_| corrupt("table too long"))?;
        out.extend_from_slice(&[0xFF, marker]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(body);
        Ok(())
    };
    for c in 0..components {
        let q = slice_exact(bytes, table(&tables.quantisation, c)?, 64)?;
        segment(0xDB, &[&[c][..], q].concat())?;
    }
    for c in 0..components {
        for (class, offsets) in [(0u8, &tables.dc), (1, &tables.ac)] {
            let at = table(offsets, c)?;
            let counts = slice_exact(bytes, at, 16)?;
            let n: u64 = counts.iter().map(|&k| u64::from(k)).sum();
            let values = slice_exact(bytes, at.saturating_add(16), n)?;
            segment(0xC4, &[&[class << 4 | c][..], counts, values].concat())?;
        }
    }
    if tables.restart_interval > 0 {
        segment(0xDD, &tables.restart_interval.to_be_bytes())?;
    }
    let luma_sampling = if l.photometric == YCBCR {
        // Layout::read allows only 1, 2 and 4.
        (l.subsampling.0 as u8) << 4 | l.subsampling.1 as u8
    } else {
        0x11
    };
    let mut frame = vec![8];
    frame.extend_from_slice(&h.to_be_bytes());
    frame.extend_from_slice(&w.to_be_bytes());
    frame.push(components);
    let mut scan = vec![components];
    for c in 0..components {
        let sampling = if c == 0 { luma_sampling } else { 0x11 };
        frame.extend_from_slice(&[c + 1, sampling, c]);
        scan.extend_from_slice(&[c + 1, c << 4 | c]);
    }
    scan.extend_from_slice(&[0, 63, 0]);
    if components == 3 && l.photometric != YCBCR {
        // An Adobe segment with transform 0: the three components are RGB, not YCbCr.
        segment(0xEE, b"Adobe\0\x64\0\0\0\0\0")?;
    }
    segment(0xC0, &frame)?;
    segment(0xDA, &scan)?;
    Ok(out)
}

/// Exactly `len` bytes at `offset`: a table cut short by the end of the file is corrupt.
fn slice_exact(bytes: &[u8], offset: u64, len: u64) -> Result<&[u8]> {
    slice(bytes, offset, len)
        .ok()
        .filter(|s| s.len() as u64 == len)
        .ok_or_else(|| Error::corrupt("TIFF: an old-style JPEG table lies outside the file"))
}

fn slice(bytes: &[u8], offset: u64, len: u64) -> Result<&[u8]> {
    let start = usize::try_from(offset).ok();
    let end = start
        .zip(usize::try_from(len).ok())
        .and_then(|(s, l)| s.checked_add(l));
    start
        .zip(end)
        .and_then(|(s, e)| bytes.get(s..e.min(bytes.len())))
        .ok_or_else(|| Error::corrupt("TIFF: a JPEG chunk lies outside the file"))
}

/// What a chunk's JPEG stream is decoded to.
#[derive(Clone, Copy)]
enum Samples {
    Rgb,
    Ycbcr,
    Cmyk,
}

/// Decodes one JPEG stream of at most `cw × ch` pixels (the chunk's size, rounded up to
/// whole 16-pixel blocks) and copies it into the raster at `(x0, y0)`, cut at its edges.
fn put(
    raster: &mut Raster,
    stream: &[u8],
    (x0, y0): (u32, u32),
    (cw, ch): (u32, u32),
    samples: Samples,
) -> Result<()> {
    let (cw, ch) = (cw.saturating_add(15) & !15, ch.saturating_add(15) & !15);
    let max_side = cw.max(ch);
    let max_bytes = u64::from(cw) * u64::from(ch) * 4;
    let broken = || Error::corrupt("TIFF: a JPEG chunk does not decode");
    let (frame, stored);
    let (w, h, px, stride) = match samples {
        Samples::Rgb => {
            frame = jpeg_rgba::decode(stream, max_side, max_bytes)?.ok_or_else(broken)?;
            (frame.width(), frame.height(), frame.pixels(), 4)
        }
        Samples::Ycbcr => {
            stored = jpeg_rgba::decode_ycbcr(stream, max_side, max_bytes)?.ok_or_else(broken)?;
            (stored.0, stored.1, stored.2.as_slice(), 3)
        }
        Samples::Cmyk => {
            stored = jpeg_rgba::decode_cmyk(stream, max_side, max_bytes)?.ok_or_else(broken)?;
            (stored.0, stored.1, stored.2.as_slice(), 4)
        }
    };
    let channels = raster.samples;
    for (i, p) in px.chunks_exact(stride).enumerate() {
        let (x, y) = ((i as u32) % w.max(1), (i as u32) / w.max(1));
        if y >= h {
            break;
        }
        for (s, &v) in p.iter().take(channels).enumerate() {
            raster.set(x0.saturating_add(x), y0.saturating_add(y), s, u16::from(v));
        }
    }
    Ok(())
}
