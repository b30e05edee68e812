//! The import view: each pending file's kind, months, headers (with
//! mapping drop-downs) and problems, and the button that imports them.

use super::import::{Pending, already_imported, issues_csv, issues_tsv, refusal};
use super::state::Command;
use crate::extract::fields::Field;
use crate::extract::{ColumnUse, EmploymentType, Issue, Kind, Severity};
use crate::workspace::ImportRecord;
use eframe::egui;

/// The view's own state: where to scroll, and the typed path.
#[derive(Default)]
pub struct ImportUi {
    /// The card to bring into view on the next frame.
    pub scroll_to: Option<usize>,
    /// Whether the path field is shown.
    pub typing_path: bool,
    pub path: super::typed_path::TypedPath,
    /// Why the native file picker could not open, when it could not.
    pub picker_failed: Option<String>,
}

/// Rows of a validation table drawn at once; Copy still takes them all.
const SHOWN_ISSUES: usize = 300;
const IGNORE: &str = "ignore";

fn use_text(u: &ColumnUse) -> String {
    match u {
        ColumnUse::Field(f) => f.label().to_string(),
        ColumnUse::Name => "a person's name: never read or stored".into(),
        ColumnUse::Ignored => "ignored".into(),
        ColumnUse::Unrecognised => "not recognised".into(),
        ColumnUse::NotUsed(f) => format!("{} (not used by this kind)", f.label()),
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
                    // Shown by label; the profile keeps the field's name.
                    let shown = match current.as_deref() {
                        None => "(choose)".to_string(),
                        Some(IGNORE) => "ignore (do not read)".to_string(),
                        Some(n) => n
                            .parse::<Field>()
                            .map_or(n.to_string(), |f| f.label().to_string()),
                    };
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
                                        f.label(),
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
                    .selected_text(current.map_or("(choose)", EmploymentType::label))
                    .show_ui(ui, |ui| {
                        for t in [
                            EmploymentType::Permanent,
                            EmploymentType::FixedTerm,
                            EmploymentType::Secondment,
                            EmploymentType::Agency,
                        ] {
                            if ui.selectable_label(current == Some(t), t.label()).clicked() {
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

/// The kind of a file Keel could not tell, chosen by the user.
fn kind_picker(ui: &mut egui::Ui, idx: usize, p: &mut Pending, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label("Kind of extract:");
        let mut chosen = None;
        egui::ComboBox::from_id_salt(("kind", idx))
            .selected_text(p.kind.map_or("(choose)", Kind::label))
            .show_ui(ui, |ui| {
                for k in Kind::ALL {
                    if ui.selectable_label(p.kind == Some(*k), k.label()).clicked() {
                        chosen = Some(*k);
                    }
                }
            })
            .response
            .accessible_name(format!("Kind of {}", p.file_name));
        if let Some(k) = chosen {
            p.kind = Some(k);
            cmds.push(Command::Remap(idx));
        }
    });
}

/// The month of a file that cannot say its own (an empty leavers report,
/// a caseload file without a snapshot date). Enter reads it again.
fn month_field(ui: &mut egui::Ui, idx: usize, p: &mut Pending, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label("Month of the file:");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut p.month_text)
                    .hint_text("2026-10")
                    .desired_width(80.0),
            )
            .accessible_name(format!("Month of {}", p.file_name));
        let typed = p.month_text.trim().to_string();
        let parsed = typed.parse::<crate::month::Month>();
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let read = ui
            .add_enabled(parsed.is_ok(), egui::Button::new("Use this month"))
            .clicked();
        match parsed {
            Ok(m) if entered || read => {
                p.month = Some(m);
                cmds.push(Command::Remap(idx));
            }
            Err(_) if !typed.is_empty() => {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "write it as year-month: 2026-10",
                );
            }
            _ => {}
        }
    });
}

