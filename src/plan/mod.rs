//! The improvement plan: the recommendations a council committed to after
//! an inspection, each with a window or due date, a lead and a status, and
//! the measures each is meant to move. Status and attainment are worked out
//! as of a date from the plan alone and the workspace's own figures.
//!
//! Choices where the issue leaves room (also in docs/decisions.md):
//! - `immediate` is due 28 days after the plan's start (the inspection
//!   report's date); `3 months` and `6 months` on the same day of the month
//!   three and six months on (the month's last day when it has no such day).
//! - An item's status counts from the date it changed: as of an earlier
//!   date, an item done later was still open.
//! - A dropped item is neither overdue nor on track: it is `dropped`.

pub mod edit;
pub mod import;
pub mod marks;
pub mod show;
mod status;
pub mod store;
pub mod summary;

pub use import::{Rejected, read_plan};
pub use status::{Attainment, Rag, attainment, rag};
pub use store::{Moved, Saved};
pub use summary::{Summary, summarise};

use crate::measure::Measure;
use crate::month::Month;
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Why a plan command stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::Error),
    /// A plan file's problems, one a line, then what to do.
    #[error(
        "{0}\n{n} error(s): nothing was stored. Correct the plan and import it again.",
        n = .0.lines.len()
    )]
    Rejected(#[from] Rejected),
    #[error(
        "{} holds no improvement plan yet: import one with `keel plan import --workspace {} FILE`",
        root.display(),
        root.display()
    )]
    NoPlan { root: PathBuf },
    #[error("there is no item '{reference}' in the plan; its references are {}", known.join(", "))]
    UnknownItem {
        reference: String,
        known: Vec<String>,
    },
    #[error("the evidence is empty: write what was done")]
    EmptyEvidence,
    #[error("the event needs a label")]
    EventLabel,
    #[error("the plan already has '{label}' on {}", date.format("%d/%m/%Y"))]
    EventHeld { date: NaiveDate, label: String },
    #[error("cannot compute the metrics: {0}")]
    Metrics(polars::prelude::PolarsError),
}

/// Days after the plan's start by which an `immediate` action is due.
pub const IMMEDIATE_DAYS: u64 = 28;
/// Days before its due date within which an open item is `due soon`.
pub const DUE_SOON_DAYS: i64 = 14;

/// A spreadsheet cell's words, lower case, without spaces or punctuation.
fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// When an item is due, relative to the plan's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Window {
    #[serde(rename = "immediate")]
    Immediate,
    #[serde(rename = "3 months")]
    ThreeMonths,
    #[serde(rename = "6 months")]
    SixMonths,
}

impl Window {
    pub const ALL: [Window; 3] = [Window::Immediate, Window::ThreeMonths, Window::SixMonths];

    pub fn name(self) -> &'static str {
        match self {
            Window::Immediate => "immediate",
            Window::ThreeMonths => "3 months",
            Window::SixMonths => "6 months",
        }
    }

    /// The window a spreadsheet's cell names: `Immediate`, `3 months`,
    /// `three months`, `6m`, `within 6 months`… (case and spaces ignored).
    pub fn parse(text: &str) -> Option<Window> {
        let t = folded(text);
        let t = t.strip_prefix("within").unwrap_or(&t);
        match t {
            "immediate" | "immediately" | "now" => Some(Window::Immediate),
            "3months" | "threemonths" | "3month" | "3m" | "3mths" => Some(Window::ThreeMonths),
            "6months" | "sixmonths" | "6month" | "6m" | "6mths" => Some(Window::SixMonths),
            _ => None,
        }
    }

    /// The due date of an item in this window of a plan started on `start`.
    pub fn due_from(self, start: NaiveDate) -> NaiveDate {
        let due = match self {
            Window::Immediate => start.checked_add_days(Days::new(IMMEDIATE_DAYS)),
            Window::ThreeMonths => start.checked_add_months(Months::new(3)),
            Window::SixMonths => start.checked_add_months(Months::new(6)),
        };
        due.unwrap_or(NaiveDate::MAX)
    }
}

/// Where an item stands, as the council records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    Dropped,
}

/// A word that is not a status, as `--status` refuses it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a status: write not started, in progress, done or dropped")]
pub struct UnknownStatus(pub String);

impl std::str::FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Status, UnknownStatus> {
        Status::parse(s)
            .filter(|_| !s.trim().is_empty())
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Dropped,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }

    /// A status as written in a plan spreadsheet (`Done`, `Complete`,
    /// `In progress`, `Ongoing`, `Not started`, `Dropped`, …).
    pub fn parse(text: &str) -> Option<Status> {
        match folded(text).as_str() {
            "" | "notstarted" | "notyetstarted" | "planned" | "open" => Some(Status::NotStarted),
            "inprogress" | "ongoing" | "started" | "underway" => Some(Status::InProgress),
            "done" | "complete" | "completed" | "closed" | "achieved" => Some(Status::Done),
            "dropped" | "withdrawn" | "cancelled" | "superseded" => Some(Status::Dropped),
            _ => None,
        }
    }
}

/// A dated note of what was done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub date: NaiveDate,
    pub text: String,
}

