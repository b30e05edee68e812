//! `keel plan import|show|set|event` with `keel history` and `keel undo`,
//! on a small workspace whose agency rate is worked out by hand.
//!
//! Six month-end workforce extracts, January to June 2026, each of 20
//! workers at 1.0 FTE, of whom 6, 5, 4, 4, 4 and 4 are agency: an agency
//! rate of 30, 25, 20, 20, 20 and 20%. The 12-month line through them
//! (months x = 0…5, mean 2.5; mean rate 22.5) has slope
//! Σ(x−2.5)(y−22.5) / Σ(x−2.5)² = −32.5 / 17.5 = −1.857 a month and stands
//! at 22.5 − 1.857 × 2.5 = 17.857 in June: 15% is 2.857 below that, 1.54
//! months on, so the line reaches it in August.
//!
//! The plan starts on 5 January 2026: `immediate` is due 2 February,
//! `3 months` 5 April, `6 months` 5 July.

use crate::support::*;
use keel::workspace::Workspace;
use std::path::Path;

const PLAN: &str = "\
Ref,Recommendation,Timescale,Due,Lead,Status,Status Date,Measure,Target,Target Date
R1,Cap caseloads at 18,Immediate,,Principal Social Worker,Done,20/01/2026,agency_rate_pct,20,2026-03
R2,Reduce reliance on agency social workers,3 months,,Head of Service,In progress,,agency_rate_pct,15,2026-04
R2,,,,,,,agency_rate_pct,15,2026-09
R3,Recruit and retain permanent staff,6 months,,HR Business Partner,Not started,,agency_rate_pct,15,2026-07
R3,,,,,,,Supervision compliance,95,2026-06
R4,Exit interviews for every leaver,,28/02/2026,HR Business Partner,Not started,,,,
R5,Agency framework review,3 months,,Head of Service,Dropped,01/03/2026,,,
Event,Peer review,,15/10/2026,,,,,,
";

fn month_csv(month_end: &str, agency: usize) -> String {
    let mut s = String::from("Employee Number,Team,FTE,Contract Type,Extract Date\n");
    for i in 1..=(20 - agency) {
        s.push_str(&format!("p{i},Assessment,1.0,Permanent,{month_end}\n"));
    }
    for i in 1..=agency {
        s.push_str(&format!("a{i},Assessment,1.0,Agency,{month_end}\n"));
    }
    s
}

