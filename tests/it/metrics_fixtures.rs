//! The contract's metrics on small fixtures whose answers were worked out
//! by hand (the working is in the comments).

use crate::support::*;
use keel::extract::read_extract;
use keel::metrics::{Limits, compute};
use keel::workspace::Workspace;
use polars::prelude::*;

const LIMITS: Limits = Limits {
    nqsw: 15.0,
    standard: 18.0,
};

/// A workspace holding these files (imported as one batch) and its metrics.
fn metrics_of(files: &[(&str, String)]) -> DataFrame {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    let extracts = files
        .iter()
        .map(|(name, text)| {
            let p = write(dir.path(), name, text);
            read_extract(&p, &opts()).unwrap_or_else(|r| panic!("{name}: {:#?}", r.errors))
        })
        .collect();
    ws.import(extracts, false).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    compute(&inputs, LIMITS).unwrap()
}

fn value(df: &DataFrame, month: &str, kind: &str, group: &str, metric: &str) -> Option<f64> {
    let months = df.column("month").unwrap().str().unwrap();
    let kinds = df.column("group_kind").unwrap().str().unwrap();
    let groups = df.column("group").unwrap().str().unwrap();
    let i = (0..df.height())
        .find(|&i| {
            months.get(i) == Some(month)
                && kinds.get(i) == Some(kind)
                && groups.get(i) == Some(group)
        })
        .unwrap_or_else(|| panic!("no row for {month} {kind} {group}"));
    df.column(metric)
        .unwrap()
        .cast(&DataType::Float64)
        .unwrap()
        .f64()
        .unwrap()
        .get(i)
}

#[track_caller]
fn approx(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got null"));
    assert!((a - expected).abs() < 1e-9, "expected {expected}, got {a}");
}

// ---------------------------------------------------------------------
// A: one snapshot, 31 July 2024 (a month of 23 weekdays).
//   Team A (Safeguarding): w1 perm 1.0 cases 10 qualified 2010;
//     w2 FTC 0.5 cases 20 ASYE=Y; w3 perm 1.0 cases 0 qualified 01/03/2024
//     (152 days before the snapshot: NQSW by date); a1 agency 1.0 cases 15 £400/day.
//   Team B (Safeguarding): w4 secondment 0.8 cases 12 qualified 01/01/2023
//     (577 days: early career, ASYE=N); a2 agency 0.5 cases 5, no day rate.
//   Team C (Care): a3 agency 1.0, no caseload, no day rate.
// ---------------------------------------------------------------------
fn fixture_a() -> DataFrame {
    let csv = "Staff ID,Team,Service,FTE,Contract,Extract Date,Qualified Date,ASYE,Caseload,Day Rate\n\
        w1,A,Safeguarding,1.0,Permanent,31/07/2024,01/09/2010,,10,\n\
        w2,A,Safeguarding,0.5,Fixed Term,31/07/2024,,Y,20,\n\
        w3,A,Safeguarding,1.0,Permanent,31/07/2024,01/03/2024,,0,\n\
        a1,A,Safeguarding,1.0,Agency,31/07/2024,,,15,£400\n\
        w4,B,Safeguarding,0.8,Secondment,31/07/2024,01/01/2023,N,12,\n\
        a2,B,Safeguarding,0.5,Agency,31/07/2024,,,5,\n\
        a3,C,Care,1.0,Agency,31/07/2024,,,,\n";
    metrics_of(&[("july.csv", csv.to_string())])
}

