//! The directories (IFDs) of a TIFF structure: a TIFF file itself (classic or BigTIFF) or
//! the EXIF block that JPEG, PNG and WebP embed. The one reader of TIFF entries: the probe
//! and the decoder look up single values in IFD0, `info` lists every field
//! (`fields`). Everything is bounds-checked; a malformed directory reads as absent.

use crate::codec::bytes::ByteOrder;

/// A TIFF structure whose header is valid.
#[derive(Clone, Copy)]
pub(crate) struct Tiff<'a> {
    data: &'a [u8],
    order: ByteOrder,
    big_tiff: bool,
    /// Offset of IFD0, as the header states it.
    first_ifd: usize,
}

impl<'a> Tiff<'a> {
    /// Reads the TIFF header; `None` when it is malformed.
    pub(crate) fn parse(data: &'a [u8]) -> Option<Self> {
        let order = match data.get(..2)? {
            b"II" => ByteOrder::Little,
            b"MM" => ByteOrder::Big,
            _ => return None,
        };
        let (big_tiff, first_ifd) = match order.u16(data, 2)? {
            42 => (false, usize::try_from(order.u32(data, 4)?).ok()?),
            43 => {
                // BigTIFF: offset size 8, reserved 0, then an 8-byte IFD offset.
                if order.u16(data, 4)? != 8 || order.u16(data, 6)? != 0 {
                    return None;
                }
                (true, usize::try_from(order.u64(data, 8)?).ok()?)
            }
            _ => return None,
        };
        Some(Tiff {
            data,
            order,
            big_tiff,
            first_ifd,
        })
    }

    pub(crate) fn first_ifd(&self) -> usize {
        self.first_ifd
    }

    /// Bytes in the structure; values must end within them.
    pub(crate) fn size(&self) -> usize {
        self.data.len()
    }

    /// The IFD at `at`; `None` when its entry count cannot be read.
    pub(crate) fn ifd(&self, at: usize) -> Option<Ifd<'a>> {
        let (count, entries) = if self.big_tiff {
            (self.order.u64(self.data, at)?, at.checked_add(8)?)
        } else {
            (
                u64::from(self.order.u16(self.data, at)?),
                at.checked_add(2)?,
            )
        };
        Some(Ifd {
            tiff: *self,
            entries,
            count,
        })
    }

    fn entry_size(&self) -> usize {
        if self.big_tiff {
            20
        } else {
            12
        }
    }

    /// Size of the field that holds a value inline or its offset.
    fn field_size(&self) -> u64 {
        if self.big_tiff {
            8
        } else {
            4
        }
    }

    /// An offset stored in a field (4 bytes, or 8 in BigTIFF).
    fn offset_at(&self, at: usize) -> Option<usize> {
        if self.big_tiff {
            usize::try_from(self.order.u64(self.data, at)?).ok()
        } else {
            usize::try_from(self.order.u32(self.data, at)?).ok()
        }
    }
}

/// Reads the TIFF header and locates IFD0; `None` when either is malformed.
pub(crate) fn ifd0(data: &[u8]) -> Option<Ifd<'_>> {
    let tiff = Tiff::parse(data)?;
    tiff.ifd(tiff.first_ifd)
}

/// One directory: a count of entries, then the offset of the next directory.
pub(crate) struct Ifd<'a> {
    tiff: Tiff<'a>,
    /// Offset of the first entry.
    entries: usize,
    count: u64,
}

impl<'a> Ifd<'a> {
    /// The entries in file order. A count larger than the data ends the walk at the first
    /// entry whose tag cannot be read.
    pub(crate) fn entries(&self) -> impl Iterator<Item = Entry<'a>> {
        let tiff = self.tiff;
        let mut next = Some(self.entries);
        (0..self.count).map_while(move |_| {
            let at = next?;
            let tag = tiff.order.u16(tiff.data, at)?;
            next = at.checked_add(tiff.entry_size());
            Some(Entry { tiff, at, tag })
        })
    }

    /// The offset of the next IFD, stored after the entries.
    pub(crate) fn next_ifd(&self) -> Option<usize> {
        let entries = usize::try_from(self.count)
            .ok()?
            .checked_mul(self.tiff.entry_size())?;
        self.tiff.offset_at(self.entries.checked_add(entries)?)
    }

    /// The first value of `tag` when it is an unsigned integer (BYTE, SHORT, LONG, LONG8).
    pub(crate) fn value(&self, tag: u16) -> Option<u64> {
        self.entries().find(|e| e.tag == tag)?.first_uint()
    }

    /// The byte order of the structure (of 16-bit and wider samples, too).
    pub(in crate::codec) fn byte_order(&self) -> ByteOrder {
        self.tiff.order
    }

    /// The entry of `tag`, if any.
    pub(crate) fn entry(&self, tag: u16) -> Option<Entry<'a>> {
        self.entries().find(|e| e.tag == tag)
    }

    /// True when the IFD has an entry for `tag`.
    pub(crate) fn has(&self, tag: u16) -> bool {
        self.entries().any(|e| e.tag == tag)
    }
}

