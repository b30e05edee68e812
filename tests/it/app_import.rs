//! The import view as an HR officer repairs a batch in place: refused
//! files named at the top, removed or read again after fixing, a typed
//! path when the picker cannot open, a kind chosen, and the batch rule for
//! files already imported (the command line's side is in
//! `workspace_store`).

use super::app_ui::{harness, texts, wait_idle};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use keel::app::{Command, KeelApp, View};
use keel::workspace::Workspace;
use std::path::{Path, PathBuf};

fn empty_workspace(dir: &Path) -> PathBuf {
    let root = dir.join("ws");
    Workspace::open_or_create(&root).unwrap();
    root
}

fn snapshot(day: &str, ftes: &[&str]) -> String {
    let mut s = String::from("Employee Number,Team,FTE,Contract Type,Extract Date\n");
    for (i, fte) in ftes.iter().enumerate() {
        s.push_str(&format!("{},MASH,{fte},Permanent,{day}\n", 9001 + i));
    }
    s
}

fn on_import(root: PathBuf, files: Vec<PathBuf>) -> Harness<'static, KeelApp> {
    let mut h = harness(root);
    h.get_by_label("Import").click();
    wait_idle(&mut h);
    h.state_mut().command(Command::ReadFiles(files));
    wait_idle(&mut h);
    h
}

fn shown(h: &Harness<'static, KeelApp>, text: &str) -> bool {
    texts(h).iter().any(|t| t.contains(text))
}

#[test]
fn a_refused_file_is_named_at_the_top_and_read_again_after_fixing_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_workspace(dir.path());
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let oct = write("oct.csv", &snapshot("31/10/2026", &["1.0", "0.5"]));
    let nov = write("nov.csv", &snapshot("30/11/2026", &["1.0", "7"]));
    let dec = write("dec.csv", &snapshot("31/12/2026", &["1.0"]));
    let mut h = on_import(root.clone(), vec![oct, nov.clone(), dec]);

    assert!(shown(&h, "1 of 3 file(s) refused"), "{:?}", texts(&h));
    assert!(
        h.get_by_label("Import these files")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("Go to nov.csv").click();
    h.run();
    // The refused file's card is on screen after following the link.
    let card = h.get_by_label("nov.csv").rect();
    assert!(card.top() >= 0.0 && card.top() < 800.0, "{card:?}");

    // Fixed on disk, read again in place: the batch keeps its order.
    std::fs::write(&nov, snapshot("30/11/2026", &["1.0", "0.7"])).unwrap();
    h.get_all_by_label("Read again").nth(1).unwrap().click();
    wait_idle(&mut h);
    assert!(!shown(&h, "refused"), "{:?}", texts(&h));
    let mut order: Vec<String> = texts(&h)
        .into_iter()
        .filter(|t| t.ends_with(".csv") && !t.starts_with("Go to"))
        .collect();
    // A label's node and its text run both carry the text.
    order.dedup();
    assert_eq!(order, ["oct.csv", "nov.csv", "dec.csv"]);

    // One file out of the batch; the others are imported.
    h.get_all_by_label("Remove").next().unwrap().click();
    h.run();
    assert!(h.query_by_label("oct.csv").is_none());
    h.query_by_label("Import these files")
        .or_else(|| h.query_by_label("Accept warnings and import"))
        .unwrap()
        .click();
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    let files: Vec<&str> = ws.manifest().active().map(|r| r.file.as_str()).collect();
    assert_eq!(files, ["nov.csv", "dec.csv"]);
}

/// Ctrl+O opens the Import view, says the picker could not open and why,
/// and gives the path field the keyboard.
fn ctrl_o_says_there_is_no_picker(h: &mut Harness<'static, KeelApp>) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run();
    assert_eq!(h.state().view(), View::Import);
    let why = "The file picker could not open: this computer has no file-chooser service";
    assert!(shown(h, why), "{:?}", texts(h));
    assert!(h.get_by_label("File path").is_focused());
}

#[test]
fn without_a_file_picker_the_app_says_why_and_a_typed_path_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_workspace(dir.path());
    let file = dir.path().join("oct.csv");
    std::fs::write(&file, snapshot("31/10/2026", &["1.0"])).unwrap();
    let mut h = harness(root);
    h.state_mut().without_file_picker();
    ctrl_o_says_there_is_no_picker(&mut h);
    // The path field has the keyboard: type and press Enter.
    h.get_by_label("File path")
        .type_text(&format!("\"{}\"", file.display()));
    h.run();
    h.key_press(egui::Key::Enter);
    wait_idle(&mut h);
    assert!(h.query_by_label("oct.csv").is_some(), "{:?}", texts(&h));
    assert!(
        !shown(&h, "could not open"),
        "the message goes once a file is read"
    );
}

