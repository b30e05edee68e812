//! `keel plan import|show|set|event`: the improvement plan from the command
//! line. The work is the core's (`crate::plan`); this reads the arguments
//! and prints what was stored.

use super::{Failure, emit};
use crate::plan::{self, Saved, Status};
use crate::table_out::Format;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// Read the plan from a CSV or Excel file and store it (all or nothing), replacing any plan held
    Import(ImportArgs),
    /// One row per item and linked measure: due date, status, RAG, target, actual, attainment
    Show(ShowArgs),
    /// Record an item's new status or a dated evidence note
    Set(SetArgs),
    /// Add a dated event: the peer review, a scrutiny meeting
    Event(EventArgs),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The plan's start, the inspection report's date [default: the file's 'Plan start' column, else the earliest due date when every item has one]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<NaiveDate>,
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The date status and RAG are worked out as of [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_at: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args(["status", "evidence"])))]
pub struct SetArgs {
    /// The item's reference, e.g. R3
    #[arg(value_name = "REF")]
    pub reference: String,
    /// not started, in progress, done or dropped
    #[arg(long, value_name = "STATUS")]
    pub status: Option<Status>,
    /// A note of what was done, dated --date
    #[arg(long, value_name = "TEXT")]
    pub evidence: Option<String>,
    /// When the status changed, or the evidence is dated [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

#[derive(Args, Debug)]
pub struct EventArgs {
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: NaiveDate,
    /// What happens: "Peer review", "Scrutiny committee"
    #[arg(long, value_name = "TEXT")]
    pub label: String,
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn run(root: &Path, c: PlanCommand) -> Result<(), Failure> {
    match c {
        PlanCommand::Import(a) => {
            let mut ws = Workspace::open_or_create(root)?;
            let saved = plan::store::import(&mut ws, &a.file, a.start)?;
            report(&saved);
            if let Some(p) = ws.plan()? {
                say!("  plan start {}: windows fall due from it", p.start);
            }
            if let Some(r) = &saved.replaced {
                say!(
                    "  replaces the plan of edit #{} ({}); it is kept and `keel undo` restores it",
                    r.id,
                    r.action
                );
            }
            Ok(())
        }
        PlanCommand::Show(a) => {
            let ws = Workspace::open_existing(root)?;
            let Some(p) = plan::store::plan_or_settings(&ws)? else {
                return Err(plan::Error::NoPlan {
                    root: root.to_path_buf(),
                }
                .into());
            };
            let figures = plan::show::whole_service(&ws)?;
            let rows = plan::show::rows(&p, &figures, a.as_at.unwrap_or_else(today));
            let df = plan::show::frame(&rows).map_err(plan::Error::Metrics)?;
            emit(&df, a.format)
        }
        PlanCommand::Set(a) => {
            let mut ws = Workspace::open_existing(root)?;
            let saved = plan::store::set(
                &mut ws,
                &a.reference,
                a.status,
                a.evidence.as_deref(),
                a.date.unwrap_or_else(today),
            )?;
            report(&saved);
            Ok(())
        }
        PlanCommand::Event(a) => {
            let mut ws = Workspace::open_existing(root)?;
            let saved = plan::store::add_event(&mut ws, a.date, &a.label)?;
            report(&saved);
            Ok(())
        }
    }
}

/// What a plan change stored, as `keel import` says what it stored.
fn report(saved: &Saved) {
    if let Some(m) = &saved.moved {
        match &m.edit {
            Some(e) => say!("stored plan edit #{}: {}", e.id, e.action),
            None => say!(
                "the settings' milestones and events were already in the plan: removed from the settings"
            ),
        }
    }
    say!("stored plan edit #{}: {}", saved.edit.id, saved.edit.action);
}
