//! Uncompressed chunks → the raster: bit unpacking (1 to 16 bits, 32-bit integers and
//! 32/64-bit floats), FillOrder, the two predictors, planes, and tiles that overhang the
//! image's right or bottom edge (their extra pixels are dropped).

use super::compression::{self, decompress};
use super::fax;
use super::layout::{Layout, FLOAT, YCBCR};
use super::raster::Raster;
use crate::codec::bytes::ByteOrder;
use crate::error::{Error, Result};

/// Reads every chunk of `l` (not JPEG) from `bytes` into a new raster.
pub(super) fn read(bytes: &[u8], l: &Layout<'_>, max_alloc: u64) -> Result<Raster> {
    let max = match (l.sample_format, l.bits) {
        (FLOAT, 32 | 64) => 65535,
        (FLOAT, _) => return Err(Error::corrupt("TIFF: unsupported float sample size")),
        (_, b @ 1..=16) => (1u32 << b) - 1,
        (_, 32) => 65535,
        (_, b) => return Err(Error::corrupt(format!("TIFF: {b}-bit samples"))),
    };
    let samples = usize::from(l.samples);
    let mut raster = Raster::new(l.width, l.height, samples, max, max_alloc)?;
    let (across, down) = l.grid();
    let per_plane = u64::from(across) * u64::from(down);
    let planes = if l.planar { l.samples } else { 1 };
    let subsampled = l.photometric == YCBCR && !l.planar && l.subsampling != (1, 1);
    for plane in 0..planes {
        for index in 0..per_plane {
            let i = u64::from(plane) * per_plane + index;
            let Some(&(offset, count)) = usize::try_from(i).ok().and_then(|i| l.chunks.get(i))
            else {
                return Err(Error::corrupt("TIFF: fewer chunks than the image needs"));
            };
            let (cx, cy) = (
                (index % u64::from(across)) as u32,
                (index / u64::from(across)) as u32,
            );
            let (x0, y0) = (cx * l.chunk_w, cy * l.chunk_h);
            // Strips end at the image; tiles are always whole.
            let rows = if l.tiled {
                l.chunk_h
            } else {
                l.chunk_h.min(l.height - y0)
            };
            let data = chunk_bytes(bytes, offset, count)?;
            if subsampled {
                let unit = ycbcr_unit_len(l)?;
                let (uw, uh) = (
                    l.chunk_w.div_ceil(l.subsampling.0),
                    rows.div_ceil(l.subsampling.1),
                );
                let expected = u64::from(uw) * u64::from(uh) * unit as u64;
                let expected = usize::try_from(expected)
                    .ok()
                    .filter(|&e| e as u64 <= max_alloc)
                    .ok_or_else(|| {
                        Error::too_large(None, "a TIFF chunk exceeds the decode budget.")
                    })?;
                let raw = decompress(l.compression, data, expected)?;
                put_ycbcr(&mut raster, l, &raw, (x0, y0), rows);
                continue;
            }
            let spc = usize::from(l.samples_per_chunk());
            let row_len = (u64::from(l.chunk_w) * spc as u64 * u64::from(l.bits)).div_ceil(8);
            let expected = usize::try_from(row_len * u64::from(rows))
                .map_err(|_| Error::too_large(None, "TIFF chunk"))?;
            if expected as u64 > max_alloc {
                return Err(Error::too_large(
                    None,
                    "a TIFF chunk exceeds the decode budget.",
                ));
            }
            // FillOrder 2: the bits of each stored byte run least significant first.
            let reversed;
            let data = if l.fill_lsb_first {
                let mut copy = try_copy(data)?;
                copy.iter_mut().for_each(|b| *b = b.reverse_bits());
                reversed = copy;
                reversed.as_slice()
            } else {
                data
            };
            let mut raw = match l.compression {
                compression::CCITT_RLE | compression::CCITT_G3 | compression::CCITT_G4 => {
                    fax::decode(l, data, l.chunk_w, rows, expected)?
                }
                c => decompress(c, data, expected)?,
            };
            let row_len = row_len as usize;
            let first = if l.planar { usize::from(plane) } else { 0 };
            let mut values = Vec::new();
            for (r, row) in raw
                .chunks_exact_mut(row_len.max(1))
                .enumerate()
                .take(rows as usize)
            {
                unpack_row(l, row, spc, &mut values)?;
                let y = y0 + r as u32;
                for (i, &v) in values.iter().enumerate() {
                    let x = x0 + (i / spc) as u32;
                    raster.set(x, y, first + i % spc, v);
                }
            }
        }
    }
    Ok(raster)
}

/// A copy of `data`, or an error instead of an allocation abort.
fn try_copy(data: &[u8]) -> Result<Vec<u8>> {
    let mut copy = Vec::new();
    copy.try_reserve_exact(data.len())
        .map_err(|_| Error::too_large(None, "cannot allocate a TIFF chunk."))?;
    copy.extend_from_slice(data);
    Ok(copy)
}

/// The stored bytes of one chunk; a count past the end of the file is cut at it.
fn chunk_bytes(bytes: &[u8], offset: u64, count: u64) -> Result<&[u8]> {
    let start = usize::try_from(offset).ok().filter(|&s| s <= bytes.len());
    let start = start.ok_or_else(|| Error::corrupt("TIFF: a chunk lies outside the file"))?;
    let end = usize::try_from(count)
        .ok()
        .and_then(|c| start.checked_add(c))
        .map_or(bytes.len(), |e| e.min(bytes.len()));
    Ok(bytes.get(start..end).unwrap_or_default())
}

