//! Scenario modelling: calibration on a hand-made fixture, the model's
//! accounting, progression, the agency cap, the bands, reproducibility,
//! persistence, comparison, the command line and the backtest on the
//! sample council.

use crate::support::*;
use keel::extract::read_extract;
use keel::scenario::calibrate::{Calibration, Observed};
use keel::scenario::levers::{LeaveChange, Levers, Recruitment};
use keel::scenario::model::{Plan, expected_path};
use keel::scenario::simulate::{project, runs};
use keel::scenario::{Cohort, METRICS, backtest, compare, metric_index, persist};
use keel::workspace::Workspace;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const HEADER: &str =
    "Employee Number,Team,FTE,Contract Type,Qualified Date,ASYE,Caseload,Day Rate,Extract Date\n";

/// Three month ends. Experienced e1–e10 in January; e11 starts in
/// February; e10 leaves in March. n1 qualified 15/01/2024 (ASYE), two
/// agency workers at £400 a day throughout; one team funded for 12 FTE.
fn fixture(dir: &Path) -> PathBuf {
    let mut csv = String::from(HEADER);
    for (end, ids) in [
        ("31/01/2024", 1..=10),
        ("29/02/2024", 1..=11),
        ("31/03/2024", 1..=11),
    ] {
        for i in ids {
            if end == "31/03/2024" && i == 10 {
                continue;
            }
            csv.push_str(&format!(
                "e{i},Safeguarding,1.0,Permanent,01/09/2010,N,15,,{end}\n"
            ));
        }
        csv.push_str(&format!(
            "n1,Safeguarding,1.0,Permanent,15/01/2024,Y,8,,{end}\n"
        ));
        for a in ["a1", "a2"] {
            csv.push_str(&format!("{a},Safeguarding,1.0,Agency,,,15,400,{end}\n"));
        }
    }
    let root = dir.join("ws");
    let mut ws = Workspace::open_or_create(&root).unwrap();
    let files = [
        write(dir, "staff.csv", &csv),
        write(
            dir,
            "establishment.csv",
            "Team,Funded FTE\nSafeguarding,12\n",
        ),
    ];
    let extracts = files
        .iter()
        .map(|p| read_extract(p, &opts()).unwrap_or_else(|r| panic!("{:#?}", r.errors)))
        .collect();
    ws.import(extracts, false).unwrap();
    root
}

fn calibrate_at(root: &Path) -> Calibration {
    let ws = Workspace::open(root).unwrap();
    Observed::load(&ws).unwrap().calibrate(None, None).unwrap()
}

/// The sample council imported once for all the tests that need it.
fn sample_ws() -> &'static Path {
    static WS: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &WS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let mut ws = Workspace::open_or_create(&root).unwrap();
        let data = keel::first_run::bundled_sample_dir().expect("sample-data in the checkout");
        keel::first_run::import_folder(&mut ws, &data).unwrap();
        (dir, root)
    })
    .1
}

fn sample_observed() -> &'static Observed {
    static OBS: OnceLock<Observed> = OnceLock::new();
    OBS.get_or_init(|| Observed::load(&Workspace::open(sample_ws()).unwrap()).unwrap())
}

#[track_caller]
fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "expected {b}, got {a}");
}

