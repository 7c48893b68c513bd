//! The container's transforms on the decoded picture, in MIAF order (ISO/IEC 23000-22
//! §7.3.6.7): clean aperture, then rotation, then mirroring.

use super::container::Primary;
use crate::error::Result;
use crate::frame::{try_filled, Image};

pub(super) fn apply(p: &Primary<'_>, image: &mut Image) -> Result<()> {
    if let Some((x, y, w, h)) = p.clap.and_then(|c| c.crop(image.width(), image.height())) {
        if (x, y, w, h) != (0, 0, image.width(), image.height()) {
            image.crop(x, y, w, h)?;
        }
    }
    // In place: a 12 MP photo turned through a copy would need twice its 48 MB, more than
    // a Worker's engine budget leaves.
    match p.irot % 4 {
        0 => {}
        2 => image.edit_pixels(reverse_pixels),
        quarters => image.swap_sides_in_place(|px, w, h| turn(px, w, h, quarters))?,
    }
    if let Some(axis) = p.imir {
        let width = image.width() as usize;
        image.edit_pixels(|px| mirror(px, width, axis));
    }
    Ok(())
}

/// A half turn: the pixel order reversed.
fn reverse_pixels(px: &mut [u8]) {
    let n = px.len() / 4;
    for i in 0..n / 2 {
        let (head, tail) = px.split_at_mut((n - 1 - i) * 4);
        if let (Some(a), Some(b)) = (head.get_mut(i * 4..i * 4 + 4), tail.get_mut(..4)) {
            a.swap_with_slice(b);
        }
    }
}

/// `quarters` (1 or 3) quarter turns anticlockwise (irot's sense) of the `w × h` pixels in
/// place; the buffer then holds an `h × w` picture. Follows each cycle of the permutation,
/// every pixel moved once, a bit set marking the ones already placed.
fn turn(px: &mut [u8], w: u32, h: u32, quarters: u8) -> Result<()> {
    let (w, h) = (w as usize, h as usize);
    let n = w * h;
    let ow = h; // the turned picture's width
                // Where the output pixel `o` comes from in the source.
    let source = |o: usize| {
        let (x, y) = (o % ow, o / ow);
        let (sx, sy) = if quarters == 1 {
            (w - 1 - y, x)
        } else {
            (y, h - 1 - x)
        };
        sy * w + sx
    };
    let mut placed = try_filled(n.div_ceil(64), 0u64)?;
    let mut mark = |i: usize| {
        if let Some(word) = placed.get_mut(i / 64) {
            let was = *word & (1 << (i % 64)) != 0;
            *word |= 1 << (i % 64);
            was
        } else {
            true
        }
    };
    for start in 0..n {
        if mark(start) {
            continue;
        }
        let mut saved = [0u8; 4];
        if let Some(p) = px.get(start * 4..start * 4 + 4) {
            saved.copy_from_slice(p);
        }
        let mut at = start;
        loop {
            let from = source(at);
            if from == start || from >= n {
                if let Some(p) = px.get_mut(at * 4..at * 4 + 4) {
                    p.copy_from_slice(&saved);
                }
                break;
            }
            px.copy_within(from * 4..from * 4 + 4, at * 4);
            mark(from);
            at = from;
        }
    }
    Ok(())
}

/// `imir`'s `axis` (called `mode` in later editions of ISO/IEC 23008-12): 0 flips top ↔ bottom
/// (about a horizontal axis), 1 left ↔ right, as libheif and libavif read it; link-u's
/// `kimono.mirror-horizontal.avif` (axis 1) displays as `kimono.png` only this way.
fn mirror(px: &mut [u8], width: usize, axis: u8) {
    let row = width * 4;
    if row == 0 {
        return;
    }
    if axis == 1 {
        for line in px.chunks_exact_mut(row) {
            reverse_pixels(line);
        }
    } else {
        let rows = px.len() / row;
        for r in 0..rows / 2 {
            let (top, bottom) = px.split_at_mut((rows - 1 - r) * row);
            if let (Some(a), Some(b)) = (top.get_mut(r * row..(r + 1) * row), bottom.get_mut(..row))
            {
                a.swap_with_slice(b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `w × h` pixels, each one a different colour: pixel `i` is `[i, i >> 8, 7, 255]`.
    fn numbered(w: usize, h: usize) -> Vec<u8> {
        (0..w * h)
            .flat_map(|i| [i as u8, (i >> 8) as u8, 7, 255])
            .collect()
    }

    /// The pixel at `(x, y)` of a `w`-wide buffer.
    fn at(px: &[u8], w: usize, x: usize, y: usize) -> &[u8] {
        &px[(y * w + x) * 4..(y * w + x) * 4 + 4]
    }

    #[test]
    fn turns_in_place_match_the_definition() {
        // Odd sides and a picture with more than 64 pixels: several bit-set words, and
        // cycles of different lengths.
        for (w, h) in [(5, 3), (1, 4), (13, 7), (16, 16)] {
            let src = numbered(w, h);
            for quarters in [1u8, 3] {
                let mut px = src.clone();
                turn(&mut px, w as u32, h as u32, quarters).unwrap();
                for y in 0..w {
                    for x in 0..h {
                        // Anticlockwise a quarter: output (x, y) is source (w-1-y, x).
                        let (sx, sy) = if quarters == 1 {
                            (w - 1 - y, x)
                        } else {
                            (y, h - 1 - x)
                        };
                        assert_eq!(
                            at(&px, h, x, y),
                            at(&src, w, sx, sy),
                            "{w}x{h} q{quarters} ({x},{y})"
                        );
                    }
                }
            }
            let mut half = src.clone();
            reverse_pixels(&mut half);
            assert_eq!(at(&half, w, 0, 0), at(&src, w, w - 1, h - 1));
            assert_eq!(at(&half, w, w - 1, 0), at(&src, w, 0, h - 1));
        }
    }

    #[test]
    fn mirrors_in_place() {
        let (w, h) = (3, 2);
        let src = numbered(w, h);
        let mut lr = src.clone();
        mirror(&mut lr, w, 1);
        assert_eq!(at(&lr, w, 0, 0), at(&src, w, 2, 0));
        assert_eq!(at(&lr, w, 1, 1), at(&src, w, 1, 1));
        let mut tb = src.clone();
        mirror(&mut tb, w, 0);
        assert_eq!(at(&tb, w, 0, 0), at(&src, w, 0, 1));
        assert_eq!(at(&tb, w, 2, 1), at(&src, w, 2, 0));
    }
}
