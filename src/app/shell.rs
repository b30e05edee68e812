//! The window around the views: top bar, sample-data banner, status line,
//! dialogs, keyboard shortcuts and background jobs (commands are applied
//! in `commands.rs`).

use super::jobs::JobKind;
use super::model::UndoNext;
use super::state::{Command, Group, View};
use super::{
    Confirm, KeelApp, Notice, dashboard, history, import_view, quality, settings_view, teams,
};
use crate::workspace::Workspace;
use eframe::egui;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn title_for(root: &Path, sample: bool) -> String {
    let sample = if sample { " (sample data)" } else { "" };
    format!("Keel — {}{sample}", root.display())
}

impl KeelApp {
    pub(super) fn start_load(&mut self, first_run: bool) {
        let root = self.root.clone();
        let name = if first_run {
            "Opening the workspace"
        } else {
            "Recomputing the metrics"
        };
        self.start_job(
            JobKind::Load,
            name,
            move |p| {
                p.set(format!("{name}…"));
                super::model::load(&root, first_run)
            },
            |app, done| app.loaded(done.and_then(|r| r)),
        );
    }

    fn loaded(&mut self, done: Result<super::model::Model, String>) {
        match done {
            Ok(model) => {
                let council = self.persisted.council.trim().to_string();
                if !council.is_empty() && model.benchmark_data.is_some() {
                    self.commands.push(Command::ChooseCouncil(council));
                }
                let months = &model.metrics.months;
                // Keep the month the user chose if it is still held.
                if self.month.is_none_or(|m| !months.contains(&m)) {
                    self.month = model.latest_month();
                }
                if !model.metrics.groups.contains(&self.group) {
                    self.group = Group::all();
                }
                self.settings_draft = None;
                self.load_error = None;
                self.model = Some(model);
                self.start_verify();
                self.generation += 1;
            }
            Err(e) => self.load_error = Some(e),
        }
    }

    /// Check the stored files of a workspace just opened against their
    /// checksums, once per workspace opened (it reads every file, so not
    /// on each recompute).
    fn start_verify(&mut self) {
        if self
            .integrity
            .as_ref()
            .is_some_and(|(r, _)| *r == self.root)
        {
            return;
        }
        let root = self.root.clone();
        self.integrity = Some((root.clone(), None));
        self.start_job(
            JobKind::Verify,
            "Checking the stored files",
            move |_| {
                let v = Workspace::open_existing(&root)
                    .and_then(|mut ws| ws.verify())
                    .map_err(|e| e.to_string())?;
                Ok(v.failed().map(|c| c.to_string()).collect::<Vec<_>>())
            },
            |app, done| {
                let failed = match done.and_then(|r: Result<Vec<String>, String>| r) {
                    Ok(failed) => failed,
                    Err(e) => vec![format!("the check could not run: {e}")],
                };
                if let Some((_, result)) = &mut app.integrity {
                    *result = Some(failed);
                }
            },
        );
    }

    /// What failed the last check of the stored files, if anything did.
    pub fn integrity_failures(&self) -> &[String] {
        failures(&self.integrity, &self.root)
    }

    /// Change the workspace off the UI thread, then tell the user how it
    /// went and recompute.
    pub(super) fn start_write(
        &mut self,
        name: &'static str,
        work: impl FnOnce(&mut Workspace) -> Result<String, String> + Send + 'static,
    ) {
        let root = self.root.clone();
        self.start_job(
            JobKind::Write,
            name,
            move |_| {
                let mut ws = Workspace::open(&root).map_err(|e| e.to_string())?;
                work(&mut ws)
            },
            |app, done| {
                app.notice = Some(match done.and_then(|r| r) {
                    Ok(msg) => Notice::Info(msg),
                    Err(e) => Notice::Error(e),
                });
                app.start_load(false);
            },
        );
    }

    /// Apply every job that has finished. A job that failed (panicked) is
    /// told once in the notice; its own code records the failure so that
    /// nothing starts it again until the user asks.
    fn poll_jobs(&mut self) {
        for done in self.jobs.finished() {
            if let Some(e) = &done.failure {
                self.notice = Some(Notice::Error(e.clone()));
            }
            done.apply(self);
        }
    }

