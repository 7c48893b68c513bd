/*
 * ossimg patch: arithmetic-coded JPEG (SOF9 sequential, SOF10 progressive, DAC tables).
 *
 * Written from ITU-T T.81 | ISO/IEC 10918-1: Annex D (the arithmetic decoder, D.2), Annex F
 * (F.2.4: DC and AC coefficients of sequential DCT) and Annex G (G.2: progressive DCT, first
 * and refining scans). The decoded coefficients go into the same buffers as the progressive
 * Huffman path (`mcu_prog.rs`), in natural order, so dequantisation, IDCT, upsampling and
 * colour conversion are that path's.
 *
 * Untrusted input: every index is checked (`get`/`get_mut`), coefficient arithmetic wraps,
 * the statistics bins are fixed-size arrays indexed by values bounded by construction, and a
 * scan stops (or, in lenient mode, leaves the rest of its blocks as they are until the next
 * restart) on a code the standard does not allow, as libjpeg does.
 *
 * You can redistribute it or modify it under terms of the MIT, Apache License or Zlib license
 */

//! Arithmetic entropy decoding (T.81 Annexes D, F.2.4 and G.2).

use alloc::format;
use alloc::vec::Vec;

use zune_core::bytestream::{ZByteReaderTrait, ZReader};

use crate::bitstream::BitStream;
use crate::decoder::{JpegDecoder, MAX_COMPONENTS};
use crate::errors::DecodeErrors;
use crate::marker::Marker;
use crate::misc::UN_ZIGZAG;

/// T.81 Table D.2 (probability estimation state machine): `(Qe, Next_Index_LPS,
/// Next_Index_MPS, Switch_MPS)` for each of the 113 states, and a 114th fixed state of
/// probability 0.5 (it never moves: both next indices are itself, no switch) used where the
/// standard codes a decision with a fixed estimate (the sign of AC coefficients, G.2 refining
/// bits).
#[rustfmt::skip]
const QE_TABLE: [(u16, u8, u8, u8); 114] = [
    (0x5a1d,   1,   1, 1), (0x2586,  14,   2, 0), (0x1114,  16,   3, 0), (0x080b,  18,   4, 0),
    (0x03d8,  20,   5, 0), (0x01da,  23,   6, 0), (0x00e5,  25,   7, 0), (0x006f,  28,   8, 0),
    (0x0036,  30,   9, 0), (0x001a,  33,  10, 0), (0x000d,  35,  11, 0), (0x0006,   9,  12, 0),
    (0x0003,  10,  13, 0), (0x0001,  12,  13, 0), (0x5a7f,  15,  15, 1), (0x3f25,  36,  16, 0),
    (0x2cf2,  38,  17, 0), (0x207c,  39,  18, 0), (0x17b9,  40,  19, 0), (0x1182,  42,  20, 0),
    (0x0cef,  43,  21, 0), (0x09a1,  45,  22, 0), (0x072f,  46,  23, 0), (0x055c,  48,  24, 0),
    (0x0406,  49,  25, 0), (0x0303,  51,  26, 0), (0x0240,  52,  27, 0), (0x01b1,  54,  28, 0),
    (0x0144,  56,  29, 0), (0x00f5,  57,  30, 0), (0x00b7,  59,  31, 0), (0x008a,  60,  32, 0),
    (0x0068,  62,  33, 0), (0x004e,  63,  34, 0), (0x003b,  32,  35, 0), (0x002c,  33,   9, 0),
    (0x5ae1,  37,  37, 1), (0x484c,  64,  38, 0), (0x3a0d,  65,  39, 0), (0x2ef1,  67,  40, 0),
    (0x261f,  68,  41, 0), (0x1f33,  69,  42, 0), (0x19a8,  70,  43, 0), (0x1518,  72,  44, 0),
    (0x1177,  73,  45, 0), (0x0e74,  74,  46, 0), (0x0bfb,  75,  47, 0), (0x09f8,  77,  48, 0),
    (0x0861,  78,  49, 0), (0x0706,  79,  50, 0), (0x05cd,  48,  51, 0), (0x04de,  50,  52, 0),
    (0x040f,  50,  53, 0), (0x0363,  51,  54, 0), (0x02d4,  52,  55, 0), (0x025c,  53,  56, 0),
    (0x01f8,  54,  57, 0), (0x01a4,  55,  58, 0), (0x0160,  56,  59, 0), (0x0125,  57,  60, 0),
    (0x00f6,  58,  61, 0), (0x00cb,  59,  62, 0), (0x00ab,  61,  63, 0), (0x008f,  61,  32, 0),
    (0x5b12,  65,  65, 1), (0x4d04,  80,  66, 0), (0x412c,  81,  67, 0), (0x37d8,  82,  68, 0),
    (0x2fe8,  83,  69, 0), (0x293c,  84,  70, 0), (0x2379,  86,  71, 0), (0x1edf,  87,  72, 0),
    (0x1aa9,  87,  73, 0), (0x174e,  72,  74, 0), (0x1424,  72,  75, 0), (0x119c,  74,  76, 0),
    (0x0f6b,  74,  77, 0), (0x0d51,  75,  78, 0), (0x0bb6,  77,  79, 0), (0x0a40,  77,  48, 0),
    (0x5832,  80,  81, 1), (0x4d1c,  88,  82, 0), (0x438e,  89,  83, 0), (0x3bdd,  90,  84, 0),
    (0x34ee,  91,  85, 0), (0x2eae,  92,  86, 0), (0x299a,  93,  87, 0), (0x2516,  86,  71, 0),
    (0x5570,  88,  89, 1), (0x4ca9,  95,  90, 0), (0x44d9,  96,  91, 0), (0x3e22,  97,  92, 0),
    (0x3824,  99,  93, 0), (0x32b4,  99,  94, 0), (0x2e17,  93,  86, 0), (0x56a8,  95,  96, 1),
    (0x4f46, 101,  97, 0), (0x47e5, 102,  98, 0), (0x41cf, 103,  99, 0), (0x3c3d, 104, 100, 0),
    (0x375e,  99,  93, 0), (0x5231, 105, 102, 0), (0x4c0f, 106, 103, 0), (0x4639, 107, 104, 0),
    (0x415e, 103,  99, 0), (0x5627, 105, 106, 1), (0x50e7, 108, 107, 0), (0x4b85, 109, 103, 0),
    (0x5597, 110, 109, 0), (0x504f, 111, 107, 0), (0x5a10, 110, 111, 1), (0x5522, 112, 109, 0),
    (0x59eb, 112, 111, 1),
    // Fixed estimate 0.5.
    (0x5a1d, 113, 113, 0),
];