#[test]
fn stock_agency_nqsw_and_caseload_by_hand() {
    let df = fixture_a();
    let m = |g: &str, k: &str, metric: &str| value(&df, "2024-07", k, g, metric);
    // Employed: w1 1.0 + w2 0.5 + w3 1.0 + w4 0.8 = 3.3 FTE, 4 people.
    approx(m("all", "all", "employed_fte"), 3.3);
    approx(m("all", "all", "employed_headcount"), 4.0);
    // Agency: 1.0 + 0.5 + 1.0 = 2.5; rate 100 × 2.5 / 5.8.
    approx(m("all", "all", "agency_fte"), 2.5);
    approx(m("all", "all", "agency_headcount"), 3.0);
    approx(m("all", "all", "agency_rate_pct"), 100.0 * 2.5 / 5.8);
    // NQSW: w2 by flag, w3 by date → 2 of 4; early career adds w4 → 3 of 4.
    approx(m("all", "all", "nqsw_headcount"), 2.0);
    approx(m("all", "all", "nqsw_share_pct"), 50.0);
    approx(m("all", "all", "early_career_share_pct"), 75.0);
    // Case holders (caseload ≥ 1): w1 1.0/10, w2 0.5/20, w4 0.8/12, a1 1.0/15, a2 0.5/5.
    approx(m("all", "all", "case_holders_fte"), 3.8);
    approx(m("all", "all", "cases"), 62.0);
    approx(m("all", "all", "caseload_per_fte"), 62.0 / 3.8);
    // Over limit: w2 is an NQSW with 20 > 15; nobody else exceeds 18.
    approx(m("all", "all", "over_limit_headcount"), 1.0);
    // Agency cost: a1 1.0 × £400 × 23 weekdays; a2 and a3 carry no rate.
    approx(m("all", "all", "agency_cost"), 9200.0);
    approx(m("A", "team", "agency_cost"), 9200.0);
    assert_eq!(
        m("B", "team", "agency_cost"),
        None,
        "agency staff but none with a day rate"
    );
    // Services: Safeguarding = teams A and B.
    approx(m("Safeguarding", "service", "employed_fte"), 3.3);
    approx(m("Care", "service", "agency_rate_pct"), 100.0);
}

#[test]
fn zero_denominators_are_null_and_missing_data_is_null() {
    let df = fixture_a();
    let m = |metric: &str| value(&df, "2024-07", "team", "C", metric);
    approx(m("employed_fte"), 0.0);
    for metric in [
        "nqsw_share_pct",
        "early_career_share_pct",
        "caseload_per_fte",
        "supervision_compliance_pct",
        "turnover_rate_12m_pct",
        "establishment_fte",
        "vacancy_fte",
        "vacancy_rate_pct",
        "stability_index_pct",
        "leavers_fte_12m",
        "agency_cost",
    ] {
        assert_eq!(m(metric), None, "{metric}");
    }
    // One month held: no 12-month window and no m−12 snapshot anywhere.
    assert_eq!(
        value(&df, "2024-07", "all", "all", "turnover_rate_12m_pct"),
        None
    );
    assert_eq!(
        value(&df, "2024-07", "all", "all", "stability_index_pct"),
        None
    );
}

// ---------------------------------------------------------------------
// B: supervision intervals at 31/07/2024 (day D). NQSWs (ASYE=Y) with
// start D−41 (7-day interval), D−42 and D−182 (14 days), D−183 (31 days).
// ---------------------------------------------------------------------
#[test]
fn supervision_interval_boundaries() {
    use chrono::{Duration, NaiveDate};
    let d = NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
    let day = |n: i64| (d - Duration::days(n)).format("%d/%m/%Y").to_string();
    let rows = [
        ("n1", "Y", day(41), day(7)),         // 7-day interval, 7 days: within
        ("n2", "Y", day(41), day(8)),         // 7-day interval, 8 days: not
        ("n3", "Y", day(42), day(14)),        // 14-day interval, 14 days: within
        ("n4", "Y", day(182), day(15)),       // 14-day interval, 15 days: not
        ("n5", "Y", day(183), day(31)),       // 31-day interval, 31 days: within
        ("e1", "N", day(900), day(32)),       // 32 days: not
        ("e2", "N", day(900), String::new()), // nothing on record: not
        ("e3", "N", day(900), String::new()), // the log has D−10: within
        ("e4", "N", day(900), day(40)),       // the log has D−20, later than D−40: within
    ];
    let mut csv = String::from(
        "Staff ID,Team,FTE,Contract,Extract Date,ASYE,Start Date,Last Supervision,Caseload\n",
    );
    for (id, asye, start, sup) in &rows {
        csv.push_str(&format!(
            "{id},A,1,Permanent,31/07/2024,{asye},{start},{sup},8\n"
        ));
    }
    csv.push_str("z1,A,1,Permanent,31/07/2024,N,01/01/2020,,0\n"); // not a case holder
    let log = format!(
        "Staff Number,Supervision Date\ne3,{}\ne3,{}\ne4,{}\n",
        day(10),
        day(-3),
        day(20)
    );
    let df = metrics_of(&[("w.csv", csv), ("log.csv", log)]);
    // Within: n1, n3, n5, e3, e4 = 5 of 9 case holders.
    approx(
        value(&df, "2024-07", "all", "all", "supervision_compliance_pct"),
        500.0 / 9.0,
    );
}

