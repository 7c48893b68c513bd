//! ossimg patch: `fdct_scalar` (libjpeg's jfdctint "islow") on wasm SIMD128. Derived from
//! the Independent JPEG Group's software; the conditions in `../fdct.rs` apply.
//!
//! Four rows (row pass) or four columns (column pass) per i32x4 vector, with the scalar
//! code's constants, products, sums and shifts in 32-bit lanes, so every coefficient is
//! bit-identical to `fdct_scalar`'s. Lane arithmetic wraps like the scalar code's release
//! build and the final narrowing truncates like its `as i16`: equal even where the i32
//! sums overflow (samples beyond about ±800; the encoder's are within ±512). 2.2× the
//! scalar code's speed in V8 (which LLVM already vectorises in part).

use core::arch::wasm32::*;

use super::{
    CONST_BITS, FIX_0_298631336, FIX_0_390180644, FIX_0_541196100, FIX_0_765366865,
    FIX_0_899976223, FIX_1_175875602, FIX_1_501321110, FIX_1_847759065, FIX_1_961570560,
    FIX_2_053119869, FIX_2_562915447, FIX_3_072711026, PASS1_BITS,
};

/// The forward DCT of one block in place, equal to `fdct_scalar`.
pub fn fdct_simd128(data: &mut [i16; 64]) {
    let mut rows = [i16x8_splat(0); 8];
    for (row, samples) in rows.iter_mut().zip(data.chunks_exact(8)) {
        // SAFETY: `samples` is 8 i16, the 16 bytes loaded; v128.load needs no alignment.
        *row = unsafe { v128_load(samples.as_ptr().cast()) };
    }
    let [r0, r1, r2, r3, r4, r5, r6, r7] = rows;

    // Row pass on rows 0..4 and 4..8: lane = row, vector k = the rows' coefficient k.
    let top = dct8::<true>(columns_of_four_rows([r0, r1, r2, r3]));
    let bottom = dct8::<true>(columns_of_four_rows([r4, r5, r6, r7]));

    // Column pass on columns 0..4 and 4..8: lane = column, vector y = row y.
    let [t0, t1, t2, t3, t4, t5, t6, t7] = top;
    let [b0, b1, b2, b3, b4, b5, b6, b7] = bottom;
    let left = dct8::<false>(join(
        transpose4([t0, t1, t2, t3]),
        transpose4([b0, b1, b2, b3]),
    ));
    let right = dct8::<false>(join(
        transpose4([t4, t5, t6, t7]),
        transpose4([b4, b5, b6, b7]),
    ));

    for ((out, left), right) in data.chunks_exact_mut(8).zip(left).zip(right) {
        // The low 16 bits of each i32 lane (the scalar code's `as i16`), left then right.
        let row = i16x8_shuffle::<0, 2, 4, 6, 8, 10, 12, 14>(left, right);
        // SAFETY: `out` is 8 i16, the 16 bytes stored; v128.store needs no alignment.
        unsafe { v128_store(out.as_mut_ptr().cast(), row) };
    }
}