/// The hand-worked workspace and the plan file beside it.
fn workspace() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let months = [
        ("jan.csv", "31/01/2026", 6),
        ("feb.csv", "28/02/2026", 5),
        ("mar.csv", "31/03/2026", 4),
        ("apr.csv", "30/04/2026", 4),
        ("may.csv", "31/05/2026", 4),
        ("jun.csv", "30/06/2026", 4),
    ];
    let files: Vec<String> = months
        .iter()
        .map(|(n, end, agency)| {
            write(dir.path(), n, &month_csv(end, *agency))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["import", "--workspace", ws.as_str()];
    args.extend(files.iter().map(String::as_str));
    let out = keel(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = write(dir.path(), "plan.csv", PLAN).display().to_string();
    (dir, ws, plan)
}

fn ok(args: &[&str]) -> String {
    let out = keel(args);
    assert!(out.status.success(), "keel {args:?}: {}", stderr(&out));
    stdout(&out)
}

fn show_csv(ws: &str, as_at: &str) -> Vec<Vec<String>> {
    let text = ok(&[
        "plan",
        "show",
        "--workspace",
        ws,
        "--as-at",
        as_at,
        "--format",
        "csv",
    ]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "ref",
            "title",
            "window",
            "due",
            "lead",
            "status",
            "rag",
            "measure",
            "target",
            "by",
            "actual",
            "attainment"
        ]
    );
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Each row's ref, due, status, rag, measure, target, by, actual and attainment.
fn judged(rows: &[Vec<String>]) -> Vec<[&str; 9]> {
    rows.iter()
        .map(|r| {
            [
                &r[0], &r[3], &r[5], &r[6], &r[7], &r[8], &r[9], &r[10], &r[11],
            ]
            .map(String::as_str)
        })
        .collect()
}

#[test]
fn import_then_show_works_out_rag_and_attainment_by_hand() {
    let (_d, ws, plan) = workspace();
    let out = ok(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-01-05",
        &plan,
    ]);
    assert_eq!(
        out,
        "stored plan edit #1: imported plan.csv (5 items, 5 linked measures, 1 event)\n  plan start 2026-01-05: windows fall due from it\n"
    );

    let rows = show_csv(&ws, "2026-03-25");
    assert_eq!(
        judged(&rows),
        [
            // Done on 20 January; March held at 20%.
            [
                "R1",
                "2026-02-02",
                "done",
                "done",
                "agency_rate_pct",
                "20.0%",
                "2026-03",
                "20.0%",
                "met"
            ],
            // Due 5 April, 11 days on: due soon. April held at 20% against 15.
            [
                "R2",
                "2026-04-05",
                "in progress",
                "due soon",
                "agency_rate_pct",
                "15.0%",
                "2026-04",
                "20.0%",
                "missed by 5.0 points"
            ],
            // September not held: June's 20%, and the line reaches 15 in August.
            [
                "R2",
                "2026-04-05",
                "in progress",
                "due soon",
                "agency_rate_pct",
                "15.0%",
                "2026-09",
                "20.0%",
                "on course"
            ],
            // …but not by July.
            [
                "R3",
                "2026-07-05",
                "not started",
                "on track",
                "agency_rate_pct",
                "15.0%",
                "2026-07",
                "20.0%",
                "off course"
            ],
            // No supervision extract: nothing to judge by.
            [
                "R3",
                "2026-07-05",
                "not started",
                "on track",
                "supervision_compliance_pct",
                "95.0%",
                "2026-06",
                "",
                "no figures yet"
            ],
            // Its own date, 28 February, has passed.
            [
                "R4",
                "2026-02-28",
                "not started",
                "overdue",
                "",
                "",
                "",
                "",
                ""
            ],
            ["R5", "2026-04-05", "dropped", "dropped", "", "", "", "", ""],
        ]
    );
    assert_eq!(rows[0][1], "Cap caseloads at 18");
    assert_eq!(rows[0][2], "immediate");
    assert_eq!(rows[0][4], "Principal Social Worker");
    assert_eq!(rows[5][2], "", "R4 has a date, not a window");

    // The day before R1 was done it was in progress, 14 days from its due
    // date (due soon); R4 was 40 days from its own.
    let early = show_csv(&ws, "2026-01-19");
    assert_eq!(
        (early[0][5].as_str(), early[0][6].as_str()),
        ("in progress", "due soon")
    );
    assert_eq!(early[5][6], "on track");

    // The same rows as JSON (blank cells null) and as aligned text.
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "plan",
        "show",
        "--workspace",
        &ws,
        "--as-at",
        "2026-03-25",
        "--format",
        "json",
    ]))
    .unwrap();
    let json = json.as_array().unwrap();
    assert_eq!(json.len(), 7);
    assert_eq!(json[2]["attainment"], "on course");
    assert!(json[5]["measure"].is_null());
    let text = ok(&["plan", "show", "--workspace", &ws, "--as-at", "2026-03-25"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "{text}");
    assert!(lines[0].starts_with("ref  title "), "{text}");
    let rag_at = lines[0].find("rag").unwrap();
    assert!(lines[3][rag_at..].starts_with("due soon"), "{text}");
}

