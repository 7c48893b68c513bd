//! SGI LogLuv (photometric 32845, compression 34676, Greg Ward's format): each pixel is
//! 32 bits, a 16-bit log luminance and 8-bit u′, v′ chromaticities, stored per row as four
//! run-length-coded byte planes. Decoded as libtiff does (`tif_luv.c`: `LogLuv32toXYZ`) to
//! CIE XYZ, then to linear sRGB (D65), which `photometric` encodes with sRGB's curve.
//! The 24-bit variant (compression 34677) is not read.

use super::layout::Layout;
use super::raster::Raster;
use crate::error::{Error, Result};

/// The LogLuv image as linear RGB, scaled so 65535 is 1.0.
pub(super) fn read(bytes: &[u8], l: &Layout<'_>, max_alloc: u64) -> Result<Raster> {
    if l.tiled || l.planar || l.samples != 3 {
        return Err(Error::corrupt("TIFF: only striped LogLuv is supported"));
    }
    let mut raster = Raster::new(l.width, l.height, 3, 65535, max_alloc)?;
    let width = l.width as usize;
    let mut row = Vec::new();
    row.try_reserve_exact(width)
        .map_err(|_| Error::too_large(None, "TIFF LogLuv row"))?;
    for (strip, &(offset, count)) in l.chunks.iter().enumerate() {
        let y0 = u32::try_from(strip)
            .ok()
            .and_then(|s| s.checked_mul(l.chunk_h))
            .filter(|&y| y < l.height);
        let Some(y0) = y0 else { break };
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let end = usize::try_from(count)
            .ok()
            .and_then(|c| start.checked_add(c))
            .map_or(bytes.len(), |e| e.min(bytes.len()));
        let mut data = bytes.get(start..end).unwrap_or_default();
        for y in y0..l.height.min(y0.saturating_add(l.chunk_h)) {
            row.clear();
            row.resize(width, 0u32);
            data = decode_row(data, &mut row);
            for (x, &p) in row.iter().enumerate() {
                let rgb = xyz_to_linear_srgb(luv32_to_xyz(p));
                for (s, v) in rgb.into_iter().enumerate() {
                    let v = (v.clamp(0.0, 1.0) * 65535.0).round() as u16;
                    raster.set(x as u32, y, s, v);
                }
            }
        }
    }
    Ok(raster)
}

/// One row's four byte planes, most significant first; returns the data left after it.
fn decode_row<'d>(mut data: &'d [u8], row: &mut [u32]) -> &'d [u8] {
    for shift in [24u32, 16, 8, 0] {
        let mut i = 0;
        while i < row.len() {
            match data {
                [n, b, rest @ ..] if *n >= 128 => {
                    let run = usize::from(*n) + 2 - 128;
                    for p in row.iter_mut().skip(i).take(run) {
                        *p |= u32::from(*b) << shift;
                    }
                    i += run;
                    data = rest;
                }
                [n, rest @ ..] => {
                    let len = usize::from(*n).min(rest.len());
                    let (literal, rest) = rest.split_at(len);
                    for (p, &b) in row.iter_mut().skip(i).zip(literal) {
                        *p |= u32::from(b) << shift;
                    }
                    // A zero-length literal is a no-op (libtiff's "nul is noop").
                    i += len;
                    data = rest;
                }
                [] => return data,
            }
        }
    }
    data
}

/// libtiff's `LogLuv32toXYZ`.
fn luv32_to_xyz(p: u32) -> [f64; 3] {
    const UV_SCALE: f64 = 410.0;
    let le = f64::from((p >> 16) & 0x7FFF);
    if le == 0.0 || p & 0x8000_0000 != 0 {
        return [0.0; 3];
    }
    let y = (std::f64::consts::LN_2 / 256.0 * (le + 0.5) - std::f64::consts::LN_2 * 64.0).exp();
    let u = (f64::from((p >> 8) & 0xFF) + 0.5) / UV_SCALE;
    let v = (f64::from(p & 0xFF) + 0.5) / UV_SCALE;
    let s = 1.0 / (6.0 * u - 16.0 * v + 12.0);
    let (cx, cy) = (9.0 * u * s, 4.0 * v * s);
    [cx / cy * y, y, (1.0 - cx - cy) / cy * y]
}

/// CIE XYZ (D65, Y = 1 for white) to linear sRGB.
fn xyz_to_linear_srgb([x, y, z]: [f64; 3]) -> [f64; 3] {
    [
        3.240_6 * x - 1.537_2 * y - 0.498_6 * z,
        -0.968_9 * x + 1.875_8 * y + 0.041_5 * z,
        0.055_7 * x - 0.204 * y + 1.057 * z,
    ]
}