    fn busy(&self) -> Option<String> {
        self.jobs.status()
    }

    /// Start the worker list for the teams view's month and team when it
    /// is not the one held (off the UI thread: it reads every in-post row).
    /// A list that failed is held like one that worked: choosing another
    /// team or month (or a new load) asks again, nothing else does.
    fn attention_work(&mut self) {
        let (View::Teams, Some(month), Some(team)) =
            (self.persisted.view, self.month, self.attention_team.clone())
        else {
            return;
        };
        let key = (self.generation, month, team);
        if self.attention.as_ref().is_some_and(|(k, _)| *k == key)
            || self.jobs.is_running(JobKind::Attention)
        {
            return;
        }
        let root = self.root.clone();
        let for_key = key.clone();
        self.start_job(
            JobKind::Attention,
            "Listing workers needing attention",
            move |_| {
                let ws = Workspace::open(&root).map_err(|e| e.to_string())?;
                let inputs = ws.required_inputs().map_err(|e| e.to_string())?;
                crate::metrics::workers::needing_attention(
                    &inputs,
                    ws.settings().limits(),
                    key.1,
                    Some(&key.2),
                )
                .map_err(|e| e.to_string())
            },
            move |app, rows| app.attention = Some((for_key, rows.and_then(|r| r))),
        );
    }

    /// Find the rows behind the data-quality counts for the view's month,
    /// once per load and month (off the UI thread: it reads every row).
    fn quality_work(&mut self) {
        let (View::Quality, Some(month)) = (self.persisted.view, self.month) else {
            return;
        };
        let key = (self.generation, month);
        if self.quality_rows.as_ref().is_some_and(|(k, _)| *k == key)
            || self.jobs.is_running(JobKind::QualityRows)
        {
            return;
        }
        let root = self.root.clone();
        self.start_job(
            JobKind::QualityRows,
            "Listing the rows behind the findings",
            move |_| {
                let ws = Workspace::open(&root).map_err(|e| e.to_string())?;
                let inputs = ws.required_inputs().map_err(|e| e.to_string())?;
                crate::metrics::quality::rows(&inputs, ws.settings().limits(), month)
                    .map_err(|e| e.to_string())
            },
            move |app, rows| app.quality_rows = Some((key, rows.and_then(|r| r))),
        );
    }

    /// Read the meeting pack and the saved scenarios' names for the
    /// Meeting view: once each time the view opens (a read that failed
    /// leaves the default pack, and is not repeated by itself).
    fn pack_work(&mut self) {
        if self.persisted.view != View::Meeting
            || self.pack_draft.is_some()
            || self.pack_asked
            || self.jobs.is_running(JobKind::Pack)
        {
            return;
        }
        self.pack_asked = true;
        let root = self.root.clone();
        let at = root.clone();
        self.start_job(
            JobKind::Pack,
            "Reading the meeting pack",
            move |_| {
                (
                    crate::report::pack::load(&root).unwrap_or_default(),
                    crate::scenario::persist::list(&root),
                )
            },
            move |app, done| {
                // Read for a workspace left meanwhile: the view asks again.
                if app.root == at {
                    app.pack_draft = Some(done.unwrap_or_default());
                }
            },
        );
    }

