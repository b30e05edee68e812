//! Every view and meeting slide at the three window sizes a council's
//! laptops and projectors give (1024×700, 1280×720, 1920×1080), light and
//! dark, rendered with wgpu (Mesa's software renderer, see the stack notes)
//! and compared with the snapshots in `tests/snapshots/`, so a layout
//! regression fails. `UPDATE_SNAPSHOTS=true` writes them again after a
//! change that is meant. Beside the pictures, layout checks that do not
//! depend on pixels: every labelled widget inside the window, and no two
//! text labels drawn over each other.

use super::app_ui::{sample_workspace, wait_idle};
use eframe::egui;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use egui_kittest::{Harness, SnapshotOptions};
use keel::app::{Command, KeelApp, View};
use keel::report::pack::{Pack, Slide};
use std::path::PathBuf;

pub const SIZES: [(f32, f32); 3] = [(1024.0, 700.0), (1280.0, 720.0), (1920.0, 1080.0)];

fn harness_at(root: PathBuf, (w, h): (f32, f32)) -> Harness<'static, KeelApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(w, h))
        .build_ui_state(
            |ui, app: &mut KeelApp| app.show(ui),
            KeelApp::new_for_test(root),
        );
    wait_idle(&mut h);
    h
}

/// What must hold on any screen: every node with a label lies inside the
/// window (a tile or column cut off at the edge fails), and no two text
/// labels overlap by more than a sliver (labels drawn over each other).
fn check_layout(h: &Harness<'static, KeelApp>, screen: &str, (w, hgt): (f32, f32)) -> Vec<String> {
    let mut problems = Vec::new();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, hgt)).expand(1.0);
    let mut labels: Vec<(String, egui::Rect)> = Vec::new();
    for node in h.root().query_all(egui_kittest::kittest::by()) {
        let a = node.accesskit_node();
        let Some(b) = a.bounding_box() else { continue };
        let r = egui::Rect::from_min_max(
            egui::pos2(b.x0 as f32, b.y0 as f32),
            egui::pos2(b.x1 as f32, b.y1 as f32),
        );
        let text = a.label().or(a.value()).unwrap_or_default().to_string();
        if text.is_empty() || r.width() < 1.0 || r.height() < 1.0 {
            continue;
        }
        // Inside a scroll area a node may be scrolled out of view; what is
        // drawn is clipped to it, which accesskit does not say. Only text
        // that starts on screen must also end on it (cut off sideways).
        if r.min.x >= 0.0
            && r.min.x < w
            && r.min.y >= 0.0
            && r.max.y <= hgt
            && r.max.x > window.max.x
        {
            problems.push(format!(
                "{screen}: '{text}' runs off the right edge ({r:?})"
            ));
        }
        if a.role() == egui::accesskit::Role::Label && r.min.y >= 0.0 && r.max.y <= hgt {
            labels.push((text, r));
        }
    }
    // The shell's status line sits over the bottom of a scrolled view;
    // what scrolls under it is clipped, which accesskit does not report,
    // so overlaps with it are not drawing faults.
    labels.retain(|(t, _)| !t.starts_with("Ctrl+O import"));
    // Likewise the results scroll under the open calibration panel; the
    // snapshot is that screen's check.
    if screen.ends_with("scenarios-calibration") {
        labels.clear();
    }
    for (i, (ta, ra)) in labels.iter().enumerate() {
        for (tb, rb) in &labels[i + 1..] {
            let o = ra.intersect(*rb);
            if o.is_positive() && o.area() > 0.25 * ra.area().min(rb.area()) {
                problems.push(format!("{screen}: '{ta}' {ra:?} overlaps '{tb}' {rb:?}"));
            }
        }
    }
    problems
}

/// Text that changes from run to run (the temporary workspace's path, the
/// time of each import) is masked out of the comparison.
fn mask_varying(h: &mut Harness<'static, KeelApp>, root: &std::path::Path) {
    let root = root.display().to_string();
    let tmp = root.split("/ws").next().unwrap_or(&root).to_string();
    let mut rects = Vec::new();
    for node in h.root().query_all(egui_kittest::kittest::by()) {
        let a = node.accesskit_node();
        let text = a.label().or(a.value()).unwrap_or_default().to_string();
        let stamp = text.len() >= 16
            && text.as_bytes()[2] == b'/'
            && text.as_bytes()[5] == b'/'
            && text.contains(':');
        if (text.contains(&tmp) || stamp)
            && let Some(b) = a.bounding_box()
        {
            rects.push(egui::Rect::from_min_max(
                egui::pos2(b.x0 as f32, b.y0 as f32),
                egui::pos2(b.x1 as f32, b.y1 as f32),
            ));
        }
    }
    for r in rects {
        h.mask(r);
    }
}

