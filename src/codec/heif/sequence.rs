//! An AVIF image sequence (`.avifs`, MIAF / AVIF §7): its colour track and, if it has one,
//! the alpha track that refers to it (`tref/auxl`), each as the AV1 samples it holds in
//! decode order (ISO/IEC 14496-12 sample tables: `stsz`, `stsc`, `stco`/`co64`) with each
//! sample's duration (`stts` over `mdhd`'s timescale). Samples are slices of the file:
//! nothing is copied, and a table pointing outside the file is corrupt.

use super::boxes::{boxes, corrupt, find, full, Bx, Reader};
use crate::error::Result;

/// One track: the `av1C` payload of its sample entry, its declared size and its samples.
#[derive(Debug)]
pub(super) struct Track<'a> {
    id: u32,
    /// The track this one is an auxiliary image of (`tref/auxl`), if any.
    aux_of: Option<u32>,
    pub av1c: &'a [u8],
    pub width: u32,
    pub height: u32,
    pub samples: Vec<&'a [u8]>,
    pub delays_ms: Vec<u32>,
}

#[derive(Debug)]
pub(super) struct Sequence<'a> {
    pub colour: Track<'a>,
    pub alpha: Option<Track<'a>>,
}

/// The first `max_frames` frames of `file`'s image sequence, or `None` for a file without
/// one (`moov`) or whose first video track is not AV1.
pub(super) fn read(file: &[u8], max_frames: u32) -> Result<Option<Sequence<'_>>> {
    let Some(moov) = find(file, b"moov")? else {
        return Ok(None);
    };
    let mut colour = None;
    let mut auxiliary = Vec::new();
    for trak in boxes(moov.body) {
        let trak = trak?;
        if &trak.kind != b"trak" {
            continue;
        }
        let Some(track) = track(file, &trak, max_frames)? else {
            continue;
        };
        if track.aux_of.is_some() {
            auxiliary.push(track);
        } else if colour.is_none() {
            colour = Some(track);
        }
    }
    let Some(colour) = colour else {
        return Ok(None);
    };
    let alpha = auxiliary.into_iter().find(|t| {
        t.aux_of == Some(colour.id) && (t.width, t.height) == (colour.width, colour.height)
    });
    Ok(Some(Sequence { colour, alpha }))
}

/// A `pict` or `auxv` track with an `av01` sample entry; `None` for any other.
fn track<'a>(file: &'a [u8], trak: &Bx<'a>, max_frames: u32) -> Result<Option<Track<'a>>> {
    let missing = |what: &str| corrupt(&format!("an image sequence track without {what}"));
    let tkhd = find(trak.body, b"tkhd")?.ok_or_else(|| missing("tkhd"))?;
    let (version, _, rest) = full(tkhd.body)?;
    let mut r = Reader::new(rest);
    r.bytes(if version == 1 { 16 } else { 8 })?; // creation and modification times
    let id = r.u32()?;
    let aux_of = match find(trak.body, b"tref")? {
        Some(tref) => match find(tref.body, b"auxl")? {
            Some(auxl) => Some(Reader::new(auxl.body).u32()?),
            None => None,
        },
        None => None,
    };
    let mdia = find(trak.body, b"mdia")?.ok_or_else(|| missing("mdia"))?;
    let hdlr = find(mdia.body, b"hdlr")?.ok_or_else(|| missing("hdlr"))?;
    let (_, _, rest) = full(hdlr.body)?;
    let handler = Reader::new(rest).bytes(8)?.get(4..8);
    if !matches!(handler, Some(b"pict" | b"auxv")) {
        return Ok(None);
    }
    let timescale = timescale(mdia.body)?;
    let mut stbl = mdia.body;
    for kind in [b"minf", b"stbl"] {
        stbl = find(stbl, kind)?
            .ok_or_else(|| missing("a sample table"))?
            .body;
    }
    let Some((av1c, width, height)) = av1_entry(stbl)? else {
        return Ok(None);
    };
    let samples = samples(file, stbl, max_frames)?;
    let delays_ms = delays(stbl, samples.len(), timescale)?;
    Ok(Some(Track {
        id,
        aux_of,
        av1c,
        width,
        height,
        samples,
        delays_ms,
    }))
}

