//! Names for a manager, never stored: the Teams view's worker list and the
//! Data quality view's rows, matched through the workspace's keyed
//! pseudonyms with an extract read at view time.

use super::app_ui::{harness, sample_workspace, texts, wait_idle};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use keel::app::{Command, KeelApp, View};
use keel::workspace::Workspace;
use keel::workspace::pseudo::Key;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn latest_extract() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/workforce_2026-09.xlsx")
}

fn shown(h: &Harness<'static, KeelApp>) -> Vec<String> {
    let mut t = texts(h);
    // A label's node and its text run both carry the text.
    t.dedup();
    t
}

fn is_pseudonym(t: &str) -> bool {
    t.len() == 17 && t.starts_with('w') && t[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Every file of the workspace with its size and modification time.
fn files(root: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::metadata(&p).unwrap();
            if m.is_dir() {
                dirs.push(p);
            } else {
                out.push((p, m.len(), m.modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The pseudonym shown first, and the identifier and name beside it.
fn first_revealed(h: &Harness<'static, KeelApp>) -> (String, String, String) {
    let t = shown(h);
    let i = t
        .iter()
        .position(|s| is_pseudonym(s))
        .expect("a pseudonym listed");
    (t[i].clone(), t[i + 1].clone(), t[i + 2].clone())
}

#[test]
fn the_teams_list_shows_identifiers_and_names_from_an_extract_without_storing_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let key = Key::load(&root)
        .unwrap()
        .expect("the sample is pseudonymised");
    let mut h = harness(root.clone());
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    assert!(
        shown(&h).iter().any(|t| is_pseudonym(t)),
        "a worker is listed"
    );
    let before = files(&root);

    h.state_mut()
        .command(Command::ShowNames(Some(latest_extract())));
    wait_idle(&mut h);
    let (pseudonym, id, name) = first_revealed(&h);
    assert_eq!(
        key.pseudonym(&id),
        pseudonym,
        "the identifier is the worker's"
    );
    assert!(name.contains(' '), "a name beside it: {name}");
    assert!(h.query_by_label("Hide names").is_some());
    assert_eq!(files(&root), before, "nothing written to the workspace");

    // Leaving the view drops them.
    h.get_by_label("Dashboard").click();
    wait_idle(&mut h);
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    assert!(!shown(&h).contains(&id), "names gone after the view closed");
    assert!(h.query_by_label("Show names from an extract…").is_some());

    // So does meeting mode, and nothing of them reaches a slide.
    h.state_mut()
        .command(Command::ShowNames(Some(latest_extract())));
    wait_idle(&mut h);
    assert!(shown(&h).contains(&id));
    h.key_press(egui::Key::F5);
    wait_idle(&mut h);
    assert!(h.state().meeting_slide().is_some());
    let slide = shown(&h);
    assert!(!slide.contains(&id) && !slide.contains(&name), "{slide:?}");
    h.key_press(egui::Key::Escape);
    wait_idle(&mut h);
    assert_eq!(h.state().view(), View::Teams);
    assert!(!shown(&h).contains(&id), "names gone after meeting mode");
}

#[test]
fn data_quality_lists_the_rows_behind_each_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    // The rows agree with the counts, month by month.
    let ws = Workspace::open(&root).unwrap();
    let inputs = ws.required_inputs().unwrap();
    let limits = ws.settings().limits();
    let findings = keel::metrics::quality::report(&inputs, limits, &[]).unwrap();
    let mut compared = 0;
    for f in findings.iter().filter(|f| {
        matches!(
            f.check,
            "inferred_leavers" | "two_posts" | "no_qualification_date" | "no_supervision_on_record"
        )
    }) {
        let month = f.month.unwrap();
        let rows = keel::metrics::quality::rows(&inputs, limits, month).unwrap();
        let mine: Vec<_> = rows.iter().filter(|r| r.check == f.check).collect();
        assert_eq!(mine.len() as u64, f.count, "{} in {month}", f.check);
        assert!(
            mine.iter()
                .all(|r| is_pseudonym(&r.worker_id) && !r.team.is_empty())
        );
        compared += 1;
    }
    assert!(
        compared > 10,
        "the sample has findings to compare ({compared})"
    );

    // The view lists them, and shows identifiers once an extract is read.
    let mut h = harness(root);
    h.state_mut().command(Command::SetView(View::Quality));
    wait_idle(&mut h);
    let header = h
        .root()
        .children_recursive()
        .filter_map(|n| n.accesskit_node().label())
        .find(|s| s.starts_with("Rows behind this count ("))
        .expect("the rows behind the count are offered");
    assert!(h.query_by_label("Show names from an extract…").is_some());
    h.get_by_label(&header).click();
    h.run();
    assert!(shown(&h).iter().any(|s| is_pseudonym(s)));
    h.state_mut()
        .command(Command::ShowNames(Some(latest_extract())));
    wait_idle(&mut h);
    let (pseudonym, id, _) = first_revealed(&h);
    let key = Key::load(h.state().root()).unwrap().unwrap();
    assert_eq!(key.pseudonym(&id), pseudonym);
}

/// Without a file picker the names bar takes a typed path: one extract
/// file, so a folder, a second path or a path naming nothing is told by
/// name and nothing is read; the extract's own path then shows names.
#[test]
fn the_names_bar_takes_one_typed_extract_and_says_what_is_wrong_with_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    h.state_mut().without_file_picker();
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    h.get_by_label("Show names from an extract…").click();
    h.run();
    assert!(
        shown(&h)
            .iter()
            .any(|t| t.starts_with("The file picker could not open")),
        "{:?}",
        shown(&h)
    );
    let gone = dir.path().join("gone.xlsx");
    let typed = format!("'{}'\n{}", dir.path().display(), gone.display());
    h.get_by_label("Extract path").type_text(&typed);
    h.run();
    h.get_by_label("Read names").click();
    wait_idle(&mut h);
    let t = shown(&h);
    let says = |s: &str| t.iter().any(|x| x.contains(s));
    assert!(
        says(&format!("'{}' is a folder", dir.path().display())),
        "{t:?}"
    );
    assert!(
        says(&format!(
            "There is no file or folder at '{}'",
            gone.display()
        )),
        "{t:?}"
    );
    assert!(says("2 paths were typed"), "{t:?}");
    assert!(!t.iter().any(|s| s == "Identifier"), "nothing read: {t:?}");
    h.get_by_label("Extract path").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Extract path")
        .type_text(&latest_extract().display().to_string());
    h.run();
    h.key_press(egui::Key::Enter);
    wait_idle(&mut h);
    let t = shown(&h);
    assert!(t.iter().any(|s| s == "Identifier"), "{t:?}");
    assert!(!t.iter().any(|s| s.contains("is a folder")), "{t:?}");
}
