//! The DfE census return in the app: a return's card in the Import view
//! (what it holds and its validation, before it is stored like any
//! import), and the Census view, which runs `keel census check` on a
//! chosen file and stores nothing.

use super::import::Pending;
use super::jobs::JobKind;
use super::state::Command;
use crate::census::check::Report;
use crate::census::{self, Problem, Summary};
use crate::extract::capped::SHOWN_PER_FILE;
use crate::extract::{Issue, Rejected};
use crate::metrics::census::{PUBLISHED, RECONCILE_TOLERANCE, dfe_round};
use crate::workspace::Workspace;
use eframe::egui;
use std::path::{Path, PathBuf};

/// What a return holds and what validation found, worded as the command
/// line words it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReturnCard {
    /// `None` when the return was refused: its figures cannot be trusted.
    pub summary: Option<Summary>,
    pub errors: usize,
    /// The error lines as `keel import` prints them: the first of the file,
    /// the rest counted by rule.
    pub error_lines: Vec<String>,
    pub warnings: Vec<String>,
}

impl ReturnCard {
    fn valid(summary: Option<Summary>, warnings: &[Problem]) -> ReturnCard {
        ReturnCard {
            summary,
            errors: 0,
            error_lines: Vec::new(),
            warnings: warnings.iter().map(Problem::to_string).collect(),
        }
    }

    fn refused(r: &census::Rejected) -> ReturnCard {
        ReturnCard {
            summary: None,
            errors: r.errors.len(),
            error_lines: census::lines(&r.errors, Some(SHOWN_PER_FILE)).0,
            warnings: r.warnings.iter().map(Problem::to_string).collect(),
        }
    }
}

/// A refused return as the import's refusal (its problems without SWE
/// numbers, as stored warnings are).
fn as_rejected(r: &census::Rejected) -> Rejected {
    let issues = |ps: &[Problem]| ps.iter().map(Problem::to_issue).collect::<Vec<Issue>>();
    Rejected {
        file_name: r.file_name.clone(),
        errors: issues(&r.errors),
        warnings: issues(&r.warnings),
    }
}

/// Read and validate a return for the Import view (background thread):
/// stored, if imported, through the same extract as `keel import FILE.xml`.
pub fn read_return(
    path: PathBuf,
    file_name: String,
    kind: Option<crate::extract::Kind>,
) -> Pending {
    let read =
        census::read_return(&path).and_then(|ret| Ok((census::as_extract(&path, &ret)?, ret)));
    let (outcome, card) = match read {
        Ok((extract, ret)) => (
            Ok(extract),
            ReturnCard::valid(ret.summary().ok(), &ret.warnings),
        ),
        Err(r) => (Err(as_rejected(&r)), ReturnCard::refused(&r)),
    };
    Pending {
        path,
        file_name,
        outcome,
        headers: Vec::new(),
        mapping: Default::default(),
        types: Default::default(),
        applied: None,
        preview: Vec::new(),
        kind,
        month: None,
        month_text: String::new(),
        census: Some(card),
    }
}

fn count(v: f64) -> String {
    crate::extract::capped::thousands(v.round() as usize)
}

/// What the return holds: its year, council and the DfE's counts.
fn summary_grid(ui: &mut egui::Ui, id: &str, s: &Summary) {
    ui.label(format!(
        "DfE census return · census year to 30 September {} · LA code {} · {} records",
        s.year,
        s.la_code.as_deref().unwrap_or("—"),
        crate::extract::capped::thousands(s.records)
    ));
    egui::Grid::new(id).num_columns(2).show(ui, |ui| {
        for (what, v) in [
            (
                "Employed in post on 30 September",
                count(s.employed_in_post),
            ),
            ("Agency workers in post", count(s.agency_in_post)),
            ("Leavers in the year", count(s.leavers)),
            ("Starters in the year", count(s.starters)),
            ("Vacancies (FTE)", format!("{:.1}", s.vacancy_fte)),
        ] {
            ui.label(what);
            ui.strong(v);
            ui.end_row();
        }
    });
}

