//! The plan at a glance, as of a date: how many items stand at each RAG,
//! which are overdue and by how long, and how each linked measure stands
//! against its target. One summary serves the board report's "Improvement
//! plan" section and the meeting's plan slide, so the two never disagree.
//!
//! Leads are left out on purpose: a lead is a role, but in a small service
//! a role names a person, and meeting views show references and titles
//! only. Figures are the whole service's, unsuppressed; whoever shows them
//! outside Keel applies disclosure control (`report::suppress`).

use super::{Attainment, Plan, Rag, attainment, rag};
use crate::metrics::table::MetricTable;
use crate::month::Month;
use chrono::NaiveDate;

/// The order RAG counts are listed in: what needs attention first.
pub const RAG_ORDER: [Rag; 5] = [
    Rag::Overdue,
    Rag::DueSoon,
    Rag::OnTrack,
    Rag::Done,
    Rag::Dropped,
];

/// An item past its due date and not done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    pub reference: String,
    pub title: String,
    pub due: NaiveDate,
    /// Whole days from the due date to the summary's date.
    pub days: i64,
}

/// One linked measure of one item.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRow {
    pub reference: String,
    /// The name `keel metrics` prints.
    pub measure: String,
    /// The registry's label, or the name when the registry does not know it.
    pub label: String,
    pub target: f64,
    pub by: Month,
    /// The whole service's figure in the by-month, or the latest month
    /// held before it, with that month.
    pub actual: Option<(Month, f64)>,
    pub attainment: Attainment,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub as_at: NaiveDate,
    pub start: NaiveDate,
    /// Items at each RAG, in [`RAG_ORDER`], zeros included.
    pub counts: Vec<(Rag, usize)>,
    /// Overdue items in the plan's order.
    pub overdue: Vec<Overdue>,
    /// Every linked measure, in the plan's order.
    pub links: Vec<LinkRow>,
}