/// The state index of the fixed 0.5 estimate.
const FIXED: u8 = 113;

/// Statistics bins per DC conditioning table: 5 contexts × 4 (S0, SS, SP, SN) = 20, then
/// X1..X15 at 20, M2..M15 at 34 (F.1.4.4.1.3, Table F.4).
const DC_BINS: usize = 64;
/// Statistics bins per AC conditioning table: 63 × 3 (SE, S0, SN/SP) = 189, then X2.. and
/// M2.. for K ≤ Kx at 189, for K > Kx at 217 (Table F.5).
const AC_BINS: usize = 256;

/// One statistics bin: the state index (low 7 bits) and the MPS (high bit), all 0 at the
/// start of a scan and at each restart (D.1.5, F.1.4.4).
type Bin = u8;

/// The decoder's registers (D.2): the code register `c`, the interval `a`, and `ct`, the
/// count of bits in `c` below the 16 that line up with `a` (negative while the first two
/// bytes are read).
struct Decoder {
    c:      u32,
    a:      u32,
    ct:     i32,
    /// A marker met in the data (its second byte): from then on the decoder reads zeros
    /// (D.2.6, "the convention is to supply zero data") and never reads past the marker.
    marker: Option<u8>,
    /// The input ended without a marker: zeros as above.
    eof:    bool
}

impl Decoder {
    const fn new() -> Decoder {
        Decoder { c: 0, a: 0, ct: -16, marker: None, eof: false }
    }

    /// INITDEC (D.2.7) is folded into the first renormalisation: `ct = -16` makes it read
    /// two bytes before the first decision, as the procedure's two BYTEIN calls do.
    fn restart(&mut self) {
        self.c = 0;
        self.a = 0;
        self.ct = -16;
    }

