//! The data-quality report: what the metrics had to work around.

use super::model::Model;
use super::state::Command;
use crate::metrics::quality::FindingRow;
use crate::month::Month;
use crate::workspace::reveal::Identities;
use eframe::egui;

/// The rows behind the counts, once listed, and the names read for them.
pub struct Behind<'a> {
    pub rows: Option<&'a Result<Vec<FindingRow>, String>>,
    pub names: Option<&'a Identities>,
    pub names_ui: &'a mut super::names::NamesUi,
    pub reading_names: bool,
}

/// The workers behind one finding, as a table.
fn rows_table(ui: &mut egui::Ui, check: &str, rows: &[&FindingRow], names: Option<&Identities>) {
    egui::CollapsingHeader::new(format!("Rows behind this count ({})", rows.len()))
        .id_salt(("rows", check))
        .show(ui, |ui| {
            egui::Grid::new(("rows grid", check))
                .striped(true)
                .show(ui, |ui| {
                    ui.strong("Worker");
                    if let Some(n) = names {
                        super::names::headers(ui, n);
                    }
                    ui.strong("Month");
                    ui.strong("Team");
                    ui.end_row();
                    for r in rows {
                        ui.monospace(&r.worker_id);
                        if let Some(n) = names {
                            super::names::cells(ui, n, &r.worker_id);
                        }
                        ui.label(r.month.to_string());
                        ui.label(&r.team);
                        ui.end_row();
                    }
                });
        });
}

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
    behind: Behind<'_>,
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
    } else {
        super::names::bar(
            ui,
            behind.names,
            behind.names_ui,
            behind.reading_names,
            cmds,
        );
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
                    match behind.rows {
                        Some(Ok(rows)) => {
                            let mine: Vec<&FindingRow> =
                                rows.iter().filter(|r| r.check == f.check).collect();
                            if !mine.is_empty() {
                                rows_table(ui, f.check, &mine, behind.names);
                            }
                        }
                        Some(Err(e)) => {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                format!("The rows behind the counts could not be listed: {e}"),
                            );
                        }
                        None => {}
                    }
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
                egui::RichText::new("Stored data failed its check: these files are missing or changed since they were imported")
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
