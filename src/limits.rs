//! OSS limits as a value. Sources are checked from header facts ([`Probe`]) before a single
//! frame buffer exists; outputs are checked before they are allocated.

use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};

/// The heap cap of [`Limits::workers`]: the heap (the input the glue copied in included)
/// may grow the wasm memory by 96 MiB beyond what lies below it (static data and the 1 MiB
/// shadow stack: 1.3 MiB, the size of a fresh instance). The JS copies of input and output
/// live in the JS heap, outside it.
const WORKERS_HEAP_BUDGET: usize = 96 * 1024 * 1024;

/// Bounds on what one `process` call may read, allocate and produce.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted source object in bytes.
    pub max_source_bytes: usize,
    /// Longest accepted source side in pixels.
    pub max_source_side: u32,
    /// Most source pixels, counting every frame of an animation (OSS's rule, whatever
    /// the output).
    pub max_source_pixels: u64,
    /// Most pixels decoded at once: the frames a call decodes (all of a kept animation,
    /// else one). What bounds memory; [`Limits::admit`] checks it.
    pub max_decoded_pixels: u64,
    /// Longest TIFF side (OSS decodes TIFF only up to 16,384 px).
    pub max_tiff_side: u32,
    /// Longest AVIF side OSS decodes.
    pub max_avif_side: u32,
    /// Longest source side for `rotate` and an explicit `auto-orient,1`.
    pub max_rotate_side: u32,
    /// Longest side of any image the pipeline produces.
    pub max_output_side: u32,
    /// Most pixels of any image the pipeline produces (per frame).
    pub max_output_pixels: u64,
    /// Longest side WebP can store (14-bit fields).
    pub max_webp_side: u32,
    /// Most bytes the decoders may allocate for one source.
    pub max_decode_alloc: u64,
    /// Most bytes the heap may take from wasm memory during one call of the wasm build
    /// (input copy included, static data and stack not); an allocation that would grow the
    /// memory past it is refused and the call fails as over the engine budget
    /// (`alloc_budget.rs`). `None`: no cap. Native builds ignore it.
    pub memory_budget: Option<usize>,
}

impl Limits {
    /// The limits Alibaba Cloud OSS documents.
    pub fn oss() -> Self {
        Limits {
            max_source_bytes: 20 * 1024 * 1024,
            max_source_side: 30_000,
            max_source_pixels: 250_000_000,
            max_decoded_pixels: 250_000_000,
            max_tiff_side: 16_384,
            max_avif_side: 10_000,
            max_rotate_side: 4_096,
            max_output_side: 16_384,
            max_output_pixels: 16_777_216,
            max_webp_side: 16_383,
            // RGBA8 of the largest source plus the decoder's working copy.
            max_decode_alloc: 2 * 4 * 250_000_000,
            memory_budget: None,
        }
    }

    /// Tighter limits for a 128 MB Cloudflare Worker isolate. Actions hold the source frame
    /// and a full-size result at once (a quarter turn, an enlarging resize), so what is
    /// decoded (one frame, or all frames of a kept animation) and what is produced are
    /// capped at 12,288,000 px (4096×3000, 47 MiB of RGBA8; 12 MP phone photos fit):
    /// two frames fit 96 MiB. Some full-size encoders need more (tests/limits.rs): in the
    /// wasm build `memory_budget` caps the heap's memory exactly, and such calls fail as over
    /// the engine budget instead of growing the instance past 96 MiB.
    pub fn workers() -> Self {
        Limits {
            max_decoded_pixels: 12_288_000,
            max_output_pixels: 12_288_000,
            max_decode_alloc: 96 * 1024 * 1024,
            memory_budget: Some(WORKERS_HEAP_BUDGET),
            ..Limits::oss()
        }
    }

    /// Source size in bytes, before anything else is read.
    pub fn check_source_bytes(&self, len: usize) -> Result<()> {
        if len > self.max_source_bytes {
            return Err(Error::too_large(
                Some("0040-00000001"),
                format!(
                    "The source image is {len} bytes; the limit is {} bytes.",
                    self.max_source_bytes
                ),
            ));
        }
        Ok(())
    }

