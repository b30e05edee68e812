//! The workspace-derived data the views show, built off the UI thread.
//!
//! The metrics DataFrame is turned into a plain lookup table
//! ([`MetricTable`]) once per load so that drawing a frame never touches
//! polars.

use crate::metrics::GroupKind;
use crate::metrics::quality::Finding;
pub use crate::metrics::table::MetricTable;
use crate::month::Month;
use crate::settings::Settings;
use crate::workspace::{ImportRecord, Workspace};
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

/// What one load of the workspace produced.
pub struct Model {
    pub root: PathBuf,
    /// True while every active import is one of the bundled sample files.
    pub sample: bool,
    pub settings: Settings,
    pub imports: Vec<ImportRecord>,
    pub metrics: MetricTable,
    pub findings: Vec<Finding>,
    pub benchmarks_held: Vec<crate::workspace::manifest::BenchmarkRecord>,
    /// The latest DfE indicators and neighbours imported, if any.
    pub benchmark_data: Option<(DataFrame, Option<DataFrame>)>,
}

impl Model {
    pub fn latest_month(&self) -> Option<Month> {
        self.metrics.months.last().copied()
    }

    pub fn findings_for(&self, month: Month) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.month.is_none_or(|m| m == month))
    }

    pub fn can_undo(&self) -> bool {
        self.imports.iter().any(|r| r.is_active())
    }
}

/// Hashes of the bundled sample files, to recognise a sample workspace on
/// every run and not only the first.
fn sample_hashes() -> Vec<String> {
    let Some(dir) = crate::first_run::bundled_sample_dir() else {
        return Vec::new();
    };
    crate::first_run::extract_files(&dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| crate::extract::file_hash(p).ok())
        .collect()
}

/// Open (or on first run create) the workspace and compute everything the
/// views need. Runs on a background thread.
pub fn load(root: &Path, first_run: bool) -> Result<Model, String> {
    let (ws, started_with_sample) = if first_run {
        crate::first_run::open_or_start(root).map_err(|e| e.to_string())?
    } else {
        (Workspace::open(root).map_err(|e| e.to_string())?, false)
    };
    let mut active = ws.manifest().active().peekable();
    let sample = started_with_sample
        || (active.peek().is_some() && {
            let known = sample_hashes();
            active.all(|r| known.contains(&r.file_hash))
        });
    let inputs = ws.inputs().map_err(|e| e.to_string())?;
    let limits = ws.settings().limits();
    let (metrics, findings) = match inputs {
        None => (MetricTable::default(), Vec::new()),
        Some(inputs) => {
            // One preparation of the inputs serves both.
            let every = [GroupKind::All, GroupKind::Service, GroupKind::Team];
            let (df, findings) = crate::metrics::quality::metrics_and_report(
                &inputs,
                limits,
                &every,
                &ws.stored_warnings(),
            )
            .map_err(|e| format!("cannot compute the metrics: {e}"))?;
            let table = MetricTable::from_frame(&df)
                .map_err(|e| format!("cannot read the metrics: {e}"))?;
            (table, findings)
        }
    };
    use crate::benchmark::SourceKind;
    let indicators = ws
        .load_benchmark(SourceKind::Indicators)
        .map_err(|e| e.to_string())?;
    let benchmark_data = match indicators {
        Some(ind) => Some((
            ind,
            ws.load_benchmark(SourceKind::Neighbours)
                .map_err(|e| e.to_string())?,
        )),
        None => None,
    };
    Ok(Model {
        benchmarks_held: ws.manifest().benchmarks.clone(),
        benchmark_data,
        root: root.to_path_buf(),
        sample,
        settings: ws.settings().clone(),
        imports: ws.manifest().imports.clone(),
        metrics,
        findings,
    })
}
