//! What the charts and tiles draw from the plan: its linked targets as a
//! planned trajectory and its events as marked dates.
//!
//! The charts were drawn from the settings' milestones and events before
//! those moved into the plan, so the plan is given to them in that shape:
//! each measure's links in by-date order, each from the previous one's
//! by-month (the first from the plan's start month), a line from the
//! figure held there to the target.

use super::{Link, Plan};
use crate::measure::Measure;
use crate::month::Month;
use crate::settings::{self, Milestone, Settings};

/// The plan's links as chained milestones, measure by measure. A link due
/// in or before the month it would start from draws nothing and is left
/// out.
pub fn milestones(plan: &Plan) -> Vec<Milestone> {
    let mut out = Vec::new();
    for m in Measure::ALL {
        let mut links: Vec<&Link> = plan
            .items
            .iter()
            .flat_map(|i| &i.measures)
            .filter(|l| l.measure == m.name())
            .collect();
        links.sort_by_key(|l| l.by);
        let mut from = Month::of(plan.start);
        for l in links {
            if l.by <= from {
                continue;
            }
            out.push(Milestone {
                metric: l.measure.clone(),
                from,
                by: l.by,
                value: l.target,
            });
            from = l.by;
        }
    }
    out
}

/// `settings` with the plan's trajectory and events in place of its own
/// milestones and events, for the charts; unchanged without a plan.
pub fn chart_settings(settings: &Settings, plan: Option<&Plan>) -> Settings {
    let Some(plan) = plan else {
        return settings.clone();
    };
    Settings {
        milestones: milestones(plan),
        events: plan
            .events
            .iter()
            .map(|e| settings::Event {
                date: e.date,
                label: e.label.clone(),
            })
            .collect(),
        ..settings.clone()
    }
}

/// The link shown beside `measure` as of `month`: the nearest by-month
/// from `month` on, else the latest before it.
pub fn nearest_link(plan: &Plan, measure: Measure, month: Month) -> Option<&Link> {
    let links = plan
        .items
        .iter()
        .flat_map(|i| &i.measures)
        .filter(|l| l.measure == measure.name());
    let (ahead, behind): (Vec<&Link>, Vec<&Link>) = links.partition(|l| l.by >= month);
    ahead
        .into_iter()
        .min_by_key(|l| l.by)
        .or_else(|| behind.into_iter().max_by_key(|l| l.by))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Event, Item, Status, d_for_tests as d};

    fn link(m: Measure, target: f64, by: &str) -> Link {
        Link {
            measure: m.name().into(),
            target,
            by: by.parse().unwrap(),
        }
    }

    fn plan() -> Plan {
        let item = |r: &str, measures: Vec<Link>| Item {
            reference: r.into(),
            title: "Reduce agency reliance".into(),
            window: None,
            due: None,
            lead: String::new(),
            status: Status::InProgress,
            status_date: None,
            evidence: vec![],
            measures,
        };
        Plan {
            start: d(2025, 9, 20),
            items: vec![
                item(
                    "R1",
                    vec![
                        link(Measure::AgencyRate, 15.0, "2026-09"),
                        link(Measure::CaseloadPerFte, 17.0, "2026-03"),
                    ],
                ),
                item(
                    "R2",
                    vec![
                        link(Measure::AgencyRate, 18.0, "2026-03"),
                        // Before the start: nothing to draw.
                        link(Measure::AgencyRate, 25.0, "2025-06"),
                    ],
                ),
            ],
            events: vec![Event {
                date: d(2026, 4, 1),
                label: "Peer review".into(),
            }],
        }
    }

    #[test]
    fn links_chain_into_milestones_from_the_start_month() {
        let ms = milestones(&plan());
        let got: Vec<(&str, String, String, f64)> = ms
            .iter()
            .map(|m| {
                (
                    m.metric.as_str(),
                    m.from.to_string(),
                    m.by.to_string(),
                    m.value,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Measure::AgencyRate.name(),
                    "2025-09".into(),
                    "2026-03".into(),
                    18.0
                ),
                (
                    Measure::AgencyRate.name(),
                    "2026-03".into(),
                    "2026-09".into(),
                    15.0
                ),
                (
                    Measure::CaseloadPerFte.name(),
                    "2025-09".into(),
                    "2026-03".into(),
                    17.0
                ),
            ]
        );
        let s = chart_settings(&Settings::default(), Some(&plan()));
        assert_eq!(s.milestones, ms);
        assert_eq!(s.events.len(), 1);
        assert_eq!(s.events[0].label, "Peer review");
        assert!(
            chart_settings(&Settings::default(), None)
                .milestones
                .is_empty()
        );
    }

    #[test]
    fn the_nearest_upcoming_link_else_the_latest() {
        let p = plan();
        let at = |m: &str| {
            nearest_link(&p, Measure::AgencyRate, m.parse().unwrap()).map(|l| l.by.to_string())
        };
        assert_eq!(at("2025-12").as_deref(), Some("2026-03"));
        assert_eq!(at("2026-03").as_deref(), Some("2026-03"));
        assert_eq!(at("2026-04").as_deref(), Some("2026-09"));
        assert_eq!(at("2027-01").as_deref(), Some("2026-09"));
        assert!(nearest_link(&p, Measure::TurnoverRate12m, "2026-01".parse().unwrap()).is_none());
    }
}
