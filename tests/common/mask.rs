//! The anti-aliased masks of circle and rounded-corners, checked pixel by pixel.

use image::RgbaImage;

use super::close;

/// Checks `out` at `points` against a mask with `coverage`: the alpha of an alpha format
/// is the source alpha times the coverage (±1) with the source colour kept; a JPEG shows
/// the source colour blended onto white by the coverage. `source(x, y)` is the source
/// pixel under output pixel (x, y).
pub fn assert_mask(
    out: &RgbaImage,
    jpeg: bool,
    points: impl Iterator<Item = (u32, u32)>,
    source: impl Fn(u32, u32) -> [u8; 4],
    coverage: impl Fn(u32, u32) -> f32,
    what: &str,
) {
    let (mut checked, mut between) = (0, 0);
    for (x, y) in points {
        let (got, src, c) = (out.get_pixel(x, y).0, source(x, y), coverage(x, y));
        checked += 1;
        if c > 0.0 && c < 1.0 {
            between += 1;
        }
        if !jpeg {
            let alpha = (f32::from(src[3]) * c).round() as u8;
            assert!(
                got[3].abs_diff(alpha) <= 1,
                "{what}: alpha at ({x}, {y}) is {}, coverage {c}",
                got[3]
            );
            if got[3] > 0 {
                assert_eq!(got[..3], src[..3], "{what}: colour at ({x}, {y})");
            }
            continue;
        }
        // JPEG: every channel where the coverage is the same 8 px around; near an edge,
        // where 4:2:0 chroma rings over a 16-px block, the full-resolution luma only.
        let flat = [(8, 0), (0, 8), (6, 6), (6, -6)].iter().all(|&(dx, dy)| {
            [(dx, dy), (-dx, -dy)].iter().all(|&(dx, dy)| {
                let (nx, ny) = (x.saturating_add_signed(dx), y.saturating_add_signed(dy));
                coverage(nx, ny) == c
            })
        });
        let want = src.map(|v| (f32::from(v) * c + 255.0 * (1.0 - c)).round() as u8);
        let luma = |p: [u8; 4]| {
            0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
        };
        let (ok, tolerance) = if flat {
            (close(&got[..3], &want[..3], 16), "16 per channel")
        } else {
            ((luma(got) - luma(want)).abs() <= 24.0, "24 in luma")
        };
        assert!(
            ok,
            "{what}: ({x}, {y}) is {got:?}, expected {want:?} within {tolerance} (coverage {c})"
        );
    }
    assert!(
        checked > 0 && between > 0,
        "{what}: no anti-aliased pixel among {checked}"
    );
}

pub fn all_pixels(w: u32, h: u32) -> impl Iterator<Item = (u32, u32)> {
    (0..h).flat_map(move |y| (0..w).map(move |x| (x, y)))
}
