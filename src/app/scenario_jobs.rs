//! The scenario view's background work and commands: calibration when the
//! scope or range changes, the Monte Carlo when the levers settle, the
//! comparison, and saving, duplicating and renaming scenarios.

use super::jobs::{Job, take_done};
use super::scenarios::{CalKey, RUNS, ScenarioUi};
use super::state::{Command, View};
use super::{KeelApp, Notice};
use crate::scenario::persist::{self, Scenario};
use crate::scenario::simulate::project;
use eframe::egui;

impl KeelApp {
    /// Called every frame: collect finished work, start what is due.
    pub(super) fn scenario_work(&mut self, ctx: &egui::Context) {
        let Some(st) = self.scenario_ui.as_mut() else {
            return;
        };
        if let Some(done) = take_done(&mut self.running.calibrate) {
            match done {
                Ok((key, Ok(cal))) => st.calibration = Some((key, cal)),
                Ok((key, Err(e))) => {
                    st.failed = Some(key);
                    st.problem = Some(e);
                }
                Err(e) => st.problem = Some(e),
            }
        }
        if let Some(done) = take_done(&mut self.running.simulate) {
            match done {
                Ok((s, Ok(p))) => st.bands = Some((s, p)),
                Ok((_, Err(e))) | Err(e) => st.problem = Some(e),
            }
        }
        if let Some(done) = take_done(&mut self.running.compare) {
            match done {
                Ok((names, Ok(p))) => st.compared = Some((names, p)),
                Ok((_, Err(e))) | Err(e) => st.problem = Some(e),
            }
        }
        if self.persisted.view != View::Scenarios {
            return;
        }
        st.generation = self.generation;
        let key = CalKey::of(&st.draft, st.generation);
        let calibrated = st.calibration.as_ref().is_some_and(|(k, _)| *k == key);
        let failed = st.failed.as_ref() == Some(&key);
        if !calibrated && !failed && self.running.calibrate.is_none() {
            let root = self.root.clone();
            self.running.calibrate = Some(Job::spawn("Calibrating", self.ctx.clone(), move |_| {
                let cal = crate::scenario::observers(&root)
                    .and_then(|mut o| o.get(key.team.as_deref())?.calibrate(key.from, key.to))
                    .map_err(|e| e.to_string());
                (key, cal)
            }));
            return;
        }
        // The bands follow once the pointer is released: a Monte Carlo per
        // slider step would queue up behind the hand moving it.
        let dragging = ctx.input(|i| i.pointer.any_down());
        let stale = st.bands.as_ref().is_none_or(|(s, _)| *s != st.draft);
        if calibrated && stale && !dragging && self.running.simulate.is_none() {
            match st.plan() {
                Ok(Some(plan)) => {
                    st.problem = None;
                    let snapshot = st.draft.clone();
                    let seed = snapshot.seed;
                    self.running.simulate = Some(Job::spawn(
                        "Running the Monte Carlo",
                        self.ctx.clone(),
                        move |_| {
                            let p = project(&plan, RUNS, seed).map_err(|e| e.to_string());
                            (snapshot, p)
                        },
                    ));
                }
                Ok(None) => {}
                Err(e) => st.problem = Some(e),
            }
        }
    }

    pub(super) fn scenario_command(&mut self, c: Command) {
        let root = self.root.clone();
        let st = self
            .scenario_ui
            .get_or_insert_with(|| ScenarioUi::new(persist::list(&root)));
        let result: Result<Option<String>, String> = match c {
            Command::OpenScenario(name) => persist::load(&persist::path_of(&root, &name))
                .map(|s| {
                    st.draft = s;
                    st.opened = Some(name);
                    None
                })
                .map_err(|e| e.to_string()),
            Command::NewScenario => {
                st.draft = Scenario::new("New scenario");
                st.opened = None;
                Ok(None)
            }
            Command::SaveScenario => persist::save(&root, &st.draft)
                .map(|_| {
                    st.opened = Some(st.draft.name.clone());
                    Some(format!("Saved the scenario '{}'", st.draft.name))
                })
                .map_err(|e| e.to_string()),
            Command::DuplicateScenario | Command::RenameScenario => {
                let to = st.new_name.trim().to_string();
                match st.opened.clone() {
                    None => Err("Save the scenario first".into()),
                    Some(from) => {
                        let rename = matches!(c, Command::RenameScenario);
                        // The draft as it is on screen goes under the new
                        // name, so unsaved slider moves are kept.
                        let mut draft = st.draft.clone();
                        draft.name = to.clone();
                        let done = persist::check_name(&to)
                            .map_err(|e| e.to_string())
                            .and_then(|()| {
                                if persist::path_of(&root, &to).exists() {
                                    Err(format!("a scenario named '{to}' already exists"))
                                } else {
                                    persist::save(&root, &draft).map_err(|e| e.to_string())
                                }
                            })
                            .and_then(|_| {
                                if rename {
                                    let old = persist::path_of(&root, &from);
                                    std::fs::remove_file(&old)
                                        .map_err(|e| format!("{}: {e}", old.display()))?;
                                    crate::report::pack::rename_scenario(&root, &from, &to)
                                        .map_err(|e| e.to_string())?;
                                }
                                Ok(())
                            });
                        done.map(|()| {
                            if rename {
                                for n in st.compare.iter_mut().filter(|n| **n == from) {
                                    n.clone_from(&to);
                                }
                            }
                            st.draft = draft;
                            st.opened = Some(to.clone());
                            st.new_name.clear();
                            Some(format!("Now editing '{to}'"))
                        })
                    }
                }
            }
            Command::CompareScenarios(names) => {
                if self.running.compare.is_none() {
                    self.running.compare = Some(Job::spawn(
                        "Projecting the scenarios",
                        self.ctx.clone(),
                        move |_| {
                            let (done, problems) = super::commands::project_all(&root, &names);
                            let r = if problems.is_empty() {
                                Ok(done)
                            } else {
                                Err(problems.join("; "))
                            };
                            (names, r)
                        },
                    ));
                }
                Ok(None)
            }
            _ => Ok(None),
        };
        let st = self.scenario_ui.as_mut();
        match result {
            Ok(msg) => {
                if let Some(st) = st {
                    st.names = persist::list(&self.root);
                    st.problem = None;
                }
                if let Some(m) = msg {
                    self.notice = Some(Notice::Info(m));
                }
            }
            Err(e) => self.notice = Some(Notice::Error(e)),
        }
    }
}
