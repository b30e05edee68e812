//! The app's Plan view driven through its widgets: a plan grouped by
//! window with RAG words, the filters, a status change stored and undone,
//! events, notes and items added and removed, the empty workspace's
//! choices, and the dashboard tile's linked target.

use super::app_ui::{harness, sample_workspace, texts, wait_idle};
use chrono::{Days, Months, NaiveDate};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use keel::app::KeelApp;
use keel::measure::Measure;
use keel::month::Month;
use keel::plan::{Event, Item, Link, Plan, Status, Window};
use keel::workspace::Workspace;
use std::path::{Path, PathBuf};

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn item(reference: &str, title: &str, lead: &str, status: Status) -> Item {
    Item {
        reference: reference.into(),
        title: title.into(),
        window: None,
        due: None,
        lead: lead.into(),
        status,
        status_date: None,
        evidence: vec![],
        measures: vec![],
    }
}

/// Started 60 days ago: R1 (immediate, not started) is overdue, R2 (3
/// months) on track, R3 (6 months) done, R4 (its own date in 5 days) due
/// soon.
fn fixture() -> Plan {
    let start = today() - Days::new(60);
    Plan {
        start,
        items: vec![
            Item {
                window: Some(Window::Immediate),
                ..item(
                    "R1",
                    "Cap caseloads for newly qualified workers",
                    "Head of Service",
                    Status::NotStarted,
                )
            },
            Item {
                window: Some(Window::ThreeMonths),
                measures: vec![Link {
                    measure: Measure::AgencyRate.name().into(),
                    target: 15.0,
                    by: Month::of(start) + 12,
                }],
                ..item(
                    "R2",
                    "Recruit permanent social workers",
                    "Principal Social Worker",
                    Status::InProgress,
                )
            },
            Item {
                window: Some(Window::SixMonths),
                status_date: Some(today() - Days::new(10)),
                ..item(
                    "R3",
                    "Audit supervision records",
                    "Head of Service",
                    Status::Done,
                )
            },
            Item {
                due: Some(today() + Days::new(5)),
                ..item(
                    "R4",
                    "Publish the workforce strategy",
                    "Head of Safeguarding",
                    Status::InProgress,
                )
            },
        ],
        events: vec![Event {
            date: start,
            label: "Ofsted inspection".into(),
        }],
    }
}

fn with_plan(root: &Path, plan: &Plan) {
    let mut ws = Workspace::open_or_create(root).unwrap();
    ws.save_plan(plan, "fixture").unwrap();
}

fn stored(root: &Path) -> Plan {
    Workspace::open(root)
        .unwrap()
        .plan()
        .unwrap()
        .expect("a plan")
}

fn plan_view(root: PathBuf) -> Harness<'static, KeelApp> {
    let mut h = harness(root);
    h.get_by_label("Plan").click();
    wait_idle(&mut h);
    h
}

fn shows(h: &Harness<'static, KeelApp>, text: &str) -> bool {
    texts(h).iter().any(|t| t.contains(text))
}

/// The text field named `name` (a label beside it may carry the same
/// words).
fn field<'h>(h: &'h Harness<'static, KeelApp>, name: &'h str) -> egui_kittest::Node<'h> {
    use egui::accesskit::Role;
    h.query_by_role_and_label(Role::TextInput, name)
        .or_else(|| h.query_by_role_and_label(Role::MultilineTextInput, name))
        .unwrap_or_else(|| panic!("no text field named {name}"))
}

