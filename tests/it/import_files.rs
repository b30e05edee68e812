//! The files a real month brings that are not a plain extract with rows:
//! an empty month, a file of thousands of errors, a file that is no
//! extract at all.

use crate::support::*;
use keel::extract::{Issue, Kind, ReadOptions, Severity, capped};
use keel::metrics::{Limits, compute};
use keel::month::Month;
use keel::workspace::Workspace;
use polars::prelude::*;
use std::path::Path;

const LIMITS: Limits = Limits {
    nqsw: 12.0,
    standard: 18.0,
};

fn import(ws: &Path, files: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "--workspace", ws.to_str().unwrap()];
    args.extend(extra);
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    keel(&args)
}

const LEAVERS_HEADER: &str = "Payroll Number,Leaving Date,FTE\n";

/// `leavers_headcount` of the whole service by month.
fn leavers_by_month(ws: &Workspace) -> Vec<(String, i64)> {
    let inputs = ws.inputs().unwrap().unwrap();
    let df = compute(&inputs, LIMITS)
        .unwrap()
        .lazy()
        .filter(col("group_kind").eq(lit("all")))
        .select([col("month"), col("leavers_headcount")])
        .collect()
        .unwrap();
    let months = strings(&df, "month");
    let heads = df.column("leavers_headcount").unwrap().i64().unwrap();
    months
        .into_iter()
        .zip(heads.iter())
        .map(|(m, h)| (m.unwrap(), h.unwrap()))
        .collect()
}

