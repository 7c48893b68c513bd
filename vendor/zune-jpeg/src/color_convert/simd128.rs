//! ossimg patch: `scalar::ycbcr_to_rgba_inner_16_scalar::<false>` on wasm SIMD128. The
//! products are exact i16 x i16 -> i32 multiplies (`i32x4_dot_i16x8` adds two of them) and
//! no sum leaves i32 (|y|, |c| <= 2^15: at most 2^15 * (16384 + 29032) + 8191 < 2^31), the
//! shift is the same arithmetic one, and two saturating narrowings (i32 -> i16 -> u8) clamp
//! to 0..=255 as `clamp` does: the bytes are the scalar code's for every input.
#![cfg(all(target_arch = "wasm32", target_feature = "simd128"))]

use core::arch::wasm32::*;

use crate::color_convert::scalar::{
    CB_CF, CR_CF, C_G_CB_COEF_2, C_G_CR_COEF_1, YUV_PREC, YUV_RND, Y_CF
};

/// Eight pixels' R, G and B as i16x8, unclamped.
#[inline(always)]
fn rgb_8(y: v128, cb: v128, cr: v128) -> [v128; 3] {
    // `cr - 128` wraps in i16 as the scalar code's does without overflow checks.
    let offset = i16x8_splat(128);
    let (cb, cr) = (i16x8_sub(cb, offset), i16x8_sub(cr, offset));
    // a * c0 + b * c1 per pixel, for pixels 0-3 and 4-7, from pairs (a, b) of i16
    let weighted = |a: v128, b: v128, c0: i16, c1: i16| {
        let weights = i16x8(c0, c1, c0, c1, c0, c1, c0, c1);
        [
            i32x4_dot_i16x8(i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(a, b), weights),
            i32x4_dot_i16x8(i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(a, b), weights),
        ]
    };
    let rnd = i32x4_splat(i32::from(YUV_RND));
    let y_cf = i16x8_splat(Y_CF);
    let y0 = [
        i32x4_add(i32x4_extmul_low_i16x8(y, y_cf), rnd),
        i32x4_add(i32x4_extmul_high_i16x8(y, y_cf), rnd),
    ];
    let r = weighted(y, cr, Y_CF, CR_CF).map(|v| i32x4_add(v, rnd));
    let g = weighted(cr, cb, C_G_CR_COEF_1, C_G_CB_COEF_2);
    let g = [i32x4_add(g[0], y0[0]), i32x4_add(g[1], y0[1])];
    let b = weighted(y, cb, Y_CF, CB_CF).map(|v| i32x4_add(v, rnd));
    let shift = YUV_PREC as u32;
    [r, g, b].map(|[low, high]| i16x8_narrow_i32x4(i32x4_shr(low, shift), i32x4_shr(high, shift)))
}

/// Converts 16 pixels to RGBA at `output[*pos..*pos + 64]` and advances `pos` by 64.
pub fn ycbcr_to_rgba_simd128(
    y: &[i16; 16], cb: &[i16; 16], cr: &[i16; 16], output: &mut [u8], pos: &mut usize
) {
    let Some(rgba) = pos
        .checked_add(64)
        .and_then(|end| output.get_mut(*pos..end))
    else {
        // Never: zune's callers (worker.rs) pass 64-byte chunks at 0. Where the scalar code
        // would panic, this writes nothing.
        return;
    };
    // SAFETY: each array is 16 i16s, 32 readable bytes: two unaligned 16-byte loads.
    let load = |a: &[i16; 16]| unsafe {
        let at = a.as_ptr().cast::<v128>();
        [v128_load(at), v128_load(at.add(1))]
    };
    let ([y0, y1], [cb0, cb1], [cr0, cr1]) = (load(y), load(cb), load(cr));
    let [r0, g0, b0] = rgb_8(y0, cb0, cr0);
    let [r1, g1, b1] = rgb_8(y1, cb1, cr1);
    // Signed i16 -> u8 saturation is the clamp to 0..=255.
    let r = u8x16_narrow_i16x8(r0, r1);
    let g = u8x16_narrow_i16x8(g0, g1);
    let b = u8x16_narrow_i16x8(b0, b1);
    let a = u8x16_splat(255);

    let rg_low = u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(r, g);
    let rg_high =
        u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(r, g);
    let ba_low = u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(b, a);
    let ba_high =
        u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(b, a);
    let pixels = [
        u16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(rg_low, ba_low),
        u16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(rg_low, ba_low),
        u16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(rg_high, ba_high),
        u16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(rg_high, ba_high),
    ];
    for (four, pixels) in rgba.chunks_exact_mut(16).zip(pixels) {
        // SAFETY: `four` is 16 writable bytes; v128_store needs no alignment.
        unsafe { v128_store(four.as_mut_ptr().cast(), pixels) }
    }
    *pos += 64;
}