    /// BYTEIN (D.2.6, Figure D.19 and D.20): the next byte of entropy-coded data, 0xFF for a
    /// stuffed 0xFF 0x00, and 0 once a marker or the end has been reached.
    fn byte_in<T: ZByteReaderTrait>(&mut self, reader: &mut ZReader<T>) -> u32 {
        if self.marker.is_some() || self.eof {
            return 0;
        }
        let Ok(byte) = reader.read_u8_err() else {
            self.eof = true;
            return 0;
        };
        if byte != 0xFF {
            return u32::from(byte);
        }
        loop {
            match reader.read_u8_err() {
                Ok(0xFF) => continue, // fill bytes before a marker
                Ok(0) => return 0xFF,
                Ok(m) => {
                    self.marker = Some(m);
                    return 0;
                }
                Err(_) => {
                    self.eof = true;
                    return 0;
                }
            }
        }
    }

    /// DECODE (D.2.4, Figure D.14 with D.15 to D.17): one binary decision with the adaptive
    /// estimate in `bin`, which it updates.
    fn decode<T: ZByteReaderTrait>(&mut self, reader: &mut ZReader<T>, bin: &mut Bin) -> u8 {
        // RENORMD (Figure D.18), with BYTEIN when the bits in C run out.
        while self.a < 0x8000 {
            self.ct -= 1;
            if self.ct < 0 {
                let byte = self.byte_in(reader);
                self.c = (self.c << 8) | byte;
                self.ct += 8;
                if self.ct < 0 {
                    // Still reading the first two bytes (INITDEC).
                    self.ct += 1;
                    if self.ct == 0 {
                        self.a = 0x8000; // becomes 0x10000 below
                    }
                }
            }
            self.a <<= 1;
        }
        let state = *bin;
        let (qe, next_lps, next_mps, switch) = QE_TABLE
            .get(usize::from(state & 0x7F))
            .copied()
            .unwrap_or(QE_TABLE[0]);
        let qe = u32::from(qe);
        let mps = state >> 7;
        let lps_next = (state & 0x80) ^ (switch << 7) ^ next_lps;
        let mps_next = (state & 0x80) | next_mps;
        // C holds `ct` bits more than A: compare against A - Qe at that scale.
        self.a = self.a.wrapping_sub(qe);
        let upper = self.a << self.ct;
        if self.c >= upper {
            // The code lies in the Qe sub-interval (the LPS one, unless exchanged).
            self.c -= upper;
            if self.a < qe {
                // Conditional exchange: the larger sub-interval is the MPS one.
                self.a = qe;
                *bin = mps_next;
                mps
            } else {
                self.a = qe;
                *bin = lps_next;
                mps ^ 1
            }
        } else if self.a < 0x8000 {
            if self.a < qe {
                *bin = lps_next;
                mps ^ 1
            } else {
                *bin = mps_next;
                mps
            }
        } else {
            mps
        }
    }
}

/// The conditioning tables of DAC segments (B.2.4.3), per destination 0..=3; the defaults
/// (L = 0, U = 1, Kx = 5) hold for a table no DAC segment defines.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArithConditioning {
    pub(crate) dc_l: [u8; 4],
    pub(crate) dc_u: [u8; 4],
    pub(crate) ac_k: [u8; 4]
}

impl Default for ArithConditioning {
    fn default() -> Self {
        ArithConditioning { dc_l: [0; 4], dc_u: [1; 4], ac_k: [5; 4] }
    }
}

