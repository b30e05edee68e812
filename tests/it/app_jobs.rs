//! The app's background jobs: a job that panics is reported once and waits
//! for the user (never started again by itself), the user's "Try again" or
//! a new request starts it once more, and the disk work behind commands
//! runs in jobs (the test hook that makes a job panic reaches it, which it
//! could not if the work ran in the frame).

use super::app_ui::{harness, sample_workspace, texts, wait_idle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use keel::app::{Command, JobKind, KeelApp};
use keel::workspace::Workspace;

/// Frames enough for any restart loop to show itself.
fn many_frames(h: &mut Harness<'static, KeelApp>) {
    for _ in 0..60 {
        h.step();
    }
    // Whatever the frames started would still be running or done by now.
    wait_idle(h);
}

fn shows(h: &Harness<'static, KeelApp>, start: &str) -> bool {
    texts(h).iter().any(|t| t.starts_with(start))
}

#[test]
fn a_calibration_that_panics_is_reported_once_and_retried_by_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(sample_workspace(dir.path()));
    h.state_mut().panic_next_jobs(JobKind::Calibrate, 1);
    h.get_by_label("Scenarios").click();
    wait_idle(&mut h);
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Calibrate), 1, "started once");
    assert!(
        shows(
            &h,
            "The calibration failed: Calibrating stopped on an internal error"
        ),
        "the failure is shown where the result goes: {:?}",
        texts(&h)
    );
    assert!(
        shows(&h, "Calibrating stopped on an internal error"),
        "and in the status line"
    );
    assert_eq!(h.state().job_starts(JobKind::Simulate), 0);

    h.get_by_label("Try again").click();
    wait_idle(&mut h);
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Calibrate), 2, "once more");
    assert!(!shows(&h, "The calibration failed"));
    assert!(h.state().scenario_bands_current(), "the bands followed");
    assert_eq!(h.state().job_starts(JobKind::Simulate), 1);
}

#[test]
fn a_monte_carlo_that_panics_waits_for_new_levers_or_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(sample_workspace(dir.path()));
    h.state_mut().panic_next_jobs(JobKind::Simulate, 2);
    h.get_by_label("Scenarios").click();
    wait_idle(&mut h);
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Simulate), 1);
    assert!(shows(&h, "The Monte Carlo failed."), "{:?}", texts(&h));
    assert!(shows(
        &h,
        "Running the Monte Carlo stopped on an internal error"
    ));
    assert!(!h.state().scenario_bands_current());
    // New levers are a new request: it starts (and fails) once for them.
    h.state_mut().scenario_draft().unwrap().seed += 1;
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Simulate), 2);
    assert!(shows(&h, "The Monte Carlo failed."));
    h.get_by_label("Try again").click();
    wait_idle(&mut h);
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Simulate), 3);
    assert!(h.state().scenario_bands_current());
    assert!(!shows(&h, "The Monte Carlo failed"));
    assert_eq!(h.state().job_starts(JobKind::Calibrate), 1);
}

#[test]
fn a_worker_list_that_panics_is_shown_and_asked_again_for_another_month() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(sample_workspace(dir.path()));
    h.state_mut().panic_next_jobs(JobKind::Attention, 1);
    h.get_by_label("Teams").click();
    wait_idle(&mut h);
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Attention), 1);
    assert!(
        shows(
            &h,
            "Listing workers needing attention stopped on an internal error"
        ),
        "{:?}",
        texts(&h)
    );
    // Another month is another request.
    h.key_press(eframe::egui::Key::ArrowLeft);
    wait_idle(&mut h);
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Attention), 2);
}

#[test]
fn saving_scenarios_packs_settings_and_workspaces_runs_in_jobs_that_report_failure() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness(root.clone());
    let failed = |h: &Harness<'static, KeelApp>, what: &str| {
        let why = format!("{what} stopped on an internal error");
        texts(h).iter().any(|t| t.contains(&why))
    };

    h.get_by_label("Scenarios").click();
    wait_idle(&mut h);
    let listed = h.state().job_starts(JobKind::Scenario);
    assert_eq!(listed, 1, "the names are listed once, in a job");
    h.state_mut().scenario_draft().unwrap().name = "Kept".into();
    h.state_mut().panic_next_jobs(JobKind::Scenario, 1);
    h.state_mut().command(Command::SaveScenario);
    many_frames(&mut h);
    assert!(failed(&h, "Saving the scenario"), "{:?}", texts(&h));
    assert!(!root.join("scenarios/Kept.json").exists());
    assert_eq!(h.state().job_starts(JobKind::Scenario), 2, "not retried");
    h.state_mut().command(Command::SaveScenario);
    many_frames(&mut h);
    assert!(root.join("scenarios/Kept.json").is_file());
    assert!(shows(&h, "Saved the scenario 'Kept'"));

    // The Meeting view's pack is read in a job; a failed read leaves the
    // default pack and is not repeated.
    h.state_mut().panic_next_jobs(JobKind::Pack, 2);
    h.get_by_label("Meeting").click();
    many_frames(&mut h);
    assert_eq!(h.state().job_starts(JobKind::Pack), 1);
    assert!(failed(&h, "Reading the meeting pack"));
    assert!(
        h.query_by_label("Save pack").is_some(),
        "the editor is shown"
    );
    h.get_by_label("Save pack").click();
    many_frames(&mut h);
    assert!(failed(&h, "Saving the meeting pack"));
    let pack = root.join(keel::report::pack::FILE);
    assert!(!pack.exists(), "nothing written");
    h.get_by_label("Save pack").click();
    many_frames(&mut h);
    assert!(shows(&h, "Meeting pack saved"));
    assert!(pack.is_file());

    let mut s = Workspace::open(&root).unwrap().settings().clone();
    s.caseload_limit_standard += 1.0;
    h.state_mut().panic_next_jobs(JobKind::Write, 1);
    h.state_mut()
        .command(Command::SaveSettings(Box::new(s.clone())));
    many_frames(&mut h);
    assert!(failed(&h, "Saving the settings"));
    assert_ne!(Workspace::open(&root).unwrap().settings(), &s);

    let empty = dir.path().join("empty");
    h.state_mut().panic_next_jobs(JobKind::Open, 1);
    h.state_mut()
        .command(Command::NewEmptyWorkspace(Some(empty.clone())));
    many_frames(&mut h);
    assert!(failed(&h, "Creating the workspace"));
    assert!(!Workspace::exists(&empty));
    assert_eq!(h.state().root(), root.as_path());
    h.state_mut()
        .command(Command::NewEmptyWorkspace(Some(empty.clone())));
    many_frames(&mut h);
    assert!(Workspace::exists(&empty));
    assert_eq!(h.state().root(), empty.as_path());
}
