//! The desktop app driven through its widgets with egui_kittest (no GPU,
//! no window): tiles against `metrics::compute`, the group selector, an
//! import with an error, a mapped header imported then undone.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use keel::app::{Command, KeelApp};
use keel::workspace::Workspace;
use polars::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub(super) fn sample_workspace(dir: &Path) -> PathBuf {
    let root = dir.join("ws");
    let mut ws = Workspace::open_or_create(&root).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    keel::first_run::import_folder(&mut ws, &sample).unwrap();
    root
}

pub(super) fn harness(root: PathBuf) -> Harness<'static, KeelApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(
            |ui, app: &mut KeelApp| app.show(ui),
            KeelApp::new_for_test(root),
        );
    wait_idle(&mut h);
    h
}

/// The app on the Import view, with `file` read (and the reading done).
fn reading(root: PathBuf, file: PathBuf) -> Harness<'static, KeelApp> {
    let mut h = harness(root);
    h.get_by_label("Import").click();
    wait_idle(&mut h);
    h.state_mut().command(Command::ReadFiles(vec![file]));
    wait_idle(&mut h);
    h
}

/// Step until the background jobs have finished and the frames settle,
/// however long a loaded machine takes (bounded): waiting for the work,
/// not for a number of frames, which a busy machine outlasts. A job that
/// finishes may start another (a reload after an import), so settling is
/// tried until a settled frame leaves the app idle.
pub(super) fn wait_idle(h: &mut Harness<'static, KeelApp>) {
    let start = Instant::now();
    h.run_steps(2);
    loop {
        while !h.state().is_idle() {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "the app did not finish its background work in 120 s"
            );
            std::thread::sleep(Duration::from_millis(20));
            h.step();
        }
        if h.run_ok().is_some() && h.state().is_idle() {
            break;
        }
        // Idle yet still asking for frames (a spinner with no job behind
        // it) never settles: that is a fault, not a slow machine.
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the app kept repainting with no background work"
        );
    }
    assert_eq!(h.state().load_error(), None);
}

fn tile_value(h: &Harness<'static, KeelApp>, title: &str) -> Option<f64> {
    // kittest's `get_by_label` reads a Label's text as its name, so look
    // the accessible name up directly.
    let label = format!("{title} value");
    let text = h
        .root()
        .children_recursive()
        .map(|n| n.accesskit_node())
        .find(|n| n.label().as_deref() == Some(label.as_str()))
        .unwrap_or_else(|| panic!("no tile named '{label}'"))
        .value()
        .expect("a tile shows its value as text");
    let t = text.trim_end_matches('%');
    (t != "—").then(|| t.parse().expect("a number"))
}

/// (month, metric) of `compute` for one group, latest month.
fn expected(root: &Path, group: &str, metric: &str) -> Option<f64> {
    let ws = Workspace::open(root).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    let df = keel::metrics::compute(&inputs, ws.settings().limits()).unwrap();
    let df = df
        .lazy()
        .filter(col("group").eq(lit(group)))
        .sort(["month"], Default::default())
        .collect()
        .unwrap();
    let v = df.column(metric).unwrap().cast(&DataType::Float64).unwrap();
    v.f64().unwrap().get(df.height() - 1)
}

fn assert_close(shown: Option<f64>, want: Option<f64>, what: &str) {
    match (shown, want) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 0.051, "{what}: tile {a}, compute {b}"),
        (a, b) => assert_eq!(a, b, "{what}"),
    }
}

/// Every text the accessibility tree shows (labels' text is their value).
pub(super) fn texts(h: &Harness<'static, KeelApp>) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter_map(|n| n.accesskit_node().value())
        .collect()
}

#[test]
fn dashboard_tiles_equal_compute_for_the_latest_month() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let h = harness(root.clone());
    for (title, metric) in [
        ("Agency rate", "agency_rate_pct"),
        ("Turnover rate", "turnover_rate_12m_pct"),
        ("Vacancy rate", "vacancy_rate_pct"),
        ("Caseload per FTE", "caseload_per_fte"),
    ] {
        assert_close(tile_value(&h, title), expected(&root, "all", metric), title);
    }
}

