//! Benchmarks against the real DfE open data in `../shared/data/dfe/`
//! (not ours to commit: CI provides it there). Without it these tests fail
//! with a message saying so, rather than passing silently.

use keel::benchmark::{self, SourceKind};
use polars::prelude::*;
use std::path::PathBuf;

fn dfe(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/dfe")
        .join(name);
    assert!(
        p.is_file(),
        "the DfE open data is absent: {} is needed by this test (CI provides ../shared/data/dfe)",
        p.display()
    );
    p
}

fn indicators() -> DataFrame {
    let s = benchmark::read_source(&dfe("csww_indicators_2017_to_2025.csv")).unwrap();
    assert_eq!(s.kind, SourceKind::Indicators);
    s.data
}

/// (year, region, measure) where some council's figure is coded `u` (low
/// reliability); the England entry uses region "England".
fn low_reliability(long: &DataFrame) -> std::collections::HashSet<(i32, String, String)> {
    let la = long
        .clone()
        .lazy()
        .filter(col("level").eq(lit("la")).and(col("code").eq(lit("u"))))
        .collect()
        .unwrap();
    let (y, r, m) = (
        la.column("year").unwrap().i32().unwrap(),
        la.column("region_name").unwrap().str().unwrap(),
        la.column("measure").unwrap().str().unwrap(),
    );
    let mut out = std::collections::HashSet::new();
    for i in 0..la.height() {
        let (year, region, measure) = (
            y.get(i).unwrap(),
            r.get(i).unwrap_or("").to_string(),
            m.get(i).unwrap().to_string(),
        );
        if region.ends_with("London") {
            out.insert((year, "London".to_string(), measure.clone()));
        }
        out.insert((year, "England".to_string(), measure.clone()));
        out.insert((year, region, measure));
    }
    out
}

#[test]
fn published_rates_match_keels_definitions_for_england_and_every_region() {
    let long = indicators();
    let totals = [
        "inpost_fte",
        "leavers_fte",
        "agency_fte",
        "vacancy_fte",
        "cases",
        "case_holders_fte",
    ];
    // Each published rate and the published total it divides.
    let published = [
        ("turnover_rate_fte", "leavers_fte"),
        ("agency_rate_fte", "agency_fte"),
        ("vacancy_rate_fte", "vacancy_fte"),
        ("caseload_fte", "cases"),
    ];
    let names: Vec<&str> = totals
        .iter()
        .copied()
        .chain(published.iter().map(|p| p.0))
        .collect();
    let wide = benchmark::wide(&long, &names)
        .unwrap()
        .lazy()
        .filter(
            col("level")
                .eq(lit("national"))
                .or(col("level").eq(lit("regional"))),
        )
        .collect()
        .unwrap();
    // England, the nine regions, and Inner and Outer London, over nine years.
    assert_eq!(wide.height(), 9 * 12);
    let ours = benchmark::rates_from_totals(
        wide.clone().lazy().select(
            [col("year"), col("area_name")]
                .into_iter()
                .chain(totals.iter().map(|t| col(*t)))
                .collect::<Vec<_>>(),
        ),
    )
    .collect()
    .unwrap();
    let low = low_reliability(&long);
    let years = wide.column("year").unwrap().i32().unwrap();
    let areas = wide.column("area_name").unwrap().str().unwrap();
    let (mut matched, mut excused) = (0, Vec::new());
    for (rate, numerator) in published {
        let theirs = wide.column(rate).unwrap().f64().unwrap();
        let mine = ours.column(rate).unwrap().f64().unwrap();
        for i in 0..wide.height() {
            let (Some(t), Some(k)) = (theirs.get(i), mine.get(i)) else {
                continue;
            };
            if (t - k).abs() <= 0.1 {
                matched += 1;
                continue;
            }
            // The DfE leaves a council whose figure is of low reliability
            // out of its area's rate while its total still counts: only
            // there may the two differ.
            let key = (
                years.get(i).unwrap(),
                areas.get(i).unwrap().to_string(),
                numerator.to_string(),
            );
            assert!(
                low.contains(&key),
                "{rate} {key:?}: published {t}, Keel {k}, and no council there is coded u"
            );
            excused.push(key);
        }
    }
    eprintln!(
        "{matched} published rates matched within 0.1; excused (a council coded u): {excused:?}"
    );
    assert!(matched >= 420, "only {matched} matched");
    assert!(excused.len() <= 7, "{excused:?}");
}

#[test]
fn every_code_cell_becomes_a_null_with_its_code_never_a_zero() {
    let path = dfe("csww_indicators_2017_to_2025.csv");
    let mut raw = csv::Reader::from_path(&path).unwrap();
    let headers = raw.headers().unwrap().clone();
    let mut expected = 0usize;
    for r in raw.records() {
        let r = r.unwrap();
        for (h, v) in headers.iter().zip(r.iter()) {
            if ![
                "time_period",
                "time_identifier",
                "geographic_level",
                "country_code",
                "country_name",
                "region_code",
                "region_name",
                "old_la_code",
                "new_la_code",
                "la_name",
            ]
            .contains(&h)
                && benchmark::CODES.contains(&v.trim())
            {
                expected += 1;
            }
        }
    }
    assert!(
        expected > 100,
        "the file has code cells to check ({expected})"
    );
    let long = indicators();
    let coded = long
        .clone()
        .lazy()
        .filter(col("code").is_not_null())
        .collect()
        .unwrap();
    assert_eq!(coded.height(), expected);
    assert_eq!(
        coded.column("value").unwrap().null_count(),
        expected,
        "every code cell is a null"
    );
    let codes: std::collections::HashSet<String> = coded
        .column("code")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    assert!(
        codes.iter().all(|c| benchmark::CODES.contains(&c.as_str())),
        "{codes:?}"
    );
}