/// Reads a DAC segment (its length and the table specifications that follow).
pub(crate) fn parse_dac<T: ZByteReaderTrait>(
    decoder: &mut JpegDecoder<T>
) -> Result<(), DecodeErrors> {
    let length = usize::from(decoder.stream.get_u16_be_err()?);
    let body = length
        .checked_sub(2)
        .ok_or(DecodeErrors::FormatStatic("Invalid DAC length"))?;
    if body % 2 != 0 {
        return Err(DecodeErrors::FormatStatic("Invalid DAC length"));
    }
    for _ in 0..body / 2 {
        let tc_tb = decoder.stream.read_u8_err()?;
        let cs = decoder.stream.read_u8_err()?;
        let (class, index) = (tc_tb >> 4, usize::from(tc_tb & 0xF));
        let table = &mut decoder.arith_conditioning;
        match class {
            0 if index < 4 => {
                let (l, u) = (cs & 0xF, cs >> 4);
                if l > u {
                    return Err(DecodeErrors::FormatStatic("DAC: DC conditioning L > U"));
                }
                table.dc_l[index] = l;
                table.dc_u[index] = u;
            }
            1 if index < 4 => {
                if !(1..=63).contains(&cs) {
                    return Err(DecodeErrors::FormatStatic("DAC: AC conditioning Kx out of 1..=63"));
                }
                table.ac_k[index] = cs;
            }
            _ => {
                return Err(DecodeErrors::Format(format!(
                    "DAC: invalid table class/destination {tc_tb:#04x}"
                )))
            }
        }
    }
    Ok(())
}

/// The state of one scan.
struct Scan {
    dec:         Decoder,
    dc_stats:    [[Bin; DC_BINS]; 4],
    ac_stats:    [[Bin; AC_BINS]; 4],
    fixed:       Bin,
    /// Per component in the scan: the last DC value (F.2.1.3.1) and the DC context (0, 4,
    /// 8, 12 or 16: the first of the four bins S0, SS, SP, SN of Table F.4).
    last_dc:     [i32; MAX_COMPONENTS],
    dc_context:  [usize; MAX_COMPONENTS],
    /// A code the standard does not allow was met (a run past Se, a magnitude of 2^15 or
    /// more): the rest of the restart interval is left undecoded, as libjpeg does.
    broken:      bool,
    progressive: bool,
    ss:          usize,
    se:          usize,
    ah:          u8,
    al:          u8
}

impl Scan {
    fn reset(&mut self) {
        self.dec.restart();
        self.dc_stats = [[0; DC_BINS]; 4];
        self.ac_stats = [[0; AC_BINS]; 4];
        self.fixed = FIXED;
        self.last_dc = [0; MAX_COMPONENTS];
        self.dc_context = [0; MAX_COMPONENTS];
        self.broken = false;
    }

    /// DC difference (F.1.4.4.1, Figures F.19 to F.24 as used by F.2.4.1), added to the
    /// component's prediction; `None` for a magnitude category beyond 15.
    fn decode_dc<T: ZByteReaderTrait>(
        &mut self, r: &mut ZReader<T>, comp: usize, table: usize, cond: &ArithConditioning
    ) -> Option<i32> {
        let stats = self.dc_stats.get_mut(table)?;
        let context = *self.dc_context.get(comp)?;
        if self.dec.decode(r, stats.get_mut(context)?) == 0 {
            *self.dc_context.get_mut(comp)? = 0;
        } else {
            let sign = self.dec.decode(r, stats.get_mut(context + 1)?);
            let mut st = context + 2 + usize::from(sign);
            let mut m: i32 = i32::from(self.dec.decode(r, stats.get_mut(st)?));
            if m != 0 {
                st = 20;
                while self.dec.decode(r, stats.get_mut(st)?) != 0 {
                    m <<= 1;
                    if m == 0x8000 {
                        return None;
                    }
                    st += 1;
                }
            }
            // Context for the next difference (F.1.4.4.1.2): zero, small or large.
            let l = cond.dc_l.get(table).copied().unwrap_or(0);
            let u = cond.dc_u.get(table).copied().unwrap_or(1);
            let half = |bits: u8| (1i32 << bits.min(16)) >> 1;
            *self.dc_context.get_mut(comp)? = if m < half(l) {
                0
            } else if m > half(u) {
                12 + 4 * usize::from(sign)
            } else {
                4 + 4 * usize::from(sign)
            };
            let mut v = m;
            st += 14;
            while m > 1 {
                m >>= 1;
                if self.dec.decode(r, stats.get_mut(st)?) != 0 {
                    v |= m;
                }
            }
            v += 1;
            if sign != 0 {
                v = -v;
            }
            let last = self.last_dc.get_mut(comp)?;
            *last = last.wrapping_add(v);
        }
        self.last_dc.get(comp).copied()
    }