#[test]
fn switching_the_group_shows_that_teams_values() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    let whole = tile_value(&h, "Agency rate");
    h.get_by_label("Group").click();
    h.run();
    h.get_by_label("Team: MASH").click();
    h.run();
    for (title, metric) in [
        ("Agency rate", "agency_rate_pct"),
        ("Turnover rate", "turnover_rate_12m_pct"),
        ("Caseload per FTE", "caseload_per_fte"),
    ] {
        assert_close(
            tile_value(&h, title),
            expected(&root, "MASH", metric),
            title,
        );
    }
    assert_ne!(tile_value(&h, "Agency rate"), whole, "the tiles changed");
}

/// What the dashboard says of one headline measure, read from its labels:
/// the tile's status word and the trend caption under its chart.
fn tile_and_caption(h: &Harness<'static, KeelApp>, title: &str) -> (String, String) {
    let nodes: Vec<(Option<String>, Option<String>)> = h
        .root()
        .children_recursive()
        .map(|n| {
            let a = n.accesskit_node();
            (a.label(), a.value())
        })
        .collect();
    // The first text after the node labelled `label` that `fits`.
    let after = |label: String, fits: &dyn Fn(&str) -> bool| -> String {
        let at = nodes
            .iter()
            .position(|(l, _)| l.as_deref() == Some(label.as_str()))
            .unwrap_or_else(|| panic!("no '{label}'"));
        nodes[at..]
            .iter()
            .filter_map(|(_, v)| v.clone())
            .find(|v| fits(v))
            .unwrap_or_else(|| panic!("nothing fitting after '{label}'"))
    };
    let status = after(format!("{title} value"), &|v| {
        ["on target", "near target", "off target", "no status"].contains(&v)
    });
    let caption = after(format!("Save {title} chart"), &|v| {
        v.contains("a month over the last 12 months") || v.starts_with("Too few months")
    });
    (status, caption)
}

/// The tile and its chart's caption never contradict each other: "on
/// target" on the tile exactly when the caption says "on target now"; a
/// measure off target is never captioned as on target, nor as reaching it
/// in a month already past, and a caption with no target has a tile with
/// no status. (A month with under six months before it has no trend.) Every headline measure, every month of the sample, for the
/// whole service and for a team.
#[test]
fn each_tile_and_its_trend_caption_agree() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    let mut seen = std::collections::BTreeSet::new();
    for team in [None, Some("Team: Assessment East")] {
        if let Some(team) = team {
            h.get_by_label("Group").click();
            h.run();
            h.get_by_label(team).click();
            h.run();
        }
        let latest = h.state().month().expect("a month shown");
        let mut month = latest;
        loop {
            for k in keel::report::measures::KPIS.iter() {
                let (status, caption) = tile_and_caption(&h, k.title);
                let at = format!("{team:?} {month} {}: '{status}' / '{caption}'", k.title);
                if caption.starts_with("Too few months") {
                    continue;
                }
                let on_now = caption.ends_with("on target now");
                assert_eq!(status == "on target", on_now, "{at}");
                if let Some((_, m)) = caption.split_once("the target is reached in ") {
                    assert!(m > month.to_string().as_str(), "{at}");
                }
                let no_target = caption.ends_with("a month over the last 12 months");
                if no_target {
                    assert_eq!(status, "no status", "{at}");
                }
                let outlook = caption.rsplit("; ").next().unwrap_or("");
                let outlook = outlook.split(" in 2").next().unwrap_or("").to_string();
                seen.insert((status, if no_target { String::new() } else { outlook }));
            }
            h.key_press(egui::Key::ArrowLeft);
            h.run();
            match h.state().month() {
                Some(m) if m < month => month = m,
                _ => break,
            }
        }
        h.state_mut().command(Command::SelectMonth(latest));
        h.run();
    }
    // The sample shows more than one kind of each, or the test proves little.
    assert!(seen.iter().any(|(s, _)| s == "on target"), "{seen:?}");
    assert!(seen.iter().any(|(s, _)| s == "off target"), "{seen:?}");
    assert!(
        seen.iter().any(|(_, o)| o.starts_with("at this rate")),
        "{seen:?}"
    );
}

#[test]
fn a_file_with_an_error_is_listed_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let before = Workspace::open(&root).unwrap().manifest().imports.len();
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "Employee Number,Team,FTE,Contract Type,Extract Date\n\
         9001,MASH,1.0,Permanent,31/10/2026\n\
         9002,MASH,7,Permanent,31/10/2026\n",
    )
    .unwrap();
    let mut h = reading(root.clone(), file);
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == "error"), "{shown:?}");
    assert!(shown.iter().any(|t| t == "3"), "row 3 is listed: {shown:?}");
    assert!(shown.iter().any(|t| t == "7"), "the value is listed");
    assert!(shown.iter().any(|t| t.contains("FTE must be")), "{shown:?}");
    // The import cannot be started, and forcing the command stores nothing.
    h.state_mut().command(Command::Import { replace: false });
    wait_idle(&mut h);
    let after = Workspace::open(&root).unwrap().manifest().imports.len();
    assert_eq!(before, after, "nothing stored");
}

