//! AV1 (the coded image of an AVIF item) → [`YuvPicture`], through rav1d, the Rust port of
//! dav1d (BSD-2-Clause), built without asm and run on the calling thread (no worker
//! threads: there are none on wasm32-unknown-unknown). rav1d's API is dav1d's C API, so
//! this module is the one place that speaks it; every `unsafe` call below is one of those
//! functions, used as dav1d documents.

use std::mem::MaybeUninit;
use std::ptr::NonNull;

use rav1d::include::dav1d::data::Dav1dData;
use rav1d::include::dav1d::dav1d::{Dav1dContext, Dav1dLogger, Dav1dSettings};
use rav1d::include::dav1d::headers::{
    Dav1dSequenceHeader, DAV1D_PIXEL_LAYOUT_I400, DAV1D_PIXEL_LAYOUT_I420, DAV1D_PIXEL_LAYOUT_I422,
    DAV1D_PIXEL_LAYOUT_I444,
};
use rav1d::include::dav1d::picture::Dav1dPicture;
use rav1d::src::lib as dav1d;
use rav1d::Dav1dResult;

use super::picture::{Chroma, Cicp, Samples, YuvPicture};
use crate::error::{Error, Result};

/// dav1d's "try again" (`DAV1D_ERR(EAGAIN)`): feed more data, or take a picture first.
const EAGAIN: Dav1dResult = Dav1dResult(-11);

/// Decodes the one AV1 picture in `data` (the item's OBUs). `av1c` is the item's `av1C`
/// property payload; its configOBUs (after the 4-byte header) may hold the sequence header
/// when `data` does not. Fails before decoding when the planes would exceed `max_bytes`.
pub(super) fn decode(av1c: &[u8], data: &[u8], max_bytes: u64) -> Result<YuvPicture> {
    let mut picture = None;
    decode_sequence(av1c, &[data], max_bytes, |_, p| {
        picture = Some(p);
        Ok(())
    })?;
    picture.ok_or_else(|| Error::corrupt("AV1: no picture in the data"))
}

/// Decodes the samples of an AV1 track in order through one decoder (a frame may predict
/// from earlier ones), handing each sample's picture to `each` with its index. `av1c` and
/// `max_bytes` as for [`decode`]; the budget holds for each picture.
pub(super) fn decode_sequence(
    av1c: &[u8],
    samples: &[&[u8]],
    max_bytes: u64,
    mut each: impl FnMut(usize, YuvPicture) -> Result<()>,
) -> Result<()> {
    let config_obus = av1c.get(4..).unwrap_or(&[]);
    let first = samples.first().copied().unwrap_or(&[]);
    // The sequence header gives the largest frame the stream may hold: check the budget
    // with it before the decoder allocates anything.
    let (seq, prepend) = match sequence_header(first) {
        Some(seq) => (seq, false),
        None => (
            sequence_header(config_obus)
                .ok_or_else(|| Error::corrupt("AV1: no sequence header"))?,
            true,
        ),
    };
    let layout = Layout::of(seq.layout)?;
    let bit_depth = bit_depth(seq.hbd)?;
    let max_w = u32::try_from(seq.max_width).unwrap_or(0);
    let max_h = u32::try_from(seq.max_height).unwrap_or(0);
    check_budget(max_w, max_h, layout, bit_depth, max_bytes)?;

    let mut decoder = Decoder::open(max_w.saturating_mul(max_h))?;
    for (i, sample) in samples.iter().enumerate() {
        let head = if prepend && i == 0 { config_obus } else { &[] };
        let mut input = Input::new(head, sample)?;
        let picture = decoder.decode(&mut input)?;
        each(i, picture.to_yuv(max_w, max_h, max_bytes)?)?;
    }
    Ok(())
}

