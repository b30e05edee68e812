//! Leavers by reason and by destination from census returns (core,
//! `keel check`, `keel benchmark show --leavers`, the Data quality and
//! Benchmarks views), the stability index from two consecutive returns,
//! and `keel census check --format csv` as one table.
//!
//! The 2024 return built here (year to 30 September 2024, council 999):
//! ten employed workers in post (…101 to …110, 1.0 FTE each) and fourteen
//! people leaving, one of them (L06) from two posts on the same day:
//!
//! | who | FTE | reason | destination |
//! |---|---|---|---|
//! | L01, L02, L04, L05 | 1.0 each | 1 resignation | 1 another English council |
//! | L03 | 0.5 | 1 | 1 |
//! | L06 | 0.5 + 0.3 | 1 | 1 |
//! | L07, L08 | 1.0 each | 1 | 6 non-social-care / no employment |
//! | R01, R03 | 1.0 each | 5 retired | 6 |
//! | R02 | 0.6 | 5 | 6 |
//! | R04, R05 | 1.0 each | 5 | 8 not known |
//! | D01 | 0.8 | 4 dismissed | 8 |
//!
//! Worked by hand (head counts are people; L06 once, FTE of both posts):
//! - by reason: resignation 8 people, 1 + 1 + 0.5 + 1 + 1 + 0.8 + 1 + 1 =
//!   7.3 FTE; dismissed 1, 0.8; retired 5, 1 + 0.6 + 1 + 1 + 1 = 4.6.
//! - by destination: 1: 6 people (L01–L06), 5.3 FTE; 6: 5 (L07, L08, R01–
//!   R03), 4.6; 8: 3 (R04, R05, D01), 2.8. Both add up to 14 and 12.7.
//! - for a meeting: dismissed (1) is withheld, and, being the only one,
//!   takes the smallest other reason (retired, 5) with it; destination 8
//!   (3) likewise takes destination 6 (5). Resignation and destination 1
//!   are shown.

use crate::app_ui::{harness, texts, wait_idle};
use crate::support::*;
use keel::app::Command;
use keel::metrics::census::{LeaverBy, LeaverCount, leavers_by};
use std::path::{Path, PathBuf};

/// An employed record; `leaves`: (date, destination, reason).
fn record(swe: &str, fte: &str, start: &str, leaves: Option<(&str, u8, u8)>) -> String {
    let ending = match leaves {
        Some((date, dest, reason)) => format!(
            "    <RoleEndDate>{date}</RoleEndDate>\n    <LeaverDestination>{dest}</LeaverDestination>\n    <ReasonLeave>{reason}</ReasonLeave>\n    <FTE30>0</FTE30>\n"
        ),
        None => format!("    <FTE30>{fte}</FTE30>\n    <Cases30>5</Cases30>\n"),
    };
    format!(
        "  <CSWWWorker>
    <AgencyWorker>0</AgencyWorker>
    <SWENo>{swe}</SWENo>
    <FTE>{fte}</FTE>
    <PersonBirthDate>1980-01-01</PersonBirthDate>
    <GenderCurrent>2</GenderCurrent>
    <Ethnicity>WBRI</Ethnicity>
    <QualInst>University of Somewhere</QualInst>
    <QualLevel>1</QualLevel>
    <StepUpGrad>0</StepUpGrad>
    <OrgRole>5</OrgRole>
    <RoleStartDate>{start}</RoleStartDate>
    <StartOrigin>2</StartOrigin>
{ending}    <WorkingDaysLost>0</WorkingDaysLost>
    <FrontlineGrad>0</FrontlineGrad>
  </CSWWWorker>
"
    )
}

fn return_xml(year: i32, records: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CSWW</Collection>
      <Year>{year}</Year>
      <ReferenceDate>{year}-09-30</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>999</LEA>
      <SoftwareCode>HandMade</SoftwareCode>
      <DateTime>{year}-10-02T09:15:00</DateTime>
    </Source>
  </Header>
  <LALevelVacancies>
    <NumberOfVacancies>0.00</NumberOfVacancies>
    <NoAgencyFTE>0.00</NoAgencyFTE>
    <NoAgencyHeadcount>0</NoAgencyHeadcount>
  </LALevelVacancies>
{}</Message>
"#,
        records.concat()
    )
}

/// Worker `n`'s SWE number.
fn swe(n: u32) -> String {
    format!("AA{n:010}")
}