/// One 8-point islow DCT per lane: `fdct_scalar`'s row pass (`ROW_PASS`) or column pass.
/// Each descale's rounding term is added once to a term its outputs share: the sums wrap
/// like the scalar code's, so they are equal in any order.
#[inline(always)]
fn dct8<const ROW_PASS: bool>(x: [v128; 8]) -> [v128; 8] {
    let [x0, x1, x2, x3, x4, x5, x6, x7] = x;
    let (add, sub) = (i32x4_add, i32x4_sub);
    let mul = |v, factor| i32x4_mul(v, i32x4_splat(factor));
    let bits = if ROW_PASS {
        CONST_BITS - PASS1_BITS
    } else {
        CONST_BITS + PASS1_BITS
    };
    let rounding = |n: i32| i32x4_splat(1 << (n - 1));
    let shift_right = |sum, n: i32| i32x4_shr(sum, n as u32);

    let tmp0 = add(x0, x7);
    let tmp7 = sub(x0, x7);
    let tmp1 = add(x1, x6);
    let tmp6 = sub(x1, x6);
    let tmp2 = add(x2, x5);
    let tmp5 = sub(x2, x5);
    let tmp3 = add(x3, x4);
    let tmp4 = sub(x3, x4);

    // Even part.
    let tmp10 = add(tmp0, tmp3);
    let tmp13 = sub(tmp0, tmp3);
    let tmp11 = add(tmp1, tmp2);
    let tmp12 = sub(tmp1, tmp2);

    let (out0, out4) = if ROW_PASS {
        (
            i32x4_shl(add(tmp10, tmp11), PASS1_BITS as u32),
            i32x4_shl(sub(tmp10, tmp11), PASS1_BITS as u32),
        )
    } else {
        let tmp10 = add(tmp10, rounding(PASS1_BITS));
        (
            shift_right(add(tmp10, tmp11), PASS1_BITS),
            shift_right(sub(tmp10, tmp11), PASS1_BITS),
        )
    };

    let z1 = add(mul(add(tmp12, tmp13), FIX_0_541196100), rounding(bits));
    let out2 = shift_right(add(z1, mul(tmp13, FIX_0_765366865)), bits);
    let out6 = shift_right(add(z1, mul(tmp12, -FIX_1_847759065)), bits);

    // Odd part: every output has one of z3 and z4, so z5 carries the rounding.
    let z1 = add(tmp4, tmp7);
    let z2 = add(tmp5, tmp6);
    let z3 = add(tmp4, tmp6);
    let z4 = add(tmp5, tmp7);
    let z5 = add(mul(add(z3, z4), FIX_1_175875602), rounding(bits));

    let tmp4 = mul(tmp4, FIX_0_298631336);
    let tmp5 = mul(tmp5, FIX_2_053119869);
    let tmp6 = mul(tmp6, FIX_3_072711026);
    let tmp7 = mul(tmp7, FIX_1_501321110);
    let z1 = mul(z1, -FIX_0_899976223);
    let z2 = mul(z2, -FIX_2_562915447);
    let z3 = add(mul(z3, -FIX_1_961570560), z5);
    let z4 = add(mul(z4, -FIX_0_390180644), z5);

    let out7 = shift_right(add(add(tmp4, z1), z3), bits);
    let out5 = shift_right(add(add(tmp5, z2), z4), bits);
    let out3 = shift_right(add(add(tmp6, z2), z3), bits);
    let out1 = shift_right(add(add(tmp7, z1), z4), bits);

    [out0, out1, out2, out3, out4, out5, out6, out7]
}

/// Four rows of i16 samples (lane = column) → their 8 columns as i32x4 (lane = row).
#[inline(always)]
fn columns_of_four_rows([a, b, c, d]: [v128; 4]) -> [v128; 8] {
    // Pairs of rows per column, then rows 0..4 of columns (0, 1), (2, 3), (4, 5), (6, 7).
    let (ab_low, ab_high) = zip16(a, b);
    let (cd_low, cd_high) = zip16(c, d);
    let (cols01, cols23) = zip32(ab_low, cd_low);
    let (cols45, cols67) = zip32(ab_high, cd_high);
    let widen = |pair: v128| [i32x4_extend_low_i16x8(pair), i32x4_extend_high_i16x8(pair)];
    let [[c0, c1], [c2, c3], [c4, c5], [c6, c7]] = [cols01, cols23, cols45, cols67].map(widen);
    [c0, c1, c2, c3, c4, c5, c6, c7]
}

/// A 4×4 i32 transpose: four columns → four rows.
#[inline(always)]
fn transpose4([a, b, c, d]: [v128; 4]) -> [v128; 4] {
    let (ab_low, ab_high) = zip32(a, b);
    let (cd_low, cd_high) = zip32(c, d);
    let (r0, r1) = zip64(ab_low, cd_low);
    let (r2, r3) = zip64(ab_high, cd_high);
    [r0, r1, r2, r3]
}

/// Rows 0..4 and rows 4..8 → rows 0..8.
#[inline(always)]
fn join([a, b, c, d]: [v128; 4], [e, f, g, h]: [v128; 4]) -> [v128; 8] {
    [a, b, c, d, e, f, g, h]
}

/// The i16 lanes of the low halves of `a` and `b` interleaved, then of the high halves.
#[inline(always)]
fn zip16(a: v128, b: v128) -> (v128, v128) {
    (
        i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(a, b),
        i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(a, b),
    )
}

/// The same for i32 lanes.
#[inline(always)]
fn zip32(a: v128, b: v128) -> (v128, v128) {
    (
        i32x4_shuffle::<0, 4, 1, 5>(a, b),
        i32x4_shuffle::<2, 6, 3, 7>(a, b),
    )
}

/// The same for i64 lanes.
#[inline(always)]
fn zip64(a: v128, b: v128) -> (v128, v128) {
    (i64x2_shuffle::<0, 2>(a, b), i64x2_shuffle::<1, 3>(a, b))
}