/// A measure an item is meant to move: `target` by the end of month `by`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub measure: String,
    pub target: f64,
    pub by: Month,
}

impl Link {
    /// The registry's measure, when the name is one (checked on import).
    pub fn measure(&self) -> Option<Measure> {
        Measure::parse(&self.measure)
    }
}

/// One recommendation or action of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// `R1`, `R2`, …: how the plan refers to it.
    pub reference: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// An explicit due date, which wins over the window's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// A role, such as "Head of Safeguarding": never a person's name.
    #[serde(default)]
    pub lead: String,
    pub status: Status,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<NaiveDate>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub measures: Vec<Link>,
}

impl Item {
    /// The date the item is due in a plan started on `start`: its own, else
    /// its window's; `None` when it has neither.
    pub fn due_date(&self, start: NaiveDate) -> Option<NaiveDate> {
        self.due.or_else(|| self.window.map(|w| w.due_from(start)))
    }

    /// The status as of `date`: a change recorded after it had not happened
    /// yet, so the item was still open (in progress, having been worked on).
    pub fn status_at(&self, date: NaiveDate) -> Status {
        match (self.status, self.status_date) {
            (Status::Done | Status::Dropped, Some(changed)) if changed > date => Status::InProgress,
            (s, _) => s,
        }
    }
}

/// A dated event: the inspection, the peer review, a scrutiny meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub date: NaiveDate,
    pub label: String,
}

/// The plan: its start (the inspection report's date), items and events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub start: NaiveDate,
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub events: Vec<Event>,
}

impl Plan {
    pub fn item(&self, reference: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.reference.eq_ignore_ascii_case(reference))
    }

    pub fn item_mut(&mut self, reference: &str) -> Option<&mut Item> {
        self.items
            .iter_mut()
            .find(|i| i.reference.eq_ignore_ascii_case(reference))
    }
}

#[cfg(test)]
pub(crate) fn d_for_tests(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The whole service's figures over consecutive months from `first`: each
/// named measure's values month by month, every other column empty.
#[cfg(test)]
pub(crate) fn figures_for_tests(
    first: crate::month::Month,
    series: &[(crate::measure::Measure, &[f64])],
) -> crate::metrics::table::MetricTable {
    use polars::prelude::{Column, DataFrame};
    let n = series.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let mut cols = vec![
        Column::new(
            "month".into(),
            (0..n)
                .map(|i| (first + i as i32).to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new("group_kind".into(), vec!["all"; n]),
        Column::new("group".into(), vec!["all"; n]),
    ];
    for name in crate::metrics::METRICS
        .iter()
        .chain(crate::metrics::BASES.iter())
    {
        let v: Vec<Option<f64>> = match series.iter().find(|(m, _)| m.name() == *name) {
            Some((_, vals)) => vals.iter().map(|v| Some(*v)).collect(),
            None => vec![None; n],
        };
        cols.push(Column::new((*name).into(), v));
    }
    crate::metrics::table::MetricTable::from_frame(&DataFrame::new_infer_height(cols).unwrap())
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::d_for_tests as d;
    use super::*;

    #[test]
    fn windows_resolve_to_due_dates_from_the_start() {
        let start = d(2025, 1, 31);
        assert_eq!(Window::Immediate.due_from(start), d(2025, 2, 28));
        // No 30 April: the month's last day.
        assert_eq!(Window::ThreeMonths.due_from(start), d(2025, 4, 30));
        assert_eq!(Window::SixMonths.due_from(start), d(2025, 7, 31));
    }

    #[test]
    fn windows_and_statuses_are_read_as_spreadsheets_write_them() {
        assert_eq!(Window::parse("Immediate"), Some(Window::Immediate));
        assert_eq!(Window::parse("within 3 months"), Some(Window::ThreeMonths));
        assert_eq!(Window::parse("Six Months"), Some(Window::SixMonths));
        assert_eq!(Window::parse("next year"), None);
        assert_eq!(Status::parse("Completed"), Some(Status::Done));
        assert_eq!(Status::parse("In Progress"), Some(Status::InProgress));
        assert_eq!(Status::parse(""), Some(Status::NotStarted));
        assert_eq!(Status::parse("maybe"), None);
    }

    #[test]
    fn an_explicit_due_date_wins_over_the_window() {
        let mut item = Item {
            reference: "R1".into(),
            title: "Caseload review".into(),
            window: Some(Window::Immediate),
            due: None,
            lead: "Head of Service".into(),
            status: Status::Done,
            status_date: Some(d(2025, 3, 1)),
            evidence: vec![],
            measures: vec![],
        };
        let start = d(2025, 1, 1);
        assert_eq!(item.due_date(start), Some(d(2025, 1, 29)));
        item.due = Some(d(2025, 2, 15));
        assert_eq!(item.due_date(start), Some(d(2025, 2, 15)));
        // Done on 1 March: still open the day before.
        assert_eq!(item.status_at(d(2025, 2, 28)), Status::InProgress);
        assert_eq!(item.status_at(d(2025, 3, 1)), Status::Done);
    }
}
