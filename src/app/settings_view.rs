//! Targets, caseload limits, standard hours and pseudonymisation. Edits go
//! to a draft; Save writes it to the workspace and recomputes.

use super::kpi::better_word;
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
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    });
    ui.label(format!("Workspace: {}", model.root.display()));
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
                            .selected_text(better_word(t.better))
                            .show_ui(ui, |ui| {
                                ui.selectable_value(
                                    &mut t.better,
                                    Better::Lower,
                                    better_word(Better::Lower),
                                );
                                ui.selectable_value(
                                    &mut t.better,
                                    Better::Higher,
                                    better_word(Better::Higher),
                                );
                            })
                            .response
                            .accessible_name(format!("Direction for {name}"));
                        ui.add(egui::Label::new(egui::RichText::new(&t.source).weak()).wrap());
                        ui.end_row();
                    }
                });
        });
}
