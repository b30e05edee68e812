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

pub fn show(ui: &mut egui::Ui, model: &Model, month: Month, cmds: &mut Vec<Command>) {
    ui.heading("Data quality");
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
