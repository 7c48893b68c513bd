//! The inner loop of both blur passes: a symmetric fixed-point convolution of one line.
//!
//! Exact integer arithmetic (i16 samples and Q15 weights, i32 sums, one rounding at the end),
//! so the wasm SIMD128 loop and the portable loop give the same output bit for bit.

use crate::error::{Error, Result};

/// Output lanes per step: both loops keep this many sums in registers while they walk the terms.
pub(super) const BLOCK: usize = 32;

/// Weights are Q15: they sum to `1 << WEIGHT_BITS` over the whole kernel.
pub(super) const WEIGHT_BITS: u32 = 15;

/// The largest sample the sums accept: a pair of them still fits an i16.
pub(super) const MAX_SAMPLE: i32 = i16::MAX as i32 / 2;
// Σ weight·(a + b) over a kernel whose weights sum to 1 << 15 stays far inside an i32.
const _: () = assert!(2 * MAX_SAMPLE as i64 * (1 << WEIGHT_BITS) < i32::MAX as i64);

/// One pair of taps that share a weight: the samples at `before + i` and `after + i` both
/// contribute `weight` to output lane `i`. The centre tap is a pair with itself at half weight.
#[derive(Clone, Copy, Debug)]
pub(super) struct Term {
    pub before: usize,
    pub after: usize,
    pub weight: i16,
}

