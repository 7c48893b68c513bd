//! Native timing of one `process` call: median of 7 runs after a warm-up.
//!
//! `cargo bench --bench process -- [image] [spec]`; defaults to the 12 MP corpus photo and
//! `image/resize,w_300/quality,Q_85`. Speed comparisons against the peers live with the
//! speed issue; this is the reproducible figure for the closing note.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let path = args.first().cloned().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/photos/nexus6p_4032x3024.jpg"
        )
        .to_string()
    });
    let spec = args
        .get(1)
        .map_or("image/resize,w_300/quality,Q_85", String::as_str);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e} (pass an image path)");
            std::process::exit(1);
        }
    };
    // Text watermarks draw with the default fonts that scripts/fonts.sh builds.
    let mut options = ossimg::Options::default();
    for key in ["wqy-microhei", "dejavu-sans"] {
        let font = format!("{}/www/fonts/{key}.ttf", env!("CARGO_MANIFEST_DIR"));
        if let Ok(font) = std::fs::read(font) {
            options.fonts.insert(key.to_owned(), font);
        }
    }
    let run = || ossimg::process_with(&bytes, spec, &options).map(|_| ());
    if let Err(e) = run() {
        eprintln!("{spec}: {e}");
        std::process::exit(1);
    }
    let mut ms: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let _ = run();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "native {path} {spec}: median {:.1} ms (min {:.1}, max {:.1}, n=7)",
        ms[3], ms[0], ms[6]
    );
}
