//! Scenarios side by side: each measure's median (P50) at chosen horizons
//! and the first month its median meets the workspace's target.

use super::METRICS;
use super::simulate::Projection;
use crate::month::Month;
use crate::settings::{Better, Target};
use polars::prelude::*;
use std::collections::BTreeMap;

pub const MAX_SCENARIOS: usize = 4;
pub const DEFAULT_HORIZONS: [usize; 3] = [6, 12, 24];
pub const NOT_WITHIN: &str = "not within the horizon";
pub const ON_TARGET_NOW: &str = "on target now";

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub scenario: String,
    pub metric: String,
    /// (months ahead, P50 then; `None` beyond the projection or null).
    pub at: Vec<(usize, Option<f64>)>,
    pub target: Option<Target>,
    /// The first projected month whose P50 is on target.
    pub first_on_target: Option<Month>,
    /// Whether the starting month (the last actual) is already on target.
    pub on_target_now: bool,
}

impl Row {
    pub fn first_on_target_text(&self) -> String {
        match (&self.target, self.first_on_target) {
            (None, _) => "no target".to_string(),
            (Some(_), _) if self.on_target_now => ON_TARGET_NOW.to_string(),
            (Some(_), Some(m)) => m.to_string(),
            (Some(_), None) => NOT_WITHIN.to_string(),
        }
    }
}

fn on_target(v: f64, t: &Target) -> bool {
    match t.better {
        Better::Lower => v <= t.value,
        Better::Higher => v >= t.value,
    }
}

pub fn compare(
    items: &[(&str, &Projection)],
    targets: &BTreeMap<String, Target>,
    horizons: &[usize],
) -> Result<Vec<Row>, super::Error> {
    if items.is_empty() || items.len() > MAX_SCENARIOS {
        return Err(super::Error::CompareCount { given: items.len() });
    }
    let mut rows = Vec::new();
    for (name, p) in items {
        for (k, metric) in METRICS.iter().enumerate() {
            let target = targets.get(*metric).cloned();
            let at = horizons
                .iter()
                .map(|h| {
                    let v = h
                        .checked_sub(1)
                        .and_then(|i| p.p50.get(i))
                        .map(|r| r[k])
                        .filter(|v| v.is_finite());
                    (*h, v)
                })
                .collect();
            let first_on_target = target.as_ref().and_then(|t| {
                p.months
                    .iter()
                    .zip(&p.p50)
                    .find(|(_, r)| r[k].is_finite() && on_target(r[k], t))
                    .map(|(m, _)| *m)
            });
            let on_target_now = target
                .as_ref()
                .is_some_and(|t| p.now[k].is_finite() && on_target(p.now[k], t));
            rows.push(Row {
                scenario: name.to_string(),
                metric: metric.to_string(),
                at,
                target,
                first_on_target,
                on_target_now,
            });
        }
    }
    Ok(rows)
}

/// A table: scenario, metric, `p50_6m`, `p50_12m`, … , target, first_on_target.
pub fn to_frame(rows: &[Row]) -> PolarsResult<DataFrame> {
    let n = rows.len();
    let mut cols = vec![
        Column::new(
            "scenario".into(),
            rows.iter().map(|r| r.scenario.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "metric".into(),
            rows.iter().map(|r| r.metric.clone()).collect::<Vec<_>>(),
        ),
    ];
    if let Some(first) = rows.first() {
        for (i, (h, _)) in first.at.iter().enumerate() {
            cols.push(Column::new(
                format!("p50_{h}m").into(),
                rows.iter()
                    .map(|r| r.at.get(i).and_then(|a| a.1))
                    .collect::<Vec<_>>(),
            ));
        }
    }
    cols.push(Column::new(
        "target".into(),
        rows.iter()
            .map(|r| r.target.as_ref().map(|t| t.value))
            .collect::<Vec<_>>(),
    ));
    cols.push(Column::new(
        "first_on_target".into(),
        rows.iter()
            .map(Row::first_on_target_text)
            .collect::<Vec<_>>(),
    ));
    DataFrame::new(n, cols)
}
