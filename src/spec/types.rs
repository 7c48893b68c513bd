//! Value types shared by several actions: gravity, colours, URL-safe Base64.

use std::fmt;

use crate::error::{Error, Result};

/// Anchor of a 3×3 grid (crop `g`, watermark `g`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gravity {
    NorthWest,
    North,
    NorthEast,
    West,
    Center,
    East,
    SouthWest,
    South,
    SouthEast,
}

impl Gravity {
    pub const ALL: [Gravity; 9] = [
        Gravity::NorthWest,
        Gravity::North,
        Gravity::NorthEast,
        Gravity::West,
        Gravity::Center,
        Gravity::East,
        Gravity::SouthWest,
        Gravity::South,
        Gravity::SouthEast,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Gravity::NorthWest => "nw",
            Gravity::North => "north",
            Gravity::NorthEast => "ne",
            Gravity::West => "west",
            Gravity::Center => "center",
            Gravity::East => "east",
            Gravity::SouthWest => "sw",
            Gravity::South => "south",
            Gravity::SouthEast => "se",
        }
    }

    pub fn from_name(name: &str) -> Option<Gravity> {
        Gravity::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The gravity at grid `column` and `row` (each 0..=2).
    pub fn from_grid(column: u8, row: u8) -> Gravity {
        Gravity::ALL
            .into_iter()
            .find(|g| g.column() == column && g.row() == row)
            .unwrap_or(Gravity::SouthEast)
    }

    /// Column of the grid: 0 left, 1 middle, 2 right.
    pub fn column(self) -> u8 {
        match self {
            Gravity::NorthWest | Gravity::West | Gravity::SouthWest => 0,
            Gravity::North | Gravity::Center | Gravity::South => 1,
            Gravity::NorthEast | Gravity::East | Gravity::SouthEast => 2,
        }
    }

    /// Row of the grid: 0 top, 1 middle, 2 bottom.
    pub fn row(self) -> u8 {
        match self {
            Gravity::NorthWest | Gravity::North | Gravity::NorthEast => 0,
            Gravity::West | Gravity::Center | Gravity::East => 1,
            Gravity::SouthWest | Gravity::South | Gravity::SouthEast => 2,
        }
    }
}

impl fmt::Display for Gravity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An opaque colour written as 6 hex digits `RRGGBB` (case-insensitive, no `#`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    pub const WHITE: Rgb = Rgb([255, 255, 255]);
    pub const BLACK: Rgb = Rgb([0, 0, 0]);

    pub fn from_hex(hex: &str) -> Option<Rgb> {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        Some(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }

    pub fn rgba(self) -> [u8; 4] {
        [self.0[0], self.0[1], self.0[2], 255]
    }
}

/// Canonical form: upper-case hex.
impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02X}{:02X}{:02X}", self.0[0], self.0[1], self.0[2])
    }
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe Base64 (RFC 4648 §5) with or without `=` padding (README §1.3).
pub fn base64url_decode(input: &str) -> Result<Vec<u8>> {
    let bad = || Error::invalid(None, "The value is not valid URL-safe Base64.");
    let trimmed = input.trim_end_matches('=');
    if input.len() - trimmed.len() > 2 || trimmed.len() % 4 == 1 {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(trimmed.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in trimmed.bytes() {
        let v = BASE64URL.iter().position(|&c| c == b).ok_or_else(bad)?;
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// URL-safe Base64 without padding: the canonical form of watermark values.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gravity_names_round_trip() {
        for g in Gravity::ALL {
            assert_eq!(Gravity::from_name(g.name()), Some(g));
        }
        assert_eq!(Gravity::from_name("fac"), None);
        assert_eq!(Gravity::from_name("SE"), None);
    }

    #[test]
    fn colours() {
        assert_eq!(Rgb::from_hex("FF0000"), Some(Rgb([255, 0, 0])));
        assert_eq!(Rgb::from_hex("00ff7f"), Some(Rgb([0, 255, 127])));
        for bad in ["AABBCCDD", "FFF", "#FFFFFF", "GGGGGG", ""] {
            assert_eq!(Rgb::from_hex(bad), None, "{bad}");
        }
        assert_eq!(Rgb([0, 255, 127]).to_string(), "00FF7F");
    }

    #[test]
    fn base64url_vendor_examples() {
        assert_eq!(base64url_decode("SGVsbG8gV29ybGQ").unwrap(), b"Hello World");
        assert_eq!(
            base64url_decode("SGVsbG8gV29ybGQ=").unwrap(),
            b"Hello World"
        );
        assert_eq!(base64url_decode("d3F5LXplbmhlaQ").unwrap(), b"wqy-zenhei");
        assert_eq!(
            base64url_decode("cGFuZGEucG5nP3gtb3NzLXByb2Nlc3M9aW1hZ2UvcmVzaXplLFBfMzA").unwrap(),
            b"panda.png?x-oss-process=image/resize,P_30"
        );
        assert!(base64url_decode("a+b/").is_err());
        assert!(base64url_decode("abcde").is_err());
    }

    #[test]
    fn base64url_round_trips() {
        for len in 0..20u8 {
            let data: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(37).wrapping_add(250))
                .collect();
            assert_eq!(base64url_decode(&base64url_encode(&data)).unwrap(), data);
        }
        assert_eq!(base64url_encode(b"Hello World"), "SGVsbG8gV29ybGQ");
    }
}