/// The typed path takes several files, one a line or several on a line
/// (quoted where they hold spaces), and a folder for its extracts; a path
/// that names nothing is told by name and nothing is read until it is put
/// right.
#[test]
fn the_typed_path_takes_several_files_and_a_folder_and_names_each_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_workspace(dir.path());
    let oct = dir.path().join("oct 2026.csv");
    std::fs::write(&oct, snapshot("31/10/2026", &["1.0"])).unwrap();
    let nov = dir.path().join("nov.csv");
    std::fs::write(&nov, snapshot("30/11/2026", &["1.0"])).unwrap();
    let folder = dir.path().join("from HR");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("dec.csv"), snapshot("31/12/2026", &["1.0"])).unwrap();
    let gone = [
        dir.path().join("sept.csv"),
        dir.path().join("no such folder"),
    ];
    let mut h = harness(root);
    h.get_by_label("Import").click();
    wait_idle(&mut h);
    h.get_by_label("Type a path…").click();
    h.run();
    let typed = format!(
        "'{}' {}\n{}\n'{}'\n\"{}\"",
        oct.display(),
        nov.display(),
        gone[0].display(),
        folder.display(),
        gone[1].display()
    );
    h.get_by_label("File path").focus();
    h.run();
    h.get_by_label("File path").type_text(&typed);
    h.run();
    h.get_by_label("Read these files").click();
    wait_idle(&mut h);
    for g in &gone {
        let msg = format!("There is no file or folder at '{}'", g.display());
        assert!(shown(&h, &msg), "{msg} not in {:?}", texts(&h));
    }
    assert!(h.query_by_label("nov.csv").is_none(), "nothing is read yet");
    // Put right: the two missing paths taken out, Enter reads the rest.
    h.get_by_label("File path").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    let fixed = format!(
        "'{}' {}\n{}",
        oct.display(),
        nov.display(),
        folder.display()
    );
    h.get_by_label("File path").type_text(&fixed);
    h.run();
    h.key_press(egui::Key::Enter);
    wait_idle(&mut h);
    for name in ["oct 2026.csv", "nov.csv", "dec.csv"] {
        assert!(h.query_by_label(name).is_some(), "{name}: {:?}", texts(&h));
    }
    assert!(!shown(&h, "There is no file or folder"), "{:?}", texts(&h));
}

#[test]
fn a_file_whose_kind_cannot_be_told_is_given_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_workspace(dir.path());
    let file = dir.path().join("sessions.csv");
    std::fs::write(
        &file,
        "Staff ID,Date of Supervision,Team\n1,12/10/2026,MASH\n2,14/10/2026,MASH\n",
    )
    .unwrap();
    let mut h = on_import(root, vec![file]);
    assert!(shown(&h, "choose its kind"), "{:?}", texts(&h));
    assert!(
        !shown(&h, "--kind"),
        "no command-line words: {:?}",
        texts(&h)
    );
    h.get_by_label("Kind of sessions.csv").click();
    h.run();
    h.get_by_label("Supervision log").click();
    wait_idle(&mut h);
    assert!(shown(&h, "Kind: Supervision log"), "{:?}", texts(&h));
    assert!(!shown(&h, "refused"), "{:?}", texts(&h));
}

