//! `info`: the source's metadata as JSON instead of an image (spec/info.md). Everything
//! comes from the header facts and the EXIF block: no pixel is decoded.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use super::Parse;
use crate::codec::metadata::{container_resolution, exif_fields, RANK_THUMBNAIL};
use crate::error::Result;
use crate::format::Probe;
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

const RESOLUTION: [&str; 3] = ["ResolutionUnit", "XResolution", "YResolution"];

/// The info document of `bytes`, whose header facts are `probe` (info.md §2): compact JSON,
/// members sorted by name, every value a string.
pub fn describe(bytes: &[u8], probe: &Probe) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::metadata::ifd::unit_len;
    use crate::codec::metadata::tags::tag_name;
    use crate::codec::metadata::VALUE_BUDGET;
    use exif::Context;

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
