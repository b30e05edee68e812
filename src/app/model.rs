//! The workspace-derived data the views show, built off the UI thread.
//!
//! The metrics DataFrame is turned into a plain lookup table
//! ([`MetricTable`]) once per load so that drawing a frame never touches
//! polars.

use crate::metrics::GroupKind;
use crate::metrics::quality::Finding;
pub use crate::metrics::table::MetricTable;
use crate::month::Month;
use crate::plan::Plan;
use crate::settings::Settings;
use crate::workspace::manifest::PlanEdit;
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
    /// Each census year's leavers by reason and destination, from the
    /// returns held (empty without any).
    pub leavers: Vec<crate::metrics::census::LeaverCount>,
    pub benchmarks_held: Vec<crate::workspace::manifest::BenchmarkRecord>,
    /// The latest DfE indicators and neighbours imported, if any.
    pub benchmark_data: Option<(DataFrame, Option<DataFrame>)>,
    /// The improvement plan and what follows from it.
    pub plan: PlanState,
}

/// The plan as the views need it, read off the UI thread on each load and
/// again after each plan change (which leaves the metrics as they are).
pub struct PlanState {
    /// The plan in force (or the one the settings' milestones would make);
    /// a plan file that cannot be read is an error shown in the Plan view,
    /// not a failed load.
    pub plan: Result<Option<Plan>, String>,
    /// The settings with the plan's targets and events in place of the
    /// superseded milestones and events: what the charts draw.
    pub chart_settings: Settings,
    /// Every plan version stored, for history.
    pub edits: Vec<PlanEdit>,
    /// What undo would take back next.
    pub undo: Option<UndoNext>,
}

/// The change `Workspace::undo` takes back: the later of the last import
/// batch and the last plan edit.
#[derive(Clone, Debug)]
pub enum UndoNext {
    Imports,
    PlanEdit(PlanEdit),
}

/// A plan edit's action as the app shows it: the command line writes
/// "R1 status → done", and the app's font has no arrow.
pub fn readable(action: &str) -> String {
    action.replace(" → ", " to ").replace('→', "to")
}

impl PlanState {
    pub fn read(ws: &Workspace) -> PlanState {
        let (plan, chart_settings) = match crate::plan::store::plan_and_chart_settings(ws) {
            Ok((plan, settings)) => (Ok(plan), settings),
            Err(e) => (Err(e.to_string()), ws.settings().clone()),
        };
        let manifest = ws.manifest();
        let shown = |e: &PlanEdit| PlanEdit {
            action: readable(&e.action),
            ..e.clone()
        };
        // The same choice as `Workspace::undo`: a plan edit at or after the
        // last import batch goes first.
        let undo = match (manifest.last_active_batch(), manifest.active_plan_edit()) {
            (None, None) => None,
            (Some((_, at)), Some(e)) if e.at >= at => Some(UndoNext::PlanEdit(shown(e))),
            (None, Some(e)) => Some(UndoNext::PlanEdit(shown(e))),
            (Some(_), _) => Some(UndoNext::Imports),
        };
        PlanState {
            plan,
            chart_settings,
            edits: manifest.plan_edits.iter().map(shown).collect(),
            undo,
        }
    }

    /// The plan, when one is held and readable.
    pub fn get(&self) -> Option<&Plan> {
        self.plan.as_ref().ok().and_then(|p| p.as_ref())
    }
}

impl Model {
    pub fn latest_month(&self) -> Option<Month> {
        self.metrics.latest_month()
    }

    pub fn findings_for(&self, month: Month) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.month.is_none_or(|m| m == month))
    }

    pub fn standing(&self, r: &ImportRecord) -> crate::workspace::Standing {
        crate::workspace::manifest::standing(&self.imports, r)
    }

    pub fn can_undo(&self) -> bool {
        self.plan.undo.is_some()
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
    // Census years held only as returns get their September row, as in
    // `keel metrics`; the table marks where each came from.
    let returns = ws
        .load(crate::extract::Kind::Census)
        .map_err(|e| e.to_string())?;
    let with_returns = |df: Option<polars::prelude::DataFrame>,
                        workforce: Option<&polars::prelude::DataFrame>| {
        crate::metrics::census::with_returns(df, returns.as_ref(), workforce, limits)
            .map_err(|e| format!("cannot compute the metrics: {e}"))?
            .map(|df| MetricTable::from_frame(&df))
            .transpose()
            .map_err(|e| format!("cannot read the metrics: {e}"))
            .map(Option::unwrap_or_default)
    };
    let (metrics, findings) = match inputs {
        None => (with_returns(None, None)?, Vec::new()),
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
            (with_returns(Some(df), Some(&inputs.workforce))?, findings)
        }
    };
    let leavers = match &returns {
        Some(r) => crate::metrics::census::leavers_by(r)
            .map_err(|e| format!("cannot count the leavers by reason: {e}"))?,
        None => Vec::new(),
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
        plan: PlanState::read(&ws),
        benchmarks_held: ws.manifest().benchmarks.clone(),
        benchmark_data,
        root: root.to_path_buf(),
        sample,
        settings: ws.settings().clone(),
        imports: ws.manifest().imports.clone(),
        metrics,
        findings,
        leavers,
    })
}
