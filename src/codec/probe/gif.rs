//! GIF: the block structure, walked without LZW decoding.

use super::{truncated, Header};
use crate::codec::bytes::{le16, slice};
use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::LoopCount;

/// What a GIF needs before the gif crate decodes it the way browsers show it.
#[derive(Default)]
pub(in crate::codec) struct GifRepairs {
    /// A frame has neither a local nor a global colour table (the gif crate refuses it).
    pub grey_palette: bool,
    /// The first frame reaches past the logical screen, which grows to hold it; the
    /// probe's size is the grown one.
    pub grow_screen: bool,
}

/// Bytes of a GIF colour table announced by a packed flags byte.
fn gif_color_table_len(flags: u8) -> usize {
    if flags & 0x80 != 0 {
        3 << ((flags & 7) + 1)
    } else {
        0
    }
}

/// Skips a chain of GIF data sub-blocks starting at `pos`; the offset after its terminator.
fn skip_sub_blocks(b: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let size = usize::from(*b.get(pos)?);
        pos = pos.checked_add(1)?.checked_add(size)?;
        if size == 0 {
            return Some(pos);
        }
    }
}

/// GIF: walk the block structure (skipping image data without LZW decoding) to count the
/// frames and find transparency and the NETSCAPE2.0 loop count.
pub(super) fn header(b: &[u8]) -> Result<Header> {
    let t = || truncated("GIF");
    let mut width = le16(b, 6).ok_or_else(t)?;
    let mut height = le16(b, 8).ok_or_else(t)?;
    let flags = *b.get(10).ok_or_else(t)?;
    let mut pos = 13 + gif_color_table_len(flags);
    let global_table = flags & 0x80 != 0;
    let mut repairs = GifRepairs::default();
    let mut frames: u32 = 0;
    let mut alpha = false;
    // Without a NETSCAPE2.0 block an animation plays once.
    let mut loop_count = LoopCount::Finite(0);
    // A missing trailer or a truncated last block is common: keep the complete frames.
    while let Some(&block) = b.get(pos) {
        match block {
            0x3B => break,
            0x21 => {
                let Some(start) = pos.checked_add(2) else {
                    break;
                };
                match b.get(pos.saturating_add(1)) {
                    // Graphic control: flags byte after the sub-block size.
                    Some(0xF9) if b.get(start.saturating_add(1)).is_some_and(|f| f & 1 != 0) => {
                        alpha = true;
                    }
                    Some(0xFF) => {
                        if let Some(count) = gif_loop_count(b, start) {
                            loop_count = count;
                        }
                    }
                    _ => {}
                }
                match skip_sub_blocks(b, start) {
                    Some(next) => pos = next,
                    None => break,
                }
            }
            0x2C => {
                // left(2) top(2) width(2) height(2) flags(1), then the LZW code size.
                let Some(desc) = slice(b, pos.saturating_add(1), 9) else {
                    break;
                };
                if frames == 0 {
                    let [left, top, w, h] = [0, 2, 4, 6].map(|at| le16(desc, at).unwrap_or(0));
                    // Browsers grow the screen to hold the first frame (when it still fits
                    // the 16-bit fields); later frames are clipped.
                    let right = left.checked_add(w).unwrap_or(width).max(width);
                    let bottom = top.checked_add(h).unwrap_or(height).max(height);
                    repairs.grow_screen = (right, bottom) != (width, height);
                    (width, height) = (right, bottom);
                    alpha |= left != 0 || top != 0 || w < width || h < height;
                }
                let table = desc.get(8).map_or(0, |&f| gif_color_table_len(f));
                repairs.grey_palette |= table == 0 && !global_table;
                let data = pos.checked_add(11).and_then(|p| p.checked_add(table));
                match data.and_then(|d| skip_sub_blocks(b, d)) {
                    Some(next) => {
                        frames = frames.saturating_add(1);
                        pos = next;
                    }
                    None => break,
                }
            }
            _ if frames > 0 => break,
            _ => return Err(Error::corrupt("unknown GIF block")),
        }
    }
    if frames == 0 {
        return Err(Error::corrupt("the GIF has no complete image"));
    }
    Ok(Header {
        probe: Probe {
            format: ImageFormat::Gif,
            width: u32::from(width),
            height: u32::from(height),
            frames,
            orientation: 1,
            has_alpha: alpha,
        },
        loop_count,
        gif: repairs,
    })
}