#[test]
fn calibration_counts_on_a_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let cal = calibrate_at(&fixture(dir.path()));
    // Transitions Jan→Feb and Feb→Mar: experienced in post 10 + 11 = 21,
    // one leaver (e10); one starter (e11) over two months.
    close(cal.value("leave_probability", "experienced"), 1.0 / 21.0);
    close(cal.value("recruitment_per_month", "experienced"), 0.5);
    close(cal.value("leave_probability", "nqsw"), 0.0);
    close(cal.value("leave_probability", "agency"), 0.0);
    assert!(
        cal.param("leave_probability", "experienced")
            .unwrap()
            .evidence
            .starts_with("1 leavers of 21")
    );
    // The cover in force in March: agency 2 FTE over 1 FTE vacant (the
    // range's average, 6 over 1 + 0 + 1, is only evidence).
    close(cal.value("agency_cover_of_vacancies", "agency"), 2.0);
    // Starters were recruited against 1 (January) and 0 (February) vacant FTE.
    close(cal.value("recruitment_vacancy_fte", "all"), 0.5);
    close(cal.value("agency_day_rate", "agency"), 400.0);
    close(cal.value("establishment_fte", "all"), 12.0);
    // Cases 10×15 + 8 + 2×15 in March, a fall of 15 a month (e10 left).
    close(cal.value("cases", "all"), 188.0);
    close(cal.value("start_headcount", "experienced"), 10.0);
    assert_eq!(cal.start.month.to_string(), "2024-03");
    // n1 qualified 15/01/2024: 76 days by 31/03/2024, month 2 of the ASYE year.
    assert_eq!(cal.start.nqsw[2], 1.0);
    assert_eq!(cal.start.agency, 2.0);

    // Overrides replace the value and keep the calibrated one in the evidence.
    let mut o = cal.clone();
    let over = BTreeMap::from([("leave_probability.nqsw".to_string(), 0.02)]);
    o.apply_overrides(&over).unwrap();
    close(o.value("leave_probability", "nqsw"), 0.02);
    // An overridden rate is taken as given: the Monte Carlo keeps it fixed.
    assert!(cal.evidence.at_risk[Cohort::Nqsw.index()] > 0.0);
    assert_eq!(o.evidence.at_risk[Cohort::Nqsw.index()], 0.0);
    assert!(
        o.param("leave_probability", "nqsw")
            .unwrap()
            .evidence
            .starts_with("override")
    );
    let bad = BTreeMap::from([("leave_probability.martians".to_string(), 0.1)]);
    let err = o.apply_overrides(&bad).unwrap_err();
    assert!(err.to_string().contains("is not a parameter"), "{err}");
    assert!(
        matches!(&err, keel::scenario::Error::Overrides(p) if matches!(
            &p[..],
            [keel::scenario::OverrideProblem::Unknown { key, .. }] if key == "leave_probability.martians"
        )),
        "{err:?}"
    );
    let bad = BTreeMap::from([("leave_probability.nqsw".to_string(), 1.5)]);
    assert!(o.apply_overrides(&bad).is_err());
}

#[test]
fn expected_next_month_is_now_minus_leavers_plus_joiners_per_cohort() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    let plan = Plan::new(&cal, &Levers::default(), 12).unwrap();
    let path = expected_path(&plan);
    let f = &path.flows[0];
    for c in Cohort::ALL {
        let i = c.index();
        let p = cal.value("leave_probability", c.name());
        // Leavers are the cohort's probability times those in post now.
        close(f.leavers[i], p * f.start[i]);
        if c != Cohort::Agency {
            // Calibrated recruitment, scaled by the vacancies held now over
            // those it was counted against.
            let vacant = sample_observed()
                .metric(cal.start.month, "vacancy_fte")
                .unwrap();
            let scale = vacant / cal.value("recruitment_vacancy_fte", "all");
            assert!((0.5..1.5).contains(&scale), "{scale}");
            close(
                f.joiners[i],
                cal.value("recruitment_per_month", c.name()) * scale,
            );
        }
        close(
            f.end[i],
            f.start[i] - f.leavers[i] + f.joiners[i] + f.progressed_in[i] - f.progressed_out[i]
                + f.converted[i]
                - f.ended[i],
        );
    }
    // The same, in FTE, is what the path reports as employed FTE.
    let fph = cal.value("fte_per_head", "employed");
    let emp_heads: f64 = f.end[..3].iter().sum();
    close(
        path.values[0][metric_index("employed_fte").unwrap()],
        emp_heads * fph,
    );
    // Every month balances, not just the first.
    for f in &path.flows {
        for i in 0..4 {
            let bal = f.start[i] - f.leavers[i] + f.joiners[i] + f.progressed_in[i]
                - f.progressed_out[i]
                + f.converted[i]
                - f.ended[i];
            assert!((f.end[i] - bal).abs() < 1e-9);
        }
    }
}

