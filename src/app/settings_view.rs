//! Targets, caseload limits, standard hours and pseudonymisation. Edits go
//! to a draft; Save writes it to the workspace and recomputes.

use super::model::Model;
use super::state::Command;
use crate::month::Month;
use crate::settings::{Better, Event, Milestone, Settings};
use chrono::Datelike as _;
use eframe::egui;

pub fn show(ui: &mut egui::Ui, model: &Model, draft: &mut Settings, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Settings");
        let changed = *draft != model.settings;
        if ui.add_enabled(changed, egui::Button::new("Save")).clicked() {
            cmds.push(Command::SaveSettings(Box::new(draft.clone())));
        }
        if ui
            .add_enabled(changed, egui::Button::new("Discard changes"))
            .clicked()
        {
            *draft = model.settings.clone();
        }
        if let Err(e) = draft.check() {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
        }
    });
    ui.horizontal(|ui| {
        ui.label(format!("Workspace: {}", model.root.display()));
        if ui
            .button("Open another…")
            .on_hover_text("Open the workspace in another folder; Keel reopens it next time")
            .clicked()
        {
            cmds.push(Command::PickWorkspace);
        }
        if ui
            .button("New empty workspace…")
            .on_hover_text("Create a workspace in an empty folder of your choice")
            .clicked()
        {
            cmds.push(Command::PickEmptyWorkspace);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("settings")
        .show(ui, |ui| {
            egui::Grid::new("limits").num_columns(2).show(ui, |ui| {
                ui.label("Council name (report covers)");
                ui.add(egui::TextEdit::singleline(&mut draft.council_name).desired_width(260.0))
                    .accessible_name("Council name");
                ui.end_row();
                ui.label("Standard hours (a full-time week)");
                ui.add(
                    egui::DragValue::new(&mut draft.standard_hours)
                        .range(1.0..=60.0)
                        .speed(0.5),
                )
                .accessible_name("Standard hours");
                ui.end_row();
                ui.label("Caseload limit (standard)");
                ui.add(egui::DragValue::new(&mut draft.caseload_limit_standard).range(0.0..=100.0))
                    .accessible_name("Caseload limit (standard)");
                ui.end_row();
                ui.label("Caseload limit (NQSW)");
                ui.add(egui::DragValue::new(&mut draft.caseload_limit_nqsw).range(0.0..=100.0))
                    .accessible_name("Caseload limit (NQSW)");
                ui.end_row();
                ui.label("Pseudonymise worker identifiers");
                ui.checkbox(&mut draft.pseudonymise, "on import (keyed hash)");
                ui.end_row();
            });
            ui.add_space(10.0);
            ui.heading("Targets");
            egui::Grid::new("targets")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for h in ["Measure", "Target", "Direction", "Source"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for (name, t) in draft.targets.iter_mut() {
                        ui.label(name);
                        ui.add(
                            egui::DragValue::new(&mut t.value)
                                .speed(0.1)
                                .max_decimals(2),
                        )
                        .accessible_name(format!("Target for {name}"));
                        egui::ComboBox::new(("better", name.as_str()), "")
                            .selected_text(t.better.word())
                            .show_ui(ui, |ui| {
                                ui.selectable_value(
                                    &mut t.better,
                                    Better::Lower,
                                    Better::Lower.word(),
                                );
                                ui.selectable_value(
                                    &mut t.better,
                                    Better::Higher,
                                    Better::Higher.word(),
                                );
                            })
                            .response
                            .accessible_name(format!("Direction for {name}"));
                        ui.add(egui::Label::new(egui::RichText::new(&t.source).weak()).wrap());
                        ui.end_row();
                    }
                });
            ui.add_space(10.0);
            plan(ui, model, draft);
        });
}

/// Months offered for milestones and events: those held and three years on.
fn month_choices(model: &Model) -> Vec<Month> {
    let first = model.metrics.months.first().copied();
    let last = model.latest_month();
    match (first, last) {
        (Some(a), Some(b)) => (a.0..=(b + 36).0).map(Month).collect(),
        _ => Vec::new(),
    }
}

fn month_combo(ui: &mut egui::Ui, id: (&str, usize), value: &mut Month, choices: &[Month]) {
    egui::ComboBox::new(id, "")
        .selected_text(value.to_string())
        .height(300.0)
        .show_ui(ui, |ui| {
            for m in choices {
                ui.selectable_value(value, *m, m.to_string());
            }
        })
        .response
        .accessible_name(format!("{} {}", id.0, id.1 + 1));
}

/// The improvement plan: dated milestones (drawn as the planned trajectory)
/// and events (marked on every chart).
fn plan(ui: &mut egui::Ui, model: &Model, draft: &mut Settings) {
    let choices = month_choices(model);
    let Some(latest) = model.latest_month() else {
        return;
    };
    ui.heading("Improvement plan");
    ui.label("Milestones are drawn on the charts as the planned trajectory from the figure at \"from\" (or the previous milestone) to the value by the end of \"by\".");
    let mut remove = None;
    egui::Grid::new("milestones")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["Measure", "From", "By", "Value", ""] {
                ui.strong(h);
            }
            ui.end_row();
            for (i, m) in draft.milestones.iter_mut().enumerate() {
                egui::ComboBox::new(("milestone metric", i), "")
                    .selected_text(m.metric.clone())
                    .show_ui(ui, |ui| {
                        for k in crate::report::measures::KPIS.iter() {
                            ui.selectable_value(&mut m.metric, k.metric.to_string(), k.title);
                        }
                    });
                month_combo(ui, ("Milestone from", i), &mut m.from, &choices);
                month_combo(ui, ("Milestone by", i), &mut m.by, &choices);
                ui.add(
                    egui::DragValue::new(&mut m.value)
                        .speed(0.1)
                        .max_decimals(2),
                )
                .accessible_name(format!("Milestone value {}", i + 1));
                if ui.button("Remove").clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        draft.milestones.remove(i);
    }
    if ui.button("Add milestone").clicked() {
        let first = crate::measure::Measure::headlines()[0];
        let target = draft.targets.get(first.name()).map_or(15.0, |t| t.value);
        draft.milestones.push(Milestone {
            metric: first.name().into(),
            from: latest,
            by: latest + 6,
            value: target,
        });
    }
    ui.add_space(6.0);
    let mut remove = None;
    egui::Grid::new("events")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["Event", "Month", "Day", ""] {
                ui.strong(h);
            }
            ui.end_row();
            for (i, e) in draft.events.iter_mut().enumerate() {
                ui.add(egui::TextEdit::singleline(&mut e.label).desired_width(220.0))
                    .accessible_name(format!("Event {}", i + 1));
                let mut month = Month::of(e.date);
                month_combo(ui, ("Event month", i), &mut month, &choices);
                let mut day = chrono::Datelike::day(&e.date);
                ui.add(egui::DragValue::new(&mut day).range(1..=31))
                    .accessible_name(format!("Event day {}", i + 1));
                // Clamp the day to the month's length (30 February is 28th).
                let date =
                    (0..4).find_map(|back| month.first_day().with_day(day.saturating_sub(back)));
                if let Some(d) = date {
                    e.date = d;
                }
                if ui.button("Remove").clicked() {
                    remove = Some(i);
                }
                ui.end_row();
            }
        });
    if let Some(i) = remove {
        draft.events.remove(i);
    }
    if ui.button("Add event").clicked() {
        draft.events.push(Event {
            date: latest.first_day(),
            label: "Inspection".into(),
        });
    }
}
