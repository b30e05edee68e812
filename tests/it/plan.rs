//! The improvement plan read from a council's spreadsheet: each family of
//! headers, the plan's start, linked measures, events, and every error
//! named by file, row and column with nothing read.

use chrono::NaiveDate;
use keel::plan::{Status, Window, read_plan};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_plan_with_the_issue_s_headers_and_a_start_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "improvement-plan.csv",
        "Ref,Recommendation,Timescale,Lead,Status,Measure,Target,Target Date\n\
         R1,Reduce reliance on agency social workers,3 months,Head of Service,In progress,agency_rate_pct,15,2025-12-31\n\
         R1,,,,,Turnover rate,14,2026-03\n\
         R2,Caseloads no higher than 18,Immediate,Principal Social Worker,Done,,,\n\
         Event,Peer review,2025-10-15,,,,,\n",
    );
    // The event's date sits in the due column, which this file lacks: it
    // is an error naming the row.
    let err = read_plan(&path, Some(d(2025, 3, 14))).unwrap_err();
    assert_eq!(
        err.lines,
        vec!["improvement-plan.csv, row 5, column 'due': an event needs its date here"]
    );
    let path = write(
        &dir,
        "improvement-plan.csv",
        "Ref,Recommendation,Timescale,Due,Lead,Status,Measure,Target,Target Date\n\
         R1,Reduce reliance on agency social workers,3 months,,Head of Service,In progress,agency_rate_pct,15,2025-12-31\n\
         R1,,,,,,Turnover rate,14,2026-03\n\
         R2,Caseloads no higher than 18,Immediate,,Principal Social Worker,Done,,,\n\
         Event,Peer review,,15/10/2025,,,,,\n",
    );
    let plan = read_plan(&path, Some(d(2025, 3, 14))).unwrap();
    assert_eq!(plan.start, d(2025, 3, 14));
    assert_eq!(plan.items.len(), 2);
    let r1 = &plan.items[0];
    assert_eq!(r1.window, Some(Window::ThreeMonths));
    assert_eq!(r1.due_date(plan.start), Some(d(2025, 6, 14)));
    assert_eq!(r1.status, Status::InProgress);
    assert_eq!(r1.lead, "Head of Service");
    let links: Vec<(&str, f64, String)> = r1
        .measures
        .iter()
        .map(|l| (l.measure.as_str(), l.target, l.by.to_string()))
        .collect();
    assert_eq!(
        links,
        vec![
            ("agency_rate_pct", 15.0, "2025-12".to_string()),
            ("turnover_rate_12m_pct", 14.0, "2026-03".to_string())
        ]
    );
    assert_eq!(plan.items[1].due_date(plan.start), Some(d(2025, 4, 11)));
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].date, d(2025, 10, 15));
    assert_eq!(plan.events[0].label, "Peer review");
}

#[test]
fn other_header_families_and_a_start_stated_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "plan.csv",
        "No.,Action,Window,Lead Officer,Progress,Indicator,Target,By,Plan Start\n\
         1,Supervision every four weeks,within 6 months,Head of Practice,Not started,Supervision compliance,95,2025-12,14/03/2025\n",
    );
    let plan = read_plan(&path, None).unwrap();
    assert_eq!(plan.start, d(2025, 3, 14));
    let item = &plan.items[0];
    assert_eq!(item.reference, "1");
    assert_eq!(item.window, Some(Window::SixMonths));
    assert_eq!(item.measures[0].measure, "supervision_compliance_pct");
    let path = write(
        &dir,
        "plan2.csv",
        "Reference,Title,Due,Owner,Status\n\
         A1,Workforce strategy to cabinet,30/06/2025,Director,Completed\n\
         A2,Exit interviews for every leaver,31/05/2025,HR Business Partner,Ongoing\n",
    );
    // Every item has its own date: the earliest is the start.
    let plan = read_plan(&path, None).unwrap();
    assert_eq!(plan.start, d(2025, 5, 31));
    assert_eq!(plan.items[0].status, Status::Done);
    assert_eq!(plan.items[1].status, Status::InProgress);
}

#[test]
fn a_workbook_is_read_like_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Improvement plan 2025").unwrap();
    for (c, h) in ["Ref", "Recommendation", "Timescale", "Status"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (c, v) in ["R1", "Stable leadership", "6 months", "In progress"]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, c as u16, *v).unwrap();
    }
    book.save(&path).unwrap();
    let plan = read_plan(&path, Some(d(2025, 1, 10))).unwrap();
    assert_eq!(plan.items[0].title, "Stable leadership");
    assert_eq!(plan.items[0].due_date(plan.start), Some(d(2025, 7, 10)));
}

#[test]
fn every_problem_is_named_and_nothing_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "plan.csv",
        "Ref,Recommendation,Timescale,Status,Measure,Target,Target Date\n\
         R1,Agency,next year,Done,agency_rate_pct,15,2025-12\n\
         R2,Turnover,3 months,maybe,turnover,12,2025-12\n\
         R3,Caseloads,3 months,Done,caseload_per_fte,,2025-12\n\
         ,No reference,3 months,Done,,,\n\
         R4,,6 months,Done,,,\n\
         R1,Another title,,,,,\n",
    );
    let err = read_plan(&path, Some(d(2025, 3, 1))).unwrap_err();
    assert_eq!(
        err.lines,
        vec![
            "plan.csv, row 2, column 'Timescale': 'next year' is not a window: write immediate, 3 months or 6 months",
            "plan.csv, row 3, column 'Status': 'maybe' is not a status: write not started, in progress, done or dropped",
            "plan.csv, row 3, column 'Measure': 'turnover' is not a measure; measures are named as keel metrics names them (employed_fte, employed_headcount, agency_fte, agency_headcount, agency_rate_pct, establishment_fte, vacancy_fte, vacancy_rate_pct, leavers_fte, leavers_headcount, starters_fte, starters_headcount, leavers_fte_12m, turnover_rate_12m_pct, stability_index_pct, nqsw_headcount, nqsw_share_pct, early_career_share_pct, case_holders_fte, cases, caseload_per_fte, over_limit_headcount, supervision_compliance_pct, agency_cost, working_days_lost, absence_rate_pct)",
            "plan.csv, row 4, column 'Target': empty: a target for caseload_per_fte is needed",
            "plan.csv, row 5, column 'Ref': empty: each item needs its reference",
            "plan.csv, row 6, column 'Recommendation': empty: R4 needs its recommendation or action",
            "plan.csv, row 7, column 'Recommendation': R1 is given twice: a further row of an item may add only a measure",
        ]
    );
}

#[test]
fn a_file_that_is_not_a_plan_says_what_it_saw() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "staff.csv", "Employee ID,Team,FTE\n1,A,1\n");
    let err = read_plan(&path, Some(d(2025, 3, 1))).unwrap_err();
    assert_eq!(err.lines.len(), 1);
    assert!(err.lines[0].starts_with("staff.csv: "), "{}", err.lines[0]);
    let path = write(&dir, "empty.csv", "Ref,Recommendation\n");
    let err = read_plan(&path, Some(d(2025, 3, 1))).unwrap_err();
    assert_eq!(
        err.lines,
        vec!["empty.csv: the plan has a header row but no items"]
    );
    let path = write(
        &dir,
        "undated.csv",
        "Ref,Recommendation,Timescale\nR1,Agency,3 months\n",
    );
    let err = read_plan(&path, None).unwrap_err();
    assert!(
        err.lines[0].contains("start date is unknown"),
        "{}",
        err.lines[0]
    );
}
