//! The contract's import rules: each error blocks the file and is named by
//! row, column, value and reason; each warning lets it through.

use crate::support::*;
use keel::extract::{Issue, ReadOptions};

const HEAD: &str = "Staff ID,Team,FTE,Contract,Extract Date,Open Cases,Start Date\n";

fn one_row(row: &str) -> String {
    format!("{HEAD}{row}\n")
}

fn only_error(row: &str) -> Issue {
    let dir = tempfile::tempdir().unwrap();
    let r = read_err(&write(dir.path(), "bad.csv", &one_row(row)), &opts());
    assert_eq!(r.errors.len(), 1, "{row}: {:#?}", r.errors);
    r.errors[0].clone()
}

fn warnings(csv: &str) -> Vec<Issue> {
    let dir = tempfile::tempdir().unwrap();
    read_ok(&write(dir.path(), "ok.csv", csv), &opts()).warnings
}

#[test]
fn fte_must_be_above_zero_and_at_most_one_and_a_half() {
    for (fte, row) in [
        ("0", "1,A,0,Perm,31/03/2024,,"),
        ("-0.5", "1,A,-0.5,Perm,31/03/2024,,"),
        ("1.6", "1,A,1.6,Perm,31/03/2024,,"),
    ] {
        let e = only_error(row);
        assert_eq!(
            (e.row, e.column.as_deref(), e.value.as_deref()),
            (Some(2), Some("FTE"), Some(fte))
        );
        assert!(e.reason.contains("at most 1.5"), "{}", e.reason);
    }
    let w = warnings(&one_row("1,A,1.2,Perm,31/03/2024,,"));
    assert_eq!(w.len(), 1);
    assert!(w[0].reason.contains("above 1.0"));
    assert!(
        warnings(&one_row("1,A,1.5,Perm,31/03/2024,,"))
            .iter()
            .any(|w| w.column.as_deref() == Some("FTE"))
    );
}

#[test]
fn caseloads_cannot_be_negative_and_above_sixty_is_a_warning() {
    let e = only_error("1,A,1,Perm,31/03/2024,-1,");
    assert_eq!(
        (e.column.as_deref(), e.value.as_deref()),
        (Some("Open Cases"), Some("-1"))
    );
    assert!(warnings(&one_row("1,A,1,Perm,31/03/2024,60,")).is_empty());
    let w = warnings(&one_row("1,A,1,Perm,31/03/2024,61,"));
    assert_eq!((w.len(), w[0].column.as_deref()), (1, Some("Open Cases")));
}

#[test]
fn empty_ids_bad_dates_unknown_types_and_missing_values() {
    let e = only_error(",A,1,Perm,31/03/2024,,");
    assert_eq!(e.column.as_deref(), Some("Staff ID"));
    assert!(e.reason.contains("empty"));
    let e = only_error("1,A,1,Perm,31/03/2024,,soon");
    assert_eq!(
        (e.column.as_deref(), e.value.as_deref()),
        (Some("Start Date"), Some("soon"))
    );
    let e = only_error("1,A,1,Volunteer,31/03/2024,,");
    assert_eq!(
        (e.column.as_deref(), e.value.as_deref()),
        (Some("Contract"), Some("Volunteer"))
    );
    assert!(e.reason.contains("profile"));
    let e = only_error("1,,1,Perm,31/03/2024,,");
    assert_eq!(e.column.as_deref(), Some("Team"));
    let e = only_error("1,A,1,Perm,31/03/2024,lots,");
    assert_eq!(e.value.as_deref(), Some("lots"));
}

#[test]
fn missing_required_columns_and_misaligned_rows() {
    let dir = tempfile::tempdir().unwrap();
    let r = read_err(
        &write(
            dir.path(),
            "w.csv",
            "Staff ID,Team,Contract,Extract Date\n1,A,Perm,31/03/2024\n",
        ),
        &opts(),
    );
    assert!(
        r.errors[0].reason.contains("needs the FTE column"),
        "{:?}",
        r.errors
    );
    let r = read_err(
        &write(
            dir.path(),
            "w.csv",
            "Staff ID,Team,FTE,Contract\n1,A,1,Perm\n",
        ),
        &opts(),
    );
    assert!(
        r.errors[0].reason.contains("give the file's month"),
        "{:?}",
        r.errors
    );
    let r = read_err(
        &write(
            dir.path(),
            "w.csv",
            &format!("{HEAD}1,A,1,Perm,31/03/2024,3,,Smith, John\n"),
        ),
        &opts(),
    );
    assert_eq!(r.errors[0].row, Some(2));
    assert!(r.errors[0].reason.contains("unquoted comma"));
}

#[test]
fn one_snapshot_per_month_and_month_must_match() {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "{HEAD}1,A,1,Perm,31/03/2024,,\n2,A,1,Perm,15/03/2024,,\n3,A,1,Perm,30/04/2024,,\n"
    );
    let r = read_err(&write(dir.path(), "w.csv", &csv), &opts());
    assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
    assert!(
        r.errors[0]
            .reason
            .contains("2024-03 has more than one snapshot date")
    );
    let csv = format!("{HEAD}1,A,1,Perm,31/03/2024,,\n");
    let o = ReadOptions {
        month: "2024-04".parse().ok(),
        ..opts()
    };
    let r = read_err(&write(dir.path(), "w.csv", &csv), &o);
    assert!(r.errors[0].reason.contains("not in 2024-04"));
}

