//! An item's red/amber/green as of a date, and whether a linked measure
//! reached its target, from the workspace's own figures.

use super::{DUE_SOON_DAYS, Item, Link, Status};
use crate::measure::Better;
use crate::metrics::table::{Group, MetricTable};
use crate::metrics::trend;
use crate::month::Month;
use chrono::NaiveDate;

/// Where an item stands as of a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rag {
    Done,
    /// Past its due date and not done.
    Overdue,
    /// Open and due within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Open, with time to go (or no due date).
    OnTrack,
    Dropped,
}

impl Rag {
    pub fn name(self) -> &'static str {
        match self {
            Rag::Done => "done",
            Rag::Overdue => "overdue",
            Rag::DueSoon => "due soon",
            Rag::OnTrack => "on track",
            Rag::Dropped => "dropped",
        }
    }
}

/// `item`'s RAG as of `as_at`, in a plan started on `start`.
pub fn rag(item: &Item, start: NaiveDate, as_at: NaiveDate) -> Rag {
    match item.status_at(as_at) {
        Status::Done => return Rag::Done,
        Status::Dropped => return Rag::Dropped,
        Status::NotStarted | Status::InProgress => {}
    }
    let Some(due) = item.due_date(start) else {
        return Rag::OnTrack;
    };
    if as_at > due {
        Rag::Overdue
    } else if (due - as_at).num_days() <= DUE_SOON_DAYS {
        Rag::DueSoon
    } else {
        Rag::OnTrack
    }
}

/// Whether a linked measure reached, or is heading for, its target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Attainment {
    /// The by-date's month is held and meets the target.
    Met,
    /// The by-date's month is held and misses the target by this much (in
    /// the measure's unit, always positive).
    Missed(f64),
    /// Before the by-date: the 12-month trend meets the target by then.
    OnCourse,
    /// Before the by-date: the trend does not meet it by then.
    OffCourse,
    /// No figure to judge by (no month held, or too few for a trend).
    Unknown,
}

impl Attainment {
    pub fn describe(self) -> String {
        match self {
            Attainment::Met => "met".into(),
            Attainment::Missed(by) => format!("missed by {by:.1}"),
            Attainment::OnCourse => "on course".into(),
            Attainment::OffCourse => "off course".into(),
            Attainment::Unknown => "no figures yet".into(),
        }
    }

    /// [`describe`](Self::describe) with the amount missed in the measure's
    /// unit: a rate missed by 6.8 is 6.8 percentage points, not 6.8% of it.
    pub fn describe_in(self, unit: Option<crate::measure::Unit>) -> String {
        use crate::measure::Unit;
        match (self, unit) {
            (Attainment::Missed(by), Some(Unit::Percent)) => format!("missed by {by:.1} points"),
            (Attainment::Missed(by), Some(u)) => format!("missed by {}", u.format(by)),
            (a, _) => a.describe(),
        }
    }
}

fn meets(value: f64, target: f64, better: Better) -> bool {
    match better {
        Better::Lower => value <= target,
        Better::Higher => value >= target,
    }
}