fn in_post(ids: impl IntoIterator<Item = u32>) -> Vec<String> {
    ids.into_iter()
        .map(|n| record(&swe(n), "1", "2015-04-01", None))
        .collect()
}

/// The 2024 return of the table above.
fn return_2024() -> String {
    let mut r = in_post(101..=110);
    let leaver = |n: u32, fte: &str, date: &str, dest: u8, reason: u8| {
        record(&swe(n), fte, "2016-01-01", Some((date, dest, reason)))
    };
    r.extend([
        leaver(201, "1", "2023-11-30", 1, 1),
        leaver(202, "1", "2024-01-31", 1, 1),
        leaver(203, "0.5", "2024-02-29", 1, 1),
        leaver(204, "1", "2024-03-31", 1, 1),
        leaver(205, "1", "2024-04-30", 1, 1),
        leaver(206, "0.5", "2024-05-31", 1, 1),
        leaver(206, "0.3", "2024-05-31", 1, 1),
        leaver(207, "1", "2024-06-30", 6, 1),
        leaver(208, "1", "2024-07-31", 6, 1),
        leaver(301, "1", "2024-08-31", 6, 5),
        leaver(302, "0.6", "2024-09-30", 6, 5),
        leaver(303, "1", "2023-10-01", 6, 5),
        leaver(304, "1", "2023-12-31", 8, 5),
        leaver(305, "1", "2024-03-15", 8, 5),
        leaver(401, "0.8", "2024-06-01", 8, 4),
    ]);
    return_xml(2024, &r)
}

fn line(by: LeaverBy, code: Option<i32>, label: &str, headcount: u64, fte: f64) -> LeaverCount {
    LeaverCount {
        census_year: 2024,
        by,
        code,
        label: label.to_string(),
        headcount,
        fte,
    }
}

fn rounded(rows: Vec<LeaverCount>) -> Vec<LeaverCount> {
    rows.into_iter()
        .map(|r| LeaverCount {
            fte: (r.fte * 1000.0).round() / 1000.0,
            ..r
        })
        .collect()
}

fn validated(text: &str) -> keel::census::Return {
    match keel::census::validate::validate("csww_2024.xml", text.as_bytes()) {
        Ok(r) => r,
        Err(e) => panic!("the test's return is invalid: {:#?}", e.errors),
    }
}

#[test]
fn leavers_by_reason_and_destination_are_counted_as_worked_by_hand() {
    let ret = validated(&return_2024());
    assert!(ret.warnings.is_empty(), "{:?}", ret.warnings);
    let frame = keel::census::records::frame(&ret).unwrap();
    let got = rounded(leavers_by(&frame).unwrap());
    use LeaverBy::{Destination as D, Reason as R};
    let want = vec![
        line(R, Some(1), "resignation", 8, 7.3),
        line(R, Some(4), "dismissed", 1, 0.8),
        line(R, Some(5), "retired", 5, 4.6),
        line(
            D,
            Some(1),
            "social work role in another English council",
            6,
            5.3,
        ),
        line(
            D,
            Some(6),
            "non-social-care role, abroad, no employment or career break",
            5,
            4.6,
        ),
        line(D, Some(8), "not known", 3, 2.8),
    ];
    assert_eq!(got, want);

    // A meeting sees the small lines and their complements as "c".
    let withheld = keel::report::suppress::leavers_withheld(&got);
    assert_eq!(withheld, [false, true, true, false, true, true]);

    // A leaver whose reason the stored table lacks (a file stored before
    // the rule, say) is "not recorded", listed last.
    let mut ret = ret;
    let d01 = ret.records.iter_mut().find(|r| r.swe == swe(401)).unwrap();
    d01.reason = None;
    let frame = keel::census::records::frame(&ret).unwrap();
    let got = rounded(leavers_by(&frame).unwrap());
    assert_eq!(got[1], line(R, Some(5), "retired", 5, 4.6));
    assert_eq!(got[2], line(R, None, "not recorded", 1, 0.8));
}

