//! Opaque rows between RGBA8 pixels and fixed-point RGB samples (alpha is 255 throughout,
//! so it is neither blurred nor stored). Eight pixels per SIMD128 step on wasm; the rest of a
//! row, and native builds, go pixel by pixel with the same result.

use super::{to_u8, FRACTION_BITS};

/// `src` RGBA pixels → `dst` RGB samples (`<< FRACTION_BITS`), as many as both hold.
pub(super) fn to_samples(src: &[u8], dst: &mut [i16]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let (src, dst) = simd128::to_samples(src, dst);
    for (px, d) in src.chunks_exact(4).zip(dst.chunks_exact_mut(3)) {
        for (d, &v) in d.iter_mut().zip(px) {
            *d = i16::from(v) << FRACTION_BITS;
        }
    }
}

/// `src` RGB samples → `dst` opaque RGBA pixels, rounded, as many as both hold.
pub(super) fn to_pixels(src: &[i16], dst: &mut [u8]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let (src, dst) = simd128::to_pixels(src, dst);
    for (s, px) in src.chunks_exact(3).zip(dst.chunks_exact_mut(4)) {
        px.copy_from_slice(&[
            to_u8(s[0].into()),
            to_u8(s[1].into()),
            to_u8(s[2].into()),
            255,
        ]);
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    use super::super::{FRACTION_BITS, LEVEL};

    /// Splits both slices after the last whole group of eight pixels they share.
    fn split<'a, 'b, T, U>(
        src: &'a [T],
        dst: &'b mut [U],
        src_group: usize,
        dst_group: usize,
    ) -> ([&'a [T]; 2], [&'b mut [U]; 2]) {
        let groups = (src.len() / src_group).min(dst.len() / dst_group);
        let (src, src_rest) = src.split_at(groups * src_group);
        let (dst, dst_rest) = dst.split_at_mut(groups * dst_group);
        ([src, src_rest], [dst, dst_rest])
    }

    /// Whole groups of eight pixels; returns the rest of both slices.
    pub(super) fn to_samples<'a, 'b>(
        src: &'a [u8],
        dst: &'b mut [i16],
    ) -> (&'a [u8], &'b mut [i16]) {
        let ([src, src_rest], [dst, dst_rest]) = split(src, dst, 32, 24);
        for (s, d) in src.chunks_exact(32).zip(dst.chunks_exact_mut(24)) {
            // SAFETY: `s` is 32 bytes and `d` 24 i16; every load and store stays inside them
            // (v128 needs no alignment).
            unsafe {
                let (a, b) = (
                    v128_load(s.as_ptr().cast()),
                    v128_load(s.as_ptr().add(16).cast()),
                );
                // Lanes r0 g0 b0 a0 r1 g1 b1 a1 | r2 … a3 | r4 … a5 | r6 … a7 as i16.
                let (p01, p23) = (u16x8_extend_low_u8x16(a), u16x8_extend_high_u8x16(a));
                let (p45, p67) = (u16x8_extend_low_u8x16(b), u16x8_extend_high_u8x16(b));
                let rgb = [
                    i16x8_shuffle::<0, 1, 2, 4, 5, 6, 8, 9>(p01, p23),
                    i16x8_shuffle::<2, 4, 5, 6, 8, 9, 10, 12>(p23, p45),
                    i16x8_shuffle::<5, 6, 8, 9, 10, 12, 13, 14>(p45, p67),
                ];
                for (k, v) in rgb.into_iter().enumerate() {
                    v128_store(
                        d.as_mut_ptr().add(8 * k).cast(),
                        i16x8_shl(v, FRACTION_BITS),
                    );
                }
            }
        }
        (src_rest, dst_rest)
    }

    /// Whole groups of eight pixels; returns the rest of both slices.
    pub(super) fn to_pixels<'a, 'b>(
        src: &'a [i16],
        dst: &'b mut [u8],
    ) -> (&'a [i16], &'b mut [u8]) {
        let ([src, src_rest], [dst, dst_rest]) = split(src, dst, 24, 32);
        let half = i16x8_splat((LEVEL / 2) as i16);
        let opaque = u32x4_splat(0xff00_0000);
        for (s, d) in src.chunks_exact(24).zip(dst.chunks_exact_mut(32)) {
            // SAFETY: `s` is 24 i16 and `d` 32 bytes; every load and store stays inside them
            // (v128 needs no alignment).
            unsafe {
                let level = |k: usize| {
                    let v = v128_load(s.as_ptr().add(8 * k).cast());
                    i16x8_shr(i16x8_add(v, half), FRACTION_BITS)
                };
                // Saturating: to_u8's clamp to 0..=255.
                let rgb01 = u8x16_narrow_i16x8(level(0), level(1));
                let rgb2 = u8x16_narrow_i16x8(level(2), level(2));
                // Bytes r0 g0 b0 r1 … b4 r5 | g5 b5 r6 … b7; alpha lanes are set by the OR.
                let px0123 =
                    i8x16_shuffle::<0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11, 0>(rgb01, rgb01);
                let px4567 =
                    i8x16_shuffle::<12, 13, 14, 0, 15, 16, 17, 0, 18, 19, 20, 0, 21, 22, 23, 0>(
                        rgb01, rgb2,
                    );
                v128_store(d.as_mut_ptr().cast(), v128_or(px0123, opaque));
                v128_store(d.as_mut_ptr().add(16).cast(), v128_or(px4567, opaque));
            }
        }
        (src_rest, dst_rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opaque_rows_round_trip_and_round_half_up() {
        // Eleven pixels: a group of eight and a rest of three where SIMD is on.
        let pixels: Vec<u8> = (0..11u8)
            .flat_map(|i| [i * 23, 255 - i * 20, i, 255])
            .collect();
        let mut samples = vec![0i16; 33];
        to_samples(&pixels, &mut samples);
        assert_eq!(samples[3..6], [23 * 64, 235 * 64, 64]);
        let mut back = vec![0u8; 44];
        to_pixels(&samples, &mut back);
        assert_eq!(back, pixels);
        // 31/64 of a level rounds down, 32/64 up; below 0 and above 255 clamp; alpha is 255.
        let blurred = [64 + 31, 64 + 32, -5, 255 * 64 + 31, 255 * 64 + 32, 0];
        let mut out = [0u8; 8];
        to_pixels(&blurred, &mut out);
        assert_eq!(out, [1, 2, 0, 255, 255, 255, 0, 255]);
    }
}
