//! The `meta` box (ISO/IEC 23008-12 §9): items, where their data is (`iloc`, `idat`),
//! what they are (`iinf`), how they relate (`iref`) and their properties (`iprp`).
//! Vectors are sized by entries actually read, never by a declared count.

use std::borrow::Cow;

use super::boxes::{boxes, corrupt, find, full, Bx, Reader};
use super::props::{self, Prop};
use crate::error::{Error, Result};

/// Most items, references, properties or extents one file may declare: far above real files
/// (an iPhone photo has about 60 items), low enough that walking them stays cheap.
const MAX_ENTRIES: usize = 1 << 16;

#[derive(Clone, Debug, Default)]
pub(super) struct Item {
    pub id: u32,
    pub kind: [u8; 4],
    pub hidden: bool,
    /// Construction method (0 file offsets, 1 `idat` offsets) and the extents.
    pub method: u8,
    pub extents: Vec<(u64, u64)>,
    /// Property indices (1-based into `Meta::props`), in association order.
    pub props: Vec<u16>,
    pub located: bool,
}

#[derive(Clone, Debug)]
pub(super) struct Reference {
    pub kind: [u8; 4],
    pub from: u32,
    pub to: Vec<u32>,
}

/// A parsed `meta` box, borrowing from the file.
#[derive(Debug)]
pub(super) struct Meta<'a> {
    pub file: &'a [u8],
    pub primary: u32,
    pub items: Vec<Item>,
    pub refs: Vec<Reference>,
    pub props: Vec<Prop<'a>>,
    pub idat: &'a [u8],
}

/// Reads the top-level `meta` box of `file`.
pub(super) fn read(file: &[u8]) -> Result<Meta<'_>> {
    let meta = find(file, b"meta")?.ok_or_else(|| corrupt("no meta box"))?;
    let (_, _, body) = full(meta.body)?;
    let mut m = Meta {
        file,
        primary: 0,
        items: Vec::new(),
        refs: Vec::new(),
        props: Vec::new(),
        idat: &[],
    };
    let mut have_pitm = false;
    let mut have_hdlr = false;
    let mut ipma = Vec::new();
    for bx in boxes(body) {
        let bx = bx?;
        match &bx.kind {
            b"hdlr" => {
                let (_, _, rest) = full(bx.body)?;
                let mut r = Reader::new(rest);
                r.u32()?; // pre_defined
                if r.bytes(4)? != b"pict" {
                    return Err(corrupt("the meta handler is not pict"));
                }
                have_hdlr = true;
            }
            b"pitm" => {
                let (v, _, rest) = full(bx.body)?;
                m.primary = Reader::new(rest).id(v != 0)?;
                have_pitm = true;
            }
            b"iinf" => iinf(bx, &mut m.items)?,
            b"iloc" => iloc(bx, &mut m.items)?,
            b"iref" => iref(bx, &mut m.refs)?,
            b"idat" => m.idat = bx.body,
            b"iprp" => iprp(bx, &mut m.props, &mut ipma)?,
            _ => {}
        }
    }
    if !have_hdlr || !have_pitm {
        return Err(corrupt("no hdlr or pitm box"));
    }
    for (id, list) in ipma {
        if let Some(item) = m.items.iter_mut().find(|i| i.id == id) {
            item.props = list;
        }
    }
    Ok(m)
}

fn item_mut(items: &mut Vec<Item>, id: u32) -> Result<&mut Item> {
    let at = match items.iter().position(|i| i.id == id) {
        Some(at) => at,
        None => {
            if items.len() >= MAX_ENTRIES {
                return Err(corrupt("too many items"));
            }
            items.push(Item {
                id,
                ..Item::default()
            });
            items.len() - 1
        }
    };
    items.get_mut(at).ok_or_else(|| corrupt("item"))
}

fn iinf(bx: Bx<'_>, items: &mut Vec<Item>) -> Result<()> {
    let (v, _, rest) = full(bx.body)?;
    let skip = if v == 0 { 2 } else { 4 };
    for infe in boxes(rest.get(skip..).unwrap_or_default()) {
        let infe = infe?;
        if &infe.kind != b"infe" {
            continue;
        }
        let (v, flags, rest) = full(infe.body)?;
        if v < 2 {
            continue; // no item type: not an image item
        }
        let mut r = Reader::new(rest);
        let id = r.id(v >= 3)?;
        r.u16()?; // item_protection_index
        let kind: [u8; 4] = r.bytes(4)?.try_into().map_err(|_| corrupt("infe"))?;
        let item = item_mut(items, id)?;
        item.kind = kind;
        item.hidden = flags & 1 != 0;
    }
    Ok(())
}

