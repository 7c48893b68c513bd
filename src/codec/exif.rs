//! The first IFD of a TIFF structure: a TIFF file itself (classic or BigTIFF) or the EXIF
//! block that JPEG, PNG and WebP embed. Only single numeric values are read (size,
//! orientation); everything is bounds-checked, and a malformed directory reads as "absent".

use super::probe::arr;

/// EXIF/TIFF tag numbers used by the probe and the decoder.
pub(super) const TAG_WIDTH: u16 = 0x0100;
pub(super) const TAG_HEIGHT: u16 = 0x0101;
pub(super) const TAG_ORIENTATION: u16 = 0x0112;
pub(super) const TAG_PLANAR_CONFIGURATION: u16 = 0x011C;
pub(super) const TAG_TILE_WIDTH: u16 = 0x0142;
pub(super) const TAG_EXTRA_SAMPLES: u16 = 0x0152;

/// The prefix JPEG APP1 (and some PNG/WebP writers) put before the TIFF header.
const EXIF_PREFIX: &[u8] = b"Exif\0\0";

/// IFD0 of a TIFF structure.
pub(super) struct Ifd0<'a> {
    data: &'a [u8],
    little_endian: bool,
    big_tiff: bool,
    /// Offset of the first entry.
    entries: usize,
    count: u64,
}

impl<'a> Ifd0<'a> {
    /// Reads the TIFF header and locates IFD0; `None` when either is malformed.
    pub(super) fn parse(data: &'a [u8]) -> Option<Self> {
        let little_endian = match data.get(..2)? {
            b"II" => true,
            b"MM" => false,
            _ => return None,
        };
        let mut ifd = Ifd0 {
            data,
            little_endian,
            big_tiff: false,
            entries: 0,
            count: 0,
        };
        match ifd.u16_at(2)? {
            42 => {
                let offset = usize::try_from(ifd.u32_at(4)?).ok()?;
                ifd.count = u64::from(ifd.u16_at(offset)?);
                ifd.entries = offset.checked_add(2)?;
            }
            43 => {
                // BigTIFF: offset size 8, reserved 0, then an 8-byte IFD offset.
                if ifd.u16_at(4)? != 8 || ifd.u16_at(6)? != 0 {
                    return None;
                }
                ifd.big_tiff = true;
                let offset = usize::try_from(ifd.u64_at(8)?).ok()?;
                ifd.count = ifd.u64_at(offset)?;
                ifd.entries = offset.checked_add(8)?;
            }
            _ => return None,
        }
        Some(ifd)
    }

    /// The first value of `tag` when it is an unsigned integer (BYTE, SHORT, LONG, LONG8).
    pub(super) fn value(&self, tag: u16) -> Option<u64> {
        self.first_value(self.find(tag)?)
    }

    /// True when IFD0 has an entry for `tag`.
    pub(super) fn has(&self, tag: u16) -> bool {
        self.find(tag).is_some()
    }

    /// Offset of the entry for `tag`.
    fn find(&self, tag: u16) -> Option<usize> {
        let entry_size = if self.big_tiff { 20 } else { 12 };
        let mut at = self.entries;
        // A count larger than the data ends the loop at the first out-of-bounds read.
        for _ in 0..self.count {
            if self.u16_at(at)? == tag {
                return Some(at);
            }
            at = at.checked_add(entry_size)?;
        }
        None
    }

