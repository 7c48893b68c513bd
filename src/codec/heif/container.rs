//! The primary image of a HEIF file as a reader of it needs it: its codec, its coded size
//! (one item or a `grid` of tiles), the transforms that make it upright (`clap`, `irot`,
//! `imir`), its colour (`colr`), its alpha plane and its EXIF item. References are
//! followed one level only (grid → tiles, alpha → primary), so a loop in `iref` cannot
//! make the reader go round.

use std::borrow::Cow;

use super::boxes::{boxes, corrupt, find, full, Reader};
use super::meta::{self, Item, Meta};
use super::picture::Cicp;
use super::props::{is_alpha, Clap, Prop};
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Codec {
    Hevc,
    Av1,
}

impl Codec {
    /// What a user calls the files of this codec.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Hevc => "HEIC (HEVC)",
            Codec::Av1 => "AVIF (AV1)",
        }
    }
}

/// A coded image: one item, or a grid of same-sized tiles cropped to the output size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Coded {
    pub codec: Codec,
    /// Stored size (before transforms).
    pub width: u32,
    pub height: u32,
    /// Tiles in row-major order (one for a plain item), `columns` a row.
    pub tiles: Vec<u32>,
    pub columns: u32,
}

/// What the primary image is and how to show it.
#[derive(Debug)]
pub(super) struct Primary<'a> {
    pub meta: Meta<'a>,
    pub image: Coded,
    pub clap: Option<Clap>,
    pub irot: u8,
    pub imir: Option<u8>,
    pub nclx: Option<Cicp>,
    pub icc: Option<&'a [u8]>,
    /// Bits per sample the container declares (`pixi`), if it does.
    pub depth: Option<u8>,
    pub alpha: Option<Coded>,
    /// Frames of an image sequence (`.avifs`); 1 for a still.
    pub frames: u32,
}

/// Most tiles one grid may have (a 256 × 256 grid: the syntax allows no more).
const MAX_TILES: usize = 256 * 256;

pub(super) fn read(file: &[u8]) -> Result<Primary<'_>> {
    let meta = meta::read(file)?;
    let item = meta.item(meta.primary)?.clone();
    let image = coded(&meta, &item)?;
    let mut p = Primary {
        image,
        clap: None,
        irot: 0,
        imir: None,
        nclx: None,
        icc: None,
        depth: None,
        alpha: None,
        frames: sequence_frames(file)?.unwrap_or(1),
        meta,
    };
    for prop in p.meta.props_of(&item) {
        match *prop {
            Prop::Clap(c) => p.clap = Some(c),
            Prop::Irot(r) => p.irot = r,
            Prop::Imir(m) => p.imir = Some(m),
            Prop::Nclx(c) if p.nclx.is_none() => p.nclx = Some(c),
            Prop::Icc(icc) if p.icc.is_none() => p.icc = Some(icc),
            Prop::Pixi(d) => p.depth = Some(d),
            _ => {}
        }
    }
    // A grid's colour is often on its tiles only.
    if p.nclx.is_none() || p.icc.is_none() {
        if let Some(&tile) = p.image.tiles.first() {
            let tile = p.meta.item(tile)?;
            for prop in p.meta.props_of(tile) {
                match *prop {
                    Prop::Nclx(c) if p.nclx.is_none() => p.nclx = Some(c),
                    Prop::Icc(icc) if p.icc.is_none() => p.icc = Some(icc),
                    _ => {}
                }
            }
        }
    }
    p.alpha = alpha(&p.meta, item.id)?;
    Ok(p)
}

/// The alpha plane of `primary`: an `auxl` item whose `auxC` names alpha.
fn alpha(meta: &Meta<'_>, primary: u32) -> Result<Option<Coded>> {
    for id in meta.refs_to(b"auxl", primary) {
        let Ok(item) = meta.item(id) else { continue };
        let alpha = meta
            .props_of(item)
            .any(|p| matches!(p, Prop::AuxC(urn) if is_alpha(urn)));
        if alpha {
            return coded(meta, item).map(Some);
        }
    }
    Ok(None)
}

fn codec_of(item: &Item) -> Option<Codec> {
    match &item.kind {
        b"hvc1" => Some(Codec::Hevc),
        b"av01" => Some(Codec::Av1),
        _ => None,
    }
}

fn ispe(meta: &Meta<'_>, item: &Item) -> Option<(u32, u32)> {
    meta.props_of(item).find_map(|p| match *p {
        Prop::Ispe(w, h) => Some((w, h)),
        _ => None,
    })
}

