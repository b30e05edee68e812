//! The keyboard: a clicked slider moves with the arrow keys, meeting mode
//! moves one slide per key press, F5 says why it does nothing on an empty
//! workspace, and an empty workspace is started where the user says.

use super::app_ui::{harness, sample_workspace, texts, wait_idle};
use eframe::egui;
use egui_kittest::kittest::Queryable as _;
use keel::app::{Command, View};
use keel::workspace::Workspace;

#[test]
fn a_clicked_slider_moves_with_the_arrow_keys() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    h.state_mut().command(Command::SetView(View::Scenarios));
    wait_idle(&mut h);
    h.get_by_role_and_label(egui::accesskit::Role::Slider, "Months ahead")
        .click();
    wait_idle(&mut h);
    let months = |h: &mut egui_kittest::Harness<'static, keel::app::KeelApp>| {
        h.state_mut().scenario_draft().unwrap().months.unwrap()
    };
    let clicked = months(&mut h);
    h.key_press(egui::Key::ArrowRight);
    wait_idle(&mut h);
    assert_eq!(months(&mut h), clicked + 1);
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::ArrowLeft);
    wait_idle(&mut h);
    assert_eq!(months(&mut h), clicked - 1);
}

#[test]
fn meeting_mode_moves_one_slide_per_key_press_not_per_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root);
    h.key_press(egui::Key::F5);
    wait_idle(&mut h);
    let first = h.state().meeting_slide().expect("meeting mode");
    // A key held down: its first press moves, the repeats that follow
    // while it stays down do not.
    let repeat = |h: &mut egui_kittest::Harness<'static, keel::app::KeelApp>| {
        h.event(egui::Event::Key {
            key: egui::Key::ArrowRight,
            physical_key: None,
            pressed: true,
            repeat: true,
            modifiers: egui::Modifiers::default(),
        });
        h.run();
    };
    h.key_down(egui::Key::ArrowRight);
    h.run();
    let second = h.state().meeting_slide().unwrap();
    assert_ne!(second, first);
    repeat(&mut h);
    repeat(&mut h);
    assert_eq!(
        h.state().meeting_slide().unwrap(),
        second,
        "repeats are no presses"
    );
    h.key_up(egui::Key::ArrowRight);
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let third = h.state().meeting_slide().unwrap();
    assert_ne!(third, second, "the next press moves once more");
}

#[test]
fn f5_on_an_empty_workspace_says_why_nothing_happens() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    Workspace::open_or_create(&root).unwrap();
    let mut h = harness(root);
    h.key_press(egui::Key::F5);
    wait_idle(&mut h);
    assert_eq!(h.state().meeting_slide(), None);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("Meeting mode has nothing to show yet")),
        "{:?}",
        texts(&h)
    );
}

#[test]
fn starting_an_empty_workspace_asks_where_and_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    h.get_by_label("Start an empty workspace").click();
    wait_idle(&mut h);
    assert!(texts(&h).iter().any(|t| t == "Start an empty workspace?"));
    assert_eq!(
        h.state().root(),
        root.as_path(),
        "nothing made before answering"
    );

    // Cancel leaves everything as it was.
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!texts(&h).iter().any(|t| t == "Start an empty workspace?"));

    // A folder that holds files is refused.
    let used = dir.path().join("used");
    std::fs::create_dir(&used).unwrap();
    std::fs::write(used.join("notes.txt"), "mine").unwrap();
    h.state_mut()
        .command(Command::NewEmptyWorkspace(Some(used.clone())));
    wait_idle(&mut h);
    assert_eq!(h.state().root(), root.as_path());
    assert!(texts(&h).iter().any(|t| t.contains("it is not empty")));

    let empty = dir.path().join("new-empty");
    h.get_by_label("Start an empty workspace").click();
    wait_idle(&mut h);
    h.get_by_label("Folder for the new workspace").click();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Folder for the new workspace")
        .type_text(&empty.display().to_string());
    h.run();
    h.get_by_label("Create empty workspace").click();
    wait_idle(&mut h);
    assert_eq!(h.state().root(), empty.as_path());
    assert!(Workspace::exists(&empty));
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("Started an empty workspace in")),
        "{:?}",
        texts(&h)
    );
}