#[test]
fn a_mapped_header_imports_appears_in_history_and_undo_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let file = dir.path().join("october.csv");
    std::fs::write(
        &file,
        "Emp Ref,Team,FTE,Contract Type,Extract Date\n\
         9001,MASH,1.0,Permanent,31/10/2026\n\
         9002,MASH,0.5,Permanent,31/10/2026\n",
    )
    .unwrap();
    let mut h = reading(root.clone(), file);
    // Without a worker id column the file is rejected; map "Emp Ref".
    assert!(h.query_by_label("Import these files").is_some());
    h.get_by_label("Map Emp Ref").click();
    h.run();
    h.get_by_label("Worker ID").click();
    wait_idle(&mut h);
    let go = h
        .query_by_label("Accept warnings and import")
        .or_else(|| h.query_by_label("Import these files"))
        .expect("an import button");
    go.click();
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    let rec = ws
        .manifest()
        .active()
        .find(|r| r.file == "october.csv")
        .expect("the file was stored");
    let id = rec.id;
    h.get_by_label("History").click();
    wait_idle(&mut h);
    assert!(
        texts(&h).iter().any(|t| t == "october.csv"),
        "listed in history"
    );
    // Ctrl+Z asks first; confirming undoes.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    h.get_by_label("Undo import").click();
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    let rec = ws.manifest().imports.iter().find(|r| r.id == id).unwrap();
    assert!(!rec.is_active(), "undone");
    assert!(texts(&h).iter().any(|t| t == "undone"));
}

#[test]
fn arrow_keys_step_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    let months = Workspace::open(&root)
        .unwrap()
        .manifest()
        .months_held(keel::extract::Kind::Workforce);
    let latest = months.last().unwrap().to_string();
    let before = (*months.last().unwrap() - 1).to_string();
    assert!(texts(&h).contains(&latest));
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    let shown = texts(&h);
    assert!(shown.contains(&before), "{before} selected: {shown:?}");
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert!(texts(&h).contains(&latest));
}

#[test]
fn saved_settings_are_written_and_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    let mut s = Workspace::open(&root).unwrap().settings().clone();
    s.targets.get_mut("agency_rate_pct").unwrap().value = 55.0;
    h.state_mut()
        .command(Command::SaveSettings(Box::new(s.clone())));
    wait_idle(&mut h);
    let stored = Workspace::open(&root).unwrap().settings().clone();
    assert_eq!(stored, s);
    h.get_by_label("Settings").click();
    wait_idle(&mut h);
    assert!(texts(&h).iter().any(|t| t.starts_with("Settings saved")));
}

#[derive(Default)]
struct MemStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn view_and_theme_persist_and_unreadable_state_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("empty");
    Workspace::open_or_create(&root).unwrap();
    let mut h = harness(root.clone());
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    h.get_by_label("Dark theme").click();
    h.run();
    let mut storage = MemStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let again = KeelApp::new(Some(&storage), root.clone());
    assert_eq!(again.view(), keel::app::View::Teams);
    assert!(again.dark());
    let key = storage.0.keys().next().unwrap().clone();
    storage.0.insert(key, "(view: NoSuchView".into());
    let fresh = KeelApp::new(Some(&storage), root);
    assert_eq!(fresh.view(), keel::app::View::Dashboard);
    assert!(!fresh.dark());
}

#[test]
fn a_month_already_held_is_replaced_only_after_confirming() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let latest = *Workspace::open(&root)
        .unwrap()
        .manifest()
        .months_held(keel::extract::Kind::Workforce)
        .last()
        .unwrap();
    let file = dir.path().join("again.csv");
    let day = latest.last_day().format("%d/%m/%Y");
    std::fs::write(
        &file,
        format!(
            "Employee Number,Team,FTE,Contract Type,Extract Date\n\
             9001,MASH,1.0,Permanent,{day}\n"
        ),
    )
    .unwrap();
    let mut h = reading(root.clone(), file);
    h.query_by_label("Accept warnings and import")
        .or_else(|| h.query_by_label("Import these files"))
        .expect("an import button")
        .click();
    h.run();
    let stored = |root: &Path| {
        Workspace::open(root)
            .unwrap()
            .manifest()
            .active()
            .any(|r| r.file == "again.csv")
    };
    assert!(!stored(&root), "nothing stored before confirming");
    h.get_by_label("Replace and import").click();
    wait_idle(&mut h);
    assert!(stored(&root), "stored after confirming");
}