/// `mdhd`'s units per second.
fn timescale(mdia: &[u8]) -> Result<u32> {
    let mdhd = find(mdia, b"mdhd")?.ok_or_else(|| corrupt("a track without mdhd"))?;
    let (version, _, rest) = full(mdhd.body)?;
    let mut r = Reader::new(rest);
    r.bytes(if version == 1 { 16 } else { 8 })?;
    r.u32()
}

/// The first sample entry, when it is `av01`: its `av1C` payload, width and height.
fn av1_entry(stbl: &[u8]) -> Result<Option<(&[u8], u32, u32)>> {
    let stsd = find(stbl, b"stsd")?.ok_or_else(|| corrupt("a sample table without stsd"))?;
    let (_, _, rest) = full(stsd.body)?;
    let mut r = Reader::new(rest);
    r.u32()?; // entry count
    let Some(entry) = boxes(r.rest()).next().transpose()? else {
        return Err(corrupt("an empty stsd"));
    };
    if &entry.kind != b"av01" {
        return Ok(None);
    }
    // VisualSampleEntry: 6 reserved, data reference index, 16 pre-defined and reserved,
    // width, height, then 50 more bytes before its child boxes.
    let mut r = Reader::new(entry.body);
    r.bytes(24)?;
    let (width, height) = (u32::from(r.u16()?), u32::from(r.u16()?));
    r.bytes(50)?;
    let av1c = find(r.rest(), b"av1C")?.ok_or_else(|| corrupt("an av01 entry without av1C"))?;
    Ok(Some((av1c.body, width, height)))
}

/// The first `max` samples in decode order: `stsc` says how many samples each chunk
/// (`stco`/`co64` offset) holds, `stsz` their sizes.
fn samples<'a>(file: &'a [u8], stbl: &[u8], max: u32) -> Result<Vec<&'a [u8]>> {
    let table = |kind: &[u8; 4]| -> Result<Option<(u8, Reader<'_>)>> {
        Ok(match find(stbl, kind)? {
            Some(b) => {
                let (version, _, rest) = full(b.body)?;
                Some((version, Reader::new(rest)))
            }
            None => None,
        })
    };
    let (_, mut stsz) = table(b"stsz")?.ok_or_else(|| corrupt("a sample table without stsz"))?;
    let uniform = stsz.u32()?;
    let count = stsz.u32()?.min(max);
    let (wide, mut stco) = match table(b"stco")? {
        Some((_, r)) => (false, r),
        None => (
            true,
            table(b"co64")?
                .ok_or_else(|| corrupt("no chunk offsets"))?
                .1,
        ),
    };
    let chunks = stco.u32()?;
    let (_, mut stsc) = table(b"stsc")?.ok_or_else(|| corrupt("a sample table without stsc"))?;
    let runs = stsc.u32()?;
    // (first chunk, samples per chunk) runs; a run lasts until the next one's first chunk.
    let mut run = (stsc.u32()?, stsc.u32()?);
    stsc.u32()?; // sample description index
    let mut next_run = 1;
    let mut out = Vec::new();
    for chunk in 1..=chunks {
        let offset = if wide {
            stco.uint(8)?
        } else {
            u64::from(stco.u32()?)
        };
        if next_run < runs {
            let mut peek = Reader::new(stsc.rest());
            if peek.u32()? == chunk {
                run = (chunk, peek.u32()?);
                stsc.bytes(12)?;
                next_run += 1;
            }
        }
        let mut at = offset;
        for _ in 0..run.1 {
            if out.len() >= count as usize {
                return Ok(out);
            }
            let size = if uniform != 0 { uniform } else { stsz.u32()? };
            let end = at.checked_add(u64::from(size));
            let sample = usize::try_from(at)
                .ok()
                .zip(end.and_then(|e| usize::try_from(e).ok()))
                .and_then(|(s, e)| file.get(s..e))
                .ok_or_else(|| corrupt("a sample outside the file"))?;
            out.push(sample);
            at = end.unwrap_or(u64::MAX);
        }
    }
    if out.len() < count as usize {
        return Err(corrupt("fewer samples in chunks than stsz counts"));
    }
    Ok(out)
}