/// One row's samples as 16-bit values in `out`, predictor undone.
fn unpack_row(l: &Layout<'_>, row: &mut [u8], spc: usize, out: &mut Vec<u16>) -> Result<()> {
    out.clear();
    let n = l.chunk_w as usize * spc;
    out.try_reserve(n)
        .map_err(|_| Error::too_large(None, "cannot allocate a TIFF row."))?;
    match (l.sample_format, l.bits) {
        (FLOAT, bits) => {
            let size = usize::from(bits / 8);
            if l.predictor == 3 {
                undo_float_predictor(row, spc, size)?;
            }
            // After predictor 3 the floats are big-endian whatever the file's order.
            let order = if l.predictor == 3 {
                ByteOrder::Big
            } else {
                l.order
            };
            for i in 0..n {
                let at = i * size;
                let v = if size == 4 {
                    order.u32(row, at).map(|b| f64::from(f32::from_bits(b)))
                } else {
                    order.u64(row, at).map(f64::from_bits)
                };
                let v = v.unwrap_or(0.0);
                let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
                out.push((v * 65535.0).round() as u16);
            }
            if l.predictor == 2 {
                return Err(Error::corrupt("TIFF: horizontal predictor on floats"));
            }
            return Ok(());
        }
        (_, 8) => out.extend(row.iter().take(n).map(|&b| u16::from(b))),
        (_, 16) => out.extend((0..n).map(|i| l.order.u16(row, i * 2).unwrap_or(0))),
        (_, 32) => out.extend((0..n).map(|i| (l.order.u32(row, i * 4).unwrap_or(0) >> 16) as u16)),
        (_, bits) => {
            let bits = usize::from(bits);
            out.extend((0..n).map(|i| bits_at(row, i * bits, bits)));
        }
    }
    if l.predictor == 2 {
        let mask = if l.bits >= 16 {
            u16::MAX
        } else {
            (1u16 << l.bits) - 1
        };
        if l.bits == 32 {
            return Err(Error::corrupt("TIFF: predictor on 32-bit integers"));
        }
        for i in spc..out.len() {
            let prev = out.get(i - spc).copied().unwrap_or(0);
            if let Some(v) = out.get_mut(i) {
                *v = v.wrapping_add(prev) & mask;
            }
        }
    }
    Ok(())
}

/// `bits` bits (at most 16) starting at bit `at`, most significant first.
fn bits_at(row: &[u8], at: usize, bits: usize) -> u16 {
    let mut v = 0u32;
    for b in at..at + bits {
        let bit = row.get(b / 8).map_or(0, |byte| (byte >> (7 - b % 8)) & 1);
        v = (v << 1) | u32::from(bit);
    }
    v as u16
}

/// Predictor 3 (Adobe's floating point): byte-wise differences along the row, then the
/// bytes of each float stored as planes, most significant first.
fn undo_float_predictor(row: &mut [u8], spc: usize, size: usize) -> Result<()> {
    for i in spc..row.len() {
        let prev = row.get(i - spc).copied().unwrap_or(0);
        if let Some(b) = row.get_mut(i) {
            *b = b.wrapping_add(prev);
        }
    }
    let count = row.len() / size.max(1);
    let shuffled = try_copy(row)?;
    for i in 0..count {
        for k in 0..size {
            if let (Some(dst), Some(&src)) =
                (row.get_mut(i * size + k), shuffled.get(k * count + i))
            {
                *dst = src;
            }
        }
    }
    Ok(())
}

/// Bytes of one YCbCr data unit: h × v luma samples, then Cb and Cr (8-bit only).
fn ycbcr_unit_len(l: &Layout<'_>) -> Result<usize> {
    if l.bits != 8 || l.samples != 3 {
        return Err(Error::corrupt("TIFF: subsampled YCbCr must be 3 × 8 bits"));
    }
    Ok((l.subsampling.0 * l.subsampling.1) as usize + 2)
}

/// Subsampled YCbCr data units into the raster as Y, Cb, Cr per pixel (chroma repeated
/// over its block, as libtiff does).
fn put_ycbcr(raster: &mut Raster, l: &Layout<'_>, raw: &[u8], (x0, y0): (u32, u32), rows: u32) {
    let (h, v) = l.subsampling;
    let unit = (h * v) as usize + 2;
    let units_across = l.chunk_w.div_ceil(h);
    for (u, data) in raw.chunks_exact(unit).enumerate() {
        let (ux, uy) = (u as u32 % units_across, u as u32 / units_across);
        let (cb, cr) = (
            data.get(unit - 2).copied().unwrap_or(128),
            data.get(unit - 1).copied().unwrap_or(128),
        );
        for j in 0..v {
            for i in 0..h {
                let (x, y) = (ux * h + i, uy * v + j);
                if x >= l.chunk_w || y >= rows {
                    continue;
                }
                let luma = data.get((j * h + i) as usize).copied().unwrap_or(0);
                let (px, py) = (x0 + x, y0 + y);
                raster.set(px, py, 0, u16::from(luma));
                raster.set(px, py, 1, u16::from(cb));
                raster.set(px, py, 2, u16::from(cr));
            }
        }
    }
}