#[test]
fn an_empty_leavers_report_is_a_month_with_no_leavers() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let jan = write(
        dir.path(),
        "jan.csv",
        &snapshot_csv("31/01/2024", &["1", "2", "3"]),
    );
    let feb = write(
        dir.path(),
        "feb.csv",
        &snapshot_csv("29/02/2024", &["1", "2", "3"]),
    );
    let out = import(&ws, &[&jan, &feb], &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The month comes from the file name.
    let empty = write(dir.path(), "leavers_2024-02.csv", LEAVERS_HEADER);
    let out = import(&ws, &[&empty], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("stored import #3: leavers_2024-02.csv (leavers, 2024-02), 0 rows of 0 read"),
        "{said}"
    );
    assert!(
        said.contains(
            "the file has a header row but no data rows: stored as 2024-02 with no leavers (2024-02 from the file name)"
        ),
        "{said}"
    );
    let w = Workspace::open(&ws).unwrap();
    let record = &w.manifest().imports[2];
    assert_eq!(
        (record.kind, record.months.clone(), record.rows),
        (Kind::Leavers, vec![Month::new(2024, 2).unwrap()], 0)
    );
    assert_eq!(
        leavers_by_month(&w),
        [("2024-01".to_string(), 0), ("2024-02".to_string(), 0)]
    );

    // The same empty bytes for another month are another month, not the
    // same file again.
    let march = write(dir.path(), "leavers_2024-03.csv", LEAVERS_HEADER);
    let out = import(&ws, &[&march], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The same month again is.
    let again = write(dir.path(), "leavers 2024_03 again.csv", LEAVERS_HEADER);
    let out = import(&ws, &[&again], &[]);
    assert!(
        stderr(&out).contains("this file was already imported (import #4 of leavers_2024-03.csv)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_empty_leavers_report_beside_a_snapshot_leaves_inferred_leavers_as_they_were() {
    // Worker 3 vanishes in February and the leavers report for February is
    // empty: one inferred leaver, warned of and counted.
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    let jan = write(
        dir.path(),
        "jan.csv",
        &snapshot_csv("31/01/2024", &["1", "2", "3"]),
    );
    ws.import(vec![read_ok(&jan, &opts())], false).unwrap();
    let feb = write(
        dir.path(),
        "feb.csv",
        &snapshot_csv("29/02/2024", &["1", "2"]),
    );
    let none = write(dir.path(), "leavers.csv", LEAVERS_HEADER);
    let with_month = ReadOptions {
        month: Month::new(2024, 2),
        ..opts()
    };
    let stored = ws
        .import(
            vec![read_ok(&feb, &opts()), read_ok(&none, &with_month)],
            false,
        )
        .unwrap();
    let inferred: Vec<&Issue> = stored
        .warnings
        .iter()
        .flatten()
        .filter(|w| w.reason.contains("inferred leaver in 2024-02"))
        .collect();
    assert_eq!(inferred.len(), 1, "{:#?}", stored.warnings);
    assert!(
        stored.warnings[1][0]
            .reason
            .contains("stored as 2024-02 with no leavers (2024-02 given for the file)"),
        "{:#?}",
        stored.warnings
    );
    assert_eq!(
        leavers_by_month(&ws),
        [("2024-01".to_string(), 0), ("2024-02".to_string(), 1)]
    );
}

#[test]
fn an_empty_file_without_a_month_says_to_pass_one_and_an_empty_snapshot_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let leavers = write(dir.path(), "leavers.csv", LEAVERS_HEADER);
    let r = read_err(&leavers, &opts());
    assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
    assert!(
        r.errors[0].reason.contains(
            "no data rows; to store it as a month with no leavers, give the file's month (or name the file with its month, as in leavers_2026-10.csv)"
        ),
        "{}",
        r.errors[0]
    );

    // A snapshot with no rows is a broken export, month or not.
    let staff = write(
        dir.path(),
        "staff_2024-02.csv",
        &snapshot_csv("29/02/2024", &[]),
    );
    let r = read_err(
        &staff,
        &ReadOptions {
            month: Month::new(2024, 2),
            ..opts()
        },
    );
    assert!(
        r.errors[0]
            .reason
            .contains("no data rows: a workforce extract cannot be empty"),
        "{}",
        r.errors[0]
    );

    // Supervision and caseload files: a month with none.
    let sup = write(
        dir.path(),
        "supervision-2024-02.csv",
        "Employee Number,Supervision Date\n",
    );
    let e = read_ok(&sup, &opts());
    assert_eq!(
        (e.kind, e.months.clone()),
        (Kind::Supervision, vec![Month::new(2024, 2).unwrap()])
    );
    let cases = write(dir.path(), "cases.csv", "Employee Number,Child ID\n");
    let e = read_ok(
        &cases,
        &ReadOptions {
            kind: Some(Kind::Caseload),
            month: Month::new(2024, 2),
            ..opts()
        },
    );
    assert_eq!((e.kind, e.data.height()), (Kind::Caseload, 0));
    assert!(e.warnings[0].reason.contains("with no cases allocated"));

    // Held as February's caseload: the metrics still compute.
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    let feb = write(
        dir.path(),
        "feb.csv",
        &snapshot_csv("29/02/2024", &["1", "2"]),
    );
    ws.import(vec![read_ok(&feb, &opts()), e], false).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    let df = compute(&inputs, LIMITS).unwrap();
    assert!(df.height() > 0);
}

#[test]
fn the_month_in_a_file_name() {
    use keel::extract::month_in_file_name as m;
    assert_eq!(m("leavers_2026-10.csv"), Month::new(2026, 10));
    assert_eq!(m("Supervision 2026_01 final.xlsx"), Month::new(2026, 1));
    assert_eq!(m("leavers-2026-10-31.csv"), Month::new(2026, 10));
    assert_eq!(m("leavers.csv"), None);
    assert_eq!(m("leavers_2026-13.csv"), None);
    assert_eq!(m("leavers_12026-10.csv"), None);
    // Two months: which is meant is the user's to say.
    assert_eq!(m("leavers_2026-09_to_2026-10.csv"), None);
}

/// A snapshot of `n` rows dated March 2024, every hundredth with FTE 7.
fn bad_rows(n: usize) -> String {
    let mut s = String::from("Employee Number,Team,FTE,Contract Type,Extract Date\n");
    for i in 1..=n {
        let fte = if i % 100 == 0 { "7" } else { "1.0" };
        s.push_str(&format!("{i},Assessment,{fte},Permanent,31/03/2024\n"));
    }
    s
}

#[test]
fn errors_stop_at_fifty_a_file_and_the_rest_are_counted_by_rule() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let big = write(dir.path(), "big.csv", &bad_rows(3000));
    let out = import(&ws, &[&big], &["--month", "2024-04"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    // 3,000 rows outside the month and 30 with a bad FTE: the first 50
    // (rows 2 to 51), then one line per rule.
    assert_eq!(lines.len(), 50 + 2 + 2, "{err}");
    assert!(lines[0].starts_with("error: big.csv, row 2, column 'Extract Date'"));
    assert!(
        lines[49].starts_with("error: big.csv, row 51, "),
        "{}",
        lines[49]
    );
    assert_eq!(
        lines[50],
        "error: big.csv: … and 2,950 more rows with column 'Extract Date': the snapshot date is not in 2024-04, the month given for the file"
    );
    assert_eq!(
        lines[51],
        "error: big.csv: … and 30 more rows with column 'FTE': FTE must be above 0 and at most 1.5"
    );
    assert_eq!(lines[52], "(--all-errors lists every row)");
    assert_eq!(
        lines[53],
        "3,030 error(s): nothing was stored. Correct the file and import again."
    );
    assert!(!Workspace::exists(&ws) || Workspace::open(&ws).unwrap().manifest().imports.is_empty());

    let out = import(&ws, &[&big], &["--month", "2024-04", "--all-errors"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("error: big.csv, row "))
            .count(),
        3030
    );
    assert!(!err.contains("more rows"));
}

#[test]
fn errors_past_the_cap_keep_what_their_rows_share_and_hide_what_differs() {
    let issue = |file: &str, row: usize, reason: String| Issue {
        severity: Severity::Error,
        file: file.into(),
        row: Some(row),
        column: Some("Start Date".into()),
        value: None,
        reason,
    };
    let mut issues = Vec::new();
    for row in 2..10 {
        issues.push(issue(
            "a.csv",
            row,
            format!("'03/{row}/2024' looks like month/day order; Keel reads dates day first ({row}/03/2024) and never swaps them"),
        ));
    }
    issues.push(issue("b.csv", 2, "'x' is not a number".into()));
    let (shown, omitted) = capped::cap(&issues, 3);
    assert_eq!(shown.len(), 4, "three of a.csv, the one of b.csv");
    assert_eq!(omitted.len(), 1);
    assert_eq!(
        omitted[0].to_string(),
        "a.csv: … and 5 more rows with column 'Start Date': … looks like month/day order; Keel reads dates day first (…) and never swaps them"
    );
    assert_eq!(capped::thousands(999_950), "999,950");
    assert_eq!(capped::thousands(950), "950");
}

#[test]
fn a_file_that_is_no_extract_says_so_and_what_it_saw() {
    let dir = tempfile::tempdir().unwrap();
    let readme = write(
        dir.path(),
        "README.md",
        "# Keel\n\nKeel is a planner, for councils, that reads extracts.\n\nRun it with cargo.\n",
    );
    let r = read_err(&readme, &opts());
    assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
    let said = r.errors[0].to_string();
    assert!(
        said.starts_with("error: README.md: not an extract Keel recognises"),
        "{said}"
    );
    assert!(said.contains("'# Keel'"), "{said}");
    assert!(!said.contains("headers: a value probably holds"), "{said}");

    // Prose whose first line has commas: its "headers" are shown cut short.
    let notes = write(
        dir.path(),
        "notes.txt",
        "Dear colleague, this month the extract is late because the payroll system was down, sorry, again, and again, and again\nsecond line, with, more, commas, than, the, first, one, has, here, now, ok, yes\n",
    );
    let said = read_err(&notes, &opts()).errors[0].to_string();
    assert!(said.contains("not an extract Keel recognises"), "{said}");
    assert!(said.contains("'Dear colleague'"), "{said}");
    assert!(
        said.contains("'this month the extract is late…'") && said.contains("and 1 more"),
        "{said}"
    );

    let pdf = dir.path().join("board.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02",
    )
    .unwrap();
    let said = read_err(&pdf, &opts()).errors[0].to_string();
    assert_eq!(
        said,
        "error: board.pdf: not an extract Keel recognises: the file holds a PDF document"
    );

    let bytes = dir.path().join("dump.csv");
    std::fs::write(&bytes, (0..=255u8).cycle().take(4000).collect::<Vec<u8>>()).unwrap();
    let said = read_err(&bytes, &opts()).errors[0].to_string();
    assert!(
        said.ends_with("not an extract Keel recognises: the file holds binary data, not CSV text"),
        "{said}"
    );

    // On the command line, nothing is stored.
    let ws = dir.path().join("ws");
    let staff = write(dir.path(), "staff.csv", &snapshot_csv("31/03/2024", &["1"]));
    let out = import(&ws, &[&staff, &readme], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("README.md: not an extract Keel recognises"));
    assert!(!Workspace::exists(&ws) || Workspace::open(&ws).unwrap().manifest().imports.is_empty());
}
