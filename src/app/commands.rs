//! Applying the commands views emit: the only place that opens native
//! dialogs, starts imports and writes to the workspace.

use super::jobs::JobKind;
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
                if v != self.persisted.view {
                    // Names are for the view they were read in, while it
                    // is open.
                    self.drop_names();
                }
                if v == View::Meeting && self.persisted.view != View::Meeting {
                    // Read the pack and the scenario list afresh.
                    self.pack_draft = None;
                    self.pack_asked = false;
                }
                self.persisted.view = v;
            }
            Command::SelectMonth(m) => self.month = Some(m),
            Command::SelectGroup(g) => self.group = g,
            Command::PickFiles => match self.pick_files() {
                Picked::Files(files) => {
                    self.import_ui.picker_failed = None;
                    self.commands.push(Command::ReadFiles(files));
                }
                Picked::Cancelled => {}
                Picked::Unavailable(why) => {
                    self.import_ui.picker_failed = Some(why);
                    self.import_ui.typing_path = true;
                }
            },
            Command::ReadFiles(files) => {
                self.start_read(files.into_iter().map(import::ToRead::plain).collect())
            }
            Command::Remap(i) => {
                if let Some(p) = self.pending.get(i) {
                    let again = p.again();
                    self.start_read(vec![again]);
                }
            }
            Command::CheckReturn(path) => self.check_return(path),
            Command::RemovePending(i) => {
                if i < self.pending.len() {
                    let p = self.pending.remove(i);
                    self.notice = Some(Notice::Info(format!(
                        "Removed {} from the files to import.",
                        p.file_name
                    )));
                }
            }
            Command::ClearPending => self.pending.clear(),
            Command::ShowNames(path) => self.show_names(path),
            Command::HideNames => self.drop_names(),
            Command::CancelJob(kind) => {
                // The thread finishes on its own and its result is dropped
                // with the job: only work that stores nothing can be
                // cancelled, so there is nothing to undo.
                if let Some(text) = kind.cancelled_text()
                    && self.jobs.cancel(|k| k == kind)
                {
                    self.notice = Some(Notice::Info(text.into()));
                }
            }
            Command::RetryScenario => self.retry_scenario(),
            Command::Import { replace } => self.import(replace),
            Command::AskUndo => {
                if self.model.as_ref().is_some_and(|m| m.can_undo()) {
                    self.confirm = Some(Confirm::Undo);
                } else {
                    self.notice = Some(Notice::Info(
                        "There is nothing to undo: no import or plan change.".into(),
                    ));
                }
            }
            Command::Undo => self.start_write("Undoing the last change", |ws| {
                match ws.undo().map_err(|e| e.to_string())? {
                    crate::workspace::Undone::Imports(undone) => {
                        let files: Vec<String> = undone.iter().map(|r| r.file.clone()).collect();
                        Ok(format!("Undone: {}", files.join(", ")))
                    }
                    crate::workspace::Undone::PlanEdit(e) => Ok(format!(
                        "Undone plan change #{}: {}",
                        e.id,
                        super::model::readable(&e.action)
                    )),
                }
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
                // The suggestion looks at the disk for a free name: off the
                // UI thread, then the dialog asks.
                self.start_job(
                    JobKind::Open,
                    "Suggesting a folder",
                    |_| next_empty_dir(&crate::workspace::default_root()),
                    |app, done| {
                        app.empty_workspace = Some(super::EmptyWorkspace {
                            path: done.map(|p| p.display().to_string()).unwrap_or_default(),
                            picker_failed: None,
                        });
                    },
                );
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
                let check = dir.clone();
                self.start_job(
                    JobKind::Open,
                    "Opening the workspace",
                    move |_| Workspace::exists(&check),
                    move |app, exists| match exists {
                        Ok(true) => {
                            app.switch_to(dir, View::Dashboard);
                            app.notice = Some(Notice::Info(format!("Opened {}", app.root.display())));
                        }
                        Ok(false) => {
                            app.notice = Some(Notice::Error(format!(
                                "{} is not a Keel workspace (it has no keel.json): choose the folder a workspace is in, or create a new one there",
                                dir.display()
                            )))
                        }
                        Err(e) => app.notice = Some(Notice::Error(e)),
                    },
                );
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
                self.start_output("Saving the problems", move || {
                    std::fs::write(&path, text)
                        .map(|()| format!("Saved {}", path.display()))
                        .map_err(|e| {
                            format!("Cannot save {}: {e}; choose another folder", path.display())
                        })
                });
            }
            Command::ToggleTheme => self.persisted.dark = !self.persisted.dark,
            Command::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
            Command::SavePack(pack) => {
                let root = self.root.clone();
                self.start_job(
                    JobKind::Pack,
                    "Saving the meeting pack",
                    move |_| crate::report::pack::save(&root, &pack).map_err(|e| e.to_string()),
                    |app, done| {
                        app.notice = Some(match done.and_then(|r| r) {
                            Ok(()) => Notice::Info("Meeting pack saved".into()),
                            Err(e) => Notice::Error(format!("Cannot save the meeting pack: {e}")),
                        })
                    },
                );
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
            Command::StartMeeting => self.start_meeting(),
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
            Command::Plan(p) => self.plan_command(p),
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
        if query.is_empty() {
            return;
        }
        self.persisted.council = query.clone();
        let dfe: Vec<&'static str> = super::benchmarks::measures().iter().map(|m| m.1).collect();
        // A newer choice replaces a comparison still running.
        self.start_job(
            JobKind::Bench,
            "Comparing with the council",
            move |_| {
                crate::benchmark::view::council_view(&ind, sn.as_ref(), &query, &dfe)
                    .map_err(|e| e.to_string())
            },
            |app, done| app.bench_view = Some(done.and_then(|r| r)),
        );
    }

    /// Run output work (rendering, writing files) off the UI thread; the
    /// notice says how it went.
    fn start_output(
        &mut self,
        name: &'static str,
        work: impl FnOnce() -> Result<String, String> + Send + 'static,
    ) {
        self.start_job(
            JobKind::Output,
            name,
            move |_| work(),
            |app, done| {
                app.notice = Some(match done.and_then(|r| r) {
                    Ok(msg) => Notice::Info(msg),
                    Err(e) => Notice::Error(e),
                })
            },
        );
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
            // The plan's targets and events, as the dashboard draws them.
            &model.plan.chart_settings,
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
        let mut opts = crate::report::board::Options {
            month: self.month,
            group: (self.group.kind != crate::metrics::GroupKind::All)
                .then(|| self.group.name.clone()),
            ..Default::default()
        };
        let root = self.root.clone();
        self.start_output("Writing the board report", move || {
            // The meeting pack's scenarios, read here, off the UI thread.
            let mut scenarios: Vec<PathBuf> = crate::report::pack::load(&root)
                .map(|p| {
                    p.slides
                        .into_iter()
                        .filter_map(|s| match s {
                            crate::report::pack::Slide::Scenario { name } => {
                                Some(PathBuf::from(name))
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let max = crate::scenario::compare::MAX_SCENARIOS;
            let cut = scenarios.len() > max;
            scenarios.truncate(max);
            opts.scenarios = scenarios;
            let r = crate::report::board::write(&root, &opts, &path).map_err(|e| e.to_string())?;
            let note = if cut {
                format!("; the report compares the first {max} scenarios of the meeting pack")
            } else {
                String::new()
            };
            Ok(format!(
                "Saved {} ({} pages){note}",
                path.display(),
                r.pages
            ))
        });
    }

    /// Meeting mode on the pack being edited, or else the saved pack,
    /// read off the UI thread first.
    fn start_meeting(&mut self) {
        if self.model.is_none() {
            self.notice = Some(Notice::Info(
                "The workspace is still opening: meeting mode can start once it is loaded.".into(),
            ));
            return;
        }
        // Meeting mode shows aggregates only: no identity stays in memory.
        self.drop_names();
        if self
            .model
            .as_ref()
            .is_some_and(|m| m.latest_month().is_none())
        {
            self.notice = Some(Notice::Info(
                "Meeting mode has nothing to show yet: this workspace holds no staff-in-post snapshot. Import one first (Import, Ctrl+O).".into(),
            ));
            return;
        }
        let draft = self.pack_draft.as_ref().map(|(pack, _)| pack.clone());
        let root = self.root.clone();
        self.start_job(
            JobKind::Meeting,
            "Opening the meeting pack",
            move |_| super::meeting::open(&root, draft),
            |app, opened| match opened.and_then(|r| r) {
                Ok((pack, plan)) => app.begin_meeting(pack, plan),
                Err(e) => {
                    app.notice = Some(Notice::Error(format!("{e}; the default pack is shown")));
                    app.begin_meeting(crate::report::pack::Pack::default(), None);
                }
            },
        );
    }

    fn begin_meeting(&mut self, pack: crate::report::pack::Pack, plan: Option<crate::plan::Plan>) {
        let names: Vec<String> = pack
            .slides
            .iter()
            .filter_map(|s| match s {
                crate::report::pack::Slide::Scenario { name } => Some(name.clone()),
                _ => None,
            })
            .collect();
        let mut meeting = super::meeting::Meeting::new(pack, plan);
        if names.is_empty() {
            meeting.projections = Some(Vec::new());
        } else {
            let root = self.root.clone();
            self.start_job(
                JobKind::Project,
                "Projecting the scenarios",
                move |_| project_all(&root, &names),
                |app, done| {
                    let (projections, problems) = done.unwrap_or_else(|e| (Vec::new(), vec![e]));
                    if let Some(m) = &mut app.meeting {
                        m.projections = Some(projections);
                        m.problems = problems;
                    }
                },
            );
        }
        self.meeting = Some(meeting);
        if let Some(ctx) = self.jobs.ctx() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
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
        let json = pending.profile().to_json();
        let to = path.clone();
        self.start_job(
            JobKind::Output,
            "Saving the import profile",
            move |_| std::fs::write(&to, json),
            move |app, done| match done.and_then(|r| r.map_err(|e| e.to_string())) {
                Ok(()) => {
                    app.persisted.profiles.retain(|p| *p != path);
                    app.persisted.profiles.push(path.clone());
                    app.notice = Some(Notice::Info(format!(
                        "Saved the mapping to {}; Keel applies it to later files with the same headers.",
                        path.display()
                    )));
                }
                Err(e) => {
                    app.notice = Some(Notice::Error(format!(
                        "Cannot save {}: {e}; choose another folder",
                        path.display()
                    )))
                }
            },
        );
    }

    /// The native file picker. Where there is plainly no service to open
    /// it (see [`no_picker_service`]) rfd is not asked. Otherwise, without
    /// a desktop portal or a working zenity (zenity without a display
    /// answers as a cancel) rfd returns at once with nothing, or panics,
    /// and a user would see nothing happen: both are told apart from a
    /// cancel, which no person manages within half a second.
    fn pick_files(&mut self) -> Picked {
        self.picker(|| {
            rfd::FileDialog::new()
                .set_title("Choose HR extracts to import")
                .add_filter(
                    "Extracts and census returns",
                    &["csv", "xlsx", "txt", "xml"],
                )
                .pick_files()
        })
    }

    /// One file from the native picker: `None` when cancelled, else why it
    /// could not open, asking for the `what`'s path to be typed (dropped
    /// files go to the import, not here).
    pub(super) fn pick_one(
        &self,
        title: &str,
        (kind, extensions): (&str, &[&str]),
        what: &str,
    ) -> Result<Option<PathBuf>, String> {
        match self.picker(|| {
            rfd::FileDialog::new()
                .set_title(title)
                .add_filter(kind, extensions)
                .pick_file()
                .map(|f| vec![f])
        }) {
            Picked::Files(mut f) => Ok(f.pop()),
            Picked::Cancelled => Ok(None),
            Picked::Unavailable(why) => Err(why.replace(
                "Type the file's path below, or drop files on the window.",
                &format!("Type the {what}'s path below."),
            )),
        }
    }

    pub(super) fn picker(&self, pick: impl FnOnce() -> Option<Vec<PathBuf>>) -> Picked {
        const NONE: &str = "The file picker could not open: this computer has no file-chooser service (a desktop portal or zenity). Type the file's path below, or drop files on the window.";
        if self.no_picker || no_picker_service(&|name| std::env::var_os(name)) {
            return Picked::Unavailable(NONE.into());
        }
        let started = std::time::Instant::now();
        let picked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(pick));
        match picked {
            Ok(Some(files)) if !files.is_empty() => Picked::Files(files),
            Ok(_) if started.elapsed() < std::time::Duration::from_millis(500) => {
                Picked::Unavailable(NONE.into())
            }
            Ok(_) => Picked::Cancelled,
            Err(_) => Picked::Unavailable(
                "The file picker failed to open (its system service stopped with an error). Type the file's path below, or drop files on the window.".into(),
            ),
        }
    }

    /// Read the identities behind the pseudonyms from an HR extract, off
    /// the UI thread; they are kept in memory only.
    fn show_names(&mut self, path: Option<PathBuf>) {
        let path = match path {
            Some(p) => p,
            None => match self.pick_one(
                "Choose a current HR extract to show names from",
                ("Extracts", &["csv", "xlsx", "txt"]),
                "extract",
            ) {
                Ok(Some(p)) => p,
                Ok(None) => return,
                Err(why) => {
                    self.names_ui.picker_failed = Some(why);
                    self.names_ui.typing = true;
                    return;
                }
            },
        };
        let root = self.root.clone();
        let view = self.persisted.view;
        self.start_job(
            JobKind::Names,
            "Reading names from the extract",
            move |_| crate::workspace::reveal::read(&root, &path),
            move |app, done| match done.and_then(|r| r) {
                // Read for a view since closed: dropped, not shown elsewhere.
                Ok(ids) if app.persisted.view == view && app.meeting.is_none() => {
                    app.identities = Some(std::sync::Arc::new(ids));
                }
                Ok(_) => {}
                Err(e) => app.notice = Some(Notice::Error(e)),
            },
        );
    }

    /// Forget the identities, and any read still running.
    pub(super) fn drop_names(&mut self) {
        self.identities = None;
        self.names_ui = super::names::NamesUi::default();
        self.jobs.cancel(|k| k == JobKind::Names);
    }

    fn start_read(&mut self, files: Vec<import::ToRead>) {
        if files.is_empty() {
            return;
        }
        let hours = self
            .model
            .as_ref()
            .map_or(37.0, |m| m.settings.standard_hours);
        let saved = self.persisted.profiles.clone();
        self.start_job(
            JobKind::Read,
            "Reading files",
            move |p| import::read_all(files, hours, &saved, p),
            |app, done| match done {
                // A file read again takes its own card's place, so a fixed
                // file stays where the user was looking.
                Ok(files) => {
                    for f in files {
                        match app.pending.iter_mut().find(|p| p.path == f.path) {
                            Some(old) => *old = f,
                            None => app.pending.push(f),
                        }
                    }
                }
                Err(e) => app.notice = Some(Notice::Error(e)),
            },
        );
    }

    fn import(&mut self, replace: bool) {
        let imports = self.model.as_ref().map_or(&[][..], |m| &m.imports[..]);
        let Some(extracts) = import::ready(&self.pending, imports) else {
            self.notice = Some(Notice::Error(
                "Fix the files refused (or remove them) before importing.".into(),
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

    /// Create the workspace off the UI thread, then open it.
    fn new_workspace(&mut self, dir: Option<PathBuf>) {
        self.start_job(
            JobKind::Open,
            "Creating the workspace",
            move |_| {
                let dir = dir.unwrap_or_else(|| next_empty_dir(&crate::workspace::default_root()));
                // Empty means empty: a folder holding files (or another
                // workspace) is not taken over.
                let used = std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some());
                if used {
                    let what = if Workspace::exists(&dir) {
                        "it already holds a workspace: open it with Open another… in Settings"
                    } else {
                        "it is not empty: choose an empty or new folder"
                    };
                    return (dir, Err(what.to_string()));
                }
                let made = Workspace::open_or_create(&dir).map(|_| ());
                (dir, made.map_err(|e| e.to_string()))
            },
            |app, done| match done {
                Ok((dir, Ok(()))) => {
                    app.switch_to(dir, View::Import);
                    app.notice = Some(Notice::Info(format!(
                        "Started an empty workspace in {}. Import your extracts here.",
                        app.root.display()
                    )));
                }
                Ok((dir, Err(e))) => {
                    app.notice = Some(Notice::Error(format!(
                        "Cannot create a workspace in {}: {e}",
                        dir.display()
                    )))
                }
                Err(e) => app.notice = Some(Notice::Error(e)),
            },
        );
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
        self.pack_asked = false;
        self.bench_view = None;
        // Work on the old workspace's data is dropped, never applied to
        // the new.
        self.jobs.cancel(JobKind::of_workspace);
        self.attention = None;
        self.quality_rows = None;
        self.drop_names();
        self.persisted.view = view;
        self.start_load(false);
    }
}

/// Whether this computer plainly has no file-chooser service for rfd: on
/// Linux and the BSDs, neither a D-Bus session bus (where the desktop
/// portal would answer) nor zenity on the `PATH` with a display to open
/// on. `env` reads an environment variable (the test passes its own).
/// Windows and macOS always have their system dialog.
pub(super) fn no_picker_service(env: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return false;
    }
    let bus = match env("DBUS_SESSION_BUS_ADDRESS") {
        // `unix:path=…` names a socket that must exist; other addresses
        // (abstract sockets, tcp) cannot be checked without connecting.
        Some(addr) => {
            addr.to_string_lossy()
                .split(';')
                .any(|a| match a.strip_prefix("unix:path=") {
                    Some(rest) => Path::new(rest.split(',').next().unwrap_or(rest)).exists(),
                    None => !a.is_empty(),
                })
        }
        // libdbus's default for a session started by systemd.
        None => env("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists()),
    };
    let display = env("DISPLAY").is_some_and(|d| !d.is_empty())
        || env("WAYLAND_DISPLAY").is_some_and(|d| !d.is_empty());
    let zenity = display
        && env("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("zenity").is_file()));
    !(bus || zenity)
}

/// What the file picker gave.
pub(super) enum Picked {
    Files(Vec<PathBuf>),
    Cancelled,
    /// It could not open, and why, to tell the user.
    Unavailable(String),
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

#[cfg(test)]
mod tests {
    use super::no_picker_service;
    use std::collections::HashMap;
    use std::ffi::OsString;

    fn missing(vars: &[(&str, &str)]) -> bool {
        let vars: HashMap<&str, OsString> = vars.iter().map(|(k, v)| (*k, v.into())).collect();
        no_picker_service(&|name| vars.get(name).cloned())
    }

    #[test]
    fn a_picker_service_is_a_session_bus_or_zenity_with_a_display() {
        if cfg!(any(target_os = "windows", target_os = "macos")) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        let bus = dir.path().join("bus");
        std::fs::write(&bus, "").unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::write(bin.join("zenity"), "").unwrap();
        let b = bin.to_str().unwrap();
        let nowhere = format!("unix:path={d}/none");
        let socket = format!("unix:path={d}/bus,guid=0");
        // Nothing at all: a bare server, a container.
        assert!(missing(&[]));
        assert!(missing(&[("DBUS_SESSION_BUS_ADDRESS", &nowhere)]));
        assert!(missing(&[("XDG_RUNTIME_DIR", "/nonexistent"), ("PATH", b)]));
        // zenity needs a display to open on.
        assert!(!missing(&[("PATH", b), ("DISPLAY", ":0")]));
        assert!(!missing(&[("PATH", b), ("WAYLAND_DISPLAY", "wayland-0")]));
        // A session bus, named or at libdbus's default place.
        assert!(!missing(&[("DBUS_SESSION_BUS_ADDRESS", &socket)]));
        assert!(!missing(&[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:abstract=/tmp/x"
        )]));
        assert!(!missing(&[("XDG_RUNTIME_DIR", d)]));
    }
}
