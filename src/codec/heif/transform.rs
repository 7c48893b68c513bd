//! The container's transforms on the decoded picture, in MIAF order (ISO/IEC 23000-22
//! §7.3.6.7): clean aperture, then rotation, then mirroring.

use super::container::Primary;
use crate::error::Result;
use crate::frame::{rgba_len, try_zeroed, Frame, Image};

pub(super) fn apply(p: &Primary<'_>, image: &mut Image) -> Result<()> {
    if let Some((x, y, w, h)) = p.clap.and_then(|c| c.crop(image.width(), image.height())) {
        if (x, y, w, h) != (0, 0, image.width(), image.height()) {
            image.crop(x, y, w, h)?;
        }
    }
    if p.irot != 0 {
        image.map_frames(|f| rotate(f, p.irot))?;
    }
    if let Some(axis) = p.imir {
        image.map_frames(|f| mirror(f, axis))?;
    }
    Ok(())
}

/// `quarters` quarter turns anticlockwise (irot's sense).
fn rotate(f: &Frame, quarters: u8) -> Result<Frame> {
    let (w, h) = (f.width() as usize, f.height() as usize);
    let (ow, oh) = if quarters % 2 == 1 { (h, w) } else { (w, h) };
    let src = f.pixels();
    let mut out = try_zeroed(rgba_len(f.width(), f.height())?)?;
    for (i, px) in out.chunks_exact_mut(4).enumerate() {
        let (x, y) = (i % ow, i / ow);
        // Where the output pixel (x, y) comes from in the source.
        let (sx, sy) = match quarters % 4 {
            1 => (w - 1 - y, x),         // anticlockwise 90°
            2 => (w - 1 - x, h - 1 - y), // 180°
            3 => (y, h - 1 - x),         // anticlockwise 270°
            _ => (x, y),
        };
        let at = (sy * w + sx) * 4;
        if let Some(s) = src.get(at..at + 4) {
            px.copy_from_slice(s);
        }
    }
    Frame::from_rgba(ow as u32, oh as u32, out)
}

/// `imir`'s `axis` (called `mode` in later editions of ISO/IEC 23008-12): 0 flips top ↔ bottom
/// (about a horizontal axis), 1 left ↔ right, as libheif and libavif read it; link-u's
/// `kimono.mirror-horizontal.avif` (axis 1) displays as `kimono.png` only this way.
fn mirror(f: &Frame, axis: u8) -> Result<Frame> {
    let w = f.width() as usize * 4;
    let mut out = f.pixels().to_vec();
    if axis == 1 {
        for row in out.chunks_exact_mut(w) {
            let (mut a, mut b) = (0, row.len() / 4);
            while a + 1 < b {
                b -= 1;
                for c in 0..4 {
                    row.swap(a * 4 + c, b * 4 + c);
                }
                a += 1;
            }
        }
    } else {
        let rows: Vec<&[u8]> = f.pixels().chunks_exact(w).rev().collect();
        for (dst, src) in out.chunks_exact_mut(w).zip(rows) {
            dst.copy_from_slice(src);
        }
    }
    Frame::from_rgba(f.width(), f.height(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 frame: red, green.
    fn two() -> Frame {
        Frame::from_rgba(2, 1, vec![255, 0, 0, 255, 0, 255, 0, 255]).unwrap()
    }

    #[test]
    fn rotations_and_mirrors() {
        let r = rotate(&two(), 1).unwrap();
        assert_eq!((r.width(), r.height()), (1, 2));
        // Anticlockwise: the right-hand pixel (green) goes to the top.
        assert_eq!(&r.pixels()[..4], &[0, 255, 0, 255]);
        let r = rotate(&two(), 3).unwrap();
        assert_eq!(&r.pixels()[..4], &[255, 0, 0, 255]);
        let r = rotate(&two(), 2).unwrap();
        assert_eq!(&r.pixels()[..4], &[0, 255, 0, 255]);
        // Axis 1 swaps left and right; axis 0 top and bottom (one row: nothing moves).
        let m = mirror(&two(), 1).unwrap();
        assert_eq!(&m.pixels()[..4], &[0, 255, 0, 255]);
        let m = mirror(&r, 0).unwrap();
        assert_eq!(m, r);
    }
}
