//! The working image: one or more RGBA8 frames of equal size. Animated sources keep every
//! frame fully composited (what a browser shows at that moment), with its delay, so that
//! actions can treat each frame as a plain picture.

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

    /// An error unless the rectangle `[x, x+w) × [y, y+h)` is not empty and lies inside.
    fn check_crop(&self, x: u32, y: u32, w: u32, h: u32) -> Result<()> {
        let inside = x.checked_add(w).is_some_and(|r| r <= self.width)
            && y.checked_add(h).is_some_and(|b| b <= self.height);
        if !inside || w == 0 || h == 0 {
            return Err(Error::internal(format!(
                "crop {w}x{h}+{x}+{y} outside {}x{}",
                self.width, self.height
            )));
        }
        Ok(())
    }

    /// Keeps only the rectangle `[x, x+w) × [y, y+h)`, which must lie inside the frame:
    /// its rows move up within the buffer, so no second frame is allocated.
    fn crop_in_place(&mut self, x: u32, y: u32, w: u32, h: u32) -> Result<()> {
        self.check_crop(x, y, w, h)?;
        let stride = self.width as usize * 4;
        let row_len = w as usize * 4;
        let first = y as usize * stride + x as usize * 4;
        // Row `i` moves from `first + i·stride` to `i·row_len`, never to the right.
        for i in 0..h as usize {
            let from = first + i * stride;
            self.pixels.copy_within(from..from + row_len, i * row_len);
        }
        self.pixels.truncate(row_len * h as usize);
        self.pixels.shrink_to_fit();
        (self.width, self.height) = (w, h);
        Ok(())
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
                    // `a · 0` rounds to 0: no `round` (a libm call in wasm) for cut pixels.
                    if c <= 0.0 {
                        *a = 0;
                    } else if c < 1.0 {
                        *a = (f32::from(*a) * c).round() as u8;
                    }
                }
            }
        }
    }

    /// Removes transparency by compositing onto an opaque colour.
    pub fn flatten_onto(&mut self, rgb: [u8; 3]) {
        let pixels = self.pixels.as_mut_slice();
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let pixels = simd128::flatten(pixels, rgb);
        for px in pixels.chunks_exact_mut(4) {
            let &mut [r, g, b, alpha] = px else { continue };
            if alpha == 255 {
                continue;
            }
            let a = u32::from(alpha);
            let over = |c: u8, background: u8| {
                div255(u32::from(c) * a + u32::from(background) * (255 - a))
            };
            px.copy_from_slice(&[over(r, rgb[0]), over(g, rgb[1]), over(b, rgb[2]), 255]);
        }
    }
}

/// Coverage of a pixel whose centre lies (`dx`, `dy`) from the centre of a disc of
/// `radius`: a 1-px anti-aliasing ramp, 1 inside, 0.5 on the rim, 0 half a pixel beyond it.
pub fn disc_coverage(radius: f32, dx: f32, dy: f32) -> f32 {
    // Away from the ramp the answer is 0 or 1 without `hypot` (a libm call in wasm). The
    // margin is far above the error of f32 `hypot` and of `radius + 0.5 - distance` (ulps
    // of 1/1024 px at 8192 px); the squares are exact in f64.
    const MARGIN: f64 = 1.0 / 64.0;
    let squared = f64::from(dx).powi(2) + f64::from(dy).powi(2);
    let inner = f64::from(radius) - 0.5 - MARGIN;
    if inner > 0.0 && squared <= inner * inner {
        return 1.0;
    }
    if squared >= (f64::from(radius) + 0.5 + MARGIN).powi(2) {
        return 0.0;
    }
    ramp(radius, dx.hypot(dy))
}

/// The anti-aliasing ramp of a disc of `radius` at `distance` from its centre.
fn ramp(radius: f32, distance: f32) -> f32 {
    (radius + 0.5 - distance).clamp(0.0, 1.0)
}