/// The sequence header among `obus`, if any (dav1d reads it without decoding anything).
fn sequence_header(obus: &[u8]) -> Option<Dav1dSequenceHeader> {
    let ptr = NonNull::new(obus.as_ptr().cast_mut()).filter(|_| !obus.is_empty())?;
    let mut out = MaybeUninit::<Dav1dSequenceHeader>::uninit();
    // SAFETY: `out` is valid to write a `Dav1dSequenceHeader` to, and `ptr` is the start of
    // `obus`, `obus.len()` bytes long; dav1d only reads them during the call.
    let res = unsafe {
        dav1d::dav1d_parse_sequence_header(NonNull::new(out.as_mut_ptr()), Some(ptr), obus.len())
    };
    // SAFETY: dav1d wrote the whole header when it answered 0.
    (res.0 == 0).then(|| unsafe { out.assume_init() })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    I400,
    I420,
    I422,
    I444,
}

impl Layout {
    fn of(layout: u32) -> Result<Layout> {
        match layout {
            DAV1D_PIXEL_LAYOUT_I400 => Ok(Layout::I400),
            DAV1D_PIXEL_LAYOUT_I420 => Ok(Layout::I420),
            DAV1D_PIXEL_LAYOUT_I422 => Ok(Layout::I422),
            DAV1D_PIXEL_LAYOUT_I444 => Ok(Layout::I444),
            _ => Err(Error::corrupt("AV1: unknown pixel layout")),
        }
    }

    fn chroma(self) -> Chroma {
        match self {
            Layout::I400 => Chroma::Monochrome,
            Layout::I420 => Chroma::Yuv420,
            Layout::I422 => Chroma::Yuv422,
            Layout::I444 => Chroma::Yuv444,
        }
    }

    /// Chroma plane size for a `w×h` picture (0×0 when monochrome).
    fn chroma_size(self, w: u32, h: u32) -> (u32, u32) {
        let half = |v: u32| v.div_ceil(2);
        match self {
            Layout::I400 => (0, 0),
            Layout::I420 => (half(w), half(h)),
            Layout::I422 => (half(w), h),
            Layout::I444 => (w, h),
        }
    }
}

/// Bits per sample from the sequence header's `high_bitdepth`/`twelve_bit` (dav1d's `hbd`).
fn bit_depth(hbd: u8) -> Result<u8> {
    match hbd {
        0 => Ok(8),
        1 => Ok(10),
        2 => Ok(12),
        _ => Err(Error::corrupt("AV1: unknown bit depth")),
    }
}

/// Bytes of the three planes of a `w×h` picture.
fn planes_bytes(w: u32, h: u32, layout: Layout, bit_depth: u8) -> Option<u64> {
    let (cw, ch) = layout.chroma_size(w, h);
    let luma = u64::from(w).checked_mul(u64::from(h))?;
    let chroma = u64::from(cw).checked_mul(u64::from(ch))?.checked_mul(2)?;
    let per_sample = if bit_depth > 8 { 2 } else { 1 };
    luma.checked_add(chroma)?.checked_mul(per_sample)
}

/// The decoder holds one picture of that size and [`YuvPicture`] a copy: both count.
fn check_budget(w: u32, h: u32, layout: Layout, bit_depth: u8, max_bytes: u64) -> Result<()> {
    if w == 0 || h == 0 {
        return Err(Error::corrupt("AV1: empty frame size"));
    }
    match planes_bytes(w, h, layout, bit_depth).and_then(|b| b.checked_mul(2)) {
        Some(bytes) if bytes <= max_bytes => Ok(()),
        _ => Err(Error::too_large(
            None,
            format!(
                "decoding a {w}x{h} AV1 picture exceeds the memory budget of {max_bytes} bytes."
            ),
        )),
    }
}

/// A dav1d decoder context, closed on drop.
struct Decoder(Option<Dav1dContext>);