/// Each of the first `n` samples' duration in milliseconds (`stts`: runs of equal deltas),
/// rounded; the last delta repeats for samples the table does not reach.
fn delays(stbl: &[u8], n: usize, timescale: u32) -> Result<Vec<u32>> {
    let stts = find(stbl, b"stts")?.ok_or_else(|| corrupt("a sample table without stts"))?;
    let (_, _, rest) = full(stts.body)?;
    let mut r = Reader::new(rest);
    let runs = r.u32()?;
    let ms = |delta: u32| {
        let ms = (u64::from(delta) * 1000 + u64::from(timescale) / 2) / u64::from(timescale.max(1));
        u32::try_from(ms).unwrap_or(u32::MAX)
    };
    let mut out = Vec::new();
    let mut last = 0;
    for _ in 0..runs {
        let (count, delta) = (r.u32()?, r.u32()?);
        last = ms(delta);
        let take = (count as usize).min(n - out.len());
        out.extend(std::iter::repeat_n(last, take));
        if out.len() == n {
            break;
        }
    }
    out.resize(n, last);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::boxes::tests::{bx, fbx};
    use super::super::container;
    use super::super::props::Prop;
    use crate::codec::{decode, encode, probe, EncodeOptions};
    use crate::format::ImageFormat;
    use crate::frame::{Frame, Image};
    use crate::limits::Limits;

    /// A 16×16 AVIF of our encoder: `rgb` everywhere; with `alpha`, opaque left and
    /// transparent right.
    fn still(rgb: [u8; 3], alpha: bool) -> Vec<u8> {
        let a = |i: usize| if alpha && i % 16 >= 8 { 0 } else { 255 };
        let px = (0..16 * 16)
            .flat_map(|i| [rgb[0], rgb[1], rgb[2], a(i)])
            .collect();
        let image = Image::still(Frame::from_rgba(16, 16, px).unwrap());
        let opts = EncodeOptions {
            format: ImageFormat::Avif,
            quality: 90,
            progressive: false,
        };
        encode(&image, &opts, &Limits::oss()).unwrap()
    }

    /// `av1C` payload and data of an AVIF's colour item and of its alpha item.
    fn items(avif: &[u8]) -> [(Vec<u8>, Vec<u8>); 2] {
        let p = container::read(avif).unwrap();
        let alpha = p.alpha.as_ref().unwrap();
        [p.image.tiles[0], alpha.tiles[0]].map(|id| {
            let item = p.meta.item(id).unwrap();
            let av1c = p.meta.props_of(item).find_map(|prop| match *prop {
                Prop::Av1C(c) => Some(c.to_vec()),
                _ => None,
            });
            (av1c.unwrap(), p.meta.data(item).unwrap().into_owned())
        })
    }

    /// A track of `samples` stored back to back from `offset`: one chunk holding the first,
    /// one the rest (two `stsc` runs), 1,000 of 25,000 units (40 ms) each.
    fn trak(id: u32, aux_of: Option<u32>, av1c: &[u8], samples: &[&[u8]], offset: u32) -> Vec<u8> {
        let tkhd = fbx(
            b"tkhd",
            0,
            1,
            &[[0; 8].as_slice(), &id.to_be_bytes()].concat(),
        );
        let tref = aux_of.map(|of| bx(b"tref", &bx(b"auxl", &of.to_be_bytes())));
        let handler: &[u8; 4] = if aux_of.is_some() { b"auxv" } else { b"pict" };
        let hdlr = fbx(
            b"hdlr",
            0,
            0,
            &[[0; 4].as_slice(), handler, &[0; 13]].concat(),
        );
        let mdhd = fbx(
            b"mdhd",
            0,
            0,
            &[[0; 8].as_slice(), &25_000u32.to_be_bytes(), &[0; 8]].concat(),
        );
        let mut entry = vec![0; 24];
        entry.extend_from_slice(&[0, 16, 0, 16]);
        entry.extend_from_slice(&[0; 50]);
        entry.extend_from_slice(&bx(b"av1C", av1c));
        let stsd = fbx(
            b"stsd",
            0,
            0,
            &[1u32.to_be_bytes().as_slice(), &bx(b"av01", &entry)].concat(),
        );
        let n = samples.len() as u32;
        let stts = fbx(
            b"stts",
            0,
            0,
            &[1u32, n, 1_000].map(u32::to_be_bytes).concat(),
        );
        let stsc = fbx(
            b"stsc",
            0,
            0,
            &[2u32, 1, 1, 1, 2, n - 1, 1].map(u32::to_be_bytes).concat(),
        );
        let mut sizes = vec![0u32, n];
        sizes.extend(samples.iter().map(|s| s.len() as u32));
        let stsz = fbx(
            b"stsz",
            0,
            0,
            &sizes
                .iter()
                .flat_map(|v| v.to_be_bytes())
                .collect::<Vec<_>>(),
        );
        let second = offset + samples[0].len() as u32;
        let stco = fbx(
            b"stco",
            0,
            0,
            &[2u32, offset, second].map(u32::to_be_bytes).concat(),
        );
        let stbl = bx(b"stbl", &[stsd, stts, stsc, stsz, stco].concat());
        let mdia = bx(b"mdia", &[mdhd, hdlr, bx(b"minf", &stbl)].concat());
        bx(
            b"trak",
            &[Some(tkhd), tref, Some(mdia)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .concat(),
        )
    }

    #[test]
    fn an_image_sequence_decodes_frame_by_frame_with_its_alpha_track() {
        // Three stills of our encoder as the samples of a colour and an alpha track, put
        // behind an opaque grey still (whose items stay the primary image).
        let colours = [[200, 30, 30], [30, 200, 30], [30, 30, 200]];
        let stills: Vec<_> = colours.iter().map(|&c| items(&still(c, true))).collect();
        let mut file = still([90, 90, 90], false);
        let colour: Vec<&[u8]> = stills.iter().map(|s| s[0].1.as_slice()).collect();
        let alpha: Vec<&[u8]> = stills.iter().map(|s| s[1].1.as_slice()).collect();
        let mdat = [colour.concat(), alpha.concat()].concat();
        let moov_len = {
            let probe_moov = bx(
                b"moov",
                &[
                    trak(1, None, &stills[0][0].0, &colour, 0),
                    trak(2, Some(1), &stills[0][1].0, &alpha, 0),
                ]
                .concat(),
            );
            probe_moov.len() as u32
        };
        let start = file.len() as u32 + moov_len + 8;
        let alpha_start = start + colour.concat().len() as u32;
        file.extend(bx(
            b"moov",
            &[
                trak(1, None, &stills[0][0].0, &colour, start),
                trak(2, Some(1), &stills[0][1].0, &alpha, alpha_start),
            ]
            .concat(),
        ));
        file.extend(bx(b"mdat", &mdat));

        let seq = super::read(&file, 10).unwrap().unwrap();
        assert_eq!(seq.colour.samples, colour);
        assert_eq!(seq.alpha.as_ref().unwrap().samples, alpha);
        assert_eq!(seq.colour.delays_ms, [40, 40, 40]);
        assert_eq!(
            super::read(&file, 2).unwrap().unwrap().colour.samples.len(),
            2
        );

        let p = probe(&file).unwrap();
        assert_eq!(
            (p.format, p.width, p.frames, p.has_alpha),
            (ImageFormat::Avif, 16, 3, true)
        );
        let oss = Limits::oss();
        let image = decode(&file, &p, &oss, &oss.admit(&p, 3).unwrap()).unwrap();
        assert_eq!(image.frames().len(), 3);
        let looks = |frame: &Frame, rgb: [u8; 3]| {
            let px = |x: usize| &frame.pixels()[(8 * 16 + x) * 4..][..4];
            let near = px(2)[..3].iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 8);
            assert!(near, "{:?} vs {rgb:?}", px(2));
            assert_eq!((px(2)[3], px(13)[3]), (255, 0));
        };
        for (frame, rgb) in image.frames().iter().zip(colours) {
            assert_eq!(frame.delay_ms, 40);
            looks(frame, rgb);
        }
        // One frame admitted (a still result): the sequence's first, not the grey still item
        // (as libavif shows a sequence); the probe counts the track's alpha.
        let still = decode(&file, &p, &oss, &oss.admit(&p, 1).unwrap()).unwrap();
        assert_eq!(still.frames().len(), 1);
        looks(still.first(), colours[0]);
        // Through the pipeline: animated in WebP, the still in the default AVIF output.
        let frames = |spec| match crate::process(&file, spec).unwrap() {
            crate::Output::Image { frames, .. } => frames,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (frames("image/format,webp"), frames("image/resize,w_8")),
            (3, 1)
        );
        // Tables pointing past the end are corrupt, not a panic.
        for len in (file.len() - mdat.len() - 16..file.len()).step_by(7) {
            let _ = super::read(&file[..len], 10);
        }
    }
}
