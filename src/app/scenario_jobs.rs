//! The scenario view's background work and commands: calibration when the
//! scope or range changes, the Monte Carlo when the levers settle, the
//! comparison, and listing, opening, saving, duplicating and renaming
//! scenario files, all off the UI thread.
//!
//! Calibration and the Monte Carlo start by themselves for a new request
//! (scope, range, levers, a new load of the workspace). A request that
//! failed is remembered with its error and not started again until the
//! request changes or the user presses "Try again".

use super::jobs::JobKind;
use super::scenarios::{CalKey, RUNS, ScenarioUi};
use super::state::{Command, View};
use super::{KeelApp, Notice};
use crate::scenario::persist::{self, Scenario};
use crate::scenario::simulate::project;
use eframe::egui;
use std::path::Path;

impl KeelApp {
    /// Called every frame: start what is due. (Finished work is applied by
    /// the code each job was started with.)
    pub(super) fn scenario_work(&mut self, ctx: &egui::Context) {
        if self.persisted.view != View::Scenarios {
            return;
        }
        let Some(st) = self.scenario_ui.as_mut() else {
            return;
        };
        // The saved names, read once when the view's state is made.
        if !st.listed && !self.jobs.is_running(JobKind::Scenario) {
            st.listed = true;
            self.scenario_file_job("Listing the scenarios", None, |_| Ok(()), |_, ()| {});
            return;
        }
        st.generation = self.generation;
        let key = CalKey::of(&st.draft, st.generation);
        let calibrated = st.calibration.as_ref().is_some_and(|(k, _)| *k == key);
        let failed = st.failed.as_ref().is_some_and(|(k, _)| *k == key);
        if !calibrated && !failed {
            if !self.jobs.is_running(JobKind::Calibrate) {
                self.start_calibration(key);
            }
            return;
        }
        // The bands follow once the pointer is released: a Monte Carlo per
        // slider step would queue up behind the hand moving it.
        let dragging = ctx.input(|i| i.pointer.any_down());
        let stale = st.bands.as_ref().is_none_or(|(s, _)| *s != st.draft);
        let failed = st.sim_failure().is_some();
        if !calibrated || !stale || failed || dragging || self.jobs.is_running(JobKind::Simulate) {
            return;
        }
        match st.plan() {
            Ok(Some(plan)) => {
                st.problem = None;
                let snapshot = st.draft.clone();
                let seed = snapshot.seed;
                self.start_job(
                    JobKind::Simulate,
                    "Running the Monte Carlo",
                    move |_| project(&plan, RUNS, seed).map_err(|e| e.to_string()),
                    move |app, done| {
                        let Some(st) = app.scenario_ui.as_mut() else {
                            return;
                        };
                        match done.and_then(|r| r) {
                            Ok(p) => st.bands = Some((snapshot, p)),
                            Err(e) => st.sim_failed = Some((snapshot, e)),
                        }
                    },
                );
            }
            Ok(None) => {}
            Err(e) => st.problem = Some(e),
        }
    }

    fn start_calibration(&mut self, key: CalKey) {
        let root = self.root.clone();
        let k = key.clone();
        self.start_job(
            JobKind::Calibrate,
            "Calibrating",
            move |_| {
                crate::scenario::observers(&root)
                    .and_then(|mut o| o.get(k.team.as_deref())?.calibrate(k.from, k.to))
                    .map_err(|e| e.to_string())
            },
            move |app, done| {
                let Some(st) = app.scenario_ui.as_mut() else {
                    return;
                };
                match done.and_then(|r| r) {
                    Ok(cal) => st.calibration = Some((key, cal)),
                    Err(e) => st.failed = Some((key, e)),
                }
            },
        );
    }

    /// The user's "Try again": forget the failures, so the next frame asks
    /// for the calibration and the bands again.
    pub(super) fn retry_scenario(&mut self) {
        if let Some(st) = self.scenario_ui.as_mut() {
            st.failed = None;
            st.sim_failed = None;
            st.problem = None;
        }
    }

