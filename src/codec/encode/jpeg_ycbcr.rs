//! RGBA rows → Y, Cb, Cr planes for jpeg-encoder (its `ImageBuffer`), with exactly its
//! integer formula (`jpeg_encoder::rgb_to_ycbcr`, alpha ignored), 16 pixels per SIMD128 step
//! on wasm. jpeg-encoder's own RGBA path converts pixel by pixel, a sixth of W4's time.

use jpeg_encoder::{rgb_to_ycbcr, ImageBuffer, JpegColorType};

/// Whole rows of RGBA pixels, `width × height`.
pub(super) struct RgbaRows<'a> {
    pub pixels: &'a [u8],
    pub width: u16,
    pub height: u16,
}

impl ImageBuffer for RgbaRows<'_> {
    fn get_jpeg_color_type(&self) -> JpegColorType {
        JpegColorType::Ycbcr
    }

    fn width(&self) -> u16 {
        self.width
    }

    fn height(&self) -> u16 {
        self.height
    }

    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        let width = usize::from(self.width);
        let row = width
            .checked_mul(4)
            .and_then(|len| Some((len.checked_mul(usize::from(y))?, len)))
            .and_then(|(start, len)| self.pixels.get(start..start.checked_add(len)?))
            .unwrap_or_default();
        let [luma, blue, red, _] = buffers;
        let end = luma.len() + width;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let row = simd128::convert(row, luma, blue, red);
        for px in row.chunks_exact(4) {
            let (y, cb, cr) = rgb_to_ycbcr(px[0], px[1], px[2]);
            luma.push(y);
            blue.push(cb);
            red.push(cr);
        }
        // The encoder indexes `width` samples per row: a short row (never with frames
        // whose size matches, as ours do) is padded rather than left to panic there.
        for plane in [luma, blue, red] {
            plane.resize(end, 0);
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    /// Converts whole groups of 16 pixels onto the planes; returns the rest of `row`.
    pub(super) fn convert<'a>(
        row: &'a [u8],
        luma: &mut Vec<u8>,
        blue: &mut Vec<u8>,
        red: &mut Vec<u8>,
    ) -> &'a [u8] {
        let groups = row.chunks_exact(64);
        let rest = groups.remainder();
        for group in groups {
            // SAFETY: `group` is 64 bytes: four unaligned 16-byte loads at 0, 16, 32, 48.
            let pixels =
                [0, 16, 32, 48].map(|at| unsafe { v128_load(group.as_ptr().add(at).cast()) });
            // One pixel per i32 lane, little-endian R G B A.
            let channel = |px: v128, shift: u32| v128_and(u32x4_shr(px, shift), u32x4_splat(0xff));
            let plane = |[kr, kg, kb]: [i32; 3], offset: i32| {
                let lanes = pixels.map(|px| {
                    let sum = i32x4_add(
                        i32x4_add(
                            i32x4_mul(channel(px, 0), i32x4_splat(kr)),
                            i32x4_mul(channel(px, 8), i32x4_splat(kg)),
                        ),
                        i32x4_add(
                            i32x4_mul(channel(px, 16), i32x4_splat(kb)),
                            i32x4_splat(offset),
                        ),
                    );
                    i32x4_shr(sum, 16)
                });
                // Every value is in 0..=255 (the offsets make Cb and Cr non-negative).
                let bytes = u8x16_narrow_i16x8(
                    i16x8_narrow_i32x4(lanes[0], lanes[1]),
                    i16x8_narrow_i32x4(lanes[2], lanes[3]),
                );
                let mut out = [0u8; 16];
                // SAFETY: `out` is 16 bytes; v128.store needs no alignment.
                unsafe { v128_store(out.as_mut_ptr().cast(), bytes) };
                out
            };
            // jpeg_encoder::rgb_to_ycbcr's constants: 2^16 scale, rounding with libjpeg's
            // + 0x8000 for Y and + 0x7FFF for Cb and Cr.
            luma.extend_from_slice(&plane([19595, 38470, 7471], 0x8000));
            blue.extend_from_slice(&plane([-11059, -21709, 32768], (128 << 16) + 0x7FFF));
            red.extend_from_slice(&plane([32768, -27439, -5329], (128 << 16) + 0x7FFF));
        }
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_match_jpeg_encoders_conversion_and_pad_short_input() {
        // 21 pixels: a SIMD group of 16 on wasm and a rest of 5; every byte value occurs.
        let pixels: Vec<u8> = (0..21 * 4 * 2).map(|i| (i * 37 % 256) as u8).collect();
        let rows = RgbaRows {
            pixels: &pixels,
            width: 21,
            height: 2,
        };
        let mut planes: [Vec<u8>; 4] = Default::default();
        rows.fill_buffers(1, &mut planes);
        for (i, px) in pixels[21 * 4..].chunks_exact(4).enumerate() {
            let (y, cb, cr) = rgb_to_ycbcr(px[0], px[1], px[2]);
            assert_eq!([planes[0][i], planes[1][i], planes[2][i]], [y, cb, cr]);
        }
        // A row past the pixels (not possible from `encode`) still yields 21 samples.
        rows.fill_buffers(2, &mut planes);
        assert!(planes[..3].iter().all(|p| p.len() == 42));
    }
}