/// The whole service's figure for `link` in its by-date's month (or the
/// latest month held before it), and its attainment. A measure the
/// registry does not know, or one without a direction, is `Unknown`.
pub fn attainment(link: &Link, table: &MetricTable) -> (Option<(Month, f64)>, Attainment) {
    let Some(measure) = link.measure() else {
        return (None, Attainment::Unknown);
    };
    let series: Vec<(Month, f64)> = table
        .series(&Group::all(), measure.name())
        .into_iter()
        .filter(|(m, _)| *m <= link.by)
        .collect();
    let actual = series.last().copied();
    let Some(better) = measure.entry().better else {
        return (actual, Attainment::Unknown);
    };
    let Some((month, value)) = actual else {
        return (None, Attainment::Unknown);
    };
    if month == link.by {
        let state = if meets(value, link.target, better) {
            Attainment::Met
        } else {
            Attainment::Missed((value - link.target).abs())
        };
        return (actual, state);
    }
    // Before the by-date: the dashboard's 12-month line, carried on.
    let target = crate::settings::Target {
        value: link.target,
        better,
        source: String::new(),
    };
    let state = match trend::fit(&series, Some(&target)) {
        None => Attainment::Unknown,
        Some(t) => match t.outlook {
            trend::Outlook::OnTarget => {
                let (last, fitted) = t.to;
                let at_by = fitted + t.slope * f64::from(link.by.0 - last.0);
                if meets(at_by, link.target, better) {
                    Attainment::OnCourse
                } else {
                    Attainment::OffCourse
                }
            }
            trend::Outlook::Reaches(m) if m <= link.by => Attainment::OnCourse,
            _ => Attainment::OffCourse,
        },
    };
    (actual, state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Window, d_for_tests as d};

    /// The whole service's `metric` over consecutive months from `first`.
    fn table(metric: &str, first: Month, values: &[f64]) -> MetricTable {
        let m = crate::measure::Measure::parse(metric).expect("a registry measure");
        crate::plan::figures_for_tests(first, &[(m, values)])
    }

    fn item(status: Status, status_date: Option<NaiveDate>) -> Item {
        Item {
            reference: "R1".into(),
            title: "Reduce reliance on agency social workers".into(),
            window: Some(Window::ThreeMonths),
            due: None,
            lead: "Head of Service".into(),
            status,
            status_date,
            evidence: vec![],
            measures: vec![],
        }
    }

    #[test]
    fn rag_as_of_chosen_dates() {
        // Started 1 March 2025: due 1 June 2025.
        let start = d(2025, 3, 1);
        let open = item(Status::InProgress, None);
        assert_eq!(rag(&open, start, d(2025, 5, 17)), Rag::OnTrack); // 15 days to go
        assert_eq!(rag(&open, start, d(2025, 5, 18)), Rag::DueSoon); // 14 days
        assert_eq!(rag(&open, start, d(2025, 6, 1)), Rag::DueSoon); // due today
        assert_eq!(rag(&open, start, d(2025, 6, 2)), Rag::Overdue);
        let not_started = item(Status::NotStarted, None);
        assert_eq!(rag(&not_started, start, d(2025, 9, 1)), Rag::Overdue);
        // Done on 10 June: overdue the day before, done from then on.
        let done = item(Status::Done, Some(d(2025, 6, 10)));
        assert_eq!(rag(&done, start, d(2025, 6, 9)), Rag::Overdue);
        assert_eq!(rag(&done, start, d(2025, 6, 10)), Rag::Done);
        let dropped = item(Status::Dropped, Some(d(2025, 4, 1)));
        assert_eq!(rag(&dropped, start, d(2025, 9, 1)), Rag::Dropped);
        let undated = Item {
            window: None,
            ..item(Status::NotStarted, None)
        };
        assert_eq!(rag(&undated, start, d(2030, 1, 1)), Rag::OnTrack);
    }

    fn link(measure: crate::measure::Measure, target: f64, by: Month) -> Link {
        Link {
            measure: measure.name().into(),
            target,
            by,
        }
    }

    #[test]
    fn attainment_once_the_by_month_is_held() {
        use crate::measure::Measure;
        let jan = Month::new(2025, 1).unwrap();
        // Agency rate (lower is better): 20, 19, …, 15 in June.
        let agency = table(
            Measure::AgencyRate.name(),
            jan,
            &[20.0, 19.0, 18.0, 17.0, 16.0, 15.0],
        );
        let june = jan + 5;
        let (actual, met) = attainment(&link(Measure::AgencyRate, 15.0, june), &agency);
        assert_eq!((actual, met), (Some((june, 15.0)), Attainment::Met));
        let (_, missed) = attainment(&link(Measure::AgencyRate, 13.5, june), &agency);
        assert_eq!(missed, Attainment::Missed(1.5));
        // Supervision compliance (higher is better): 88% in June against 95%.
        let sup = table(
            Measure::SupervisionCompliance.name(),
            jan,
            &[80.0, 82.0, 84.0, 85.0, 86.0, 88.0],
        );
        let (_, missed) = attainment(&link(Measure::SupervisionCompliance, 95.0, june), &sup);
        assert_eq!(missed, Attainment::Missed(7.0));
        let (_, met) = attainment(&link(Measure::SupervisionCompliance, 85.0, june), &sup);
        assert_eq!(met, Attainment::Met);
        // A by-month before the first held: nothing to judge by.
        let (actual, unknown) = attainment(&link(Measure::AgencyRate, 15.0, jan - 1), &agency);
        assert_eq!((actual, unknown), (None, Attainment::Unknown));
    }

    #[test]
    fn attainment_before_the_by_month_follows_the_trend() {
        use crate::measure::Measure;
        let jan = Month::new(2025, 1).unwrap();
        // Falling 1 point a month from 20: 15 in June, 12 in September.
        let agency = table(
            Measure::AgencyRate.name(),
            jan,
            &[20.0, 19.0, 18.0, 17.0, 16.0, 15.0],
        );
        let sept = jan + 8;
        // The actual is the latest month held before the by-date.
        let (actual, on) = attainment(&link(Measure::AgencyRate, 12.0, sept), &agency);
        assert_eq!((actual, on), (Some((jan + 5, 15.0)), Attainment::OnCourse));
        let (_, off) = attainment(&link(Measure::AgencyRate, 11.0, sept), &agency);
        assert_eq!(off, Attainment::OffCourse);
        // On target now but rising: 10, 10.5, …, 12.5 against 13 by December
        // reaches 16 on the line, so off course.
        let rising = table(
            Measure::AgencyRate.name(),
            jan,
            &[10.0, 10.5, 11.0, 11.5, 12.0, 12.5],
        );
        let (_, off) = attainment(&link(Measure::AgencyRate, 13.0, jan + 11), &rising);
        assert_eq!(off, Attainment::OffCourse);
        let (_, on) = attainment(&link(Measure::AgencyRate, 13.0, jan + 6), &rising);
        assert_eq!(on, Attainment::OnCourse);
        // Fewer than six months: no line.
        let short = table(Measure::AgencyRate.name(), jan, &[20.0, 19.0]);
        let (_, unknown) = attainment(&link(Measure::AgencyRate, 12.0, sept), &short);
        assert_eq!(unknown, Attainment::Unknown);
    }
}
