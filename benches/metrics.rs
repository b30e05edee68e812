//! Release benchmark of the metrics engine (run by `scripts/bench-metrics`,
//! or `cargo bench --bench metrics -- council|national`).
//!
//! Builds (once, under the target folder) a workspace from the sample
//! generator at the chosen scale, then times `metrics::compute` — every
//! metric, every group, every month — over repeated runs in one process,
//! and reports the median and the process's peak memory. Then, more
//! briefly, the board report's cases: whole service and service areas only
//! (`compute_kinds`), and every metric with the data-quality report from
//! one preparation (`quality::metrics_and_report`).

use keel::metrics::{GroupKind, compute, compute_kinds, quality};
use keel::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    keel::trace::memory_mb().map_or(f64::NAN, |(_, peak)| peak)
}

/// Median, min and max of the times of `runs` calls of `f`.
fn time(runs: usize, mut f: impl FnMut()) -> (f64, f64, f64) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], times[times.len() - 1])
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
    keel::tune_allocator();
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
        let inputs = ws.inputs().expect("load").expect("has snapshots");
        let load = t.elapsed().as_secs_f64();
        let rows = inputs.workforce.height();
        let limits = ws.settings().limits();
        let mut out_rows = 0;
        let (median, min, max) = time(runs, || {
            out_rows = compute(&inputs, limits).expect("compute").height();
        });
        println!(
            "{scale}: {rows} worker-month rows → {out_rows} metric rows; load {load:.3} s; compute median {median:.4} s (min {min:.4}, max {max:.4}, {runs} runs); peak memory {:.0} MB",
            peak_rss_mb()
        );
        let few = runs.min(3);
        let (median, ..) = time(few, || {
            compute_kinds(&inputs, limits, &[GroupKind::All, GroupKind::Service])
                .expect("compute_kinds");
        });
        println!("{scale}: all and service areas only: median {median:.4} s ({few} runs)");
        let kinds = [GroupKind::All, GroupKind::Service, GroupKind::Team];
        let (median, ..) = time(few, || {
            quality::metrics_and_report(&inputs, limits, &kinds, &ws.stored_warnings())
                .expect("metrics and report");
        });
        println!("{scale}: every metric and the quality report: median {median:.4} s ({few} runs)");
    }
}
