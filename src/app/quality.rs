//! The data-quality report: what the metrics had to work around.

use super::model::Model;
use super::state::Command;
use crate::month::Month;
use eframe::egui;

fn check_title(check: &str) -> String {
    let t = check.replace('_', " ");
    let mut c = t.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

pub fn show(
    ui: &mut egui::Ui,
    model: &Model,
    month: Month,
    failed: &[String],
    cmds: &mut Vec<Command>,
) {
    ui.heading("Data quality");
    if !failed.is_empty() {
        intact_badge(ui, failed);
    }
    super::dashboard::selectors(ui, model, month, None, cmds);
    ui.separator();
    let here: Vec<_> = model.findings_for(month).collect();
    if here.is_empty() {
        ui.label(format!("No findings for {month}."));
    }
    egui::ScrollArea::vertical()
        .id_salt("quality")
        .show(ui, |ui| {
            for f in &here {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    ui.horizontal(|ui| {
                        ui.strong(check_title(f.check));
                        ui.label(format!("{}", f.count));
                        if f.month.is_none() {
                            ui.weak("(whole series)");
                        }
                    });
                    ui.add(egui::Label::new(&f.detail).wrap());
                });
            }
            ui.add_space(12.0);
            egui::CollapsingHeader::new(format!("All months ({} findings)", model.findings.len()))
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("all findings")
                        .striped(true)
                        .show(ui, |ui| {
                            for h in ["Month", "Check", "Count"] {
                                ui.strong(h);
                            }
                            ui.end_row();
                            for f in &model.findings {
                                ui.label(f.month.map_or("—".into(), |m| m.to_string()));
                                ui.label(check_title(f.check));
                                ui.label(f.count.to_string());
                                ui.end_row();
                            }
                        });
                });
        });
}

/// Red, above everything: stored data that is not what was stored makes
/// every figure below it doubtful.
fn intact_badge(ui: &mut egui::Ui, failed: &[String]) {
    let red = egui::Color32::from_rgb(0xB0, 0x1E, 0x1E);
    egui::Frame::new()
        .fill(red)
        .corner_radius(4.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.label(
                egui::RichText::new("Stored data failed its check (keel verify)")
                    .strong()
                    .color(egui::Color32::WHITE),
            );
            for f in failed {
                ui.label(egui::RichText::new(f).color(egui::Color32::WHITE));
            }
            ui.label(
                egui::RichText::new(
                    "Figures from these cannot be trusted: restore the workspace folder from a backup.",
                )
                .color(egui::Color32::WHITE),
            );
        });
    ui.add_space(6.0);
}
