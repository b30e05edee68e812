//! One inferred-leaver rule (contract §3, Leavers): the import warns of
//! exactly the leaves the metrics infer and count.

use crate::support::*;
use keel::extract::read_extract;
use keel::metrics::{Limits, compute, quality};
use keel::workspace::Workspace;
use polars::prelude::*;

const LIMITS: Limits = Limits {
    nqsw: 12.0,
    standard: 18.0,
};

fn snapshot(date: &str, rows: &[(&str, &str, &str)]) -> String {
    let mut s = String::from("Employee Number,Team,FTE,Contract Type,Extract Date,Leave Date\n");
    for (id, kind, leave) in rows {
        s.push_str(&format!("{id},Assessment,1.0,{kind},{date},{leave}\n"));
    }
    s
}

#[test]
fn the_import_warns_of_the_leaves_the_metrics_infer() {
    // January: workers 1 to 6, employed.
    // February: 1 stays; 2 vanishes (inferred); 3 is back as an agency
    //   worker (employed to agency is a leave: inferred); 4 is on an
    //   agency row whose leave date is no employed leave (inferred); 5
    //   vanishes with a leave in March in the leavers report (recorded,
    //   nothing inferred); 6 stays.
    // March is not held; April: 6 is gone, but with no March snapshot
    //   nobody is known to have left in April.
    let jan = snapshot(
        "31/01/2024",
        &[
            ("1", "Permanent", ""),
            ("2", "Permanent", ""),
            ("3", "Permanent", ""),
            ("4", "Permanent", ""),
            ("5", "Permanent", ""),
            ("6", "Permanent", ""),
        ],
    );
    let feb = snapshot(
        "29/02/2024",
        &[
            ("1", "Permanent", ""),
            ("3", "Agency", ""),
            ("4", "Agency", "10/02/2024"),
            ("6", "Permanent", ""),
        ],
    );
    let apr = snapshot("30/04/2024", &[("1", "Permanent", "")]);
    let leavers = "Payroll Number,Leaving Date\n5,05/03/2024\n".to_string();

    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    let mut warnings = Vec::new();
    // January alone, then the rest: the rule reads the months held and
    // the batch's together.
    for batch in [
        vec![("jan.csv", jan)],
        vec![("feb.csv", feb), ("apr.csv", apr), ("leavers.csv", leavers)],
    ] {
        let extracts = batch
            .iter()
            .map(|(name, text)| {
                let p = write(dir.path(), name, text);
                read_extract(&p, &opts()).unwrap_or_else(|r| panic!("{name}: {:#?}", r.errors))
            })
            .collect();
        let stored = ws.import(extracts, false).unwrap();
        warnings.extend(
            stored
                .warnings
                .into_iter()
                .flatten()
                .map(|w| w.reason)
                .filter(|r| r.contains("inferred leaver")),
        );
    }
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("inferred leaver in 2024-02"))
    );
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("agency worker"))
            .count(),
        2,
        "{warnings:#?}"
    );

    // The metrics count the same three, and nothing in April.
    let inputs = ws.inputs().unwrap().unwrap();
    let findings = quality::report(&inputs, LIMITS, &[]).unwrap();
    let inferred: Vec<(String, u64)> = findings
        .iter()
        .filter(|f| f.check == "inferred_leavers")
        .map(|f| (f.month.unwrap().to_string(), f.count))
        .collect();
    assert_eq!(inferred, [("2024-02".to_string(), 3)]);
    let df = compute(&inputs, LIMITS).unwrap();
    let leavers = df
        .lazy()
        .filter(col("group_kind").eq(lit("all")))
        .select([col("month"), col("leavers_headcount")])
        .collect()
        .unwrap();
    let months: Vec<Option<&str>> = leavers
        .column("month")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .collect();
    let heads: Vec<Option<i64>> = leavers
        .column("leavers_headcount")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(months, [Some("2024-01"), Some("2024-02"), Some("2024-04")]);
    assert_eq!(heads, [Some(0), Some(3), Some(0)]);
}

#[test]
fn a_leave_recorded_on_an_older_snapshot_rules_out_inferring_one_month_by_month() {
    // Worker 8's January row gives notice to 10 March; February's row does
    // not repeat it; in March they are gone: a recorded leave, imported two
    // months before the snapshot it explains. Worker 9 vanishes in March
    // with nothing recorded.
    let months = [
        snapshot(
            "31/01/2024",
            &[("8", "Permanent", "10/03/2024"), ("9", "Permanent", "")],
        ),
        snapshot(
            "29/02/2024",
            &[("8", "Permanent", ""), ("9", "Permanent", "")],
        ),
        snapshot("31/03/2024", &[("1", "Permanent", "")]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    let mut warnings = Vec::new();
    for (i, text) in months.iter().enumerate() {
        let p = write(dir.path(), &format!("m{i}.csv"), text);
        let stored = ws
            .import(vec![read_extract(&p, &opts()).unwrap()], false)
            .unwrap();
        warnings.extend(
            stored
                .warnings
                .into_iter()
                .flatten()
                .map(|w| w.reason)
                .filter(|r| r.contains("inferred leaver")),
        );
    }
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("inferred leaver in 2024-03"));
    let inputs = ws.inputs().unwrap().unwrap();
    let findings = quality::report(&inputs, LIMITS, &[]).unwrap();
    let inferred: u64 = findings
        .iter()
        .filter(|f| f.check == "inferred_leavers")
        .map(|f| f.count)
        .sum();
    assert_eq!(inferred, 1);
}
