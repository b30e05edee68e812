//! `keel report`, `keel chart` and `keel export`: the PDF opens and holds
//! the figures `keel metrics` gives, nothing identifies a worker, a team of
//! four is withheld everywhere, and images have the size asked for.

use crate::support::*;
use std::path::Path;
use std::process::Command;

/// Eight workers in "Big" and four in "Tiny", July to September 2026, each
/// 1.0 FTE with 10 cases. Identifiers are distinctive so a leak is found.
fn fixture() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let mut files = Vec::new();
    for (month, end) in [
        ("07", "31/07/2026"),
        ("08", "31/08/2026"),
        ("09", "30/09/2026"),
    ] {
        let mut s =
            String::from("Employee Number,Team,Service,FTE,Contract Type,Caseload,Extract Date\n");
        for i in 1..=8 {
            s.push_str(&format!(
                "EMP9000{i},Big,Children in need,1.0,Permanent,10,{end}\n"
            ));
        }
        for i in 1..=4 {
            s.push_str(&format!(
                "EMP8000{i},Tiny,Children in need,1.0,Permanent,10,{end}\n"
            ));
        }
        files.push(
            write(dir.path(), &format!("wf_{month}.csv"), &s)
                .display()
                .to_string(),
        );
    }
    let mut args = vec!["import", "--workspace", ws.as_str()];
    args.extend(files.iter().map(String::as_str));
    let out = keel(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, ws)
}

