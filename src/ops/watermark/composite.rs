//! Drawing a finished mark onto the image (watermark.md §4.4, §4.8): source-over on the
//! colour channels with the mark's opacity, the image's alpha kept, clipped to the canvas.

use crate::frame::Frame;

/// Blends `mark` with its top-left corner at (`left`, `top`) into the RGBA `pixels` of an
/// image `width` px wide, with opacity `opacity`%: source-over on the colour channels,
/// the image's own alpha kept (§4.8); whatever falls outside the image is clipped (§4.4).
pub fn blend(pixels: &mut [u8], width: u32, mark: &Frame, left: i64, top: i64, opacity: u8) {
    const FULL: u32 = 255 * 100;
    let height = pixels.len() / 4 / (width as usize).max(1);
    let clip = |start: i64, len: u32, extent: usize| {
        let first = start.max(0);
        let end = start
            .saturating_add(i64::from(len))
            .min(i64::try_from(extent).unwrap_or(i64::MAX));
        // Both are within 0..=extent when the range is not empty.
        (first < end).then(|| {
            (
                (first - start) as usize,
                first as usize,
                (end - first) as usize,
            )
        })
    };
    let (Some((mark_x, x, w)), Some((mark_y, y, h))) = (
        clip(left, mark.width(), width as usize),
        clip(top, mark.height(), height),
    ) else {
        return;
    };
    let (stride, mark_stride) = (width as usize * 4, mark.width() as usize * 4);
    let rows = pixels.chunks_exact_mut(stride).skip(y).take(h);
    let mark_rows = mark.pixels().chunks_exact(mark_stride).skip(mark_y);
    for (row, mark_row) in rows.zip(mark_rows) {
        let (Some(dst), Some(src)) = (
            row.get_mut(x * 4..(x + w) * 4),
            mark_row.get(mark_x * 4..(mark_x + w) * 4),
        ) else {
            continue;
        };
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
            let &[r, g, b, alpha] = s else { continue };
            let a = u32::from(alpha) * u32::from(opacity);
            if a == 0 {
                continue;
            }
            for (dc, sc) in d.iter_mut().zip([r, g, b]) {
                let mixed = u32::from(sc) * a + u32::from(*dc) * (FULL - a) + FULL / 2;
                *dc = (mixed / FULL) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blend_is_clipped_and_keeps_the_base_alpha() {
        // A 3×1 image (alpha 10, 20, 30) under a 2×1 white mark at x = −1, t = 100: only
        // canvas pixel 0 is covered, with the mark's pixel 1.
        let mut pixels = vec![0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30];
        let mark = Frame::from_rgba(2, 1, vec![9, 9, 9, 255, 255, 255, 255, 255]).unwrap();
        blend(&mut pixels, 3, &mark, -1, 0, 100);
        assert_eq!(pixels, [255, 255, 255, 10, 0, 0, 0, 20, 0, 0, 0, 30]);
        // t = 50 over black: 255 · 0.5 rounds to 128; far outside: nothing.
        let mut pixels = vec![0, 0, 0, 255];
        blend(&mut pixels, 1, &mark, -1, 0, 50);
        assert_eq!(pixels, [128, 128, 128, 255]);
        blend(&mut pixels, 1, &mark, 5, -9, 100);
        assert_eq!(pixels, [128, 128, 128, 255]);
    }
}
