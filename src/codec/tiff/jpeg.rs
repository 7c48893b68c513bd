//! JPEG-compressed TIFF (compression 7, TIFF Technical Note 2): each strip or tile is a
//! JPEG stream whose tables may be shared in the JPEGTables tag. The tables (without their
//! EOI) are put in front of each chunk (without its SOI) and the result goes through the
//! crate's zune-jpeg path (`jpeg_rgba`), which also turns YCbCr into RGB.
//! Old-style JPEG (compression 6) is read only when JPEGInterchangeFormat points at one
//! whole JPEG stream, which is how most such files were written.

use super::compression::OLD_JPEG;
use super::layout::{Layout, CMYK};
use super::raster::Raster;
use crate::codec::jpeg_rgba;
use crate::error::{Error, Result};

/// The picture of a JPEG-compressed TIFF as a raster: RGB, or CMYK as stored.
pub(super) fn read(bytes: &[u8], l: &Layout<'_>, max_alloc: u64) -> Result<Raster> {
    if l.planar {
        return Err(Error::corrupt("TIFF: planar JPEG is not supported"));
    }
    let cmyk = l.photometric == CMYK;
    let mut raster = Raster::new(l.width, l.height, if cmyk { 4 } else { 3 }, 255, max_alloc)?;
    if l.compression == OLD_JPEG {
        // The other kind of old-style JPEG keeps its tables in JPEGQTables / JPEGDCTables /
        // JPEGACTables and its scans bare in the chunks; the libtiff inside sharp reads
        // neither kind (it is built without OJPEG), so neither do we.
        let (offset, len) = l.jpeg_interchange.ok_or_else(|| {
            Error::corrupt("TIFF: old-style JPEG without JPEGInterchangeFormat is not supported")
        })?;
        let stream = slice(bytes, offset, len)?;
        put(&mut raster, stream, (0, 0), (l.width, l.height), cmyk)?;
        return Ok(raster);
    }
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
        let stream = match (l.jpeg_tables, chunk) {
            (Some([0xFF, 0xD8, tables @ .., 0xFF, 0xD9]), [0xFF, 0xD8, rest @ ..]) => {
                joined.clear();
                joined
                    .try_reserve(tables.len() + rest.len() + 2)
                    .map_err(|_| Error::too_large(None, "TIFF JPEG chunk"))?;
                joined.extend_from_slice(&[0xFF, 0xD8]);
                joined.extend_from_slice(tables);
                joined.extend_from_slice(rest);
                joined.as_slice()
            }
            _ => chunk,
        };
        put(&mut raster, stream, (x0, y0), (l.chunk_w, l.chunk_h), cmyk)?;
    }
    Ok(raster)
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

/// Decodes one JPEG stream of at most `cw × ch` pixels (the chunk's size, rounded up to
/// whole 16-pixel blocks) and copies it into the raster at `(x0, y0)`, cut at its edges.
fn put(
    raster: &mut Raster,
    stream: &[u8],
    (x0, y0): (u32, u32),
    (cw, ch): (u32, u32),
    cmyk: bool,
) -> Result<()> {
    let (cw, ch) = (cw.saturating_add(15) & !15, ch.saturating_add(15) & !15);
    let max_side = cw.max(ch);
    let max_bytes = u64::from(cw) * u64::from(ch) * 4;
    let broken = || Error::corrupt("TIFF: a JPEG chunk does not decode");
    let (frame, samples);
    let (w, h, px) = if cmyk {
        samples = jpeg_rgba::decode_cmyk(stream, max_side, max_bytes)?.ok_or_else(broken)?;
        (samples.0, samples.1, samples.2.as_slice())
    } else {
        frame = jpeg_rgba::decode(stream, max_side, max_bytes)?.ok_or_else(broken)?;
        (frame.width(), frame.height(), frame.pixels())
    };
    let channels = raster.samples;
    for (i, p) in px.chunks_exact(4).enumerate() {
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