/// `v / 255` rounded to nearest, for `v ≤ 255·255`, without a division (as the SIMD128
/// path computes it; equal to `(v + 127) / 255`, which a test checks for every `v`;
/// tests/simd_parity checks `flatten_onto` for every value and alpha, natively and in wasm).
fn div255(v: u32) -> u8 {
    let v = v + 128;
    ((v + (v >> 8)) >> 8) as u8
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::*;

    /// `flatten_onto` for whole groups of four pixels, in u16 lanes (`c·a + bg·(255 − a)`
    /// ≤ 255·255, and `div255`'s sums stay below 2^16); returns the rest of `pixels`.
    pub(super) fn flatten(pixels: &mut [u8], [r, g, b]: [u8; 3]) -> &mut [u8] {
        let background = u64x2_splat(u64::from_le_bytes([r, 0, g, 0, b, 0, 0, 0]));
        let opaque = u32x4_splat(0xff00_0000);
        let (full, half) = (u16x8_splat(255), u16x8_splat(128));
        let over = |c: v128, a: v128| {
            let v = u16x8_add(
                u16x8_add(u16x8_mul(c, a), u16x8_mul(background, u16x8_sub(full, a))),
                half,
            );
            u16x8_shr(u16x8_add(v, u16x8_shr(v, 8)), 8)
        };
        let mut groups = pixels.chunks_exact_mut(16);
        for group in groups.by_ref() {
            // SAFETY: `group` is 16 bytes: one unaligned load and one store.
            unsafe {
                let px = v128_load(group.as_ptr().cast());
                // Each pixel's alpha in all four of its bytes.
                let alpha =
                    i8x16_shuffle::<3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15>(px, px);
                let low = over(u16x8_extend_low_u8x16(px), u16x8_extend_low_u8x16(alpha));
                let high = over(u16x8_extend_high_u8x16(px), u16x8_extend_high_u8x16(alpha));
                // Every lane is at most 255; the alpha lanes become 255.
                let out = v128_or(u8x16_narrow_i16x8(low, high), opaque);
                v128_store(group.as_mut_ptr().cast(), out);
            }
        }
        groups.into_remainder()
    }
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
        if frames.is_empty() {
            return Err(Error::corrupt("the image has no frames"));
        }
        check_one_size(&frames)?;
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

    /// Composites every frame over an opaque `background`, in place.
    pub fn flatten_onto(&mut self, background: [u8; 3]) {
        for frame in &mut self.frames {
            frame.flatten_onto(background);
        }
    }

    /// Keeps only the rectangle `[x, x+w) × [y, y+h)` of every frame, in place; it must lie
    /// inside the image.
    pub fn crop(&mut self, x: u32, y: u32, w: u32, h: u32) -> Result<()> {
        for frame in &mut self.frames {
            frame.crop_in_place(x, y, w, h)?;
        }
        Ok(())
    }

    /// Runs `f` on the RGBA pixels of every frame, in place (sizes cannot change).
    pub fn edit_pixels(&mut self, mut f: impl FnMut(&mut [u8])) {
        for frame in &mut self.frames {
            f(&mut frame.pixels);
        }
    }

    /// Rearranges every frame in place into a `height × width` frame (a quarter turn):
    /// `f(pixels, width, height)` leaves the turned frame's pixels in the same buffer, so a
    /// turn never holds the picture twice.
    pub fn swap_sides_in_place(
        &mut self,
        mut f: impl FnMut(&mut [u8], u32, u32) -> Result<()>,
    ) -> Result<()> {
        for frame in &mut self.frames {
            f(&mut frame.pixels, frame.width, frame.height)?;
            std::mem::swap(&mut frame.width, &mut frame.height);
        }
        Ok(())
    }

    /// Replaces every frame by `f(frame)`; `f` must give all frames one size. Each frame
    /// goes as soon as its successor exists, so that an animation is never held twice; after
    /// an error the image is partly mapped (callers drop it).
    pub fn map_frames(&mut self, mut f: impl FnMut(&Frame) -> Result<Frame>) -> Result<()> {
        for frame in &mut self.frames {
            let mut next = f(frame)?;
            next.delay_ms = frame.delay_ms;
            *frame = next;
        }
        check_one_size(&self.frames)
    }
}

