//! ISO BMFF boxes (ISO/IEC 14496-12 §4.2): a box is a 32-bit size, a four-character type,
//! an optional 64-bit size, then its body. Every read goes through `codec::bytes`; a box
//! whose size runs past its parent, or is smaller than its own header, is an error.

use crate::codec::bytes::{be16, be32, slice};
use crate::error::{Error, Result};

/// One box: its type and its body (after the size and type fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Bx<'a> {
    pub kind: [u8; 4],
    pub body: &'a [u8],
    /// Where the body starts, relative to the buffer the box was read from.
    pub at: usize,
}

pub(super) fn corrupt(what: &str) -> Error {
    Error::corrupt(format!("the HEIF container is damaged ({what})"))
}

/// The boxes that fill `b` one after another. A truncated or lying size is an error, as is
/// trailing data too short to be a box header.
pub(super) fn boxes(b: &[u8]) -> Boxes<'_> {
    Boxes { b, at: 0 }
}

pub(super) struct Boxes<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Boxes<'a> {
    type Item = Result<Bx<'a>>;

    fn next(&mut self) -> Option<Result<Bx<'a>>> {
        if self.at >= self.b.len() {
            return None;
        }
        let read = read_box(self.b, self.at);
        match read {
            Ok((bx, end)) => {
                self.at = end;
                Some(Ok(bx))
            }
            Err(e) => {
                self.at = self.b.len();
                Some(Err(e))
            }
        }
    }
}

/// The box at `at` and where the next one starts.
fn read_box(b: &[u8], at: usize) -> Result<(Bx<'_>, usize)> {
    let short = || corrupt("a box runs past its end");
    let size32 = be32(b, at).ok_or_else(short)?;
    let kind: [u8; 4] = crate::codec::bytes::arr(b, at + 4).ok_or_else(short)?;
    let (header, size) = match size32 {
        0 => (8, b.len().checked_sub(at).ok_or_else(short)?),
        1 => {
            let hi = be32(b, at + 8).ok_or_else(short)?;
            let lo = be32(b, at + 12).ok_or_else(short)?;
            let size = (u64::from(hi) << 32) | u64::from(lo);
            (16, usize::try_from(size).map_err(|_| short())?)
        }
        n => (8, usize::try_from(n).map_err(|_| short())?),
    };
    let body_len = size.checked_sub(header).ok_or_else(short)?;
    let body_at = at.checked_add(header).ok_or_else(short)?;
    let body = slice(b, body_at, body_len).ok_or_else(short)?;
    Ok((
        Bx {
            kind,
            body,
            at: body_at,
        },
        body_at + body_len,
    ))
}

/// The first box of type `kind` among the boxes of `b`.
pub(super) fn find<'a>(b: &'a [u8], kind: &[u8; 4]) -> Result<Option<Bx<'a>>> {
    for bx in boxes(b) {
        let bx = bx?;
        if &bx.kind == kind {
            return Ok(Some(bx));
        }
    }
    Ok(None)
}

/// A full box's version, flags and the rest of its body.
pub(super) fn full(body: &[u8]) -> Result<(u8, u32, &[u8])> {
    let vf = be32(body, 0).ok_or_else(|| corrupt("a full box is too short"))?;
    let rest = body.get(4..).unwrap_or_default();
    Ok(((vf >> 24) as u8, vf & 0x00FF_FFFF, rest))
}

