//! `info`: the source's metadata as JSON instead of an image (spec/info.md). Everything
//! comes from the header facts and the EXIF block: no pixel is decoded.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::Cursor;

use exif::{Context, In, Rational, Tag, Value};

use super::{Ctx, Op, Parse};
use crate::error::Result;
use crate::format::{ImageFormat, Probe};
use crate::spec::Params;

/// Takes no parameters. That it must be the only action is a chain rule (info.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Info;

impl Parse for Info {
    const NAME: &'static str = "info";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        // info.md §1 [DECISION]: any argument is an error, not only unknown keys, so
        // lenient mode does not let `info,1` through.
        params.expect_none().map(|()| Info)
    }
}

impl fmt::Display for Info {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl Op for Info {
    /// Reports the source object. The pipeline answers a chain that is only `info` without
    /// decoding (the usual case: info.md forbids combining it); this is the same answer.
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        cx.json = Some(describe(cx.source_bytes, cx.source));
        Ok(())
    }
}

const RESOLUTION: [&str; 3] = ["ResolutionUnit", "XResolution", "YResolution"];

/// The info document of `bytes`, whose header facts are `probe` (info.md §2): compact JSON,
/// members sorted by name, every value a string.
pub(crate) fn describe(bytes: &[u8], probe: &Probe) -> String {
    let mut members: BTreeMap<&'static str, String> = BTreeMap::new();
    members.insert("FileSize", bytes.len().to_string());
    members.insert("Format", probe.format.name().to_string());
    members.insert("FrameCount", probe.frames.to_string());
    members.insert("ImageHeight", probe.height.to_string());
    members.insert("ImageWidth", probe.width.to_string());
    // The first value given for a name stays: the basic fields, then IFD0 and its
    // sub-IFDs, then the container's resolution when IFD0 has none, then IFD1.
    let mut fields = exif_fields(bytes, probe.format).into_iter().peekable();
    while let Some(field) = fields.next_if(|f| f.rank < RANK_THUMBNAIL) {
        members.entry(field.name).or_insert(field.value);
    }
    if !RESOLUTION.iter().any(|name| members.contains_key(name)) {
        if let Some(values) = container_resolution(bytes, probe.format) {
            members.extend(RESOLUTION.into_iter().zip(values));
        }
    }
    for field in fields {
        members.entry(field.name).or_insert(field.value);
    }
    let mut json = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        push_json_string(&mut json, name);
        json.push_str(r#":{"value":"#);
        push_json_string(&mut json, value);
        json.push('}');
    }
    json.push('}');
    json
}

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c < ' ' => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// Where a field comes from, in the order in which a name is claimed (info.md §2.3).
const RANK_IFD0: u8 = 0;
const RANK_EXIF: u8 = 1;
const RANK_GPS: u8 = 2;
const RANK_INTEROP: u8 = 3;
const RANK_THUMBNAIL: u8 = 4;

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
struct Field {
    rank: u8,
    name: &'static str,
    value: String,
}

/// Most bytes of stored EXIF values that one request reads. Reading a value allocates in
/// proportion to its declared count, and a crafted block can point many fields at the same
/// megabytes; real files stay far below this (a JPEG's whole EXIF block is under 64 KB).
const VALUE_BUDGET: usize = 1 << 20;

/// The EXIF fields of a JPEG, TIFF or WebP source (never PNG, GIF or BMP: info.md §2.3),
/// sorted by rank. A damaged block gives the fields that could be read.
fn exif_fields(bytes: &[u8], format: ImageFormat) -> Vec<Field> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let read = match format {
        ImageFormat::Jpeg | ImageFormat::Tiff => {
            reader.read_from_container(&mut Cursor::new(bytes))
        }
        // kamadak-exif does not expect the `Exif\0\0` prefix that some writers put in
        // the chunk.
        ImageFormat::WebP => match webp_exif(bytes) {
            Some(block) => reader.read_raw(block.to_vec()),
            None => return Vec::new(),
        },
        ImageFormat::Png | ImageFormat::Gif | ImageFormat::Bmp => return Vec::new(),
    };
    let Ok(exif) = read.or_else(|e| e.distill_partial_result(drop)) else {
        return Vec::new();
    };
    let little_endian = exif.little_endian();
    let mut budget = VALUE_BUDGET;
    layout(exif.buf(), little_endian)
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

/// The TIFF block in a WebP's EXIF chunk, without an `Exif\0\0` prefix.
fn webp_exif(b: &[u8]) -> Option<&[u8]> {
    let mut at: usize = 12;
    loop {
        let head: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
        let [k0, k1, k2, k3, s0, s1, s2, s3] = head;
        let size = usize::try_from(u32::from_le_bytes([s0, s1, s2, s3])).ok()?;
        let data = at.checked_add(8)?;
        if [k0, k1, k2, k3] == *b"EXIF" {
            let block = b.get(data..data.checked_add(size)?)?;
            return Some(block.strip_prefix(b"Exif\0\0").unwrap_or(block));
        }
        // Chunks are padded to an even size.
        at = data.checked_add(size)?.checked_add(size & 1)?;
    }
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
    Pointer(u32),
    /// A field kamadak-exif holds; `bytes` is its stored size.
    Stored { tag: Tag, ifd: In, bytes: usize },
}

