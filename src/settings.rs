//! Workspace settings, stored as `settings.json`. Every field has a default,
//! so a settings file from an older Keel still loads. The defaults, and
//! where each comes from, are listed in the README.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::measure::Better;
use crate::measure::Measure;

/// A target for one metric, with where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub value: f64,
    pub better: Better,
    #[serde(default)]
    pub source: String,
}

/// An improvement plan's milestone: `value` by the end of month `by`,
/// planned from month `from`. Charts draw the planned trajectory from the
/// figure at `from` (or the previous milestone's value, when one ends
/// there) to `value` at `by`, beside the actual line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub metric: String,
    pub from: crate::month::Month,
    pub by: crate::month::Month,
    pub value: f64,
}

/// A dated event (an inspection, a peer review, a restructure), marked on
/// every chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub date: chrono::NaiveDate,
    pub label: String,
}

/// Caseload limits used by the metrics' `over_limit_headcount`: the
/// settings' two limits, as the metrics take them.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub nqsw: f64,
    pub standard: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The council's name, for report covers and slide footers.
    pub council_name: String,
    /// Weekly hours of one full-time post, to turn contracted hours into FTE.
    pub standard_hours: f64,
    /// Replace worker identifiers with a keyed hash on import.
    pub pseudonymise: bool,
    /// Cases above which a newly qualified social worker counts as over their limit.
    pub caseload_limit_nqsw: f64,
    /// Cases above which any other case holder counts as over their limit.
    pub caseload_limit_standard: f64,
    /// Targets by metric name.
    pub targets: BTreeMap<String, Target>,
    /// Dated milestones towards the targets.
    pub milestones: Vec<Milestone>,
    pub events: Vec<Event>,
}

fn target(value: f64, better: Better, source: &str) -> Target {
    Target {
        value,
        better,
        source: source.to_string(),
    }
}

/// The registry's default targets, keyed by the measure's printed name.
pub fn default_targets() -> BTreeMap<String, Target> {
    Measure::ALL
        .into_iter()
        .filter_map(|m| {
            let e = m.entry();
            let t = e.target?;
            let better = e
                .better
                .expect("a measure with a target says which way is better");
            Some((m.name().to_string(), target(t.value, better, t.source)))
        })
        .collect()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            council_name: String::new(),
            standard_hours: 37.0,
            pseudonymise: true,
            caseload_limit_nqsw: 12.0,
            caseload_limit_standard: 18.0,
            targets: default_targets(),
            milestones: Vec::new(),
            events: Vec::new(),
        }
    }
}

impl Settings {
    pub fn limits(&self) -> Limits {
        Limits {
            nqsw: self.caseload_limit_nqsw,
            standard: self.caseload_limit_standard,
        }
    }

    /// Apply `name=value`, where name is a field (`standard_hours`) or a
    /// target (`targets.agency_rate_pct` or `targets.agency_rate_pct.better`).
    pub fn set(&mut self, assignment: &str) -> Result<(), Error> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| Error::NotAnAssignment {
                assignment: assignment.to_string(),
            })?;
        let (name, value) = (name.trim(), value.trim());
        let mut json = serde_json::to_value(&*self).map_err(Error::Serialize)?;
        let parsed: serde_json::Value = serde_json::from_str(value)
            .unwrap_or_else(|_| serde_json::Value::String(value.to_string()));
        let mut path: Vec<&str> = name.split('.').collect();
        if path.len() == 2 && path[0] == "targets" {
            path.push("value");
        }
        let slot = path
            .iter()
            .try_fold(&mut json, |node, key| node.get_mut(*key))
            .ok_or_else(|| Error::UnknownSetting {
                name: name.to_string(),
            })?;
        *slot = parsed;
        let next: Settings = serde_json::from_value(json).map_err(|source| Error::BadValue {
            assignment: assignment.to_string(),
            source,
        })?;
        next.check()?;
        *self = next;
        Ok(())
    }

    pub fn check(&self) -> Result<(), Error> {
        if !(self.standard_hours > 0.0 && self.standard_hours <= 60.0) {
            return Err(Error::StandardHours(self.standard_hours));
        }
        if self.caseload_limit_nqsw < 0.0 || self.caseload_limit_standard < 0.0 {
            return Err(Error::NegativeLimit(self.limits()));
        }
        for m in &self.milestones {
            if Measure::parse(&m.metric).is_none() {
                return Err(Error::MilestoneMetric {
                    metric: m.metric.clone(),
                });
            }
            if m.by <= m.from {
                return Err(Error::MilestoneOrder {
                    metric: m.metric.clone(),
                    from: m.from,
                    by: m.by,
                });
            }
            if !m.value.is_finite() {
                return Err(Error::MilestoneValue {
                    metric: m.metric.clone(),
                });
            }
        }
        if let Some(e) = self.events.iter().find(|e| e.label.trim().is_empty()) {
            return Err(Error::EventLabel { date: e.date });
        }
        Ok(())
    }
}

