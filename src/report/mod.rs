//! What leaves Keel for meetings and board papers: chart images, the PDF
//! board report, the saved meeting pack and the metrics exports. Every
//! figure here passes through [`suppress`] first, except the exports, which
//! are HR's own working data.

pub mod board;
pub mod chart;
pub mod export;
pub mod measures;
pub mod pack;
pub mod pdf;
pub mod reading;
pub mod suppress;
pub mod trend;

use crate::metrics::GroupKind;
use crate::metrics::table::{Group, MetricTable};
use std::path::Path;

/// Write a finished file atomically, so a failed run never leaves a
/// half-written report where a good one was.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::workspace::atomic::write_bytes(path, bytes)
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// Open a workspace and compute its metrics, with the errors a user
/// should see when there is nothing to compute yet.
pub fn workspace_metrics(
    root: &Path,
) -> Result<
    (
        crate::workspace::Workspace,
        crate::metrics::Inputs,
        polars::prelude::DataFrame,
    ),
    String,
> {
    let mut clock = std::time::Instant::now();
    let ws = crate::workspace::Workspace::open_existing(root)?;
    let inputs = crate::metrics::Inputs::required(&ws)?;
    crate::trace::lap("metrics: load", &mut clock);
    let df = crate::metrics::compute(&inputs, ws.settings().limits())
        .map_err(|e| format!("cannot compute the metrics: {e}"))?;
    Ok((ws, inputs, df))
}

/// A file name's extension in lower case, to choose an output format.
pub fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The group named `name` (a service area or team), or the whole service.
pub fn find_group(table: &MetricTable, name: Option<&str>) -> Result<Group, String> {
    match name {
        None => Ok(Group::all()),
        Some(n) => table
            .groups
            .iter()
            .find(|g| g.kind != GroupKind::All && g.name == n)
            .cloned()
            .ok_or_else(|| format!("there is no service or team named '{n}' in the workspace")),
    }
}
