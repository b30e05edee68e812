//! Targets, caseload limits, standard hours and pseudonymisation. Edits go
//! to a draft; Save writes it to the workspace and recomputes.

use super::model::Model;
use super::state::Command;
use crate::settings::{Better, Settings};
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
                        // The settings file keys targets by the measure's
                        // code name; people know the measure by its label.
                        let label = crate::measure::Measure::parse(name)
                            .map_or(name.as_str(), |m| m.label());
                        ui.label(label)
                            .on_hover_text(format!("Its name in the settings file: {name}"));
                        ui.add(
                            egui::DragValue::new(&mut t.value)
                                .speed(0.1)
                                .max_decimals(2),
                        )
                        .accessible_name(format!("Target for {label}"));
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
                            .accessible_name(format!("Direction for {label}"));
                        ui.add(egui::Label::new(egui::RichText::new(&t.source).weak()).wrap());
                        ui.end_row();
                    }
                });
            ui.add_space(10.0);
            plan(ui, model, cmds);
        });
}

/// The plan's targets and events used to be settings; they live in the
/// plan now (moved there on the first plan change), so this only points
/// there rather than keeping a second editor of the same things.
fn plan(ui: &mut egui::Ui, model: &Model, cmds: &mut Vec<Command>) {
    ui.heading("Improvement plan");
    ui.label(
        "The plan's items, their linked targets (drawn on the charts as the planned \
         trajectory) and its events are kept in the Plan view.",
    );
    if !model.settings.milestones.is_empty() || !model.settings.events.is_empty() {
        ui.label(format!(
            "These settings still hold {} milestone(s) and {} event(s) from before: the Plan \
             view shows them and moves them into the plan with its first change.",
            model.settings.milestones.len(),
            model.settings.events.len()
        ));
    }
    if ui.button("Open the Plan view").clicked() {
        cmds.push(Command::SetView(super::View::Plan));
    }
}
