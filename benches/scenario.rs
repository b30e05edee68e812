//! Release benchmark of the scenario model (`cargo bench --bench scenario`):
//! 10,000 Monte Carlo runs × 60 months for a ~200-worker service (target
//! at most 1 s on 2 cores) and the deterministic path (target under 5 ms,
//! so it can follow a slider every frame). Prints medians.

use keel::scenario::calibrate::Observed;
use keel::scenario::levers::Levers;
use keel::scenario::model::{Plan, expected_path};
use keel::scenario::simulate::project;
use keel::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

/// A 200-worker sample council, generated once under the target folder.
fn workspace() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join("bench").join("scenario-council");
    let ws = dir.join("ws");
    if !Workspace::exists(&ws) {
        let data = dir.join("data");
        let opts = keel::sample::SampleOptions {
            workers: 200,
            months: 36,
            seed: 42,
            single_csv: false,
        };
        keel::sample::generate(&opts, &data).expect("generate sample data");
        let mut w = Workspace::open_or_create(&ws).expect("workspace");
        keel::first_run::import_folder(&mut w, &data).expect("import");
    }
    ws
}

fn median(mut t: Vec<f64>) -> f64 {
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() {
    let ws = Workspace::open(&workspace()).expect("open");
    let t = Instant::now();
    let cal = Observed::load(&ws)
        .and_then(|o| o.calibrate(None, None))
        .expect("calibrate");
    let calibrate_s = t.elapsed().as_secs_f64();
    let heads: f64 = keel::scenario::Cohort::ALL
        .iter()
        .map(|c| cal.start.heads(*c))
        .sum();
    let plan = Plan::new(&cal, &Levers::default(), 60).expect("plan");

    let det: Vec<f64> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(expected_path(std::hint::black_box(&plan)));
            t.elapsed().as_secs_f64()
        })
        .collect();
    let mc: Vec<f64> = (0..7)
        .map(|i| {
            let t = Instant::now();
            std::hint::black_box(project(&plan, 10_000, 42 + i).expect("project"));
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "scenario: {heads} workers at the start; calibrate {calibrate_s:.3} s; deterministic 60 months median {:.3} ms; Monte Carlo 10,000 runs × 60 months median {:.3} s ({} threads)",
        median(det) * 1e3,
        median(mc),
        rayon::current_num_threads()
    );
}