impl Decoder {
    /// One thread, one frame in flight, film grain applied (as libavif does), no logging,
    /// and no frame larger than `max_pixels` (the sequence header's maximum).
    fn open(max_pixels: u32) -> Result<Decoder> {
        let mut settings = MaybeUninit::<Dav1dSettings>::uninit();
        // SAFETY: `settings` is valid to write a `Dav1dSettings` to; dav1d fills every field.
        let mut settings = unsafe {
            dav1d::dav1d_default_settings(NonNull::from(&mut settings).cast());
            settings.assume_init()
        };
        settings.n_threads = 1;
        settings.max_frame_delay = 1;
        settings.apply_grain = 1;
        settings.frame_size_limit = max_pixels;
        // SAFETY: a logger without a callback never calls anything.
        settings.logger = unsafe { Dav1dLogger::new(None, None) };
        let mut context = Decoder(None);
        // SAFETY: both pointers are to live, initialised values of the right types.
        let res = unsafe {
            dav1d::dav1d_open(
                Some(NonNull::from(&mut context.0)),
                Some(NonNull::from(&mut settings)),
            )
        };
        if res.0 != 0 || context.0.is_none() {
            return Err(Error::internal(format!(
                "AV1 decoder: cannot open ({})",
                res.0
            )));
        }
        Ok(context)
    }

    /// Feeds `input` until the decoder gives a picture.
    fn decode(&mut self, input: &mut Input) -> Result<Picture> {
        let mut picture = Picture(Dav1dPicture::default());
        loop {
            let before = input.0.sz;
            if before > 0 {
                // SAFETY: the context is open (`open` succeeded, `drop` has not run) and
                // `input.0` is a `Dav1dData` made by `dav1d_data_create`.
                let res =
                    unsafe { dav1d::dav1d_send_data(self.0, Some(NonNull::from(&mut input.0))) };
                if res.0 != 0 && res != EAGAIN {
                    return Err(Error::corrupt(format!("AV1: bad data ({})", res.0)));
                }
            }
            // SAFETY: the context is open, and `picture.0` is an empty (default) picture
            // that dav1d may overwrite.
            let res =
                unsafe { dav1d::dav1d_get_picture(self.0, Some(NonNull::from(&mut picture.0))) };
            match res {
                Dav1dResult(0) => return Ok(picture),
                // More data to feed, and the last call took some of it.
                EAGAIN if input.0.sz > 0 && input.0.sz < before => continue,
                EAGAIN => return Err(Error::corrupt("AV1: no picture in the data")),
                other => return Err(Error::corrupt(format!("AV1: bad data ({})", other.0))),
            }
        }
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: `self.0` is from `dav1d_open` (or `None`, which dav1d ignores); dav1d sets
        // it to `None`, so it is closed once.
        unsafe { dav1d::dav1d_close(Some(NonNull::from(&mut self.0))) }
    }
}

/// The coded data, copied into a buffer dav1d owns (it keeps references to it while
/// decoding), released on drop.
struct Input(Dav1dData);

impl Input {
    fn new(head: &[u8], body: &[u8]) -> Result<Input> {
        let len = head
            .len()
            .checked_add(body.len())
            .filter(|&len| len > 0)
            .ok_or_else(|| Error::corrupt("AV1: no data"))?;
        let mut data = Input(Dav1dData::default());
        // SAFETY: `data.0` is valid to write a `Dav1dData` to.
        let ptr = unsafe { dav1d::dav1d_data_create(Some(NonNull::from(&mut data.0)), len) };
        if ptr.is_null() || data.0.sz != len {
            return Err(Error::too_large(
                None,
                format!("cannot allocate {len} bytes."),
            ));
        }
        // SAFETY: dav1d allocated `len` bytes at `ptr` for us to fill, and nothing else
        // refers to them yet.
        let buf = unsafe { std::slice::from_raw_parts_mut(ptr, len) };
        let (first, second) = buf.split_at_mut(head.len());
        first.copy_from_slice(head);
        second.copy_from_slice(body);
        Ok(data)
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        // SAFETY: `self.0` is from `dav1d_data_create` (possibly consumed by
        // `dav1d_send_data`, which leaves it empty); unref accepts both.
        unsafe { dav1d::dav1d_data_unref(Some(NonNull::from(&mut self.0))) }
    }
}

/// A decoded picture owned by dav1d, released on drop.
struct Picture(Dav1dPicture);

