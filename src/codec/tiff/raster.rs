//! The whole first image as samples, before any colour model is applied: `samples`
//! values a pixel, one byte each for sources of up to 8 bits, two bytes beyond (16-bit,
//! 32-bit integers shifted down, floats scaled from 0..1).

use crate::error::{Error, Result};
use crate::frame::try_zeroed;

pub(super) struct Raster {
    pub width: u32,
    pub height: u32,
    pub samples: usize,
    /// The value that means "full": 2^bits − 1, or 65535 for wide and float samples.
    pub max: u32,
    wide: bool,
    data: Vec<u8>,
}

impl Raster {
    /// A zeroed raster, refused when it would take more than `max_alloc` bytes.
    pub(super) fn new(
        width: u32,
        height: u32,
        samples: usize,
        max: u32,
        max_alloc: u64,
    ) -> Result<Self> {
        let wide = max > 255;
        let len = u64::from(width)
            .checked_mul(u64::from(height))
            .and_then(|p| p.checked_mul(samples as u64))
            .and_then(|n| n.checked_mul(if wide { 2 } else { 1 }))
            .filter(|&n| n <= max_alloc)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                Error::too_large(None, "the TIFF's samples exceed the decode budget.")
            })?;
        Ok(Raster {
            width,
            height,
            samples,
            max,
            wide,
            data: try_zeroed(len)?,
        })
    }

    /// Sample `s` of pixel `(x, y)`; 0 outside the raster.
    pub(super) fn get(&self, pixel: usize, s: usize) -> u32 {
        let i = pixel.saturating_mul(self.samples).saturating_add(s);
        if self.wide {
            let at = i.saturating_mul(2);
            match self.data.get(at..at.saturating_add(2)) {
                Some(&[a, b]) => u32::from(u16::from_ne_bytes([a, b])),
                _ => 0,
            }
        } else {
            self.data.get(i).copied().map_or(0, u32::from)
        }
    }

    /// Sets sample `s` of pixel `(x, y)`; ignored outside the raster (overhanging tiles).
    pub(super) fn set(&mut self, x: u32, y: u32, s: usize, v: u16) {
        if x >= self.width || y >= self.height || s >= self.samples {
            return;
        }
        let pixel = y as usize * self.width as usize + x as usize;
        let i = pixel * self.samples + s;
        if self.wide {
            if let Some(d) = self.data.get_mut(i * 2..i * 2 + 2) {
                d.copy_from_slice(&v.to_ne_bytes());
            }
        } else if let Some(d) = self.data.get_mut(i) {
            *d = u8::try_from(v).unwrap_or(u8::MAX);
        }
    }
}