#[test]
fn starting_an_empty_workspace_leaves_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    assert!(texts(&h).iter().any(|t| t == "SAMPLE DATA"));
    let empty = dir.path().join("empty");
    h.state_mut()
        .command(Command::NewEmptyWorkspace(Some(empty.clone())));
    wait_idle(&mut h);
    assert_eq!(h.state().root(), empty.as_path());
    assert!(Workspace::exists(&empty));
    assert!(!texts(&h).iter().any(|t| t == "SAMPLE DATA"));
}

#[test]
fn an_unknown_employment_type_can_be_mapped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("empty");
    Workspace::open_or_create(&root).unwrap();
    let file = dir.path().join("relief.csv");
    std::fs::write(
        &file,
        "Employee Number,Team,FTE,Contract Type,Extract Date\n\
         9001,MASH,1.0,Relief,31/10/2026\n\
         9002,MASH,1.0,Permanent,31/10/2026\n",
    )
    .unwrap();
    let mut h = reading(root.clone(), file);
    h.get_by_label("Employment type for Relief").click();
    h.run();
    h.get_by_label("Fixed term").click();
    wait_idle(&mut h);
    h.query_by_label("Accept warnings and import")
        .or_else(|| h.query_by_label("Import these files"))
        .expect("an import button")
        .click();
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    let rec = ws.manifest().active().next().expect("stored");
    assert_eq!(rec.rows, 2);
}

#[test]
fn clicking_a_team_opens_its_trends() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    h.get_by_label("MASH").click();
    h.run();
    assert_eq!(h.state().view(), keel::app::View::Dashboard);
    assert!(texts(&h).iter().any(|t| t == "Trends — Team: MASH"));
}

#[test]
fn a_month_with_findings_shows_a_badge_that_opens_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let ws = Workspace::open(&root).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    let findings = keel::metrics::quality::report(&inputs, ws.settings().limits(), &[]).unwrap();
    let months = ws.manifest().months_held(keel::extract::Kind::Workforce);
    let latest = *months.last().unwrap();
    // The latest month with a finding of its own, and how far back it is.
    let target = months
        .iter()
        .rev()
        .find(|m| findings.iter().any(|f| f.month == Some(**m)))
        .copied()
        .expect("the sample has findings");
    let steps = months
        .iter()
        .filter(|m| **m > target && **m <= latest)
        .count();
    let mut h = harness(root);
    for _ in 0..steps {
        h.key_press(egui::Key::ArrowLeft);
        h.run();
    }
    assert!(texts(&h).contains(&target.to_string()));
    h.get_by_label("Data-quality findings").click();
    h.run();
    assert_eq!(h.state().view(), keel::app::View::Quality);
}

#[test]
fn a_saved_mapping_is_applied_to_the_next_file_with_the_same_headers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("empty");
    Workspace::open_or_create(&root).unwrap();
    let csv = |day: &str| {
        format!(
            "Emp Ref,Team,FTE,Contract Type,Extract Date\n\
             9001,MASH,1.0,Permanent,{day}\n"
        )
    };
    let (first, second) = (dir.path().join("sep.csv"), dir.path().join("oct.csv"));
    std::fs::write(&first, csv("30/09/2026")).unwrap();
    std::fs::write(&second, csv("31/10/2026")).unwrap();
    let mut h = reading(root, first);
    h.get_by_label("Map Emp Ref").click();
    h.run();
    h.get_by_label("Worker ID").click();
    wait_idle(&mut h);
    let profile = dir.path().join("council.json");
    h.state_mut().command(Command::SaveProfile {
        index: 0,
        path: Some(profile.clone()),
    });
    h.state_mut().command(Command::ClearPending);
    wait_idle(&mut h);
    let saved = keel::extract::ImportProfile::load(&profile).unwrap();
    assert_eq!(
        saved.headers.get("Emp Ref").map(String::as_str),
        Some("worker_id")
    );
    h.state_mut().command(Command::ReadFiles(vec![second]));
    wait_idle(&mut h);
    let shown = texts(&h);
    assert!(
        shown
            .iter()
            .any(|t| t.starts_with("Mapped with the saved profile")),
        "{shown:?}"
    );
    assert!(
        h.query_by_label("Import these files").is_some()
            || h.query_by_label("Accept warnings and import").is_some()
    );
    assert!(!shown.iter().any(|t| t == "error"), "{shown:?}");
}

