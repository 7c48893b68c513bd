//! What a header says beyond the probe's facts: the TIFF directories of a TIFF file or an
//! embedded EXIF block, tag names, EXIF values as `info` writes them, and the resolution
//! a container states.
//!
//! `ifd`, `tags` and `orientation` sit below the probe and the decoder, which read single
//! values from them. `fields` and `resolution` serve the `info` action and sit above the
//! probe: they find their blocks with its container walkers (WebP chunks, PNG chunks).

mod fields;
pub(crate) mod ifd;
pub(crate) mod orientation;
mod resolution;
pub(crate) mod tags;
mod values;

#[cfg(test)]
pub(crate) use fields::VALUE_BUDGET;
pub(crate) use fields::{exif_fields, RANK_THUMBNAIL};
pub(crate) use resolution::container_resolution;