fn iloc(bx: Bx<'_>, items: &mut Vec<Item>) -> Result<()> {
    let (v, _, rest) = full(bx.body)?;
    if v > 2 {
        return Err(corrupt("iloc version"));
    }
    let mut r = Reader::new(rest);
    let sizes = r.u16()?;
    let offset_size = (sizes >> 12) as u8;
    let length_size = ((sizes >> 8) & 15) as u8;
    let base_size = ((sizes >> 4) & 15) as u8;
    let index_size = if v == 0 { 0 } else { (sizes & 15) as u8 };
    let count = if v < 2 { u32::from(r.u16()?) } else { r.u32()? };
    for _ in 0..count {
        let id = r.id(v == 2)?;
        let method = if v == 0 { 0 } else { (r.u16()? & 15) as u8 };
        r.u16()?; // data_reference_index
        let base = r.uint(base_size)?;
        let extents = r.u16()?;
        let item = item_mut(items, id)?;
        item.method = method;
        item.located = true;
        item.extents.clear();
        for _ in 0..extents {
            r.uint(index_size)?;
            let offset = r.uint(offset_size)?;
            let length = r.uint(length_size)?;
            if item.extents.len() >= MAX_ENTRIES {
                return Err(corrupt("too many extents"));
            }
            let offset = base
                .checked_add(offset)
                .ok_or_else(|| corrupt("iloc offset"))?;
            item.extents.push((offset, length));
        }
    }
    Ok(())
}

fn iref(bx: Bx<'_>, refs: &mut Vec<Reference>) -> Result<()> {
    let (v, _, rest) = full(bx.body)?;
    for child in boxes(rest) {
        let child = child?;
        let mut r = Reader::new(child.body);
        let from = r.id(v != 0)?;
        let n = r.u16()?;
        let mut to = Vec::new();
        for _ in 0..n {
            to.push(r.id(v != 0)?);
        }
        if refs.len() >= MAX_ENTRIES {
            return Err(corrupt("too many references"));
        }
        refs.push(Reference {
            kind: child.kind,
            from,
            to,
        });
    }
    Ok(())
}

type Associations = Vec<(u32, Vec<u16>)>;

fn iprp<'a>(bx: Bx<'a>, props: &mut Vec<Prop<'a>>, ipma: &mut Associations) -> Result<()> {
    for child in boxes(bx.body) {
        let child = child?;
        match &child.kind {
            b"ipco" => {
                for p in boxes(child.body) {
                    if props.len() >= MAX_ENTRIES {
                        return Err(corrupt("too many properties"));
                    }
                    props.push(props::parse(p?)?);
                }
            }
            b"ipma" => {
                let (v, flags, rest) = full(child.body)?;
                let mut r = Reader::new(rest);
                let count = r.u32()?;
                for _ in 0..count {
                    let id = r.id(v >= 1)?;
                    let n = r.u8()?;
                    let mut list = Vec::new();
                    for _ in 0..n {
                        let index = if flags & 1 != 0 {
                            r.u16()? & 0x7FFF
                        } else {
                            u16::from(r.u8()? & 0x7F)
                        };
                        list.push(index);
                    }
                    if ipma.len() >= MAX_ENTRIES {
                        return Err(corrupt("too many associations"));
                    }
                    ipma.push((id, list));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

impl<'a> Meta<'a> {
    pub fn item(&self, id: u32) -> Result<&Item> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(|| corrupt("a referenced item does not exist"))
    }

    /// The properties associated with `item`, in order (index 0 means none).
    pub fn props_of<'s>(&'s self, item: &'s Item) -> impl Iterator<Item = &'s Prop<'a>> + 's {
        item.props
            .iter()
            .filter_map(|&i| self.props.get(usize::from(i).checked_sub(1)?))
    }

    /// The items `from` refers to with a reference of `kind`, in order.
    pub fn refs_from(&self, kind: &[u8; 4], from: u32) -> impl Iterator<Item = u32> + '_ {
        let kind = *kind;
        self.refs
            .iter()
            .filter(move |r| r.kind == kind && r.from == from)
            .flat_map(|r| r.to.iter().copied())
    }

    /// The items that refer to `to` with a reference of `kind`.
    pub fn refs_to(&self, kind: &[u8; 4], to: u32) -> impl Iterator<Item = u32> + '_ {
        let kind = *kind;
        self.refs
            .iter()
            .filter(move |r| r.kind == kind && r.to.contains(&to))
            .map(|r| r.from)
    }

    /// The bytes of `item`: its extents joined (borrowed when there is one). The join is
    /// capped at the file's length: extents that repeat the same bytes cannot make more.
    pub fn data(&self, item: &Item) -> Result<Cow<'a, [u8]>> {
        if !item.located {
            return Err(corrupt("an item has no location"));
        }
        let source = match item.method {
            0 => self.file,
            1 => self.idat,
            _ => return Err(Error::unsupported_format()),
        };
        let extent = |&(offset, length): &(u64, u64)| -> Result<&'a [u8]> {
            let bad = || corrupt("an item's data lies outside the file");
            let offset = usize::try_from(offset).map_err(|_| bad())?;
            let tail = source.get(offset..).ok_or_else(bad)?;
            if length == 0 {
                return Ok(tail);
            }
            let length = usize::try_from(length).map_err(|_| bad())?;
            tail.get(..length).ok_or_else(bad)
        };
        match item.extents.as_slice() {
            [one] => Ok(Cow::Borrowed(extent(one)?)),
            many => {
                let mut total = 0usize;
                for e in many {
                    total = total.saturating_add(extent(e)?.len());
                }
                if total > self.file.len() {
                    return Err(corrupt("an item's extents are larger than the file"));
                }
                let mut out = Vec::new();
                out.try_reserve_exact(total)
                    .map_err(|_| Error::too_large(None, "out of memory"))?;
                for e in many {
                    out.extend_from_slice(extent(e)?);
                }
                Ok(Cow::Owned(out))
            }
        }
    }
}