/// The loop count of a NETSCAPE2.0 (or ANIMEXTS1.0) application extension whose first
/// sub-block starts at `at`.
fn gif_loop_count(b: &[u8], at: usize) -> Option<LoopCount> {
    let id = slice(b, at, 12)?;
    if id != b"\x0BNETSCAPE2.0" && id != b"\x0BANIMEXTS1.0" {
        return None;
    }
    let sub = slice(b, at.checked_add(12)?, 4)?;
    if sub.first()? < &3 || sub.get(1)? != &1 {
        return None;
    }
    Some(match le16(sub, 2)? {
        0 => LoopCount::Infinite,
        n => LoopCount::Finite(n),
    })
}

#[cfg(test)]
mod tests {
    use crate::codec::probe::read_header;
    use crate::codec::probe::samples::{facts, gif, is_corrupt};
    use crate::format::ImageFormat;
    use crate::frame::LoopCount;

    #[test]
    fn gif_frames_alpha_and_loop() {
        assert_eq!(
            facts(&gif(1, false, None)),
            (ImageFormat::Gif, 2, 3, 1, 1, false)
        );
        assert_eq!(
            facts(&gif(3, true, None)),
            (ImageFormat::Gif, 2, 3, 3, 1, true)
        );
        let h = read_header(&gif(2, false, Some(0))).unwrap();
        assert_eq!(h.loop_count, LoopCount::Infinite);
        let h = read_header(&gif(2, false, Some(4))).unwrap();
        assert_eq!(h.loop_count, LoopCount::Finite(4));
        let h = read_header(&gif(2, false, None)).unwrap();
        assert_eq!(h.loop_count, LoopCount::Finite(0));
        // The trailer is optional; a cut inside the second frame keeps the first.
        let g = gif(2, false, None);
        assert_eq!(facts(&g[..g.len() - 1]).3, 2);
        assert_eq!(facts(&g[..g.len() - 4]).3, 1);
        assert!(is_corrupt(b"GIF89a\x02\x00\x03\x00\x00\x00\x00\x3B"));
        assert!(is_corrupt(b"GIF89a\x02\x00\x03\x00\x00\x00\x00\x99"));
    }

    #[test]
    fn the_screen_grows_to_hold_the_first_frame() {
        // 2×3 screen, first frame 5×4 at (1, 0): the canvas becomes 6×4.
        let mut g = gif(2, false, None);
        let desc = g.iter().position(|&b| b == 0x2C).unwrap();
        g[desc + 1] = 1;
        g[desc + 5] = 5;
        g[desc + 7] = 4;
        let h = read_header(&g).unwrap();
        assert_eq!(
            (h.probe.width, h.probe.height, h.probe.has_alpha),
            (6, 4, true)
        );
        assert!(h.gif.grow_screen);
        assert!(!read_header(&gif(2, false, None)).unwrap().gif.grow_screen);
        // An extent past 65,535 cannot be stored: the frame is clipped instead.
        g[desc + 1] = 0xFF;
        g[desc + 2] = 0xFF;
        assert_eq!(read_header(&g).unwrap().probe.width, 2);
    }

    #[test]
    fn gif_frame_smaller_than_canvas_has_alpha() {
        let mut g = gif(1, false, None);
        let desc = g.iter().position(|&b| b == 0x2C).unwrap();
        g[desc + 5] = 1;
        assert!(facts(&g).5);
    }
}