// ---------------------------------------------------------------------
// C: 13 monthly snapshots, January 2024 to January 2025, teams A
// (Safeguarding) and B (Care). Everyone 1.0 FTE permanent, started 2020,
// except as noted:
//   w01 under notice on the January row (leave 15/02/2024), then gone.
//   w02 on the March row with leave 20/03/2024, and in the leavers report.
//   w03 in post to April, then vanishes: an inferred leaver in May.
//   w04 in post to April, vanishes; the leavers report says 03/06/2024.
//   w05 team A to June, team B from July (a move, not a leave).
//   w06 permanent to August, the same id as agency from September.
//   w07 two posts every month: A 0.6 and B 0.4.
//   w08–w10 team A throughout.
//   s1 starts 01/10/2024 in A; s2 appears in A in November, no start date.
// Establishment: A 10 from 01/01/2024 and 8 from 01/06/2024; B 1 (no date).
// ---------------------------------------------------------------------
const MONTH_ENDS: [&str; 13] = [
    "31/01/2024",
    "29/02/2024",
    "31/03/2024",
    "30/04/2024",
    "31/05/2024",
    "30/06/2024",
    "31/07/2024",
    "31/08/2024",
    "30/09/2024",
    "31/10/2024",
    "30/11/2024",
    "31/12/2024",
    "31/01/2025",
];

fn fixture_c_workforce(skip_month: Option<usize>) -> String {
    let mut csv =
        String::from("Staff ID,Team,Service,FTE,Contract,Extract Date,Start Date,Leave Date\n");
    let team_service = |t: &str| if t == "A" { "Safeguarding" } else { "Care" };
    for (i, d) in MONTH_ENDS.iter().enumerate() {
        if Some(i) == skip_month {
            continue;
        }
        let mut row =
            |id: &str, team: &str, fte: &str, contract: &str, start: &str, leave: &str| {
                csv.push_str(&format!(
                    "{id},{team},{},{fte},{contract},{d},{start},{leave}\n",
                    team_service(team)
                ));
            };
        let s = "01/01/2020";
        if i == 0 {
            row("w01", "A", "1.0", "Permanent", s, "15/02/2024");
        }
        if i <= 1 {
            row("w02", "A", "1.0", "Permanent", s, "");
        } else if i == 2 {
            row("w02", "A", "1.0", "Permanent", s, "20/03/2024");
        }
        if i <= 3 {
            row("w03", "A", "1.0", "Permanent", s, "");
            row("w04", "A", "1.0", "Permanent", s, "");
        }
        row(
            "w05",
            if i <= 5 { "A" } else { "B" },
            "1.0",
            "Permanent",
            s,
            "",
        );
        row(
            "w06",
            "A",
            "1.0",
            if i <= 7 { "Permanent" } else { "Agency" },
            s,
            "",
        );
        row("w07", "A", "0.6", "Permanent", s, "");
        row("w07", "B", "0.4", "Permanent", s, "");
        for id in ["w08", "w09", "w10"] {
            row(id, "A", "1.0", "Permanent", s, "");
        }
        if i >= 9 {
            row("s1", "A", "1.0", "Permanent", "01/10/2024", "");
        }
        if i >= 10 {
            row("s2", "A", "1.0", "Permanent", "", "");
        }
    }
    csv
}

