//! The data-quality report: what the metrics had to work around.

use super::model::Model;
use super::state::Command;
use crate::metrics::census::{LeaverBy, LeaverCount};
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
            leavers_section(ui, &model.leavers, month);
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

/// The census year (to 30 September) a month falls in.
fn census_year(m: Month) -> i32 {
    crate::census::validate::census_year_of(m.last_day())
}

/// The census year to show: the one `month` falls in if a return gives
/// it, else the latest held.
pub fn year_shown(rows: &[LeaverCount], month: Option<Month>) -> Option<i32> {
    let wanted = month.map(census_year);
    wanted
        .filter(|y| rows.iter().any(|r| r.census_year == *y))
        .or_else(|| rows.iter().map(|r| r.census_year).max())
}

/// Leavers by reason and by destination for HR: every count, since this
/// view never goes to a meeting, and codes left out named as not recorded
/// (something to put right before the next return).
fn leavers_section(ui: &mut egui::Ui, rows: &[LeaverCount], month: Month) {
    ui.strong("Leavers by reason and destination");
    let Some(year) = year_shown(rows, Some(month)) else {
        ui.label("No census return held: leavers by reason and destination come from the DfE returns (import a return's .xml file). Leavers reports' own free-text reasons are not DfE codes and are not counted here.");
        return;
    };
    if year != census_year(month) {
        ui.weak(format!(
            "No return for the year to 30 September {}: the latest held is shown.",
            census_year(month)
        ));
    }
    leaver_grids(ui, rows, None, year, "quality");
}

/// One census year's leavers as two grids (reason, destination): head
/// count and FTE per code. `withheld` (one flag per line of `rows`, from
/// `report::suppress::leavers_withheld`) shows the lines a meeting may not
/// see as "c"; `None` shows every count.
pub fn leaver_grids(
    ui: &mut egui::Ui,
    rows: &[LeaverCount],
    withheld: Option<&[bool]>,
    year: i32,
    id: &str,
) {
    ui.label(format!(
        "Census year to 30 September {year}, from the return: employed leavers (head count of people, FTE of their posts)."
    ));
    // One under the other: a destination's label is long, and side by
    // side it would wrap to a word a line at 1024 pixels.
    for by in LeaverBy::BOTH {
        let heading = match by {
            LeaverBy::Reason => "Reason for leaving",
            LeaverBy::Destination => "Destination",
        };
        ui.add_space(4.0);
        egui::Grid::new(("leavers", id, by.name()))
            .striped(true)
            .min_col_width(80.0)
            .show(ui, |ui| {
                for h in [heading, "Head count", "FTE"] {
                    ui.strong(h);
                }
                ui.end_row();
                for (i, r) in rows.iter().enumerate() {
                    if r.census_year != year || r.by != by {
                        continue;
                    }
                    ui.label(match r.code {
                        Some(c) => format!("{} ({c})", r.label),
                        None => r.label.clone(),
                    });
                    if withheld.is_some_and(|w| w[i]) {
                        ui.label(crate::report::suppress::MARK);
                        ui.label(crate::report::suppress::MARK);
                    } else {
                        ui.label(r.headcount.to_string());
                        ui.label(format!("{:.1}", r.fte));
                    }
                    ui.end_row();
                }
            });
    }
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