/// Eight workers in "Big" and four in "Tiny", August and September 2026.
fn two_team_workspace(dir: &Path) -> PathBuf {
    let root = dir.join("ws");
    let extracts = dir.join("extracts");
    std::fs::create_dir(&extracts).unwrap();
    let mut ws = Workspace::open_or_create(&root).unwrap();
    for (month, end) in [("08", "31/08/2026"), ("09", "30/09/2026")] {
        let mut s = String::from("Employee Number,Team,FTE,Contract Type,Caseload,Extract Date\n");
        for i in 1..=8 {
            s.push_str(&format!("B{i},Big,1.0,Permanent,10,{end}\n"));
        }
        for i in 1..=4 {
            s.push_str(&format!("T{i},Tiny,1.0,Permanent,10,{end}\n"));
        }
        std::fs::write(extracts.join(format!("wf_{month}.csv")), s).unwrap();
    }
    keel::first_run::import_folder(&mut ws, &extracts).unwrap();
    root
}

#[test]
fn meeting_mode_withholds_a_team_of_four_and_moves_with_the_keys() {
    use keel::report::pack::{Pack, Slide};
    let dir = tempfile::tempdir().unwrap();
    let root = two_team_workspace(dir.path());
    let tiny = keel::metrics::table::Group {
        kind: keel::metrics::GroupKind::Team,
        name: "Tiny".into(),
    };
    let pack = Pack {
        slides: vec![
            Slide::Summary,
            Slide::Metric {
                metric: "caseload_per_fte".into(),
            },
        ],
        months: Some(12),
        group: tiny,
    };
    keel::report::pack::save(&root, &pack).unwrap();
    let mut h = harness(root);
    h.key_press(egui::Key::F5);
    wait_idle(&mut h);
    assert_eq!(h.state().meeting_slide().as_deref(), Some("Summary"));
    let mut shown = texts(&h);
    // Each label appears as its own node and its text: count each once.
    shown.dedup();
    assert!(
        shown
            .iter()
            .any(|t| t == "Team: Tiny · data as at September 2026"),
        "{shown:?}"
    );
    // Four people: agency rate, NQSW share, caseload and supervision are
    // withheld (turnover, vacancy and stability cannot be computed from
    // two months without establishment data, and show "—").
    let marks = shown.iter().filter(|t| *t == "c").count();
    assert_eq!(marks, 4, "{shown:?}");
    assert!(
        !shown.iter().any(|t| t == "10.0"),
        "the tiny team's caseload leaked: {shown:?}"
    );
    assert!(
        !shown.iter().any(|t| t.contains("T1") || t.contains("B1")),
        "an identifier is on screen"
    );

    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().meeting_slide().as_deref(),
        Some("Caseload per FTE")
    );
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("No figure can be shown"))
    );
    h.key_press(egui::Key::PageUp);
    h.run();
    assert_eq!(h.state().meeting_slide().as_deref(), Some("Summary"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().meeting_slide(), None, "Esc leaves meeting mode");
}

#[test]
fn the_dashboard_saves_a_chart_exports_the_metrics_and_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_team_workspace(dir.path());
    let mut h = harness(root);
    let png = dir.path().join("agency.png");
    let xlsx = dir.path().join("metrics.xlsx");
    let pdf = dir.path().join("board.pdf");
    h.state_mut().command(Command::SaveChart {
        metric: "agency_rate_pct".into(),
        path: Some(png.clone()),
    });
    wait_idle(&mut h);
    h.state_mut()
        .command(Command::ExportMetrics(Some(xlsx.clone())));
    wait_idle(&mut h);
    h.state_mut()
        .command(Command::WriteReport(Some(pdf.clone())));
    wait_idle(&mut h);
    let bytes = std::fs::read(&png).unwrap();
    // PNG signature, then IHDR: width and height as big-endian u32.
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let dim = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!((dim(16), dim(20)), (1920, 1080), "the default slide size");
    assert_eq!(
        &std::fs::read(&xlsx).unwrap()[..2],
        b"PK",
        "an xlsx is a zip"
    );
    let report = std::fs::read(&pdf).unwrap();
    assert!(report.starts_with(b"%PDF-"), "a PDF was written");
    assert!(
        texts(&h).iter().any(|t| t.contains("pages)")),
        "the status line says it is saved"
    );
}