    fn first_value(&self, entry: usize) -> Option<u64> {
        let value_size: u64 = match self.u16_at(entry.checked_add(2)?)? {
            1 => 1,  // BYTE
            3 => 2,  // SHORT
            4 => 4,  // LONG
            16 => 8, // LONG8 (BigTIFF)
            _ => return None,
        };
        let (count, field, field_len) = if self.big_tiff {
            (
                self.u64_at(entry.checked_add(4)?)?,
                entry.checked_add(12)?,
                8,
            )
        } else {
            let count = u64::from(self.u32_at(entry.checked_add(4)?)?);
            (count, entry.checked_add(8)?, 4)
        };
        if count == 0 {
            return None;
        }
        // Values that fit sit in the entry itself; larger ones behind an offset.
        let at = if count.checked_mul(value_size)? <= field_len {
            field
        } else if self.big_tiff {
            usize::try_from(self.u64_at(field)?).ok()?
        } else {
            usize::try_from(self.u32_at(field)?).ok()?
        };
        match value_size {
            1 => self.data.get(at).copied().map(u64::from),
            2 => self.u16_at(at).map(u64::from),
            4 => self.u32_at(at).map(u64::from),
            _ => self.u64_at(at),
        }
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let b = arr(self.data, at)?;
        Some(if self.little_endian {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b = arr(self.data, at)?;
        Some(if self.little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn u64_at(&self, at: usize) -> Option<u64> {
        let b = arr(self.data, at)?;
        Some(if self.little_endian {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }
}

/// The EXIF orientation (1..=8) in an EXIF block, with or without the `Exif\0\0` prefix.
pub(super) fn orientation(block: &[u8]) -> Option<u8> {
    let tiff = block.strip_prefix(EXIF_PREFIX).unwrap_or(block);
    valid_orientation(Ifd0::parse(tiff)?.value(TAG_ORIENTATION)?)
}

/// An orientation value when it is one of the eight defined ones.
pub(super) fn valid_orientation(value: u64) -> Option<u8> {
    u8::try_from(value).ok().filter(|v| (1..=8).contains(v))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

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
    fn orientation_in_both_byte_orders_and_with_prefix() {
        for le in [true, false] {
            let tiff = tiff_with(le, &[(0x010F, 7), (TAG_ORIENTATION, 6)]);
            assert_eq!(orientation(&tiff), Some(6));
            let mut prefixed = EXIF_PREFIX.to_vec();
            prefixed.extend_from_slice(&tiff);
            assert_eq!(orientation(&prefixed), Some(6));
        }
    }

    #[test]
    fn invalid_orientations_are_absent() {
        for bad in [0, 9, 300] {
            let tiff = tiff_with(true, &[(TAG_ORIENTATION, bad)]);
            assert_eq!(orientation(&tiff), None);
        }
        assert_eq!(orientation(b"II*\0\xff\xff\xff\xff"), None);
        assert_eq!(orientation(b"XX*\0"), None);
    }

    #[test]
    fn long_and_offset_values() {
        // One LONG width stored inline, one SHORT array of 3 behind an offset.
        let mut t = b"II*\0\x08\0\0\0\x02\0".to_vec();
        t.extend_from_slice(&[0x00, 0x01, 4, 0, 1, 0, 0, 0, 0x10, 0x27, 0, 0]);
        t.extend_from_slice(&[0x52, 0x01, 3, 0, 3, 0, 0, 0, 38, 0, 0, 0]);
        t.extend_from_slice(&[0; 4]);
        t.extend_from_slice(&[2, 0, 0, 0, 0, 0]);
        let ifd = Ifd0::parse(&t).unwrap();
        assert_eq!(ifd.value(TAG_WIDTH), Some(10_000));
        assert_eq!(ifd.value(TAG_EXTRA_SAMPLES), Some(2));
        assert!(ifd.has(TAG_EXTRA_SAMPLES));
        assert!(!ifd.has(TAG_HEIGHT));
    }

    #[test]
    fn big_tiff_ifd() {
        let mut t = b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0".to_vec();
        t.extend_from_slice(&1u64.to_le_bytes());
        t.extend_from_slice(&TAG_HEIGHT.to_le_bytes());
        t.extend_from_slice(&16u16.to_le_bytes());
        t.extend_from_slice(&1u64.to_le_bytes());
        t.extend_from_slice(&70_000u64.to_le_bytes());
        let ifd = Ifd0::parse(&t).unwrap();
        assert_eq!(ifd.value(TAG_HEIGHT), Some(70_000));
    }

    #[test]
    fn every_truncation_reads_as_absent_without_panicking() {
        let tiff = tiff_with(false, &[(TAG_WIDTH, 5), (TAG_ORIENTATION, 3)]);
        for len in 0..tiff.len() {
            let cut = &tiff[..len];
            let _ = orientation(cut);
            if let Some(ifd) = Ifd0::parse(cut) {
                let _ = ifd.value(TAG_WIDTH);
                let _ = ifd.has(TAG_HEIGHT);
            }
        }
    }
}
