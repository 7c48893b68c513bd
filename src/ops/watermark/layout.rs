//! Where a mark goes (watermark.md §4.1, §4.6, §4.7): the anchored position for a
//! gravity, the grid of tiles for `fill_1`, and the block of a mixed mark.

use super::{Align, Order, Watermark};
use crate::error::Result;
use crate::frame::Frame;

/// `⌊n / 2⌋`, also for negative `n`.
fn half(n: i64) -> i64 {
    n.div_euclid(2)
}

/// The top-left corner (X, Y) of a `w × h` mark on a `width × height` image (§4.1).
/// Offsets a gravity does not use are already reset by the parser.
pub fn anchor(mark: &Watermark, width: u32, height: u32, w: u32, h: u32) -> (i64, i64) {
    let (free_x, free_y) = (
        i64::from(width) - i64::from(w),
        i64::from(height) - i64::from(h),
    );
    let x = match mark.gravity.column() {
        0 => i64::from(mark.x),
        1 => half(free_x),
        _ => free_x - i64::from(mark.x),
    };
    let y = match mark.gravity.row() {
        0 => i64::from(mark.y),
        1 => half(free_y) + i64::from(mark.voffset),
        _ => free_y - i64::from(mark.y),
    };
    (x, y)
}

/// The columns and rows of the copies of a `w × h` mark: the anchored one alone, or with
/// `fill` the grid through it with steps `w + padx`, `h + pady`, keeping the copies that
/// intersect the `width × height` canvas (§4.7). Every column meets every row.
pub fn copies(mark: &Watermark, width: u32, height: u32, w: u32, h: u32) -> (Vec<i64>, Vec<i64>) {
    let (x0, y0) = anchor(mark, width, height, w, h);
    if !mark.fill {
        return (vec![x0], vec![y0]);
    }
    (
        grid(x0, i64::from(w), i64::from(mark.padx), i64::from(width)),
        grid(y0, i64::from(h), i64::from(mark.pady), i64::from(height)),
    )
}

/// Starts `origin + i·(len + pad)` of the copies that overlap `0..extent`.
fn grid(origin: i64, len: i64, pad: i64, extent: i64) -> Vec<i64> {
    let step = (len + pad).max(1);
    // The first copy whose end passes 0: origin + i·step + len > 0.
    let first = origin - (origin + len - 1).div_euclid(step) * step;
    (0..)
        .map(|i| first + i * step)
        .take_while(|&start| start < extent)
        .collect()
}

/// The block of a mixed mark (§4.6): both parts side by side on a transparent canvas.
pub fn mixed_block(
    picture: &Frame,
    text: &Frame,
    order: Order,
    align: Align,
    interval: u32,
) -> Result<Frame> {
    let width = picture
        .width()
        .saturating_add(interval)
        .saturating_add(text.width());
    let height = picture.height().max(text.height());
    let mut block = Frame::filled(width, height, [0; 4])?;
    let (left, right) = match order {
        Order::ImageFirst => (picture, text),
        Order::TextFirst => (text, picture),
    };
    let top = |part: &Frame| match align {
        Align::Top => 0,
        Align::Center => height.saturating_sub(part.height()) / 2,
        Align::Bottom => height.saturating_sub(part.height()),
    };
    block.blit(left, 0, top(left))?;
    block.blit(right, left.width().saturating_add(interval), top(right))?;
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_covers_the_canvas_through_the_anchor() {
        // §4.7 example: X0 = 270, w = 120, padx = 80 on 400 px → columns 70 and 270.
        assert_eq!(grid(270, 120, 80, 400), [70, 270]);
        // Y0 = 217, h = 40, pady = 60 on 267 px → rows 17, 117, 217.
        assert_eq!(grid(217, 40, 60, 267), [17, 117, 217]);
        // A copy that only touches pixel 0 counts; one that ends at 0 does not.
        assert_eq!(grid(-9, 10, 0, 25), [-9, 1, 11, 21]);
        assert_eq!(grid(0, 10, 0, 25), [0, 10, 20]);
        assert_eq!(grid(-10, 10, 0, 5), [0]);
    }
}