    /// AC coefficients `ss..=se` of one block, first (or only) scan (F.2.4.2, G.2 with
    /// Al); `false` on a code the standard does not allow.
    fn decode_ac_first<T: ZByteReaderTrait>(
        &mut self, r: &mut ZReader<T>, table: usize, kx: u8, block: &mut [i16; 64]
    ) -> bool {
        let Some(stats) = self.ac_stats.get_mut(table) else {
            return false;
        };
        let mut k = self.ss.max(1);
        while k <= self.se {
            let mut st = 3 * (k - 1);
            let Some(bin) = stats.get_mut(st) else { return false };
            if self.dec.decode(r, bin) != 0 {
                return true; // end of block
            }
            loop {
                let Some(bin) = stats.get_mut(st + 1) else { return false };
                if self.dec.decode(r, bin) != 0 {
                    break;
                }
                st += 3;
                k += 1;
                if k > self.se {
                    return false; // a run past the end of the band
                }
            }
            let sign = self.dec.decode(r, &mut self.fixed);
            st += 2;
            let Some(bin) = stats.get_mut(st) else { return false };
            let mut m: i32 = i32::from(self.dec.decode(r, bin));
            if m != 0 {
                let Some(bin) = stats.get_mut(st) else { return false };
                if self.dec.decode(r, bin) != 0 {
                    m <<= 1;
                    st = if k <= usize::from(kx) { 189 } else { 217 };
                    loop {
                        let Some(bin) = stats.get_mut(st) else { return false };
                        if self.dec.decode(r, bin) == 0 {
                            break;
                        }
                        m <<= 1;
                        if m == 0x8000 {
                            return false;
                        }
                        st += 1;
                    }
                }
            }
            let mut v = m;
            st += 14;
            while m > 1 {
                m >>= 1;
                let Some(bin) = stats.get_mut(st) else { return false };
                if self.dec.decode(r, bin) != 0 {
                    v |= m;
                }
            }
            v += 1;
            if sign != 0 {
                v = -v;
            }
            if let Some(&pos) = UN_ZIGZAG.get(k) {
                if let Some(coef) = block.get_mut(pos & 63) {
                    *coef = v.wrapping_shl(u32::from(self.al)) as i16;
                }
            }
            k += 1;
        }
        true
    }

    /// AC refining scan of one block (G.2, Figure G.10 and following); `false` on a code the
    /// standard does not allow.
    fn decode_ac_refine<T: ZByteReaderTrait>(
        &mut self, r: &mut ZReader<T>, table: usize, block: &mut [i16; 64]
    ) -> bool {
        let Some(stats) = self.ac_stats.get_mut(table) else {
            return false;
        };
        let p1 = 1i16.wrapping_shl(u32::from(self.al));
        let m1 = (-1i16).wrapping_shl(u32::from(self.al));
        let coef_at = |block: &[i16; 64], k: usize| {
            UN_ZIGZAG.get(k).and_then(|&p| block.get(p & 63)).copied().unwrap_or(0)
        };
        // EOBx: the end of block of the previous stages.
        let mut kex = self.se;
        while kex > 0 && coef_at(block, kex) == 0 {
            kex -= 1;
        }
        let mut k = self.ss.max(1);
        while k <= self.se {
            let mut st = 3 * (k - 1);
            if k > kex {
                let Some(bin) = stats.get_mut(st) else { return false };
                if self.dec.decode(r, bin) != 0 {
                    return true; // end of block
                }
            }
            loop {
                let Some(pos) = UN_ZIGZAG.get(k).map(|&p| p & 63) else { return false };
                let Some(&current) = block.get(pos) else { return false };
                if current != 0 {
                    // A coefficient already nonzero: one correction bit.
                    let Some(bin) = stats.get_mut(st + 2) else { return false };
                    if self.dec.decode(r, bin) != 0 {
                        let Some(coef) = block.get_mut(pos) else { return false };
                        *coef = if current < 0 {
                            current.wrapping_add(m1)
                        } else {
                            current.wrapping_add(p1)
                        };
                    }
                    break;
                }
                let Some(bin) = stats.get_mut(st + 1) else { return false };
                if self.dec.decode(r, bin) != 0 {
                    // Newly nonzero: its sign.
                    let negative = self.dec.decode(r, &mut self.fixed) != 0;
                    let Some(coef) = block.get_mut(pos) else { return false };
                    *coef = if negative { m1 } else { p1 };
                    break;
                }
                st += 3;
                k += 1;
                if k > self.se {
                    return false;
                }
            }
            k += 1;
        }
        true
    }
}

