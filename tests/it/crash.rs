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