/// One entry: tag, type, count, then the value itself or its offset.
pub(crate) struct Entry<'a> {
    tiff: Tiff<'a>,
    /// Offset of the entry.
    at: usize,
    pub tag: u16,
}

impl<'a> Entry<'a> {
    /// The field type (BYTE = 1, ASCII = 2, SHORT = 3, ...).
    pub(crate) fn kind(&self) -> Option<u16> {
        self.tiff.order.u16(self.tiff.data, self.at.checked_add(2)?)
    }

    /// The number of values.
    pub(crate) fn count(&self) -> Option<u64> {
        let at = self.at.checked_add(4)?;
        if self.tiff.big_tiff {
            self.tiff.order.u64(self.tiff.data, at)
        } else {
            self.tiff.order.u32(self.tiff.data, at).map(u64::from)
        }
    }

    /// True when the whole entry lies within the data.
    pub(crate) fn is_complete(&self) -> bool {
        self.at
            .checked_add(self.tiff.entry_size())
            .is_some_and(|end| end <= self.tiff.data.len())
    }

    /// Where a value of `bytes` bytes starts: in the entry itself when it fits the field,
    /// else behind the offset stored there.
    pub(crate) fn value_offset(&self, bytes: u64) -> Option<usize> {
        let field = self
            .at
            .checked_add(if self.tiff.big_tiff { 12 } else { 8 })?;
        if bytes <= self.tiff.field_size() {
            Some(field)
        } else {
            self.tiff.offset_at(field)
        }
    }

    /// The raw bytes of a BYTE or UNDEFINED value (an embedded block such as a profile).
    pub(crate) fn bytes(&self) -> Option<&'a [u8]> {
        if !matches!(self.kind()?, 1 | 7) {
            return None;
        }
        let len = self.count()?;
        let at = self.value_offset(len)?;
        self.tiff
            .data
            .get(at..at.checked_add(usize::try_from(len).ok()?)?)
    }

    /// Every value when the type is an unsigned integer (BYTE, SHORT, LONG, LONG8): an
    /// array such as strip offsets or a colour map. `None` when the array does not lie
    /// wholly within the data, so a count cannot make the caller allocate more than the
    /// file holds.
    pub(crate) fn uints(&self) -> Option<impl Iterator<Item = u64> + 'a> {
        let size: usize = match self.kind()? {
            1 => 1,
            3 => 2,
            4 => 4,
            16 => 8,
            _ => return None,
        };
        let count = usize::try_from(self.count()?).ok()?;
        let len = count.checked_mul(size)?;
        let at = self.value_offset(u64::try_from(len).ok()?)?;
        let (data, order) = (self.tiff.data, self.tiff.order);
        data.get(at..at.checked_add(len)?)?;
        Some((0..count).filter_map(move |i| {
            let at = at.checked_add(i.checked_mul(size)?)?;
            match size {
                1 => data.get(at).copied().map(u64::from),
                2 => order.u16(data, at).map(u64::from),
                4 => order.u32(data, at).map(u64::from),
                _ => order.u64(data, at),
            }
        }))
    }

    /// The first `N` values of a RATIONAL array (numerator / denominator, a 0 denominator
    /// giving `None`); `None` unless the entry is RATIONAL with at least `N` values within
    /// the data.
    pub(crate) fn rationals<const N: usize>(&self) -> Option<[f64; N]> {
        if self.kind()? != 5 || self.count()? < N as u64 {
            return None;
        }
        let at = self.value_offset(8u64.checked_mul(self.count()?)?)?;
        let (data, order) = (self.tiff.data, self.tiff.order);
        let mut out = [0.0; N];
        for (i, v) in out.iter_mut().enumerate() {
            let at = at.checked_add(i.checked_mul(8)?)?;
            let (n, d) = (order.u32(data, at)?, order.u32(data, at.checked_add(4)?)?);
            *v = f64::from(n) / f64::from(Some(d).filter(|&d| d > 0)?);
        }
        Some(out)
    }

    /// The first value when the type is an unsigned integer (BYTE, SHORT, LONG, LONG8).
    pub(crate) fn first_uint(&self) -> Option<u64> {
        let size: u64 = match self.kind()? {
            1 => 1,
            3 => 2,
            4 => 4,
            16 => 8, // LONG8 (BigTIFF)
            _ => return None,
        };
        let count = self.count()?;
        if count == 0 {
            return None;
        }
        let at = self.value_offset(count.checked_mul(size)?)?;
        let (data, order) = (self.tiff.data, self.tiff.order);
        match size {
            1 => data.get(at).copied().map(u64::from),
            2 => order.u16(data, at).map(u64::from),
            4 => order.u32(data, at).map(u64::from),
            _ => order.u64(data, at),
        }
    }
}