#[test]
fn the_shipped_england_series_is_the_dfe_national_series() {
    let long = indicators();
    let national = long
        .lazy()
        .filter(col("level").eq(lit("national")))
        .collect()
        .unwrap();
    let years = national.column("year").unwrap().i32().unwrap();
    let measures = national.column("measure").unwrap().str().unwrap();
    let values = national.column("value").unwrap().f64().unwrap();
    let shipped = benchmark::england::series();
    assert!(shipped.len() >= 9 * 10);
    for (y, m, v) in shipped {
        let i = (0..national.height())
            .find(|&i| years.get(i) == Some(y) && measures.get(i) == Some(m.as_str()))
            .unwrap();
        assert_eq!(values.get(i), Some(v), "{y} {m}");
    }
}

#[test]
fn a_council_beside_its_region_england_and_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    for f in ["csww_indicators_2017_to_2025.csv", "sn_model_2025_wide.csv"] {
        let out = crate::support::keel(&[
            "benchmark",
            "import",
            "--workspace",
            ws.to_str().unwrap(),
            dfe(f).to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", crate::support::stderr(&out));
    }
    let out = crate::support::keel(&[
        "benchmark",
        "show",
        "--workspace",
        ws.to_str().unwrap(),
        "--la",
        "barnet",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
    let text = crate::support::stdout(&out);
    assert!(
        text.starts_with(
            "year,measure,council,council_code,region,england,neighbours_median,neighbours_n"
        ),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("2025,turnover_rate_fte,"))
        .unwrap();
    let f: Vec<&str> = line.split(',').collect();
    // England 2025 turnover is 11.8 in the published file; Barnet has ten neighbours.
    assert_eq!(f[5], "11.8");
    assert!(
        f[2].parse::<f64>().is_ok() && f[4].parse::<f64>().is_ok(),
        "{line}"
    );
    assert!(f[7].parse::<u32>().unwrap() >= 8, "{line}");
    // By old code too.
    let out = crate::support::keel(&[
        "benchmark",
        "show",
        "--workspace",
        ws.to_str().unwrap(),
        "--la",
        "302",
    ]);
    assert!(crate::support::stdout(&out).contains("2025,turnover_rate_fte,"));
    let out = crate::support::keel(&[
        "benchmark",
        "show",
        "--workspace",
        ws.to_str().unwrap(),
        "--la",
        "Barnett",
    ]);
    assert!(!out.status.success());
}

/// The 2017–2022 "headline measures" release names its columns otherwise
/// (`social_worker_fte`, `turnover_rate_fte_%`, …). The real indicators
/// file with its header row written in those names must be filed exactly as
/// the file itself is: same measures, same values, same codes.
#[test]
fn an_older_release_is_filed_under_the_indicators_names() {
    let src = dfe("csww_indicators_2017_to_2025.csv");
    let text = std::fs::read_to_string(&src).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let older: Vec<&str> = header
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|h| match h.trim() {
            "inpost_fte" => "social_worker_fte",
            "inpost_headcount" => "social_worker_headcount",
            "starters_fte" => "starter_fte",
            "leavers_fte" => "leaver_fte",
            "leavers_headcount" => "leaver_headcount",
            "turnover_rate_fte" => "turnover_rate_fte_%",
            "turnover_rate_headcount" => "turnover_rate_headcount_%",
            "agency_fte" => "agency_worker_fte",
            "agency_rate_fte" => "agency_worker_rate_fte_%",
            "agency_rate_headcount" => "agency_worker_rate_headcount_%",
            "agency_cover_rate_fte" => "agency_cover_rate_fte_%",
            "vacancy_rate_fte" => "vacancy_rate_fte_%",
            "vacancy_agency_cover_rate_fte" => "vacancy_agency_cover_rate_fte_%",
            "absence_rate_fte" => "absence_rate_fte_%",
            "working_days_lost_fte" => "working_days_lost",
            other => other,
        })
        .collect();
    assert!(older.contains(&"agency_worker_rate_fte_%"), "{older:?}");
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("csww_headline_measures_2017_to_2022.csv");
    std::fs::write(&renamed, format!("{}\n{body}", older.join(","))).unwrap();
    let newer = benchmark::read_source(&src).unwrap();
    let old = benchmark::read_source(&renamed).unwrap();
    assert_eq!(old.kind, SourceKind::Indicators);
    assert_eq!(old.warnings, newer.warnings);
    assert!(
        old.data.equals_missing(&newer.data),
        "{:?}\n{:?}",
        old.data.head(Some(3)),
        newer.data.head(Some(3))
    );
}

/// One measure under two names (a file joining both releases' columns):
/// the first is kept and the second left out with a warning naming both.
#[test]
fn a_measure_under_both_names_is_kept_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("both.csv");
    std::fs::write(
        &p,
        "time_period,geographic_level,country_code,country_name,agency_rate_fte,agency_worker_rate_fte_%\n\
         2022,National,E92000001,England,17.6,17.9\n",
    )
    .unwrap();
    let s = benchmark::read_source(&p).unwrap();
    assert_eq!(s.data.height(), 1);
    let v = s.data.column("value").unwrap().f64().unwrap().get(0);
    assert_eq!(v, Some(17.6));
    assert_eq!(
        s.warnings,
        [
            "both.csv, column 'agency_worker_rate_fte_%': the same measure as column 'agency_rate_fte' (agency_rate_fte): column left out"
        ]
    );
}