#[test]
fn cohorts_progress_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut cal = calibrate_at(&fixture(dir.path()));
    let mut over = BTreeMap::new();
    for c in Cohort::ALL {
        over.insert(format!("leave_probability.{}", c.name()), 0.0);
        over.insert(format!("recruitment_per_month.{}", c.name()), 0.0);
    }
    cal.apply_overrides(&over).unwrap();
    let plan = Plan::new(&cal, &Levers::default(), 24).unwrap();
    let path = expected_path(&plan);
    // n1 is in month 2 of the ASYE year at the start: NQSW for 9 more
    // months, early career from the 10th, experienced from the 22nd.
    for (t, f) in path.flows.iter().enumerate() {
        let t = t + 1;
        let (n, e, x) = (f.end[0], f.end[1], f.end[2]);
        match t {
            1..=9 => assert_eq!((n, e, x), (1.0, 0.0, 10.0), "month {t}"),
            10..=21 => assert_eq!((n, e, x), (0.0, 1.0, 10.0), "month {t}"),
            _ => assert_eq!((n, e, x), (0.0, 0.0, 11.0), "month {t}"),
        }
    }
    // The Monte Carlo moves the same worker at the same time.
    let runs = runs(&plan, 5, 1);
    let k = metric_index("nqsw_fte").unwrap();
    let ke = metric_index("early_career_fte").unwrap();
    for r in &runs {
        assert!(r[8 * METRICS.len() + k] > 0.0, "NQSW in month 9");
        assert_eq!(r[9 * METRICS.len() + k], 0.0, "early career in month 10");
        assert!(r[9 * METRICS.len() + ke] > 0.0);
    }
}

#[test]
fn agency_cap_is_never_exceeded() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    let start_agency = cal.start.agency;
    assert!(start_agency > 10.0, "the sample starts above the cap");
    let levers = Levers {
        agency_cap_fte: Some(10.0),
        // Fewer leavers would push agency up if the cap did not hold.
        establishment_changes: vec![keel::scenario::levers::EstablishmentChange {
            from: cal.start.month + 3,
            change_fte: 30.0,
        }],
        ..Default::default()
    };
    let plan = Plan::new(&cal, &levers, 36).unwrap();
    let k = metric_index("agency_fte").unwrap();
    for (r, run) in runs(&plan, 1000, 7).iter().enumerate() {
        for (t, v) in run.chunks(METRICS.len()).enumerate() {
            assert!(v[k] as f64 <= 10.0 + 1e-4, "run {r} month {t}: {}", v[k]);
        }
    }
    for v in expected_path(&plan).values {
        assert!(v[k] <= 10.0 + 1e-9);
    }
}

#[test]
fn bands_are_ordered_and_seeds_reproduce() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    let levers = Levers {
        recruitment: vec![Recruitment {
            cohort: Cohort::Nqsw,
            heads: 8.0,
            from: None,
            to: None,
            calendar_months: vec![9],
        }],
        leave_change: vec![LeaveChange {
            cohort: Cohort::Experienced,
            change_pct: -20.0,
            from: None,
            to: None,
        }],
        ..Default::default()
    };
    let plan = Plan::new(&cal, &levers, 24).unwrap();
    let a = project(&plan, 1000, 42).unwrap();
    for i in 0..a.months.len() {
        for (k, name) in METRICS.iter().enumerate() {
            let (lo, mid, hi) = (a.p10[i][k], a.p50[i][k], a.p90[i][k]);
            if lo.is_nan() {
                assert!(mid.is_nan() && hi.is_nan());
                continue;
            }
            assert!(lo <= mid && mid <= hi, "{name} month {i}");
        }
    }
    // September recruits 8 NQSWs in the expected path.
    let sept = a
        .expected
        .flows
        .iter()
        .zip(&a.months)
        .find(|(_, m)| m.month() == 9)
        .unwrap();
    close(sept.0.joiners[0], 8.0);
    let b = project(&plan, 1000, 42).unwrap();
    assert_eq!(a.p10, b.p10);
    assert_eq!(a.p50, b.p50);
    assert_eq!(a.p90, b.p90);
    let c = project(&plan, 1000, 43).unwrap();
    assert!(
        a.p10 != c.p10 || a.p90 != c.p90,
        "another seed gives other bands"
    );
    // The bands are bands: somewhere they are wide.
    let k = metric_index("employed_fte").unwrap();
    assert!(a.p90.last().unwrap()[k] > a.p10.last().unwrap()[k]);
}

