//! CCITT fax compression (2: modified Huffman, 3: T.4, 4: T.6) through the `fax` crate,
//! into 1-bit rows where 1 is black (what WhiteIsZero, the photometric of every fax
//! TIFF, expects).

use fax::{decoder, Color};

use super::compression::{CCITT_G3, CCITT_G4};
use super::layout::Layout;
use crate::error::{Error, Result};
use crate::frame::try_zeroed;

/// One strip of `width × rows` pixels, `expected` bytes of packed rows.
pub(super) fn decode(
    l: &Layout<'_>,
    data: &[u8],
    width: u32,
    rows: u32,
    expected: usize,
) -> Result<Vec<u8>> {
    let mut out = try_zeroed(expected)?;
    let w16 = u16::try_from(width).map_err(|_| Error::corrupt("TIFF: fax line too wide"))?;
    let row_len = usize::from(w16).div_ceil(8);
    let mut y = 0usize;
    let mut put = |transitions: &[u16]| {
        if y >= rows as usize {
            return;
        }
        let row = out.get_mut(y * row_len..(y + 1) * row_len);
        if let Some(row) = row {
            for (x, c) in decoder::pels(transitions, w16).enumerate() {
                if c == Color::Black {
                    if let Some(b) = row.get_mut(x / 8) {
                        *b |= 0x80 >> (x % 8);
                    }
                }
            }
        }
        y += 1;
    };
    let bytes = data.iter().copied();
    let done = match l.compression {
        CCITT_G4 => decoder::decode_g4(bytes, w16, u16::try_from(rows).ok(), &mut put),
        CCITT_G3 if l.t4_options & 1 == 0 => decoder::decode_g3(bytes, &mut put),
        CCITT_G3 => return Err(Error::corrupt("TIFF: 2-D Group 3 fax is not supported")),
        _ => {
            return Err(Error::corrupt(
                "TIFF: modified Huffman fax is not supported",
            ))
        }
    };
    if done.is_none() && y == 0 {
        return Err(Error::corrupt("TIFF: the fax data does not decode"));
    }
    Ok(out)
}