/// A big-endian reader over a box body that turns running out into a corrupt error.
pub(super) struct Reader<'a> {
    pub b: &'a [u8],
    pub at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Reader { b, at: 0 }
    }

    fn short() -> Error {
        corrupt("a box is shorter than its fields")
    }

    pub fn u8(&mut self) -> Result<u8> {
        let v = *self.b.get(self.at).ok_or_else(Self::short)?;
        self.at += 1;
        Ok(v)
    }

    pub fn u16(&mut self) -> Result<u16> {
        let v = be16(self.b, self.at).ok_or_else(Self::short)?;
        self.at += 2;
        Ok(v)
    }

    pub fn u32(&mut self) -> Result<u32> {
        let v = be32(self.b, self.at).ok_or_else(Self::short)?;
        self.at += 4;
        Ok(v)
    }

    /// An unsigned field of 0, 1, 2, 4 or 8 bytes (iloc's sizes).
    pub fn uint(&mut self, bytes: u8) -> Result<u64> {
        match bytes {
            0 => Ok(0),
            1 => self.u8().map(u64::from),
            2 => self.u16().map(u64::from),
            4 => self.u32().map(u64::from),
            8 => {
                let hi = self.u32()?;
                let lo = self.u32()?;
                Ok((u64::from(hi) << 32) | u64::from(lo))
            }
            _ => Err(corrupt("a field size is not 0, 1, 2, 4 or 8")),
        }
    }

    /// A 16- or 32-bit item id.
    pub fn id(&mut self, wide: bool) -> Result<u32> {
        if wide {
            self.u32()
        } else {
            self.u16().map(u32::from)
        }
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = slice(self.b, self.at, n).ok_or_else(Self::short)?;
        self.at += n;
        Ok(s)
    }

    /// A NUL-terminated string (the terminator consumed); all the rest if none.
    pub fn cstr(&mut self) -> &'a [u8] {
        let rest = self.b.get(self.at..).unwrap_or_default();
        let end = rest.iter().position(|&c| c == 0);
        self.at = self.at.saturating_add(end.map_or(rest.len(), |e| e + 1));
        &rest[..end.unwrap_or(rest.len())]
    }

    pub fn rest(&self) -> &'a [u8] {
        self.b.get(self.at..).unwrap_or_default()
    }

    /// How many bytes are left: a declared count of entries is checked against it before
    /// any vector is sized by that count.
    #[cfg_attr(not(feature = "heic"), allow(dead_code))]
    pub fn left(&self) -> usize {
        self.b.len().saturating_sub(self.at)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A box of `kind` around `body`.
    pub(in crate::codec::heif) fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    /// A full box of `kind`, version `v`, flags `f`.
    pub(in crate::codec::heif) fn fbx(kind: &[u8; 4], v: u8, f: u32, body: &[u8]) -> Vec<u8> {
        let mut b = ((u32::from(v) << 24) | f).to_be_bytes().to_vec();
        b.extend_from_slice(body);
        bx(kind, &b)
    }

    #[test]
    fn reads_boxes_in_sequence() {
        let mut b = bx(b"abcd", b"12");
        b.extend(bx(b"efgh", b""));
        let got: Vec<_> = boxes(&b).map(|r| r.unwrap().kind).collect();
        assert_eq!(got, [*b"abcd", *b"efgh"]);
    }

    #[test]
    fn size_zero_runs_to_the_end_and_size_one_is_64_bit() {
        let b = [0, 0, 0, 0, b'm', b'd', b'a', b't', 1, 2, 3];
        let got = boxes(&b).next().unwrap().unwrap();
        assert_eq!(got.body, &[1, 2, 3]);
        let mut b = vec![
            0, 0, 0, 1, b'x', b'x', b'x', b'x', 0, 0, 0, 0, 0, 0, 0, 17, 9,
        ];
        assert_eq!(boxes(&b).next().unwrap().unwrap().body, &[9]);
        b[15] = 200; // lies
        assert!(boxes(&b).next().unwrap().is_err());
    }

    #[test]
    fn lying_and_truncated_sizes_are_errors() {
        for b in [
            vec![0, 0, 0, 9, b'a', b'b', b'c', b'd'], // runs past the end
            vec![0, 0, 0, 4, b'a', b'b', b'c', b'd'], // smaller than its header
            vec![0, 0, 0],                            // truncated header
            vec![0xFF, 0xFF, 0xFF, 0xFF, b'a', b'b', 0], // huge
            vec![
                0, 0, 0, 1, b'a', b'b', b'c', b'd', 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            ],
        ] {
            let got: Vec<_> = boxes(&b).collect();
            assert!(got.iter().any(Result::is_err), "{b:?}");
        }
    }

    #[test]
    fn reader_runs_out_with_an_error() {
        let mut r = Reader::new(&[1, 2, 3]);
        assert_eq!(r.u16().unwrap(), 0x0102);
        assert!(r.u16().is_err());
        assert!(r.uint(3).is_err());
        assert_eq!(Reader::new(b"ab\0cd").cstr(), b"ab");
        assert_eq!(Reader::new(b"ab").cstr(), b"ab");
    }
}