fn shoot(
    h: &mut Harness<'static, KeelApp>,
    name: &str,
    size: (f32, f32),
    problems: &mut Vec<String>,
) {
    problems.extend(check_layout(h, name, size));
    let root = h.state().root().to_path_buf();
    mask_varying(h, &root);
    let dir = std::env::var_os("KEEL_SHOTS").map(PathBuf::from);
    if let Some(dir) = dir {
        // For looking at them by eye, without comparing.
        let img = h.render().expect("render");
        std::fs::create_dir_all(&dir).unwrap();
        img.save(dir.join(format!("{name}.png"))).unwrap();
    } else if name.ends_with("-teams") || name.ends_with("-settings") {
        // Layout checks only: the Teams view lists workers by pseudonyms
        // keyed afresh for each temporary workspace, and Settings shows
        // its path, so their pixels differ from run to run.
    } else {
        // Text rasterised by another Mesa may differ in a few pixels.
        let opts = SnapshotOptions::new().threshold(1.2).max_failed_pixels(600);
        h.snapshot_options(name, &opts);
    }
}

/// The sample's improvement plan, so the Plan view and the meeting's plan
/// slide are shown full, as a council that has one sees them.
fn plan(root: &std::path::Path) {
    let mut ws = keel::workspace::Workspace::open(root).unwrap();
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/improvement_plan.csv");
    keel::plan::store::import(&mut ws, &file, None).unwrap();
}

/// The Plan view judges its items as at a date, today unless one is
/// typed: the sample's last month end, so the picture does not change
/// with the day it is taken.
pub const PLAN_AS_AT: &str = "30/09/2026";

fn pack(root: &std::path::Path) {
    let pack = Pack {
        slides: vec![
            Slide::Summary,
            Slide::Plan,
            Slide::Metric {
                metric: keel::measure::Measure::SupervisionCompliance.name().into(),
            },
            Slide::Scenario {
                name: "Team scenario".into(),
            },
        ],
        months: Some(24),
        group: keel::metrics::table::Group::all(),
    };
    keel::report::pack::save(root, &pack).unwrap();
    let team = keel::scenario::persist::Scenario {
        team: Some("Assessment East".into()),
        ..keel::scenario::persist::Scenario::new("Team scenario")
    };
    keel::scenario::persist::save(root, &team).unwrap();
}

