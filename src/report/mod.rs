//! What leaves Keel for meetings and board papers: chart images, the PDF
//! board report, the saved meeting pack and the metrics exports. Every
//! figure here passes through [`suppress`] first, except the exports, which
//! are HR's own working data.

pub mod board;
pub mod chart;
pub mod export;
pub mod improvement;
pub mod measures;
pub mod pack;
pub mod pdf;
pub mod reading;
pub mod suppress;
/// The 12-month trend line lives with the metrics, so that the plan's
/// attainment can use it without the plan depending on the report (the
/// report draws the plan).
pub use crate::metrics::trend;

use crate::metrics::GroupKind;
use crate::metrics::table::{Group, MetricTable};
use crate::month::Month;
use polars::prelude::PolarsError;
use std::path::{Path, PathBuf};

/// Why a report, chart, export or meeting pack could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::Error),
    #[error(transparent)]
    Scenario(#[from] crate::scenario::Error),
    #[error("cannot compute the metrics: {0}")]
    Metrics(PolarsError),
    /// The metrics table did not have the shape expected of it.
    #[error("{0}")]
    Table(#[from] PolarsError),
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a report compares at most {max} scenarios", max = crate::scenario::compare::MAX_SCENARIOS)]
    TooManyScenarios { given: usize },
    #[error("scenario '{name}': {source}")]
    ScenarioRun {
        name: String,
        source: crate::scenario::Error,
    },
    #[error("the workspace holds no month of figures")]
    NoMonths,
    #[error("no figures for {month}: the workspace holds {first} to {latest}")]
    NoFigures {
        month: Month,
        first: Month,
        latest: Month,
    },
    #[error("there is no service or team named '{0}' in the workspace")]
    NoGroup(String),
    #[error(
        "'{0}' is not a metric; metrics are {names}",
        names = crate::measure::Measure::ALL.map(|m| m.name()).join(", ")
    )]
    UnknownMetric(String),
    /// plotters' error, as it describes itself (its type depends on the
    /// drawing backend).
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error(
        "a chart must be 200 to {max} pixels wide and 150 to {max} high, not {width}×{height}",
        max = chart::MAX_SIDE
    )]
    ChartSize { width: u32, height: u32 },
    #[error("{}: save a chart as .png or .svg", .0.display())]
    ImageFormat(PathBuf),
    #[error("{}: export to a .csv or .xlsx file", .0.display())]
    ExportFormat(PathBuf),
    #[error(transparent)]
    Csv(#[from] crate::table_out::Error),
    #[error("cannot build the workbook: {0}")]
    Workbook(export::WorkbookError),
    #[error("{}: not a meeting pack: {source}", path.display())]
    NotAPack {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{}: {source}", path.display())]
    Pack {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Json(serde_json::Error),
}

/// Write a finished file atomically, so a failed run never leaves a
/// half-written report where a good one was.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    crate::workspace::atomic::write_bytes(path, bytes).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Open a workspace and compute its metrics (the monthly table, with the
/// September rows of the census returns it holds), with the errors a user
/// should see when there is nothing to compute yet. The inputs are `None`
/// for a workspace holding only returns.
pub fn workspace_metrics(
    root: &Path,
) -> Result<
    (
        crate::workspace::Workspace,
        Option<crate::metrics::Inputs>,
        polars::prelude::DataFrame,
    ),
    Error,
> {
    let mut clock = std::time::Instant::now();
    let ws = crate::workspace::Workspace::open_existing(root)?;
    let inputs = ws.inputs()?;
    let returns = ws.load(crate::extract::Kind::Census)?;
    crate::trace::lap("metrics: load", &mut clock);
    let limits = ws.settings().limits();
    let monthly = inputs
        .as_ref()
        .map(|i| crate::metrics::compute(i, limits))
        .transpose()
        .map_err(Error::Metrics)?;
    let df = crate::metrics::census::with_returns(
        monthly,
        returns.as_ref(),
        inputs.as_ref().map(|i| &i.workforce),
        limits,
    )
    .map_err(Error::Metrics)?
    .ok_or_else(|| crate::workspace::Error::NoSnapshot {
        root: root.to_path_buf(),
    })?;
    Ok((ws, inputs, df))
}

/// A file name's extension in lower case, to choose an output format.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The group named `name` (a service area or team), or the whole service.
pub fn find_group(table: &MetricTable, name: Option<&str>) -> Result<Group, Error> {
    match name {
        None => Ok(Group::all()),
        Some(n) => table
            .groups
            .iter()
            .find(|g| g.kind != GroupKind::All && g.name == n)
            .cloned()
            .ok_or_else(|| Error::NoGroup(n.to_string())),
    }
}