fn file_card(
    ui: &mut egui::Ui,
    idx: usize,
    p: &mut Pending,
    held: Option<&ImportRecord>,
    cmds: &mut Vec<Command>,
) {
    let (summary, color) = match (&p.outcome, held) {
        (Ok(_), Some(r)) => (
            format!(
                "already imported (import #{} of {}): remove it from the batch",
                r.id, r.file
            ),
            ui.visuals().error_fg_color,
        ),
        (Ok(e), None) if e.warnings.is_empty() => {
            ("ready".to_string(), egui::Color32::from_rgb(0, 140, 70))
        }
        (Ok(e), None) => (
            format!("{} warning(s)", e.warnings.len()),
            ui.visuals().warn_fg_color,
        ),
        (Err(r), _) => (
            format!(
                "refused, {} error(s): nothing from this file can be stored",
                r.errors.len()
            ),
            ui.visuals().error_fg_color,
        ),
    };
    ui.horizontal_wrapped(|ui| {
        ui.strong(&p.file_name);
        ui.colored_label(color, summary);
        if ui
            .button("Read again")
            .on_hover_text(
                "Read the file from disk again (after correcting it), with the mapping chosen here",
            )
            .clicked()
        {
            cmds.push(Command::Remap(idx));
        }
        if ui
            .button("Remove")
            .on_hover_text("Take this file out of the batch; the others stay")
            .clicked()
        {
            cmds.push(Command::RemovePending(idx));
        }
    })
    .response
    .on_hover_text(p.path.display().to_string());
    if let Some(card) = &p.census {
        super::census_view::import_card(ui, idx, card);
        return;
    }
    let n_issues = p.issues().len();
    match &p.outcome {
        Ok(e) => {
            let months = match (e.months.first(), e.months.last()) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a} to {b} ({} months)", e.months.len()),
                _ => "no month (not a monthly extract)".into(),
            };
            ui.label(format!(
                "Kind: {} · months: {months} · rows read: {}",
                e.kind.label(),
                e.rows_read
            ));
        }
        Err(_) => {
            ui.label("Correct the file and press Read again, or map its headers below.");
        }
    }
    if p.needs_kind() {
        kind_picker(ui, idx, p, cmds);
    }
    if p.needs_month() {
        month_field(ui, idx, p, cmds);
    }
    if !p.preview.is_empty() {
        let rows = match p.preview.len() {
            1 => "The first row".to_string(),
            n => format!("First {n} rows"),
        };
        egui::CollapsingHeader::new(format!("{rows}, as written in the file"))
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
    if !p.headers.is_empty() {
        egui::CollapsingHeader::new(format!("Headers ({})", p.headers.len()))
            .id_salt(("headers", idx))
            .default_open(
                p.outcome.is_err() || p.headers.iter().any(|h| h.1 == ColumnUse::Unrecognised),
            )
            .show(ui, |ui| header_table(ui, idx, p, cmds));
    }
    type_table(ui, idx, p, cmds);
    if let Some(from) = &p.applied {
        ui.label(format!("Mapped with the saved profile {from}."));
    }
    if !(p.mapping.is_empty() && p.types.is_empty())
        && ui
            .button("Save mapping as profile…")
            .on_hover_text("Keel applies it to later files with the same headers")
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

/// The typed path: for a computer where the file picker cannot open, and
/// for anyone who would rather type. Enter reads the files.
fn path_field(ui: &mut egui::Ui, st: &mut ImportUi, cmds: &mut Vec<Command>) {
    let words = super::typed_path::Words {
        label: "File path",
        hint: "/path/to/staff-in-post.csv",
        button: "Read these files",
        several: true,
        one: "extract",
    };
    if let Some(paths) = super::typed_path::field(ui, &mut st.path, &mut st.picker_failed, &words) {
        cmds.push(Command::ReadFiles(paths));
    }
}

pub fn show(
    ui: &mut egui::Ui,
    pending: &mut [Pending],
    imports: &[ImportRecord],
    st: &mut ImportUi,
    reading: bool,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Import");
        if ui
            .button("Choose files… (Ctrl+O)")
            .on_hover_text("Or drop files on the window")
            .clicked()
        {
            cmds.push(Command::PickFiles);
        }
        super::typed_path::open_button(
            ui,
            &mut st.typing_path,
            &mut st.path,
            "Name the file by its path instead of choosing it",
        );
        if reading {
            ui.spinner();
            ui.label("Reading…");
        }
    });
    ui.label("Staff in post, leavers, establishment, supervision and caseload extracts (CSV or Excel), and DfE census returns (XML). Drop files anywhere on the window.");
    if st.typing_path || st.picker_failed.is_some() {
        path_field(ui, st, cmds);
    }
    ui.separator();
    if pending.is_empty() {
        ui.label("No files waiting.");
        return;
    }
    let refused: Vec<(usize, String, String)> = pending
        .iter()
        .enumerate()
        .filter_map(|(i, p)| refusal(p, imports).map(|why| (i, p.file_name.clone(), why)))
        .collect();
    let warnings: usize = pending
        .iter()
        .map(|p| match &p.outcome {
            Ok(e) => e.warnings.len(),
            Err(r) => r.warnings.len(),
        })
        .sum();
    if !refused.is_empty() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "{} of {} file(s) refused: nothing is imported until each is corrected and read again, or removed.",
                refused.len(),
                pending.len()
            ),
        );
        // Long batches: at most a few lines here, the rest scroll.
        egui::ScrollArea::vertical()
            .id_salt("refused files")
            .max_height(110.0)
            .show(ui, |ui| {
                for (i, name, why) in &refused {
                    ui.horizontal(|ui| {
                        if ui
                            .link(format!("Go to {name}"))
                            .on_hover_text("Scroll to this file's card")
                            .clicked()
                        {
                            st.scroll_to = Some(*i);
                        }
                        ui.add(egui::Label::new(why).truncate());
                    });
                }
            });
    }
    ui.horizontal(|ui| {
        if !refused.is_empty() {
            ui.add_enabled(false, egui::Button::new("Import these files"))
                .on_disabled_hover_text("Files refused cannot be imported: correct or remove them");
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
            .on_hover_text("Forget all these files")
            .clicked()
        {
            cmds.push(Command::ClearPending);
        }
    });
    ui.separator();
    let target = st.scroll_to.take();
    egui::ScrollArea::vertical()
        .id_salt("pending files")
        .show(ui, |ui| {
            for (i, p) in pending.iter_mut().enumerate() {
                let held = already_imported(p, imports);
                let card = egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_min_width(ui.available_width());
                    file_card(ui, i, p, held, cmds);
                });
                if target == Some(i) {
                    card.response.scroll_to_me(Some(egui::Align::TOP));
                }
                ui.add_space(6.0);
            }
        });
}