#[test]
fn set_records_dated_status_and_evidence_and_undo_takes_it_back() {
    let (_d, ws, plan) = workspace();
    ok(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-01-05",
        &plan,
    ]);
    let out = ok(&[
        "plan",
        "set",
        "--workspace",
        &ws,
        "r2",
        "--status",
        "Done",
        "--date",
        "2026-04-01",
        "--evidence",
        "Agency cap agreed at Cabinet",
    ]);
    assert_eq!(
        out,
        "stored plan edit #2: R2 status → done; evidence added: Agency cap agreed at Cabinet\n"
    );
    // Done from 1 April: as at 10 April it is done; as at 25 March it was
    // still in progress, and due soon.
    let after = show_csv(&ws, "2026-04-10");
    assert_eq!(
        (after[1][5].as_str(), after[1][6].as_str()),
        ("done", "done")
    );
    assert_eq!(after[2][6], "done", "every row of the item");
    let before = show_csv(&ws, "2026-03-25");
    assert_eq!(
        (before[1][5].as_str(), before[1][6].as_str()),
        ("in progress", "due soon")
    );
    let p = Workspace::open(Path::new(&ws))
        .unwrap()
        .plan()
        .unwrap()
        .unwrap();
    let r2 = p.item("R2").unwrap();
    assert_eq!(r2.evidence[0].text, "Agency cap agreed at Cabinet");
    assert_eq!(r2.evidence[0].date.to_string(), "2026-04-01");

    let out = ok(&[
        "plan",
        "event",
        "--workspace",
        &ws,
        "--date",
        "2026-07-14",
        "--label",
        "Scrutiny committee",
    ]);
    assert_eq!(
        out,
        "stored plan edit #3: event added: Scrutiny committee (14/07/2026)\n"
    );
    let p = Workspace::open(Path::new(&ws))
        .unwrap()
        .plan()
        .unwrap()
        .unwrap();
    let events: Vec<(String, &str)> = p
        .events
        .iter()
        .map(|e| (e.date.to_string(), e.label.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            ("2026-07-14".to_string(), "Scrutiny committee"),
            ("2026-10-15".to_string(), "Peer review")
        ]
    );

    // History lists the imports as before and the plan edits after them.
    let hist = ok(&["history", "--workspace", &ws]);
    let lines: Vec<&str> = hist.lines().collect();
    assert!(lines[0].starts_with("  id  imported "), "{hist}");
    assert_eq!(lines.len(), 1 + 6 + 1 + 1 + 3, "{hist}");
    assert_eq!(lines[7], "");
    assert!(lines[8].starts_with("  id  edited "), "{hist}");
    assert!(lines[8].ends_with("plan edit"), "{hist}");
    assert!(lines[9].starts_with("   1  "), "{hist}");
    assert!(
        lines[9].ends_with("  active   imported plan.csv (5 items, 5 linked measures, 1 event)"),
        "{hist}"
    );
    assert!(lines[11].ends_with("event added: Scrutiny committee (14/07/2026)"));

    let out = ok(&["undo", "--workspace", &ws]);
    assert_eq!(
        out,
        "undid plan edit #3: event added: Scrutiny committee (14/07/2026)\n  the plan is now that of edit #2 (R2 status → done; evidence added: Agency cap agreed at Cabinet)\n"
    );
    let out = ok(&["undo", "--workspace", &ws]);
    assert!(
        out.starts_with("undid plan edit #2: R2 status → done"),
        "{out}"
    );
    let back = show_csv(&ws, "2026-04-10");
    assert_eq!(
        (back[1][5].as_str(), back[1][6].as_str()),
        ("in progress", "overdue")
    );
    let hist = ok(&["history", "--workspace", &ws]);
    assert!(
        hist.lines()
            .any(|l| l.contains("  undone   R2 status → done")),
        "{hist}"
    );
    // Then the plan's import, then the extracts' (one command), as before.
    let out = ok(&["undo", "--workspace", &ws]);
    assert!(
        out.starts_with("undid plan edit #1: imported plan.csv"),
        "{out}"
    );
    let out = ok(&["undo", "--workspace", &ws]);
    assert!(
        out.starts_with("undid import #1: jan.csv (workforce, 2026-01)\n")
            && out.contains("undid import #6: jun.csv (workforce, 2026-06)\n"),
        "{out}"
    );
}

#[test]
fn importing_over_a_plan_replaces_it_and_undo_restores_it() {
    let (d, ws, plan) = workspace();
    ok(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-01-05",
        &plan,
    ]);
    // This file states its start.
    let revised = write(
        d.path(),
        "plan-revised.csv",
        "No.,Action,Window,Owner,Progress,Plan Start\n\
         1,Stable leadership team,6 months,Director,In progress,05/01/2026\n",
    );
    let out = ok(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        revised.to_str().unwrap(),
    ]);
    assert_eq!(
        out,
        "stored plan edit #2: imported plan-revised.csv (1 item, 0 linked measures, 0 events)\n  plan start 2026-01-05: windows fall due from it\n  replaces the plan of edit #1 (imported plan.csv (5 items, 5 linked measures, 1 event)); it is kept and `keel undo` restores it\n"
    );
    let rows = show_csv(&ws, "2026-03-25");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "1");
    ok(&["undo", "--workspace", &ws]);
    assert_eq!(show_csv(&ws, "2026-03-25").len(), 7);
}

