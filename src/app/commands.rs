//! Applying the commands views emit: the only place that opens native
//! dialogs, starts imports and writes to the workspace.

use super::jobs::Job;
use super::state::{Command, Group, View};
use super::{Confirm, KeelApp, Notice, import};
use crate::workspace::Workspace;
use eframe::egui;
use std::path::{Path, PathBuf};

impl KeelApp {
    pub(super) fn apply(&mut self, ctx: &egui::Context) {
        for c in std::mem::take(&mut self.commands) {
            self.apply_one(ctx, c);
        }
    }

    fn apply_one(&mut self, ctx: &egui::Context, c: Command) {
        match c {
            Command::SetView(v) => {
                if v == View::Meeting && self.persisted.view != View::Meeting {
                    // Read the pack and the scenario list afresh.
                    self.pack_draft = None;
                }
                self.persisted.view = v;
            }
            Command::SelectMonth(m) => self.month = Some(m),
            Command::SelectGroup(g) => self.group = g,
            Command::PickFiles => {
                // Without a desktop portal or zenity (a bare X server) the
                // dialog returns None at once; dropping files still works.
                if let Some(files) = rfd::FileDialog::new()
                    .set_title("Choose HR extracts to import")
                    .add_filter("Extracts", &["csv", "xlsx", "txt"])
                    .pick_files()
                {
                    self.commands.push(Command::ReadFiles(files));
                }
            }
            Command::ReadFiles(files) => {
                self.start_read(files.into_iter().map(|p| (p, None)).collect())
            }
            Command::Remap(i) => {
                if i < self.pending.len() {
                    let p = self.pending.remove(i);
                    let profile = p.profile();
                    self.start_read(vec![(p.path, Some(profile))]);
                }
            }
            Command::ClearPending => self.pending.clear(),
            Command::CancelRead => {
                // The reading thread finishes on its own and its result is
                // dropped with the job: reading stores nothing, so there is
                // nothing to undo.
                if self.running.read.take().is_some() {
                    self.notice = Some(Notice::Info(
                        "Reading cancelled; nothing was stored.".into(),
                    ));
                }
            }
            Command::Import { replace } => self.import(replace),
            Command::AskUndo => {
                if self.model.as_ref().is_some_and(|m| m.can_undo()) {
                    self.confirm = Some(Confirm::Undo);
                } else {
                    self.notice = Some(Notice::Info("There is no import to undo.".into()));
                }
            }
            Command::Undo => self.start_write("Undoing the last import", |ws| {
                let undone = ws.undo().map_err(|e| e.to_string())?;
                let files: Vec<String> = undone.iter().map(|r| r.file.clone()).collect();
                Ok(format!("Undone: {}", files.join(", ")))
            }),
            Command::SaveSettings(s) => {
                let s = *s;
                if let Err(e) = s.check() {
                    self.notice = Some(Notice::Error(format!("Settings not saved: {e}")));
                    return;
                }
                self.start_write("Saving the settings", move |ws| {
                    ws.save_settings(s).map_err(|e| e.to_string())?;
                    Ok("Settings saved; the metrics are being recomputed.".into())
                });
            }
            Command::PickEmptyWorkspace => {
                let dir = rfd::FileDialog::new()
                    .set_title("Choose an empty folder for the new workspace")
                    .pick_folder();
                self.commands.push(Command::NewEmptyWorkspace(dir));
            }
            Command::NewEmptyWorkspace(dir) => self.new_workspace(dir),
            Command::PickWorkspace => {
                if let Some(dir) = rfd::FileDialog::new()
                    .set_title("Open a Keel workspace folder")
                    .pick_folder()
                {
                    self.commands.push(Command::OpenWorkspace(dir));
                }
            }
            Command::OpenWorkspace(dir) => {
                if Workspace::exists(&dir) {
                    self.switch_to(dir, View::Dashboard);
                    self.notice = Some(Notice::Info(format!("Opened {}", self.root.display())));
                } else {
                    self.notice = Some(Notice::Error(format!(
                        "{} is not a Keel workspace (it has no keel.json): choose the folder a workspace is in, or create a new one there",
                        dir.display()
                    )));
                }
            }
            Command::SaveProfile { index, path } => self.save_profile(index, path),
            Command::CopyText(t) => {
                ctx.copy_text(t);
                self.notice = Some(Notice::Info("Copied: paste it into a spreadsheet.".into()));
            }
            Command::SaveCsv { name, text } => {
                let Some(path) = rfd::FileDialog::new()
                    .set_title("Save the problems as CSV")
                    .set_file_name(&name)
                    .add_filter("CSV", &["csv"])
                    .save_file()
                else {
                    return;
                };
                self.notice = Some(match std::fs::write(&path, text) {
                    Ok(()) => Notice::Info(format!("Saved {}", path.display())),
                    Err(e) => Notice::Error(format!(
                        "Cannot save {}: {e}; choose another folder",
                        path.display()
                    )),
                });
            }
            Command::ToggleTheme => self.persisted.dark = !self.persisted.dark,
            Command::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
            Command::SavePack(pack) => {
                if let Err(e) = crate::report::pack::save(&self.root, &pack) {
                    self.notice = Some(Notice::Error(format!("Cannot save the meeting pack: {e}")));
                } else {
                    self.notice = Some(Notice::Info("Meeting pack saved".into()));
                }
            }
            Command::SaveChart { metric, path } => self.save_chart(&metric, path),
            Command::SaveSpec { spec, name, path } => self.save_spec(*spec, &name, path),
            Command::PickBenchmark => {
                if let Some(f) = rfd::FileDialog::new()
                    .set_title("Choose a DfE workforce indicators or statistical neighbours CSV")
                    .add_filter("CSV", &["csv"])
                    .pick_file()
                {
                    self.commands.push(Command::ImportBenchmark(f));
                }
            }
            Command::ImportBenchmark(file) => {
                self.start_write("Importing the benchmark file", move |ws| {
                    let mut source =
                        crate::benchmark::read_source(&file).map_err(|e| e.to_string())?;
                    let r = ws
                        .import_benchmark(&mut source, &file)
                        .map_err(|e| e.to_string())?;
                    Ok(format!(
                        "Imported {} ({}, {} rows, {} warnings)",
                        r.file,
                        r.kind.name(),
                        r.rows_read,
                        r.warnings
                    ))
                });
            }
            Command::ChooseCouncil(query) => self.choose_council(query),
            Command::ExportMetrics(path) => self.export_metrics(path),
            Command::WriteReport(path) => self.write_report(path),
            Command::StartMeeting => self.start_meeting(ctx),
            c @ (Command::OpenScenario(_)
            | Command::SaveScenario
            | Command::NewScenario
            | Command::DuplicateScenario
            | Command::RenameScenario
            | Command::CompareScenarios(_)) => self.scenario_command(c),
            Command::SlideStep(n) => {
                if let Some(m) = &mut self.meeting {
                    m.step(n);
                }
            }
            Command::EndMeeting => {
                self.meeting = None;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
        }
    }

    fn choose_council(&mut self, query: String) {
        let Some((ind, sn)) = self.model.as_ref().and_then(|m| m.benchmark_data.clone()) else {
            return;
        };
        if query.is_empty() || self.running.bench.is_some() {
            return;
        }
        self.persisted.council = query.clone();
        let dfe: Vec<&'static str> = super::benchmarks::measures().iter().map(|m| m.1).collect();
        self.running.bench = Some(Job::spawn(
            "Comparing with the council",
            self.ctx.clone(),
            move |_| {
                crate::benchmark::view::council_view(&ind, sn.as_ref(), &query, &dfe)
                    .map_err(|e| e.to_string())
            },
        ));
    }

    /// Run output work (rendering, writing files) off the UI thread.
    fn start_output(
        &mut self,
        name: &'static str,
        work: impl FnOnce() -> Result<String, String> + Send + 'static,
    ) {
        if self.running.output.is_some() {
            self.notice = Some(Notice::Error(
                "A file is still being written: wait for it to finish.".into(),
            ));
            return;
        }
        self.running.output = Some(Job::spawn(name, self.ctx.clone(), move |_| work()));
    }

    fn save_chart(&mut self, metric: &str, path: Option<PathBuf>) {
        let Some(model) = &self.model else { return };
        let last = self.month.or(model.latest_month());
        let from = self
            .persisted
            .range
            .months()
            .zip(last)
            .map(|(n, l)| l - (n - 1));
        let spec = crate::report::chart::ChartSpec::for_metric(
            &model.metrics,
            metric,
            std::slice::from_ref(&self.group),
            &model.settings,
            from,
            last,
        );
        match spec {
            Ok(spec) => self.save_spec(spec, metric, path),
            Err(e) => self.notice = Some(Notice::Error(e.to_string())),
        }
    }

    /// Save a chart as drawn by the images renderer, PNG or SVG by the
    /// file's extension, at the chosen image size.
    fn save_spec(
        &mut self,
        spec: crate::report::chart::ChartSpec,
        stem: &str,
        path: Option<PathBuf>,
    ) {
        let Some(path) = path.or_else(|| {
            rfd::FileDialog::new()
                .set_title("Save the chart")
                .set_file_name(format!("{stem}.png"))
                .add_filter("PNG image", &["png"])
                .add_filter("SVG image", &["svg"])
                .save_file()
        }) else {
            return;
        };
        let (w, h) = self.persisted.image_size.pixels();
        self.start_output("Saving the chart", move || {
            crate::report::chart::save(&spec, &path, w, h)
                .map(|()| format!("Saved {} ({w}×{h})", path.display()))
                .map_err(|e| e.to_string())
        });
    }

    fn export_metrics(&mut self, path: Option<PathBuf>) {
        let Some(path) = path.or_else(|| {
            rfd::FileDialog::new()
                .set_title("Export the metrics")
                .set_file_name("keel-metrics.xlsx")
                .add_filter("Excel workbook", &["xlsx"])
                .add_filter("CSV", &["csv"])
                .save_file()
        }) else {
            return;
        };
        let root = self.root.clone();
        self.start_output("Exporting the metrics", move || {
            crate::report::export::ExportFormat::of(&path).map_err(|e| e.to_string())?;
            let (_, _, df) = crate::report::workspace_metrics(&root).map_err(|e| e.to_string())?;
            let rows = crate::report::export::rows(&df, None).map_err(|e| e.to_string())?;
            crate::report::export::write(&rows, &path).map_err(|e| e.to_string())?;
            Ok(format!(
                "Exported {} rows to {}",
                rows.height(),
                path.display()
            ))
        });
    }

    fn write_report(&mut self, path: Option<PathBuf>) {
        let Some(path) = path.or_else(|| {
            rfd::FileDialog::new()
                .set_title("Save the board report")
                .set_file_name("keel-board-report.pdf")
                .add_filter("PDF", &["pdf"])
                .save_file()
        }) else {
            return;
        };
        let scenarios = crate::report::pack::load(&self.root)
            .map(|p| {
                p.slides
                    .into_iter()
                    .filter_map(|s| match s {
                        crate::report::pack::Slide::Scenario { name } => Some(PathBuf::from(name)),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut scenarios: Vec<PathBuf> = scenarios;
        if scenarios.len() > crate::scenario::compare::MAX_SCENARIOS {
            scenarios.truncate(crate::scenario::compare::MAX_SCENARIOS);
            self.notice = Some(Notice::Info(format!(
                "The report compares the first {} scenarios of the meeting pack.",
                crate::scenario::compare::MAX_SCENARIOS
            )));
        }
        let opts = crate::report::board::Options {
            month: self.month,
            group: (self.group.kind != crate::metrics::GroupKind::All)
                .then(|| self.group.name.clone()),
            scenarios,
            ..Default::default()
        };
        let root = self.root.clone();
        self.start_output("Writing the board report", move || {
            let r = crate::report::board::write(&root, &opts, &path).map_err(|e| e.to_string())?;
            Ok(format!("Saved {} ({} pages)", path.display(), r.pages))
        });
    }

    fn start_meeting(&mut self, ctx: &egui::Context) {
        if self.model.is_none() {
            return;
        }
        let pack = match &self.pack_draft {
            Some((p, _)) => Ok(p.clone()),
            None => crate::report::pack::load(&self.root),
        };
        let pack = match pack {
            Ok(p) => p,
            Err(e) => {
                self.notice = Some(Notice::Error(format!("{e}; the default pack is shown")));
                crate::report::pack::Pack::default()
            }
        };
        let names: Vec<String> = pack
            .slides
            .iter()
            .filter_map(|s| match s {
                crate::report::pack::Slide::Scenario { name } => Some(name.clone()),
                _ => None,
            })
            .collect();
        let mut meeting = super::meeting::Meeting::new(pack);
        if names.is_empty() {
            meeting.projections = Some(Vec::new());
        } else {
            let root = self.root.clone();
            self.running.project = Some(Job::spawn(
                "Projecting the scenarios",
                self.ctx.clone(),
                move |_| project_all(&root, &names),
            ));
        }
        self.meeting = Some(meeting);
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
    }

    fn save_profile(&mut self, index: usize, path: Option<PathBuf>) {
        let Some(pending) = self.pending.get(index) else {
            return;
        };
        let stem = pending
            .file_name
            .rsplit_once('.')
            .map_or(pending.file_name.as_str(), |s| s.0);
        let path = path.or_else(|| {
            rfd::FileDialog::new()
                .set_title("Save the mapping as an import profile")
                .set_file_name(format!("{stem}-profile.json"))
                .add_filter("Import profile", &["json"])
                .save_file()
        });
        let Some(path) = path else {
            return;
        };
        match std::fs::write(&path, pending.profile().to_json()) {
            Ok(()) => {
                self.persisted.profiles.retain(|p| *p != path);
                self.persisted.profiles.push(path.clone());
                self.notice = Some(Notice::Info(format!(
                    "Saved the mapping to {}; Keel applies it to files with the same headers, and `keel import --profile` reads it.",
                    path.display()
                )));
            }
            Err(e) => {
                self.notice = Some(Notice::Error(format!(
                    "Cannot save {}: {e}; choose another folder",
                    path.display()
                )))
            }
        }
    }

    fn start_read(&mut self, files: Vec<(PathBuf, Option<crate::extract::ImportProfile>)>) {
        if files.is_empty() {
            return;
        }
        if self.running.read.is_some() {
            self.notice = Some(Notice::Error(
                "Files are still being read: wait for them before adding more.".into(),
            ));
            return;
        }
        let hours = self
            .model
            .as_ref()
            .map_or(37.0, |m| m.settings.standard_hours);
        let saved = self.persisted.profiles.clone();
        self.running.read = Some(Job::spawn("Reading files", self.ctx.clone(), move |p| {
            import::read_all(files, hours, &saved, p)
        }));
    }

    fn import(&mut self, replace: bool) {
        let Some(extracts) = import::ready(&self.pending) else {
            self.notice = Some(Notice::Error(
                "Fix the files with errors (or remove them) before importing.".into(),
            ));
            return;
        };
        if let (false, Some(model)) = (replace, &self.model) {
            let held = import::months_held(&extracts, model);
            if !held.is_empty() {
                self.confirm = Some(Confirm::Replace(held));
                return;
            }
        }
        self.pending.clear();
        self.start_write("Importing", move |ws| {
            let stored = ws.import(extracts, replace).map_err(|e| e.to_string())?;
            let rows: usize = stored.records.iter().map(|r| r.rows).sum();
            Ok(format!(
                "Imported {} file(s), {rows} rows. Ctrl+Z undoes it.",
                stored.records.len()
            ))
        });
    }

    fn new_workspace(&mut self, dir: Option<PathBuf>) {
        let dir = dir.unwrap_or_else(|| next_empty_dir(&crate::workspace::default_root()));
        match Workspace::open_or_create(&dir) {
            Ok(_) => {
                self.switch_to(dir, View::Import);
                self.notice = Some(Notice::Info(format!(
                    "Started an empty workspace in {}. Import your extracts here.",
                    self.root.display()
                )));
            }
            Err(e) => {
                self.notice = Some(Notice::Error(format!(
                    "Cannot create a workspace in {}: {e}",
                    dir.display()
                )))
            }
        }
    }
}

impl KeelApp {
    /// Leave this workspace's data behind and load `dir`'s, remembering it
    /// for the next start.
    fn switch_to(&mut self, dir: PathBuf, view: View) {
        self.root = dir;
        self.persisted.workspace = Some(self.root.clone());
        self.model = None;
        self.month = None;
        self.group = Group::all();
        self.pending.clear();
        self.scenario_ui = None;
        self.pack_draft = None;
        self.bench_view = None;
        // Work on the old workspace is dropped, never applied to the new.
        let r = &mut self.running;
        (r.calibrate, r.simulate, r.compare, r.project, r.bench) = (None, None, None, None, None);
        r.attention = None;
        self.attention = None;
        self.persisted.view = view;
        self.start_load(false);
    }
}

/// `<default>/../workspace-empty-N`, the first N not already taken.
fn next_empty_dir(default: &Path) -> PathBuf {
    let parent = default.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| parent.join(format!("workspace-empty-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| parent.join("workspace-empty"))
}

/// Project each named scenario (1,000 runs, its own horizon), collecting
/// what could not be projected instead of stopping at the first.
pub(super) fn project_all(
    root: &Path,
    names: &[String],
) -> (super::meeting::Projections, Vec<String>) {
    use crate::scenario::{self, persist};
    let mut done = Vec::new();
    let mut problems = Vec::new();
    let mut observers = match scenario::observers(root) {
        Ok(o) => o,
        Err(e) => return (done, vec![e.to_string()]),
    };
    for name in names {
        let run = persist::load(&persist::path_of(root, name)).and_then(|mut s| {
            // Slides and comparisons know a scenario by its file's name.
            s.name.clone_from(name);
            let months = s.months.unwrap_or(24);
            let observed = observers.get(s.team.as_deref())?;
            scenario::project_scenario(observed, &s, months, 1000, None).map(|p| (s, p))
        });
        match run {
            Ok(pair) => done.push(pair),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    (done, problems)
}