    /// Header facts of the source: sides and total pixels (all frames).
    pub fn check_source(&self, probe: &Probe) -> Result<()> {
        let (w, h) = (probe.width, probe.height);
        if w == 0 || h == 0 {
            return Err(Error::corrupt("the image declares a zero width or height"));
        }
        let side_ec = match probe.format {
            ImageFormat::Jpeg => "0040-00000019",
            ImageFormat::Bmp => "0040-00000017",
            ImageFormat::Tiff => "0040-00000018",
            ImageFormat::Heic => "0040-00000013",
            ImageFormat::Avif => "0040-00000014",
            _ => "0040-00000009",
        };
        let max_side = match probe.format {
            ImageFormat::Tiff => self.max_tiff_side.min(self.max_source_side),
            ImageFormat::Avif => self.max_avif_side.min(self.max_source_side),
            _ => self.max_source_side,
        };
        if w > max_side || h > max_side {
            return Err(Error::too_large(
                Some(side_ec),
                format!("The source image is {w}x{h}; each side must be at most {max_side} px."),
            ));
        }
        let pixels = u64::from(w) * u64::from(h) * u64::from(probe.frames.max(1));
        if pixels > self.max_source_pixels {
            return Err(Error::too_large(
                Some("0040-00000012"),
                format!(
                    "decode error: exceeds total pixels ({pixels} > {}).",
                    self.max_source_pixels
                ),
            ));
        }
        Ok(())
    }

    /// Decides from the header whether a source may be decoded, `frames` of its frames at
    /// once: sides and total pixels ([`Limits::check_source`]), then the pixels and RGBA
    /// bytes of those frames against the decode budget. The one gate before any pixel is allocated: a
    /// decoder takes the [`Admission`] it returns.
    pub fn admit(&self, probe: &Probe, frames: u32) -> Result<Admission> {
        self.check_source(probe)?;
        let decoded = u64::from(probe.width) * u64::from(probe.height) * u64::from(frames);
        if decoded > self.max_decoded_pixels {
            return Err(Error::too_large(
                Some("0040-00000012"),
                format!(
                    "decode error: exceeds total pixels ({decoded} > {}).",
                    self.max_decoded_pixels
                ),
            ));
        }
        let decode_bytes =
            self.check_frames_alloc("decoding", probe.width, probe.height, frames)?;
        Ok(Admission {
            frames,
            decode_bytes,
        })
    }

    /// The size of an image an action or the encoder is about to produce.
    pub fn check_output(&self, width: u32, height: u32) -> Result<()> {
        let pixels = u64::from(width) * u64::from(height);
        if width > self.max_output_side
            || height > self.max_output_side
            || pixels > self.max_output_pixels
        {
            return Err(Error::invalid(
                Some("0040-00000007"),
                format!(
                    "The result {width}x{height} exceeds the output limits ({} px per side, {} px in all).",
                    self.max_output_side, self.max_output_pixels
                ),
            ));
        }
        Ok(())
    }

    /// The source of a rotation (`rotate`, explicit `auto-orient,1`).
    pub fn check_rotate_source(&self, width: u32, height: u32) -> Result<()> {
        if width > self.max_rotate_side || height > self.max_rotate_side {
            return Err(Error::bad_request(
                Some("0040-00000006"),
                "Picture exceed the maximum allowable rotation range.",
            ));
        }
        Ok(())
    }

    /// `frames` RGBA8 frames of `width×height` must fit the decode budget together;
    /// returns their size in bytes. `doing` names the work in the message.
    pub fn check_frames_alloc(
        &self,
        doing: &str,
        width: u32,
        height: u32,
        frames: u32,
    ) -> Result<u64> {
        crate::frame::rgba_len(width, height)
            .ok()
            .and_then(|bytes| u64::try_from(bytes).ok())
            .and_then(|bytes| bytes.checked_mul(u64::from(frames)))
            .filter(|&total| total <= self.max_decode_alloc)
            .ok_or_else(|| {
                Error::too_large(
                    None,
                    format!(
                        "{doing} {frames} frame(s) of {width}x{height} exceeds the memory budget of {} bytes.",
                        self.max_decode_alloc
                    ),
                )
            })
    }