/// The validation result: valid, or the errors as the command line gives
/// them; then the warnings.
fn validation(ui: &mut egui::Ui, id: &str, c: &ReturnCard) {
    if c.errors == 0 {
        ui.colored_label(
            egui::Color32::from_rgb(0, 140, 70),
            "Valid: no errors against the DfE's schema and rules.",
        );
    } else {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!(
                "{} error(s): the DfE's collection would refuse this return, and nothing from it can be stored.",
                c.errors
            ),
        );
        lines(ui, (id, "errors"), &c.error_lines);
    }
    if !c.warnings.is_empty() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("{} warning(s): odd but legal.", c.warnings.len()),
        );
        lines(ui, (id, "warnings"), &c.warnings);
    }
}

fn lines(ui: &mut egui::Ui, id: (&str, &str), lines: &[String]) {
    egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(160.0)
        .show(ui, |ui| {
            for l in lines {
                ui.add(egui::Label::new(egui::RichText::new(l).monospace()).wrap());
            }
        });
}

/// A return's card in the Import view, below its name and buttons.
pub fn import_card(ui: &mut egui::Ui, idx: usize, c: &ReturnCard) {
    let id = format!("return {idx}");
    if let Some(s) = &c.summary {
        summary_grid(ui, &id, s);
    } else {
        ui.label("DfE census return: correct the file and press Read again.");
    }
    validation(ui, &id, c);
}

/// The Census view's state: the file checked and what the check found.
#[derive(Default)]
pub struct CensusUi {
    pub typing: bool,
    pub path: super::typed_path::TypedPath,
    pub picker_failed: Option<String>,
    pub checked: Option<(PathBuf, Result<Checked, String>)>,
}

/// A return checked against the workspace.
#[derive(Clone, Debug)]
pub struct Checked {
    pub file_name: String,
    pub card: ReturnCard,
    /// `None` when the return was refused: there is nothing to compare.
    pub report: Option<Report>,
}

/// `keel census check` on one file (background thread): validate, then
/// compare with the workspace at `root`. Reads only.
pub fn check(root: &Path, path: &Path) -> Result<Checked, String> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let ret = match census::read_return(path) {
        Ok(r) => r,
        Err(r) => {
            return Ok(Checked {
                file_name,
                card: ReturnCard::refused(&r),
                report: None,
            });
        }
    };
    let ws = if Workspace::exists(root) {
        Some(Workspace::open(root).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let report = census::check::compare(&ret, ws.as_ref()).map_err(|e| e.to_string())?;
    Ok(Checked {
        file_name,
        card: ReturnCard::valid(ret.summary().ok(), &ret.warnings),
        report: Some(report),
    })
}

impl super::KeelApp {
    /// Check a return (at `path`, or one the user chooses) on a job.
    pub(super) fn check_return(&mut self, path: Option<PathBuf>) {
        let path = match path {
            Some(p) => p,
            None => match self.pick_one(
                "Choose a DfE census return to check",
                ("DfE census return", &["xml"]),
                "return",
            ) {
                Ok(Some(p)) => p,
                Ok(None) => return,
                Err(why) => {
                    self.census_ui.picker_failed = Some(why);
                    self.census_ui.typing = true;
                    return;
                }
            },
        };
        let root = self.root.clone();
        let file = path.clone();
        self.start_job(
            JobKind::Census,
            "Checking the census return",
            move |_| check(&root, &file),
            move |app, done| app.census_ui.checked = Some((path, done.and_then(|r| r))),
        );
    }
}

/// A figure as the DfE publishes it: head counts whole, the rest to 1 dp
/// (adding 0.0 turns a rounded -0.0 into 0.0).
fn figure(v: Option<f64>, whole: bool) -> String {
    match v {
        None => "—".into(),
        // `+ 0.0` turns a rounded −0 into 0.
        Some(v) if whole => format!("{}", dfe_round(v, true) + 0.0),
        Some(v) => format!("{:.1}", dfe_round(v, false) + 0.0),
    }
}

/// Each published measure: the return's figure as the DfE rounds it,
/// Keel's September figure and the difference, flagged past 0.1.
fn comparison(ui: &mut egui::Ui, r: &Report) {
    egui::Grid::new("census comparison")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.strong("Published measure");
            ui.strong("DfE, from this return");
            ui.strong("Keel, September");
            ui.strong("Difference");
            ui.end_row();
            for m in &r.measures {
                let published = PUBLISHED.iter().find(|p| p.name == m.measure);
                let whole = published.is_some_and(|p| p.whole);
                // Words for the reader; the DfE's column name, which the
                // command line prints, on hover.
                ui.label(published.map_or(m.measure, |p| p.label))
                    .on_hover_text(format!("The DfE publishes this as {}", m.measure));
                ui.label(figure(m.from_return, whole));
                ui.label(figure(m.keel, whole));
                let d = figure(m.difference, whole);
                match m.difference {
                    Some(v) if v.abs() > RECONCILE_TOLERANCE => {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("{d}  differs"));
                    }
                    _ => {
                        ui.label(d);
                    }
                }
                ui.end_row();
            }
        });
}

