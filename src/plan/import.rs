//! Reading an improvement plan from the spreadsheet a council keeps it in
//! (CSV or XLSX), with headers recognised the way extracts' are and the
//! same all-or-nothing errors: every problem named by file, row, column and
//! reason, and no plan unless there are none.
//!
//! How a spreadsheet states what the issue leaves open (also in
//! docs/decisions.md):
//! - One row per item. Further rows with the same reference and no other
//!   text add linked measures (an item moving several measures).
//! - A row whose reference is `Event` is a dated event: its title is the
//!   label, its due date the date (the peer review, a scrutiny meeting).
//! - The plan's start (the inspection report's date) comes from `--start`,
//!   else from a `Plan start` (or `Inspection date`) column, else, when
//!   every item has a due date of its own, from nothing: windows need it,
//!   dates do not, and the earliest date is taken as the start.

use super::{Event, Evidence, Item, Link, Plan, Status, Window};
use crate::extract::fields::normalise_header;
use crate::extract::reader::read_table;
use crate::extract::values::{Cell, parse_date, parse_number};
use crate::measure::Measure;
use crate::month::Month;
use chrono::NaiveDate;
use std::path::Path;

/// Whether a file is taken for an improvement plan rather than an extract:
/// its name says `plan` (`improvement_plan.csv`, `Action Plan.xlsx`). The
/// extract importers leave such files to `keel plan import`.
pub fn is_plan_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().to_lowercase().contains("plan"))
}

/// A column of a plan spreadsheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Reference,
    Title,
    Window,
    Due,
    Lead,
    Status,
    StatusDate,
    Evidence,
    Measure,
    Target,
    By,
    Start,
}

impl Col {
    const ALL: [Col; 12] = [
        Col::Reference,
        Col::Title,
        Col::Window,
        Col::Due,
        Col::Lead,
        Col::Status,
        Col::StatusDate,
        Col::Evidence,
        Col::Measure,
        Col::Target,
        Col::By,
        Col::Start,
    ];

    fn name(self) -> &'static str {
        match self {
            Col::Reference => "ref",
            Col::Title => "recommendation",
            Col::Window => "window",
            Col::Due => "due",
            Col::Lead => "lead",
            Col::Status => "status",
            Col::StatusDate => "status date",
            Col::Evidence => "evidence",
            Col::Measure => "measure",
            Col::Target => "target",
            Col::By => "target date",
            Col::Start => "plan start",
        }
    }

    /// The headers each column is recognised by (case, spaces, dots,
    /// hyphens and underscores ignored).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Col::Reference => &["Ref", "Reference", "No.", "No", "Number", "Rec No", "Item"],
            Col::Title => &["Recommendation", "Action", "Title", "Description"],
            Col::Window => &["Timescale", "Window", "Timeframe"],
            Col::Due => &["Due", "Due Date", "Deadline"],
            Col::Lead => &["Lead", "Lead Officer", "Owner", "Responsible"],
            Col::Status => &["Status", "Progress"],
            Col::StatusDate => &["Status Date", "Updated", "Last Updated", "Date Updated"],
            Col::Evidence => &["Evidence", "Update", "Notes", "Progress Notes"],
            Col::Measure => &["Measure", "Indicator", "KPI"],
            Col::Target => &["Target", "Target Value"],
            Col::By => &["Target Date", "By", "By Date"],
            Col::Start => &["Plan Start", "Start Date", "Inspection Date"],
        }
    }

    fn recognise(header: &str) -> Option<Col> {
        let n = normalise_header(header);
        Col::ALL
            .into_iter()
            .find(|c| c.synonyms().iter().any(|s| normalise_header(s) == n))
    }
}

/// Why a plan file was not read: one line per problem.
#[derive(Debug, thiserror::Error)]
#[error("{}", lines.join("\n"))]
pub struct Rejected {
    pub lines: Vec<String>,
}

/// One row's cells by column.
struct Row<'a> {
    number: usize,
    cells: Vec<(Col, Cell<'a>)>,
}

impl Row<'_> {
    fn cell(&self, col: Col) -> Cell<'_> {
        self.cells
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(Cell::Empty, |(_, v)| *v)
    }

    fn text(&self, col: Col) -> String {
        match self.cell(col) {
            Cell::Empty => String::new(),
            c => c.display().trim().to_string(),
        }
    }
}

