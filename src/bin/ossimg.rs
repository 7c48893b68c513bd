//! Native command line on the same core as the wasm module.
//!
//! ```text
//! ossimg <input> <spec> [-o <output>]   process a file (or every file of a folder)
//! ossimg probe <input>                  print header facts without decoding
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ossimg::{Options, Output, Pipeline};

const USAGE: &str = "usage: ossimg <input> <spec> [-o <output>]\n       ossimg probe <input>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, input] if cmd == "probe" => probe(Path::new(input)),
        [input, spec] => run(Path::new(input), spec, None),
        [input, spec, flag, out] if flag == "-o" => {
            run(Path::new(input), spec, Some(Path::new(out)))
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
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
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

fn run(input: &Path, spec: &str, out: Option<&Path>) -> Result<(), String> {
    let options = Options::default();
    let pipeline = Pipeline::parse(spec, &options).map_err(|e| e.to_string())?;
    if input.is_dir() {
        let out_dir = out.ok_or("processing a folder needs -o <folder>")?;
        std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
        let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
            .map_err(|e| format!("{}: {e}", input.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        let total = entries.len();
        let mut failed = 0;
        for (i, path) in entries.iter().enumerate() {
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            eprint!("[{}/{total}] ", i + 1);
            if let Err(e) = process_file(path, &pipeline, &options, &out_dir.join(name)) {
                eprintln!("{e}");
                failed += 1;
            }
        }
        eprintln!("{} processed, {failed} failed", total - failed);
        return if failed == 0 {
            Ok(())
        } else {
            Err(format!("{failed} file(s) failed"))
        };
    }
    let default_out;
    let out = match out {
        Some(o) => o,
        None => {
            default_out = input.with_extension(format!("out.{}", extension_hint(&pipeline, input)));
            &default_out
        }
    };
    process_file(input, &pipeline, &options, out)
}

/// The output extension when no `-o` is given.
fn extension_hint(pipeline: &Pipeline, input: &Path) -> &'static str {
    let source = std::fs::read(input)
        .ok()
        .and_then(|b| ossimg::probe(&b).ok())
        .map(|p| p.format);
    match (source, pipeline.format.as_ref()) {
        (Some(src), _) => pipeline.output_format(src).name(),
        (None, Some(f)) => f.target.name(),
        (None, None) => "bin",
    }
}

fn process_file(
    input: &Path,
    pipeline: &Pipeline,
    options: &Options,
    out: &Path,
) -> Result<(), String> {
    let bytes = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let start = Instant::now();
    let output =
        ossimg::run(&bytes, pipeline, options).map_err(|e| format!("{}: {e}", input.display()))?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let (data, summary) = match &output {
        Output::Image {
            bytes,
            format,
            width,
            height,
            frames,
        } => (
            bytes.as_slice(),
            format!(
                "{} {width}x{height}, {frames} frame(s), {} bytes",
                format.name(),
                bytes.len()
            ),
        ),
        Output::Json(json) => (json.as_bytes(), "JSON".to_string()),
        Output::Original => (bytes.as_slice(), "original".to_string()),
    };
    std::fs::write(out, data).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "{} -> {}: {summary} in {ms:.1} ms",
        input.display(),
        out.display()
    );
    Ok(())
}
