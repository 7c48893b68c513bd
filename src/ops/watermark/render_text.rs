//! Draws the text part of a mark into its own transparent box (watermark.md §4.5): one
//! line laid out glyph by glyph through the fallback chain (no kerning, no shaping),
//! anti-aliased coverage in `color`, then the drop shadow and the rotation.

use std::collections::HashMap;

use ab_glyph::{point, Font as _, Glyph, GlyphId, OutlinedGlyph, PxScale, PxScaleFactor};

use super::font::{Face, Faces};
use super::text::TextMark;
use crate::error::Result;
use crate::frame::{rgba_len, try_filled, try_zeroed, Frame};
use crate::limits::Limits;
use crate::ops::Rotate;

/// The text mark as an RGBA frame (straight alpha), before the mark's opacity `t`.
pub fn render(text: &TextMark, fonts: &HashMap<String, Vec<u8>>, limits: &Limits) -> Result<Frame> {
    let faces = Faces::new(text.font, text.size, fonts)?;
    let line = Line::lay_out(&faces, &text.text);
    // The shadow offset d = max(1, round(S / 20)) (§4.5 [DECISION]).
    let offset = if text.shadow > 0 {
        ((text.size + 10) / 20).max(1)
    } else {
        0
    };
    let (w, h) = (
        line.width.saturating_add(offset),
        line.height.saturating_add(offset),
    );
    limits.check_output(w, h)?;
    let coverage = line.rasterize(text.size)?;
    let shadow_alpha = f32::from(text.shadow) / 100.0;
    let [r, g, b, _] = text.color.rgba();
    let mut pixels = try_zeroed(rgba_len(w, h)?)?;
    let at = |x: u32, y: u32| -> f32 {
        if x < line.width && y < line.height {
            let i = y as usize * line.width as usize + x as usize;
            coverage.get(i).copied().unwrap_or(0.0)
        } else {
            0.0
        }
    };
    let row_len = w as usize * 4;
    for (y, row) in (0u32..).zip(pixels.chunks_exact_mut(row_len)) {
        for (x, px) in (0u32..).zip(row.chunks_exact_mut(4)) {
            let ink = at(x, y);
            let shade = match (x.checked_sub(offset), y.checked_sub(offset)) {
                (Some(sx), Some(sy)) if offset > 0 => at(sx, sy) * shadow_alpha,
                _ => 0.0,
            };
            // Text over its black shadow.
            let alpha = ink + shade * (1.0 - ink);
            if alpha <= 0.0 {
                continue;
            }
            // Straight alpha: the colour is the ink's share of the two layers.
            let lit = |c: u8| (f32::from(c) * ink / alpha).round() as u8;
            px.copy_from_slice(&[lit(r), lit(g), lit(b), (alpha * 255.0).round() as u8]);
        }
    }
    let frame = Frame::from_rgba(w, h, pixels)?;
    rotate(frame, text.rotate, limits)
}

/// The laid-out line: each glyph with its face and pen position, and the box.
struct Line<'f, 'a> {
    glyphs: Vec<(&'f Face<'a>, GlyphId, f32)>,
    width: u32,
    height: u32,
    baseline: f32,
}

impl<'f, 'a> Line<'f, 'a> {
    fn lay_out(faces: &'f Faces<'a>, text: &str) -> Self {
        let primary = faces.primary();
        let ascent = primary.font.ascent_unscaled() * primary.scale;
        let descent = -primary.font.descent_unscaled() * primary.scale;
        let mut pen = 0.0f32;
        let mut glyphs = Vec::new();
        // Control characters are dropped (§3.3 [DECISION]).
        for c in text
            .chars()
            .filter(|c| !matches!(c, '\0'..='\u{1f}' | '\u{7f}'))
        {
            let (face, id) = faces.glyph(c);
            glyphs.push((face, id, pen));
            pen += face.font.h_advance_unscaled(id) * face.scale;
        }
        // `as` saturates (and maps NaN to 0); the output limit check rejects huge boxes.
        Line {
            glyphs,
            width: (pen.ceil() as u32).max(1),
            height: ((ascent + descent).ceil() as u32).max(1),
            baseline: ascent.round(),
        }
    }

    /// Glyph coverage in `0..=1` over the `width × height` box, row-major.
    fn rasterize(&self, size: u32) -> Result<Vec<f32>> {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut coverage = try_filled(w.saturating_mul(h), 0.0f32)?;
        // The rasteriser allocates the glyph's own box; a font may claim any outline, so
        // glyphs far larger than the em are skipped rather than allocated.
        let max_side = (size as f32) * 2.0 + 16.0;
        for &(face, id, x) in &self.glyphs {
            let Some(outline) = face.font.outline(id) else {
                continue; // blank glyphs such as the space
            };
            let glyph = Glyph {
                id,
                scale: PxScale::from(size as f32),
                position: point(x, self.baseline),
            };
            let factor = PxScaleFactor {
                horizontal: face.scale,
                vertical: face.scale,
            };
            let outlined = OutlinedGlyph::new(glyph, outline, factor);
            let bounds = outlined.px_bounds();
            if !(bounds.width() <= max_side && bounds.height() <= max_side) {
                continue;
            }
            let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
            outlined.draw(|gx, gy, c| {
                let (x, y) = (left + i64::from(gx), top + i64::from(gy));
                if let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) {
                    if x < w && y < h {
                        if let Some(cell) = coverage.get_mut(y * w + x) {
                            // Overlapping glyphs: union of coverages.
                            let c = c.clamp(0.0, 1.0);
                            *cell += c * (1.0 - *cell);
                        }
                    }
                }
            });
        }
        Ok(coverage)
    }
}

/// `frame` turned clockwise by `degrees` about its centre onto the bounding box of its
/// turned corners, each side rounded up; bilinear, uncovered area transparent (§4.5).
fn rotate(frame: Frame, degrees: u16, limits: &Limits) -> Result<Frame> {
    if degrees == 0 {
        return Ok(frame);
    }
    let (sin, cos) = f64::from(degrees).to_radians().sin_cos();
    let (sin, cos) = (sin.abs(), cos.abs());
    let (w, h) = (f64::from(frame.width()), f64::from(frame.height()));
    // Rounded to 1e-9 first so that sin(90°)·w = w·(1 ± ε) does not gain a pixel.
    let side = |v: f64| (((v * 1e9).round() / 1e9).ceil() as u32).max(1);
    let (rw, rh) = (side(w * cos + h * sin), side(w * sin + h * cos));
    limits.check_output(rw, rh)?;
    Rotate { degrees }.rotate_frame(&frame, rw, rh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_angles_swap_the_sides_exactly() {
        let frame = Frame::filled(30, 10, [0, 0, 0, 255]).unwrap();
        let limits = Limits::oss();
        let turned = rotate(frame.clone(), 90, &limits).unwrap();
        assert_eq!((turned.width(), turned.height()), (10, 30));
        let turned = rotate(frame.clone(), 180, &limits).unwrap();
        assert_eq!((turned.width(), turned.height()), (30, 10));
        // 45°: (30 + 10)·cos 45° = 28.28… → 29 on both sides.
        let turned = rotate(frame, 45, &limits).unwrap();
        assert_eq!((turned.width(), turned.height()), (29, 29));
    }
}