impl Drop for Picture {
    fn drop(&mut self) {
        // SAFETY: `self.0` is default (empty) or from `dav1d_get_picture`; unref accepts both.
        unsafe { dav1d::dav1d_picture_unref(Some(NonNull::from(&mut self.0))) }
    }
}

impl Picture {
    /// Copies the planes out, dropping dav1d's stride padding.
    fn to_yuv(&self, max_w: u32, max_h: u32, max_bytes: u64) -> Result<YuvPicture> {
        let p = &self.0;
        let seq = p
            .seq_hdr
            .ok_or_else(|| Error::corrupt("AV1: picture without a sequence header"))?;
        // SAFETY: a picture from `dav1d_get_picture` points at its sequence header, which
        // lives as long as the picture.
        let seq = unsafe { seq.as_ref() };
        let layout = Layout::of(p.p.layout)?;
        let bit_depth = u8::try_from(p.p.bpc)
            .ok()
            .filter(|b| matches!(b, 8 | 10 | 12))
            .ok_or_else(|| Error::corrupt("AV1: unknown bit depth"))?;
        let (w, h) = match (u32::try_from(p.p.w), u32::try_from(p.p.h)) {
            (Ok(w), Ok(h)) if w > 0 && h > 0 && w <= max_w && h <= max_h => (w, h),
            _ => {
                return Err(Error::corrupt(
                    "AV1: frame size outside the sequence header's",
                ))
            }
        };
        check_budget(w, h, layout, bit_depth, max_bytes)?;
        let (cw, ch) = layout.chroma_size(w, h);
        let sizes = [(w, h, 0), (cw, ch, 1), (cw, ch, 2)];
        let samples = if bit_depth == 8 {
            let mut planes: [Vec<u8>; 3] = Default::default();
            for (plane, &(pw, ph, i)) in planes.iter_mut().zip(&sizes) {
                *plane = self.plane::<u8>(i, pw, ph)?;
            }
            Samples::U8(planes)
        } else {
            let mut planes: [Vec<u16>; 3] = Default::default();
            for (plane, &(pw, ph, i)) in planes.iter_mut().zip(&sizes) {
                *plane = self.plane::<u16>(i, pw, ph)?;
            }
            Samples::U16(planes)
        };
        Ok(YuvPicture {
            width: w,
            height: h,
            bit_depth,
            chroma: layout.chroma(),
            samples,
            // AV1 always codes the range; primaries, transfer and matrix are 2
            // ("unspecified") when the stream describes no colour.
            cicp: Some(Cicp {
                primaries: u8::try_from(seq.pri).unwrap_or(2),
                transfer: u8::try_from(seq.trc).unwrap_or(2),
                matrix: u8::try_from(seq.mtrx).unwrap_or(2),
                full_range: seq.color_range != 0,
            }),
        })
    }

