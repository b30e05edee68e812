//! The DfE census return in the app: its card in the Import view (what it
//! holds, its validation worded as the command line words it), the Census
//! view's check against the workspace, and the dashboard's Septembers
//! taken from a return. The fixture and its hand-worked figures are in
//! `census.rs`.

use super::app_ui::{harness, wait_idle};
use super::census::{fixture, september_snapshot, valid};
use crate::support::{opts, snapshot_csv, write};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use keel::app::{Command, KeelApp, View};
use keel::extract::Kind;
use keel::workspace::Workspace;
use std::path::{Path, PathBuf};

fn workspace_with(dir: &Path, files: &[PathBuf]) -> PathBuf {
    let root = dir.join("ws");
    let mut ws = Workspace::open_or_create(&root).unwrap();
    if !files.is_empty() {
        let extracts = files
            .iter()
            .map(|f| match keel::census::is_return(f) {
                true => keel::census::read_as_extract(f).unwrap(),
                false => keel::extract::read_extract(f, &opts()).unwrap(),
            })
            .collect();
        ws.import(extracts, false).unwrap();
    }
    root
}

/// The texts on screen in order, each once (a label's node and its text
/// run both carry it: the runs are left out).
fn shown(h: &Harness<'static, KeelApp>) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::TextRun)
        .filter_map(|n| n.accesskit_node().value())
        .collect()
}

fn has(h: &Harness<'static, KeelApp>, text: &str) -> bool {
    shown(h).iter().any(|t| t.contains(text))
}

/// The `n` texts after the first one equal to `label`: a grid row's cells.
fn row(h: &Harness<'static, KeelApp>, label: &str, n: usize) -> Vec<String> {
    let t = shown(h);
    let i = t
        .iter()
        .position(|x| x == label)
        .unwrap_or_else(|| panic!("no '{label}' in {t:?}"));
    t[i + 1..=i + n].to_vec()
}

#[test]
fn a_return_in_the_import_view_shows_what_it_holds_and_imports_beside_an_extract() {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_with(dir.path(), &[]);
    let snap = write(
        dir.path(),
        "staff.csv",
        &snapshot_csv("30/09/2023", &["1", "2"]),
    );
    let mut h = harness(root.clone());
    h.get_by_label("Import").click();
    wait_idle(&mut h);
    h.state_mut()
        .command(Command::ReadFiles(vec![fixture(), snap]));
    wait_idle(&mut h);
    assert!(
        has(
            &h,
            "DfE census return · census year to 30 September 2024 · LA code 999 · 12 records"
        ),
        "{:?}",
        shown(&h)
    );
    // The DfE's counts, worked by hand in census.rs: 6 employed in post,
    // 2 agency, 3 leavers and 4 starters in the year, 1.3 FTE vacant.
    for (label, want) in [
        ("Employed in post on 30 September", "6"),
        ("Agency workers in post", "2"),
        ("Leavers in the year", "3"),
        ("Starters in the year", "4"),
        ("Vacancies (FTE)", "1.3"),
    ] {
        assert_eq!(row(&h, label, 1), [want], "{label}");
    }
    assert!(has(&h, "Valid: no errors"), "{:?}", shown(&h));
    h.get_by_label("Import these files").click();
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    let stored: Vec<(&str, Kind)> = ws
        .manifest()
        .active()
        .map(|r| (r.file.as_str(), r.kind))
        .collect();
    assert_eq!(
        stored,
        [
            ("valid_2024.xml", Kind::Census),
            ("staff.csv", Kind::Workforce)
        ]
    );
    h.get_by_label("History").click();
    wait_idle(&mut h);
    assert!(has(&h, "valid_2024.xml"), "{:?}", shown(&h));
    // Undone like any import: both files of the batch go.
    h.state_mut().command(Command::Undo);
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(ws.manifest().active().count(), 0);
}