#[test]
fn a_batch_replacing_a_month_refuses_a_file_already_imported_and_history_says_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_workspace(dir.path());
    let oct = dir.path().join("oct.csv");
    std::fs::write(&oct, snapshot("31/10/2026", &["1.0", "0.5"])).unwrap();
    let leavers = dir.path().join("leavers.csv");
    std::fs::write(&leavers, "Payroll Number,Leaving Date\n9003,15/10/2026\n").unwrap();
    let mut h = on_import(root.clone(), vec![oct, leavers.clone()]);
    h.query_by_label("Accept warnings and import")
        .or_else(|| h.query_by_label("Import these files"))
        .unwrap()
        .click();
    wait_idle(&mut h);
    assert_eq!(Workspace::open(&root).unwrap().manifest().imports.len(), 2);

    let fixed = dir.path().join("oct-fixed.csv");
    std::fs::write(&fixed, snapshot("31/10/2026", &["1.0"])).unwrap();
    h.state_mut()
        .command(Command::ReadFiles(vec![fixed, leavers]));
    wait_idle(&mut h);
    assert!(
        shown(&h, "already imported (import #2 of leavers.csv)"),
        "{:?}",
        texts(&h)
    );
    assert!(shown(&h, "1 of 2 file(s) refused"), "{:?}", texts(&h));
    // Even forced, with the month replaced, the batch stores nothing.
    h.state_mut().command(Command::Import { replace: true });
    wait_idle(&mut h);
    assert_eq!(Workspace::open(&root).unwrap().manifest().imports.len(), 2);

    h.get_all_by_label("Remove").nth(1).unwrap().click();
    h.run();
    h.query_by_label("Accept warnings and import")
        .or_else(|| h.query_by_label("Import these files"))
        .unwrap()
        .click();
    h.run();
    h.get_by_label("Replace and import").click();
    wait_idle(&mut h);
    let ws = Workspace::open(&root).unwrap();
    assert_eq!(ws.manifest().imports.len(), 3);
    h.get_by_label("History").click();
    wait_idle(&mut h);
    assert!(shown(&h, "replaced by #3"), "{:?}", texts(&h));
    let mut shown_texts = texts(&h);
    shown_texts.dedup();
    let actives = shown_texts.iter().filter(|t| *t == "active").count();
    assert_eq!(
        actives,
        2,
        "the leavers file and the replacement: {:?}",
        texts(&h)
    );
}

#[test]
fn an_empty_report_without_a_month_is_given_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = empty_workspace(dir.path());
    let file = dir.path().join("leavers.csv");
    std::fs::write(&file, "Payroll Number,Leaving Date\n").unwrap();
    let mut h = on_import(root, vec![file]);
    assert!(shown(&h, "give the file's month"), "{:?}", texts(&h));
    assert!(
        !shown(&h, "--month"),
        "no command-line words: {:?}",
        texts(&h)
    );
    h.get_by_label("Month of leavers.csv").click();
    h.get_by_label("Month of leavers.csv").type_text("2026-10");
    h.run();
    h.key_press(egui::Key::Enter);
    wait_idle(&mut h);
    assert!(
        shown(
            &h,
            "stored as 2026-10 with no leavers (2026-10 given for the file)"
        ),
        "{:?}",
        texts(&h)
    );
    assert!(!shown(&h, "refused"), "{:?}", texts(&h));
}

/// The real picker, not the test hook: this test runs itself again in a
/// child process whose environment has no file-chooser service, once with
/// nothing at all (the app does not ask rfd) and once with a zenity that
/// cannot open a display (the app asks rfd, whose portal finds no session
/// bus and whose zenity answers at once with nothing). Both times Ctrl+O
/// must say why and hand the keyboard to the path field. What cannot be
/// run headless: a working portal or zenity, where a person would choose
/// or cancel (the half-second rule tells a cancel from a failure).
#[test]
fn without_a_picker_service_the_real_picker_says_why() {
    const CHILD: &str = "KEEL_TEST_PICKER_CHILD";
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = harness(empty_workspace(dir.path()));
        ctrl_o_says_there_is_no_picker(&mut h);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (empty, with_zenity) = (dir.path().join("empty"), dir.path().join("bin"));
    std::fs::create_dir(&empty).unwrap();
    std::fs::create_dir(&with_zenity).unwrap();
    let zenity = with_zenity.join("zenity");
    std::fs::write(
        &zenity,
        "#!/bin/sh\n: > \"$0.ran\"\necho 'cannot open display' >&2\nexit 1\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let name = "app_import::without_a_picker_service_the_real_picker_says_why";
    for (path, display) in [(&empty, None), (&with_zenity, Some(":99"))] {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args([name, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .env("PATH", path)
            .env("XDG_RUNTIME_DIR", &empty)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}/bus", empty.display()),
            )
            .env_remove("WAYLAND_DISPLAY");
        match display {
            Some(d) => child.env("DISPLAY", d),
            None => child.env_remove("DISPLAY"),
        };
        let out = child.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{path:?}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("1 passed"), "{text}");
    }
    // The second time, the real rfd ran the zenity it found.
    assert!(with_zenity.join("zenity.ran").exists());
}