    /// Plane `i` (`pw×ph` samples of `T`) without padding; empty when `pw` or `ph` is 0.
    fn plane<T: Copy>(&self, i: usize, pw: u32, ph: u32) -> Result<Vec<T>> {
        let bad = || Error::corrupt("AV1: picture planes smaller than its size");
        let (pw, ph) = (pw as usize, ph as usize);
        let len = pw.checked_mul(ph).ok_or_else(bad)?;
        let mut out = Vec::new();
        if len == 0 {
            return Ok(out);
        }
        out.try_reserve_exact(len)
            .map_err(|_| Error::too_large(None, format!("cannot allocate {len} samples.")))?;
        let base = self.0.data.get(i).copied().flatten().ok_or_else(bad)?;
        let stride = self
            .0
            .stride
            .get(i.min(1))
            .and_then(|&s| usize::try_from(s).ok())
            .ok_or_else(bad)?;
        let row_bytes = pw.checked_mul(size_of::<T>()).ok_or_else(bad)?;
        if stride < row_bytes || base.as_ptr().align_offset(align_of::<T>()) != 0 {
            return Err(bad());
        }
        for y in 0..ph {
            let offset = y.checked_mul(stride).ok_or_else(bad)?;
            // SAFETY: dav1d's plane `i` holds `ph` rows of `stride` bytes (at least
            // `row_bytes`, checked above) of `T` samples (8-bit pictures in bytes, 10/12-bit
            // ones in `u16`), aligned for `T` (checked above), alive while `self` is.
            let row = unsafe {
                std::slice::from_raw_parts(base.as_ptr().cast::<u8>().add(offset).cast::<T>(), pw)
            };
            out.extend_from_slice(row);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny ISOBMFF walker for the tests: the payload of the first box `name` inside
    /// `bytes` (searching children of the container boxes on the way).
    fn find_box<'a>(bytes: &'a [u8], path: &[&[u8; 4]]) -> Option<&'a [u8]> {
        let (first, rest) = path.split_first()?;
        let mut at = 0usize;
        while at + 8 <= bytes.len() {
            let size = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
            let kind = &bytes[at + 4..at + 8];
            let end = if size == 0 { bytes.len() } else { at + size };
            if size < 8 && size != 0 || end > bytes.len() {
                return None;
            }
            if kind == *first {
                let skip = if matches!(*first, b"meta" | b"iinf") {
                    12
                } else {
                    8
                };
                let payload = &bytes[at + skip..end];
                return if rest.is_empty() {
                    Some(payload)
                } else {
                    find_box(payload, rest)
                };
            }
            at = end;
        }
        None
    }

    fn be(b: &[u8], n: usize) -> usize {
        b[..n].iter().fold(0, |v, &x| v << 8 | x as usize)
    }

    /// av1C of the first item and the data of item 1 (the primary image in the corpus
    /// files here), through `iloc` (version 0/1, construction method 0, one extent).
    fn primary(file: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let av1c = find_box(file, &[b"meta", b"iprp", b"ipco", b"av1C"])
            .unwrap()
            .to_vec();
        let iloc = find_box(file, &[b"meta", b"iloc"]).unwrap();
        let version = iloc[0];
        let (off_size, len_size, base_size) = (
            (iloc[4] >> 4) as usize,
            (iloc[4] & 15) as usize,
            (iloc[5] >> 4) as usize,
        );
        let index_size = if version >= 1 {
            (iloc[5] & 15) as usize
        } else {
            0
        };
        let count_size = if version < 2 { 2 } else { 4 };
        let mut at = 6;
        let count = be(&iloc[at..], count_size);
        at += count_size;
        for _ in 0..count {
            let id = be(&iloc[at..], count_size);
            at += count_size;
            if version >= 1 {
                at += 2;
            }
            at += 2; // data reference index
            let base = be(&iloc[at..], base_size);
            at += base_size;
            let extents = be(&iloc[at..], 2);
            at += 2;
            let mut data = Vec::new();
            for _ in 0..extents {
                at += index_size;
                let off = be(&iloc[at..], off_size);
                at += off_size;
                let len = be(&iloc[at..], len_size);
                at += len_size;
                data.extend_from_slice(&file[base + off..base + off + len]);
            }
            if id == 1 {
                return (av1c, data);
            }
        }
        panic!("no item 1");
    }

