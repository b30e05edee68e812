//! The bundled sample data: reproducible from the generator, and imported
//! whole into a workspace without losing a row or a worker.

use crate::support::*;
use keel::extract::{Kind, read_extract};
use keel::first_run::extract_files;
use keel::workspace::Workspace;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data")
}

#[test]
fn the_committed_sample_data_is_what_the_generator_makes() {
    let dir = tempfile::tempdir().unwrap();
    let out = keel(&["sample", "--out", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names = |d: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(dir.path()), names(&committed()));
    for n in names(dir.path()) {
        let a = std::fs::read(dir.path().join(&n)).unwrap();
        let b = std::fs::read(committed().join(&n)).unwrap();
        assert!(
            a == b,
            "sample-data/{n} differs from the generator's output: run `keel sample --out sample-data`"
        );
    }
}

#[test]
fn the_whole_sample_data_round_trips_through_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("ws");
    let files = extract_files(&committed()).unwrap();
    assert!(files.len() >= 20, "{files:?}");
    let mut args = vec![
        "import".to_string(),
        "--workspace".into(),
        ws_dir.display().to_string(),
    ];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let out = keel(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", stderr(&out));

    // What the files hold, read without the workspace.
    let mut expected_rows: BTreeMap<String, usize> = BTreeMap::new();
    let mut raw_ids = HashSet::new();
    for f in &files {
        let e = read_extract(f, &opts()).unwrap();
        if e.kind == Kind::Workforce {
            let months = e.data.column("month").unwrap().i32().unwrap().clone();
            for m in months.iter().flatten() {
                *expected_rows
                    .entry(keel::month::Month(m).to_string())
                    .or_default() += 1;
            }
            raw_ids.extend(strings(&e.data, "worker_id").into_iter().flatten());
        }
    }
    let ws = Workspace::open(&ws_dir).unwrap();
    let held: Vec<String> = ws
        .manifest()
        .months_held(Kind::Workforce)
        .iter()
        .map(|m| m.to_string())
        .collect();
    assert_eq!(held.len(), 36);
    assert_eq!(
        (held[0].as_str(), held[35].as_str()),
        ("2023-10", "2026-09")
    );
    let df = ws.load(Kind::Workforce).unwrap().unwrap();
    // Loading without some columns (one the files lack is no matter)
    // leaves out those and only those.
    let lean = ws
        .load_without(
            Kind::Workforce,
            &["leaving_reason", "row", "no_such_column"],
        )
        .unwrap()
        .unwrap();
    assert_eq!(lean.height(), df.height());
    let names = |d: &polars::prelude::DataFrame| -> Vec<String> {
        d.get_column_names().iter().map(|n| n.to_string()).collect()
    };
    let mut expected = names(&df);
    expected.retain(|n| n != "leaving_reason" && n != "row");
    assert_eq!(names(&lean), expected);
    assert!(names(&df).contains(&"leaving_reason".to_string()));
    let mut stored_rows: BTreeMap<String, usize> = BTreeMap::new();
    for m in df.column("month").unwrap().i32().unwrap().iter().flatten() {
        *stored_rows
            .entry(keel::month::Month(m).to_string())
            .or_default() += 1;
    }
    assert_eq!(stored_rows, expected_rows);
    let stored_ids: HashSet<String> = strings(&df, "worker_id").into_iter().flatten().collect();
    assert_eq!(
        stored_ids.len(),
        raw_ids.len(),
        "pseudonymisation keeps workers apart and together"
    );
    assert!(stored_ids.is_disjoint(&raw_ids));
    for kind in [Kind::Leavers, Kind::Establishment, Kind::Supervision] {
        assert!(
            ws.load(kind).unwrap().is_some_and(|d| d.height() > 0),
            "{kind} imported"
        );
    }
}
