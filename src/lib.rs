//! ossimg: Alibaba Cloud OSS image processing (`x-oss-process=image/...`) in Rust, for
//! WebAssembly hosts (browsers, Web Workers, Cloudflare Workers, Node) and native use.
//!
//! ```no_run
//! let jpeg = std::fs::read("photo.jpg").unwrap();
//! match ossimg::process(&jpeg, "image/resize,w_300/quality,q_90") {
//!     Ok(ossimg::Output::Image { bytes, width, height, .. }) => println!("{width}x{height}, {} bytes", bytes.len()),
//!     Ok(other) => println!("{other:?}"),
//!     Err(e) => eprintln!("{} {}: {}", e.status(), e.code(), e.message()),
//! }
//! ```
//!
//! The library does no I/O: bytes and a spec in, bytes (or JSON) out. Limits are checked
//! from the header before pixels are allocated; errors carry the OSS `Code`, HTTP status
//! and EC.
#![forbid(unsafe_op_in_unsafe_fn)]

#[cfg(target_arch = "wasm32")]
mod alloc_budget;
pub mod codec;
pub mod error;
pub mod format;
pub mod frame;
pub mod limits;
pub mod ops;
pub mod options;
pub mod pipeline;
pub mod spec;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorKind, Result};
pub use format::{ImageFormat, Probe};
pub use limits::{Admission, Limits};
pub use options::{ObjectResolver, Options};
pub use pipeline::{Output, Pipeline};
pub use spec::styles::split_style_delimiter;

/// Processes `input` with `spec` under the OSS limits and default options.
pub fn process(input: &[u8], spec: &str) -> Result<Output> {
    process_with(input, spec, &Options::default())
}

/// Processes `input` with `spec` and explicit options. An empty spec returns
/// [`Output::Original`] (OSS serves the object untouched without `x-oss-process`).
pub fn process_with(input: &[u8], spec: &str, options: &Options) -> Result<Output> {
    if asks_for_nothing(spec) {
        return Ok(Output::Original);
    }
    let pipeline = Pipeline::parse(spec, options)?;
    run(input, &pipeline, options)
}

/// True for an empty spec: OSS serves the object untouched when there is no processing.
pub fn asks_for_nothing(spec: &str) -> bool {
    spec.is_empty() || spec == "x-oss-process="
}

/// Runs an already parsed pipeline on `input`.
pub fn run(input: &[u8], pipeline: &Pipeline, options: &Options) -> Result<Output> {
    options.limits.check_source_bytes(input.len())?;
    let probe = codec::probe(input)?;
    pipeline.run(input, &probe, options)
}

/// Processes raw RGBA pixels (`width` × `height` × 4 bytes, e.g. a canvas's `ImageData`)
/// with `spec`, without decoding: they are admitted like a still PNG source of that size
/// ([`Pipeline::run_pixels`]) and the output is PNG unless the spec says otherwise; an
/// empty spec encodes them as PNG. `info` is refused (there is no file to describe).
pub fn process_pixels(
    rgba: Vec<u8>,
    width: u32,
    height: u32,
    spec: &str,
    options: &Options,
) -> Result<Output> {
    pixels_pipeline(spec, options)?.run_pixels(width, height, rgba, options)
}

/// The error [`process_pixels`] would refuse `width` × `height` pixels with (limits), from
/// the size alone: hosts ask it before they copy the pixels in.
pub fn check_pixels(width: u32, height: u32, spec: &str, options: &Options) -> Result<()> {
    pixels_pipeline(spec, options)?
        .admit(&Pipeline::pixels_probe(width, height), options)
        .map(|_| ())
}

fn pixels_pipeline(spec: &str, options: &Options) -> Result<Pipeline> {
    Pipeline::parse(
        if asks_for_nothing(spec) {
            "image/format,png"
        } else {
            spec
        },
        options,
    )
}

/// Header facts of `input` without decoding pixels; hosts use it to decide whether to
/// serve the original instead (limits) before calling [`process`].
pub fn probe(input: &[u8]) -> Result<Probe> {
    codec::probe(input)
}
