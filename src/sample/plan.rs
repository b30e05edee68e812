//! The improvement plan Brackenford agreed after its inspection, as the
//! spreadsheet a council keeps it in: 17 recommendations (3 immediate, 10
//! within three months, 4 within six), each with a lead role, a status, the
//! date it was last updated and a progress note; the workforce ones linked to
//! the measures they should move, with targets and by-dates; and the plan's
//! events (the inspection, scrutiny meetings, a peer review seven months on).
//!
//! Every date counts from the series' first month, so the plan sits early in
//! any sample's history: the inspection report (the plan's start) is
//! published in the fourth month. As at the series' end most items are done,
//! one was dropped and three are overdue, and the measures tell a mixed story:
//! agency use and turnover fall, caseloads barely move.

use super::calendar::{add_days, shift_months};
use super::error::{self, Result};
use crate::measure::Measure;
use chrono::{Datelike, NaiveDate, Weekday};
use std::path::{Path, PathBuf};

/// The file's name: it holds `plan`, which is how `keel import` and the first
/// start know to leave it to `keel plan import`.
pub(crate) const FILE: &str = "improvement_plan.csv";

enum Progress {
    /// Done this many days after the start.
    Done(i64),
    /// Still in progress, last updated this many days after the start.
    Open(i64),
    Dropped(i64),
}

struct Rec {
    title: &'static str,
    window: &'static str,
    lead: &'static str,
    progress: Progress,
    note: &'static str,
    /// (measure, target, months after the start's month).
    links: &'static [(Measure, f64, i64)],
}

const fn rec(
    title: &'static str,
    window: &'static str,
    lead: &'static str,
    progress: Progress,
    note: &'static str,
    links: &'static [(Measure, f64, i64)],
) -> Rec {
    Rec {
        title,
        window,
        lead,
        progress,
        note,
        links,
    }
}

const IMMEDIATE: &str = "Immediate";
const THREE: &str = "3 months";
const SIX: &str = "6 months";

const RECOMMENDATIONS: [Rec; 17] = [
    rec(
        "Ensure every referral to the front door has a timely, recorded management decision",
        IMMEDIATE,
        "Head of Service, Front Door",
        Progress::Done(25),
        "Daily MASH management review in place; audit of 60 referrals found decisions recorded within 24 hours in 57",
        &[],
    ),
    rec(
        "Review the caseload of every social worker and reallocate cases so that no worker holds more than 20 children",
        IMMEDIATE,
        "Head of Safeguarding",
        Progress::Done(42),
        "Caseload review completed; 64 children reallocated; weekly caseload report to the leadership team",
        &[(Measure::CaseloadPerFte, 16.0, 14)],
    ),
    rec(
        "Put in place an interim schedule so that every case-holding worker is supervised at least monthly",
        IMMEDIATE,
        "Principal Social Worker",
        Progress::Done(28),
        "Supervision schedule issued to all team managers; compliance reported monthly",
        &[(Measure::SupervisionCompliance, 95.0, 11)],
    ),
    rec(
        "Agree a workforce strategy with a recruitment and retention offer: market supplement, career pathway and flexible working",
        THREE,
        "Assistant Director, Children's Social Care",
        Progress::Done(133),
        "Workforce strategy agreed by Cabinet; market supplement paid from June",
        &[(Measure::TurnoverRate12m, 15.0, 32)],
    ),
    rec(
        "Reduce reliance on agency social workers by converting agency posts to permanent appointments",
        THREE,
        "HR Business Partner",
        Progress::Open(600),
        "Agency-to-permanent conversions continue; regional memorandum of understanding on agency pay signed",
        &[
            (Measure::AgencyRate, 25.0, 20),
            (Measure::AgencyRate, 18.0, 32),
        ],
    ),
    rec(
        "Establish an ASYE academy with protected caseloads and a limit on newly qualified workers in each team",
        THREE,
        "Workforce Development Manager",
        Progress::Done(85),
        "ASYE academy launched with its first cohort; caseloads capped at 12 in the first six months",
        &[(Measure::NqswShare, 18.0, 26)],
    ),
    rec(
        "Strengthen management oversight and the recording of decisions on children's files",
        THREE,
        "Head of Quality Assurance",
        Progress::Done(113),
        "Management oversight template in the case record; dip sample shows it used on 9 files in 10",
        &[],
    ),
    rec(
        "Introduce a quality assurance framework with monthly case audits that include the voice of the child",
        THREE,
        "Head of Quality Assurance",
        Progress::Done(80),
        "Framework agreed; monthly audits reported to the improvement board",
        &[],
    ),
    rec(
        "Improve the timeliness of child protection visits and record each within 24 hours",
        THREE,
        "Head of Safeguarding",
        Progress::Done(88),
        "Visits within timescale rose from 71% to 92%; recording monitored weekly",
        &[],
    ),
    rec(
        "Offer a return home interview to every child who goes missing",
        THREE,
        "Service Manager, Children in Care",
        Progress::Done(154),
        "Interviews commissioned from an independent provider; offer made within 72 hours",
        &[],
    ),
    rec(
        "Ensure every care leaver has an up-to-date pathway plan written with them",
        THREE,
        "Service Manager, Care Leavers",
        Progress::Done(315),
        "All pathway plans reviewed; young people's participation recorded in each",
        &[],
    ),
    rec(
        "Report workforce and practice measures to the improvement board every month",
        THREE,
        "Head of Performance and Business Intelligence",
        Progress::Done(67),
        "Monthly performance pack in place, including workforce stability measures",
        &[],
    ),
    rec(
        "Run an international recruitment campaign for experienced social workers",
        THREE,
        "HR Business Partner",
        Progress::Dropped(172),
        "Dropped: superseded by the workforce strategy's market supplement",
        &[],
    ),
    rec(
        "Ensure supervision is reflective and recorded in line with the supervision policy",
        SIX,
        "Principal Social Worker",
        Progress::Open(620),
        "Reflective supervision training delivered to all managers; audit of supervision quality under way",
        &[(Measure::SupervisionCompliance, 95.0, 20)],
    ),
    rec(
        "Develop a career progression framework from ASYE to advanced practitioner",
        SIX,
        "Workforce Development Manager",
        Progress::Done(178),
        "Progression framework published; first senior practitioner panel held",
        &[],
    ),
    rec(
        "Reduce caseloads to an average of no more than 16 children per case-holding worker",
        SIX,
        "Head of Safeguarding",
        Progress::Open(610),
        "Two additional pods funded; demand at the front door still rising",
        &[
            (Measure::CaseloadPerFte, 16.0, 20),
            (Measure::CaseloadPerFte, 15.0, 32),
        ],
    ),
    rec(
        "Act on the peer review's findings and refresh the improvement plan",
        SIX,
        "Director of Children's Services",
        Progress::Done(287),
        "Refreshed plan agreed by the improvement board after the peer review",
        &[],
    ),
];