fn import_ok(ws: &str, files: &[&Path]) {
    let mut args = vec!["import", "--workspace", ws];
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let out = keel(&args);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn workspace_with_2024(dir: &Path) -> String {
    let ws = dir.join("ws").display().to_string();
    let file = write(dir, "csww_2024.xml", &return_2024());
    import_ok(&ws, &[&file]);
    ws
}

#[test]
fn keel_check_lists_every_count_and_benchmark_show_withholds_small_ones() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_with_2024(dir.path());

    let out = keel(&["check", "--workspace", &ws]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("leavers by reason and by destination, from the census returns"),
        "{text}"
    );
    let lines: Vec<Vec<&str>> = text
        .lines()
        .skip_while(|l| !l.starts_with("census_year"))
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        lines[0],
        [
            "census_year",
            "breakdown",
            "code",
            "label",
            "headcount",
            "fte"
        ]
    );
    assert_eq!(lines[2], ["2024", "reason", "4", "dismissed", "1", "0.8"]);
    assert_eq!(
        lines[6],
        ["2024", "destination", "8", "not known", "3", "2.8"]
    );

    let out = keel(&[
        "benchmark",
        "show",
        "--workspace",
        &ws,
        "--leavers",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "census_year,breakdown,code,label,headcount,fte\n\
         2024,reason,1,resignation,8,7.3\n\
         2024,reason,4,dismissed,c,c\n\
         2024,reason,5,retired,c,c\n\
         2024,destination,1,social work role in another English council,6,5.3\n\
         2024,destination,6,\"non-social-care role, abroad, no employment or career break\",c,c\n\
         2024,destination,8,not known,c,c\n"
    );
    assert!(stderr(&out).contains("No comparison: the DfE indicators publish no breakdown"));

    // Without a return there is nothing to break down: a clear error.
    let empty = dir.path().join("empty").display().to_string();
    let snap = write(dir.path(), "staff.csv", &snapshot_csv("30/09/2024", &["1"]));
    import_ok(&empty, &[&snap]);
    let out = keel(&["benchmark", "show", "--workspace", &empty, "--leavers"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no leaver in the census returns held"),
        "{}",
        stderr(&out)
    );
}

fn metrics_rows(ws: &str, reference: bool) -> Vec<serde_json::Value> {
    let mut args = vec!["metrics", "--workspace", ws, "--format", "json"];
    if reference {
        args.push("--reference");
    }
    let out = keel(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn stability_at(rows: &[serde_json::Value], month: &str) -> Option<f64> {
    rows.iter()
        .find(|r| r["month"] == month && r["group_kind"] == "all")
        .unwrap_or_else(|| panic!("no row for {month}"))["stability_index_pct"]
        .as_f64()
}

/// 2023's return: ten in post on 30 September 2023, eight of whom (…101
/// to …108) are in post in 2024's return, and two (L01, L02) who leave
/// in 2024's year. Stability for September 2024: 8 of 10 = 80%; 2023 has
/// no September before it held: empty.
#[test]
fn two_consecutive_returns_give_the_later_year_its_stability_index() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_with_2024(dir.path());
    let before = metrics_rows(&ws, false);
    assert_eq!(stability_at(&before, "2024-09"), None);

    let ids = (101..=108).chain([201, 202]);
    let earlier = write(
        dir.path(),
        "csww_2023.xml",
        &return_xml(2023, &in_post(ids)),
    );
    import_ok(&ws, &[&earlier]);
    let rows = metrics_rows(&ws, false);
    assert_eq!(stability_at(&rows, "2023-09"), None);
    assert_eq!(stability_at(&rows, "2024-09"), Some(80.0));
    assert_eq!(metrics_rows(&ws, true), rows, "the reference agrees");
}

/// September 2023 held as a monthly snapshot instead (SWE numbers as the
/// ids): employed …101 to …106, L01 and …999 (8 people), plus an agency
/// worker, who is not in E(m). Six of the eight are in post in 2024's
/// return: 75%.
#[test]
fn a_monthly_september_a_year_before_a_return_gives_its_stability_too() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_with_2024(dir.path());
    let mut csv = String::from("SWE No,Team,FTE,Contract Type,Extract Date\n");
    for n in (101..=106).chain([201, 999]) {
        csv.push_str(&format!("{},Assessment,1.0,Permanent,30/09/2023\n", swe(n)));
    }
    csv.push_str("AB0000000900,Assessment,1.0,Agency,30/09/2023\n");
    let snap = write(dir.path(), "staff-2023-09.csv", &csv);
    import_ok(&ws, &[&snap]);
    let rows = metrics_rows(&ws, false);
    assert_eq!(stability_at(&rows, "2024-09"), Some(75.0));
    assert_eq!(metrics_rows(&ws, true), rows, "the reference agrees");
}

/// September 2023 held as a snapshot keyed by HR's employee numbers: none
/// of its workers can be found among the return's SWE numbers, so 2024's
/// stability is left empty, not given as 0%.
#[test]
fn a_monthly_september_keyed_by_employee_numbers_gives_no_stability() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace_with_2024(dir.path());
    let snap = write(
        dir.path(),
        "staff-2023-09.csv",
        &snapshot_csv(
            "30/09/2023",
            &["E101", "E102", "E103", "E104", "E105", "E106"],
        ),
    );
    import_ok(&ws, &[&snap]);
    let rows = metrics_rows(&ws, false);
    assert_eq!(stability_at(&rows, "2024-09"), None);
    assert_eq!(metrics_rows(&ws, true), rows, "the reference agrees");
}