/// `out[i] = round(Σ weight·(samples[before + i] + samples[after + i]) / 2^15)` over `terms`.
/// `out.len()` must be a multiple of [`BLOCK`] and every term must lie inside `samples`;
/// every sample must be in `0..=MAX_SAMPLE`.
pub(super) fn weighted_sum(samples: &[i16], terms: &[Term], out: &mut [i16]) -> Result<()> {
    let inside = |start: usize| {
        start
            .checked_add(out.len())
            .is_some_and(|end| end <= samples.len())
    };
    if out.len() % BLOCK != 0 || !terms.iter().all(|t| inside(t.before) && inside(t.after)) {
        return Err(Error::internal("blur terms out of range"));
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: every term's lanes `start..start + out.len()` are inside `samples` (above).
    unsafe {
        simd128::weighted_sum(samples, terms, out);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    portable(samples, terms, out);
    Ok(())
}

/// The same sums in plain Rust (native builds; LLVM vectorises the lanes of a block).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn portable(samples: &[i16], terms: &[Term], out: &mut [i16]) {
    let lanes = |start: usize, block: usize| {
        samples
            .get(start + block..start + block + BLOCK)
            .unwrap_or_default()
    };
    for (n, block) in out.chunks_exact_mut(BLOCK).enumerate() {
        let at = n * BLOCK;
        let mut sums = [0i32; BLOCK];
        for term in terms {
            let w = i32::from(term.weight);
            let pairs = lanes(term.before, at).iter().zip(lanes(term.after, at));
            for (sum, (&a, &b)) in sums.iter_mut().zip(pairs) {
                // i16 × i16 → i32 products vectorise on plain SSE2; the i16 pair sum and the
                // i32 sums wrap like the SIMD lanes (samples within MAX_SAMPLE never do).
                *sum = sum.wrapping_add(w * i32::from(a.wrapping_add(b)));
            }
        }
        for (o, &sum) in block.iter_mut().zip(&sums) {
            // Round half up, then saturate as i16x8.narrow_i32x4_s does.
            let rounded = sum.wrapping_add(1 << (WEIGHT_BITS - 1)) >> WEIGHT_BITS;
            *o = rounded.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16;
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    use super::{Term, BLOCK, WEIGHT_BITS};

    /// Two terms taken together: the starts of `t.before`, `t.after`, `u.before`, `u.after`
    /// and the weights as i16 lanes `[w_t, w_u, w_t, w_u, …]`.
    struct TwoTerms {
        starts: [usize; 4],
        weights: v128,
    }

    impl TwoTerms {
        fn new(t: &Term, u: &Term) -> Self {
            TwoTerms {
                starts: [t.before, t.after, u.before, u.after],
                weights: i16x8(
                    t.weight, u.weight, t.weight, u.weight, t.weight, u.weight, t.weight, u.weight,
                ),
            }
        }

        /// Adds both terms for eight lanes from `at` to `sums`: the two pair sums are
        /// interleaved so that one i32x4.dot_i16x8_s multiplies and adds both for four lanes.
        ///
        /// # Safety
        /// The eight lanes from `at` of all four starts lie inside `samples`.
        #[inline(always)]
        unsafe fn add(&self, samples: &[i16], at: usize, sums: &mut [v128; 2]) {
            // SAFETY: in bounds by the caller's contract; v128.load needs no alignment.
            let load = |start: usize| unsafe { v128_load(samples.as_ptr().add(start + at).cast()) };
            let [tb, ta, ub, ua] = self.starts;
            let pair_t = i16x8_add(load(tb), load(ta));
            let pair_u = i16x8_add(load(ub), load(ua));
            let low = i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(pair_t, pair_u);
            let high = i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(pair_t, pair_u);
            sums[0] = i32x4_add(sums[0], i32x4_dot_i16x8(low, self.weights));
            sums[1] = i32x4_add(sums[1], i32x4_dot_i16x8(high, self.weights));
        }
    }

    /// # Safety
    /// Every term's lanes `start..start + out.len()` lie inside `samples`.
    pub(super) unsafe fn weighted_sum(samples: &[i16], terms: &[Term], out: &mut [i16]) {
        // An odd last term is paired with itself at weight 0. At most 26 pairs (r <= 50).
        let two_terms: Vec<TwoTerms> = terms
            .chunks(2)
            .filter_map(|pair| match pair {
                [t, u] => Some(TwoTerms::new(t, u)),
                [t] => Some(TwoTerms::new(t, &Term { weight: 0, ..*t })),
                _ => None,
            })
            .collect();
        let half = i32x4_splat(1 << (WEIGHT_BITS - 1));
        for (n, block) in out.chunks_exact_mut(BLOCK).enumerate() {
            let at = n * BLOCK;
            let mut sums = [[i32x4_splat(0); 2]; BLOCK / 8];
            for two in &two_terms {
                for (k, sums) in sums.iter_mut().enumerate() {
                    // SAFETY: at + 8k + 8 <= out.len(), so the lanes lie inside `samples`.
                    unsafe { two.add(samples, at + 8 * k, sums) };
                }
            }
            for (lanes, [low, high]) in block.chunks_exact_mut(8).zip(sums) {
                let round = |v: v128| i32x4_shr(i32x4_add(v, half), WEIGHT_BITS);
                let packed = i16x8_narrow_i32x4(round(low), round(high));
                // SAFETY: `lanes` is eight i16 (16 bytes); v128.store needs no alignment.
                unsafe { v128_store(lanes.as_mut_ptr().cast(), packed) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_pairs_with_their_weights_and_rounds_once() {
        // Two terms over a line of BLOCK + 4:
        // out[i] = round((w0·2·s[2+i] + w1·(s[i] + s[4+i])) / 2^15).
        let samples: Vec<i16> = (0..BLOCK as i16 + 4).map(|i| i * 300).collect();
        let terms = [
            Term {
                before: 2,
                after: 2,
                weight: 10_000,
            },
            Term {
                before: 0,
                after: 4,
                weight: 6_384,
            },
        ];
        let mut out = [0i16; BLOCK];
        weighted_sum(&samples, &terms, &mut out).unwrap();
        for (i, &got) in out.iter().enumerate() {
            let s = |j: usize| f64::from(samples[j]);
            let exact = (10_000.0 * 2.0 * s(i + 2) + 6_384.0 * (s(i) + s(i + 4))) / 32_768.0;
            assert_eq!(f64::from(got), exact.round(), "lane {i}");
        }
    }

    #[test]
    fn refuses_terms_outside_the_line() {
        let samples = [0i16; BLOCK + 2];
        let mut out = [0i16; BLOCK];
        let term = |after| Term {
            before: 0,
            after,
            weight: 1,
        };
        assert!(weighted_sum(&samples, &[term(2)], &mut out).is_ok());
        assert!(weighted_sum(&samples, &[term(3)], &mut out).is_err());
        assert!(weighted_sum(&samples, &[term(usize::MAX)], &mut out).is_err());
        let mut ragged = [0i16; BLOCK - 1];
        assert!(weighted_sum(&samples, &[term(0)], &mut ragged).is_err());
    }
}
