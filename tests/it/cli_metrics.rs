//! `keel metrics`, `keel check` and `keel settings` from the command line.

use crate::support::*;

fn workspace_with(files: &[(&str, &str)]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let paths: Vec<String> = files
        .iter()
        .map(|(n, t)| write(dir.path(), n, t).display().to_string())
        .collect();
    let mut args = vec!["import", "--workspace", ws.as_str()];
    args.extend(paths.iter().map(String::as_str));
    let out = keel(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, ws)
}

#[test]
fn metrics_csv_has_the_contract_columns_and_empty_nulls() {
    let (_d, ws) = workspace_with(&[
        ("mar.csv", &snapshot_csv("31/03/2024", &["1", "2"])),
        ("apr.csv", &snapshot_csv("30/04/2024", &["1"])),
    ]);
    let out = keel(&["metrics", "--workspace", &ws, "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut expected = vec!["month", "group_kind", "group"];
    expected.extend(keel::metrics::METRICS);
    expected.push("source");
    assert_eq!(header, expected);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // Two months × (all, one service "Unassigned", one team).
    assert_eq!(rows.len(), 6, "{text}");
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let april_all = rows
        .iter()
        .find(|r| r[0] == "2024-04" && r[1] == "all")
        .unwrap();
    assert_eq!(april_all[col("employed_headcount")], "1");
    assert_eq!(
        april_all[col("leavers_headcount")],
        "1",
        "worker 2 vanished: an inferred leaver"
    );
    assert_eq!(
        april_all[col("turnover_rate_12m_pct")],
        "",
        "no 12-month window: an empty field"
    );
    assert_eq!(april_all[col("establishment_fte")], "");

    let out = keel(&[
        "metrics",
        "--workspace",
        &ws,
        "--group-by",
        "team",
        "--from",
        "2024-04",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["group"], "Assessment");
    assert!(rows[0]["stability_index_pct"].is_null());
}

#[test]
fn check_lists_inferred_leavers_and_gaps() {
    let (_d, ws) = workspace_with(&[
        ("jan.csv", &snapshot_csv("31/01/2024", &["1", "2"])),
        ("feb.csv", &snapshot_csv("29/02/2024", &["1"])),
        ("apr.csv", &snapshot_csv("30/04/2024", &["1"])),
    ]);
    let out = keel(&["check", "--workspace", &ws]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with("2024-02")
            && l.contains("inferred_leavers")
            && l.contains(" 1 ")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("2024-03") && l.contains("month_missing")),
        "{text}"
    );
    assert!(text.contains("no establishment file imported"), "{text}");
}

#[test]
fn settings_show_set_and_refuse_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws").display().to_string();
    let out = keel(&["settings", "--workspace", &ws]);
    let text = stdout(&out);
    assert!(text.contains("caseload_limit_standard = 18"), "{text}");
    assert!(
        text.contains("targets.agency_rate_pct = 13 (lower is better; England 2025"),
        "{text}"
    );
    let out = keel(&[
        "settings",
        "--workspace",
        &ws,
        "--set",
        "caseload_limit_standard=20",
        "--set",
        "targets.agency_rate_pct=15",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("caseload_limit_standard = 20"));
    let out = keel(&["settings", "--workspace", &ws, "--set", "standard_hours=-1"]);
    assert!(!out.status.success());
    assert!(stdout(&keel(&["settings", "--workspace", &ws])).contains("standard_hours = 37"));
}

#[test]
fn import_prints_fifty_warnings_then_a_count_unless_asked_for_all() {
    let dir = tempfile::tempdir().unwrap();
    // Sixty workers vanish between March and April: sixty inferred leavers.
    let ids: Vec<String> = (1..=61).map(|i| i.to_string()).collect();
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mar = write(dir.path(), "mar.csv", &snapshot_csv("31/03/2024", &all));
    let apr = write(
        dir.path(),
        "apr.csv",
        &snapshot_csv("30/04/2024", &all[..1]),
    );
    let ws = dir.path().join("ws").display().to_string();
    let out = keel(&["import", "--workspace", &ws, &mar.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = keel(&["import", "--workspace", &ws, &apr.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let listed = text.lines().filter(|l| l.starts_with("  warning")).count();
    assert_eq!(listed, 50, "{text}");
    assert!(text.contains("… and 10 more warning(s)"), "{text}");
    let out = keel(&["undo", "--workspace", &ws]);
    assert!(out.status.success());
    let out = keel(&[
        "import",
        "--workspace",
        &ws,
        "--all-warnings",
        &apr.display().to_string(),
    ]);
    let text = stdout(&out);
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  warning")).count(),
        60,
        "{text}"
    );
}

/// `--reference` computes the same table by the plain definitions: same
/// header, same rows, every cell equal (numbers to 1e-9 relative).
#[test]
fn metrics_reference_flag_prints_the_same_table() {
    let (_d, ws) = workspace_with(&[
        ("mar.csv", &snapshot_csv("31/03/2024", &["1", "2", "3"])),
        ("apr.csv", &snapshot_csv("30/04/2024", &["1", "3"])),
        ("may.csv", &snapshot_csv("31/05/2024", &["1", "3", "4"])),
    ]);
    let fast = keel(&["metrics", "--workspace", &ws]);
    let slow = keel(&["metrics", "--workspace", &ws, "--reference"]);
    assert!(fast.status.success(), "{}", stderr(&fast));
    assert!(slow.status.success(), "{}", stderr(&slow));
    let (fast, slow) = (stdout(&fast), stdout(&slow));
    assert_eq!(fast.lines().count(), 10, "header + 3 months × 3 groups");
    assert_eq!(fast.lines().count(), slow.lines().count());
    let header: Vec<&str> = fast.lines().next().unwrap().split(',').collect();
    for (row, (f, s)) in fast.lines().zip(slow.lines()).enumerate() {
        for (i, (a, b)) in f.split(',').zip(s.split(',')).enumerate() {
            let same = match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
                _ => a == b,
            };
            assert!(same, "row {row}, {}: engine {a}, reference {b}", header[i]);
        }
    }
}