impl<T: ZByteReaderTrait> JpegDecoder<T> {
    /// Decodes the arithmetic-coded scan whose header was just read into `buffer` (the
    /// progressive path's coefficient buffers), then leaves the marker that ends it in
    /// `stream.marker` for the caller's scan loop.
    #[allow(clippy::too_many_lines)]
    pub(crate) fn parse_arith_scan(
        &mut self, stream: &mut BitStream, buffer: &mut [Vec<i16>; MAX_COMPONENTS]
    ) -> Result<(), DecodeErrors> {
        let ns = usize::from(self.num_scans);
        if ns == 0 || ns > self.components.len() || ns > MAX_COMPONENTS {
            return Err(DecodeErrors::FormatStatic("Invalid number of components in scan"));
        }
        let progressive = self.arith_progressive;
        let (ss, se) = (usize::from(self.spec_start), usize::from(self.spec_end));
        if progressive {
            // G.1.1.1.1: a DC scan has Se = 0; AC scans have one component and Ss ≤ Se.
            let bad = if ss == 0 { se != 0 } else { se < ss || ns != 1 };
            if bad {
                return Err(DecodeErrors::FormatStatic("Invalid progressive scan parameters"));
            }
        }
        let mut scan = Scan {
            dec: Decoder::new(),
            dc_stats: [[0; DC_BINS]; 4],
            ac_stats: [[0; AC_BINS]; 4],
            fixed: FIXED,
            last_dc: [0; MAX_COMPONENTS],
            dc_context: [0; MAX_COMPONENTS],
            broken: false,
            progressive,
            ss,
            se: if progressive { se } else { 63 },
            ah: self.succ_high,
            al: if progressive { self.succ_low } else { 0 }
        };
        // Per component of the scan: its index, its DC and AC conditioning tables.
        let mut comps = [(0usize, 0usize, 0usize); MAX_COMPONENTS];
        for (slot, &n) in comps.iter_mut().zip(self.z_order.iter()).take(ns) {
            let comp = self
                .components
                .get(n)
                .ok_or(DecodeErrors::FormatStatic("Scan names a missing component"))?;
            if comp.dc_huff_table > 3 || comp.ac_huff_table > 3 {
                return Err(DecodeErrors::FormatStatic(
                    "Arithmetic conditioning table index out of 0..=3"
                ));
            }
            *slot = (n, comp.dc_huff_table, comp.ac_huff_table);
        }
        let comps = comps.get(..ns).unwrap_or(&[]);
        let cond = self.arith_conditioning;
        let missing = || DecodeErrors::FormatStatic("Scan names a missing component");

        // The blocks of the scan, MCU by MCU, as (component slot, block x, block y) lists.
        let (mcus_x, mcus_y) = if ns == 1 {
            let first = comps.first().ok_or_else(missing)?.0;
            let comp = self.components.get(first).ok_or_else(missing)?;
            let h = self.h_max.max(1);
            let v = self.v_max.max(1);
            (
                (usize::from(self.info.width) * comp.horizontal_sample).div_ceil(h * 8),
                (usize::from(self.info.height) * comp.vertical_sample).div_ceil(v * 8)
            )
        } else {
            (self.mcu_x, self.mcu_y)
        };
        let total = mcus_x
            .checked_mul(mcus_y)
            .ok_or(DecodeErrors::FormatStatic("Too many MCUs"))?;
        scan.reset();
        let restart_interval = self.restart_interval;
        let mut to_go = restart_interval;

        for mcu in 0..total {
            if restart_interval != 0 {
                if to_go == 0 {
                    self.arith_restart(&mut scan);
                    to_go = restart_interval;
                }
                to_go -= 1;
            }
            let (mx, my) = (mcu % mcus_x, mcu / mcus_x);
            for (slot, &(n, dc_t, ac_t)) in comps.iter().enumerate() {
                let comp = self.components.get(n).ok_or_else(missing)?;
                let (bw, bh) = if ns == 1 {
                    (1, 1)
                } else {
                    (comp.horizontal_sample, comp.vertical_sample)
                };
                let stride_blocks = comp.width_stride / 8;
                let kx = cond.ac_k.get(ac_t).copied().unwrap_or(5);
                for by in 0..bh {
                    for bx in 0..bw {
                        let x = mx * bw + bx;
                        let y = my * bh + by;
                        let start = y
                            .checked_mul(stride_blocks)
                            .and_then(|r| r.checked_add(x))
                            .and_then(|b| b.checked_mul(64))
                            .ok_or(DecodeErrors::FormatStatic("Block position overflow"))?;
                        let block: &mut [i16; 64] = buffer
                            .get_mut(n)
                            .and_then(|b| b.get_mut(start..start.checked_add(64)?))
                            .and_then(|b| b.try_into().ok())
                            .ok_or(DecodeErrors::FormatStatic("Block outside the image"))?;
                        if scan.broken {
                            continue;
                        }
                        let ok = self.arith_block(&mut scan, slot, dc_t, ac_t, kx, &cond, block);
                        if !ok {
                            if self.options.strict_mode() {
                                return Err(DecodeErrors::FormatStatic(
                                    "Corrupt arithmetic-coded data"
                                ));
                            }
                            scan.broken = true;
                        }
                    }
                }
            }
        }
        // Hand the marker that ends the scan to the caller.
        let marker = match scan.dec.marker {
            Some(m) => Marker::from_u8(m),
            None if scan.dec.eof => None,
            None => crate::mcu_prog::get_marker(&mut self.stream, stream).ok()
        };
        stream.marker = marker;
        if marker.is_none() {
            return Err(DecodeErrors::ExhaustedData);
        }
        Ok(())
    }

