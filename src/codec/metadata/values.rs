//! EXIF values as `info` writes them (spec/info.md §2.3): numbers joined by spaces,
//! rationals as fractions, GPS references and coordinates spelt out, comments decoded.

use std::fmt::{self, Write as _};

use exif::{Context, Rational, Tag, Value};

use crate::codec::bytes::ByteOrder;

/// A value as info.md §2.3 writes it; `None` for values it leaves out.
pub(crate) fn format_value(tag: Tag, value: &Value, little_endian: bool) -> Option<String> {
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
        let order = if little_endian {
            ByteOrder::Little
        } else {
            ByteOrder::Big
        };
        let units = body.chunks_exact(2).filter_map(|u| order.u16(u, 0));
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
