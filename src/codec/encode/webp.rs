//! WebP. With the "webp-libwebp" feature: lossy stills through `WebPEncodeRGBA` and lossy
//! animations through `WebPAnimEncoder`, both at the requested quality. Without it:
//! image's lossless encoder, first frame only.

use crate::error::Result;
use crate::frame::Image;

#[cfg(not(feature = "webp-libwebp"))]
pub(super) fn encode(image: &Image, _quality: u8) -> Result<Vec<u8>> {
    use crate::error::Error;
    use image::codecs::webp::WebPEncoder;
    use image::ExtendedColorType;

    let frame = image.first();
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .encode(
            frame.pixels(),
            frame.width(),
            frame.height(),
            ExtendedColorType::Rgba8,
        )
        .map_err(Error::internal)?;
    Ok(out)
}

#[cfg(feature = "webp-libwebp")]
pub(super) fn encode(image: &Image, quality: u8) -> Result<Vec<u8>> {
    if image.is_animated() {
        libwebp::animation(image, quality)
    } else {
        libwebp::still(image.first(), quality)
    }
}

#[cfg(feature = "webp-libwebp")]
mod libwebp {
    use std::ffi::c_int;
    use std::ptr;

    use libwebp_sys as sys;

    use crate::error::{Error, Result};
    use crate::frame::{Frame, Image, LoopCount};

    fn failed(what: &str) -> Error {
        Error::internal(format!("libwebp could not {what}"))
    }

    /// Width, height and row stride as C ints.
    fn geometry(frame: &Frame) -> Result<(c_int, c_int, c_int)> {
        let w = c_int::try_from(frame.width()).map_err(|_| failed("take the width"))?;
        let h = c_int::try_from(frame.height()).map_err(|_| failed("take the height"))?;
        let stride = w.checked_mul(4).ok_or_else(|| failed("take the stride"))?;
        Ok((w, h, stride))
    }

    /// An output buffer allocated by libwebp, freed on drop.
    struct Output {
        ptr: *mut u8,
        len: usize,
    }

    impl Output {
        fn to_vec(&self, what: &str) -> Result<Vec<u8>> {
            if self.ptr.is_null() || self.len == 0 {
                return Err(failed(what));
            }
            // SAFETY: libwebp wrote `len` bytes at `ptr`; the buffer lives until `drop`.
            Ok(unsafe { std::slice::from_raw_parts(self.ptr, self.len) }.to_vec())
        }
    }

    impl Drop for Output {
        fn drop(&mut self) {
            // SAFETY: `ptr` is null or a libwebp allocation that nothing else frees.
            unsafe { sys::WebPFree(self.ptr.cast()) }
        }
    }

    pub(super) fn still(frame: &Frame, quality: u8) -> Result<Vec<u8>> {
        let (w, h, stride) = geometry(frame)?;
        let mut out = Output {
            ptr: ptr::null_mut(),
            len: 0,
        };
        // SAFETY: the pixels are `h` rows of `stride` bytes (Frame's invariant) and are only
        // read; `out.ptr` receives a buffer that `Output` frees.
        out.len = unsafe {
            sys::WebPEncodeRGBA(
                frame.pixels().as_ptr(),
                w,
                h,
                stride,
                f32::from(quality),
                &mut out.ptr,
            )
        };
        out.to_vec("encode the image")
    }

    /// A `WebPAnimEncoder`, deleted on drop.
    struct AnimEncoder(*mut sys::WebPAnimEncoder);

    impl Drop for AnimEncoder {
        fn drop(&mut self) {
            // SAFETY: the pointer came from WebPAnimEncoderNew (null is allowed).
            unsafe { sys::WebPAnimEncoderDelete(self.0) }
        }
    }

    /// A `WebPPicture` whose pixel buffers are freed on drop.
    struct Picture(sys::WebPPicture);

    impl Drop for Picture {
        fn drop(&mut self) {
            // SAFETY: the picture was initialised by WebPPictureInit; freeing an unallocated
            // picture is a no-op.
            unsafe { sys::WebPPictureFree(&mut self.0) }
        }
    }

    /// WebP counts plays (0 = forever); `LoopCount::Finite(n)` counts repeats.
    fn webp_loop_count(loop_count: LoopCount) -> c_int {
        match loop_count {
            LoopCount::Infinite => 0,
            LoopCount::Finite(n) => c_int::from(n.saturating_add(1)),
        }
    }