impl Summary {
    pub fn items(&self) -> usize {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    pub fn count(&self, r: Rag) -> usize {
        self.counts
            .iter()
            .find(|(k, _)| *k == r)
            .map_or(0, |(_, n)| *n)
    }
}

/// `plan` as of `as_at`, its measures judged on `figures` (the whole
/// service's, month by month).
pub fn summarise(plan: &Plan, figures: &MetricTable, as_at: NaiveDate) -> Summary {
    let mut counts: Vec<(Rag, usize)> = RAG_ORDER.iter().map(|r| (*r, 0)).collect();
    let mut overdue = Vec::new();
    let mut links = Vec::new();
    for item in &plan.items {
        let r = rag(item, plan.start, as_at);
        if let Some(c) = counts.iter_mut().find(|(k, _)| *k == r) {
            c.1 += 1;
        }
        if r == Rag::Overdue
            && let Some(due) = item.due_date(plan.start)
        {
            overdue.push(Overdue {
                reference: item.reference.clone(),
                title: item.title.clone(),
                due,
                days: (as_at - due).num_days(),
            });
        }
        for link in &item.measures {
            let (actual, state) = attainment(link, figures);
            links.push(LinkRow {
                reference: item.reference.clone(),
                measure: link.measure.clone(),
                label: link
                    .measure()
                    .map_or_else(|| link.measure.clone(), |m| m.label().to_string()),
                target: link.target,
                by: link.by,
                actual,
                attainment: state,
            });
        }
    }
    Summary {
        as_at,
        start: plan.start,
        counts,
        overdue,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Measure;
    use crate::plan::{Item, Link, Status, Window, d_for_tests as d};

    /// The whole service's figures from January 2025.
    fn figures(series: &[(Measure, &[f64])]) -> MetricTable {
        crate::plan::figures_for_tests(Month::new(2025, 1).unwrap(), series)
    }

    fn item(reference: &str, window: Window, status: Status, changed: Option<NaiveDate>) -> Item {
        Item {
            reference: reference.into(),
            title: format!("Action {reference}"),
            window: Some(window),
            due: None,
            lead: "Head of Service".into(),
            status,
            status_date: changed,
            evidence: vec![],
            measures: vec![],
        }
    }

    #[test]
    fn counts_overdue_items_and_linked_measures_as_of_a_date() {
        // Started 6 January 2025: immediate due 3 February, 3 months due
        // 6 April, 6 months due 6 July. As of 20 April 2025:
        // - R1 immediate, done 1 Feb                → done
        // - R2 immediate, in progress              → overdue, 76 days (3 Feb → 20 Apr)
        // - R3 3 months, not started               → overdue, 14 days (6 → 20 Apr)
        // - R4 3 months, done 25 April (after)     → still open then: overdue, 14 days
        // - R5 6 months, in progress               → on track (77 days to go)
        // - R6 due 30 April, in progress            → due soon (10 days)
        // - R7 6 months, dropped 1 March           → dropped
        let start = d(2025, 1, 6);
        let mut r5 = item("R5", Window::SixMonths, Status::InProgress, None);
        let jun = Month::new(2025, 6).unwrap();
        let mar = Month::new(2025, 3).unwrap();
        r5.measures = vec![
            Link {
                measure: Measure::AgencyRate.name().into(),
                target: 15.0,
                by: jun,
            },
            Link {
                measure: Measure::SupervisionCompliance.name().into(),
                target: 90.0,
                by: mar,
            },
        ];
        let mut r6 = item("R6", Window::ThreeMonths, Status::InProgress, None);
        r6.due = Some(d(2025, 4, 30));
        let plan = Plan {
            start,
            items: vec![
                item("R1", Window::Immediate, Status::Done, Some(d(2025, 2, 1))),
                item("R2", Window::Immediate, Status::InProgress, None),
                item("R3", Window::ThreeMonths, Status::NotStarted, None),
                item(
                    "R4",
                    Window::ThreeMonths,
                    Status::Done,
                    Some(d(2025, 4, 25)),
                ),
                r5,
                r6,
                item(
                    "R7",
                    Window::SixMonths,
                    Status::Dropped,
                    Some(d(2025, 3, 1)),
                ),
            ],
            events: vec![],
        };
        // Held: January to March. Agency rate 20, 19, 18: the line falls a
        // point a month, 15 in June, so on course. Supervision 84, 86, 87
        // in March against 90 (higher is better): missed by 3.
        let table = figures(&[
            (Measure::AgencyRate, &[20.0, 19.0, 18.0]),
            (Measure::SupervisionCompliance, &[84.0, 86.0, 87.0]),
        ]);
        let s = summarise(&plan, &table, d(2025, 4, 20));
        assert_eq!(
            s.counts,
            vec![
                (Rag::Overdue, 3),
                (Rag::DueSoon, 1),
                (Rag::OnTrack, 1),
                (Rag::Done, 1),
                (Rag::Dropped, 1),
            ]
        );
        assert_eq!(s.items(), 7);
        let overdue: Vec<(&str, NaiveDate, i64)> = s
            .overdue
            .iter()
            .map(|o| (o.reference.as_str(), o.due, o.days))
            .collect();
        assert_eq!(
            overdue,
            vec![
                ("R2", d(2025, 2, 3), 76),
                ("R3", d(2025, 4, 6), 14),
                ("R4", d(2025, 4, 6), 14),
            ]
        );
        assert_eq!(s.overdue[0].title, "Action R2");
        assert_eq!(s.links.len(), 2);
        let agency = &s.links[0];
        assert_eq!(agency.reference, "R5");
        assert_eq!(agency.label, Measure::AgencyRate.label());
        assert_eq!(agency.actual, Some((mar, 18.0)));
        // Fewer than six months held: too few for a line.
        assert_eq!(agency.attainment, Attainment::Unknown);
        let sup = &s.links[1];
        assert_eq!((sup.target, sup.by), (90.0, mar));
        assert_eq!(sup.actual, Some((mar, 87.0)));
        assert_eq!(sup.attainment, Attainment::Missed(3.0));

        // The day before R3 and R4 fell due both were due soon, and R6 was
        // on track (25 days to go).
        let before = summarise(&plan, &table, d(2025, 4, 5));
        assert_eq!(before.count(Rag::Overdue), 1);
        assert_eq!(before.count(Rag::DueSoon), 2);
        assert_eq!(before.count(Rag::OnTrack), 2);
    }

    #[test]
    fn a_trend_over_six_months_judges_a_by_date_not_yet_held() {
        // Agency rate held January to June, 20 down to 15: a point a month,
        // so 12 by September (target 12: on course; 11: off course).
        let start = d(2025, 1, 6);
        let sept = Month::new(2025, 9).unwrap();
        let mut r1 = item("R1", Window::SixMonths, Status::InProgress, None);
        r1.measures = [12.0, 11.0]
            .map(|target| Link {
                measure: Measure::AgencyRate.name().into(),
                target,
                by: sept,
            })
            .to_vec();
        let plan = Plan {
            start,
            items: vec![r1],
            events: vec![],
        };
        let table = figures(&[(Measure::AgencyRate, &[20.0, 19.0, 18.0, 17.0, 16.0, 15.0])]);
        let s = summarise(&plan, &table, d(2025, 6, 30));
        let states: Vec<Attainment> = s.links.iter().map(|l| l.attainment).collect();
        assert_eq!(states, vec![Attainment::OnCourse, Attainment::OffCourse]);
        assert_eq!(
            s.links[0].actual,
            Some((Month::new(2025, 6).unwrap(), 15.0))
        );
        assert!(s.overdue.is_empty());
    }
}