#[test]
fn a_bad_return_shows_its_errors_as_the_command_line_words_them_and_is_not_imported() {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_with(dir.path(), &[]);
    // Every record with cases gets a negative count; the zero-case ones
    // too: more errors than the command line shows.
    let text = valid().replace("<Cases30>0</Cases30>", "<Cases30>-1</Cases30>");
    let worker = {
        let start = text.find("  <CSWWWorker>").unwrap();
        let end = text.find("  </CSWWWorker>").unwrap() + "  </CSWWWorker>\n".len();
        text[start..end].replace("<Cases30>15", "<Cases30>-15")
    };
    let text = text.replacen(
        "  <CSWWWorker>",
        &format!("{}  <CSWWWorker>", worker.repeat(60)),
        1,
    );
    let bad = write(dir.path(), "bad.xml", &text);
    let mut h = harness(root.clone());
    h.get_by_label("Import").click();
    wait_idle(&mut h);
    h.state_mut().command(Command::ReadFiles(vec![bad.clone()]));
    wait_idle(&mut h);
    let rejected = keel::census::read_return(&bad).unwrap_err();
    assert_eq!(rejected.errors.len(), 64);
    assert!(
        has(
            &h,
            "64 error(s): the DfE's collection would refuse this return"
        ),
        "{:?}",
        shown(&h)
    );
    // The first error exactly as `keel import` prints it, and the ones
    // past the first 50 counted by rule, as it counts them.
    let first = rejected.errors[0].to_string();
    assert!(
        first.starts_with("error: bad.xml, record 1 (line "),
        "{first}"
    );
    assert!(shown(&h).contains(&first), "{:?}", shown(&h));
    assert!(
        has(
            &h,
            "error: bad.xml: … and 14 more problems with element 'Cases30': cannot be negative"
        ),
        "{:?}",
        shown(&h)
    );
    assert!(
        h.get_by_label("Import these files")
            .accesskit_node()
            .is_disabled()
    );
    assert_eq!(Workspace::open(&root).unwrap().manifest().imports.len(), 0);

    // Corrected on disk and read again: importable.
    std::fs::write(&bad, valid()).unwrap();
    h.get_by_label("Read again").click();
    wait_idle(&mut h);
    assert!(has(&h, "Valid: no errors"), "{:?}", shown(&h));
    assert!(
        !h.get_by_label("Import these files")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn the_census_view_sets_the_return_beside_keels_september_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let snap = write(dir.path(), "staff-2024-09.csv", &september_snapshot());
    let root = workspace_with(dir.path(), &[snap]);
    let mut h = harness(root.clone());
    h.get_by_label("Census").click();
    wait_idle(&mut h);
    assert_eq!(h.state().view(), View::Census);
    h.state_mut().command(Command::CheckReturn(Some(fixture())));
    wait_idle(&mut h);
    // Return, Keel and the difference (hand-worked in census.rs: the
    // return's 5.2 employed FTE against the snapshot's 6.3).
    assert_eq!(
        row(&h, "FTE in post (employed)", 3),
        ["5.2", "6.3", "-1.1  differs"]
    );
    assert_eq!(
        row(&h, "Agency workers in post (FTE)", 3),
        ["1.5", "1.0", "0.5  differs"]
    );
    // Head counts whole, as the DfE publishes them: 6 in the return, 7
    // employed in the snapshot (worker 99 is Keel's only).
    assert_eq!(
        row(&h, "Head count in post (employed)", 3),
        ["6", "7", "-1  differs"]
    );
    assert_eq!(
        row(&h, "Agency workers covering vacancies (FTE)", 3),
        ["1.0", "—", "—"]
    );
    // The records behind them, as `keel census check` lists them.
    assert!(
        has(&h, "FTE 0.9 in the return, 1 in Keel's September snapshot"),
        "{:?}",
        shown(&h)
    );
    assert!(has(&h, "AB0000000011"), "{:?}", shown(&h));
    assert!(has(&h, "Records behind the differences (3)"));
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(ws.manifest().imports.len(), 1, "nothing stored");
}

#[test]
fn the_census_view_says_what_is_missing_without_a_september_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let snap = write(dir.path(), "staff.csv", &snapshot_csv("31/08/2024", &["1"]));
    let root = workspace_with(dir.path(), &[snap]);
    let mut h = harness(root);
    h.state_mut().without_file_picker();
    h.state_mut().command(Command::SetView(View::Census));
    wait_idle(&mut h);
    // No file picker on this computer: the view says so and the typed
    // path takes the return.
    h.get_by_label("Choose a return…").click();
    h.run();
    assert!(has(&h, "Type the return's path below."), "{:?}", shown(&h));
    h.get_by_label("Return path")
        .type_text(&fixture().display().to_string());
    h.run();
    h.key_press(egui::Key::Enter);
    wait_idle(&mut h);
    assert!(
        has(
            &h,
            "No comparison: this workspace holds no staff-in-post snapshot for September 2024 (2024-09)"
        ),
        "{:?}",
        shown(&h)
    );
    // Only the return's figures: nothing from Keel, no records.
    assert_eq!(row(&h, "FTE in post (employed)", 3), ["5.2", "—", "—"]);
    assert!(!has(&h, "Records behind the differences"));
}

