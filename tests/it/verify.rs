//! `keel verify`: every stored file against the checksum recorded when it
//! was stored.

use crate::support::*;
use std::path::{Path, PathBuf};

/// A workspace with two imports (January and February) and a plan edit.
fn workspace(dir: &Path) -> PathBuf {
    let ws = dir.join("ws");
    let jan = write(dir, "jan.csv", &snapshot_csv("31/01/2024", &["1", "2"]));
    let feb = write(
        dir,
        "feb.csv",
        &snapshot_csv("29/02/2024", &["1", "2", "3"]),
    );
    for f in [&jan, &feb] {
        let out = keel(&[
            "import",
            "--workspace",
            ws.to_str().unwrap(),
            f.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let plan = write(
        dir,
        "plan.csv",
        "Ref,Recommendation,Timescale\nR1,Cut caseloads,3 months\n",
    );
    let out = keel(&[
        "plan",
        "import",
        "--workspace",
        ws.to_str().unwrap(),
        "--start",
        "2024-01-05",
        plan.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    ws
}

fn verify(ws: &Path) -> std::process::Output {
    keel(&["verify", "--workspace", ws.to_str().unwrap()])
}

#[test]
fn an_intact_workspace_says_each_import_is_ok() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let out = verify(&ws);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("manifest keel.json: ok (2 imports, 1 plan edits, 0 benchmark files)"),
        "{said}"
    );
    assert!(said.contains("import #1 (jan.csv): ok\n"), "{said}");
    assert!(said.contains("import #2 (feb.csv): ok\n"), "{said}");
    assert!(said.contains("plan edit #1 ("), "{said}");
    assert!(!said.contains("recorded"), "{said}");
}

fn assert_fails(ws: &Path, line: &str, named: &str) {
    let out = verify(ws);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains(line), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("import #1 (jan.csv): ok"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "the workspace {} is not intact: {named}",
            ws.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains("jan.csv"),
        "only the failing import is named: {err}"
    );
}

#[test]
fn a_flipped_byte_is_a_changed_import() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let p = ws.join("imports/2.parquet");
    let mut bytes = std::fs::read(&p).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&p, bytes).unwrap();
    assert_fails(
        &ws,
        "import #2 (feb.csv): changed (imports/2.parquet)",
        "import #2 (feb.csv) changed",
    );
}

#[test]
fn a_truncated_file_is_a_changed_import() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let p = ws.join("imports/2.warnings.json");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() - 1]).unwrap();
    assert_fails(
        &ws,
        "import #2 (feb.csv): changed (imports/2.warnings.json)",
        "import #2 (feb.csv) changed",
    );
}

#[test]
fn a_deleted_file_is_a_missing_import() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    std::fs::remove_file(ws.join("imports/2.parquet")).unwrap();
    assert_fails(
        &ws,
        "import #2 (feb.csv): missing (imports/2.parquet)",
        "import #2 (feb.csv) missing",
    );
}

#[test]
fn a_workspace_from_before_checksums_gets_them_on_its_first_verify() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    // The manifest as a Keel before checksums wrote it.
    let path = ws.join("keel.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(m["checksums"]["imports/1.parquet"].is_string(), "{m}");
    m.as_object_mut().unwrap().remove("checksums");
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();

    let out = verify(&ws);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("recorded checksums for 2 imports written before checksums existed"),
        "{said}"
    );
    assert!(
        said.contains("import #1 (jan.csv): ok (checksums recorded now)"),
        "{said}"
    );
    assert!(
        said.contains("recorded checksums for 1 plan edits and benchmark files"),
        "{said}"
    );

    // Recorded once: the next verify checks against them.
    let out = verify(&ws);
    assert!(out.status.success());
    assert!(!stdout(&out).contains("recorded"), "{}", stdout(&out));
    std::fs::write(ws.join("imports/2.warnings.json"), "[ ]").unwrap();
    assert_fails(
        &ws,
        "import #2 (feb.csv): changed (imports/2.warnings.json)",
        "import #2 (feb.csv) changed",
    );
}

#[test]
fn a_manifest_that_cannot_be_read_fails_the_verify() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    std::fs::write(ws.join("keel.json"), "{ not json").unwrap();
    let out = verify(&ws);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the manifest cannot be read"),
        "{}",
        stderr(&out)
    );
}