#[test]
fn scenarios_persist_duplicate_and_rename() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut s = persist::Scenario::new("Grow our own");
    s.description = "8 NQSWs every September".into();
    s.levers.recruitment.push(Recruitment {
        cohort: Cohort::Nqsw,
        heads: 8.0,
        from: None,
        to: None,
        calendar_months: vec![9],
    });
    s.overrides.insert("leave_probability.nqsw".into(), 0.01);
    let path = persist::save(root, &s).unwrap();
    assert_eq!(path, root.join("scenarios").join("Grow our own.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"calendar_months\": [\n"), "{text}");
    assert!(text.contains("\"seed\": 42"));
    assert_eq!(persist::load(&path).unwrap(), s);

    let d = persist::duplicate(root, "Grow our own", "Grow faster").unwrap();
    assert_eq!(d.levers, s.levers);
    assert!(persist::duplicate(root, "Grow our own", "Grow faster").is_err());
    persist::rename(root, "Grow faster", "Retain").unwrap();
    assert_eq!(persist::list(root), vec!["Grow our own", "Retain"]);
    assert!(persist::rename(root, "Nothing", "X").is_err());
    assert!(persist::check_name("../etc").is_err());
    assert!(persist::check_name("").is_err());

    // A hand-edited file with a mistake is refused with the reason.
    let bad = root.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"name":"x","levers":{"leave_change":[{"cohort":"nqsw","change_pct":-150}]}}"#,
    )
    .unwrap();
    let err = persist::load(&bad).unwrap_err();
    assert!(err.to_string().contains("change_pct"), "{err}");
    assert!(
        matches!(&err, keel::scenario::Error::InvalidFile { problems, .. }
            if problems == &[keel::scenario::LeverProblem::LeaveChange(0)]),
        "{err:?}"
    );
    std::fs::write(&bad, r#"{"name":"x","levers":{"recruit":[]}}"#).unwrap();
    let err = persist::load(&bad).unwrap_err().to_string();
    assert!(err.contains("unknown field"), "{err}");
}

#[test]
fn comparison_finds_the_first_month_on_target() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    let base = project(&Plan::new(&cal, &Levers::default(), 24).unwrap(), 200, 1).unwrap();
    let capped = Levers {
        agency_cap_fte: Some(5.0),
        ..Default::default()
    };
    let cap = project(&Plan::new(&cal, &capped, 24).unwrap(), 200, 1).unwrap();
    let targets = keel::settings::default_targets();
    let rows = compare::compare(
        &[("base", &base), ("cap", &cap)],
        &targets,
        &compare::DEFAULT_HORIZONS,
    )
    .unwrap();
    assert_eq!(rows.len(), 2 * METRICS.len());
    let row = |s: &str, m: &str| {
        rows.iter()
            .find(|r| r.scenario == s && r.metric == m)
            .unwrap()
    };
    // Capping agency at 5 FTE puts the agency rate under 13% at once.
    let k = metric_index("agency_rate_pct").unwrap();
    assert!(cap.p50[0][k] <= 13.0);
    assert_eq!(
        row("cap", "agency_rate_pct").first_on_target,
        Some(cap.months[0])
    );
    assert_eq!(
        row("cap", "employed_fte").first_on_target_text(),
        "no target"
    );
    assert_eq!(row("base", "agency_rate_pct").at.len(), 3);
    // A target nobody can meet (higher is better, 1000%).
    let mut t = BTreeMap::new();
    t.insert(
        "agency_rate_pct".to_string(),
        keel::settings::Target {
            value: 1000.0,
            better: keel::settings::Better::Higher,
            source: String::new(),
        },
    );
    let rows = compare::compare(&[("base", &base)], &t, &[6]).unwrap();
    let r = rows.iter().find(|r| r.metric == "agency_rate_pct").unwrap();
    assert_eq!(r.first_on_target_text(), compare::NOT_WITHIN);
    assert!(compare::compare(&[("a", &base); 5], &t, &[6]).is_err());
    let df = compare::to_frame(&rows).unwrap();
    assert!(df.column("p50_6m").is_ok());
}