#[test]
fn errors_name_what_is_wrong_and_store_nothing() {
    let (d, ws, _plan) = workspace();
    let manifest = Path::new(&ws).join("keel.json");
    let before = std::fs::read(&manifest).unwrap();

    let out = keel(&["plan", "show", "--workspace", &ws]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("holds no improvement plan yet: import one with `keel plan import"),
        "{}",
        stderr(&out)
    );

    let bad = write(
        d.path(),
        "bad.csv",
        "Ref,Recommendation,Timescale,Measure,Target,Target Date\n\
         R1,Agency,next year,agency_rate_pct,15,2026-12\n\
         R2,Turnover,3 months,turnover,12,2026-12\n",
    );
    let out = keel(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-01-05",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert_eq!(
        lines[0],
        "bad.csv, row 2, column 'Timescale': 'next year' is not a window: write immediate, 3 months or 6 months"
    );
    assert!(
        lines[1].starts_with("bad.csv, row 3, column 'Measure': 'turnover' is not a measure"),
        "{err}"
    );
    assert_eq!(
        lines[2],
        "2 error(s): nothing was stored. Correct the plan and import it again."
    );
    assert!(stdout(&out).is_empty());
    assert_eq!(std::fs::read(&manifest).unwrap(), before, "nothing stored");

    let undated = write(
        d.path(),
        "undated.csv",
        "Ref,Recommendation,Timescale\nR1,Agency,3 months\n",
    );
    let out = keel(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        undated.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("start date is unknown: give --start"),
        "{}",
        stderr(&out)
    );

    let plan = write(d.path(), "plan.csv", PLAN);
    ok(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-01-05",
        plan.to_str().unwrap(),
    ]);
    let before = std::fs::read(&manifest).unwrap();
    let out = keel(&["plan", "set", "--workspace", &ws, "R9", "--status", "done"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "there is no item 'R9' in the plan; its references are R1, R2, R3, R4, R5\n"
    );
    // clap refuses what is not a status, or a set that changes nothing.
    let out = keel(&[
        "plan",
        "set",
        "--workspace",
        &ws,
        "R1",
        "--status",
        "finished",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "'finished' is not a status: write not started, in progress, done or dropped"
        ),
        "{}",
        stderr(&out)
    );
    let out = keel(&[
        "plan",
        "set",
        "--workspace",
        &ws,
        "R1",
        "--date",
        "2026-03-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--status"), "{}", stderr(&out));
    let out = keel(&["plan", "set", "--workspace", &ws, "R1", "--evidence", "  "]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "the evidence is empty: write what was done\n");
    let out = keel(&[
        "plan",
        "event",
        "--workspace",
        &ws,
        "--date",
        "2026-10-15",
        "--label",
        "Peer review",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "the plan already has 'Peer review' on 15/10/2026\n"
    );
    let out = keel(&[
        "plan",
        "event",
        "--workspace",
        &ws,
        "--date",
        "2026-10-15",
        "--label",
        " ",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let out = keel(&[
        "plan",
        "event",
        "--workspace",
        &ws,
        "--date",
        "15/10/2026",
        "--label",
        "X",
    ]);
    assert_eq!(out.status.code(), Some(2), "dates are YYYY-MM-DD");
    assert_eq!(std::fs::read(&manifest).unwrap(), before, "nothing stored");

    let out = keel(&[
        "plan",
        "set",
        "--workspace",
        &d.path().join("nowhere").display().to_string(),
        "R1",
        "--status",
        "done",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not a Keel workspace"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_workspace_with_milestones_in_its_settings_moves_them_on_the_first_plan_change() {
    let (_d, ws, _plan) = workspace();
    ok(&[
        "settings",
        "--workspace",
        &ws,
        "--set",
        r#"milestones=[{"metric":"agency_rate_pct","from":"2026-01","by":"2026-04","value":18}]"#,
        "--set",
        r#"events=[{"date":"2025-12-10","label":"Ofsted inspection"}]"#,
    ]);
    // Shown as the plan would be, without being stored.
    let rows = show_csv(&ws, "2026-03-25");
    assert_eq!(
        judged(&rows),
        [[
            "M1",
            "2026-04-30",
            "in progress",
            "on track",
            "agency_rate_pct",
            "18.0%",
            "2026-04",
            "20.0%",
            "missed by 2.0 points"
        ]]
    );
    assert_eq!(rows[0][1], "Milestone: Agency rate 18.0% by 2026-04");
    assert!(
        Workspace::open(Path::new(&ws))
            .unwrap()
            .manifest()
            .plan_edits
            .is_empty()
    );

    let out = ok(&[
        "plan",
        "event",
        "--workspace",
        &ws,
        "--date",
        "2026-07-14",
        "--label",
        "Peer review",
    ]);
    assert_eq!(
        out,
        "stored plan edit #1: moved 1 milestone and 1 event from the settings into the plan\nstored plan edit #2: event added: Peer review (14/07/2026)\n"
    );
    let w = Workspace::open(Path::new(&ws)).unwrap();
    assert!(w.settings().milestones.is_empty() && w.settings().events.is_empty());
    let p = w.plan().unwrap().unwrap();
    assert_eq!(p.start.to_string(), "2025-12-10");
    assert_eq!(p.events.len(), 2);

    ok(&["undo", "--workspace", &ws]);
    let out = ok(&["undo", "--workspace", &ws]);
    assert_eq!(
        out,
        "undid plan edit #1: moved 1 milestone and 1 event from the settings into the plan\n  1 milestone(s) and 1 event(s) are back in the settings\n  the workspace now holds no plan\n"
    );
    let w = Workspace::open(Path::new(&ws)).unwrap();
    assert_eq!(w.settings().milestones.len(), 1);
    assert_eq!(w.settings().events[0].label, "Ofsted inspection");
}

#[test]
fn the_sample_writes_a_plan_that_import_skips_and_plan_import_reads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ws = dir.path().join("ws").display().to_string();
    let out = keel(&["sample", "--out", &data.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = data.join("improvement_plan.csv");
    assert!(plan.is_file());
    // The folder: every extract stored, the plan left alone, and said so.
    let out = keel(&["import", "--workspace", &ws, &data.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!("skipped {}: an improvement plan", plan.display())),
        "{said}"
    );
    assert_eq!(said.matches("stored import #").count(), 28, "{said}");
    // Named among the files, as a shell's glob would: skipped too.
    let ws2 = dir.path().join("ws2").display().to_string();
    let out = keel(&[
        "import",
        "--workspace",
        &ws2,
        &data.join("establishment.csv").display().to_string(),
        &plan.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("skipped"));
    assert_eq!(stdout(&out).matches("stored import #").count(), 1);

    // The file states its start: no --start needed.
    let out = keel(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        &plan.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("17 items, 9 linked measures, 8 events"),
        "{}",
        stdout(&out)
    );
    let out = keel(&[
        "plan",
        "show",
        "--workspace",
        &ws,
        "--as-at",
        "2026-09-30",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let overdue: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| l.contains(",overdue,"))
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        overdue.into_iter().collect::<Vec<_>>(),
        ["R14", "R16", "R5"]
    );
}

#[test]
fn keel_chart_draws_the_plans_events() {
    // The chart spans the months it draws: January and February here (the
    // later months' agency counts, under 5, are withheld).
    let (d, ws, plan) = workspace();
    let svg = d.path().join("agency.svg").display().to_string();
    let chart = || {
        ok(&[
            "chart",
            "--workspace",
            &ws,
            "--metric",
            keel::measure::Measure::AgencyRate.name(),
            "--out",
            &svg,
        ]);
        std::fs::read_to_string(&svg).unwrap()
    };
    assert!(!chart().contains("Peer review visit"));
    ok(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-01-05",
        &plan,
    ]);
    ok(&[
        "plan",
        "event",
        "--workspace",
        &ws,
        "--date",
        "2026-02-10",
        "--label",
        "Peer review visit",
    ]);
    assert!(chart().contains("Peer review visit"));
}