fn tool(cmd: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn pdf_text(pdf: &Path) -> String {
    let out = tool("pdftotext", &["-layout", &pdf.display().to_string(), "-"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `keel report` of `ws` into `pdf`, with extra arguments; asserts it
/// succeeded.
fn report_ok(ws: &str, pdf: &Path, extra: &[&str]) {
    let pdf = pdf.display().to_string();
    let mut args = vec!["report", "--workspace", ws];
    args.extend_from_slice(extra);
    args.extend(["--out", pdf.as_str()]);
    let out = keel(&args);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `keel chart` of `metric` into `out` at w×h, with extra arguments;
/// asserts it succeeded.
fn chart(ws: &str, metric: &str, out: &Path, (w, h): (u32, u32), extra: &[&str]) {
    let (out, w, h) = (out.display().to_string(), w.to_string(), h.to_string());
    let mut args = vec![
        "chart",
        "--workspace",
        ws,
        "--metric",
        metric,
        "--out",
        &out,
    ];
    args.extend(["--width", &w, "--height", &h]);
    args.extend(extra);
    let o = keel(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Share of pixels darker than near-white in a binary PGM (P5) image.
fn ink_share(pgm: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(&pgm[..pgm.len().min(64)]);
    let mut fields = text.split_ascii_whitespace();
    assert_eq!(fields.next(), Some("P5"));
    let w: usize = fields.next().unwrap().parse().unwrap();
    let h: usize = fields.next().unwrap().parse().unwrap();
    let pixels = &pgm[pgm.len() - w * h..];
    pixels.iter().filter(|p| **p < 200).count() as f64 / (w * h) as f64
}

/// Render every page to greyscale and return each page's ink share.
fn page_inks(pdf: &Path, dir: &Path) -> Vec<f64> {
    let prefix = dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "20",
            "-gray",
            &pdf.display().to_string(),
            &prefix.display().to_string(),
        ],
    );
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|p| ink_share(&std::fs::read(p).unwrap()))
        .collect()
}

/// The September whole-service row of `keel metrics`, as (name, value).
fn september_all(ws: &str) -> Vec<(String, String)> {
    let out = keel(&[
        "metrics",
        "--workspace",
        ws,
        "--group-by",
        "all",
        "--from",
        "2026-09",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let row: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    // The measures: after month, group kind and group, before the source.
    header
        .into_iter()
        .zip(row)
        .skip(3)
        .filter(|(h, _)| h != "source")
        .collect()
}

#[test]
fn the_pdf_holds_every_metric_as_keel_metrics_gives_it_and_no_identifier() {
    let (dir, ws) = fixture();
    let pdf = dir.path().join("pack.pdf");
    report_ok(&ws, &pdf, &[]);

    let pages_dir = dir.path().join("pages");
    std::fs::create_dir(&pages_dir).unwrap();
    let inks = page_inks(&pdf, &pages_dir);
    // Cover, summary, ten chart pages, and the appendix (two pages).
    assert_eq!(inks.len(), 14, "page count");
    for (i, ink) in inks.iter().enumerate() {
        assert!(*ink > 0.005, "page {} looks blank ({ink})", i + 1);
    }

    let text = pdf_text(&pdf);
    let summary: Vec<&str> = text.lines().collect();
    for (name, value) in september_all(&ws) {
        let m = keel::report::measures::measure(&name).unwrap();
        let line = summary
            .iter()
            .find(|l| {
                l.trim_start().starts_with(m.label)
                    && l.trim_start()[m.label.len()..].starts_with("  ")
            })
            .unwrap_or_else(|| panic!("no summary row for {name}"));
        let expected = if value.is_empty() {
            "—".to_string()
        } else {
            m.unit.format(value.parse().unwrap())
        };
        assert!(
            line.split_whitespace().any(|w| w == expected),
            "{name}: expected {expected} in '{line}'"
        );
    }
    // Twelve employed, 120 cases over 12 FTE: worked out by hand.
    assert!(text.contains("Employed headcount") && text.contains("12"));
    assert!(
        summary
            .iter()
            .any(|l| l.contains("Caseload per FTE") && l.contains("10.0"))
    );
    for id in ["EMP9000", "EMP8000"] {
        assert!(!text.contains(id), "a worker identifier reached the PDF");
    }
    let pseudonym = text.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        w.len() == 17 && w.starts_with('w') && w[1..].chars().all(|c| c.is_ascii_hexdigit())
    });
    assert!(!pseudonym, "a pseudonymised identifier reached the PDF");
}

#[test]
fn a_team_of_four_is_withheld_in_the_pdf_and_in_chart_images() {
    let (dir, ws) = fixture();
    let pdf = dir.path().join("tiny.pdf");
    report_ok(&ws, &pdf, &["--group", "Tiny"]);
    let text = pdf_text(&pdf);
    let row = |title: &str| -> Vec<String> {
        text.lines()
            .find(|l| {
                l.trim_start().starts_with(title) && l.trim_start()[title.len()..].starts_with("  ")
            })
            .unwrap_or_else(|| panic!("no row {title}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    for title in [
        "Employed headcount",
        "Employed FTE",
        "Cases",
        "Caseload per FTE",
        "NQSW share",
    ] {
        let r = row(title);
        assert!(r.iter().any(|w| w == "c"), "{title} not withheld: {r:?}");
    }
    assert!(!row("Employed headcount").iter().any(|w| w == "4"));
    assert!(text.contains("fewer than 5 people"));

    // The same team's chart: no point drawn, and the note says why.
    let svg = dir.path().join("tiny.svg");
    chart(&ws, "employed_fte", &svg, (800, 450), &["--group", "Tiny"]);
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(
        s.contains("no figures to show"),
        "a withheld series drew points"
    );
    assert!(!s.contains("<circle"), "a withheld point was drawn");
    assert!(
        s.contains(keel::report::chart::WITHHELD_MONTHS),
        "the withheld months are not noted"
    );

    // The big team's chart does draw its three months.
    let big = dir.path().join("big.svg");
    chart(&ws, "employed_fte", &big, (800, 450), &["--group", "Big"]);
    let s = std::fs::read_to_string(&big).unwrap();
    assert_eq!(s.matches("<circle").count(), 3, "one marker per month");
}

#[test]
fn chart_images_have_the_requested_size_and_are_not_blank() {
    let (dir, ws) = fixture();
    let png_path = dir.path().join("slide.png");
    chart(&ws, "caseload_per_fte", &png_path, (1920, 1080), &[]);
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1920, 1080));
    let pixels = &buf[..info.buffer_size()];
    let dark = pixels
        .chunks(3)
        .filter(|p| p.iter().all(|c| *c < 128))
        .count();
    let coloured = pixels.chunks(3).filter(|p| p[2] > 120 && p[0] < 60).count();
    assert!(dark > 2_000, "no text or axes drawn ({dark} dark pixels)");
    assert!(
        coloured > 500,
        "no series line drawn ({coloured} blue pixels)"
    );

    let svg_path = dir.path().join("thumb.svg");
    chart(&ws, "caseload_per_fte", &svg_path, (640, 360), &[]);
    let s = std::fs::read_to_string(&svg_path).unwrap();
    assert!(
        s.contains(r#"width="640""#) && s.contains(r#"height="360""#),
        "{}",
        &s[..200]
    );
    assert!(s.contains("Caseload per FTE") && s.contains("Data as at Sep 2026"));
    assert!(s.contains("Source: Keel"));

    for (args, why) in [
        (
            ["--metric", "caseload_per_fte", "--out", "x.gif"],
            ".png or .svg",
        ),
        (
            ["--metric", "caseload_per_fte", "--width=10", "--out=x.png"],
            "pixels wide",
        ),
        (
            ["--metric", "nonsense", "--out", "x.png"],
            "is not a metric",
        ),
    ] {
        let mut all = vec!["chart", "--workspace", &ws];
        all.extend(args);
        let out = keel(&all);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
    }
}

#[test]
fn exports_hold_the_metrics_table_as_csv_and_xlsx() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let (dir, ws) = fixture();
    let csv_path = dir.path().join("m.csv");
    let out = keel(&[
        "export",
        "--workspace",
        &ws,
        "--out",
        &csv_path.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&keel(&["metrics", "--workspace", &ws]));
    assert_eq!(std::fs::read_to_string(&csv_path).unwrap(), printed);

    let xlsx_path = dir.path().join("m.xlsx");
    let out = keel(&[
        "export",
        "--workspace",
        &ws,
        "--out",
        &xlsx_path.display().to_string(),
        "--group-by",
        "team",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let range = book.worksheet_range("metrics").unwrap();
    let rows: Vec<_> = range.rows().collect();
    // Header, then three months × two teams.
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0][0], Data::String("month".into()));
    let col = |name: &str| {
        rows[0]
            .iter()
            .position(|c| *c == Data::String(name.into()))
            .unwrap()
    };
    let tiny_sep = rows
        .iter()
        .find(|r| r[0] == Data::String("2026-09".into()) && r[2] == Data::String("Tiny".into()))
        .unwrap();
    // Exports are HR's working data: the team of four is there in full.
    assert_eq!(tiny_sep[col("employed_headcount")], Data::Float(4.0));
    assert_eq!(
        tiny_sep[col("establishment_fte")],
        Data::Empty,
        "a null stays empty"
    );

    let out = keel(&["export", "--workspace", &ws, "--out", "x.txt"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(".csv or .xlsx"));
}

#[test]
fn milestones_and_events_appear_on_chart_images() {
    let (dir, ws) = fixture();
    let out = keel(&[
        "settings",
        "--workspace",
        &ws,
        "--set",
        r#"milestones=[{"metric":"caseload_per_fte","from":"2026-07","by":"2026-12","value":8}]"#,
        "--set",
        r#"events=[{"date":"2026-08-14","label":"Ofsted inspection"}]"#,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = dir.path().join("plan.svg");
    chart(&ws, "caseload_per_fte", &svg, (800, 450), &[]);
    let s = std::fs::read_to_string(&svg).unwrap();
    assert!(
        s.contains("Planned trajectory"),
        "the plan is in the legend"
    );
    assert!(s.contains("Ofsted inspection"), "the event is labelled");

    let out = keel(&[
        "settings",
        "--workspace",
        &ws,
        "--set",
        r#"milestones=[{"metric":"caseload_per_fte","from":"2026-12","by":"2026-07","value":8}]"#,
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("must be after"), "{}", stderr(&out));
}

#[test]
fn outputs_named_without_a_folder_go_in_the_current_one() {
    let (dir, ws) = fixture();
    for args in [
        vec!["report", "--out", "pack.pdf"],
        vec!["chart", "--metric", "employed_fte", "--out", "chart.svg"],
        vec!["export", "--out", "metrics.csv"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_keel"))
            .current_dir(dir.path())
            .args(&args)
            .args(["--workspace", &ws])
            .env_remove("KEEL_WORKSPACE")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(dir.path().join(args[args.len() - 1]).is_file(), "{args:?}");
    }
}

/// The report fixture's plan, started on Monday 4 May 2026: `immediate` is
/// due 1 June, `3 months` 4 August, `6 months` 4 November. As at 30
/// September (the report's month): R1 done, R2 overdue by 57 days (4 August
/// to 30 September), R3 overdue by 121 (1 June to 30 September), R4 on
/// track (due in 35 days), R5 dropped. Caseload per FTE is 10.0 in every
/// month (120 cases over 12 FTE): 12 by September is met, 8 by August
/// missed by 2.0. The agency rate (0.0% in September) has a by-month not
/// held yet and three months, too few for a trend.
const PLAN: &str = "\
Ref,Recommendation,Timescale,Lead,Status,Status Date,Measure,Target,Target Date
R1,Agree a caseload policy,Immediate,Principal Social Worker,Done,20/05/2026,,,
R2,Cap caseloads at twelve children per worker,3 months,Head of Service,In progress,,caseload_per_fte,12,2026-09
R3,Ensure every case holder has monthly reflective supervision recorded on the child's file,Immediate,Service Manager,Not started,,caseload_per_fte,8,2026-08
R4,Reduce reliance on agency social workers,6 months,HR Business Partner,In progress,,agency_rate_pct,5,2026-12
R5,Review the agency framework,3 months,Head of Service,Dropped,01/07/2026,,,
";

#[test]
fn the_pdf_has_an_improvement_plan_section_with_counts_overdue_items_and_measures() {
    let (dir, ws) = fixture();
    let plan = write(dir.path(), "improvement_plan.csv", PLAN);
    let out = keel(&[
        "plan",
        "import",
        "--workspace",
        &ws,
        "--start",
        "2026-05-04",
        &plan.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("plan.pdf");
    report_ok(&ws, &pdf, &[]);
    let text = pdf_text(&pdf);
    // Cover, summary, the plan, ten chart pages and the appendix.
    let pages = text.matches('\u{c}').count();
    assert_eq!(pages, 15, "page count");
    assert!(
        text.contains("Improvement plan, as at 30 September 2026"),
        "{text}"
    );
    assert!(text.contains("5 items; the plan started on 4 May 2026"));
    let words = |l: &str| l.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let counts = text
        .lines()
        .find(|l| l.contains("Overdue 2"))
        .map(words)
        .unwrap_or_else(|| panic!("no counts line: {text}"));
    assert_eq!(
        counts.join(" "),
        "Overdue 2 Due soon 0 On track 1 Done 1 Dropped 1"
    );
    let row = |start: &str, has: &str| -> String {
        text.lines()
            .map(str::trim)
            .find(|l| l.starts_with(start) && l.contains(has))
            .unwrap_or_else(|| panic!("no row {start} … {has}: {text}"))
            .to_string()
    };
    let r2 = row("R2", "4 August 2026");
    assert!(
        r2.contains("Cap caseloads at twelve") && r2.ends_with(" 57"),
        "{r2}"
    );
    let r3 = row("R3", "1 June 2026");
    assert!(r3.ends_with(" 121"), "{r3}");
    assert!(
        !text
            .lines()
            .any(|l| l.trim().starts_with("R4") && l.contains("2026 ") && l.contains("November")),
        "R4 is not overdue"
    );
    assert_eq!(
        words(&row("R2", "Caseload per FTE")),
        words("R2 Caseload per FTE 12.0 Sep 2026 10.0 met")
    );
    assert_eq!(
        words(&row("R3", "Caseload per FTE")),
        words("R3 Caseload per FTE 8.0 Aug 2026 10.0 missed by 2.0")
    );
    assert_eq!(
        words(&row("R4", "Agency rate")),
        words("R4 Agency rate 5.0% Dec 2026 0.0% (Sep 2026) no figures yet")
    );
    // Leads are roles, but meeting papers show references and titles only.
    for lead in [
        "Principal Social Worker",
        "Service Manager",
        "HR Business Partner",
    ] {
        assert!(!text.contains(lead), "a lead reached the PDF: {lead}");
    }
}

/// A return for a year after the last snapshot joins the report's charts
/// but does not move the month the report is as at.
#[test]
fn a_later_return_does_not_move_the_reports_month() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let snap = write(
        dir.path(),
        "staff.csv",
        &snapshot_csv("30/09/2023", &["1", "2", "3", "4", "5", "6"]),
    );
    let ret = crate::census::fixture();
    let out = keel(&[
        "import",
        "--workspace",
        &ws,
        &snap.display().to_string(),
        &ret.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("pack.pdf");
    report_ok(&ws, &pdf, &[]);
    let text = pdf_text(&pdf);
    assert!(text.contains("data as at September 2023"), "{text}");
    assert!(!text.contains("data as at September 2024"), "{text}");
}