/// An error unless every frame has the size of the first.
fn check_one_size(frames: &[Frame]) -> Result<()> {
    let mut sizes = frames.iter().map(|f| (f.width, f.height));
    let first = sizes.next();
    if sizes.any(|size| Some(size) != first) {
        return Err(Error::internal("animation frames differ in size"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crop_keeps_the_pixels_of_the_rectangle_in_place() {
        let px: Vec<u8> = (0..=255).cycle().take(7 * 5 * 4).collect();
        let frame = Frame::from_rgba(7, 5, px).unwrap();
        let pixel = |f: &Frame, x: u32, y: u32| {
            let at = ((y * f.width() + x) * 4) as usize;
            f.pixels()[at..at + 4].to_vec()
        };
        for (x, y, w, h) in [
            (0, 0, 7, 5),
            (1, 1, 2, 2),
            (0, 2, 7, 3),
            (6, 0, 1, 5),
            (2, 4, 5, 1),
        ] {
            let mut image = Image::still(frame.clone());
            image.crop(x, y, w, h).unwrap();
            let cropped = image.first();
            assert_eq!((cropped.width(), cropped.height()), (w, h));
            assert_eq!(cropped.pixels().len(), (w * h * 4) as usize);
            for (i, j) in (0..h).flat_map(|j| (0..w).map(move |i| (i, j))) {
                assert_eq!(
                    pixel(cropped, i, j),
                    pixel(&frame, x + i, y + j),
                    "{w}x{h}+{x}+{y}"
                );
            }
        }
        let mut image = Image::still(frame);
        for (x, y, w, h) in [(5, 0, 3, 1), (0, 0, 0, 1), (0, u32::MAX, 1, 2)] {
            assert!(image.crop(x, y, w, h).is_err(), "{w}x{h}+{x}+{y}");
        }
        assert_eq!(image.width(), 7, "a failed crop changes nothing");
    }

    #[test]
    fn flatten_half_transparent_black_onto_white_gives_grey() {
        let mut f = Frame::from_rgba(1, 1, vec![0, 0, 0, 128]).unwrap();
        f.flatten_onto([255, 255, 255]);
        assert_eq!(f.pixels(), &[127, 127, 127, 255]);
    }

    #[test]
    fn disc_coverage_ramps_over_one_pixel() {
        assert_eq!(disc_coverage(10.0, 0.0, 0.0), 1.0);
        assert_eq!(disc_coverage(10.0, 9.5, 0.0), 1.0);
        assert_eq!(disc_coverage(10.0, 0.0, -10.0), 0.5);
        assert_eq!(disc_coverage(10.0, 10.25, 0.0), 0.25);
        assert_eq!(disc_coverage(10.0, 6.0, 8.0), 0.5);
        assert_eq!(disc_coverage(10.0, 10.5, 0.0), 0.0);
        assert_eq!(disc_coverage(10.0, 99.0, 0.0), 0.0);
    }

    #[test]
    fn disc_coverage_shortcuts_agree_with_the_ramp() {
        // Every pixel offset (whole and half) around discs of the radii circle and
        // rounded-corners use, small and at the 4096 px limit, near and far from the rim.
        for radius in [
            0.5f32, 1.0, 1.5, 2.0, 7.5, 30.0, 100.5, 1500.0, 4095.5, 4096.0,
        ] {
            let reach = radius as i32 + 3;
            let offsets =
                |centre: i32| (-reach..=reach).map(move |d| (d * 2 + centre) as f32 / 2.0);
            for dx in offsets(0).chain(offsets(1)) {
                // Rows near the rim, where the shortcuts end, and a few through the middle.
                let rim = (radius.powi(2) - dx.powi(2)).max(0.0).sqrt();
                for dy in [
                    0.0,
                    0.5,
                    1.0,
                    rim - 1.5,
                    rim - 1.0,
                    rim - 0.5,
                    rim,
                    rim + 0.5,
                    rim + 1.0,
                ] {
                    let dy = (dy * 2.0).round() / 2.0;
                    assert_eq!(
                        disc_coverage(radius, dx, dy),
                        ramp(radius, dx.hypot(dy)),
                        "radius {radius} at ({dx}, {dy})"
                    );
                }
            }
        }
    }

    #[test]
    fn div255_rounds_to_nearest_for_every_product() {
        for v in 0..=255 * 255 {
            assert_eq!(u32::from(div255(v)), (v + 127) / 255, "{v}");
        }
    }

    #[test]
    fn mask_scales_alpha_and_flattening_shows_cut_areas_white() {
        let px = vec![10, 20, 30, 255, 10, 20, 30, 200, 10, 20, 30, 255];
        let mut image = Image::still(Frame::from_rgba(3, 1, px).unwrap());
        image.mask(|x, _| [1.0, 0.5, 0.0][x as usize]);
        let masked = image.first().pixels().to_vec();
        assert_eq!(masked, [10, 20, 30, 255, 10, 20, 30, 100, 10, 20, 30, 0]);
        image.flatten_onto([255, 255, 255]);
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