fn coded(meta: &Meta<'_>, item: &Item) -> Result<Coded> {
    if let Some(codec) = codec_of(item) {
        let (width, height) = ispe(meta, item).ok_or_else(|| corrupt("an image has no ispe"))?;
        return Ok(Coded {
            codec,
            width,
            height,
            tiles: vec![item.id],
            columns: 1,
        });
    }
    if &item.kind != b"grid" {
        // iovl, iden, tmap and the like; a HEIF with none of our codecs (jpeg, mski…).
        return Err(Error::unsupported_format());
    }
    let data = meta.data(item)?;
    let mut r = Reader::new(&data);
    r.u8()?; // version
    let flags = r.u8()?;
    let rows = u32::from(r.u8()?) + 1;
    let columns = u32::from(r.u8()?) + 1;
    let (width, height) = if flags & 1 != 0 {
        (r.u32()?, r.u32()?)
    } else {
        (u32::from(r.u16()?), u32::from(r.u16()?))
    };
    let tiles: Vec<u32> = meta
        .refs_from(b"dimg", item.id)
        .take(MAX_TILES + 1)
        .collect();
    if tiles.len() as u64 != u64::from(rows) * u64::from(columns) {
        return Err(corrupt("a grid's tile count is not rows × columns"));
    }
    let first = meta.item(*tiles.first().ok_or_else(|| corrupt("an empty grid"))?)?;
    let codec = codec_of(first).ok_or_else(|| corrupt("a grid tile is no coded image"))?;
    let (tw, th) = ispe(meta, first).ok_or_else(|| corrupt("a grid tile has no ispe"))?;
    for &id in &tiles {
        let tile = meta.item(id)?;
        if codec_of(tile) != Some(codec) || ispe(meta, tile) != Some((tw, th)) {
            return Err(corrupt("grid tiles differ in codec or size"));
        }
    }
    // The tiles must cover the output, and no column or row may lie wholly outside it.
    let covers = |tile: u32, n: u32, out: u32| {
        let full = u64::from(tile) * u64::from(n);
        full >= u64::from(out) && full - u64::from(tile) < u64::from(out)
    };
    if width == 0 || height == 0 || !covers(tw, columns, width) || !covers(th, rows, height) {
        return Err(corrupt("a grid's tiles do not fit its size"));
    }
    Ok(Coded {
        codec,
        width,
        height,
        tiles,
        columns,
    })
}

impl Primary<'_> {
    /// The displayed size: after the clean aperture and the rotation.
    pub fn display_size(&self) -> (u32, u32) {
        let (w, h) = (self.image.width, self.image.height);
        let (w, h) = match self.clap.and_then(|c| c.crop(w, h)) {
            Some((_, _, cw, ch)) => (cw, ch),
            None => (w, h),
        };
        if self.irot % 2 == 1 {
            (h, w)
        } else {
            (w, h)
        }
    }

    /// The primary image's EXIF block (a TIFF structure), from its `cdsc`-linked `Exif` item.
    pub fn exif(&self) -> Option<Cow<'_, [u8]>> {
        let id = self
            .meta
            .refs_to(b"cdsc", self.meta.primary)
            .find(|&id| self.meta.item(id).is_ok_and(|i| &i.kind == b"Exif"))?;
        let data = self.meta.data(self.meta.item(id).ok()?).ok()?;
        let skip = usize::try_from(crate::codec::bytes::be32(&data, 0)?).ok()?;
        let start = skip.checked_add(4)?;
        data.get(start..)?;
        Some(match data {
            Cow::Borrowed(b) => Cow::Borrowed(b.get(start..)?),
            Cow::Owned(v) => Cow::Owned(v.get(start..)?.to_vec()),
        })
    }
}

