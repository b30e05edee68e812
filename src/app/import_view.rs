//! The import view: each pending file's kind, months, headers (with
//! mapping drop-downs) and problems, and the button that imports them.

use super::import::{Pending, issues_csv, issues_tsv};
use super::state::Command;
use crate::extract::fields::Field;
use crate::extract::{ColumnUse, EmploymentType, Issue, Severity};
use eframe::egui;

/// Rows of a validation table drawn at once; Copy still takes them all.
const SHOWN_ISSUES: usize = 300;
const IGNORE: &str = "ignore";

fn use_text(u: &ColumnUse) -> String {
    match u {
        ColumnUse::Field(f) => f.name().to_string(),
        ColumnUse::Name => "a person's name: never read or stored".into(),
        ColumnUse::Ignored => "ignored".into(),
        ColumnUse::Unrecognised => "not recognised".into(),
        ColumnUse::NotUsed(f) => format!("{} (not used by this kind)", f.name()),
    }
}

fn header_table(ui: &mut egui::Ui, idx: usize, p: &mut Pending, cmds: &mut Vec<Command>) {
    egui::Grid::new(("headers", idx))
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.strong("Header in the file");
            ui.strong("Read as");
            ui.strong("Map to");
            ui.end_row();
            for (j, (h, u)) in p.headers.iter().enumerate() {
                ui.label(h);
                ui.label(use_text(u));
                let mappable = matches!(u, ColumnUse::Unrecognised) || p.mapping.contains_key(h);
                if mappable {
                    let current = p.mapping.get(h).cloned();
                    let shown = current.clone().unwrap_or_else(|| "(choose)".into());
                    let mut chosen = None;
                    egui::ComboBox::from_id_salt(("map", idx, j))
                        .selected_text(shown)
                        .height(300.0)
                        .show_ui(ui, |ui| {
                            if ui
                                .selectable_label(
                                    current.as_deref() == Some(IGNORE),
                                    "ignore (do not read)",
                                )
                                .clicked()
                            {
                                chosen = Some(IGNORE.to_string());
                            }
                            for f in Field::ALL {
                                if ui
                                    .selectable_label(
                                        current.as_deref() == Some(f.name()),
                                        f.name(),
                                    )
                                    .clicked()
                                {
                                    chosen = Some(f.name().to_string());
                                }
                            }
                        })
                        .response
                        // Named for screen readers without repeating the
                        // header visibly in the same row.
                        .accessible_name(format!("Map {h}"));
                    if let Some(c) = chosen {
                        p.mapping.insert(h.clone(), c);
                        cmds.push(Command::Remap(idx));
                    }
                } else {
                    ui.label("");
                }
                ui.end_row();
            }
        });
}

/// Values of the employment-type column that stopped the file, with the
/// user's choice for each so far.
fn unknown_types(p: &Pending) -> Vec<String> {
    let Some(header) = p
        .headers
        .iter()
        .find(|(_, u)| *u == ColumnUse::Field(Field::EmploymentType))
        .map(|(h, _)| h.as_str())
    else {
        return Vec::new();
    };
    let Err(r) = &p.outcome else {
        return Vec::new();
    };
    let mut values: Vec<String> = r
        .errors
        .iter()
        .filter(|i| i.column.as_deref() == Some(header))
        .filter_map(|i| i.value.clone())
        .filter(|v| !v.trim().is_empty())
        .chain(p.types.keys().cloned())
        .collect();
    values.sort();
    values.dedup();
    values
}

fn type_table(ui: &mut egui::Ui, idx: usize, p: &mut Pending, cmds: &mut Vec<Command>) {
    let values = unknown_types(p);
    if values.is_empty() {
        return;
    }
    ui.strong("Employment types Keel does not know");
    egui::Grid::new(("types", idx))
        .num_columns(2)
        .show(ui, |ui| {
            for (j, v) in values.iter().enumerate() {
                ui.label(v);
                let current = p.types.get(v).copied();
                let mut chosen = None;
                egui::ComboBox::from_id_salt(("type", idx, j))
                    .selected_text(current.map_or("(choose)", EmploymentType::name))
                    .show_ui(ui, |ui| {
                        for t in [
                            EmploymentType::Permanent,
                            EmploymentType::FixedTerm,
                            EmploymentType::Secondment,
                            EmploymentType::Agency,
                        ] {
                            if ui.selectable_label(current == Some(t), t.name()).clicked() {
                                chosen = Some(t);
                            }
                        }
                    })
                    .response
                    .accessible_name(format!("Employment type for {v}"));
                if let Some(t) = chosen {
                    p.types.insert(v.clone(), t);
                    cmds.push(Command::Remap(idx));
                }
                ui.end_row();
            }
        });
}

fn issue_table(ui: &mut egui::Ui, idx: usize, issues: &[&Issue]) {
    egui::Grid::new(("issues", idx))
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["", "Row", "Column", "Value", "Reason"] {
                ui.strong(h);
            }
            ui.end_row();
            for i in issues.iter().take(SHOWN_ISSUES) {
                match i.severity {
                    Severity::Error => ui.colored_label(ui.visuals().error_fg_color, "error"),
                    Severity::Warning => ui.colored_label(ui.visuals().warn_fg_color, "warning"),
                };
                ui.label(i.row.map(|r| r.to_string()).unwrap_or_else(|| "—".into()));
                ui.label(i.column.as_deref().unwrap_or("—"));
                ui.label(i.value.as_deref().unwrap_or(""));
                ui.add(egui::Label::new(&i.reason).wrap());
                ui.end_row();
            }
        });
    if issues.len() > SHOWN_ISSUES {
        ui.label(format!(
            "… and {} more: Copy takes them all.",
            issues.len() - SHOWN_ISSUES
        ));
    }
}

