//! The workspace: one snapshot per month, replace and undo, the single
//! writer lock, pseudonymisation, and history.

use crate::support::*;
use keel::extract::Kind;
use keel::workspace::Workspace;
use std::path::Path;

fn import(ws: &Path, files: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "--workspace", ws.to_str().unwrap()];
    args.extend(extra);
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    keel(&args)
}

fn workforce_ids(ws: &Path) -> Vec<String> {
    let w = Workspace::open(ws).unwrap();
    let df = w.load(Kind::Workforce).unwrap().unwrap();
    let mut ids: Vec<String> = strings(&df, "worker_id").into_iter().flatten().collect();
    ids.sort();
    ids
}

#[test]
fn a_month_already_held_needs_replace_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let march = write(
        dir.path(),
        "march.csv",
        &snapshot_csv("31/03/2024", &["1", "2", "3"]),
    );
    let again = write(
        dir.path(),
        "march-fixed.csv",
        &snapshot_csv("31/03/2024", &["1", "2"]),
    );
    let out = import(&ws, &[&march], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("stored import #1: march.csv (workforce, 2024-03), 3 rows of 3 read"),
        "{}",
        stdout(&out)
    );
    let first = workforce_ids(&ws);
    assert_eq!(first.len(), 3);

    let out = import(&ws, &[&again], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("2024-03 is already held (import #1 of march.csv"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--replace"));
    assert_eq!(
        workforce_ids(&ws),
        first,
        "a refused import changes nothing"
    );

    let out = import(&ws, &[&again], &["--replace"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("replaces 2024-03 from import #1"));
    assert_eq!(workforce_ids(&ws).len(), 2);

    let out = keel(&["undo", "--workspace", ws.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2024-03 now comes from import #1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(workforce_ids(&ws), first);

    let hist = stdout(&keel(&["history", "--workspace", ws.to_str().unwrap()]));
    assert!(
        hist.contains("undone") && hist.contains("march-fixed.csv") && hist.contains("2024-03"),
        "{hist}"
    );
    let w = Workspace::open(&ws).unwrap();
    assert!(
        ws.join(w.manifest().imports[1].data_file()).is_file(),
        "undone data stays on disk"
    );

    keel(&["undo", "--workspace", ws.to_str().unwrap()]);
    let out = keel(&["undo", "--workspace", ws.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("there is no import or plan edit to undo"));
}

#[test]
fn a_batch_is_all_or_nothing_and_undone_together() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let a = write(dir.path(), "a.csv", &snapshot_csv("31/03/2024", &["1"]));
    let b = write(
        dir.path(),
        "b.csv",
        "Staff ID,Team,FTE,Contract,Extract Date\n2,A,9,Perm,30/04/2024\n",
    );
    let out = import(&ws, &[&a, &b], &[]);
    assert!(!out.status.success());
    assert!(Workspace::open(&ws).unwrap().manifest().imports.is_empty());
    let b = write(dir.path(), "b.csv", &snapshot_csv("30/04/2024", &["1"]));
    assert!(import(&ws, &[&a, &b], &[]).status.success());
    keel(&["undo", "--workspace", ws.to_str().unwrap()]);
    assert_eq!(Workspace::open(&ws).unwrap().manifest().active().count(), 0);
}

#[test]
fn the_same_leavers_file_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let l = write(
        dir.path(),
        "leavers.csv",
        "Payroll Number,Leaving Date\n0042,15/03/2024\n",
    );
    assert!(import(&ws, &[&l], &[]).status.success());
    let out = import(&ws, &[&l], &[]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("already imported"));
}

#[test]
fn a_second_writer_is_refused_while_the_lock_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    Workspace::open_or_create(&ws).unwrap();
    let f = write(dir.path(), "m.csv", &snapshot_csv("31/03/2024", &["1"]));
    let held = keel::workspace::lock::acquire(&ws).unwrap();
    let out = import(&ws, &[&f], &[]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("being changed by another Keel process"),
        "{}",
        stderr(&out)
    );
    assert!(Workspace::open(&ws).unwrap().manifest().imports.is_empty());
    drop(held);
    assert!(import(&ws, &[&f], &[]).status.success());
}

#[test]
fn the_store_holds_pseudonyms_never_raw_identifiers_or_names() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let csv = "Employee Number,Employee Name,Team,FTE,Contract,Extract Date\n\
        PAY004512,Agatha Wimbleford,A,1,Perm,31/03/2024\n\
        PAY009876,Bartholomew Quince,A,1,Perm,31/03/2024\n";
    let f = write(dir.path(), "m.csv", csv);
    let out = import(&ws, &[&f], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Employee Name"),
        "the dropped name column is reported"
    );
    let mut seen = 0;
    for entry in walk(&ws) {
        let bytes = std::fs::read(&entry).unwrap();
        for needle in [
            "PAY004512",
            "PAY009876",
            "004512",
            "Wimbleford",
            "Agatha",
            "Quince",
        ] {
            assert!(
                !contains(&bytes, needle.as_bytes()),
                "{needle} found in {}",
                entry.display()
            );
        }
        seen += 1;
    }
    assert!(
        seen >= 4,
        "manifest, settings, key and data were all checked"
    );
    // Parquet pages are compressed, so look at the decoded values too.
    let w = Workspace::open(&ws).unwrap();
    for r in &w.manifest().imports {
        let df = w.read_import(r).unwrap();
        for c in df.columns() {
            if let Ok(s) = c.str() {
                for v in s.iter().flatten() {
                    assert!(
                        !v.contains("4512") && !v.contains("Wimbleford"),
                        "{v} stored in {}",
                        c.name()
                    );
                }
            }
        }
    }
    let ids = workforce_ids(&ws);
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter().all(|i| i.starts_with('w') && i.len() == 17),
        "{ids:?}"
    );
    // The same identifier gets the same pseudonym next month.
    let g = write(
        dir.path(),
        "n.csv",
        &csv.replace("31/03/2024", "30/04/2024"),
    );
    assert!(import(&ws, &[&g], &[]).status.success());
    let mut again = workforce_ids(&ws);
    again.dedup();
    assert_eq!(again, ids);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ws.join(keel::workspace::pseudo::KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn a_worker_who_vanishes_is_an_inferred_leaver_unless_a_leave_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let feb = write(
        dir.path(),
        "feb.csv",
        &snapshot_csv("29/02/2024", &["1", "2", "3", "4"]),
    );
    let leavers = write(
        dir.path(),
        "leavers.csv",
        "Payroll Number,Leaving Date\n3,05/04/2024\n",
    );
    let mar = write(dir.path(), "mar.csv", &snapshot_csv("31/03/2024", &["1"]));
    // Worker 4 leaves with a leave date on the February row.
    let feb_text = std::fs::read_to_string(&feb)
        .unwrap()
        .replace("Extract Date\n", "Extract Date,Leave Date\n");
    let feb_text = feb_text
        .lines()
        .map(|l| {
            if l.starts_with("4,") {
                format!("{l},29/02/2024")
            } else if l.contains("Extract") {
                l.to_string()
            } else {
                format!("{l},")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&feb, feb_text).unwrap();
    assert!(import(&ws, &[&feb, &leavers], &[]).status.success());
    let out = import(&ws, &[&mar], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let inferred: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("inferred leaver"))
        .collect();
    // Worker 2 vanished with nothing recorded; 3 has a leave in April (m+1); 4 left in February.
    assert_eq!(inferred.len(), 1, "{text}");
    assert!(inferred[0].contains("2024-02-29") && inferred[0].contains("2024-03"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_first_start_cut_short_loads_the_sample_next_time_but_an_empty_workspace_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    // A first start killed during the sample import: the workspace was
    // made, its marker written, and no import stored.
    let cut_short = dir.path().join("cut-short");
    Workspace::open_or_create(&cut_short).unwrap();
    std::fs::write(cut_short.join("sample-data.pending"), b"").unwrap();
    let (ws, sample) = keel::first_run::open_or_start(&cut_short).unwrap();
    assert!(sample, "the sample data is loaded after all");
    assert!(ws.manifest().active().count() > 0);
    let plan = ws.plan().unwrap().expect("the sample's improvement plan");
    assert_eq!(plan.items.len(), 17);
    assert!(!cut_short.join("sample-data.pending").exists());
    drop(ws);
    // Started again: already done, nothing imported twice.
    let imports = Workspace::open(&cut_short)
        .unwrap()
        .manifest()
        .imports
        .len();
    let (ws, sample) = keel::first_run::open_or_start(&cut_short).unwrap();
    assert!(!sample);
    assert_eq!(ws.manifest().imports.len(), imports);

    // A workspace started empty on purpose is left empty.
    let empty = dir.path().join("empty");
    Workspace::open_or_create(&empty).unwrap();
    let (ws, sample) = keel::first_run::open_or_start(&empty).unwrap();
    assert!(!sample);
    assert!(ws.manifest().imports.is_empty());
}

#[test]
fn a_batch_that_replaces_a_month_still_refuses_a_file_already_imported() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let march = write(
        dir.path(),
        "march.csv",
        &snapshot_csv("31/03/2024", &["1", "2"]),
    );
    let leavers = write(
        dir.path(),
        "leavers.csv",
        "Payroll Number,Leaving Date\n3,15/03/2024\n",
    );
    assert!(import(&ws, &[&march, &leavers], &[]).status.success());
    let fixed = write(
        dir.path(),
        "march-fixed.csv",
        &snapshot_csv("31/03/2024", &["1"]),
    );

    // --replace replaces the month; it does not let the leavers file in twice.
    let out = import(&ws, &[&fixed, &leavers], &["--replace"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out)
            .contains("leavers.csv: this file was already imported (import #2 of leavers.csv)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        Workspace::open(&ws).unwrap().manifest().imports.len(),
        2,
        "nothing stored"
    );

    let out = import(&ws, &[&fixed], &["--replace"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // History says the replaced import no longer counts, in the app's words.
    let hist = stdout(&keel(&["history", "--workspace", ws.to_str().unwrap()]));
    let line = |file: &str| {
        hist.lines()
            .find(|l| l.ends_with(&format!("  {file}")))
            .unwrap_or_else(|| panic!("{file} not listed: {hist}"))
            .to_string()
    };
    assert!(line("march.csv").contains("replaced by #3"), "{hist}");
    assert!(line("march-fixed.csv").contains("active"), "{hist}");
    assert!(line("leavers.csv").contains("active"), "{hist}");
    let w = Workspace::open(&ws).unwrap();
    let m = w.manifest();
    assert_eq!(
        m.standing(&m.imports[0]),
        keel::workspace::Standing::Replaced { by: vec![3] }
    );
    // Undoing the replacement makes the first import count again.
    keel(&["undo", "--workspace", ws.to_str().unwrap()]);
    let hist = stdout(&keel(&["history", "--workspace", ws.to_str().unwrap()]));
    let first = hist.lines().find(|l| l.ends_with("  march.csv")).unwrap();
    assert!(first.contains("active"), "{hist}");
}
