//! Crash safety: an import killed (SIGKILL) at any moment leaves a workspace
//! that opens and holds either the whole import or none of it.

use crate::support::*;
use keel::extract::Kind;
use keel::month::Month;
use keel::workspace::Workspace;
use rand::{RngExt, SeedableRng};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIG_ROWS: usize = 20_000;

fn april_rows(ws: &Workspace) -> usize {
    let april: Month = "2024-04".parse().unwrap();
    match ws.manifest().owner(Kind::Workforce, april) {
        Some(r) => ws.read_import(r).unwrap().height(),
        None => 0,
    }
}

fn start_import(ws: &std::path::Path, file: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_keel"))
        .args([
            "import",
            "--workspace",
            ws.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn killing_an_import_at_random_moments_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("ws");
    let base_ids: Vec<String> = (0..50).map(|i| format!("{i:06}")).collect();
    let base = write(
        dir.path(),
        "march.csv",
        &snapshot_csv(
            "31/03/2024",
            &base_ids.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
    );
    assert!(
        keel(&[
            "import",
            "--workspace",
            ws_dir.to_str().unwrap(),
            base.to_str().unwrap()
        ])
        .status
        .success()
    );
    let big_ids: Vec<String> = (0..BIG_ROWS).map(|i| format!("{i:06}")).collect();
    let big = write(
        dir.path(),
        "april.csv",
        &snapshot_csv(
            "30/04/2024",
            &big_ids.iter().map(String::as_str).collect::<Vec<_>>(),
        ),
    );

    // How long a whole import takes here, so kills spread across all of it.
    let t = Instant::now();
    assert!(start_import(&ws_dir, &big).wait().unwrap().success());
    let full = t.elapsed();
    Workspace::open(&ws_dir).unwrap().undo().unwrap();

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let (mut none, mut whole) = (0, 0);
    for _ in 0..40 {
        let mut child = start_import(&ws_dir, &big);
        let wait = rng.random_range(0..(full.as_micros() as u64 * 6 / 5).max(1));
        std::thread::sleep(Duration::from_micros(wait));
        let _ = child.kill();
        let _ = child.wait();

        let mut ws = Workspace::open(&ws_dir).expect("the workspace opens after a kill");
        let march = ws
            .manifest()
            .owner(Kind::Workforce, "2024-03".parse().unwrap())
            .unwrap();
        assert_eq!(
            ws.read_import(march).unwrap().height(),
            50,
            "earlier data is untouched"
        );
        match april_rows(&ws) {
            0 => none += 1,
            BIG_ROWS => {
                whole += 1;
                ws.undo().unwrap();
            }
            n => panic!("a partial import is visible: {n} rows"),
        }
    }
    assert!(
        none > 0,
        "no kill landed before the commit: the test proved nothing"
    );
    eprintln!("crash test: {none} imports killed before commit, {whole} completed before the kill");
    // The lock died with its holder and leftovers were swept: a normal import works.
    assert!(start_import(&ws_dir, &big).wait().unwrap().success());
    assert_eq!(april_rows(&Workspace::open(&ws_dir).unwrap()), BIG_ROWS);
    let leftovers: Vec<_> = std::fs::read_dir(ws_dir.join("imports"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files are swept under the lock"
    );
}

#[test]
fn killing_a_plan_change_at_random_moments_leaves_one_version_or_the_other() {
    use keel::plan::{Item, Plan, Status, Window};
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("ws");
    let mut ws = Workspace::open_or_create(&ws_dir).unwrap();
    // A large plan, so its file takes a while to write.
    let items = (1..=2000)
        .map(|i| Item {
            reference: format!("R{i}"),
            title: format!("Recommendation {i} of the inspection report, in full"),
            window: Some(Window::SixMonths),
            due: None,
            lead: "Head of Service".into(),
            status: Status::InProgress,
            status_date: None,
            evidence: vec![],
            measures: vec![],
        })
        .collect();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    ws.save_plan(
        &Plan {
            start,
            items,
            events: vec![],
        },
        "imported plan.csv",
    )
    .unwrap();
    let set = |note: &str| {
        Command::new(env!("CARGO_BIN_EXE_keel"))
            .args([
                "plan",
                "set",
                "--workspace",
                ws_dir.to_str().unwrap(),
                "R1",
                "--evidence",
                note,
                "--date",
                "2026-02-01",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let notes = |ws: &Workspace| ws.plan().unwrap().unwrap().items[0].evidence.len();

    let t = Instant::now();
    assert!(set("first").wait().unwrap().success());
    let full = t.elapsed();
    let mut held = 1;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let (mut none, mut whole) = (0, 0);
    for i in 0..40 {
        let mut child = set(&format!("note {i}"));
        let wait = rng.random_range(0..(full.as_micros() as u64 * 6 / 5).max(1));
        std::thread::sleep(Duration::from_micros(wait));
        let _ = child.kill();
        let _ = child.wait();
        let ws = Workspace::open(&ws_dir).expect("the workspace opens after a kill");
        let n = notes(&ws);
        if n == held {
            none += 1;
        } else {
            assert_eq!(n, held + 1, "a version is the old plan or the new one");
            held = n;
            whole += 1;
        }
        assert_eq!(
            ws.manifest().plan_edits.len(),
            held + 1,
            "every version the manifest names is whole, and only those"
        );
    }
    assert!(none > 0, "no kill landed before the commit");
    eprintln!("plan crash test: {none} changes killed before commit, {whole} completed");
    assert!(set("last").wait().unwrap().success());
    let ws = Workspace::open(&ws_dir).unwrap();
    assert_eq!(notes(&ws), held + 1);
    let leftovers: Vec<_> = std::fs::read_dir(ws_dir.join("plans"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".tmp-")
                || !ws
                    .manifest()
                    .plan_edits
                    .iter()
                    .any(|e| e.data_file() == format!("plans/{n}"))
        })
        .collect();
    assert!(leftovers.is_empty(), "swept: {leftovers:?}");
}