#[test]
fn the_scenario_view_follows_its_levers_saves_and_compares() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    h.get_by_label("Scenarios").click();
    wait_idle(&mut h);
    assert!(
        h.state().scenario_bands_current(),
        "the Monte Carlo ran for the draft"
    );
    let before = h.state().scenario_expected("agency_fte", 12).unwrap();
    // Convert three agency workers a month: the expected path moves on the
    // next frame, before any Monte Carlo has run.
    h.state_mut()
        .scenario_draft()
        .unwrap()
        .levers
        .conversions
        .push(keel::scenario::levers::Conversion {
            heads_per_month: 3.0,
            from: None,
            to: None,
        });
    h.step();
    let after = h.state().scenario_expected("agency_fte", 12).unwrap();
    assert!(after < before - 5.0, "agency FTE {before} → {after}");
    assert!(
        !h.state().scenario_bands_current(),
        "the old bands are stale"
    );
    wait_idle(&mut h);
    assert!(h.state().scenario_bands_current(), "the bands followed");

    h.state_mut().scenario_draft().unwrap().name = "Convert three".into();
    h.state_mut().command(Command::SaveScenario);
    wait_idle(&mut h);
    assert!(root.join("scenarios/Convert three.json").is_file());
    h.state_mut().command(Command::NewScenario);
    h.step();
    h.state_mut().scenario_draft().unwrap().name = "Baseline".into();
    h.state_mut().command(Command::SaveScenario);
    wait_idle(&mut h);
    h.state_mut().command(Command::CompareScenarios(vec![
        "Baseline".into(),
        "Convert three".into(),
    ]));
    wait_idle(&mut h);
    assert_eq!(h.state().compared(), vec!["Baseline", "Convert three"]);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("First month on target"))
    );
}

#[test]
fn the_benchmarks_view_compares_the_chosen_council_and_remembers_it() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dfe");
    let indicators = shared.join("csww_indicators_2017_to_2025.csv");
    let neighbours = shared.join("sn_model_2025_wide.csv");
    assert!(
        indicators.is_file() && neighbours.is_file(),
        "the DfE open data is absent: {} is needed by this test (CI provides ../shared/data/dfe)",
        shared.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    h.get_by_label("Benchmarks").click();
    wait_idle(&mut h);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("No DfE indicators imported yet"))
    );
    h.state_mut().command(Command::ImportBenchmark(indicators));
    wait_idle(&mut h);
    h.state_mut().command(Command::ImportBenchmark(neighbours));
    wait_idle(&mut h);
    h.state_mut()
        .command(Command::ChooseCouncil("Bristol, City of".into()));
    wait_idle(&mut h);
    let shown = texts(&h);
    assert!(
        shown
            .iter()
            .any(|t| t == "Bristol, City of · region South West · 10 statistical neighbours"),
        "{shown:?}"
    );
    // A council that is not in the file says so, with nothing drawn.
    h.state_mut()
        .command(Command::ChooseCouncil("no such council".into()));
    wait_idle(&mut h);
    assert!(texts(&h).iter().any(|t| t.starts_with("no council called")));
}

#[test]
fn the_import_view_previews_the_first_rows_with_names_masked() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let file = dir.path().join("november.csv");
    let mut csv = String::from("Employee Number,Full Name,Team,FTE,Contract Type,Extract Date\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "77{i:03},Jo Bloggs{i},MASH,0.8,Permanent,30/11/2026\n"
        ));
    }
    std::fs::write(&file, csv).unwrap();
    let mut h = reading(root, file);
    h.get_by_label("First 5 rows, as written in the file")
        .click();
    h.run();
    let shown = texts(&h);
    assert!(
        shown.iter().any(|t| t == "77004"),
        "the fifth row is shown: {shown:?}"
    );
    assert!(!shown.iter().any(|t| t == "77005"), "only five rows");
    assert!(shown.iter().any(|t| t == keel::extract::preview::MASK));
    assert!(
        !shown.iter().any(|t| t.contains("Bloggs")),
        "a name is on screen"
    );
}

