//! The workspace-derived data the views show, built off the UI thread.
//!
//! The metrics DataFrame is turned into a plain lookup table once per load
//! so that drawing a frame never touches polars.

use super::state::Group;
use crate::metrics::quality::Finding;
use crate::metrics::{GroupKind, METRICS};
use crate::month::Month;
use crate::settings::Settings;
use crate::workspace::{ImportRecord, Workspace};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every metric for every (month, group), as `compute` returned it.
#[derive(Default, Debug)]
pub struct MetricTable {
    values: BTreeMap<(Month, Group), Vec<Option<f64>>>,
    pub months: Vec<Month>,
    pub groups: Vec<Group>,
}

fn metric_index(metric: &str) -> Option<usize> {
    METRICS.iter().position(|m| *m == metric)
}

fn group_kind(name: &str) -> Option<GroupKind> {
    [GroupKind::All, GroupKind::Service, GroupKind::Team]
        .into_iter()
        .find(|k| k.name() == name)
}

impl MetricTable {
    pub fn from_frame(df: &DataFrame) -> PolarsResult<MetricTable> {
        let month = df.column("month")?.str()?.clone();
        let kind = df.column("group_kind")?.str()?.clone();
        let group = df.column("group")?.str()?.clone();
        let cols: Vec<Float64Chunked> = METRICS
            .iter()
            .map(|m| Ok(df.column(m)?.cast(&DataType::Float64)?.f64()?.clone()))
            .collect::<PolarsResult<_>>()?;
        let mut t = MetricTable::default();
        for i in 0..df.height() {
            let (Some(m), Some(k), Some(g)) = (month.get(i), kind.get(i), group.get(i)) else {
                continue;
            };
            let (Ok(m), Some(k)) = (m.parse::<Month>(), group_kind(k)) else {
                continue;
            };
            let key = Group {
                kind: k,
                name: g.to_string(),
            };
            let row = cols.iter().map(|c| c.get(i)).collect();
            t.values.insert((m, key), row);
        }
        let mut months: Vec<Month> = t.values.keys().map(|(m, _)| *m).collect();
        months.dedup();
        let mut groups: Vec<Group> = t.values.keys().map(|(_, g)| g.clone()).collect();
        groups.sort();
        groups.dedup();
        t.months = months;
        t.groups = groups;
        Ok(t)
    }

    pub fn get(&self, month: Month, group: &Group, metric: &str) -> Option<f64> {
        let i = metric_index(metric)?;
        self.values
            .get(&(month, group.clone()))?
            .get(i)
            .copied()
            .flatten()
    }

    /// Whether the table has a row for this month and group at all (a null
    /// in a row that exists means "not computable", not "no data").
    pub fn has(&self, month: Month, group: &Group) -> bool {
        self.values.contains_key(&(month, group.clone()))
    }

    /// (month, value) for one group and metric, nulls left out.
    pub fn series(&self, group: &Group, metric: &str) -> Vec<(Month, f64)> {
        self.months
            .iter()
            .filter_map(|m| Some((*m, self.get(*m, group, metric)?)))
            .collect()
    }
}

/// What one load of the workspace produced.
pub struct Model {
    pub root: PathBuf,
    /// True while every active import is one of the bundled sample files.
    pub sample: bool,
    pub settings: Settings,
    pub imports: Vec<ImportRecord>,
    pub metrics: MetricTable,
    pub findings: Vec<Finding>,
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
    let inputs = crate::metrics::Inputs::from_workspace(&ws).map_err(|e| e.to_string())?;
    let limits = ws.settings().limits();
    let (metrics, findings) = match inputs {
        None => (MetricTable::default(), Vec::new()),
        Some(inputs) => {
            let df = crate::metrics::compute(&inputs, limits)
                .map_err(|e| format!("cannot compute the metrics: {e}"))?;
            let table = MetricTable::from_frame(&df)
                .map_err(|e| format!("cannot read the metrics: {e}"))?;
            let findings = crate::metrics::quality::report_for_workspace(&ws, &inputs, limits)
                .map_err(|e| format!("cannot build the data-quality report: {e}"))?;
            (table, findings)
        }
    };
    Ok(Model {
        root: root.to_path_buf(),
        sample,
        settings: ws.settings().clone(),
        imports: ws.manifest().imports.clone(),
        metrics,
        findings,
    })
}
