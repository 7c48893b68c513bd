//! What a header says beyond the probe's facts: the TIFF directories of a TIFF file or an
//! embedded EXIF block, tag names, EXIF values as `info` writes them, and the resolution
//! a container states. Read by the probe, the decoder and the `info` action.

mod fields;
pub(crate) mod ifd;
mod orientation;
mod resolution;
pub(crate) mod tags;
mod values;

#[cfg(test)]
pub(crate) use fields::VALUE_BUDGET;
pub(crate) use fields::{exif_fields, RANK_THUMBNAIL};
pub(super) use orientation::{orientation, valid_orientation, EXIF_PREFIX};
pub(crate) use resolution::container_resolution;