fn fixture_c(skip_month: Option<usize>) -> DataFrame {
    let leavers = "Payroll Number,Leaving Date\nw02,20/03/2024\nw04,03/06/2024\n".to_string();
    let est = "Team,Service,Funded FTE,Effective Date\nA,Safeguarding,10,01/01/2024\nA,Safeguarding,8,01/06/2024\nB,Care,1,\n".to_string();
    metrics_of(&[
        ("workforce.csv", fixture_c_workforce(skip_month)),
        ("leavers.csv", leavers),
        ("establishment.csv", est),
    ])
}

#[test]
fn leavers_each_rule_by_hand() {
    let df = fixture_c(None);
    let all = |month: &str, metric: &str| value(&df, month, "all", "all", metric);
    // Under notice in January: in post, no leave yet.
    approx(all("2024-01", "employed_headcount"), 10.0);
    approx(all("2024-01", "leavers_fte"), 0.0);
    // w01's notice ends in February.
    approx(all("2024-02", "leavers_fte"), 1.0);
    // w02: on the March row and in the leavers report, counted once.
    approx(all("2024-03", "leavers_headcount"), 1.0);
    approx(all("2024-03", "employed_headcount"), 8.0);
    approx(all("2024-04", "leavers_fte"), 0.0);
    // w03 inferred in May; w04 not inferred (recorded in June, m+1).
    approx(all("2024-05", "leavers_fte"), 1.0);
    approx(all("2024-06", "leavers_fte"), 1.0);
    // w05's move in July is no leave, for the service or either team.
    approx(all("2024-07", "leavers_fte"), 0.0);
    approx(value(&df, "2024-07", "team", "A", "leavers_fte"), 0.0);
    // w06 employed → agency in September: a leave (inferred, FTE from August).
    approx(all("2024-09", "leavers_fte"), 1.0);
    approx(all("2024-09", "agency_fte"), 1.0);
    // Two posts: FTE counts both, headcount the person once.
    approx(all("2025-01", "employed_fte"), 7.0);
    approx(all("2025-01", "employed_headcount"), 7.0);
    approx(value(&df, "2025-01", "team", "B", "employed_fte"), 1.4);
}

#[test]
fn turnover_window_and_stability_by_hand() {
    let df = fixture_c(None);
    let all = |month: &str, metric: &str| value(&df, month, "all", "all", metric);
    // Window Jan–Nov 2024 is short of twelve months: null.
    assert_eq!(all("2024-11", "leavers_fte_12m"), None);
    // December: Jan–Dec all held; leaves Feb, Mar, May, Jun, Sep = 5.0.
    approx(all("2024-12", "leavers_fte_12m"), 5.0);
    approx(all("2025-01", "leavers_fte_12m"), 5.0);
    // Turnover = 100 × 5.0 / 7.0 FTE in post at January 2025.
    approx(all("2025-01", "turnover_rate_12m_pct"), 500.0 / 7.0);
    // Stability: of the 10 in post in January 2024, 5 are in post a year
    // later (w05, w07, w08, w09, w10).
    approx(all("2025-01", "stability_index_pct"), 50.0);
    // Team A: 10 then (w05 and w07's A post included), 4 still in A (w05 moved).
    approx(
        value(&df, "2025-01", "team", "A", "stability_index_pct"),
        40.0,
    );
    approx(
        value(&df, "2025-01", "team", "B", "stability_index_pct"),
        100.0,
    );
    assert_eq!(
        all("2024-12", "stability_index_pct"),
        None,
        "no snapshot for 2023-12"
    );
    // Team turnover counts only that team's own leaves: B had none.
    approx(value(&df, "2025-01", "team", "B", "leavers_fte_12m"), 0.0);
}