/// Click the text field named `name`, then type `text` into it.
fn type_into(h: &mut Harness<'static, KeelApp>, name: &str, text: &str) {
    field(h, name).click();
    h.step();
    field(h, name).type_text(text);
    h.run();
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[test]
fn the_plan_is_listed_by_window_with_rag_words_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let plan = fixture();
    with_plan(&root, &plan);
    let mut h = plan_view(root);
    let immediate = Window::Immediate.due_from(plan.start);
    for heading in [
        format!("Immediate — due {}", date(immediate)),
        format!(
            "Within 3 months — due {}",
            date(plan.start + Months::new(3))
        ),
        "With their own due dates".to_string(),
    ] {
        assert!(shows(&h, &heading), "heading {heading}: {:?}", texts(&h));
    }
    for word in ["Overdue", "On track", "Done", "Due soon"] {
        assert!(texts(&h).iter().any(|t| t == word), "RAG {word}");
    }
    assert!(shows(&h, "Agency rate: target 15.0% by"));
    assert!(shows(&h, "1 overdue, 1 due soon, 1 on track, 1 done"));

    h.get_by_label("Overdue only").click();
    h.run();
    assert!(shows(&h, "Cap caseloads for newly qualified workers"));
    for hidden in [
        "Recruit permanent social workers",
        "Audit supervision records",
        "Publish the workforce strategy",
    ] {
        assert!(!shows(&h, hidden), "{hidden} is not overdue");
    }
    h.get_by_label("Overdue only").click();
    h.get_by_label("Lead").click();
    h.run();
    h.get_by_label("Head of Safeguarding").click();
    h.run();
    assert!(shows(&h, "Publish the workforce strategy"));
    assert!(!shows(&h, "Cap caseloads for newly qualified workers"));
}

#[test]
fn a_status_changed_in_the_view_is_stored_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    with_plan(&root, &fixture());
    let mut h = plan_view(root.clone());
    h.get_by_label("Status of R1").click();
    h.run();
    h.get_by_label("done").click();
    wait_idle(&mut h);
    let r1 = stored(&root).item("R1").unwrap().clone();
    assert_eq!(r1.status, Status::Done);
    assert_eq!(r1.status_date, Some(today()));
    assert!(!texts(&h).iter().any(|t| t == "Overdue"), "R1 is done now");
    assert!(
        shows(&h, "R1 status to done"),
        "the notice says what changed"
    );

    // Ctrl+Z names the plan change and takes it back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(shows(&h, "R1 status to done"));
    h.get_by_label("Undo plan change").click();
    wait_idle(&mut h);
    let r1 = stored(&root).item("R1").unwrap().clone();
    assert_eq!(r1.status, Status::NotStarted);
    assert!(texts(&h).iter().any(|t| t == "Overdue"));
}

#[test]
fn events_and_notes_are_added_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    with_plan(&root, &fixture());
    let mut h = plan_view(root.clone());
    let review = today() + Days::new(150);
    type_into(&mut h, "New event date", &date(review));
    h.run();
    type_into(&mut h, "New event label", "Peer review");
    h.run();
    h.get_by_label("Add event").click();
    wait_idle(&mut h);
    let plan = stored(&root);
    assert_eq!(
        plan.events.last(),
        Some(&Event {
            date: review,
            label: "Peer review".into()
        })
    );
    assert!(texts(&h).iter().any(|t| t == "Peer review"));

    h.get_by_label("Add note to R2").click();
    h.run();
    type_into(&mut h, "Evidence note", "Recruitment campaign launched");
    h.run();
    h.get_by_label("Add note").click();
    wait_idle(&mut h);
    let r2 = stored(&root).item("R2").unwrap().clone();
    assert_eq!(r2.evidence.len(), 1);
    assert_eq!(r2.evidence[0].text, "Recruitment campaign launched");
    assert_eq!(r2.evidence[0].date, today());
    assert!(shows(&h, "Recruitment campaign launched"));
}