fn file_card(ui: &mut egui::Ui, idx: usize, p: &mut Pending, cmds: &mut Vec<Command>) {
    let n_issues = p.issues().len();
    let (summary, color) = match &p.outcome {
        Ok(e) if e.warnings.is_empty() => {
            ("ready".to_string(), egui::Color32::from_rgb(0, 140, 70))
        }
        Ok(e) => (
            format!("{} warning(s)", e.warnings.len()),
            ui.visuals().warn_fg_color,
        ),
        Err(r) => (
            format!(
                "{} error(s): nothing from this file can be stored",
                r.errors.len()
            ),
            ui.visuals().error_fg_color,
        ),
    };
    ui.horizontal(|ui| {
        ui.strong(&p.file_name);
        ui.colored_label(color, summary);
    });
    match &p.outcome {
        Ok(e) => {
            let months = match (e.months.first(), e.months.last()) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a} to {b} ({} months)", e.months.len()),
                _ => "no month (not a monthly extract)".into(),
            };
            ui.label(format!(
                "Kind: {} · months: {months} · rows read: {}",
                e.kind.name(),
                e.rows_read
            ));
        }
        Err(_) => {
            ui.label("Correct the file and read it again, or map its headers below.");
        }
    }
    if !p.preview.is_empty() {
        egui::CollapsingHeader::new(format!(
            "First {} rows, as written in the file",
            p.preview.len()
        ))
        .id_salt(("preview", idx))
        .show(ui, |ui| {
            egui::ScrollArea::horizontal()
                .id_salt(("preview scroll", idx))
                .show(ui, |ui| {
                    egui::Grid::new(("preview grid", idx))
                        .striped(true)
                        .show(ui, |ui| {
                            for (h, _) in &p.headers {
                                ui.strong(h);
                            }
                            ui.end_row();
                            for row in &p.preview {
                                for v in row {
                                    ui.label(v);
                                }
                                ui.end_row();
                            }
                        });
                });
        });
    }
    egui::CollapsingHeader::new(format!("Headers ({})", p.headers.len()))
        .id_salt(("headers", idx))
        .default_open(
            p.outcome.is_err() || p.headers.iter().any(|h| h.1 == ColumnUse::Unrecognised),
        )
        .show(ui, |ui| header_table(ui, idx, p, cmds));
    type_table(ui, idx, p, cmds);
    if let Some(from) = &p.applied {
        ui.label(format!("Mapped with the saved profile {from}."));
    }
    if !(p.mapping.is_empty() && p.types.is_empty())
        && ui
            .button("Save mapping as profile…")
            .on_hover_text("Keel applies it to later files with the same headers; `keel import --profile` reads it too")
            .clicked()
    {
        cmds.push(Command::SaveProfile {
            index: idx,
            path: None,
        });
    }
    if n_issues > 0 {
        let issues = p.issues();
        ui.horizontal(|ui| {
            ui.strong(format!("Problems ({})", issues.len()));
            if ui
                .button("Copy")
                .on_hover_text("Copy the table as tab-separated text, to paste into a spreadsheet")
                .clicked()
            {
                cmds.push(Command::CopyText(issues_tsv(&issues)));
            }
            if ui
                .button("Save as CSV…")
                .on_hover_text("Save the table to a CSV file")
                .clicked()
            {
                let stem = p
                    .file_name
                    .rsplit_once('.')
                    .map_or(p.file_name.as_str(), |s| s.0);
                cmds.push(Command::SaveCsv {
                    name: format!("{stem}-problems.csv"),
                    text: issues_csv(&issues),
                });
            }
        });
        issue_table(ui, idx, &issues);
    }
}

pub fn show(ui: &mut egui::Ui, pending: &mut [Pending], reading: bool, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Import");
        if ui
            .button("Choose files… (Ctrl+O)")
            .on_hover_text("Or drop files on the window")
            .clicked()
        {
            cmds.push(Command::PickFiles);
        }
        if reading {
            ui.spinner();
            ui.label("Reading…");
        }
    });
    ui.label("Staff in post, leavers, establishment, supervision and caseload extracts: CSV or Excel. Drop files anywhere on the window.");
    ui.separator();
    if pending.is_empty() {
        ui.label("No files waiting.");
        return;
    }
    let errors: usize = pending
        .iter()
        .map(|p| p.outcome.as_ref().err().map_or(0, |r| r.errors.len()))
        .sum();
    let warnings: usize = pending
        .iter()
        .map(|p| match &p.outcome {
            Ok(e) => e.warnings.len(),
            Err(r) => r.warnings.len(),
        })
        .sum();
    ui.horizontal(|ui| {
        if errors > 0 {
            ui.add_enabled(false, egui::Button::new("Import these files"))
                .on_disabled_hover_text("Files with errors cannot be imported");
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "{errors} error(s) block the import: correct the files and read them again."
                ),
            );
        } else if warnings > 0 {
            if ui.button("Accept warnings and import").clicked() {
                cmds.push(Command::Import { replace: false });
            }
            ui.label(format!("{warnings} warning(s): read them below first."));
        } else if ui.button("Import these files").clicked() {
            cmds.push(Command::Import { replace: false });
        }
        if ui
            .button("Clear")
            .on_hover_text("Forget these files")
            .clicked()
        {
            cmds.push(Command::ClearPending);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("pending files")
        .show(ui, |ui| {
            for (i, p) in pending.iter_mut().enumerate() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    file_card(ui, i, p, cmds);
                });
                ui.add_space(6.0);
            }
        });
}
