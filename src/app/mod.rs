//! The desktop app. For now a window that opens the workspace (loading the
//! sample data on first run, off the UI thread) and says what it holds.

use crate::workspace::Workspace;
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc;

enum Load {
    Running(mpsc::Receiver<Result<Summary, String>>),
    Done(Result<Summary, String>),
}

struct Summary {
    sample: bool,
    imports: usize,
    months: Vec<String>,
}

pub struct KeelApp {
    root: PathBuf,
    load: Load,
}

impl KeelApp {
    pub fn new(root: PathBuf) -> KeelApp {
        let (tx, rx) = mpsc::channel();
        let r = root.clone();
        std::thread::spawn(move || {
            let result =
                crate::first_run::open_or_start(&r).map(|(ws, sample)| summarise(&ws, sample));
            let _ = tx.send(result.map_err(|e| e.to_string()));
        });
        KeelApp {
            root,
            load: Load::Running(rx),
        }
    }
}

fn summarise(ws: &Workspace, sample: bool) -> Summary {
    Summary {
        sample,
        imports: ws.manifest().active().count(),
        months: ws
            .manifest()
            .months_held(crate::extract::Kind::Workforce)
            .iter()
            .map(|m| m.to_string())
            .collect(),
    }
}

impl eframe::App for KeelApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if let Load::Running(rx) = &self.load {
            match rx.try_recv() {
                Ok(r) => self.load = Load::Done(r),
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.load = Load::Done(Err("loading stopped unexpectedly".into()))
                }
                Err(mpsc::TryRecvError::Empty) => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            ui.heading("Keel");
            ui.label(format!("Workspace: {}", self.root.display()));
            ui.separator();
            match &self.load {
                Load::Running(_) => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Opening the workspace…");
                    });
                }
                Load::Done(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, format!("Cannot open the workspace: {e}"));
                }
                Load::Done(Ok(s)) => {
                    if s.sample {
                        ui.label("This workspace holds the bundled SAMPLE data of a fictional council.");
                    }
                    ui.label(format!("{} imports; workforce snapshots for {} months", s.imports, s.months.len()));
                    if let (Some(a), Some(b)) = (s.months.first(), s.months.last()) {
                        ui.label(format!("From {a} to {b}."));
                    }
                    ui.label("Dashboards arrive with the desktop-app milestone; use `keel import` and `keel history` meanwhile.");
                }
            }
        });
    }
}

pub fn run(root: PathBuf) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(format!("Keel — {}", root.display()))
            .with_app_id("uk.keel.Keel")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Keel",
        options,
        Box::new(move |_cc| Ok(Box::new(KeelApp::new(root)))),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}