/// A setting refused: nothing is changed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("'{assignment}': write NAME=VALUE, for example caseload_limit_standard=20")]
    NotAnAssignment { assignment: String },
    #[error(
        "'{name}' is not a setting; settings are council_name, standard_hours, pseudonymise, caseload_limit_nqsw, caseload_limit_standard, targets.METRIC (or targets.METRIC.better = lower|higher), milestones and events (as JSON lists)"
    )]
    UnknownSetting { name: String },
    /// The value does not fit the setting (a word for a number, bad JSON).
    #[error("'{assignment}': {source}")]
    BadValue {
        assignment: String,
        source: serde_json::Error,
    },
    #[error("{0}")]
    Serialize(serde_json::Error),
    #[error("standard_hours must be above 0 and at most 60")]
    StandardHours(f64),
    #[error("caseload limits cannot be negative")]
    NegativeLimit(Limits),
    #[error("milestone: '{metric}' is not a metric")]
    MilestoneMetric { metric: String },
    #[error("milestone for {metric}: 'by' ({by}) must be after 'from' ({from})")]
    MilestoneOrder {
        metric: String,
        from: crate::month::Month,
        by: crate::month::Month,
    },
    #[error("milestone for {metric}: the value must be a number")]
    MilestoneValue { metric: String },
    #[error("the event on {} needs a label", date.format("%d/%m/%Y"))]
    EventLabel { date: chrono::NaiveDate },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_fields_and_targets() {
        let mut s = Settings::default();
        s.set("caseload_limit_standard=20").unwrap();
        assert_eq!(s.caseload_limit_standard, 20.0);
        s.set("targets.agency_rate_pct=15").unwrap();
        assert_eq!(s.targets["agency_rate_pct"].value, 15.0);
        s.set("targets.agency_rate_pct.better=higher").unwrap();
        assert_eq!(s.targets["agency_rate_pct"].better, Better::Higher);
        assert!(s.set("colour=blue").is_err());
        assert!(s.set("standard_hours=lots").is_err());
        assert!(s.set("standard_hours=0").is_err());
        assert_eq!(
            s.caseload_limit_standard, 20.0,
            "a failed set changes nothing"
        );
    }

    #[test]
    fn milestones_and_events_are_set_as_json_and_checked() {
        let mut s = Settings::default();
        s.set(r#"milestones=[{"metric":"agency_rate_pct","from":"2025-10","by":"2026-03","value":15}]"#)
            .unwrap();
        assert_eq!(s.milestones[0].by.to_string(), "2026-03");
        s.set(r#"events=[{"date":"2026-02-10","label":"Ofsted inspection"}]"#)
            .unwrap();
        assert_eq!(s.events[0].label, "Ofsted inspection");
        let before = s.clone();
        assert!(
            s.set(r#"milestones=[{"metric":"nope","from":"2025-10","by":"2026-03","value":1}]"#)
                .is_err()
        );
        assert!(s.set(r#"milestones=[{"metric":"agency_rate_pct","from":"2026-03","by":"2026-03","value":1}]"#).is_err());
        assert!(
            s.set(r#"events=[{"date":"2026-02-10","label":" "}]"#)
                .is_err()
        );
        assert_eq!(s, before, "a refused setting changes nothing");
    }
}