/// The sample count of an image sequence's first track (`moov/trak/mdia/minf/stbl/stsz`),
/// or `None` for a file without one.
fn sequence_frames(file: &[u8]) -> Result<Option<u32>> {
    let Some(moov) = find(file, b"moov")? else {
        return Ok(None);
    };
    for trak in boxes(moov.body) {
        let trak = trak?;
        if &trak.kind != b"trak" {
            continue;
        }
        let mut body = trak.body;
        for kind in [b"mdia", b"minf", b"stbl", b"stsz"] {
            body = find(body, kind)?
                .ok_or_else(|| corrupt("a track without a sample table"))?
                .body;
        }
        let (_, _, rest) = full(body)?;
        let mut r = Reader::new(rest);
        r.u32()?; // sample_size
        return Ok(Some(r.u32()?.max(1)));
    }
    Ok(None)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::boxes::tests::{bx, fbx};
    use super::*;

    fn infe(id: u16, kind: &[u8; 4]) -> Vec<u8> {
        let mut b = id.to_be_bytes().to_vec();
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(kind);
        b.push(0);
        fbx(b"infe", 2, 0, &b)
    }

    fn ispe(w: u32, h: u32) -> Vec<u8> {
        let mut b = w.to_be_bytes().to_vec();
        b.extend_from_slice(&h.to_be_bytes());
        fbx(b"ispe", 0, 0, &b)
    }

    /// A HEIF file: `items` (id, type, data in idat), `props` (in ipco order), `assoc`
    /// (item → 1-based property indices), `refs` (type, from, to).
    pub(in crate::codec::heif) fn heif(
        items: &[(u16, &[u8; 4], &[u8])],
        props: &[Vec<u8>],
        assoc: &[(u16, &[u8])],
        refs: &[(&[u8; 4], u16, &[u16])],
    ) -> Vec<u8> {
        let mut hdlr = vec![0; 4];
        hdlr.extend_from_slice(b"pict");
        hdlr.extend_from_slice(&[0; 13]);
        let mut iinf = (items.len() as u16).to_be_bytes().to_vec();
        let mut iloc = vec![0x44, 0x00];
        iloc.extend_from_slice(&(items.len() as u16).to_be_bytes());
        let mut idat = Vec::new();
        for (id, kind, data) in items {
            iinf.extend(infe(*id, kind));
            iloc.extend_from_slice(&id.to_be_bytes());
            iloc.extend_from_slice(&[0, 1, 0, 0, 0, 1]); // method 1, dref 0, 1 extent
            iloc.extend_from_slice(&(idat.len() as u32).to_be_bytes());
            iloc.extend_from_slice(&(data.len() as u32).to_be_bytes());
            idat.extend_from_slice(data);
        }
        let mut ipma = (assoc.len() as u32).to_be_bytes().to_vec();
        for (id, list) in assoc {
            ipma.extend_from_slice(&id.to_be_bytes());
            ipma.push(list.len() as u8);
            ipma.extend_from_slice(list);
        }
        let mut iprp = bx(b"ipco", &props.concat());
        iprp.extend(fbx(b"ipma", 0, 0, &ipma));
        let mut iref = Vec::new();
        for (kind, from, to) in refs {
            let mut b = from.to_be_bytes().to_vec();
            b.extend_from_slice(&(to.len() as u16).to_be_bytes());
            to.iter()
                .for_each(|t| b.extend_from_slice(&t.to_be_bytes()));
            iref.extend(bx(kind, &b));
        }
        let meta = [
            fbx(b"hdlr", 0, 0, &hdlr),
            fbx(b"pitm", 0, 0, &1u16.to_be_bytes()),
            fbx(b"iinf", 0, 0, &iinf),
            fbx(b"iloc", 1, 0, &iloc),
            bx(b"iprp", &iprp),
            fbx(b"iref", 0, 0, &iref),
            bx(b"idat", &idat),
        ]
        .concat();
        let mut file = bx(b"ftyp", b"heic\0\0\0\0mif1heic");
        file.extend(fbx(b"meta", 0, 0, &meta));
        file
    }

    fn grid(rows: u8, cols: u8, w: u16, h: u16) -> Vec<u8> {
        let mut g = vec![0, 0, rows - 1, cols - 1];
        g.extend_from_slice(&w.to_be_bytes());
        g.extend_from_slice(&h.to_be_bytes());
        g
    }

    #[test]
    fn one_item_with_rotation_and_clean_aperture() {
        let mut clap = Vec::new();
        for v in [40u32, 1, 30, 1, 0, 1, 0, 1] {
            clap.extend_from_slice(&v.to_be_bytes());
        }
        let file = heif(
            &[(1, b"hvc1", b"x")],
            &[ispe(64, 48), bx(b"irot", &[1]), bx(b"clap", &clap)],
            &[(1, &[1, 3, 2])],
            &[],
        );
        let p = read(&file).unwrap();
        assert_eq!(p.display_size(), (30, 40));
        assert_eq!(p.irot, 1);
        assert_eq!(p.meta.data(p.meta.item(1).unwrap()).unwrap().as_ref(), b"x");
    }

    #[test]
    fn grid_of_tiles_and_alpha() {
        let alpha_urn = fbx(b"auxC", 0, 0, b"urn:mpeg:hevc:2015:auxid:1\0");
        let file = heif(
            &[
                (1, b"grid", &grid(2, 2, 100, 60)),
                (2, b"hvc1", b""),
                (3, b"hvc1", b""),
                (4, b"hvc1", b""),
                (5, b"hvc1", b""),
                (6, b"hvc1", b""),
            ],
            &[ispe(100, 60), ispe(64, 32), alpha_urn],
            &[
                (1, &[1]),
                (2, &[2]),
                (3, &[2]),
                (4, &[2]),
                (5, &[2]),
                (6, &[1, 3]),
            ],
            &[(b"dimg", 1, &[2, 3, 4, 5]), (b"auxl", 6, &[1])],
        );
        let p = read(&file).unwrap();
        assert_eq!(p.image.tiles, [2, 3, 4, 5]);
        assert_eq!(
            (p.image.width, p.image.height, p.image.columns),
            (100, 60, 2)
        );
        assert_eq!(p.alpha.unwrap().tiles, [6]);
    }

    #[test]
    fn loops_and_lies_are_errors_not_hangs() {
        // A grid whose tile is itself.
        let file = heif(
            &[(1, b"grid", &grid(1, 1, 10, 10))],
            &[ispe(10, 10)],
            &[(1, &[1])],
            &[(b"dimg", 1, &[1])],
        );
        assert!(read(&file).is_err());
        // A grid of grids.
        let file = heif(
            &[
                (1, b"grid", &grid(1, 1, 10, 10)),
                (2, b"grid", &grid(1, 1, 10, 10)),
            ],
            &[ispe(10, 10)],
            &[(1, &[1]), (2, &[1])],
            &[(b"dimg", 1, &[2]), (b"dimg", 2, &[1])],
        );
        assert!(read(&file).is_err());
        // Tiles that do not cover the grid, or too many of them.
        let file = heif(
            &[
                (1, b"grid", &grid(1, 2, 200, 10)),
                (2, b"hvc1", b""),
                (3, b"hvc1", b""),
            ],
            &[ispe(10, 10)],
            &[(1, &[1]), (2, &[1]), (3, &[1])],
            &[(b"dimg", 1, &[2, 3])],
        );
        assert!(read(&file).is_err());
        // An alpha plane that refers to itself and to the primary: read once, no loop.
        let alpha_urn = fbx(
            b"auxC",
            0,
            0,
            b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha\0",
        );
        let file = heif(
            &[(1, b"hvc1", b""), (2, b"hvc1", b"")],
            &[ispe(8, 8), alpha_urn],
            &[(1, &[1]), (2, &[1, 2])],
            &[(b"auxl", 2, &[1, 2]), (b"auxl", 1, &[2])],
        );
        assert!(read(&file).unwrap().alpha.is_some());
        // A property index past the end and an item without ispe.
        let file = heif(&[(1, b"hvc1", b"")], &[ispe(8, 8)], &[(1, &[9])], &[]);
        assert!(read(&file).is_err());
    }

    #[test]
    fn every_prefix_is_an_error_or_a_reading() {
        let file = heif(&[(1, b"hvc1", b"abc")], &[ispe(8, 8)], &[(1, &[1])], &[]);
        assert!(read(&file).is_ok());
        for len in 0..file.len() {
            let _ = read(&file[..len]);
        }
        // Bytes flipped one at a time.
        for at in 0..file.len() {
            let mut bad = file.clone();
            bad[at] ^= 0xFF;
            if let Ok(p) = read(&bad) {
                let _ = p.display_size();
                let _ = p.meta.item(1).and_then(|i| p.meta.data(i));
            }
        }
    }

    #[test]
    fn lying_counts_allocate_nothing_large() {
        // iloc declares 65 535 items and holds none.
        let mut meta = fbx(b"hdlr", 0, 0, &[0, 0, 0, 0, b'p', b'i', b'c', b't', 0]);
        meta.extend(fbx(b"pitm", 0, 0, &[0, 1]));
        meta.extend(fbx(b"iloc", 1, 0, &[0x44, 0, 0xFF, 0xFF]));
        let mut file = bx(b"ftyp", b"heic\0\0\0\0");
        file.extend(fbx(b"meta", 0, 0, &meta));
        assert!(read(&file).is_err());
    }
}