#[test]
fn reading_can_be_cancelled_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let before = Workspace::open(&root).unwrap().manifest().imports.len();
    let file = dir.path().join("big.csv");
    let mut csv = String::from("Employee Number,Team,FTE,Contract Type,Extract Date\n");
    // Big enough that reading (unoptimised, in tests) outlasts the cancel.
    for i in 0..500_000 {
        csv.push_str(&format!("{i},MASH,1.0,Permanent,30/11/2026\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let mut h = harness(root.clone());
    h.get_by_label("Import").click();
    wait_idle(&mut h);
    h.state_mut().command(Command::ReadFiles(vec![file]));
    h.step();
    assert!(!h.state().is_idle(), "reading is under way");
    // The reading thread names the file as soon as it starts on it.
    let start = Instant::now();
    while !texts(&h).iter().any(|t| t.starts_with("Reading big.csv (")) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "no progress shown: {:?}",
            texts(&h)
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.get_by_label("Cancel").click();
    wait_idle(&mut h);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t == "Reading cancelled; nothing was stored.")
    );
    assert!(
        !texts(&h).iter().any(|t| t == "big.csv"),
        "no file waits to be imported"
    );
    assert_eq!(
        Workspace::open(&root).unwrap().manifest().imports.len(),
        before
    );
}

#[test]
fn settings_open_another_workspace_and_refuse_a_folder_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let other_dir = dir.path().join("other");
    std::fs::create_dir(&other_dir).unwrap();
    let other = two_team_workspace(&other_dir);
    let mut h = harness(root);
    h.get_by_label("Settings").click();
    wait_idle(&mut h);
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    h.state_mut().command(Command::OpenWorkspace(plain));
    wait_idle(&mut h);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.contains("is not a Keel workspace"))
    );
    h.state_mut().command(Command::OpenWorkspace(other.clone()));
    wait_idle(&mut h);
    assert_eq!(h.state().root(), other.as_path());
    assert_eq!(h.state().view(), keel::app::View::Dashboard);
    // The other workspace's teams are the ones on offer now.
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    assert!(texts(&h).iter().any(|t| t == "Tiny"), "{:?}", texts(&h));
}

#[test]
fn renaming_a_scenario_keeps_the_draft_and_follows_it_in_the_meeting_pack() {
    use keel::report::pack::{Pack, Slide};
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    h.get_by_label("Scenarios").click();
    wait_idle(&mut h);
    h.state_mut().scenario_draft().unwrap().name = "Old name".into();
    h.state_mut().command(Command::SaveScenario);
    wait_idle(&mut h);
    let mut pack = Pack::default();
    pack.slides.push(Slide::Scenario {
        name: "Old name".into(),
    });
    keel::report::pack::save(&root, &pack).unwrap();
    // An unsaved change, then the rename.
    h.state_mut().scenario_draft().unwrap().seed = 7;
    wait_idle(&mut h);
    h.get_by_label("New name").click();
    h.step();
    h.get_by_label("New name").type_text("New name");
    wait_idle(&mut h);
    h.get_by_label("Rename").click();
    wait_idle(&mut h);
    assert!(!root.join("scenarios/Old name.json").exists());
    let saved = keel::scenario::persist::load(&root.join("scenarios/New name.json")).unwrap();
    assert_eq!(saved.seed, 7, "the draft as on screen was saved");
    let pack = keel::report::pack::load(&root).unwrap();
    assert!(pack.slides.contains(&Slide::Scenario {
        name: "New name".into()
    }));
}

#[test]
fn the_teams_view_lists_workers_needing_attention_by_pseudonym() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == "Workers needing attention"));
    // The first team alphabetically, at the latest month, as the core lists it.
    let ws = Workspace::open(&root).unwrap();
    let inputs = ws.inputs().unwrap().unwrap();
    let sep = keel::month::Month::new(2026, 9).unwrap();
    let expected = keel::metrics::workers::needing_attention(
        &inputs,
        ws.settings().limits(),
        sep,
        Some("Assessment East"),
    )
    .unwrap();
    assert!(!expected.is_empty(), "the sample has someone to list");
    for a in &expected {
        assert!(shown.contains(&a.worker_id), "{} is listed", a.worker_id);
        assert!(
            a.worker_id.starts_with('w') && a.worker_id.len() == 17,
            "a pseudonym"
        );
    }
}

/// A plan for the two-team workspace, started on Monday 4 May 2026:
/// `immediate` is due 1 June and `3 months` 4 August. As at 30 September
/// (the latest month held) R1 is done, R2 overdue by 57 days (4 August to
/// 30 September) and R3 by 121 (1 June to 30 September), R4 dropped.
const MEETING_PLAN: &str = "\
Ref,Recommendation,Timescale,Lead,Status,Status Date
R1,Agree a caseload policy,Immediate,Principal Social Worker,Done,20/05/2026
R2,Cap caseloads at twelve children per worker,3 months,Head of Service,In progress,
R3,Ensure monthly reflective supervision for every case holder,Immediate,Service Manager,Not started,
R4,Review the agency framework,3 months,Head of Service,Dropped,01/07/2026
";