    /// One block of the scan; `false` on a code the standard does not allow.
    #[allow(clippy::too_many_arguments)]
    fn arith_block(
        &mut self, scan: &mut Scan, slot: usize, dc_t: usize, ac_t: usize, kx: u8,
        cond: &ArithConditioning, block: &mut [i16; 64]
    ) -> bool {
        let r = &mut self.stream;
        if !scan.progressive {
            let Some(dc) = scan.decode_dc(r, slot, dc_t, cond) else { return false };
            block[0] = dc as i16;
            return scan.decode_ac_first(r, ac_t, kx, block);
        }
        if scan.ss == 0 {
            if scan.ah == 0 {
                let Some(dc) = scan.decode_dc(r, slot, dc_t, cond) else { return false };
                block[0] = dc.wrapping_shl(u32::from(scan.al)) as i16;
            } else if scan.dec.decode(r, &mut scan.fixed) != 0 {
                block[0] |= 1i16.wrapping_shl(u32::from(scan.al));
            }
            return true;
        }
        if scan.ah == 0 {
            scan.decode_ac_first(r, ac_t, kx, block)
        } else {
            scan.decode_ac_refine(r, ac_t, block)
        }
    }

    /// At a restart interval's end (F.2.4.4 and G.2): the RSTn marker is read (one the
    /// decoder has already met, or the next in the data), statistics, predictions and the
    /// decoder are reset. Another marker is left for the scan loop, and the rest of the scan
    /// decodes from zeros.
    fn arith_restart(&mut self, scan: &mut Scan) {
        let pending = match scan.dec.marker {
            Some(m) => Some(m),
            None if scan.dec.eof => None,
            None => next_marker(&mut self.stream)
        };
        match pending {
            Some(m @ 0xD0..=0xD7) => {
                let _ = m;
                scan.dec.marker = None;
            }
            Some(m) => scan.dec.marker = Some(m),
            None => scan.dec.eof = true
        }
        let (marker, eof) = (scan.dec.marker, scan.dec.eof);
        scan.reset();
        scan.dec.marker = marker;
        scan.dec.eof = eof;
    }
}

/// The second byte of the next marker in the data, skipping anything before it.
fn next_marker<T: ZByteReaderTrait>(reader: &mut ZReader<T>) -> Option<u8> {
    let mut previous = 0u8;
    loop {
        let byte = reader.read_u8_err().ok()?;
        if previous == 0xFF && byte != 0 && byte != 0xFF {
            return Some(byte);
        }
        previous = byte;
    }
}
