//! The plan as a table, as `keel plan show` prints it: one row per item and
//! linked measure (an item without measures has one row, its measure
//! columns blank), with the item's status and RAG as of a date and each
//! measure's whole-service figure and attainment.

use super::{Error, Plan, attainment, rag};
use crate::metrics::GroupKind;
use crate::metrics::table::MetricTable;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use polars::prelude::{Column, DataFrame, PolarsResult};

/// The table's columns, in order.
pub const COLUMNS: [&str; 12] = [
    "ref",
    "title",
    "window",
    "due",
    "lead",
    "status",
    "rag",
    "measure",
    "target",
    "by",
    "actual",
    "attainment",
];

/// The whole service's figures, month by month: what attainment is judged
/// on. Empty when the workspace holds no workforce snapshot yet.
pub fn whole_service(ws: &Workspace) -> Result<MetricTable, Error> {
    let Some(inputs) = ws.inputs()? else {
        return Ok(MetricTable::default());
    };
    let df = crate::metrics::compute_kinds(&inputs, ws.settings().limits(), &[GroupKind::All])
        .map_err(Error::Metrics)?;
    MetricTable::from_frame(&df).map_err(Error::Metrics)
}

/// One row of the table, each cell text or blank.
pub type Row = [Option<String>; COLUMNS.len()];

/// The rows of `plan` as of `as_at`, judged on `figures`.
pub fn rows(plan: &Plan, figures: &MetricTable, as_at: NaiveDate) -> Vec<Row> {
    let mut out = Vec::new();
    for item in &plan.items {
        let text = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let head = [
            text(&item.reference),
            text(&item.title),
            item.window.map(|w| w.name().to_string()),
            item.due_date(plan.start).map(|d| d.to_string()),
            text(&item.lead),
            Some(item.status_at(as_at).name().to_string()),
            Some(rag(item, plan.start, as_at).name().to_string()),
        ];
        if item.measures.is_empty() {
            let mut row: Row = Default::default();
            row[..head.len()].clone_from_slice(&head);
            out.push(row);
        }
        for link in &item.measures {
            let unit = link.measure().map(|m| m.unit());
            let value = |v: f64| unit.map_or_else(|| v.to_string(), |u| u.format(v));
            let (actual, state) = attainment(link, figures);
            let mut row: Row = Default::default();
            row[..head.len()].clone_from_slice(&head);
            row[7] = Some(link.measure.clone());
            row[8] = Some(value(link.target));
            row[9] = Some(link.by.to_string());
            row[10] = actual.map(|(_, v)| value(v));
            row[11] = Some(state.describe_in(unit));
            out.push(row);
        }
    }
    out
}

/// The rows as a table of text columns, for the project's table output.
pub fn frame(rows: &[Row]) -> PolarsResult<DataFrame> {
    let columns: Vec<Column> = COLUMNS
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let cells: Vec<Option<&str>> = rows.iter().map(|r| r[j].as_deref()).collect();
            Column::new((*name).into(), cells)
        })
        .collect();
    DataFrame::new_infer_height(columns)
}