/// Read the plan in `path`. `start` is the inspection report's date when
/// the file does not state it.
pub fn read_plan(path: &Path, start: Option<NaiveDate>) -> Result<Plan, Rejected> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let reject = |reason: String| Rejected {
        lines: vec![format!("{file}: {reason}")],
    };
    let is_header = |row: &[String]| {
        let cols: Vec<Col> = row.iter().filter_map(|h| Col::recognise(h)).collect();
        cols.contains(&Col::Reference) && cols.contains(&Col::Title)
    };
    let table = read_table(path, None, &is_header).map_err(|e| reject(e.to_string()))?;
    let columns: Vec<Option<Col>> = table.headers.iter().map(|h| Col::recognise(h)).collect();
    for need in [Col::Reference, Col::Title] {
        if !columns.contains(&Some(need)) {
            return Err(reject(format!(
                "not an improvement plan: no '{}' column (headers seen: {})",
                need.name(),
                table.headers.join(", ")
            )));
        }
    }
    let mut problems = Vec::new();
    for (i, c) in columns.iter().enumerate() {
        if let Some(c) = c
            && columns[..i].contains(&Some(*c))
        {
            problems.push(format!(
                "{file}: column '{}' is a second '{}' column",
                table.headers[i],
                c.name()
            ));
        }
    }
    let rows: Vec<Row> = (0..table.len())
        .filter(|&i| !table.is_blank(i))
        .map(|i| Row {
            number: table.row_number(i),
            cells: columns
                .iter()
                .enumerate()
                .filter_map(|(j, c)| c.map(|c| (c, table.cell(i, j))))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        })
        .filter(|r| !r.cells.is_empty())
        .collect();
    if rows.is_empty() {
        problems.push(format!("{file}: the plan has a header row but no items"));
    }
    let mut err = |row: &Row, col: Col, reason: String| {
        problems.push(format!(
            "{file}, row {}, column '{}': {reason}",
            row.number,
            header_of(&table.headers, &columns, col)
        ));
    };
    let date = |row: &Row, col: Col, err: &mut dyn FnMut(&Row, Col, String)| {
        parse_date(row.cell(col)).unwrap_or_else(|e| {
            err(row, col, e.to_string());
            None
        })
    };

    let mut stated_start: Option<NaiveDate> = None;
    let mut items: Vec<Item> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    for row in &rows {
        if let Some(s) = date(row, Col::Start, &mut err) {
            match stated_start {
                Some(prev) if prev != s => err(
                    row,
                    Col::Start,
                    format!("{s} differs from the plan start {prev} given above"),
                ),
                _ => stated_start = Some(s),
            }
        }
        let reference = row.text(Col::Reference);
        if reference.eq_ignore_ascii_case("event") {
            let label = row.text(Col::Title);
            match date(row, Col::Due, &mut err) {
                Some(d) if !label.is_empty() => events.push(Event { date: d, label }),
                Some(_) => err(row, Col::Title, "an event needs a label".into()),
                None => err(row, Col::Due, "an event needs its date here".into()),
            }
            continue;
        }
        if reference.is_empty() {
            err(
                row,
                Col::Reference,
                "empty: each item needs its reference".into(),
            );
            continue;
        }
        let continuation = items
            .iter()
            .position(|i| i.reference.eq_ignore_ascii_case(&reference));
        if let Some(k) = continuation {
            // A further measure of an item already read: nothing else may
            // be said again, or the two rows could disagree.
            let title = row.text(Col::Title);
            let said_once = |c: &Col| {
                !matches!(
                    c,
                    Col::Reference | Col::Title | Col::Measure | Col::Target | Col::By | Col::Start
                )
            };
            let extra = Col::ALL
                .into_iter()
                .filter(said_once)
                .find(|c| !row.text(*c).is_empty())
                .or_else(|| (!title.is_empty() && title != items[k].title).then_some(Col::Title));
            match (extra, read_link(row, &mut err)) {
                (Some(c), _) => err(
                    row,
                    c,
                    format!(
                        "{reference} is given twice: a further row of an item may add only a measure"
                    ),
                ),
                (None, Some(l)) => items[k].measures.push(l),
                (None, None) => err(row, Col::Reference, format!("{reference} is given twice")),
            }
            continue;
        }
        let title = row.text(Col::Title);
        if title.is_empty() {
            err(
                row,
                Col::Title,
                format!("empty: {reference} needs its recommendation or action"),
            );
        }
        let window_text = row.text(Col::Window);
        let mut window = None;
        if !window_text.is_empty() {
            window = Window::parse(&window_text);
            if window.is_none() {
                err(
                    row,
                    Col::Window,
                    format!(
                        "'{window_text}' is not a window: write immediate, 3 months or 6 months"
                    ),
                );
            }
        }
        // A due column may hold a window's words rather than a date.
        let mut due = None;
        let due_text = row.text(Col::Due);
        if let Some(w) = Window::parse(&due_text) {
            window = window.or(Some(w));
        } else {
            due = date(row, Col::Due, &mut err);
        }
        let status_text = row.text(Col::Status);
        let status = Status::parse(&status_text).unwrap_or_else(|| {
            err(
                row,
                Col::Status,
                format!("'{status_text}' is not a status: write not started, in progress, done or dropped"),
            );
            Status::NotStarted
        });
        let status_date = date(row, Col::StatusDate, &mut err);
        let evidence_text = row.text(Col::Evidence);
        let evidence = if evidence_text.is_empty() {
            vec![]
        } else {
            match status_date.or(due) {
                Some(d) => vec![Evidence {
                    date: d,
                    text: evidence_text,
                }],
                None => {
                    err(
                        row,
                        Col::StatusDate,
                        "evidence needs the date it was recorded".into(),
                    );
                    vec![]
                }
            }
        };
        let link = read_link(row, &mut err);
        items.push(Item {
            reference,
            title,
            window,
            due,
            lead: row.text(Col::Lead),
            status,
            status_date,
            evidence,
            measures: link.into_iter().collect(),
        });
    }
    let start = start.or(stated_start).or_else(|| {
        // Without a start, every item needs its own date.
        items
            .iter()
            .all(|i| i.due.is_some())
            .then(|| items.iter().filter_map(|i| i.due).min())
            .flatten()
    });
    let Some(start) = start else {
        if problems.is_empty() {
            problems.push(format!(
                "{file}: the plan's start date is unknown: give --start YYYY-MM-DD (the inspection report's date), or a 'Plan start' column, or a due date for every item"
            ));
        }
        return Err(Rejected { lines: problems });
    };
    if !problems.is_empty() {
        return Err(Rejected { lines: problems });
    }
    Ok(Plan {
        start,
        items,
        events,
    })
}