/// One table for a spreadsheet: measures, then the records behind the
/// differences, told apart by `section`. Keel's September here: …101 to
/// …109 and …998, so …110 is in the return only and …998 in Keel only.
#[test]
fn census_check_csv_is_one_table_with_a_section_column() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let mut csv = String::from("SWE No,Team,FTE,Contract Type,Extract Date\n");
    for n in (101..=109).chain([998]) {
        csv.push_str(&format!("{},Assessment,1.0,Permanent,30/09/2024\n", swe(n)));
    }
    let snap = write(dir.path(), "staff-2024-09.csv", &csv);
    import_ok(&ws, &[&snap]);
    let file = write(dir.path(), "csww_2024.xml", &return_2024());
    let out = keel(&[
        "census",
        "check",
        "--workspace",
        &ws,
        &file.display().to_string(),
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("section,measure,return,keel,difference,record,line,swe,worker,detail")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.iter().any(|l| l.is_empty()), "no blank line:\n{text}");
    let sections: Vec<&str> = rows.iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(sections.iter().filter(|s| **s == "measure").count(), 21);
    assert_eq!(sections[21..], ["record", "record"]);
    // 10 in post in the return, 10 in Keel's snapshot.
    assert!(
        rows[1] == "measure,inpost_headcount,10.0,10.0,0.0,,,,,",
        "{text}"
    );
    assert!(rows[21].starts_with("record,,,,,10,"), "{text}");
    assert!(rows[21].contains(&swe(110)), "{text}");
    assert!(rows[22].starts_with("record,,,,,,,,w"), "{text}");
}

fn app_workspace(dir: &Path) -> PathBuf {
    let root = dir.join("ws");
    let ws = root.display().to_string();
    let snap = write(
        dir,
        "staff-2024-09.csv",
        &snapshot_csv("30/09/2024", &["1", "2", "3"]),
    );
    let file = write(dir, "csww_2024.xml", &return_2024());
    import_ok(&ws, &[&snap, &file]);
    root
}

/// The two figures after a line's label (`from` starts at it); each
/// text is listed twice, by the label and by its text run (or runs, when
/// it wraps).
fn next_two(from: &[String]) -> Vec<String> {
    from.iter()
        .skip(1)
        .filter(|t| *t == "c" || t.parse::<f64>().is_ok())
        .step_by(2)
        .take(2)
        .cloned()
        .collect()
}

#[test]
fn the_data_quality_view_shows_every_count_and_benchmarks_withhold_small_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app_workspace(dir.path()));
    h.state_mut()
        .command(Command::SetView(keel::app::View::Quality));
    wait_idle(&mut h);
    let shown = texts(&h);
    let after = |label: &str| -> Vec<String> {
        let i = shown
            .iter()
            .position(|t| t == label)
            .unwrap_or_else(|| panic!("{label} not shown: {shown:?}"));
        next_two(&shown[i..])
    };
    assert!(
        shown
            .iter()
            .any(|t| t == "Leavers by reason and destination")
    );
    assert_eq!(after("resignation (1)"), ["8", "7.3"]);
    assert_eq!(after("dismissed (4)"), ["1", "0.8"]);
    assert_eq!(after("not known (8)"), ["3", "2.8"]);

    h.state_mut()
        .command(Command::SetView(keel::app::View::Benchmarks));
    wait_idle(&mut h);
    let shown = texts(&h);
    let after = |label: &str| -> Vec<String> {
        let i = shown.iter().position(|t| t == label).unwrap();
        next_two(&shown[i..])
    };
    assert_eq!(after("resignation (1)"), ["8", "7.3"]);
    assert_eq!(after("dismissed (4)"), ["c", "c"]);
    assert_eq!(after("retired (5)"), ["c", "c"]);
    assert!(
        shown
            .iter()
            .any(|t| t == keel::benchmark::NO_LEAVER_COMPARISON),
        "{shown:?}"
    );
}
