//! The working image: one or more RGBA8 frames of equal size. Animated sources keep every
//! frame fully composited (what a browser shows at that moment), with its delay, so that
//! actions can treat each frame as a plain picture.

use crate::codec::ImageFormat;
use crate::error::{Error, Result};

/// One RGBA8 picture, row-major, no padding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
    /// Display time in milliseconds (0 for still images).
    pub delay_ms: u32,
}

/// Bytes of an RGBA8 buffer of `width × height`, or an error when it cannot exist.
pub fn rgba_len(width: u32, height: u32) -> Result<usize> {
    u64::from(width)
        .checked_mul(u64::from(height))
        .and_then(|p| p.checked_mul(4))
        .and_then(|b| usize::try_from(b).ok())
        .ok_or_else(|| Error::too_large(None, format!("{width}x{height} cannot be allocated.")))
}

/// A zeroed buffer of `len` bytes, or an error instead of an allocation abort.
pub fn try_zeroed(len: usize) -> Result<Vec<u8>> {
    try_filled(len, 0)
}

/// `len` copies of `value` (working buffers of any element type), or an error instead of
/// an allocation abort.
pub fn try_filled<T: Clone>(len: usize, value: T) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        let bytes = len.saturating_mul(std::mem::size_of::<T>());
        Error::too_large(None, format!("cannot allocate {bytes} bytes."))
    })?;
    v.resize(len, value);
    Ok(v)
}

impl Frame {
    /// Wraps decoded pixels; the length must match the size.
    pub fn from_rgba(width: u32, height: u32, pixels: Vec<u8>) -> Result<Self> {
        if width == 0 || height == 0 || pixels.len() != rgba_len(width, height)? {
            return Err(Error::internal(format!(
                "frame buffer of {} bytes does not match {width}x{height}",
                pixels.len()
            )));
        }
        Ok(Frame {
            width,
            height,
            pixels,
            delay_ms: 0,
        })
    }

