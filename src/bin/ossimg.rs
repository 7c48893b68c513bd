//! Native command line on the same core as the wasm module.
//!
//! ```text
//! ossimg <input> <spec> [-o <output>]      process one file
//! ossimg batch <dir> <spec> -o <outdir>    process every file of a folder (progress, summary)
//! ossimg probe <input>                     print header facts without decoding
//! ```
//!
//! In a batch, a source over an OSS limit (`ImageTooLarge`) is copied unchanged, as the
//! hosts serve the original (`x-ossimg-fallback`), and counted as a fallback.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ossimg::{ErrorKind, Options, Output, Pipeline};

const USAGE: &str = "usage: ossimg <input> <spec> [-o <output>]
       ossimg batch <dir> <spec> -o <outdir>
       ossimg probe <input>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, input] if cmd == "probe" => probe(Path::new(input)),
        [cmd, dir, spec, flag, out] if cmd == "batch" && flag == "-o" => {
            batch(Path::new(dir), spec, Path::new(out))
        }
        [input, spec, flag, out] if flag == "-o" && Path::new(input).is_dir() => {
            batch(Path::new(input), spec, Path::new(out))
        }
        [input, spec] => single(Path::new(input), spec, None),
        [input, spec, flag, out] if flag == "-o" => {
            single(Path::new(input), spec, Some(Path::new(out)))
        }
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn probe(input: &Path) -> Result<(), String> {
    let bytes = read(input)?;
    let p = ossimg::probe(&bytes).map_err(|e| e.to_string())?;
    println!(
        "{}: {} {}x{}, {} frame(s), orientation {}, alpha {}",
        input.display(),
        p.format.name(),
        p.width,
        p.height,
        p.frames,
        p.orientation,
        p.has_alpha
    );
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, data: &[u8]) -> Result<(), String> {
    std::fs::write(path, data).map_err(|e| format!("{}: {e}", path.display()))
}

/// One file; without `-o` the result goes beside the input as `<name>.out.<ext>`.
fn single(input: &Path, spec: &str, out: Option<&Path>) -> Result<(), String> {
    let options = Options::default();
    let pipeline = Pipeline::parse(spec, &options).map_err(|e| e.to_string())?;
    let bytes = read(input)?;
    let start = Instant::now();
    let output = ossimg::run(&bytes, &pipeline, &options)
        .map_err(|e| format!("{}: {e}", input.display()))?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let out = match out {
        Some(o) => o.to_path_buf(),
        None => input.with_extension(format!("out.{}", extension(&output))),
    };
    write(&out, data(&output, &bytes))?;
    eprintln!(
        "{} -> {}: {} in {ms:.1} ms",
        input.display(),
        out.display(),
        summary(&output)
    );
    Ok(())
}

/// The bytes to store for `output` (`source` for the original).
fn data<'a>(output: &'a Output, source: &'a [u8]) -> &'a [u8] {
    match output {
        Output::Image { bytes, .. } => bytes,
        Output::Json(json) => json.as_bytes(),
        Output::Original => source,
    }
}

/// The file extension of `output`; the original keeps "bin" (the caller knows better).
fn extension(output: &Output) -> &'static str {
    match output {
        Output::Image { format, .. } => format.name(),
        Output::Json(_) => "json",
        Output::Original => "bin",
    }
}

fn summary(output: &Output) -> String {
    match output {
        Output::Image {
            bytes,
            format,
            width,
            height,
            frames,
        } => format!(
            "{} {width}x{height}, {frames} frame(s), {} bytes",
            format.name(),
            bytes.len()
        ),
        Output::Json(_) => "JSON".to_string(),
        Output::Original => "original".to_string(),
    }
}

/// What became of one file of a batch.
enum Outcome {
    Done,
    /// Over an OSS limit: the original was copied; the reason.
    Fallback(String),
    Failed(String),
}

/// Every regular file of `dir` (not recursive, sorted), each into `out_dir` under its
/// stem with the extension of its output format.
fn batch(dir: &Path, spec: &str, out_dir: &Path) -> Result<(), String> {
    let options = Options::default();
    let pipeline = Pipeline::parse(spec, &options).map_err(|e| e.to_string())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;

    let mut progress = Progress::new(files.len());
    let started = Instant::now();
    let mut done = 0usize;
    let mut fallbacks = Vec::new();
    let mut failures = Vec::new();
    for (i, path) in files.iter().enumerate() {
        let name = path.file_name().map(PathBuf::from).unwrap_or_default();
        progress.show(i, &name);
        match batch_one(path, &name, &pipeline, &options, out_dir) {
            Outcome::Done => done += 1,
            Outcome::Fallback(reason) => fallbacks.push((name, reason)),
            Outcome::Failed(reason) => failures.push((name, reason)),
        }
    }
    progress.show(files.len(), Path::new(""));
    progress.finish();

    eprintln!(
        "{done} done, {} fallback (original copied), {} failed, of {} file(s) in {:.1} s",
        fallbacks.len(),
        failures.len(),
        files.len(),
        started.elapsed().as_secs_f64()
    );
    for (name, reason) in &fallbacks {
        eprintln!("  fallback {}: {reason}", name.display());
    }
    for (name, reason) in &failures {
        eprintln!("  failed   {}: {reason}", name.display());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("{} file(s) failed", failures.len()))
    }
}

fn batch_one(
    path: &Path,
    name: &Path,
    pipeline: &Pipeline,
    options: &Options,
    out_dir: &Path,
) -> Outcome {
    let bytes = match read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Outcome::Failed(e),
    };
    let (output, fallback) = match ossimg::run(&bytes, pipeline, options) {
        Ok(output) => (output, None),
        Err(e) if e.kind() == ErrorKind::ImageTooLarge => (Output::Original, Some(e.to_string())),
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let out = match output {
        Output::Original => out_dir.join(name),
        _ => out_dir.join(name).with_extension(extension(&output)),
    };
    match (write(&out, data(&output, &bytes)), fallback) {
        (Err(e), _) => Outcome::Failed(e),
        (Ok(()), Some(reason)) => Outcome::Fallback(reason),
        (Ok(()), None) => Outcome::Done,
    }
}

/// A one-line progress bar on a terminal; one line per file otherwise (logs, CI).
struct Progress {
    total: usize,
    terminal: bool,
}

impl Progress {
    const WIDTH: usize = 30;

    fn new(total: usize) -> Self {
        Progress {
            total,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn show(&mut self, current: usize, name: &Path) {
        let total = self.total.max(1);
        if self.terminal {
            let filled = Self::WIDTH * current.min(total) / total;
            let bar = format!("{}{}", "#".repeat(filled), ".".repeat(Self::WIDTH - filled));
            let label: String = name.display().to_string().chars().take(40).collect();
            eprint!("\r[{bar}] {current}/{} {label:<40}", self.total);
            let _ = std::io::stderr().flush();
        } else if current < self.total {
            eprintln!("[{}/{}] {}", current + 1, self.total, name.display());
        }
    }

    fn finish(&mut self) {
        if self.terminal {
            eprintln!();
        }
    }
}