fn meeting_pack(root: &Path) {
    use keel::report::pack::{Pack, Slide};
    let pack = Pack {
        slides: vec![
            Slide::Summary,
            Slide::Plan,
            Slide::Metric {
                metric: keel::measure::Measure::CaseloadPerFte.name().into(),
            },
        ],
        months: Some(12),
        group: keel::metrics::table::Group::all(),
    };
    keel::report::pack::save(root, &pack).unwrap();
}

#[test]
fn meeting_mode_shows_the_plan_by_reference_and_title_without_leads() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_team_workspace(dir.path());
    let file = dir.path().join("improvement_plan.csv");
    std::fs::write(&file, MEETING_PLAN).unwrap();
    let mut ws = Workspace::open(&root).unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 5, 4);
    keel::plan::store::import(&mut ws, &file, start).unwrap();
    drop(ws);
    meeting_pack(&root);
    let mut h = harness(root);
    h.key_press(egui::Key::F5);
    wait_idle(&mut h);
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().meeting_slide().as_deref(),
        Some("Improvement plan")
    );
    let mut shown = texts(&h);
    shown.dedup();
    assert!(shown.iter().any(|t| t == "2 / 3"), "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|t| t == "4 items, as at 30 September 2026 · the plan started on 4 May 2026"),
        "{shown:?}"
    );
    // Counts in the order overdue, due soon, on track, done, dropped.
    let counts: Vec<&str> = shown
        .iter()
        .filter(|t| t.len() == 1 && t.chars().all(|c| c.is_ascii_digit()))
        .map(String::as_str)
        .collect();
    assert_eq!(counts, ["2", "0", "0", "1", "1"], "{shown:?}");
    for want in [
        "R2",
        "Cap caseloads at twelve children per worker",
        "57 days overdue",
        "R3",
        "Ensure monthly reflective supervision for every case holder",
        "121 days overdue",
    ] {
        assert!(shown.iter().any(|t| t == want), "{want} missing: {shown:?}");
    }
    assert!(
        !shown.iter().any(|t| t == "R1" || t == "R4"),
        "only overdue items are listed"
    );
    for lead in [
        "Principal Social Worker",
        "Head of Service",
        "Service Manager",
    ] {
        assert!(
            !shown.iter().any(|t| t.contains(lead)),
            "a lead is on screen: {lead}"
        );
    }
}

#[test]
fn meeting_mode_skips_the_plan_slide_when_there_is_no_plan() {
    let dir = tempfile::tempdir().unwrap();
    let root = two_team_workspace(dir.path());
    meeting_pack(&root);
    let mut h = harness(root);
    h.key_press(egui::Key::F5);
    wait_idle(&mut h);
    assert_eq!(h.state().meeting_slide().as_deref(), Some("Summary"));
    assert!(texts(&h).iter().any(|t| t == "1 / 2"), "{:?}", texts(&h));
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().meeting_slide().as_deref(),
        Some("Caseload per FTE")
    );
}

#[test]
fn stored_data_that_fails_its_check_shows_a_red_badge_in_data_quality() {
    let badge =
        "Stored data failed its check: these files are missing or changed since they were imported";
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let quality = |root: PathBuf| {
        let mut h = harness(root);
        h.state_mut()
            .command(Command::SetView(keel::app::View::Quality));
        wait_idle(&mut h);
        h
    };
    let h = quality(root.clone());
    assert!(h.state().integrity_failures().is_empty());
    assert!(!texts(&h).iter().any(|t| t == badge));
    drop(h);

    // The first import's warnings, changed on disk (still valid JSON, so
    // the workspace loads: only the check can tell).
    let p = root.join("imports/1.warnings.json");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push('\n');
    std::fs::write(&p, text).unwrap();
    let h = quality(root.clone());
    let file = Workspace::open(&root).unwrap().manifest().imports[0]
        .file
        .clone();
    let line = format!("import #1 ({file}): changed (imports/1.warnings.json)");
    assert_eq!(h.state().integrity_failures(), std::slice::from_ref(&line));
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == badge), "{shown:?}");
    assert!(shown.contains(&line), "{shown:?}");
}