    /// AVIF output: at most 4096 × 2304 px (spec/README.md §5.2, format.md), read as a long
    /// side ≤ 4096 and a short side ≤ 2304, so a portrait picture of the same size passes
    /// as its landscape twin does. OSS publishes only "4096 × 2304"; the limit is a 16:9 4K
    /// frame's pixel budget (what an AV1 level 5 decoder is sized for), and refusing the
    /// same picture turned upright would break the most common phone output for no gain.
    pub fn check_avif_output(&self, width: u32, height: u32) -> Result<()> {
        const LONG: u32 = 4096;
        const SHORT: u32 = 2304;
        if width.max(height) > LONG || width.min(height) > SHORT {
            return Err(Error::bad_request(
                Some("0040-00000014"),
                format!("Maximum width and height allowed is {LONG}x{SHORT} pixels for converting avif."),
            ));
        }
        Ok(())
    }

    /// WebP can only store sides up to 16,383 px.
    pub fn check_webp_output(&self, width: u32, height: u32) -> Result<()> {
        if width > self.max_webp_side || height > self.max_webp_side {
            return Err(Error::bad_request(
                Some("0040-00000011"),
                format!(
                    "Maximum width and height allowed is {} pixels for converting webp.",
                    self.max_webp_side
                ),
            ));
        }
        Ok(())
    }
}

/// A source let through by [`Limits::admit`]: how many frames are decoded and the RGBA
/// bytes they may take together. Only `admit` makes one, so holding one proves the checks ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admission {
    frames: u32,
    decode_bytes: u64,
}

impl Admission {
    /// An answer that reads only the header (`info`): nothing is decoded.
    pub(crate) const HEADER_ONLY: Admission = Admission {
        frames: 0,
        decode_bytes: 0,
    };

    /// Frames to decode: 1 for a still result, all of them for a kept animation.
    pub fn frames(&self) -> u32 {
        self.frames
    }

    /// The RGBA bytes the decoded frames may take together.
    pub fn decode_bytes(&self) -> u64 {
        self.decode_bytes
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::oss()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(format: ImageFormat, width: u32, height: u32, frames: u32) -> Probe {
        Probe {
            format,
            width,
            height,
            frames,
            orientation: 1,
            has_alpha: false,
        }
    }

    #[test]
    fn source_side_limit_uses_the_format_ec() {
        let l = Limits::oss();
        assert!(l
            .check_source(&probe(ImageFormat::Png, 30_000, 1, 1))
            .is_ok());
        let e = l
            .check_source(&probe(ImageFormat::Png, 30_001, 1, 1))
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000009"));
        let e = l
            .check_source(&probe(ImageFormat::Jpeg, 1, 30_001, 1))
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000019"));
        let e = l
            .check_source(&probe(ImageFormat::Tiff, 16_385, 1, 1))
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000018"));
    }

    #[test]
    fn frames_count_towards_total_pixels() {
        let l = Limits::oss();
        assert!(l
            .check_source(&probe(ImageFormat::Gif, 10_000, 10_000, 2))
            .is_ok());
        let e = l
            .check_source(&probe(ImageFormat::Gif, 10_000, 10_000, 3))
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000012"));
        assert_eq!(e.code(), "ImageTooLarge");
    }

    #[test]
    fn output_limits() {
        let l = Limits::oss();
        assert!(l.check_output(16_384, 1_024).is_ok());
        assert!(l.check_output(4_096, 4_096).is_ok());
        assert_eq!(
            l.check_output(16_385, 1).unwrap_err().ec(),
            Some("0040-00000007")
        );
        assert_eq!(
            l.check_output(5_000, 5_000).unwrap_err().ec(),
            Some("0040-00000007")
        );
        assert!(l.check_webp_output(16_383, 100).is_ok());
        assert_eq!(
            l.check_webp_output(16_384, 100).unwrap_err().ec(),
            Some("0040-00000011")
        );
    }
}