    fn corpus(name: &str) -> Option<Vec<u8>> {
        let path = format!(
            "{}/../../shared/corpus/formats/avif/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path)
            .or_else(|_| std::fs::read(format!("/work/shared/corpus/formats/avif/{name}")))
            .ok()
    }

    #[test]
    fn decodes_corpus_items_of_each_kind() {
        // (file, size, bit depth, chroma)
        let cases = [
            ("linku_fox.profile0.8bpc.yuv420.avif", 8, Chroma::Yuv420),
            ("linku_fox.profile0.10bpc.yuv420.avif", 10, Chroma::Yuv420),
            ("linku_fox.profile1.8bpc.yuv444.avif", 8, Chroma::Yuv444),
            (
                "linku_hato.profile0.8bpc.monochrome.avif",
                8,
                Chroma::Monochrome,
            ),
        ];
        for (name, depth, chroma) in cases {
            let Some(file) = corpus(name) else {
                eprintln!("skipped: {name} not found");
                continue;
            };
            let (av1c, data) = primary(&file);
            let pic = decode(&av1c, &data, 1 << 30).unwrap();
            assert_eq!((pic.bit_depth, pic.chroma), (depth, chroma), "{name}");
            let n = (pic.width * pic.height) as usize;
            let (cw, ch) = Layout::of(match chroma {
                Chroma::Monochrome => DAV1D_PIXEL_LAYOUT_I400,
                Chroma::Yuv420 => DAV1D_PIXEL_LAYOUT_I420,
                Chroma::Yuv422 => DAV1D_PIXEL_LAYOUT_I422,
                Chroma::Yuv444 => DAV1D_PIXEL_LAYOUT_I444,
            })
            .unwrap()
            .chroma_size(pic.width, pic.height);
            let lens = match &pic.samples {
                Samples::U8(p) => p.each_ref().map(Vec::len),
                Samples::U16(p) => p.each_ref().map(Vec::len),
            };
            assert_eq!(lens, [n, (cw * ch) as usize, (cw * ch) as usize], "{name}");
            // Not a flat picture: the luma plane varies.
            let spread = match &pic.samples {
                Samples::U8(p) => p[0].iter().max().unwrap() - p[0].iter().min().unwrap(),
                Samples::U16(p) => {
                    (p[0].iter().max().unwrap() >> 2) as u8
                        - (p[0].iter().min().unwrap() >> 2) as u8
                }
            };
            assert!(spread > 64, "{name}: luma spread {spread}");
            assert!(pic.cicp.is_some());
            // Too small a budget is refused before decoding.
            let e = decode(&av1c, &data, 1000).unwrap_err();
            assert_eq!(e.code(), "ImageTooLarge", "{name}");
        }
    }

    #[test]
    fn sequence_header_only_in_av1c_is_enough() {
        let Some(file) = corpus("linku_fox.profile0.8bpc.yuv420.avif") else {
            return;
        };
        let (av1c, data) = primary(&file);
        let a = decode(&av1c, &data, 1 << 30).unwrap();
        // Without its own sequence header the item still decodes with av1C's.
        let seq_len = sequence_obu_len(&data).unwrap();
        let stripped = &data[seq_len..];
        if av1c.len() > 4 {
            let b = decode(&av1c, stripped, 1 << 30).unwrap();
            assert_eq!((a.width, a.height), (b.width, b.height));
        }
        assert!(decode(&[], stripped, 1 << 30).is_err());
    }

    /// Length of the leading temporal-delimiter and sequence-header OBUs (with size fields).
    fn sequence_obu_len(data: &[u8]) -> Option<usize> {
        let mut at = 0;
        loop {
            let header = *data.get(at)?;
            let kind = header >> 3 & 15;
            let ext = usize::from(header & 4 != 0);
            let mut size = 0usize;
            let mut i = at + 1 + ext;
            for shift in (0..56).step_by(7) {
                let b = *data.get(i)?;
                i += 1;
                size |= usize::from(b & 127) << shift;
                if b & 128 == 0 {
                    break;
                }
            }
            let end = i + size;
            if kind == 1 || kind == 2 {
                at = end;
                if kind == 1 {
                    return Some(at);
                }
            } else {
                return None;
            }
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode(&[], &[], 1 << 30).is_err());
        assert!(decode(&[0x81, 0, 0, 0], &[0x12, 0, 0x0a, 0x0b, 0, 0, 0], 1 << 30).is_err());
        let Some(file) = corpus("linku_fox.profile0.8bpc.yuv420.avif") else {
            return;
        };
        let (av1c, data) = primary(&file);
        for cut in [data.len() / 2, data.len() - 1, 20] {
            let _ = decode(&av1c, &data[..cut], 1 << 30);
        }
        let mut flipped = data.clone();
        for i in (40..flipped.len()).step_by(97) {
            flipped[i] ^= 0x5a;
        }
        let _ = decode(&av1c, &flipped, 1 << 30);
    }
}