#[test]
fn cli_calibrate_and_run_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let root = fixture(dir.path());
    let ws = root.to_str().unwrap();
    let out = keel(&["scenario", "calibrate", "--workspace", ws]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("parameter,value,as_shown,evidence,scenario_key\n"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("Chance an experienced worker leaves in a month,"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.ends_with(",leave_probability.experienced"), "{row}");

    let file = write(
        dir.path(),
        "s.json",
        r#"{"name": "cap", "levers": {"agency_cap_fte": 1}}"#,
    );
    let run = [
        "scenario",
        "run",
        "--workspace",
        ws,
        "--scenario",
        file.to_str().unwrap(),
        "--months",
        "3",
        "--runs",
        "200",
        "--seed",
        "5",
    ];
    let out = keel(&run);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("month,metric,expected,p10,p50,p90"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3 * METRICS.len());
    assert_eq!(rows[0][0], "2024-04");
    assert_eq!(rows.last().unwrap()[0], "2024-06");
    assert_eq!(rows[0][1], METRICS[0]);
    let agency: Vec<&Vec<&str>> = rows.iter().filter(|r| r[1] == "agency_fte").collect();
    assert!(agency.iter().all(|r| r[5].parse::<f64>().unwrap() <= 1.0));
    // Same seed, same output.
    let again = keel(&run);
    assert_eq!(stdout(&again), text);

    let out = keel(&[
        "scenario",
        "run",
        "--workspace",
        ws,
        "--scenario",
        file.to_str().unwrap(),
        "--months",
        "3",
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3 * METRICS.len());
    assert!(json[0]["p50"].is_number());

    for (args, message) in [
        (vec!["--months", "61"], "1 to 60"),
        (vec!["--runs", "0"], "--runs"),
    ] {
        let mut a = vec![
            "scenario",
            "run",
            "--workspace",
            ws,
            "--scenario",
            file.to_str().unwrap(),
        ];
        a.extend(args);
        let out = keel(&a);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
    let out = keel(&[
        "scenario",
        "run",
        "--workspace",
        ws,
        "--scenario",
        "nope.json",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no such scenario"),
        "{}",
        stderr(&out)
    );
    let empty = dir.path().join("empty");
    let out = keel(&[
        "scenario",
        "calibrate",
        "--workspace",
        empty.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a Keel workspace"));
    let out = keel(&[
        "scenario",
        "calibrate",
        "--workspace",
        ws,
        "--from",
        "2024-03",
        "--to",
        "2024-01",
    ]);
    assert!(!out.status.success());
}

/// Calibrate on the sample council's first 24 months, project months
/// 25–36 with the recruitment that really happened, and score against the
/// actual metrics. The figures are printed (run with `--nocapture`).
#[test]
fn backtest_on_the_sample_council() {
    let bt = backtest::backtest(sample_observed(), 24, 12, 1000, 42).unwrap();
    eprintln!("{}", bt.report());
    assert_eq!(bt.calibrated_to.to_string(), "2025-09");
    assert_eq!(bt.projected_to.to_string(), "2026-09");
    assert!(bt.coverage.is_finite() && (0.0..=1.0).contains(&bt.coverage));
    for s in &bt.scores {
        assert!(s.months > 0, "{} has no scored month", s.metric);
        assert!(
            s.mae_expected.is_finite() && s.coverage.is_finite(),
            "{s:?}"
        );
    }
}

/// Demand has its own uncertainty: with the calibrated demand noise and
/// trend uncertainty the caseload bands are wider than without them, and
/// they widen with the horizon.
#[test]
fn demand_uncertainty_widens_the_caseload_bands() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    assert!(cal.value("demand_noise_cases_per_month", "all") > 0.0);
    let k = metric_index("caseload_per_fte").unwrap();
    let width = |cal: &Calibration| {
        let plan = Plan::new(cal, &Levers::default(), 12).unwrap();
        let p = project(&plan, 400, 7).unwrap();
        (p.p90[11][k] - p.p10[11][k], p.p90[0][k] - p.p10[0][k])
    };
    let (with, first) = width(&cal);
    let mut quiet = cal.clone();
    quiet
        .apply_overrides(&BTreeMap::from([
            ("demand_noise_cases_per_month".to_string(), 0.0),
            ("demand_trend_sd_cases_per_month".to_string(), 0.0),
        ]))
        .unwrap();
    let (without, _) = width(&quiet);
    assert!(
        with > without,
        "with demand noise {with}, without {without}"
    );
    assert!(with > first, "month 12 {with}, month 1 {first}");
}

#[test]
fn a_team_scenario_starts_from_that_team_alone() {
    use keel::scenario::scope::Observers;
    let ws = Workspace::open(sample_ws()).unwrap();
    let mut observers = Observers::load(&ws).unwrap();
    // The team's own September 2026 employed FTE, from the metrics.
    let team_fte = {
        let inputs = ws.inputs().unwrap().unwrap();
        let df = keel::metrics::compute(&inputs, ws.settings().limits()).unwrap();
        let t = keel::metrics::table::MetricTable::from_frame(&df).unwrap();
        let g = keel::metrics::table::Group {
            kind: keel::metrics::GroupKind::Team,
            name: "MASH".into(),
        };
        t.get(
            keel::month::Month::new(2026, 9).unwrap(),
            &g,
            "employed_fte",
        )
        .unwrap()
    };
    let cal = observers
        .get(Some("MASH"))
        .unwrap()
        .calibrate(None, None)
        .unwrap();
    let plan = Plan::new(&cal, &Levers::default(), 1).unwrap();
    let employed = |p: &Plan| p.start.heads()[..3].iter().sum::<f64>();
    let start = employed(&plan) * plan.fte_employed;
    assert!(
        (start - team_fte).abs() < 0.5,
        "the team's start {start} vs its FTE {team_fte}"
    );
    let whole = observers.get(None).unwrap().calibrate(None, None).unwrap();
    let whole_plan = Plan::new(&whole, &Levers::default(), 1).unwrap();
    assert!(employed(&whole_plan) > 4.0 * employed(&plan));
    let err = observers.get(Some("No such team")).err().unwrap();
    assert!(err.to_string().contains("no team named"), "{err}");
    assert!(
        matches!(&err, keel::scenario::Error::NoTeam(t) if t == "No such team"),
        "{err:?}"
    );
}

/// A second council, whose agency use has fallen: one team funded for 20
/// FTE, 16 employed throughout (4 FTE vacant), agency down from 8 workers in
/// January 2024 to 2 in January 2025 (one contract ending every other
/// month). Its average cover of vacancies over the year (about 1.3) is far
/// above the cover in force at the end (0.5).
fn falling_agency_fixture(dir: &Path) -> PathBuf {
    let mut csv = String::from(HEADER);
    for t in 0..13 {
        let (y, m) = (2024 + (t / 12), 1 + t % 12);
        let end = chrono::NaiveDate::from_ymd_opt(y, m as u32 + 1, 1)
            .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1).unwrap())
            .pred_opt()
            .unwrap()
            .format("%d/%m/%Y");
        for i in 1..=16 {
            csv.push_str(&format!(
                "e{i},Assessment,1.0,Permanent,01/09/2012,N,16,,{end}\n"
            ));
        }
        for a in 1..=(8 - t / 2) {
            csv.push_str(&format!("a{a},Assessment,1.0,Agency,,,16,420,{end}\n"));
        }
    }
    let root = dir.join("ws");
    let mut ws = Workspace::open_or_create(&root).unwrap();
    let files = [
        write(dir, "staff.csv", &csv),
        write(dir, "establishment.csv", "Team,Funded FTE\nAssessment,20\n"),
    ];
    let extracts = files
        .iter()
        .map(|p| read_extract(p, &opts()).unwrap_or_else(|r| panic!("{:#?}", r.errors)))
        .collect();
    ws.import(extracts, false).unwrap();
    root
}

/// How far a measure can plausibly move in one month: the largest
/// month-to-month change of its own last 12 actual months, and never less
/// than a floor (1 point for a rate, 1 FTE, 1 case per FTE, 2% of an
/// amount of money, or 5% for agency cost, whose days worked change with
/// the number of weekdays in the month), so a perfectly steady history
/// still allows a month's flows. Documented in docs/decisions.md
/// ("Projections start from the data").
fn one_month_tolerance(obs: &Observed, start: keel::month::Month, name: &str) -> f64 {
    let vals: Vec<f64> = (0..12)
        .filter_map(|k| obs.metric(start - k, name))
        .collect();
    let largest = vals
        .windows(2)
        .map(|w| (w[0] - w[1]).abs())
        .fold(0.0, f64::max);
    let last = vals.first().copied().unwrap_or(0.0).abs();
    let floor = match name {
        "agency_cost" => 0.05 * last,
        "permanent_cost" => 0.02 * last,
        _ => 1.0,
    };
    largest.max(floor)
}

/// Month 0 of a projection is the last actual month, and the first
/// projected month (expected and median) is within one month's plausible
/// change of it, for every projected measure the contract computes, on the
/// sample council and on a council whose agency use has fallen.
#[test]
fn projections_start_where_the_data_ends() {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        Observed::load(&Workspace::open(&falling_agency_fixture(dir.path())).unwrap()).unwrap();
    for (council, obs) in [("sample", sample_observed()), ("fixture", &fixture)] {
        let cal = obs.calibrate(None, None).unwrap();
        let plan = Plan::new(&cal, &Levers::default(), 24).unwrap();
        let p = project(&plan, 400, 42).unwrap();
        let start = p.start;
        let mut checked = 0;
        for (k, name) in METRICS.iter().enumerate() {
            let Some(actual) = obs.metric(start, name) else {
                continue;
            };
            let tol = one_month_tolerance(obs, start, name);
            // Month 0 is the stock held, so it reads as the actual figure
            // (turnover's window and the cost's day count aside, to 1%).
            assert!(
                (p.now[k] - actual).abs() <= 0.01 * actual.abs().max(1.0) + 1e-9,
                "{council} {name}: month 0 {} but the actual {start} was {actual}",
                p.now[k]
            );
            for (what, v) in [("expected", p.expected.values[0][k]), ("P50", p.p50[0][k])] {
                assert!(
                    (v - actual).abs() <= tol,
                    "{council} {name}: {what} {} in {} is more than {tol:.3} from the actual {actual} in {start}",
                    v,
                    p.months[0]
                );
            }
            checked += 1;
        }
        assert!(checked >= 6, "{council}: only {checked} measures checked");
    }
    // The fixture's agency rate: 2 of 18 FTE (11.1%) now, and still about
    // that next month, not the 1.3 cover's 5 of 21 (24%).
    let k = metric_index("agency_rate_pct").unwrap();
    let cal = fixture.calibrate(None, None).unwrap();
    let p = project(&Plan::new(&cal, &Levers::default(), 12).unwrap(), 200, 1).unwrap();
    assert!((p.now[k] - 100.0 * 2.0 / 18.0).abs() < 1e-6, "{}", p.now[k]);
    assert!(
        p.expected.values[0][k] < 12.5,
        "{}",
        p.expected.values[0][k]
    );
}

/// Doing nothing is not a recovery nobody planned: on the sample council
/// the calibrated recruitment fills vacancies, so with fewer vacancies
/// there is less of it, and the vacancy rate settles rather than running
/// to zero within two years (it used to reach 0.0% by month 24).
#[test]
fn a_do_nothing_projection_keeps_its_vacancies() {
    let obs = sample_observed();
    let cal = obs.calibrate(None, None).unwrap();
    let path = expected_path(&Plan::new(&cal, &Levers::default(), 60).unwrap());
    let k = metric_index("vacancy_rate_pct").unwrap();
    let now = obs.metric(cal.start.month, "vacancy_rate_pct").unwrap();
    let v24 = path.values[23][k];
    let v60 = path.values[59][k];
    assert!(
        v24 > 0.5 * now && v24 <= now + 1.0,
        "24 months: {v24} from {now}"
    );
    // Settled: the last year moves less than half a point.
    assert!((v60 - path.values[47][k]).abs() < 0.5, "{v60}");
    assert!(v60 > 5.0, "{v60}");
}

/// "First month on target" says so when the last actual month is already
/// on target, rather than naming a month ahead.
#[test]
fn a_measure_on_target_now_says_so() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    let p = project(&Plan::new(&cal, &Levers::default(), 12).unwrap(), 100, 1).unwrap();
    let k = metric_index("agency_rate_pct").unwrap();
    let mut t = BTreeMap::new();
    let target = |value| keel::settings::Target {
        value,
        better: keel::settings::Better::Lower,
        source: String::new(),
    };
    t.insert("agency_rate_pct".to_string(), target(p.now[k] + 0.1));
    let rows = compare::compare(&[("base", &p)], &t, &[6]).unwrap();
    let r = rows.iter().find(|r| r.metric == "agency_rate_pct").unwrap();
    assert_eq!(r.first_on_target_text(), compare::ON_TARGET_NOW);
    t.insert("agency_rate_pct".to_string(), target(p.now[k] - 0.1));
    let rows = compare::compare(&[("base", &p)], &t, &[6]).unwrap();
    let r = rows.iter().find(|r| r.metric == "agency_rate_pct").unwrap();
    assert_ne!(r.first_on_target_text(), compare::ON_TARGET_NOW);
}

/// Every calibrated parameter has a plain-words label, not its code name.
#[test]
fn every_parameter_has_a_plain_label() {
    let cal = sample_observed().calibrate(None, None).unwrap();
    for p in &cal.params {
        let label = p.label();
        assert_ne!(label, p.key(), "{} has no label", p.key());
        assert!(!label.contains('_'), "{label}");
    }
}

/// `keel scenario calibrate` names each parameter with the words the
/// app's Calibration panel shows (`Param::label`, one function for both),
/// and neither those words nor the evidence name a parameter, cohort or
/// lever in code form (`leave_probability.nqsw`, `early_career`,
/// `agency_day_rate`). Overridden parameters, whose evidence says so, too.
#[test]
fn calibrate_speaks_the_apps_words() {
    let mut cal = sample_observed().calibrate(None, None).unwrap();
    let overrides = BTreeMap::from([("leave_probability.nqsw".to_string(), 0.02)]);
    cal.apply_overrides(&overrides).unwrap();
    let df = cal.to_frame().unwrap();
    let words = |c: &str| -> Vec<String> {
        df.column(c)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or_default().to_string())
            .collect()
    };
    let (shown, evidence, keys) = (words("parameter"), words("evidence"), words("scenario_key"));
    let values = words("as_shown");
    assert_eq!(shown.len(), cal.params.len());
    for (i, p) in cal.params.iter().enumerate() {
        let (label, ev) = (&shown[i], &evidence[i]);
        assert_eq!(label, &p.label());
        assert_eq!(keys[i], p.key());
        assert_eq!(values[i], p.value_text());
        for text in [label, ev] {
            let code = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .find(|w| w.contains('_'));
            assert_eq!(code, None, "code name in {text:?}");
        }
    }
    assert!(shown.contains(&"Chance an NQSW leaves in a month".to_string()));
    assert!(shown.contains(&"Agency FTE for each vacant FTE".to_string()));
    let nqsw = keys
        .iter()
        .position(|k| k == "leave_probability.nqsw")
        .unwrap();
    assert!(
        evidence[nqsw].starts_with("override (calibrated "),
        "{}",
        evidence[nqsw]
    );
}