/// The measure, target and by-date a row links, when it names a measure.
fn read_link(row: &Row, err: &mut dyn FnMut(&Row, Col, String)) -> Option<Link> {
    let name = row.text(Col::Measure);
    let target_cell = row.cell(Col::Target);
    let by_cell = row.cell(Col::By);
    if name.is_empty() {
        if !target_cell.is_empty() || !by_cell.is_empty() {
            err(
                row,
                Col::Measure,
                "a target needs the measure it is for".into(),
            );
        }
        return None;
    }
    let measure = Measure::parse(&name).or_else(|| {
        Measure::ALL
            .into_iter()
            .find(|m| m.label().eq_ignore_ascii_case(&name))
    });
    let Some(measure) = measure else {
        err(
            row,
            Col::Measure,
            format!(
                "'{name}' is not a measure; measures are named as keel metrics names them ({})",
                Measure::ALL.map(|m| m.name()).join(", ")
            ),
        );
        return None;
    };
    let target = match parse_number(target_cell) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            err(
                row,
                Col::Target,
                format!("empty: a target for {measure} is needed"),
            );
            None
        }
        Err(e) => {
            err(row, Col::Target, e.to_string());
            None
        }
    };
    let by = match parse_date(by_cell) {
        Ok(Some(d)) => Some(Month::of(d)),
        // A month written as text (2026-03) is a month.
        Ok(None) => {
            err(
                row,
                Col::By,
                format!("empty: the date {measure} should reach its target by"),
            );
            None
        }
        Err(e) => match by_cell.display().trim().parse::<Month>() {
            Ok(m) => Some(m),
            Err(_) => {
                err(row, Col::By, e.to_string());
                None
            }
        },
    };
    Some(Link {
        measure: measure.name().to_string(),
        target: target?,
        by: by?,
    })
}

fn header_of(headers: &[String], columns: &[Option<Col>], col: Col) -> String {
    columns
        .iter()
        .position(|c| *c == Some(col))
        .map_or_else(|| col.name().to_string(), |i| headers[i].clone())
}