/// The named fields of IFD0, IFD1 and their sub-IFDs in `tiff` (a TIFF structure), sorted
/// by rank, one per field (the largest size of duplicates, which kamadak-exif may pick).
fn layout(tiff: &[u8], little_endian: bool) -> Vec<Entry> {
    let mut walk = Walk {
        data: tiff,
        little_endian,
        seen: Vec::new(),
        entries: Vec::new(),
    };
    let mut next = walk.u32(4);
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
    data: &'a [u8],
    little_endian: bool,
    /// IFD offsets already read: kamadak-exif refuses to read one twice.
    seen: Vec<usize>,
    entries: Vec<Entry>,
}

impl Walk<'_> {
    /// Records the named fields of the IFD at `at` and walks its sub-IFDs. Returns the
    /// offset of the next IFD, or `None` where the IFD is cut off (kamadak-exif stops).
    fn ifd(&mut self, at: u32, context: Context, ifd: In) -> Option<u32> {
        let at = usize::try_from(at).ok()?;
        let count = self.u16(at)?;
        if self.seen.contains(&at) {
            return None;
        }
        self.seen.push(at);
        let mut entry = at.checked_add(2)?;
        for _ in 0..count {
            let field = entry.checked_add(8)?;
            let next = entry.checked_add(12)?;
            if next > self.data.len() {
                return None;
            }
            // `entry + 12` is in the block, so these offsets are too.
            let (tag, kind, n) = (self.u16(entry)?, self.u16(entry + 2)?, self.u32(entry + 4)?);
            entry = next;
            // A field of an unknown type has no value; one whose value does not fit the
            // block is skipped by kamadak-exif.
            let unit = unit_len(kind);
            let Some(bytes) = usize::try_from(n).ok().and_then(|n| n.checked_mul(unit)) else {
                continue;
            };
            let value_at = if bytes <= 4 {
                field
            } else {
                usize::try_from(self.u32(field)?).ok()?
            };
            let fits = value_at
                .checked_add(bytes)
                .is_some_and(|end| end <= self.data.len());
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
                let Some(offset) = self.first_uint(kind, value_at).filter(|_| n > 0) else {
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
        self.u32(entry)
    }

    /// The first value of a BYTE, SHORT or LONG field stored at `at`.
    fn first_uint(&self, kind: u16, at: usize) -> Option<u32> {
        match kind {
            1 => self.data.get(at).copied().map(u32::from),
            3 => self.u16(at).map(u32::from),
            4 => self.u32(at),
            _ => None,
        }
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let b = self.data.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if self.little_endian {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let b = self.data.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
}

/// Bytes of one value of a TIFF field type (0 for unknown types).
fn unit_len(kind: u16) -> usize {
    match kind {
        1 | 2 | 6 | 7 => 1, // BYTE ASCII SBYTE UNDEFINED
        3 | 8 => 2,         // SHORT SSHORT
        4 | 9 | 11 => 4,    // LONG SLONG FLOAT
        5 | 10 | 12 => 8,   // RATIONAL SRATIONAL DOUBLE
        _ => 0,
    }
}

/// A value as info.md §2.3 writes it; `None` for values it leaves out.
fn format_value(tag: Tag, value: &Value, little_endian: bool) -> Option<String> {
    if tag.context() == Context::Gps {
        let special = match (tag.number(), value) {
            (1 | 3, Value::Ascii(v)) => hemisphere(tag.number(), first_string(v)),
            (2 | 4, Value::Rational(v)) => coordinate(v),
            _ => None,
        };
        if special.is_some() {
            return special;
        }
    }
    Some(match value {
        Value::Byte(v) => join(v),
        Value::Short(v) => join(v),
        Value::Long(v) => join(v),
        Value::SByte(v) => join(v),
        Value::SShort(v) => join(v),
        Value::SLong(v) => join(v),
        Value::Float(v) => join(v),
        Value::Double(v) => join(v),
        Value::Rational(v) => join(v.iter().map(|r| format!("{}/{}", r.num, r.denom))),
        Value::SRational(v) => join(v.iter().map(|r| format!("{}/{}", r.num, r.denom))),
        Value::Ascii(v) => text(first_string(v)),
        Value::Undefined(bytes, _) => return undefined(tag, bytes, little_endian),
        Value::Unknown(..) => return None,
    })
}

/// The characters up to the first NUL (kamadak-exif splits ASCII values at NULs).
fn first_string(strings: &[Vec<u8>]) -> &[u8] {
    strings.first().map_or(&[], Vec::as_slice)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Values separated by one space.
fn join<T: fmt::Display>(values: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "{v}");
    }
    out
}

/// UNDEFINED values: text when every byte is printable ASCII, the character-code comments
/// decoded, other values of at most 64 bytes as decimal bytes, longer ones left out.
fn undefined(tag: Tag, bytes: &[u8], little_endian: bool) -> Option<String> {
    // UserComment; [DECISION] also the two GPS fields that Exif defines with the same
    // 8-byte character-code header.
    let comment = matches!(
        (tag.context(), tag.number()),
        (Context::Exif, 0x9286) | (Context::Gps, 0x1B | 0x1C)
    );
    if comment {
        Some(decode_comment(bytes, little_endian))
    } else if bytes.iter().all(|b| (0x20..0x7F).contains(b)) {
        Some(text(bytes))
    } else {
        (bytes.len() <= 64).then(|| join(bytes))
    }
}

/// A comment after its 8-byte character code: UTF-16 in the block's byte order for
/// `UNICODE`, else ASCII; trailing NULs and spaces trimmed.
fn decode_comment(bytes: &[u8], little_endian: bool) -> String {
    let (code, body) = bytes.split_at(bytes.len().min(8));
    let decoded = if code == b"UNICODE\0" {
        let units = body.chunks_exact(2).map(|u| {
            let u = [u[0], u[1]];
            if little_endian {
                u16::from_le_bytes(u)
            } else {
                u16::from_be_bytes(u)
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    } else {
        text(body)
    };
    decoded.trim_end_matches(['\0', ' ']).to_string()
}

/// `GPSLatitudeRef` N/S and `GPSLongitudeRef` E/W spelt out, as in the vendor example.
fn hemisphere(tag: u16, value: &[u8]) -> Option<String> {
    let word = match (tag, value) {
        (1, b"N") => "North",
        (1, b"S") => "South",
        (3, b"E") => "East",
        (3, b"W") => "West",
        _ => return None,
    };
    Some(word.to_string())
}

/// `<d>deg ` then `<m>' ` when minutes or seconds are non-zero, then `<s>"` when seconds
/// are non-zero (the vendor example for all-zero coordinates is `0deg `).
fn coordinate(parts: &[Rational]) -> Option<String> {
    let [d, m, s] = parts else {
        return None;
    };
    let mut out = format!("{}deg ", number(d)?);
    if m.num != 0 || s.num != 0 {
        out.push_str(&format!("{}' ", number(m)?));
    }
    if s.num != 0 {
        out.push_str(&format!("{}\"", number(s)?));
    }
    Some(out)
}

/// A rational as an integer when it divides evenly, else with up to 2 decimals (rounded
/// half up, trailing zeros dropped).
fn number(r: &Rational) -> Option<String> {
    let (num, den) = (u64::from(r.num), u64::from(r.denom));
    if den == 0 {
        return None;
    }
    let hundredths = (num * 200 + den) / (2 * den);
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    Some(match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    })
}

/// ResolutionUnit, XResolution and YResolution from the container (info.md §2.2), for
/// sources whose EXIF IFD0 has none.
fn container_resolution(bytes: &[u8], format: ImageFormat) -> Option<[String; 3]> {
    match format {
        ImageFormat::Jpeg => jfif_density(bytes),
        ImageFormat::Png => png_physical_size(bytes),
        ImageFormat::Bmp => bmp_pixels_per_metre(bytes),
        ImageFormat::Gif | ImageFormat::WebP | ImageFormat::Tiff => None,
    }
}

/// A JPEG's JFIF APP0 (which leads the file; other APPn segments before it are skipped):
/// units 0/1/2 become "1"/"2"/"3", densities `<d>/1`.
fn jfif_density(b: &[u8]) -> Option<[String; 3]> {
    let mut at: usize = 2;
    while let Some(&[0xFF, marker @ 0xE0..=0xEF, hi, lo]) = b.get(at..at.checked_add(4)?) {
        let end = at
            .checked_add(2)?
            .checked_add(usize::from(u16::from_be_bytes([hi, lo])))?;
        let body = b.get(at.checked_add(4)?..end)?;
        if let (0xE0, Some(&[_, _, units, x0, x1, y0, y1, ..])) =
            (marker, body.strip_prefix(b"JFIF\0"))
        {
            let unit = match units {
                0..=2 => units + 1,
                _ => return None,
            };
            let density = |hi, lo| format!("{}/1", u16::from_be_bytes([hi, lo]));
            return Some([unit.to_string(), density(x0, x1), density(y0, y1)]);
        }
        at = end;
    }
    None
}

/// A PNG's pHYs chunk (before IDAT): unit 0 gives "1" with `<x>/1`, unit 1 (per metre)
/// "3" with `<ppm>/100`.
fn png_physical_size(b: &[u8]) -> Option<[String; 3]> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(
            b.get(at..at.checked_add(4)?)?.try_into().ok()?,
        ))
    };
    let mut at: usize = 8;
    loop {
        let len = usize::try_from(be32(at)?).ok()?;
        let data = at.checked_add(8)?;
        match b.get(at.checked_add(4)?..data)? {
            b"IDAT" | b"IEND" => return None,
            b"pHYs" if len == 9 => {
                let (x, y) = (be32(data)?, be32(data.checked_add(4)?)?);
                return match b.get(data.checked_add(8)?)? {
                    0 => Some(["1".into(), format!("{x}/1"), format!("{y}/1")]),
                    1 => Some(["3".into(), format!("{x}/100"), format!("{y}/100")]),
                    _ => None,
                };
            }
            _ => at = data.checked_add(len)?.checked_add(4)?,
        }
    }
}

/// A BMP info header's pixels per metre, when both are set: "3" with `<ppm>/100`.
fn bmp_pixels_per_metre(b: &[u8]) -> Option<[String; 3]> {
    let le32 = |at: usize| -> Option<i32> {
        Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    // BITMAPCOREHEADER (12 bytes) has no resolution; the larger headers have it at 38.
    if le32(14)? < 40 {
        return None;
    }
    let (x, y) = (le32(38)?, le32(42)?);
    (x > 0 && y > 0).then(|| ["3".into(), format!("{x}/100"), format!("{y}/100")])
}

/// The standard name (Exiv2's, which follows Exif 2.3x and TIFF 6.0) of a tag.
/// [DECISION] Tags that hold embedded documents rather than facts (XMP 0x02BC, IPTC 0x83BB,
/// Photoshop resources 0x8649, ICC profile 0x8773) and MakerNote are left out like private
/// tags, as are the TIFF/EP and DNG extensions.
fn tag_name(context: Context, tag: u16) -> Option<&'static str> {
    Some(match (context, tag) {
        (Context::Tiff, t) => match t {
            0x000B => "ProcessingSoftware",
            0x00FE => "NewSubfileType",
            0x00FF => "SubfileType",
            0x0100 => "ImageWidth",
            0x0101 => "ImageLength",
            0x0102 => "BitsPerSample",
            0x0103 => "Compression",
            0x0106 => "PhotometricInterpretation",
            0x0107 => "Thresholding",
            0x0108 => "CellWidth",
            0x0109 => "CellLength",
            0x010A => "FillOrder",
            0x010D => "DocumentName",
            0x010E => "ImageDescription",
            0x010F => "Make",
            0x0110 => "Model",
            0x0111 => "StripOffsets",
            0x0112 => "Orientation",
            0x0115 => "SamplesPerPixel",
            0x0116 => "RowsPerStrip",
            0x0117 => "StripByteCounts",
            0x011A => "XResolution",
            0x011B => "YResolution",
            0x011C => "PlanarConfiguration",
            0x0122 => "GrayResponseUnit",
            0x0123 => "GrayResponseCurve",
            0x0124 => "T4Options",
            0x0125 => "T6Options",
            0x0128 => "ResolutionUnit",
            0x0129 => "PageNumber",
            0x012D => "TransferFunction",
            0x0131 => "Software",
            0x0132 => "DateTime",
            0x013B => "Artist",
            0x013C => "HostComputer",
            0x013D => "Predictor",
            0x013E => "WhitePoint",
            0x013F => "PrimaryChromaticities",
            0x0140 => "ColorMap",
            0x0141 => "HalftoneHints",
            0x0142 => "TileWidth",
            0x0143 => "TileLength",
            0x0144 => "TileOffsets",
            0x0145 => "TileByteCounts",
            0x014A => "SubIFDs",
            0x014C => "InkSet",
            0x014D => "InkNames",
            0x014E => "NumberOfInks",
            0x0150 => "DotRange",
            0x0151 => "TargetPrinter",
            0x0152 => "ExtraSamples",
            0x0153 => "SampleFormat",
            0x0154 => "SMinSampleValue",
            0x0155 => "SMaxSampleValue",
            0x0156 => "TransferRange",
            0x0157 => "ClipPath",
            0x0158 => "XClipPathUnits",
            0x0159 => "YClipPathUnits",
            0x015A => "Indexed",
            0x015B => "JPEGTables",
            0x015F => "OPIProxy",
            0x0200 => "JPEGProc",
            0x0201 => "JPEGInterchangeFormat",
            0x0202 => "JPEGInterchangeFormatLength",
            0x0203 => "JPEGRestartInterval",
            0x0205 => "JPEGLosslessPredictors",
            0x0206 => "JPEGPointTransforms",
            0x0207 => "JPEGQTables",
            0x0208 => "JPEGDCTables",
            0x0209 => "JPEGACTables",
            0x0211 => "YCbCrCoefficients",
            0x0212 => "YCbCrSubSampling",
            0x0213 => "YCbCrPositioning",
            0x0214 => "ReferenceBlackWhite",
            0x4746 => "Rating",
            0x4749 => "RatingPercent",
            0x800D => "ImageID",
            0x8298 => "Copyright",
            _ => return None,
        },
        (Context::Exif, t) => match t {
            0x829A => "ExposureTime",
            0x829D => "FNumber",
            0x8822 => "ExposureProgram",
            0x8824 => "SpectralSensitivity",
            0x8827 => "ISOSpeedRatings",
            0x8828 => "OECF",
            0x8830 => "SensitivityType",
            0x8831 => "StandardOutputSensitivity",
            0x8832 => "RecommendedExposureIndex",
            0x8833 => "ISOSpeed",
            0x8834 => "ISOSpeedLatitudeyyy",
            0x8835 => "ISOSpeedLatitudezzz",
            0x9000 => "ExifVersion",
            0x9003 => "DateTimeOriginal",
            0x9004 => "DateTimeDigitized",
            0x9010 => "OffsetTime",
            0x9011 => "OffsetTimeOriginal",
            0x9012 => "OffsetTimeDigitized",
            0x9101 => "ComponentsConfiguration",
            0x9102 => "CompressedBitsPerPixel",
            0x9201 => "ShutterSpeedValue",
            0x9202 => "ApertureValue",
            0x9203 => "BrightnessValue",
            0x9204 => "ExposureBiasValue",
            0x9205 => "MaxApertureValue",
            0x9206 => "SubjectDistance",
            0x9207 => "MeteringMode",
            0x9208 => "LightSource",
            0x9209 => "Flash",
            0x920A => "FocalLength",
            0x9214 => "SubjectArea",
            0x9286 => "UserComment",
            0x9290 => "SubSecTime",
            0x9291 => "SubSecTimeOriginal",
            0x9292 => "SubSecTimeDigitized",
            0x9400 => "Temperature",
            0x9401 => "Humidity",
            0x9402 => "Pressure",
            0x9403 => "WaterDepth",
            0x9404 => "Acceleration",
            0x9405 => "CameraElevationAngle",
            0xA000 => "FlashpixVersion",
            0xA001 => "ColorSpace",
            0xA002 => "PixelXDimension",
            0xA003 => "PixelYDimension",
            0xA004 => "RelatedSoundFile",
            0xA20B => "FlashEnergy",
            0xA20C => "SpatialFrequencyResponse",
            0xA20E => "FocalPlaneXResolution",
            0xA20F => "FocalPlaneYResolution",
            0xA210 => "FocalPlaneResolutionUnit",
            0xA214 => "SubjectLocation",
            0xA215 => "ExposureIndex",
            0xA217 => "SensingMethod",
            0xA300 => "FileSource",
            0xA301 => "SceneType",
            0xA302 => "CFAPattern",
            0xA401 => "CustomRendered",
            0xA402 => "ExposureMode",
            0xA403 => "WhiteBalance",
            0xA404 => "DigitalZoomRatio",
            0xA405 => "FocalLengthIn35mmFilm",
            0xA406 => "SceneCaptureType",
            0xA407 => "GainControl",
            0xA408 => "Contrast",
            0xA409 => "Saturation",
            0xA40A => "Sharpness",
            0xA40B => "DeviceSettingDescription",
            0xA40C => "SubjectDistanceRange",
            0xA420 => "ImageUniqueID",
            0xA430 => "CameraOwnerName",
            0xA431 => "BodySerialNumber",
            0xA432 => "LensSpecification",
            0xA433 => "LensMake",
            0xA434 => "LensModel",
            0xA435 => "LensSerialNumber",
            0xA460 => "CompositeImage",
            0xA461 => "SourceImageNumberOfCompositeImage",
            0xA462 => "SourceExposureTimesOfCompositeImage",
            0xA500 => "Gamma",
            _ => return None,
        },
        (Context::Gps, t) => match t {
            0x00 => "GPSVersionID",
            0x01 => "GPSLatitudeRef",
            0x02 => "GPSLatitude",
            0x03 => "GPSLongitudeRef",
            0x04 => "GPSLongitude",
            0x05 => "GPSAltitudeRef",
            0x06 => "GPSAltitude",
            0x07 => "GPSTimeStamp",
            0x08 => "GPSSatellites",
            0x09 => "GPSStatus",
            0x0A => "GPSMeasureMode",
            0x0B => "GPSDOP",
            0x0C => "GPSSpeedRef",
            0x0D => "GPSSpeed",
            0x0E => "GPSTrackRef",
            0x0F => "GPSTrack",
            0x10 => "GPSImgDirectionRef",
            0x11 => "GPSImgDirection",
            0x12 => "GPSMapDatum",
            0x13 => "GPSDestLatitudeRef",
            0x14 => "GPSDestLatitude",
            0x15 => "GPSDestLongitudeRef",
            0x16 => "GPSDestLongitude",
            0x17 => "GPSDestBearingRef",
            0x18 => "GPSDestBearing",
            0x19 => "GPSDestDistanceRef",
            0x1A => "GPSDestDistance",
            0x1B => "GPSProcessingMethod",
            0x1C => "GPSAreaInformation",
            0x1D => "GPSDateStamp",
            0x1E => "GPSDifferential",
            0x1F => "GPSHPositioningError",
            _ => return None,
        },
        (Context::Interop, t) => match t {
            0x0001 => "InteroperabilityIndex",
            0x0002 => "InteroperabilityVersion",
            0x1000 => "RelatedImageFileFormat",
            0x1001 => "RelatedImageWidth",
            0x1002 => "RelatedImageLength",
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(args: &[&str], strict: bool) -> Result<Info> {
        crate::ops::parse_args(args, strict)
    }

    #[test]
    fn no_parameters() {
        assert_eq!(parse_with(&[], true).unwrap(), Info);
        // `image/info,` leaves one empty argument, which is dropped like an empty segment.
        assert_eq!(parse_with(&[""], true).unwrap(), Info);
    }

    #[test]
    fn error_cases() {
        for strict in [true, false] {
            for args in [&["1"][..], &["zz_1"], &["w_100", "h_100"]] {
                let e = parse_with(args, strict).unwrap_err();
                assert_eq!((e.code(), e.ec()), ("InvalidArgument", None), "{args:?}");
            }
        }
    }

    #[test]
    fn canonical_round_trip() {
        assert_eq!(Info.to_string(), "");
        assert_eq!(parse_with(&[&Info.to_string()], true).unwrap(), Info);
    }

    // TIFF field types.
    const BYTE: u16 = 1;
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    const UNDEFINED: u16 = 7;

    /// A little-endian TIFF block with IFD0 at 8; each `ifd` call places one IFD, its
    /// values longer than 4 bytes right after it.
    struct Tiff(Vec<u8>);

    impl Tiff {
        fn new() -> Self {
            Tiff(b"II*\0\x08\0\0\0".to_vec())
        }

        fn ifd(mut self, at: usize, entries: &[(u16, u16, Vec<u8>)], next: u32) -> Self {
            let table_end = at + 2 + 12 * entries.len() + 4;
            let mut extra = table_end;
            let mut table = (entries.len() as u16).to_le_bytes().to_vec();
            let mut values = Vec::new();
            for (tag, kind, value) in entries {
                let count = (value.len() / unit_len(*kind)) as u32;
                table.extend_from_slice(&tag.to_le_bytes());
                table.extend_from_slice(&kind.to_le_bytes());
                table.extend_from_slice(&count.to_le_bytes());
                if value.len() <= 4 {
                    let mut inline = value.clone();
                    inline.resize(4, 0);
                    table.extend_from_slice(&inline);
                } else {
                    table.extend_from_slice(&(extra as u32).to_le_bytes());
                    values.extend_from_slice(value);
                    extra += value.len();
                }
            }
            table.extend_from_slice(&next.to_le_bytes());
            if self.0.len() < extra {
                self.0.resize(extra, 0);
            }
            self.0[at..table_end].copy_from_slice(&table);
            self.0[table_end..extra].copy_from_slice(&values);
            self
        }
    }

    fn short(v: u16) -> Vec<u8> {
        v.to_le_bytes().to_vec()
    }
    fn long(v: u32) -> Vec<u8> {
        v.to_le_bytes().to_vec()
    }
    fn ascii(s: &str) -> Vec<u8> {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    }
    fn rationals(values: &[(u32, u32)]) -> Vec<u8> {
        values
            .iter()
            .flat_map(|&(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
            .collect()
    }

    /// A `w × h` JPEG (jpeg-encoder writes a JFIF APP0 with units 0, density 1:1) with an
    /// optional EXIF block, zero-padded after EOI to `size` bytes.
    fn jpeg(w: u16, h: u16, exif: Option<&[u8]>, size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
        if let Some(exif) = exif {
            enc.add_exif_metadata(exif).unwrap();
        }
        let px = vec![128u8; usize::from(w) * usize::from(h) * 3];
        enc.encode(&px, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        assert!(out.len() <= size, "{} > {size}", out.len());
        out.resize(size, 0);
        out
    }

    fn info(bytes: &[u8]) -> String {
        describe(bytes, &crate::codec::probe(bytes).unwrap())
    }

    /// The compact document for `members`, in the given order.
    fn document(members: &[(&str, &str)]) -> String {
        let members: Vec<String> = members
            .iter()
            .map(|(name, value)| format!(r#""{name}":{{"value":"{value}"}}"#))
            .collect();
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn vendor_example_without_exif() {
        // info.md §3, the vendor's example.jpg: JFIF units 0 and density 1:1.
        let j = jpeg(400, 267, None, 21_839);
        let want = document(&[
            ("FileSize", "21839"),
            ("Format", "jpg"),
            ("FrameCount", "1"),
            ("ImageHeight", "267"),
            ("ImageWidth", "400"),
            ("ResolutionUnit", "1"),
            ("XResolution", "1/1"),
            ("YResolution", "1/1"),
        ]);
        assert_eq!(info(&j), want);
    }

    /// The EXIF block of the vendor's f.jpg as its info document describes it: IFD0 at 8,
    /// IFD1 at 1000, an empty Exif IFD at 2212, the GPS IFD at 4292.
    fn vendor_exif() -> Vec<u8> {
        let zero = rationals(&[(0, 1), (0, 1), (0, 1)]);
        Tiff::new()
            .ifd(
                8,
                &[
                    (0x0112, SHORT, short(7)),
                    (0x011A, RATIONAL, rationals(&[(96, 1)])),
                    (0x011B, RATIONAL, rationals(&[(96, 1)])),
                    (0x0128, SHORT, short(2)),
                    (
                        0x0131,
                        ASCII,
                        ascii("Microsoft Windows Photo Viewer 6.1.7600.16385"),
                    ),
                    (0x0132, ASCII, ascii("2015:02:11 15:38:27")),
                    (0x8769, LONG, long(2212)),
                    (0x8825, LONG, long(4292)),
                ],
                1000,
            )
            .ifd(
                1000,
                &[
                    (0x0103, SHORT, short(6)),
                    (0x0201, LONG, long(4518)),
                    (0x0202, LONG, long(3232)),
                ],
                0,
            )
            .ifd(2212, &[], 0)
            .ifd(
                4292,
                &[
                    (0x0000, BYTE, vec![2, 2, 0, 0]),
                    (0x0001, ASCII, ascii("N")),
                    (0x0002, RATIONAL, zero.clone()),
                    (0x0003, ASCII, ascii("E")),
                    (0x0004, RATIONAL, zero),
                    (0x0012, ASCII, ascii("WGS-84")),
                ],
                0,
            )
            .0
    }

    #[test]
    fn vendor_example_with_exif() {
        // info.md §3, the vendor's f.jpg (FrameCount added per §2.1): pointer tags carry
        // their offsets, the thumbnail IFD adds Compression and JPEGInterchangeFormat*,
        // EXIF resolution wins over JFIF, and the stored size ignores Orientation 7.
        let j = jpeg(424, 333, Some(&vendor_exif()), 23_471);
        let want = document(&[
            ("Compression", "6"),
            ("DateTime", "2015:02:11 15:38:27"),
            ("ExifTag", "2212"),
            ("FileSize", "23471"),
            ("Format", "jpg"),
            ("FrameCount", "1"),
            ("GPSLatitude", "0deg "),
            ("GPSLatitudeRef", "North"),
            ("GPSLongitude", "0deg "),
            ("GPSLongitudeRef", "East"),
            ("GPSMapDatum", "WGS-84"),
            ("GPSTag", "4292"),
            ("GPSVersionID", "2 2 0 0"),
            ("ImageHeight", "333"),
            ("ImageWidth", "424"),
            ("JPEGInterchangeFormat", "4518"),
            ("JPEGInterchangeFormatLength", "3232"),
            ("Orientation", "7"),
            ("ResolutionUnit", "2"),
            ("Software", "Microsoft Windows Photo Viewer 6.1.7600.16385"),
            ("XResolution", "96/1"),
            ("YResolution", "96/1"),
        ]);
        assert_eq!(info(&j), want);
    }

    #[test]
    fn sub_ifd_fields_names_and_first_claim() {
        let tiff = Tiff::new()
            .ifd(
                8,
                &[
                    (0x010E, ASCII, ascii("say \"hi\" \\ \u{e9}\n")),
                    (0x8769, LONG, long(200)),
                    (0xC4A5, UNDEFINED, vec![1; 8]),
                ],
                0,
            )
            .ifd(
                200,
                &[
                    (0x8827, SHORT, short(400)),
                    (0x9000, UNDEFINED, b"0230".to_vec()),
                    (0x9101, UNDEFINED, vec![1, 2, 3, 0]),
                    (0x927C, UNDEFINED, vec![0; 100]),
                    (0x9286, UNDEFINED, b"ASCII\0\0\0nice day \0".to_vec()),
                    (0xA005, LONG, long(400)),
                ],
                0,
            )
            .ifd(400, &[(0x0001, ASCII, ascii("R98"))], 0)
            .0;
        let doc = info(&jpeg(8, 8, Some(&tiff), 2000));
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let value = |name: &str| v[name]["value"].as_str().map(str::to_string);
        // JSON escaping round-trips.
        assert_eq!(value("ImageDescription").unwrap(), "say \"hi\" \\ \u{e9}\n");
        // Exiv2 names, including ISOSpeedRatings for 0x8827.
        assert_eq!(value("ISOSpeedRatings").unwrap(), "400");
        assert_eq!(value("ExifVersion").unwrap(), "0230");
        assert_eq!(value("ComponentsConfiguration").unwrap(), "1 2 3 0");
        assert_eq!(value("UserComment").unwrap(), "nice day");
        assert_eq!(value("InteroperabilityIndex").unwrap(), "R98");
        assert_eq!(value("ExifTag").unwrap(), "200");
        assert_eq!(value("InteroperabilityTag").unwrap(), "400");
        // MakerNote and unlisted tags are left out.
        assert_eq!(value("MakerNote"), None);
        // 5 basic fields, 8 EXIF fields, 3 from JFIF; no MakerNote, no private 0xC4A5.
        assert_eq!(v.as_object().unwrap().len(), 16, "{doc}");
    }

    #[test]
    fn value_formatting() {
        let r = |num, denom| Rational { num, denom };
        assert_eq!(number(&r(96, 1)).unwrap(), "96");
        assert_eq!(number(&r(2676, 100)).unwrap(), "26.76");
        assert_eq!(number(&r(5, 2)).unwrap(), "2.5");
        assert_eq!(number(&r(1, 3)).unwrap(), "0.33");
        assert_eq!(number(&r(2, 3)).unwrap(), "0.67");
        assert_eq!(number(&r(1, 0)), None);
        let c = |parts: [(u32, u32); 3]| coordinate(&parts.map(|(n, d)| r(n, d)));
        assert_eq!(c([(0, 1), (0, 1), (0, 1)]).unwrap(), "0deg ");
        assert_eq!(
            c([(30, 1), (16, 1), (2676, 100)]).unwrap(),
            "30deg 16' 26.76\""
        );
        assert_eq!(c([(45, 1), (30, 1), (0, 1)]).unwrap(), "45deg 30' ");
        assert_eq!(c([(12, 1), (0, 1), (5, 1)]).unwrap(), "12deg 0' 5\"");
        assert_eq!(coordinate(&[r(1, 1)]), None);
        let gps = |n| Tag(Context::Gps, n);
        let lat = Value::Rational(vec![r(1, 0), r(0, 1), r(0, 1)]);
        // A coordinate that cannot be spelt out stays raw.
        assert_eq!(format_value(gps(2), &lat, true).unwrap(), "1/0 0/1 0/1");
        let south = Value::Ascii(vec![b"S".to_vec()]);
        assert_eq!(format_value(gps(1), &south, true).unwrap(), "South");
        let west = Value::Ascii(vec![b"W".to_vec()]);
        assert_eq!(format_value(gps(3), &west, true).unwrap(), "West");
        let datum = Value::Ascii(vec![b"WGS-84".to_vec(), b"junk".to_vec()]);
        assert_eq!(format_value(gps(0x12), &datum, true).unwrap(), "WGS-84");
        let signed = Value::SRational(vec![exif::SRational { num: -1, denom: 3 }]);
        assert_eq!(
            format_value(Tag(Context::Exif, 0x9204), &signed, true).unwrap(),
            "-1/3"
        );
        let exif = |n| Tag(Context::Exif, n);
        let unicode = |le: bool| {
            let mut b = b"UNICODE\0".to_vec();
            for u in "h\u{e9}".encode_utf16() {
                b.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            b.extend_from_slice(&[0, 0]);
            Value::Undefined(b, 0)
        };
        assert_eq!(
            format_value(exif(0x9286), &unicode(true), true).unwrap(),
            "h\u{e9}"
        );
        assert_eq!(
            format_value(exif(0x9286), &unicode(false), false).unwrap(),
            "h\u{e9}"
        );
        let method = Value::Undefined(b"ASCII\0\0\0GPS".to_vec(), 0);
        assert_eq!(format_value(gps(0x1B), &method, true).unwrap(), "GPS");
        let long = Value::Undefined(vec![0; 65], 0);
        assert_eq!(format_value(exif(0xA302), &long, true), None);
        let short = Value::Undefined(vec![0, 1, 1, 2], 0);
        assert_eq!(format_value(exif(0xA302), &short, true).unwrap(), "0 1 1 2");
    }

    #[test]
    fn png_resolution_from_phys_and_no_exif() {
        let mut png = Vec::new();
        let mut enc = png::Encoder::new(&mut png, 3, 2);
        enc.set_color(png::ColorType::Rgb);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: 3780,
            yppu: 2835,
            unit: png::Unit::Meter,
        }));
        enc.write_header()
            .unwrap()
            .write_image_data(&[0; 18])
            .unwrap();
        // An eXIf chunk with Orientation 6 right after IHDR: PNG EXIF is not reported.
        let exif = Tiff::new().ifd(8, &[(0x0112, SHORT, short(6))], 0).0;
        let mut chunk = (exif.len() as u32).to_be_bytes().to_vec();
        chunk.extend_from_slice(b"eXIf");
        chunk.extend_from_slice(&exif);
        chunk.extend_from_slice(&[0; 4]);
        png.splice(33..33, chunk);
        assert_eq!(crate::codec::probe(&png).unwrap().orientation, 6);
        let want = document(&[
            ("FileSize", &png.len().to_string()),
            ("Format", "png"),
            ("FrameCount", "1"),
            ("ImageHeight", "2"),
            ("ImageWidth", "3"),
            ("ResolutionUnit", "3"),
            ("XResolution", "3780/100"),
            ("YResolution", "2835/100"),
        ]);
        assert_eq!(info(&png), want);
    }

    #[test]
    fn bmp_resolution_when_both_densities_are_set() {
        let bmp = |ppm: [i32; 2]| {
            let mut b = b"BM".to_vec();
            b.extend_from_slice(&[0; 12]);
            b.extend_from_slice(&40u32.to_le_bytes());
            b.extend_from_slice(&5i32.to_le_bytes());
            b.extend_from_slice(&4i32.to_le_bytes());
            b.extend_from_slice(&1u16.to_le_bytes());
            b.extend_from_slice(&24u16.to_le_bytes());
            b.extend_from_slice(&[0; 8]);
            b.extend_from_slice(&ppm[0].to_le_bytes());
            b.extend_from_slice(&ppm[1].to_le_bytes());
            b.extend_from_slice(&[0; 8]);
            b
        };
        let set = bmp([2835, 3780]);
        let want = document(&[
            ("FileSize", "54"),
            ("Format", "bmp"),
            ("FrameCount", "1"),
            ("ImageHeight", "4"),
            ("ImageWidth", "5"),
            ("ResolutionUnit", "3"),
            ("XResolution", "2835/100"),
            ("YResolution", "3780/100"),
        ]);
        assert_eq!(info(&set), want);
        assert!(!info(&bmp([2835, 0])).contains("Resolution"));
    }

    #[test]
    fn damaged_exif_gives_what_can_be_read() {
        // Every cut of the block: no panic, always a document with the basic fields.
        let exif = vendor_exif();
        for len in (0..exif.len()).step_by(5) {
            let doc = info(&jpeg(8, 8, Some(&exif[..len]), 6000));
            let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
            assert_eq!(v["ImageWidth"]["value"], "8", "cut at {len}");
        }
    }

    #[test]
    fn aliased_values_stay_within_the_budget() {
        // 60 fields that all claim the same 60,000 bytes: reading every one would allocate
        // 3.6 MB for a 60 KB block (and far more for a 20 MB TIFF).
        let entries: Vec<(u16, u16, Vec<u8>)> = (0x0140..0x0140 + 60)
            .filter(|&t| tag_name(Context::Tiff, t).is_some())
            .map(|t| (t, BYTE, vec![]))
            .collect();
        let mut tiff = Tiff::new().ifd(8, &entries, 0).0;
        for i in 0..entries.len() {
            // count 60,000 BYTEs at offset 8.
            let at = 10 + 12 * i;
            tiff[at + 4..at + 8].copy_from_slice(&60_000u32.to_le_bytes());
            tiff[at + 8..at + 12].copy_from_slice(&8u32.to_le_bytes());
        }
        tiff.resize(60_008, 7);
        let doc = info(&jpeg(8, 8, Some(&tiff), 70_000));
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let reported = v
            .as_object()
            .unwrap()
            .values()
            .filter(|m| m["value"].as_str().unwrap().len() >= 60_000)
            .count();
        assert!(reported > 0 && reported < entries.len(), "{reported}");
        assert!(reported * 60_000 <= VALUE_BUDGET, "{reported}");
    }
}