/// The inspection report's date: the first Monday on or after the 8th of the
/// series' fourth month.
fn plan_start(first_snapshot: NaiveDate) -> Result<NaiveDate> {
    let mut d = add_days(shift_months(first_snapshot, 3)?, 7);
    while d.weekday() != Weekday::Mon {
        d = add_days(d, 1);
    }
    Ok(d)
}

fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Writes the plan into `dir`. Progress recorded after `series_end` has not
/// happened yet in a shorter sample: such an item is written as in progress.
pub(crate) fn write_plan(
    dir: &Path,
    first_snapshot: NaiveDate,
    series_end: NaiveDate,
) -> Result<PathBuf> {
    let path = dir.join(FILE);
    let start = plan_start(first_snapshot)?;
    let mut w = csv::Writer::from_path(&path).map_err(error::create(&path))?;
    let mut row = |cells: [&str; 12]| w.write_record(cells).map_err(error::write(&path));
    row([
        "Ref",
        "Recommendation",
        "Timescale",
        "Due",
        "Lead Officer",
        "Status",
        "Last Updated",
        "Progress Notes",
        "Measure",
        "Target",
        "Target Date",
        "Plan Start",
    ])?;
    for (i, r) in RECOMMENDATIONS.iter().enumerate() {
        let reference = format!("R{}", i + 1);
        let (status, days) = match r.progress {
            Progress::Done(d) => ("Complete", d),
            Progress::Open(d) => ("In progress", d),
            Progress::Dropped(d) => ("Dropped", d),
        };
        let updated = add_days(start, days);
        let (status, updated, note) = if updated > series_end {
            ("In progress", String::new(), "")
        } else {
            (status, uk(updated), r.note)
        };
        let link = |k: usize| -> Result<(String, String, String)> {
            Ok(match r.links.get(k) {
                Some((m, target, months)) => {
                    let by = crate::month::Month::of(shift_months(start, *months)?);
                    (m.name().to_string(), format!("{target}"), by.to_string())
                }
                None => Default::default(),
            })
        };
        let (measure, target, by) = link(0)?;
        let first_row = if i == 0 { uk(start) } else { String::new() };
        row([
            &reference, r.title, r.window, "", r.lead, status, &updated, note, &measure, &target,
            &by, &first_row,
        ])?;
        for k in 1..r.links.len() {
            let (measure, target, by) = link(k)?;
            row([
                &reference, "", "", "", "", "", "", "", &measure, &target, &by, "",
            ])?;
        }
    }
    let month_on = |months: i64, day: i64| -> Result<NaiveDate> {
        Ok(add_days(shift_months(start, months)?, day - 1))
    };
    let events = [
        (
            add_days(start, -56),
            "Ofsted inspection (ILACS): fieldwork begins",
        ),
        (start, "Inspection report published: inadequate"),
        (
            month_on(2, 20)?,
            "Children's scrutiny committee: plan progress",
        ),
        (
            month_on(5, 19)?,
            "Children's scrutiny committee: plan progress",
        ),
        (month_on(7, 14)?, "LGA peer review"),
        (
            month_on(9, 18)?,
            "Children's scrutiny committee: peer review findings",
        ),
        (month_on(14, 12)?, "Ofsted monitoring visit"),
        (
            month_on(20, 17)?,
            "Children's scrutiny committee: workforce report",
        ),
    ];
    for (date, label) in events.iter().filter(|(d, _)| *d <= series_end) {
        row([
            "Event",
            label,
            "",
            &uk(*date),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ])?;
    }
    w.flush().map_err(error::write(&path))?;
    Ok(path)
}