#[test]
fn every_view_and_slide_at_three_sizes_light_and_dark() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    plan(&root);
    pack(&root);
    let mut problems = Vec::new();
    let mut results = egui_kittest::SnapshotResults::new();
    for size in SIZES {
        for dark in [false, true] {
            let tag = format!(
                "{}x{}-{}",
                size.0,
                size.1,
                if dark { "dark" } else { "light" }
            );
            let mut h = harness_at(root.clone(), size);
            if h.state().dark() != dark {
                h.state_mut().command(Command::ToggleTheme);
                wait_idle(&mut h);
            }
            for view in View::ALL {
                h.state_mut().command(Command::SetView(view));
                wait_idle(&mut h);
                if view == View::Plan {
                    let as_at = h.get(
                        egui_kittest::kittest::by()
                            .label("As at")
                            .role(egui::accesskit::Role::TextInput),
                    );
                    as_at.focus();
                    as_at.type_text(PLAN_AS_AT);
                    h.run();
                    // Off the field, so no text cursor blinks in the picture.
                    h.key_press(egui::Key::Escape);
                    wait_idle(&mut h);
                }
                shoot(
                    &mut h,
                    &format!("{tag}-{view:?}").to_lowercase(),
                    size,
                    &mut problems,
                );
            }
            // The typed path, as a computer without a file picker shows
            // it: a folder and a path that names nothing, told by name.
            h.state_mut().command(Command::SetView(View::Import));
            wait_idle(&mut h);
            h.get_by_label("Type a path…").click();
            wait_idle(&mut h);
            let field =
                h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "File path");
            field.focus();
            // Relative to the package (the tests' working folder), so the
            // picture is the same wherever the repository is checked out.
            field.type_text("sample-data\n'from HR/october 2026.csv'");
            wait_idle(&mut h);
            h.get_by_label("Read these files").click();
            wait_idle(&mut h);
            shoot(
                &mut h,
                &format!("{tag}-import-typed-path"),
                size,
                &mut problems,
            );
            // The names bar's path field, with a folder and a second path
            // refused (layout checks only: the Teams view lists pseudonyms).
            h.state_mut().without_file_picker();
            h.state_mut().command(Command::SetView(View::Teams));
            wait_idle(&mut h);
            h.get_by_label("Show names from an extract…").click();
            wait_idle(&mut h);
            h.get_by_label("Extract path")
                .type_text("sample-data 'from HR/october 2026.xlsx'");
            wait_idle(&mut h);
            h.get_by_label("Read names").click();
            wait_idle(&mut h);
            shoot(
                &mut h,
                &format!("{tag}-names-path-teams"),
                size,
                &mut problems,
            );
            // The calibration opens in its own panel: the chart stays.
            h.state_mut().command(Command::SetView(View::Scenarios));
            wait_idle(&mut h);
            h.get_by_label("Calibration").click();
            wait_idle(&mut h);
            shoot(
                &mut h,
                &format!("{tag}-scenarios-calibration"),
                size,
                &mut problems,
            );
            h.get_by_label("Calibration").click();
            wait_idle(&mut h);
            h.key_press(egui::Key::F5);
            wait_idle(&mut h);
            let mut seen = Vec::new();
            while let Some(slide) = h.state().meeting_slide() {
                if seen.contains(&slide) {
                    break;
                }
                let short = slide.split(':').next().unwrap_or("").to_lowercase();
                let short = short.replace(' ', "-");
                shoot(
                    &mut h,
                    &format!("{tag}-meeting-{short}"),
                    size,
                    &mut problems,
                );
                seen.push(slide);
                h.key_press(egui::Key::ArrowRight);
                wait_idle(&mut h);
            }
            assert_eq!(seen.len(), 4, "{seen:?}");
            h.key_press(egui::Key::Escape);
            h.run();
            results.extend_harness(&mut h);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    results.unwrap();
}

/// An empty workspace's Scenarios view says there is nothing to calibrate
/// from, and settles (a spinner would keep asking for frames, and `run`
/// fails on that).
#[test]
fn the_empty_workspace_scenarios_view_says_there_is_no_data() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("empty");
    keel::workspace::Workspace::open_or_create(&root).unwrap();
    let mut h = harness_at(root, (1024.0, 700.0));
    h.state_mut().command(Command::SetView(View::Scenarios));
    wait_idle(&mut h);
    h.run();
    let shown = super::app_ui::texts(&h);
    assert!(
        shown
            .iter()
            .any(|t| t == "There is no data to calibrate from"),
        "{shown:?}"
    );
    assert!(
        !shown.iter().any(|t| t.contains("Calibrating")),
        "{shown:?}"
    );
}

/// The calibration panel names each parameter in plain words, never by
/// its code name.
#[test]
fn the_calibration_panel_speaks_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample_workspace(dir.path());
    let mut h = harness_at(root, (1280.0, 720.0));
    h.state_mut().command(Command::SetView(View::Scenarios));
    wait_idle(&mut h);
    h.get_by_label("Calibration").click();
    wait_idle(&mut h);
    let shown = super::app_ui::texts(&h);
    assert!(
        shown
            .iter()
            .any(|t| t == "Chance an NQSW leaves in a month"),
        "{shown:?}"
    );
    assert!(shown.iter().any(|t| t == "Agency FTE for each vacant FTE"));
    for code in [
        "leave_probability",
        "agency_cover_of_vacancies",
        "fte_per_head",
    ] {
        assert!(
            !shown.iter().any(|t| t.starts_with(code)),
            "{code} shown as a name"
        );
    }
    // The chart is still there beside it.
    assert!(shown.iter().any(|t| t == "Actual"), "{shown:?}");
}
