//! Storing an import when the world is unkind: a full disk, another
//! import at the same moment.

use crate::support::*;
use keel::workspace::atomic::{self, ENOSPC, fault};
use keel::workspace::{Error, Workspace};
use std::path::Path;

/// Files in the workspace and its imports folder, the lock aside.
fn files(ws: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["", "imports"] {
        for e in std::fs::read_dir(ws.join(sub)).unwrap().flatten() {
            if e.path().is_file() && e.file_name() != ".lock" {
                out.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_full_disk_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keel.json");
    std::fs::write(&p, "before").unwrap();
    // The writer's own failure...
    let e = atomic::write_with(&p, |_| Err(std::io::Error::from_raw_os_error(ENOSPC))).unwrap_err();
    assert!(atomic::is_disk_full(&e), "{e}");
    // ...and the disk's, under the writer.
    let e = {
        let _full = fault::fail_writes_under(dir.path(), 0, ENOSPC);
        atomic::write_bytes(&p, b"after").unwrap_err()
    };
    assert!(atomic::is_disk_full(&e), "{e}");
    assert!(atomic::is_disk_full(&std::io::Error::from(
        std::io::ErrorKind::StorageFull
    )));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "before");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left"
    );
    atomic::write_bytes(&p, b"after").unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "after");
}

#[test]
fn a_full_disk_during_an_import_says_so_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let mut ws = Workspace::open_or_create(&root).unwrap();
    let jan = write(
        dir.path(),
        "jan.csv",
        &snapshot_csv("31/01/2024", &["1", "2"]),
    );
    ws.import(vec![read_ok(&jan, &opts())], false).unwrap();
    let before = files(&root);
    let manifest = std::fs::read(root.join("keel.json")).unwrap();
    let feb = write(dir.path(), "feb.csv", &snapshot_csv("29/02/2024", &["1"]));

    // Full at the Parquet file (written through polars), at the warnings,
    // and at the manifest, the commit.
    for pass in 0..3 {
        let failed = {
            let _full = fault::fail_writes_under(&root, pass, ENOSPC);
            ws.import(vec![read_ok(&feb, &opts())], false).unwrap_err()
        };
        assert!(
            matches!(failed, Error::DiskFull { .. }),
            "{pass}: {failed:?}"
        );
        assert_eq!(
            failed.to_string(),
            format!(
                "the disk holding the workspace {} is full: nothing was stored. Free some space on it and try again",
                root.display()
            )
        );
        assert_eq!(std::fs::read(root.join("keel.json")).unwrap(), manifest);
        let reopened = Workspace::open(&root).unwrap();
        assert_eq!(reopened.manifest().imports.len(), 1);
    }
    // With space again the import goes through, and what the failures
    // left (data files no manifest names) is swept.
    let stored = ws.import(vec![read_ok(&feb, &opts())], false).unwrap();
    assert_eq!(stored.records[0].id, 2);
    let mut expected = before.clone();
    expected.extend([
        "imports/2.parquet".to_string(),
        "imports/2.warnings.json".to_string(),
    ]);
    expected.sort();
    assert_eq!(files(&root), expected);
}

#[test]
fn a_second_import_while_one_is_committing_is_told_who_holds_the_workspace() {
    // January: 1, 2, 3. This process imports February (3 has gone) and,
    // just before it commits, another keel imports March (2 has gone).
    // March's inferred leaver can only be found against February, so the
    // second import must not have computed it before February landed.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let mut ws = Workspace::open_or_create(&root).unwrap();
    let jan = write(
        dir.path(),
        "jan.csv",
        &snapshot_csv("31/01/2024", &["1", "2", "3"]),
    );
    ws.import(vec![read_ok(&jan, &opts())], false).unwrap();
    let feb = write(
        dir.path(),
        "feb.csv",
        &snapshot_csv("29/02/2024", &["1", "2"]),
    );
    let mar = write(dir.path(), "mar.csv", &snapshot_csv("31/03/2024", &["1"]));
    let second = || {
        keel(&[
            "import",
            "--workspace",
            root.to_str().unwrap(),
            mar.to_str().unwrap(),
        ])
    };

    let mut refused = None;
    let stored = ws
        .import_with(vec![read_ok(&feb, &opts())], false, &mut || {
            refused = Some(second())
        })
        .unwrap();
    let refused = refused.unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stderr(&refused).trim(),
        format!(
            "the workspace {} is being changed by another Keel process (pid {}); nothing was stored. Try again when it has finished",
            root.display(),
            std::process::id()
        )
    );
    assert!(
        stored.warnings[0]
            .iter()
            .any(|w| w.reason.contains("inferred leaver in 2024-02"))
    );
    assert_eq!(Workspace::open(&root).unwrap().manifest().imports.len(), 2);

    // Tried again, it finds February and March's leaver.
    let out = second();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert_eq!(
        said.matches("inferred leaver in 2024-03").count(),
        1,
        "{said}"
    );
}
