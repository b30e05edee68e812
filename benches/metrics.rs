//! Release benchmark of the metrics engine (run by `scripts/bench-metrics`,
//! or `cargo bench --bench metrics -- council|national`).
//!
//! Builds (once, under the target folder) a workspace from the sample
//! generator at the chosen scale, then times `metrics::compute` — every
//! metric, every group, every month — over repeated runs in one process,
//! and reports the median and the process's peak memory.

use keel::metrics::{Inputs, compute};
use keel::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn workspace(scale: &str, workers: usize, months: usize) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join("bench").join(scale);
    let ws = dir.join("ws");
    if !Workspace::exists(&ws) {
        let data = dir.join("data");
        let t = Instant::now();
        let opts = keel::sample::SampleOptions {
            workers,
            months,
            seed: 42,
            single_csv: workers > 1000,
        };
        keel::sample::generate(&opts, &data).expect("generate sample data");
        let mut w = Workspace::open_or_create(&ws).expect("workspace");
        keel::first_run::import_folder(&mut w, &data).expect("import");
        eprintln!(
            "{scale}: made and imported {workers} workers × {months} months in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    ws
}

fn main() {
    let which: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let scales = [
        ("council", 200usize, 60usize, 30usize),
        ("national", 35_000, 120, 5),
    ];
    for (scale, workers, months, runs) in scales {
        if !which.is_empty() && !which.iter().any(|w| w == scale) {
            continue;
        }
        let ws = Workspace::open(&workspace(scale, workers, months)).expect("open");
        let t = Instant::now();
        let inputs = Inputs::from_workspace(&ws)
            .expect("load")
            .expect("has snapshots");
        let load = t.elapsed().as_secs_f64();
        let rows = inputs.workforce.height();
        let mut times = Vec::new();
        let mut out_rows = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let df = compute(&inputs, ws.settings().limits()).expect("compute");
            times.push(t.elapsed().as_secs_f64());
            out_rows = df.height();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{scale}: {rows} worker-month rows → {out_rows} metric rows; load {load:.3} s; compute median {:.4} s (min {:.4}, max {:.4}, {runs} runs); peak memory {:.0} MB",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1],
            peak_rss_mb()
        );
    }
}