    /// A frame filled with one colour.
    pub fn filled(width: u32, height: u32, rgba: [u8; 4]) -> Result<Self> {
        let mut pixels = try_zeroed(rgba_len(width, height)?)?;
        if rgba != [0; 4] {
            for px in pixels.chunks_exact_mut(4) {
                px.copy_from_slice(&rgba);
            }
        }
        Frame::from_rgba(width, height, pixels)
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// True when some pixel is not fully opaque.
    pub fn has_transparency(&self) -> bool {
        self.pixels.chunks_exact(4).any(|px| px[3] != 255)
    }

    /// Copies the rectangle `[x, x+w) × [y, y+h)`, which must lie inside the frame.
    pub fn cropped(&self, x: u32, y: u32, w: u32, h: u32) -> Result<Frame> {
        let inside = x.checked_add(w).is_some_and(|r| r <= self.width)
            && y.checked_add(h).is_some_and(|b| b <= self.height);
        if !inside || w == 0 || h == 0 {
            return Err(Error::internal(format!(
                "crop {w}x{h}+{x}+{y} outside {}x{}",
                self.width, self.height
            )));
        }
        let mut out = Vec::new();
        out.try_reserve_exact(rgba_len(w, h)?)
            .map_err(|_| Error::too_large(None, "cannot allocate the cropped frame."))?;
        let stride = self.width as usize * 4;
        let (x, w) = (x as usize * 4, w as usize * 4);
        for row in self
            .pixels
            .chunks_exact(stride)
            .skip(y as usize)
            .take(h as usize)
        {
            out.extend_from_slice(&row[x..x + w]);
        }
        let mut frame = Frame::from_rgba(w as u32 / 4, h, out)?;
        frame.delay_ms = self.delay_ms;
        Ok(frame)
    }

    /// Replaces the pixels under `src` (alpha included) with `src`, its top-left corner at
    /// (`left`, `top`); `src` must fit inside this frame.
    pub fn blit(&mut self, src: &Frame, left: u32, top: u32) -> Result<()> {
        let fits = left.checked_add(src.width).is_some_and(|r| r <= self.width)
            && top
                .checked_add(src.height)
                .is_some_and(|b| b <= self.height);
        if !fits {
            return Err(Error::internal("blit outside the frame"));
        }
        let dst_stride = self.width as usize * 4;
        let row_len = src.width as usize * 4;
        let x = left as usize * 4;
        let dst_rows = self.pixels.chunks_exact_mut(dst_stride).skip(top as usize);
        for (dst_row, src_row) in dst_rows.zip(src.pixels.chunks_exact(row_len)) {
            dst_row[x..x + row_len].copy_from_slice(src_row);
        }
        Ok(())
    }

    /// Scales the alpha of every pixel by `coverage(x, y)` in `0..=1`.
    fn mask(&mut self, coverage: &impl Fn(u32, u32) -> f32) {
        let stride = self.width as usize * 4;
        for (y, row) in (0u32..).zip(self.pixels.chunks_exact_mut(stride)) {
            for (x, px) in (0u32..).zip(row.chunks_exact_mut(4)) {
                let c = coverage(x, y);
                if let [_, _, _, a] = px {
                    if c < 1.0 {
                        *a = (f32::from(*a) * c.max(0.0)).round() as u8;
                    }
                }
            }
        }
    }

    /// Removes transparency by compositing onto an opaque colour.
    pub fn flatten_onto(&mut self, rgb: [u8; 3]) {
        for px in self.pixels.chunks_exact_mut(4) {
            let a = u32::from(px[3]);
            if a == 255 {
                continue;
            }
            for c in 0..3 {
                px[c] = div255(u32::from(px[c]) * a + u32::from(rgb[c]) * (255 - a));
            }
            px[3] = 255;
        }
    }
}

/// Coverage of a pixel whose centre lies `distance` from the centre of a disc of `radius`:
/// a 1-px anti-aliasing ramp, 1 inside, 0.5 on the rim, 0 half a pixel beyond it.
pub fn disc_coverage(radius: f32, distance: f32) -> f32 {
    (radius + 0.5 - distance).clamp(0.0, 1.0)
}

/// `v / 255` rounded, for `v ≤ 255·255`.
fn div255(v: u32) -> u8 {
    ((v + 127) / 255) as u8
}

/// How often an animation repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LoopCount {
    #[default]
    Infinite,
    Finite(u16),
}

/// The image moving through the pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    frames: Vec<Frame>,
    pub loop_count: LoopCount,
}

impl Image {
    pub fn still(frame: Frame) -> Self {
        Image {
            frames: vec![frame],
            loop_count: LoopCount::Infinite,
        }
    }

    /// An animation; every frame must have the size of the first.
    pub fn animation(frames: Vec<Frame>, loop_count: LoopCount) -> Result<Self> {
        let first = frames
            .first()
            .ok_or_else(|| Error::corrupt("the image has no frames"))?;
        let size = (first.width, first.height);
        if frames.iter().any(|f| (f.width, f.height) != size) {
            return Err(Error::internal("animation frames differ in size"));
        }
        Ok(Image { frames, loop_count })
    }