/// A return's September is marked on the charts (the PDF's and `keel
/// chart`'s, and the dashboard's legend): the 2023 September comes from
/// snapshots, the 2024 one from the return.
#[test]
fn septembers_from_a_return_are_marked_on_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let snap = write(
        dir.path(),
        "staff.csv",
        &snapshot_csv("30/09/2023", &["1", "2"]),
    );
    let root = workspace_with(dir.path(), &[snap, fixture()]);
    let (ws, _, df) = keel::report::workspace_metrics(&root).unwrap();
    let table = keel::metrics::table::MetricTable::from_frame(&df).unwrap();
    let sept = |y| keel::month::Month::new(y, 9).unwrap();
    let all = keel::metrics::table::Group::all();
    assert!(table.from_return(sept(2024), &all));
    assert!(!table.from_return(sept(2023), &all));
    let spec = keel::report::chart::ChartSpec::for_metric(
        &table,
        "employed_fte",
        &[all],
        ws.settings(),
        None,
        None,
    )
    .unwrap();
    let marked: Vec<_> = spec
        .lines
        .iter()
        .filter(|l| l.name == keel::report::chart::FROM_RETURN)
        .collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].stroke, keel::report::chart::Stroke::Marks);
    let points = &marked[0].points;
    assert_eq!(points.len(), 1);
    assert_eq!(points[0].0, sept(2024));
    assert!((points[0].1 - 5.2).abs() < 1e-9);
    assert!(spec.notes.iter().any(|n| n.contains("from census return")));
    // The PNG draws with the marks.
    assert!(keel::report::chart::render_png(&spec, 800, 450).is_ok());

    // The dashboard's charts name the marks in their legends; the app
    // opens on the latest monthly snapshot, not on the later return's
    // September.
    assert_eq!(table.latest_month(), Some(sept(2023)));
    let h = harness(root);
    assert!(
        h.query_all_by_label(keel::report::chart::FROM_RETURN)
            .next()
            .is_some()
    );
    assert_eq!(h.state().month(), Some(sept(2023)));
}

/// "Type a path…" opens the field with the keyboard in it, so the path
/// can be typed at once (the Import view's button is the same widget).
#[test]
fn type_a_path_gives_the_field_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_with(dir.path(), &[]);
    let mut h = harness(root);
    h.state_mut().command(Command::SetView(View::Census));
    wait_idle(&mut h);
    assert!(h.query_by_label("Return path").is_none());
    h.get_by_label("Type a path…").click();
    h.run();
    assert!(h.get_by_label("Return path").is_focused());
    assert!(h.query_by_label("Type a path…").is_none());
}
