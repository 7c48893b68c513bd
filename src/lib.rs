//! ossimg: Alibaba Cloud OSS image processing (`x-oss-process=image/...`) in Rust.
#![forbid(unsafe_op_in_unsafe_fn)]

pub mod codec;
pub mod error;
pub mod frame;
pub mod limits;

pub use error::{Error, ErrorKind, Result};
pub use limits::Limits;
