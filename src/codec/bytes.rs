//! The one byte reader of every header parser. Headers are untrusted input: each read is
//! bounds-checked and offsets are added with overflow checks, so a hostile file yields
//! `None` instead of a panic (which would kill a wasm instance).

/// `N` bytes at `at`, if they are all there.
pub(super) fn arr<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// `len` bytes at `at`, if they are all there.
pub(super) fn slice(b: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    b.get(at..at.checked_add(len)?)
}

pub(super) fn be16(b: &[u8], at: usize) -> Option<u16> {
    arr(b, at).map(u16::from_be_bytes)
}
pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    arr(b, at).map(u32::from_be_bytes)
}
pub(super) fn le16(b: &[u8], at: usize) -> Option<u16> {
    arr(b, at).map(u16::from_le_bytes)
}
pub(super) fn le24(b: &[u8], at: usize) -> Option<u32> {
    arr(b, at).map(|[x, y, z]| u32::from_le_bytes([x, y, z, 0]))
}
pub(super) fn le32(b: &[u8], at: usize) -> Option<u32> {
    arr(b, at).map(u32::from_le_bytes)
}

/// The byte order of a TIFF structure, which its first two bytes declare (`II` or `MM`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ByteOrder {
    Little,
    Big,
}

impl ByteOrder {
    pub(super) fn u16(self, b: &[u8], at: usize) -> Option<u16> {
        let bytes = arr(b, at)?;
        Some(match self {
            ByteOrder::Little => u16::from_le_bytes(bytes),
            ByteOrder::Big => u16::from_be_bytes(bytes),
        })
    }

    pub(super) fn u32(self, b: &[u8], at: usize) -> Option<u32> {
        let bytes = arr(b, at)?;
        Some(match self {
            ByteOrder::Little => u32::from_le_bytes(bytes),
            ByteOrder::Big => u32::from_be_bytes(bytes),
        })
    }

    pub(super) fn u64(self, b: &[u8], at: usize) -> Option<u64> {
        let bytes = arr(b, at)?;
        Some(match self {
            ByteOrder::Little => u64::from_le_bytes(bytes),
            ByteOrder::Big => u64::from_be_bytes(bytes),
        })
    }
}