    /// Keys in meeting mode: slides move, Esc leaves; nothing else works.
    fn meeting_keys(&mut self, ctx: &egui::Context) {
        use egui::Key;
        let (next, prev, first, last, esc) = ctx.input(|i| {
            // Presses only: a key held down repeats, and a presenter
            // leaning on it would skip slides.
            let any = |keys: &[Key]| {
                i.events.iter().any(|e| {
                    matches!(e, egui::Event::Key { key, pressed: true, repeat: false, .. } if keys.contains(key))
                })
            };
            (
                any(&[Key::ArrowRight, Key::PageDown, Key::Space, Key::ArrowDown]),
                any(&[Key::ArrowLeft, Key::PageUp, Key::ArrowUp]),
                i.key_pressed(Key::Home),
                i.key_pressed(Key::End),
                i.key_pressed(Key::Escape),
            )
        });
        let step = match (next, prev, first, last) {
            (true, _, _, _) => 1,
            (_, true, _, _) => -1,
            (_, _, true, _) => -1000,
            (_, _, _, true) => 1000,
            _ => 0,
        };
        if step != 0 {
            self.commands.push(Command::SlideStep(step));
        }
        if esc {
            self.commands.push(Command::EndMeeting);
        }
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let ctrl_o = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let ctrl_z = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        // A text field keeps its own Ctrl+Z and arrow keys.
        let typing = ctx.egui_wants_keyboard_input();
        let (open, undo, f11, f5, left, right) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&ctrl_o),
                !typing && i.consume_shortcut(&ctrl_z),
                i.key_pressed(Key::F11),
                i.key_pressed(Key::F5),
                !typing && i.key_pressed(Key::ArrowLeft),
                !typing && i.key_pressed(Key::ArrowRight),
            )
        });
        if open {
            self.commands.push(Command::SetView(View::Import));
            self.commands.push(Command::PickFiles);
        }
        if undo {
            self.commands.push(Command::AskUndo);
        }
        if f11 {
            self.commands.push(Command::ToggleFullscreen);
        }
        if f5 {
            self.commands.push(Command::StartMeeting);
        }
        let stepping = matches!(
            self.persisted.view,
            View::Dashboard | View::Teams | View::Quality
        ) && (left || right);
        if let (true, Some(model), Some(month)) = (stepping, &self.model, self.month) {
            let months = &model.metrics.months;
            let next = months.iter().position(|m| *m == month).and_then(|i| {
                let j = if left { i.checked_sub(1) } else { Some(i + 1) };
                j.and_then(|j| months.get(j))
            });
            if let Some(m) = next {
                self.commands.push(Command::SelectMonth(*m));
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::SetView(View::Import));
            self.commands.push(Command::ReadFiles(dropped));
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading("Keel");
            ui.separator();
            for v in View::ALL {
                if ui
                    .selectable_label(self.persisted.view == v, v.title())
                    .clicked()
                {
                    self.commands.push(Command::SetView(v));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let theme = if self.persisted.dark {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui
                    .button(theme)
                    .on_hover_text("Switch between light and dark themes")
                    .clicked()
                {
                    self.commands.push(Command::ToggleTheme);
                }
                // Cut short with "…" where the tabs leave too little room,
                // rather than drawn over them; the whole path on hover.
                let path = self.root.display().to_string();
                ui.add(egui::Label::new(egui::RichText::new(&path).weak()).truncate())
                    .on_hover_text(format!(
                        "The workspace, where Keel keeps every import: {path}"
                    ));
            });
        });
    }

    fn sample_banner(&mut self, ui: &mut egui::Ui) {
        egui::Frame::new()
            .fill(egui::Color32::from_rgb(255, 221, 87))
            .inner_margin(egui::Margin::symmetric(10, 6))
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                ui.horizontal(|ui| {
                    let dark = egui::Color32::from_rgb(40, 30, 0);
                    ui.label(egui::RichText::new("SAMPLE DATA").strong().color(dark));
                    ui.label(
                        egui::RichText::new(
                            "This workspace holds a fictional council's data. Nothing here is real.",
                        )
                        .color(dark),
                    );
                    if ui.button("Start an empty workspace").clicked() {
                        self.commands.push(Command::PickEmptyWorkspace);
                    }
                });
            });
    }

    fn status_line(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(busy) = self.busy() {
                ui.spinner();
                ui.label(busy);
                if let Some(kind) = self.jobs.cancellable()
                    && ui
                        .button("Cancel")
                        .on_hover_text("Stop waiting for it; nothing is stored by it")
                        .clicked()
                {
                    self.commands.push(Command::CancelJob(kind));
                }
                ui.separator();
            }
            match &self.notice {
                Some(Notice::Info(t)) => {
                    ui.label(t);
                }
                Some(Notice::Error(t)) => {
                    ui.colored_label(ui.visuals().error_fg_color, t);
                }
                None => {
                    ui.label(egui::RichText::new("Ctrl+O import · Ctrl+Z undo · Left/Right arrows step months · F5 meeting mode · F11 full screen").weak());
                }
            }
        });
    }

    /// Where to start an empty workspace, asked before anything is made.
    fn empty_workspace_dialog(&mut self, ctx: &egui::Context) {
        let Some(d) = &mut self.empty_workspace else {
            return;
        };
        let mut create = false;
        let mut choose = false;
        let mut cancel = false;
        let modal = egui::Modal::new(egui::Id::unique("keel empty workspace")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("Start an empty workspace?");
            ui.label("Keel creates a new workspace in this folder and switches to it. The workspace open now stays as it is: Open another… in Settings returns to it.");
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.label("Folder:");
                ui.add(egui::TextEdit::singleline(&mut d.path).desired_width(380.0))
                    .accessible_name("Folder for the new workspace");
                choose = ui.button("Choose…").clicked();
            });
            if let Some(why) = &d.picker_failed {
                ui.colored_label(ui.visuals().warn_fg_color, why);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                create = ui
                    .add_enabled(!d.path.trim().is_empty(), egui::Button::new("Create empty workspace"))
                    .clicked();
                cancel = ui.button("Cancel").clicked();
            });
        });
        if choose {
            let picked = self.picker(|| {
                rfd::FileDialog::new()
                    .set_title("Choose an empty folder for the new workspace")
                    .pick_folder()
                    .map(|f| vec![f])
            });
            if let Some(d) = &mut self.empty_workspace {
                match picked {
                    super::commands::Picked::Files(f) => {
                        if let Some(p) = f.first() {
                            d.path = p.display().to_string();
                        }
                        d.picker_failed = None;
                    }
                    super::commands::Picked::Cancelled => {}
                    super::commands::Picked::Unavailable(why) => {
                        d.picker_failed = Some(why.replace(
                            "Type the file's path below, or drop files on the window.",
                            "Type the folder's path above.",
                        ));
                    }
                }
            }
        }
        if create && let Some(d) = self.empty_workspace.take() {
            self.commands
                .push(Command::NewEmptyWorkspace(Some(PathBuf::from(
                    d.path.trim(),
                ))));
        } else if cancel || modal.should_close() {
            self.empty_workspace = None;
        }
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        let Some(confirm) = self.confirm.clone() else {
            return;
        };
        let modal = egui::Modal::new(egui::Id::unique("keel confirm")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            match &confirm {
                Confirm::Undo => match self.model.as_ref().and_then(|m| m.plan.undo.clone()) {
                    Some(UndoNext::PlanEdit(e)) => {
                        ui.heading("Undo the last plan change?");
                        ui.label(format!("#{} {}", e.id, e.action));
                        ui.label("The plan goes back to the version before it; the change stays in history.");
                    }
                    _ => {
                        ui.heading("Undo the last import?");
                        if let Some(m) = &self.model {
                            history::last_batch_summary(ui, m);
                        }
                        ui.label("The data stays on disk; a month it replaced comes back.");
                    }
                },
                Confirm::RemoveItem(reference, title) => {
                    ui.heading(format!("Remove {reference} from the plan?"));
                    ui.label(title);
                    ui.label("Its status, evidence and linked measures go with it. The plan before stays in history, and Ctrl+Z brings it back.");
                }
                Confirm::Replace(months) => {
                    ui.heading("Replace months already held?");
                    for m in months {
                        ui.label(m);
                    }
                    ui.label("The old imports are kept, and undo brings them back.");
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let plan_undo = matches!(
                    self.model.as_ref().and_then(|m| m.plan.undo.as_ref()),
                    Some(UndoNext::PlanEdit(_))
                );
                let (yes, cmd) = match &confirm {
                    Confirm::Undo if plan_undo => ("Undo plan change", Command::Undo),
                    Confirm::Undo => ("Undo import", Command::Undo),
                    Confirm::RemoveItem(reference, _) => (
                        "Remove item",
                        Command::Plan(super::state::PlanCommand::RemoveItem(reference.clone())),
                    ),
                    Confirm::Replace(_) => {
                        ("Replace and import", Command::Import { replace: true })
                    }
                };
                if ui.button(yes).clicked() {
                    self.commands.push(cmd);
                    self.confirm = None;
                }
                if ui.button("Cancel").clicked() {
                    self.confirm = None;
                }
            });
        });
        if modal.should_close() {
            self.confirm = None;
        }
    }

    fn central(&mut self, ui: &mut egui::Ui) {
        let dark = self.persisted.dark;
        let Some(model) = &self.model else {
            match &self.load_error {
                Some(e) => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("Cannot open the workspace {}: {e}", self.root.display()),
                    );
                    ui.label("Check that the folder is readable and not held by another Keel, then restart; or start an empty workspace.");
                    if ui.button("Start an empty workspace").clicked() {
                        self.commands.push(Command::PickEmptyWorkspace);
                    }
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Opening the workspace… (the first run loads the sample data)");
                    });
                }
            }
            return;
        };
        let cmds = &mut self.commands;
        match (self.persisted.view, self.month) {
            (View::Dashboard, Some(month)) => dashboard::show(
                ui,
                model,
                month,
                &self.group,
                (dark, self.bench_view.as_ref().and_then(|b| b.as_ref().ok())),
                (&mut self.persisted.range, &mut self.persisted.image_size),
                cmds,
            ),
            (View::Teams, Some(month)) => {
                let chosen = self.attention_team.clone();
                let rows = self
                    .attention
                    .as_ref()
                    .filter(|(k, _)| k.1 == month && Some(&k.2) == chosen.as_ref())
                    .map(|(_, r)| r);
                let view = teams::AttentionView {
                    team: &mut self.attention_team,
                    rows,
                    busy: self.jobs.is_running(JobKind::Attention),
                    names: self.identities.as_deref(),
                    names_ui: &mut self.names_ui,
                    reading_names: self.jobs.is_running(JobKind::Names),
                };
                teams::show(ui, model, month, (&mut self.teams_sort, view), cmds)
            }
            (View::Dashboard | View::Teams | View::Quality, None) => {
                ui.heading("No workforce snapshot yet");
                ui.label("Import a staff-in-post extract to see the dashboard.");
                if ui.button("Import files…").clicked() {
                    cmds.push(Command::SetView(View::Import));
                    cmds.push(Command::PickFiles);
                }
            }
            (View::Quality, Some(month)) => {
                let rows = self
                    .quality_rows
                    .as_ref()
                    .filter(|(k, _)| k.1 == month)
                    .map(|(_, r)| r);
                let behind = quality::Behind {
                    rows,
                    names: self.identities.as_deref(),
                    names_ui: &mut self.names_ui,
                    reading_names: self.jobs.is_running(JobKind::Names),
                };
                quality::show(
                    ui,
                    model,
                    month,
                    failures(&self.integrity, &self.root),
                    behind,
                    cmds,
                )
            }
            (View::Import, _) => import_view::show(
                ui,
                &mut self.pending,
                &model.imports,
                &mut self.import_ui,
                self.jobs.is_running(JobKind::Read),
                cmds,
            ),
            (View::History, _) => history::show(ui, model, cmds),
            (View::Census, _) => super::census_view::show(
                ui,
                &mut self.census_ui,
                self.jobs.is_running(JobKind::Census),
                self.meeting.is_some(),
                cmds,
            ),
            (View::Plan, _) => super::plan_view::show(
                ui,
                model,
                &mut self.plan_ui,
                self.jobs.is_running(JobKind::Write),
                cmds,
            ),
            (View::Benchmarks, _) => super::benchmarks::show(
                ui,
                model,
                &mut self.persisted.council,
                self.bench_view.as_ref(),
                self.jobs.is_running(JobKind::Bench),
                cmds,
            ),
            (View::Scenarios, _) => {
                let busy = self.jobs.is_running(JobKind::Simulate);
                // The saved names are listed by `scenario_work`, off the
                // UI thread.
                let st = self
                    .scenario_ui
                    .get_or_insert_with(super::scenarios::ScenarioUi::default);
                super::scenarios::show(ui, model, st, busy, cmds)
            }
            (View::Meeting, _) => match &mut self.pack_draft {
                Some((draft, scenarios)) => {
                    super::meeting::editor(ui, model, draft, scenarios, cmds)
                }
                // Read by `pack_work`, off the UI thread.
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Reading the meeting pack…");
                    });
                }
            },
            (View::Settings, _) => {
                let draft = self
                    .settings_draft
                    .get_or_insert_with(|| model.settings.clone());
                settings_view::show(ui, model, draft, cmds)
            }
        }
    }
}