#[test]
fn starters_by_start_date_and_by_absence() {
    let df = fixture_c(None);
    let all = |month: &str, metric: &str| value(&df, month, "all", "all", metric);
    approx(all("2024-10", "starters_fte"), 1.0); // s1, by start date
    approx(all("2024-11", "starters_headcount"), 1.0); // s2, absent from October
    approx(all("2024-12", "starters_headcount"), 0.0);
    approx(all("2024-01", "starters_headcount"), 0.0); // first month: nobody by absence
    approx(all("2024-09", "starters_headcount"), 0.0); // w06 turned agency: not employed
}

#[test]
fn establishment_changing_mid_series() {
    let df = fixture_c(None);
    let all = |month: &str, metric: &str| value(&df, month, "all", "all", metric);
    // January: A 10 vs 9.6 employed → 0.4; B 1 vs 0.4 → 0.6. 1.0 vacant of 11.
    approx(all("2024-01", "establishment_fte"), 11.0);
    approx(all("2024-01", "vacancy_fte"), 1.0);
    approx(all("2024-01", "vacancy_rate_pct"), 100.0 * 1.0 / 11.0);
    // May: A 10 vs 5.6 → 4.4; B 0.6. 5.0 vacant, 6.0 employed.
    approx(all("2024-05", "vacancy_fte"), 5.0);
    approx(all("2024-05", "vacancy_rate_pct"), 100.0 * 5.0 / 11.0);
    // June: A's establishment falls to 8 → 2.4; B 0.6 → 3.0 of 9.
    approx(all("2024-06", "establishment_fte"), 9.0);
    approx(all("2024-06", "vacancy_fte"), 3.0);
    approx(
        value(&df, "2024-06", "service", "Safeguarding", "vacancy_fte"),
        2.4,
    );
    // July: B holds 1.4 FTE against 1 funded: no vacancy there, and the
    // service total is A's 8 − 4.6 = 3.4, not 9 − 6.0.
    approx(value(&df, "2024-07", "team", "B", "vacancy_fte"), 0.0);
    approx(all("2024-07", "vacancy_fte"), 3.4);
}

#[test]
fn a_missing_month_nulls_the_turnover_window_but_not_stability() {
    // June 2024 missing.
    let df = fixture_c(Some(5));
    let all = |month: &str, metric: &str| value(&df, month, "all", "all", metric);
    assert_eq!(all("2024-12", "leavers_fte_12m"), None);
    assert_eq!(all("2025-01", "turnover_rate_12m_pct"), None);
    approx(all("2025-01", "stability_index_pct"), 50.0);
}