    /// Work on the scenario files off the UI thread, then list them
    /// afresh. On success `then` updates the view and `done` (if any) is
    /// the notice; a failure is the notice.
    fn scenario_file_job<T: Send + 'static>(
        &mut self,
        name: &'static str,
        done: Option<String>,
        work: impl FnOnce(&Path) -> Result<T, String> + Send + 'static,
        then: impl FnOnce(&mut ScenarioUi, T) + 'static,
    ) {
        let root = self.root.clone();
        let at = root.clone();
        self.start_job(
            JobKind::Scenario,
            name,
            move |_| {
                let r = work(&root);
                (r, persist::list(&root))
            },
            move |app, result| match result {
                Ok((Ok(v), names)) => {
                    // Work on a workspace left meanwhile updates no view.
                    if let Some(st) = app.scenario_ui.as_mut().filter(|_| app.root == at) {
                        st.names = names;
                        st.problem = None;
                        then(st, v);
                    }
                    if let Some(m) = done {
                        app.notice = Some(Notice::Info(m));
                    }
                }
                Ok((Err(e), _)) | Err(e) => app.notice = Some(Notice::Error(e)),
            },
        );
    }

    pub(super) fn scenario_command(&mut self, c: Command) {
        let st = self.scenario_ui.get_or_insert_with(ScenarioUi::default);
        match c {
            Command::OpenScenario(name) => {
                let file = name.clone();
                self.scenario_file_job(
                    "Opening the scenario",
                    None,
                    move |root| {
                        persist::load(&persist::path_of(root, &file)).map_err(|e| e.to_string())
                    },
                    |st, s| {
                        st.draft = s;
                        st.opened = Some(name);
                    },
                );
            }
            Command::NewScenario => {
                st.draft = Scenario::new("New scenario");
                st.opened = None;
                st.problem = None;
            }
            Command::SaveScenario => {
                let draft = st.draft.clone();
                let name = draft.name.clone();
                self.scenario_file_job(
                    "Saving the scenario",
                    Some(format!("Saved the scenario '{name}'")),
                    move |root| persist::save(root, &draft).map_err(|e| e.to_string()),
                    |st, _| st.opened = Some(name),
                );
            }
            Command::DuplicateScenario | Command::RenameScenario => {
                let to = st.new_name.trim().to_string();
                let Some(from) = st.opened.clone() else {
                    self.notice = Some(Notice::Error("Save the scenario first".into()));
                    return;
                };
                let rename = matches!(c, Command::RenameScenario);
                // The draft as it is on screen goes under the new name, so
                // unsaved slider moves are kept.
                let mut draft = st.draft.clone();
                draft.name = to.clone();
                let (old, new) = (from.clone(), to.clone());
                let what = if rename {
                    "Renaming the scenario"
                } else {
                    "Duplicating the scenario"
                };
                self.scenario_file_job(
                    what,
                    Some(format!("Now editing '{to}'")),
                    move |root| {
                        persist::check_name(&new).map_err(|e| e.to_string())?;
                        if persist::path_of(root, &new).exists() {
                            return Err(format!("a scenario named '{new}' already exists"));
                        }
                        persist::save(root, &draft).map_err(|e| e.to_string())?;
                        if rename {
                            let path = persist::path_of(root, &old);
                            std::fs::remove_file(&path)
                                .map_err(|e| format!("{}: {e}", path.display()))?;
                            crate::report::pack::rename_scenario(root, &old, &new)
                                .map_err(|e| e.to_string())?;
                        }
                        Ok(())
                    },
                    move |st, ()| {
                        if rename {
                            for n in st.compare.iter_mut().filter(|n| **n == from) {
                                n.clone_from(&to);
                            }
                        }
                        // Moves made while the file was written are kept.
                        st.draft.name.clone_from(&to);
                        st.opened = Some(to);
                        st.new_name.clear();
                    },
                );
            }
            Command::CompareScenarios(names) => {
                let root = self.root.clone();
                let asked = names.clone();
                // A newer comparison replaces one still running.
                self.start_job(
                    JobKind::Compare,
                    "Projecting the scenarios",
                    move |_| {
                        let (done, problems) = super::commands::project_all(&root, &names);
                        if problems.is_empty() {
                            Ok(done)
                        } else {
                            Err(problems.join("; "))
                        }
                    },
                    move |app, done| {
                        let Some(st) = app.scenario_ui.as_mut() else {
                            return;
                        };
                        match done.and_then(|r| r) {
                            Ok(p) => {
                                st.compared = Some((asked, p));
                                st.problem = None;
                            }
                            Err(e) => st.problem = Some(e),
                        }
                    },
                );
            }
            _ => {}
        }
    }
}