#[test]
fn an_item_with_a_linked_measure_is_added_then_removed_after_confirming() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let plan = fixture();
    with_plan(&root, &plan);
    let mut h = plan_view(root.clone());
    h.get_by_label("Add item…").click();
    h.run();
    type_into(&mut h, "Recommendation", "Introduce a caseload cap");
    h.run();
    type_into(&mut h, "Lead", "Head of Service");
    h.run();
    h.get_by_label("Link a measure").click();
    h.run();
    h.get_by_label("Measure 1").click();
    h.run();
    h.get_by_label(Measure::CaseloadPerFte.label()).click();
    h.run();
    // The new measure's own default target replaces the agency rate's.
    let target = field(&h, "Target 1").value().unwrap();
    assert_eq!(target, "15.2");
    h.run();
    h.get_by_label("Save item").click();
    wait_idle(&mut h);
    let r5 = stored(&root).item("R5").expect("added as R5").clone();
    assert_eq!(r5.title, "Introduce a caseload cap");
    assert_eq!(r5.window, Some(Window::ThreeMonths));
    assert_eq!(r5.measures.len(), 1);
    assert_eq!(r5.measures[0].measure, Measure::CaseloadPerFte.name());
    assert_eq!(r5.measures[0].target, 15.2);
    assert_eq!(r5.measures[0].by, Month::of(plan.start) + 6);
    assert!(shows(&h, "Introduce a caseload cap"));

    h.get_by_label("Remove R5").click();
    h.run();
    assert!(stored(&root).item("R5").is_some(), "not before confirming");
    h.get_by_label("Remove item").click();
    wait_idle(&mut h);
    assert!(stored(&root).item("R5").is_none());
    // Only the notice still names it.
    assert!(!texts(&h).iter().any(|t| t == "Introduce a caseload cap"));
    assert!(shows(&h, "R5 removed"));
}

#[test]
fn an_empty_workspace_offers_to_import_a_plan_or_start_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Workspace::open_or_create(&root).unwrap();
    let mut h = plan_view(root.clone());
    assert!(shows(&h, "No improvement plan yet"));
    assert!(h.query_by_label("Import a plan…").is_some());

    // A file refused: the error is shown and nothing is stored.
    let bad = dir.path().join("plan.csv");
    std::fs::write(
        &bad,
        "Ref,Recommendation,Timescale,Lead\nR1,Cap caseloads,next year,Head of Service\n",
    )
    .unwrap();
    type_into(&mut h, "Plan file path", &bad.display().to_string());
    h.run();
    type_into(&mut h, "Plan start for the import", "05/01/2026");
    h.run();
    h.get_by_label("Import this file").click();
    wait_idle(&mut h);
    assert!(shows(&h, "The plan was not changed"), "{:?}", texts(&h));
    assert!(shows(&h, "next year"), "the error names the value");
    assert!(Workspace::open(&root).unwrap().plan().unwrap().is_none());

    type_into(&mut h, "New plan start", "05/01/2026");
    h.run();
    h.get_by_label("Start a plan").click();
    wait_idle(&mut h);
    let plan = stored(&root);
    assert_eq!(plan.start, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
    assert!(plan.items.is_empty());
    assert!(shows(&h, "The plan has no items yet"));
}

#[test]
fn dashboard_tiles_show_the_plans_linked_target() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let latest = *Workspace::open(&root)
        .unwrap()
        .manifest()
        .months_held(keel::extract::Kind::Workforce)
        .last()
        .unwrap();
    let mut plan = fixture();
    // Two targets: the tile shows the nearer one still to come.
    plan.items[1].measures = vec![
        Link {
            measure: Measure::AgencyRate.name().into(),
            target: 18.0,
            by: latest + 3,
        },
        Link {
            measure: Measure::AgencyRate.name().into(),
            target: 12.5,
            by: latest + 9,
        },
    ];
    plan.events.push(Event {
        date: (latest - 2).first_day() + Days::new(14),
        label: "Scrutiny committee".into(),
    });
    with_plan(&root, &plan);
    let mut h = harness(root);
    let want = format!(
        "Plan: 18.0% by {}",
        (latest + 3).first_day().format("%b %Y")
    );
    assert!(shows(&h, &want), "{want}: {:?}", texts(&h));
    assert!(!shows(&h, "Plan: 12.5%"));

    // The chart saved from the dashboard marks the plan's event, as the
    // settings' events were marked before they moved into the plan.
    let svg = dir.path().join("agency.svg");
    h.state_mut().command(keel::app::Command::SaveChart {
        metric: Measure::AgencyRate.name().into(),
        path: Some(svg.clone()),
    });
    wait_idle(&mut h);
    let drawn = std::fs::read_to_string(&svg).unwrap();
    assert!(drawn.contains("Scrutiny committee"));
}
