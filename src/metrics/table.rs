//! The metrics DataFrame as a plain lookup table: (month, group) → values.
//! Views, chart images and reports read single figures and series from it
//! without touching polars again.

use super::{BASES, GroupKind, METRICS};
use crate::month::Month;
use polars::prelude::*;
use std::collections::BTreeMap;

/// A group of the metrics table: the whole service, a service area or a team.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Group {
    pub kind: GroupKind,
    pub name: String,
}

impl Group {
    pub fn all() -> Group {
        Group {
            kind: GroupKind::All,
            name: "all".into(),
        }
    }

    pub fn label(&self) -> String {
        match self.kind {
            GroupKind::All => "Whole service".into(),
            GroupKind::Service => format!("Service: {}", self.name),
            GroupKind::Team => format!("Team: {}", self.name),
        }
    }
}

/// Every metric for every (month, group), as `compute` returned it.
#[derive(Default, Debug)]
pub struct MetricTable {
    values: BTreeMap<(Month, Group), Vec<Option<f64>>>,
    pub months: Vec<Month>,
    pub groups: Vec<Group>,
    /// Months whose whole-service row comes from a census return (a year
    /// no monthly snapshot covers): charts mark them.
    pub from_return: std::collections::BTreeSet<Month>,
}

/// The columns held: the contract's metrics, then the suppression bases.
fn columns() -> impl Iterator<Item = &'static str> {
    METRICS.into_iter().chain(BASES)
}

fn metric_index(metric: &str) -> Option<usize> {
    columns().position(|m| m == metric)
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
        // A frame without the bases (from `select`) still loads; their
        // figures are then unknown, and suppression treats unknown as small.
        let cols: Vec<Option<Float64Chunked>> = columns()
            .map(|m| match df.column(m) {
                Ok(c) => Ok(Some(c.cast(&DataType::Float64)?.f64()?.clone())),
                Err(_) if BASES.contains(&m) => Ok(None),
                Err(e) => Err(e),
            })
            .collect::<PolarsResult<_>>()?;
        let source = match df.column(super::census::SOURCE) {
            Ok(c) => Some(c.str()?.clone()),
            Err(_) => None,
        };
        let mut t = MetricTable::default();
        for i in 0..df.height() {
            let (Some(m), Some(k), Some(g)) = (month.get(i), kind.get(i), group.get(i)) else {
                continue;
            };
            let (Ok(m), Some(k)) = (m.parse::<Month>(), group_kind(k)) else {
                continue;
            };
            if k == GroupKind::All
                && source.as_ref().and_then(|s| s.get(i)) == Some(super::census::FROM_RETURN)
            {
                t.from_return.insert(m);
            }
            let key = Group {
                kind: k,
                name: g.to_string(),
            };
            let row = cols
                .iter()
                .map(|c| c.as_ref().and_then(|c| c.get(i)))
                .collect();
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

    /// Whether this month's figures come from a census return (only the
    /// whole service has such rows).
    /// The month the figures are "as at": the latest held as monthly data,
    /// as a return filed for a later year does not move the month the
    /// views open on; the latest return's where there is no monthly data.
    pub fn latest_month(&self) -> Option<Month> {
        let months = || self.months.iter().rev();
        months()
            .find(|m| !self.from_return.contains(m))
            .or_else(|| months().next())
            .copied()
    }

    pub fn from_return(&self, month: Month, group: &Group) -> bool {
        group.kind == GroupKind::All && self.from_return.contains(&month)
    }

    /// (month, value) for one group and metric, nulls left out.
    pub fn series(&self, group: &Group, metric: &str) -> Vec<(Month, f64)> {
        self.months
            .iter()
            .filter_map(|m| Some((*m, self.get(*m, group, metric)?)))
            .collect()
    }
}
