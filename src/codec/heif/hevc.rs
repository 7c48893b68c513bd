//! HEVC-coded items (HEIC) through the vendored `heic-rs` intra decoder: the parameter sets
//! from `hvcC`, the item's length-prefixed NAL units, one still picture out. Only its HEVC
//! decoder is used; the container is ours.

use heic_rs::hevc::{self, ChromaFormat};

use super::boxes::{corrupt, Reader};
use super::picture::{Chroma, Cicp, Samples, YuvPicture};
use crate::error::{Error, Result};
use crate::frame::try_filled;

/// The parameter sets of an `hvcC` record and the size of its NAL length prefixes.
struct Config<'a> {
    sets: Vec<&'a [u8]>,
    length_size: usize,
}

fn config(hvcc: &[u8]) -> Result<Config<'_>> {
    let mut r = Reader::new(hvcc);
    r.bytes(21)?;
    let length_size = usize::from(r.u8()? & 3) + 1;
    let arrays = r.u8()?;
    let mut sets = Vec::new();
    for _ in 0..arrays {
        let kind = r.u8()? & 0x3F;
        let n = r.u16()?;
        for _ in 0..n {
            let len = usize::from(r.u16()?);
            let nal = r.bytes(len)?;
            // VPS, SPS, PPS in that order is what the decoder expects; SEI and others wait.
            if matches!(kind, 32..=34) {
                sets.push((kind, nal));
            }
        }
    }
    sets.sort_by_key(|&(kind, _)| kind);
    Ok(Config {
        sets: sets.into_iter().map(|(_, nal)| nal).collect(),
        length_size,
    })
}

fn split(data: &[u8], length_size: usize) -> Result<Vec<&[u8]>> {
    let mut r = Reader::new(data);
    let mut nals = Vec::new();
    while r.left() > 0 {
        let len = usize::try_from(r.uint(length_size as u8)?).map_err(|_| corrupt("NAL size"))?;
        nals.push(r.bytes(len)?);
    }
    Ok(nals)
}

fn decode_error(e: heic_rs::Error) -> Error {
    match e {
        heic_rs::Error::Unsupported(what) => Error::new(
            crate::error::ErrorKind::BadRequest,
            None,
            format!("this HEVC picture uses a feature the decoder lacks ({what})"),
        ),
        other => Error::corrupt(format!("the HEVC picture is damaged ({other})")),
    }
}

/// Decodes one HEVC item: `hvcc` its configuration, `data` its coded bytes. `max_samples`
/// bounds the luma samples the SPS may declare (checked before the decoder allocates).
pub(super) fn decode(hvcc: &[u8], data: &[u8], max_samples: u64) -> Result<YuvPicture> {
    let c = config(hvcc)?;
    if c.sets.is_empty() {
        return Err(corrupt("hvcC holds no parameter sets"));
    }
    let info = hevc::probe(&c.sets).map_err(decode_error)?;
    if u64::from(info.width) * u64::from(info.height) > max_samples {
        return Err(Error::too_large(
            None,
            "the HEVC picture is larger than its container says",
        ));
    }
    let nals = split(data, c.length_size)?;
    let frame = hevc::decode_still(&c.sets, &nals).map_err(decode_error)?;
    frame.validate().map_err(decode_error)?;
    let chroma = match frame.chroma {
        ChromaFormat::Monochrome => Chroma::Monochrome,
        ChromaFormat::Yuv420 => Chroma::Yuv420,
        ChromaFormat::Yuv422 => Chroma::Yuv422,
        ChromaFormat::Yuv444 => Chroma::Yuv444,
    };
    let (w, h) = (frame.width as usize, frame.height as usize);
    let (cw, ch) = frame.chroma.chroma_size(frame.width, frame.height);
    let plane = |src: &[u16], stride: u32, pw: usize, ph: usize| -> Result<Vec<u16>> {
        let mut out = try_filled(pw.checked_mul(ph).ok_or_else(|| corrupt("size"))?, 0u16)?;
        for (row, dst) in out.chunks_exact_mut(pw.max(1)).enumerate() {
            let line = row
                .checked_mul(stride as usize)
                .and_then(|at| src.get(at..at.checked_add(pw)?))
                .ok_or_else(|| corrupt("plane"))?;
            dst.copy_from_slice(line);
        }
        Ok(out)
    };
    let y = plane(&frame.y, frame.y_stride, w, h)?;
    let (cb, cr) = if chroma == Chroma::Monochrome {
        (Vec::new(), Vec::new())
    } else {
        let (cw, ch) = (cw as usize, ch as usize);
        (
            plane(&frame.cb, frame.c_stride, cw, ch)?,
            plane(&frame.cr, frame.c_stride, cw, ch)?,
        )
    };
    drop(frame);
    let samples = if info.bit_depth <= 8 {
        let narrow = |v: Vec<u16>| v.into_iter().map(|s| s as u8).collect::<Vec<u8>>();
        Samples::U8([narrow(y), narrow(cb), narrow(cr)])
    } else {
        Samples::U16([y, cb, cr])
    };
    Ok(YuvPicture {
        width: w as u32,
        height: h as u32,
        bit_depth: info.bit_depth,
        chroma,
        samples,
        cicp: info.video_signal.map(|s| {
            let [primaries, transfer, matrix] = s.colour.unwrap_or([2, 2, 2]);
            Cicp {
                primaries,
                transfer,
                matrix,
                full_range: s.full_range,
            }
        }),
    })
}
