//! GIF through the gif crate: one NeuQuant palette per frame at speed 10 (speed 1, image's
//! default, takes seconds per frame in wasm), delays in centiseconds, the loop count kept.

use gif::{DisposalMethod, Encoder, Repeat};

use super::rgba_copy;
use crate::error::{Error, Result};
use crate::frame::{Image, LoopCount};

const QUANTIZER_SPEED: i32 = 10;

pub(super) fn encode(image: &Image) -> Result<Vec<u8>> {
    let too_big = |_| Error::internal("GIF sides are limited to 65,535 px");
    let w = u16::try_from(image.width()).map_err(too_big)?;
    let h = u16::try_from(image.height()).map_err(too_big)?;
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, w, h, &[]).map_err(Error::internal)?;
    if image.is_animated() {
        // Finite(0) writes no NETSCAPE2.0 block: the animation plays once.
        let repeat = match image.loop_count {
            LoopCount::Infinite => Repeat::Infinite,
            LoopCount::Finite(n) => Repeat::Finite(n),
        };
        encoder.set_repeat(repeat).map_err(Error::internal)?;
    }
    for frame in image.frames() {
        let mut pixels = rgba_copy(frame)?;
        let mut gif_frame = gif::Frame::from_rgba_speed(w, h, &mut pixels, QUANTIZER_SPEED);
        gif_frame.delay = centiseconds(frame.delay_ms);
        // Every frame is a full composited canvas: clear it before the next one, so that
        // transparent pixels do not show the previous frame.
        gif_frame.dispose = DisposalMethod::Background;
        encoder.write_frame(&gif_frame).map_err(Error::internal)?;
    }
    encoder.into_inner().map_err(Error::internal)?;
    Ok(out)
}

/// Milliseconds to the nearest centisecond.
fn centiseconds(ms: u32) -> u16 {
    u16::try_from(ms.saturating_add(5) / 10).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{max_diff, mean_diff, opts, ramp, round_trip};
    use super::*;
    use crate::format::ImageFormat;
    use crate::frame::Frame;

    fn animation(loop_count: LoopCount) -> Image {
        let colours = [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 0]];
        let frames = colours
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let mut f = Frame::filled(10, 7, c).unwrap();
                f.delay_ms = 70 + 60 * i as u32;
                f
            })
            .collect();
        Image::animation(frames, loop_count).unwrap()
    }

    #[test]
    fn animation_keeps_frames_delays_and_loop_count() {
        for loop_count in [
            LoopCount::Infinite,
            LoopCount::Finite(0),
            LoopCount::Finite(5),
        ] {
            let image = animation(loop_count);
            let out = round_trip(&image, &opts(ImageFormat::Gif, 0));
            assert_eq!(out.frames().len(), 3);
            assert_eq!(out.loop_count, loop_count);
            let delays: Vec<u32> = out.frames().iter().map(|f| f.delay_ms).collect();
            assert_eq!(delays, [70, 130, 190]);
            assert_eq!(out.frames()[0].pixels()[..4], [255, 0, 0, 255]);
            // A transparent frame after an opaque one stays transparent.
            assert_eq!(out.frames()[2].pixels()[3], 0);
        }
    }

    #[test]
    fn still_with_few_colours_is_exact() {
        let mut px = Vec::new();
        for i in 0..48u32 {
            px.extend_from_slice(&[(i % 4 * 60) as u8, (i / 4 * 20) as u8, 9, 255]);
        }
        let frame = Frame::from_rgba(8, 6, px).unwrap();
        let out = round_trip(&Image::still(frame.clone()), &opts(ImageFormat::Gif, 0));
        assert_eq!(out.frames().len(), 1);
        assert_eq!(max_diff(out.first(), &frame), 0);
    }

    #[test]
    fn many_colours_are_quantised_closely() {
        let frame = ramp(40, 30, false);
        let out = round_trip(&Image::still(frame.clone()), &opts(ImageFormat::Gif, 0));
        assert!(mean_diff(out.first(), &frame) < 10.0);
    }

    #[test]
    fn centisecond_rounding() {
        assert_eq!(centiseconds(0), 0);
        assert_eq!(centiseconds(104), 10);
        assert_eq!(centiseconds(105), 11);
        assert_eq!(centiseconds(u32::MAX), u16::MAX);
    }
}
