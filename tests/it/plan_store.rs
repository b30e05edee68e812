//! The improvement plan in the workspace: each change a new version, listed
//! in history and undone by `keel undo` in time order with imports; the
//! settings' milestones and events moved into it; older manifests; files
//! swept; and a change killed at any moment leaving one version or the
//! other.

use crate::support::*;
use chrono::NaiveDate;
use keel::plan::{Event, Item, Plan, Status, Window};
use keel::settings::{Milestone, Settings};
use keel::workspace::{Undone, Workspace};
use std::path::Path;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn item(reference: &str, title: &str) -> Item {
    Item {
        reference: reference.into(),
        title: title.into(),
        window: Some(Window::ThreeMonths),
        due: None,
        lead: "Head of Service".into(),
        status: Status::NotStarted,
        status_date: None,
        evidence: vec![],
        measures: vec![],
    }
}

fn plan(items: &[(&str, &str)]) -> Plan {
    Plan {
        start: d(2026, 1, 5),
        items: items.iter().map(|(r, t)| item(r, t)).collect(),
        events: vec![],
    }
}

fn import_snapshot(dir: &Path, ws: &Path, name: &str, month_end: &str) {
    let f = write(dir, name, &snapshot_csv(month_end, &["1", "2"]));
    let out = keel(&[
        "import",
        "--workspace",
        ws.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn each_save_is_a_version_and_undo_restores_the_one_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    assert_eq!(ws.plan().unwrap(), None);
    let first = plan(&[("R1", "Caseload review")]);
    let second = plan(&[("R1", "Caseload review"), ("R2", "Exit interviews")]);
    let saved = ws.save_plan(&first, "imported a.csv (1 item)").unwrap();
    assert_eq!(saved.edit.id, 1);
    assert!(saved.replaced.is_none() && saved.moved.is_none());
    let saved = ws.save_plan(&second, "imported b.csv (2 items)").unwrap();
    assert_eq!(saved.edit.id, 2);
    assert_eq!(saved.replaced.map(|e| e.id), Some(1));
    assert_eq!(ws.plan().unwrap().as_ref(), Some(&second));
    let root = ws.root().to_path_buf();
    assert!(root.join("plans/1.json").is_file() && root.join("plans/2.json").is_file());

    // Another process sees the same.
    let other = Workspace::open(&root).unwrap();
    assert_eq!(other.plan().unwrap().as_ref(), Some(&second));
    assert_eq!(other.manifest().plan_edits.len(), 2);

    match ws.undo().unwrap() {
        Undone::PlanEdit(e) => {
            assert_eq!((e.id, e.action.as_str()), (2, "imported b.csv (2 items)"))
        }
        other => panic!("expected the plan edit to be undone, got {other:?}"),
    }
    assert_eq!(ws.plan().unwrap().as_ref(), Some(&first));
    assert!(
        root.join("plans/2.json").is_file(),
        "an undone version stays on disk"
    );
    ws.undo().unwrap();
    assert_eq!(ws.plan().unwrap(), None);
    let err = ws.undo().unwrap_err();
    assert_eq!(err.to_string(), "there is no import or plan edit to undo");

    // A change after an undo builds on the plan in force, and the undone
    // versions stay out of it.
    ws.save_plan(&first, "imported a.csv again").unwrap();
    assert_eq!(ws.manifest().active_plan_edit().map(|e| e.id), Some(3));
    ws.undo().unwrap();
    assert_eq!(ws.plan().unwrap(), None);
}

#[test]
fn undo_takes_back_whichever_of_import_and_plan_edit_came_last() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    import_snapshot(dir.path(), &root, "jan.csv", "31/01/2026");
    let mut ws = Workspace::open(&root).unwrap();
    ws.save_plan(&plan(&[("R1", "Caseload review")]), "imported plan.csv")
        .unwrap();
    import_snapshot(dir.path(), &root, "feb.csv", "28/02/2026");
    let mut ws = Workspace::open(&root).unwrap();
    ws.save_plan(&plan(&[("R2", "Exit interviews")]), "imported plan2.csv")
        .unwrap();

    let mut order = Vec::new();
    for _ in 0..4 {
        order.push(match ws.undo().unwrap() {
            Undone::Imports(r) => r[0].file.clone(),
            Undone::PlanEdit(e) => e.action,
        });
    }
    assert_eq!(
        order,
        [
            "imported plan2.csv",
            "feb.csv",
            "imported plan.csv",
            "jan.csv"
        ]
    );
    assert!(ws.undo().is_err());
}

#[test]
fn a_manifest_from_before_the_plan_loads_and_is_raised_when_a_plan_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    import_snapshot(dir.path(), &root, "jan.csv", "31/01/2026");
    // As an older Keel wrote it: format 1, no plan edits.
    let manifest = root.join("keel.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    json.as_object_mut().unwrap().remove("plan_edits");
    assert_eq!(json["format"], 1);
    std::fs::write(&manifest, serde_json::to_vec_pretty(&json).unwrap()).unwrap();

    let mut ws = Workspace::open(&root).unwrap();
    assert!(ws.manifest().plan_edits.is_empty());
    assert_eq!(ws.plan().unwrap(), None);
    assert_eq!(ws.manifest().imports.len(), 1);
    ws.save_plan(&plan(&[("R1", "Caseload review")]), "imported plan.csv")
        .unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert_eq!(
        json["format"], 2,
        "an older Keel refuses it rather than dropping the plan's history"
    );
    assert_eq!(json["plan_edits"][0]["action"], "imported plan.csv");
}

#[test]
fn referenced_plan_files_are_kept_and_leftovers_swept() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    ws.save_plan(&plan(&[("R1", "Caseload review")]), "first")
        .unwrap();
    ws.save_plan(&plan(&[("R2", "Exit interviews")]), "second")
        .unwrap();
    ws.undo().unwrap();
    let root = ws.root().to_path_buf();
    // What a writer killed before its manifest would leave.
    std::fs::write(root.join("plans/3.json"), "{}").unwrap();
    std::fs::write(root.join("plans/.tmp-abc"), "{").unwrap();
    ws.save_plan(&plan(&[("R3", "Workforce strategy")]), "third")
        .unwrap();
    let mut names: Vec<String> = std::fs::read_dir(root.join("plans"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Edit 3 is the new version, written after the sweep.
    assert_eq!(names, ["1.json", "2.json", "3.json"]);
    assert_eq!(
        ws.plan().unwrap().unwrap().items[0].reference,
        "R3",
        "the leftover 3.json was swept before the new version 3 was written"
    );
}

fn settings_with_milestones() -> Settings {
    Settings {
        milestones: vec![
            Milestone {
                metric: "agency_rate_pct".into(),
                from: "2025-10".parse().unwrap(),
                by: "2026-03".parse().unwrap(),
                value: 15.0,
            },
            Milestone {
                metric: "turnover_rate_12m_pct".into(),
                from: "2025-11".parse().unwrap(),
                by: "2026-09".parse().unwrap(),
                value: 14.0,
            },
        ],
        events: vec![keel::settings::Event {
            date: d(2025, 9, 20),
            label: "Ofsted inspection".into(),
        }],
        ..Settings::default()
    }
}

#[test]
fn the_settings_milestones_and_events_move_into_the_plan_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    let settings = settings_with_milestones();
    ws.save_settings(settings.clone()).unwrap();
    let root = ws.root().to_path_buf();

    // Showing writes nothing: the plan is what the settings would make.
    let shown = keel::plan::store::plan_or_settings(&ws).unwrap().unwrap();
    assert_eq!(shown.items.len(), 2);
    assert!(
        Workspace::open(&root)
            .unwrap()
            .manifest()
            .plan_edits
            .is_empty()
    );

    let saved = keel::plan::store::add_event(&mut ws, d(2026, 4, 15), "Peer review").unwrap();
    let moved = saved.moved.unwrap();
    assert_eq!((moved.milestones, moved.events), (2, 1));
    let moved_edit = moved.edit.unwrap();
    assert_eq!(moved_edit.id, 1);
    assert_eq!(
        moved_edit.action,
        "moved 2 milestones and 1 event from the settings into the plan"
    );
    assert_eq!(saved.edit.id, 2);
    assert_eq!(saved.edit.action, "event added: Peer review (15/04/2026)");

    let ws2 = Workspace::open(&root).unwrap();
    assert!(ws2.settings().milestones.is_empty() && ws2.settings().events.is_empty());
    let p = ws2.plan().unwrap().unwrap();
    // The earliest of 1 October, 1 November and 20 September 2025.
    assert_eq!(p.start, d(2025, 9, 20));
    let refs: Vec<(&str, &str, Option<NaiveDate>)> = p
        .items
        .iter()
        .map(|i| (i.reference.as_str(), i.title.as_str(), i.due))
        .collect();
    assert_eq!(
        refs,
        [
            (
                "M1",
                "Milestone: Agency rate 15.0% by 2026-03",
                Some(d(2026, 3, 31))
            ),
            (
                "M2",
                "Milestone: Turnover rate 14.0% by 2026-09",
                Some(d(2026, 9, 30))
            ),
        ]
    );
    assert!(p.items.iter().all(|i| i.status == Status::InProgress));
    assert_eq!(p.items[1].measures[0].target, 14.0);
    assert_eq!(
        p.events,
        [
            Event {
                date: d(2025, 9, 20),
                label: "Ofsted inspection".into()
            },
            Event {
                date: d(2026, 4, 15),
                label: "Peer review".into()
            }
        ]
    );

    // The next change moves nothing.
    let saved =
        keel::plan::store::set(&mut ws, "m1", Some(Status::Done), None, d(2026, 3, 20)).unwrap();
    assert!(saved.moved.is_none());
    assert_eq!(saved.edit.action, "M1 status → done");

    // Undoing back past the move puts the settings back as they were.
    ws.undo().unwrap();
    ws.undo().unwrap();
    assert!(ws.settings().milestones.is_empty());
    match ws.undo().unwrap() {
        Undone::PlanEdit(e) => assert_eq!(e.id, 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(ws.plan().unwrap(), None);
    let back = Workspace::open(&root).unwrap();
    assert_eq!(back.settings().milestones, settings.milestones);
    assert_eq!(back.settings().events, settings.events);
}

#[test]
fn a_move_interrupted_before_the_settings_were_emptied_is_finished_without_doubles() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    ws.save_settings(settings_with_milestones()).unwrap();
    keel::plan::store::add_event(&mut ws, d(2026, 4, 15), "Peer review").unwrap();
    // As if killed between the plan and the settings: the settings still
    // hold what the plan now holds.
    ws.save_settings(settings_with_milestones()).unwrap();
    let saved = keel::plan::store::set(
        &mut ws,
        "M2",
        None,
        Some("Retention payments agreed"),
        d(2026, 2, 1),
    )
    .unwrap();
    let moved = saved.moved.unwrap();
    assert!(moved.edit.is_none(), "nothing was missing from the plan");
    let p = ws.plan().unwrap().unwrap();
    assert_eq!(p.items.len(), 2);
    assert_eq!(p.events.len(), 2);
    assert_eq!(p.items[1].evidence[0].text, "Retention payments agreed");
    assert!(ws.settings().milestones.is_empty() && ws.settings().events.is_empty());
}

#[test]
fn a_refused_change_stores_nothing_not_even_the_move() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open_or_create(&dir.path().join("ws")).unwrap();
    ws.save_settings(settings_with_milestones()).unwrap();
    let err =
        keel::plan::store::set(&mut ws, "R9", Some(Status::Done), None, d(2026, 3, 1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is no item 'R9' in the plan; its references are M1, M2"
    );
    let ws = Workspace::open(ws.root()).unwrap();
    assert!(ws.manifest().plan_edits.is_empty());
    assert_eq!(ws.settings().milestones.len(), 2);
}