    pub fn width(&self) -> u32 {
        self.first().width
    }
    pub fn height(&self) -> u32 {
        self.first().height
    }
    pub fn first(&self) -> &Frame {
        // `frames` is never empty: both constructors guarantee one frame.
        &self.frames[0]
    }
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }
    pub fn is_animated(&self) -> bool {
        self.frames.len() > 1
    }

    /// Scales the alpha of every pixel of every frame by `coverage(x, y)` in `0..=1`
    /// (1 keeps the pixel, 0 cuts it away): the anti-aliased shape masks of circle and
    /// rounded-corners, applied in place.
    pub fn mask(&mut self, coverage: impl Fn(u32, u32) -> f32) {
        for frame in &mut self.frames {
            frame.mask(&coverage);
        }
    }

    /// Gives the transparent areas that an action cut away (circle, rounded-corners, the
    /// corners rotate exposes) the look of the final format: they stay transparent where
    /// it stores alpha and become white in a JPEG (spec README §2.4).
    pub fn show_cut_areas_as(&mut self, format: ImageFormat) {
        if format == ImageFormat::Jpeg {
            for frame in &mut self.frames {
                frame.flatten_onto([255, 255, 255]);
            }
        }
    }

    /// Runs `f` on the RGBA pixels of every frame, in place (sizes cannot change).
    pub fn edit_pixels(&mut self, mut f: impl FnMut(&mut [u8])) {
        for frame in &mut self.frames {
            f(&mut frame.pixels);
        }
    }

    /// Replaces every frame by `f(frame)`; `f` must give all frames one size.
    pub fn map_frames(&mut self, mut f: impl FnMut(&Frame) -> Result<Frame>) -> Result<()> {
        let mut out = Vec::with_capacity(self.frames.len());
        for frame in &self.frames {
            let mut next = f(frame)?;
            next.delay_ms = frame.delay_ms;
            out.push(next);
        }
        *self = Image::animation(out, self.loop_count)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crop_copies_the_right_pixels() {
        let mut px = Vec::new();
        for i in 0..12u8 {
            px.extend_from_slice(&[i, i, i, 255]);
        }
        let f = Frame::from_rgba(4, 3, px).unwrap();
        let c = f.cropped(1, 1, 2, 2).unwrap();
        assert_eq!((c.width(), c.height()), (2, 2));
        let firsts: Vec<u8> = c.pixels().chunks(4).map(|p| p[0]).collect();
        assert_eq!(firsts, vec![5, 6, 9, 10]);
        assert!(f.cropped(3, 0, 2, 1).is_err());
    }

    #[test]
    fn flatten_half_transparent_black_onto_white_gives_grey() {
        let mut f = Frame::from_rgba(1, 1, vec![0, 0, 0, 128]).unwrap();
        f.flatten_onto([255, 255, 255]);
        assert_eq!(f.pixels(), &[127, 127, 127, 255]);
    }

    #[test]
    fn disc_coverage_ramps_over_one_pixel() {
        assert_eq!(disc_coverage(10.0, 0.0), 1.0);
        assert_eq!(disc_coverage(10.0, 9.5), 1.0);
        assert_eq!(disc_coverage(10.0, 10.0), 0.5);
        assert_eq!(disc_coverage(10.0, 10.25), 0.25);
        assert_eq!(disc_coverage(10.0, 10.5), 0.0);
        assert_eq!(disc_coverage(10.0, 99.0), 0.0);
    }

    #[test]
    fn mask_scales_alpha_and_jpeg_shows_cut_areas_white() {
        let px = vec![10, 20, 30, 255, 10, 20, 30, 200, 10, 20, 30, 255];
        let mut image = Image::still(Frame::from_rgba(3, 1, px).unwrap());
        image.mask(|x, _| [1.0, 0.5, 0.0][x as usize]);
        let masked = image.first().pixels().to_vec();
        assert_eq!(masked, [10, 20, 30, 255, 10, 20, 30, 100, 10, 20, 30, 0]);
        image.show_cut_areas_as(ImageFormat::Png);
        assert_eq!(image.first().pixels(), masked, "PNG keeps the alpha");
        image.show_cut_areas_as(ImageFormat::Jpeg);
        // Alpha 100 over white: (c·100 + 255·155) / 255.
        assert_eq!(
            image.first().pixels(),
            [10, 20, 30, 255, 159, 163, 167, 255, 255, 255, 255, 255]
        );
    }

    #[test]
    fn sizes_that_overflow_are_errors() {
        assert!(rgba_len(u32::MAX, u32::MAX).is_err());
        assert!(Frame::filled(0, 1, [0; 4]).is_err());
    }
}
