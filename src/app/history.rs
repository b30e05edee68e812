//! Every import, newest first, with undo for the last command's batch.

use super::model::Model;
use super::state::Command;
use crate::workspace::{ImportRecord, Standing};
use eframe::egui;

fn last_batch(model: &Model) -> Vec<&ImportRecord> {
    let Some(batch) = model
        .imports
        .iter()
        .filter(|r| r.is_active())
        .map(|r| r.batch)
        .max()
    else {
        return Vec::new();
    };
    model
        .imports
        .iter()
        .filter(|r| r.batch == batch && r.is_active())
        .collect()
}

/// The improvement plan's versions, newest first (changed in the Plan
/// view or with `keel plan`).
fn plan_edits(ui: &mut egui::Ui, model: &Model) {
    if model.plan.edits.is_empty() {
        return;
    }
    ui.strong("Improvement plan changes");
    egui::Grid::new("plan history grid")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["#", "When", "Status", "Change"] {
                ui.strong(h);
            }
            ui.end_row();
            for e in model.plan.edits.iter().rev() {
                ui.label(e.id.to_string());
                ui.label(
                    e.at.with_timezone(&chrono::Local)
                        .format("%d/%m/%Y %H:%M")
                        .to_string(),
                );
                if e.is_active() {
                    ui.label("active");
                } else {
                    ui.weak("undone");
                }
                ui.label(&e.action);
                ui.end_row();
            }
        });
    ui.add_space(10.0);
    ui.strong("Imports");
}

/// What undo would take back, for the confirmation dialog.
pub fn last_batch_summary(ui: &mut egui::Ui, model: &Model) {
    for r in last_batch(model) {
        ui.label(format!(
            "#{} {} ({}, {} rows)",
            r.id,
            r.file,
            r.kind.name(),
            r.rows
        ));
    }
}

fn months(r: &ImportRecord) -> String {
    match (r.months.first(), r.months.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "—".into(),
    }
}

pub fn show(ui: &mut egui::Ui, model: &Model, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("History");
        if ui
            .add_enabled(model.can_undo(), egui::Button::new("Undo last change…"))
            .on_hover_text(
                "Takes back the last import command (all its files) or plan change, whichever came last. Ctrl+Z does the same.",
            )
            .clicked()
        {
            cmds.push(Command::AskUndo);
        }
    });
    ui.separator();
    if model.imports.is_empty() && model.plan.edits.is_empty() {
        ui.label("Nothing imported yet.");
        return;
    }
    egui::ScrollArea::both().id_salt("history").show(ui, |ui| {
        plan_edits(ui, model);
        egui::Grid::new("history grid")
            .striped(true)
            .num_columns(9)
            .show(ui, |ui| {
                for h in [
                    "#", "Batch", "When", "Kind", "Months", "Rows", "Warnings", "Status", "File",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for r in model.imports.iter().rev() {
                    ui.label(r.id.to_string());
                    ui.label(r.batch.to_string())
                        .on_hover_text("Files imported together are undone together");
                    ui.label(
                        r.imported_at
                            .with_timezone(&chrono::Local)
                            .format("%d/%m/%Y %H:%M")
                            .to_string(),
                    );
                    ui.label(r.kind.label());
                    ui.label(months(r));
                    ui.label(r.rows.to_string());
                    ui.label(r.warnings.to_string());
                    match model.standing(r) {
                        Standing::Active => ui.label("active"),
                        s @ Standing::PartlyReplaced { .. } => ui.label(s.to_string()),
                        s => ui.weak(s.to_string()),
                    }
                    .on_hover_text("Replaced imports stay on disk: undoing the import that replaced them brings their months back");
                    ui.label(&r.file)
                        .on_hover_text(format!("BLAKE3 {}", r.file_hash));
                    ui.end_row();
                }
            });
    });
}