pub fn frame(app: &mut KeelApp, ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    app.jobs.set_ctx(&ctx);
    // Only on change: setting the theme rebuilds the style.
    if app.theme_applied != Some(app.persisted.dark) {
        ctx.set_theme(if app.persisted.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        app.theme_applied = Some(app.persisted.dark);
    }
    app.poll_jobs();
    if app.meeting.is_some() {
        app.meeting_keys(&ctx);
        let dark = app.persisted.dark;
        egui::CentralPanel::default_margins().show(ui, |ui| {
            if let (Some(model), Some(meeting)) = (&app.model, &app.meeting) {
                super::meeting::show(ui, model, meeting, dark, &mut app.commands);
            }
        });
        app.apply(&ctx);
        return;
    }
    app.keyboard(&ctx);
    let sample = app.model.as_ref().is_some_and(|m| m.sample);
    let title = title_for(&app.root, sample);
    if title != app.title {
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
        app.title = title;
    }
    egui::Panel::top("keel top").show(ui, |ui| app.top_bar(ui));
    if sample {
        egui::Panel::top("keel sample")
            .frame(egui::Frame::new())
            .show_separator_line(false)
            .show(ui, |ui| app.sample_banner(ui));
    }
    egui::Panel::bottom("keel status").show(ui, |ui| app.status_line(ui));
    egui::CentralPanel::default_margins().show(ui, |ui| app.central(ui));
    app.scenario_work(&ctx);
    app.attention_work();
    app.quality_work();
    app.pack_work();
    focus_clicked_slider(&ctx);
    app.dialogs(&ctx);
    app.empty_workspace_dialog(&ctx);
    app.apply(&ctx);
    if app.busy().is_some() {
        // Jobs wake the UI when they finish; this keeps the spinner and
        // progress text moving meanwhile.
        ctx.request_repaint_after(Duration::from_millis(100));
    }
}

/// A slider clicked or dragged takes the keyboard focus, so that the arrow
/// keys then move it (egui focuses it only by Tab). Done here, for every
/// slider of every view, from what the frame's widgets reported.
fn focus_clicked_slider(ctx: &egui::Context) {
    let slider = ctx.output(|o| {
        o.events.iter().any(|e| {
            matches!(
                e,
                egui::output::OutputEvent::Clicked(i) | egui::output::OutputEvent::ValueChanged(i)
                    if i.role == egui::Role::Slider
            )
        })
    });
    if !slider {
        return;
    }
    let touched = ctx.viewport(|v| {
        let w = &v.interact_widgets;
        w.clicked.or(w.drag_started).or(w.dragged)
    });
    if let Some(id) = touched {
        ctx.memory_mut(|m| m.request_focus(id));
    }
}

/// The failures of the check of `root`'s stored files (none while it runs).
fn failures<'a>(
    integrity: &'a Option<(PathBuf, Option<Vec<String>>)>,
    root: &Path,
) -> &'a [String] {
    match integrity {
        Some((r, Some(failed))) if r == root => failed,
        _ => &[],
    }
}
