//! The EXIF fields that `info` reports (spec/info.md §2.3): kamadak-exif reads the values;
//! the walk over the TIFF structure names them, ranks them by IFD and keeps the budget.

use std::io::Cursor;

use exif::{Context, In, Tag};

use super::ifd::{unit_len, Tiff};
use super::tags::tag_name;
use super::values::format_value;
use crate::codec::heif;
use crate::codec::probe::webp;
use crate::format::ImageFormat;

// Where a field comes from, in the order in which a name is claimed (info.md §2.3).
const RANK_IFD0: u8 = 0;
const RANK_EXIF: u8 = 1;
const RANK_GPS: u8 = 2;
const RANK_INTEROP: u8 = 3;
pub(crate) const RANK_THUMBNAIL: u8 = 4;

fn rank(ifd: In, context: Context) -> u8 {
    match (ifd, context) {
        (In::PRIMARY, Context::Tiff) => RANK_IFD0,
        (In::PRIMARY, Context::Exif) => RANK_EXIF,
        (In::PRIMARY, Context::Gps) => RANK_GPS,
        (In::PRIMARY, Context::Interop) => RANK_INTEROP,
        _ => RANK_THUMBNAIL,
    }
}

/// One EXIF member.
pub(crate) struct Field {
    pub rank: u8,
    pub name: &'static str,
    pub value: String,
}

/// Most bytes of stored EXIF values that one request reads. Reading a value allocates in
/// proportion to its declared count, and a crafted block can point many fields at the same
/// megabytes; real files stay far below this (a JPEG's whole EXIF block is under 64 KB).
pub(crate) const VALUE_BUDGET: usize = 1 << 20;

/// The EXIF fields of a JPEG, TIFF or WebP source (never PNG, GIF or BMP: info.md §2.3),
/// sorted by rank. A damaged block gives the fields that could be read.
pub(crate) fn exif_fields(bytes: &[u8], format: ImageFormat) -> Vec<Field> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let read = match format {
        ImageFormat::Jpeg | ImageFormat::Tiff => {
            reader.read_from_container(&mut Cursor::new(bytes))
        }
        // kamadak-exif does not expect the `Exif\0\0` prefix that some writers put in
        // the chunk.
        ImageFormat::WebP => match webp::exif_block(bytes) {
            Some(block) => reader.read_raw(block.to_vec()),
            None => return Vec::new(),
        },
        // HEIF's Exif item, found by the container reader.
        ImageFormat::Heic | ImageFormat::Avif => match heif::exif(bytes) {
            Some(block) => reader.read_raw(block),
            None => return Vec::new(),
        },
        ImageFormat::Png | ImageFormat::Gif | ImageFormat::Bmp => return Vec::new(),
    };
    let Ok(exif) = read.or_else(|e| e.distill_partial_result(drop)) else {
        return Vec::new();
    };
    let little_endian = exif.little_endian();
    let mut budget = VALUE_BUDGET;
    layout(exif.buf())
        .into_iter()
        .filter_map(|entry| {
            let value = match entry.source {
                Source::Pointer(offset) => offset.to_string(),
                Source::Stored { tag, ifd, bytes } => {
                    budget = budget.checked_sub(bytes)?;
                    format_value(tag, &exif.get_field(tag, ifd)?.value, little_endian)?
                }
            };
            Some(Field {
                rank: entry.rank,
                name: entry.name,
                value,
            })
        })
        .collect()
}

/// A named field, located by walking the TIFF structure the way kamadak-exif 0.6 does.
struct Entry {
    rank: u8,
    name: &'static str,
    source: Source,
}

enum Source {
    /// An IFD pointer: kamadak-exif follows it but keeps no field for it, and info.md
    /// reports it (`ExifTag`, `GPSTag`, `InteroperabilityTag`) with its offset.
    Pointer(usize),
    /// A field kamadak-exif holds; `bytes` is its stored size.
    Stored { tag: Tag, ifd: In, bytes: usize },
}

/// The named fields of IFD0, IFD1 and their sub-IFDs in `tiff` (a TIFF structure), sorted
/// by rank, one per field (the largest size of duplicates, which kamadak-exif may pick).
fn layout(tiff: &[u8]) -> Vec<Entry> {
    let Some(tiff) = Tiff::parse(tiff) else {
        return Vec::new();
    };
    let mut walk = Walk {
        tiff,
        seen: Vec::new(),
        entries: Vec::new(),
    };
    let mut next = Some(tiff.first_ifd());
    for ifd in [In::PRIMARY, In::THUMBNAIL] {
        match next {
            Some(at) if at != 0 => next = walk.ifd(at, Context::Tiff, ifd),
            _ => break,
        }
    }
    let mut entries = walk.entries;
    entries.sort_by_key(|e| (e.rank, e.name));
    entries.dedup_by(|later, earlier| {
        if (later.rank, later.name) != (earlier.rank, earlier.name) {
            return false;
        }
        if let (Source::Stored { bytes: b, .. }, Source::Stored { bytes: a, .. }) =
            (&later.source, &mut earlier.source)
        {
            *a = (*a).max(*b);
        }
        true
    });
    entries
}

struct Walk<'a> {
    tiff: Tiff<'a>,
    /// IFD offsets already read: kamadak-exif refuses to read one twice.
    seen: Vec<usize>,
    entries: Vec<Entry>,
}

impl Walk<'_> {
    /// Records the named fields of the IFD at `at` and walks its sub-IFDs. Returns the
    /// offset of the next IFD, or `None` where the IFD is cut off (kamadak-exif stops).
    fn ifd(&mut self, at: usize, context: Context, ifd: In) -> Option<usize> {
        let dir = self.tiff.ifd(at)?;
        if self.seen.contains(&at) {
            return None;
        }
        self.seen.push(at);
        for entry in dir.entries() {
            if !entry.is_complete() {
                return None;
            }
            let (tag, kind, n) = (entry.tag, entry.kind()?, entry.count()?);
            // A field of an unknown type has no value; one whose value does not fit the
            // block is skipped by kamadak-exif.
            let unit = unit_len(kind);
            let Some(bytes) = usize::try_from(n).ok().and_then(|n| n.checked_mul(unit)) else {
                continue;
            };
            let value_at = entry.value_offset(bytes as u64)?;
            let fits = value_at
                .checked_add(bytes)
                .is_some_and(|end| end <= self.tiff.size());
            if unit == 0 || !fits {
                continue;
            }
            let child = match (context, tag) {
                (Context::Tiff, 0x8769) => Some((Context::Exif, "ExifTag")),
                (Context::Tiff, 0x8825) => Some((Context::Gps, "GPSTag")),
                (Context::Exif, 0xA005) => Some((Context::Interop, "InteroperabilityTag")),
                _ => None,
            };
            let rank = rank(ifd, context);
            if let Some((child, name)) = child {
                let Some(offset) = entry.first_uint().and_then(|v| usize::try_from(v).ok()) else {
                    continue;
                };
                let source = Source::Pointer(offset);
                self.entries.push(Entry { rank, name, source });
                // A damaged sub-IFD ends only itself.
                self.ifd(offset, child, ifd);
            } else if let Some(name) = tag_name(context, tag) {
                let tag = Tag(context, tag);
                let source = Source::Stored { tag, ifd, bytes };
                self.entries.push(Entry { rank, name, source });
            }
        }
        dir.next_ifd()
    }
}