#[test]
fn the_attention_list_names_who_is_over_the_limit_or_overdue_supervision() {
    use keel::metrics::workers::needing_attention;
    // Snapshot 30/09/2026. a1: 20 cases (limit 18), supervised 10 days
    // ago. a2: 10 cases, 40 days ago (interval 31). a3: fine. a4: no
    // cases, never supervised (not a case holder). a5: ASYE, started 20
    // days ago (7-day interval), 13 cases (NQSW limit 12), 8 days ago.
    let csv = "Employee Number,Team,Role,FTE,Contract Type,Caseload,Last Supervision,ASYE,Start Date,Extract Date\n\
        a1,A,Social Worker,1.0,Permanent,20,20/09/2026,N,01/01/2020,30/09/2026\n\
        a2,A,Social Worker,1.0,Permanent,10,21/08/2026,N,01/01/2020,30/09/2026\n\
        a3,A,Social Worker,1.0,Permanent,10,25/09/2026,N,01/01/2020,30/09/2026\n\
        a4,A,Team Manager,1.0,Permanent,0,,N,01/01/2020,30/09/2026\n\
        a5,A,NQSW,1.0,Permanent,13,22/09/2026,Y,10/09/2026,30/09/2026\n";
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "sep.csv", csv);
    let e = read_ok(&path, &opts());
    let inputs = keel::metrics::Inputs {
        workforce: e.data,
        leavers: None,
        establishment: None,
        supervision: None,
        caseload: None,
    };
    let limits = keel::metrics::Limits {
        nqsw: 12.0,
        standard: 18.0,
    };
    let sep = keel::month::Month::new(2026, 9).unwrap();
    let list = needing_attention(&inputs, limits, sep, Some("A")).unwrap();
    let ids: Vec<&str> = list.iter().map(|a| a.worker_id.as_str()).collect();
    // Most overdue first: a2 is 9 days past its interval, a5 one day.
    assert_eq!(ids, ["a2", "a5", "a1"]);
    let a5 = &list[1];
    assert_eq!(
        (a5.limit, a5.interval, a5.days_since_supervision),
        (12.0, 7, Some(8))
    );
    assert!(a5.over_limit && a5.overdue);
    assert_eq!(a5.role.as_deref(), Some("NQSW"));
    assert!(list[2].over_limit && !list[2].overdue);
    assert!(!list[0].over_limit && list[0].overdue);
    // The same rows as the metrics count.
    let df = keel::metrics::compute(&inputs, limits).unwrap();
    let over = df
        .column("over_limit_headcount")
        .unwrap()
        .i64()
        .unwrap()
        .get(0);
    assert_eq!(over, Some(2));
    assert!(
        needing_attention(&inputs, limits, sep, Some("B"))
            .unwrap()
            .is_empty()
    );
}

// ---------------------------------------------------------------------
// D: a leave and an establishment line that name a team but no service
// area take the team's, from its snapshot rows.
//   Snapshots, January and February 2024: x1 in team A (Safeguarding),
//   x2 in team B (Care), 1.0 FTE each, both months.
//   Leavers report: x9, team B, no service, left 15/02/2024, 1.0 FTE,
//   on no snapshot (so no post to take a service area from).
//   Establishment: team B, no service, 2.0 funded.
// ---------------------------------------------------------------------
#[test]
fn a_team_without_a_service_area_takes_its_teams() {
    let workforce = "Staff ID,Team,Service,FTE,Contract,Extract Date\n\
        x1,A,Safeguarding,1.0,Permanent,31/01/2024\n\
        x2,B,Care,1.0,Permanent,31/01/2024\n\
        x1,A,Safeguarding,1.0,Permanent,29/02/2024\n\
        x2,B,Care,1.0,Permanent,29/02/2024\n";
    let leavers = "Payroll Number,Team,Service,Leaving Date,FTE\nx9,B,,15/02/2024,1.0\n";
    let est = "Team,Service,Funded FTE,Effective Date\nB,,2,\n";
    let df = metrics_of(&[
        ("workforce.csv", workforce.to_string()),
        ("leavers.csv", leavers.to_string()),
        ("establishment.csv", est.to_string()),
    ]);
    let care = |month: &str, metric: &str| value(&df, month, "service", "Care", metric);
    // x9's leave counts in team B and so in Care.
    approx(care("2024-02", "leavers_fte"), 1.0);
    approx(value(&df, "2024-02", "team", "B", "leavers_fte"), 1.0);
    approx(
        value(&df, "2024-02", "service", "Safeguarding", "leavers_fte"),
        0.0,
    );
    // B's 2.0 funded against x2's 1.0 employed: 1.0 vacant, in Care.
    approx(care("2024-01", "establishment_fte"), 2.0);
    approx(care("2024-01", "vacancy_fte"), 1.0);
    approx(care("2024-02", "vacancy_rate_pct"), 50.0);
}