/// The records behind the differences, as `keel census check` lists them.
fn records(ui: &mut egui::Ui, r: &Report) {
    egui::ScrollArea::vertical()
        .id_salt("census records")
        .max_height(260.0)
        .show(ui, |ui| {
            egui::Grid::new("census records grid")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for h in ["Record", "Line", "SWE number", "Keel worker", "Detail"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for e in &r.explained {
                        ui.label(e.record.map_or_else(|| "—".into(), |v| v.to_string()));
                        ui.label(e.line.map_or_else(|| "—".into(), |v| v.to_string()));
                        ui.label(e.swe.as_deref().unwrap_or("—"));
                        ui.label(e.worker.as_deref().unwrap_or("—"));
                        ui.add(egui::Label::new(&e.detail).wrap());
                        ui.end_row();
                    }
                });
        });
}

fn result(ui: &mut egui::Ui, c: &Checked, meeting: bool) {
    ui.strong(&c.file_name);
    if let Some(s) = &c.card.summary {
        summary_grid(ui, "census view summary", s);
    }
    validation(ui, "census view", &c.card);
    let Some(r) = &c.report else {
        return;
    };
    ui.separator();
    if !r.september_held {
        let sept = crate::month::Month::new(r.year, 9)
            .map_or_else(|| format!("September {}", r.year), |m| m.to_string());
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "No comparison: this workspace holds no staff-in-post snapshot for September {} ({sept}), the census year's reference month. Import that month's staff-in-post extract to compare. Below is only what the DfE will publish from this return.",
                r.year
            ),
        );
    }
    ui.strong(format!(
        "What the DfE will publish for the year to 30 September {}",
        r.year
    ));
    comparison(ui, r);
    if !r.september_held {
        return;
    }
    ui.separator();
    if meeting {
        ui.label("The records behind the differences are not shown in meeting mode.");
    } else if r.explained.is_empty() {
        ui.label("No record differs from Keel's September data.");
    } else {
        ui.strong(format!(
            "Records behind the differences ({})",
            r.explained.len()
        ));
        records(ui, r);
    }
}

pub fn show(
    ui: &mut egui::Ui,
    st: &mut CensusUi,
    busy: bool,
    meeting: bool,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Census return");
        if ui
            .button("Choose a return…")
            .on_hover_text("A DfE Children's Social Work Workforce census return (XML)")
            .clicked()
        {
            cmds.push(Command::CheckReturn(None));
        }
        super::typed_path::open_button(
            ui,
            &mut st.typing,
            &mut st.path,
            "Name the return by its path instead of choosing it",
        );
        if busy {
            ui.spinner();
            ui.label("Checking…");
        }
    });
    ui.label("Check this year's return before it is sent: Keel validates it as the DfE's collection does, then sets what the DfE will publish from it beside Keel's own September figures. Nothing is stored (the Import view stores a return).");
    if st.typing || st.picker_failed.is_some() {
        let words = super::typed_path::Words {
            label: "Return path",
            hint: "/path/to/csww-return.xml",
            button: "Check this return",
            several: false,
            one: "census return",
        };
        if let Some(path) =
            super::typed_path::field(ui, &mut st.path, &mut st.picker_failed, &words)
                .and_then(|mut p| p.pop())
        {
            cmds.push(Command::CheckReturn(Some(path)));
        }
    }
    ui.separator();
    match &st.checked {
        None => {
            ui.label("No return checked yet.");
        }
        Some((path, Err(e))) => {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("Cannot check {}: {e}", path.display()),
            );
        }
        Some((_, Ok(c))) => {
            egui::ScrollArea::vertical()
                .id_salt("census result")
                .show(ui, |ui| result(ui, c, meeting));
        }
    }
}