#[test]
fn several_months_in_one_file_are_one_snapshot_each() {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "{HEAD}1,A,1,Perm,31/03/2024,,\n1,A,1,Perm,30/04/2024,,\n2,A,1,Perm,30/04/2024,,\n"
    );
    let e = read_ok(&write(dir.path(), "w.csv", &csv), &opts());
    assert_eq!(
        e.months.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        ["2024-03", "2024-04"]
    );
    assert_eq!(e.data.height(), 3);
}

#[test]
fn exact_duplicates_are_dropped_and_two_posts_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "{HEAD}1,A,1,Perm,31/03/2024,10,\n2,A,0.5,Perm,31/03/2024,5,\n1,A,1,Perm,31/03/2024,10,\n2,B,0.5,Perm,31/03/2024,4,\n"
    );
    let e = read_ok(&write(dir.path(), "w.csv", &csv), &opts());
    assert_eq!(e.data.height(), 3, "the exact duplicate (row 4) is dropped");
    let rows: Vec<u32> = e
        .data
        .column("row")
        .unwrap()
        .u32()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(rows, vec![2, 3, 5]);
    let dup = e
        .warnings
        .iter()
        .find(|w| w.reason.contains("duplicate"))
        .unwrap();
    assert_eq!(dup.row, Some(4));
    assert!(dup.reason.contains("row 2"));
    let two = e
        .warnings
        .iter()
        .find(|w| w.reason.contains("2 teams"))
        .unwrap();
    assert!(two.reason.contains("rows 3, 5"), "{}", two.reason);
    assert!(
        !two.reason.contains(" 2 is"),
        "no identifier in a stored warning"
    );
}

#[test]
fn future_dates_and_name_columns_are_warnings() {
    let csv = "Staff ID,Full Name,Team,FTE,Contract,Extract Date,Start Date,Leave Date\n1,Ann Smith,A,1,Perm,31/03/2024,01/01/2027,01/01/2027\n";
    let w = warnings(csv);
    assert!(
        w.iter()
            .any(|w| w.column.as_deref() == Some("Full Name") && w.reason.contains("name"))
    );
    assert!(
        w.iter()
            .any(|w| w.column.as_deref() == Some("Start Date") && w.reason.contains("future"))
    );
    assert!(
        !w.iter().any(|w| w.column.as_deref() == Some("Leave Date")),
        "notice periods run into the future"
    );
    let dir = tempfile::tempdir().unwrap();
    let e = read_ok(&write(dir.path(), "w.csv", csv), &opts());
    assert!(
        e.data
            .get_column_names()
            .iter()
            .all(|c| !c.contains("name"))
    );
}

#[test]
fn one_bad_row_among_many_rejects_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from(HEAD);
    for i in 0..2000 {
        let fte = if i == 1234 { "7" } else { "1" };
        csv.push_str(&format!("{i:06},A,{fte},Perm,31/03/2024,12,01/09/2020\n"));
    }
    let path = write(dir.path(), "w.csv", &csv);
    let r = read_err(&path, &opts());
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].row, Some(1236));

    let ws = dir.path().join("ws");
    let out = keel(&[
        "import",
        "--workspace",
        ws.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("w.csv, row 1236, column 'FTE', value '7'"),
        "{err}"
    );
    assert!(err.contains("nothing was stored"));
    let ws = keel::workspace::Workspace::open(&ws).unwrap();
    assert!(ws.manifest().imports.is_empty());
    assert!(
        std::fs::read_dir(ws.root().join("imports"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn a_day_that_does_not_exist_is_called_so_in_the_app_and_on_the_command_line() {
    let e = only_error("1,A,1.0,Permanent,31/03/2024,5,31/02/2015");
    assert_eq!(e.value.as_deref(), Some("31/02/2015"));
    assert_eq!(
        e.reason,
        "'31/02/2015' is not a real date: February 2015 has no day 31"
    );
    let e = only_error("1,A,1.0,Permanent,31/03/2024,5,2023-04-31");
    assert!(
        e.reason.contains("April 2023 has no day 31"),
        "{}",
        e.reason
    );
    // A form Keel does not read is still told which forms it reads.
    let e = only_error("1,A,1.0,Permanent,31/03/2024,5,31.02.2015");
    assert!(e.reason.contains("use 2024-03-31"), "{}", e.reason);

    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "staff.csv",
        &one_row("1,A,1.0,Permanent,31/03/2024,5,31/02/2015"),
    );
    let ws = dir.path().join("ws");
    let out = keel(&[
        "import",
        "--workspace",
        ws.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("'31/02/2015' is not a real date: February 2015 has no day 31"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_truncated_workbook_is_called_damaged_and_messages_name_no_command_line_flags() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let xlsx = std::fs::read_dir(&sample)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .expect("the sample has workbooks");
    let bytes = std::fs::read(&xlsx).unwrap();
    let cut = dir.path().join("staff.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let r = read_err(&cut, &opts());
    let said = r.errors[0].reason.clone();
    assert!(
        said.contains("the workbook is damaged or incomplete"),
        "{said}"
    );
    assert!(!said.contains("Zip") && !said.contains("EOCD"), "{said}");

    // A file whose kind cannot be told asks to choose it, in words that fit
    // the app; the command line adds its flag.
    let odd = write(dir.path(), "odd.csv", "Team,Role\nA,Social Worker\n");
    let r = read_err(&odd, &opts());
    let said = r.errors[0].reason.clone();
    assert!(said.contains("choose its kind"), "{said}");
    assert!(!said.contains("--"), "{said}");
    let ws = dir.path().join("ws");
    let out = keel(&[
        "import",
        "--workspace",
        ws.to_str().unwrap(),
        odd.to_str().unwrap(),
    ]);
    assert!(
        stderr(&out).contains("--kind workforce|leavers"),
        "{}",
        stderr(&out)
    );
}