    pub(super) fn animation(image: &Image, quality: u8) -> Result<Vec<u8>> {
        let (w, h, stride) = geometry(image.first())?;
        let abi = sys::WEBP_MUX_ABI_VERSION as c_int;
        let mut options = std::mem::MaybeUninit::<sys::WebPAnimEncoderOptions>::uninit();
        // SAFETY: the init function writes every field and reports success.
        if unsafe { sys::WebPAnimEncoderOptionsInitInternal(options.as_mut_ptr(), abi) } == 0 {
            return Err(failed("set up the animation"));
        }
        // SAFETY: initialised just above.
        let mut options = unsafe { options.assume_init() };
        options.anim_params.loop_count = webp_loop_count(image.loop_count);
        // SAFETY: `options` is initialised; a null result is handled below.
        let encoder = AnimEncoder(unsafe { sys::WebPAnimEncoderNewInternal(w, h, &options, abi) });
        if encoder.0.is_null() {
            return Err(failed("create the animation encoder"));
        }
        let config = sys::WebPConfig::new_with_preset(
            sys::WebPPreset::WEBP_PRESET_DEFAULT,
            f32::from(quality),
        )
        .map_err(|_| failed("configure the encoder"))?;
        let mut timestamp: c_int = 0;
        for frame in image.frames() {
            let mut picture =
                Picture(sys::WebPPicture::new().map_err(|_| failed("create a picture"))?);
            picture.0.use_argb = 1;
            picture.0.width = w;
            picture.0.height = h;
            // SAFETY: every frame has the image's size, so the pixels are `h` rows of
            // `stride` bytes; libwebp copies them into the picture's own buffer.
            let imported = unsafe {
                sys::WebPPictureImportRGBA(&mut picture.0, frame.pixels().as_ptr(), stride)
            };
            if imported == 0 {
                return Err(failed("import a frame"));
            }
            // SAFETY: encoder, picture and config are valid for the duration of the call.
            if unsafe { sys::WebPAnimEncoderAdd(encoder.0, &mut picture.0, timestamp, &config) }
                == 0
            {
                return Err(failed("encode a frame"));
            }
            timestamp = c_int::try_from(frame.delay_ms)
                .ok()
                .and_then(|d| timestamp.checked_add(d))
                .ok_or_else(|| failed("time the animation"))?;
        }
        // SAFETY: a null frame ends the stream; its timestamp sets the last frame's duration.
        if unsafe { sys::WebPAnimEncoderAdd(encoder.0, ptr::null_mut(), timestamp, ptr::null()) }
            == 0
        {
            return Err(failed("finish the animation"));
        }
        let mut data = sys::WebPData::default();
        // SAFETY: `data` receives a libwebp buffer, handed to `Output` to be freed.
        let assembled = unsafe { sys::WebPAnimEncoderAssemble(encoder.0, &mut data) };
        let out = Output {
            ptr: data.bytes.cast_mut(),
            len: data.size,
        };
        if assembled == 0 {
            return Err(failed("assemble the animation"));
        }
        out.to_vec("assemble the animation")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{mean_diff, opts, ramp, round_trip};
    use crate::format::ImageFormat;
    use crate::frame::Image;

    #[test]
    fn still_round_trip_is_close() {
        for alpha in [false, true] {
            let frame = ramp(48, 32, alpha);
            let out = round_trip(&Image::still(frame.clone()), &opts(ImageFormat::WebP, 90));
            assert_eq!(out.frames().len(), 1);
            assert!(mean_diff(out.first(), &frame) < 4.0, "alpha={alpha}");
        }
    }

    #[cfg(feature = "webp-libwebp")]
    mod lossy {
        use super::super::super::tests::{mean_diff, opts, ramp, round_trip};
        use crate::format::ImageFormat;
        use crate::frame::{Frame, Image, LoopCount};

        #[test]
        fn quality_changes_the_size() {
            let image = Image::still(ramp(96, 64, false));
            let low = super::super::encode(&image, 10).unwrap();
            let high = super::super::encode(&image, 95).unwrap();
            assert!(low.len() < high.len());
            assert_eq!(&low[12..16], b"VP8 ");
        }

        #[test]
        fn animation_keeps_frames_delays_and_loop_count() {
            let colours = [[255, 0, 0, 255], [0, 0, 255, 255], [0, 255, 0, 128]];
            for loop_count in [
                LoopCount::Infinite,
                LoopCount::Finite(0),
                LoopCount::Finite(4),
            ] {
                let frames = colours
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| {
                        let mut f = Frame::filled(16, 12, c).unwrap();
                        f.delay_ms = 50 * (i as u32 + 1);
                        f
                    })
                    .collect();
                let image = Image::animation(frames, loop_count).unwrap();
                let out = round_trip(&image, &opts(ImageFormat::WebP, 80));
                assert_eq!(out.frames().len(), 3);
                assert_eq!(out.loop_count, loop_count);
                let delays: Vec<u32> = out.frames().iter().map(|f| f.delay_ms).collect();
                assert_eq!(delays, [50, 100, 150]);
                for (got, want) in out.frames().iter().zip(image.frames()) {
                    assert!(mean_diff(got, want) < 4.0);
                }
            }
        }
    }
}