/// Bytes of one value of a classic TIFF field type (0 for unknown types).
pub(crate) fn unit_len(kind: u16) -> usize {
    match kind {
        1 | 2 | 6 | 7 => 1, // BYTE ASCII SBYTE UNDEFINED
        3 | 8 => 2,         // SHORT SSHORT
        4 | 9 | 11 => 4,    // LONG SLONG FLOAT
        5 | 10 | 12 => 8,   // RATIONAL SRATIONAL DOUBLE
        _ => 0,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::codec::metadata::tags::{TAG_EXTRA_SAMPLES, TAG_HEIGHT, TAG_WIDTH};

    /// A little- or big-endian TIFF header with one IFD0 of SHORT entries.
    pub(crate) fn tiff_with(little_endian: bool, entries: &[(u16, u16)]) -> Vec<u8> {
        let w16 = |v: u16| {
            if little_endian {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let w32 = |v: u32| {
            if little_endian {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut out = Vec::new();
        out.extend_from_slice(if little_endian { b"II" } else { b"MM" });
        out.extend_from_slice(&w16(42));
        out.extend_from_slice(&w32(8));
        out.extend_from_slice(&w16(entries.len() as u16));
        for &(tag, value) in entries {
            out.extend_from_slice(&w16(tag));
            out.extend_from_slice(&w16(3));
            out.extend_from_slice(&w32(1));
            out.extend_from_slice(&w16(value));
            out.extend_from_slice(&[0, 0]);
        }
        out.extend_from_slice(&[0; 4]);
        out
    }

    #[test]
    fn long_and_offset_values() {
        // One LONG width stored inline, one SHORT array of 3 behind an offset.
        let mut t = b"II*\0\x08\0\0\0\x02\0".to_vec();
        t.extend_from_slice(&[0x00, 0x01, 4, 0, 1, 0, 0, 0, 0x10, 0x27, 0, 0]);
        t.extend_from_slice(&[0x52, 0x01, 3, 0, 3, 0, 0, 0, 38, 0, 0, 0]);
        t.extend_from_slice(&[0; 4]);
        t.extend_from_slice(&[2, 0, 0, 0, 0, 0]);
        let ifd = ifd0(&t).unwrap();
        assert_eq!(ifd.value(TAG_WIDTH), Some(10_000));
        assert_eq!(ifd.value(TAG_EXTRA_SAMPLES), Some(2));
        assert!(ifd.has(TAG_EXTRA_SAMPLES));
        assert!(!ifd.has(TAG_HEIGHT));
        let all = |t: &[u8]| {
            let ifd = ifd0(t).unwrap();
            let e = ifd.entry(TAG_EXTRA_SAMPLES).unwrap();
            e.uints().map(Iterator::collect::<Vec<u64>>)
        };
        assert_eq!(all(&t), Some(vec![2, 0, 0]));
        // An array that runs past the data is absent as a whole, not cut.
        assert_eq!(all(&t[..t.len() - 1]), None);
    }

    #[test]
    fn big_tiff_ifd() {
        let mut t = b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0".to_vec();
        t.extend_from_slice(&1u64.to_le_bytes());
        t.extend_from_slice(&TAG_HEIGHT.to_le_bytes());
        t.extend_from_slice(&16u16.to_le_bytes());
        t.extend_from_slice(&1u64.to_le_bytes());
        t.extend_from_slice(&70_000u64.to_le_bytes());
        let ifd = ifd0(&t).unwrap();
        assert_eq!(ifd.value(TAG_HEIGHT), Some(70_000));
    }

    #[test]
    fn every_truncation_reads_as_absent_without_panicking() {
        let tiff = tiff_with(false, &[(TAG_WIDTH, 5), (0x0112, 3)]);
        for len in 0..tiff.len() {
            let cut = &tiff[..len];
            if let Some(ifd) = ifd0(cut) {
                let _ = ifd.value(TAG_WIDTH);
                let _ = ifd.has(TAG_HEIGHT);
                let _ = ifd.next_ifd();
            }
        }
    }
}
