//! The command line: how HR automates the monthly import, and how tests and
//! benchmarks drive the core. It is one of the two fronts over the core
//! (the app is the other): the core returns typed errors, and this module
//! prints them (`Display`) to stderr, one per line, and exits 1; clap
//! itself refuses bad arguments with exit code 2.

mod report;
mod scenario;

use crate::extract::{ImportProfile, Kind, ReadOptions, read_extract};
use crate::month::Month;
use crate::workspace::{self, Workspace};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` that ends quietly when the reader has gone (`keel history | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod census;
mod plan;

/// Why a command failed: a core error, or what the command line itself
/// refuses. `main` prints it, a line at a time, and exits 1.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Workspace(#[from] crate::workspace::Error),
    #[error(transparent)]
    Profile(#[from] crate::extract::ProfileError),
    #[error(transparent)]
    Settings(#[from] crate::settings::Error),
    #[error(transparent)]
    Benchmark(#[from] crate::benchmark::Error),
    #[error(transparent)]
    Scenario(#[from] crate::scenario::Error),
    #[error(transparent)]
    Report(#[from] crate::report::Error),
    #[error(transparent)]
    Plan(#[from] crate::plan::Error),
    /// The metrics' own (polars) error.
    #[error(transparent)]
    Metrics(#[from] polars::prelude::PolarsError),
    /// Files that failed validation: the errors (the first of each file
    /// and the rest counted by rule, unless `all`), then what to do.
    #[error(
        "{}\n{} error(s): nothing was stored. Correct the file{} and import again.{}",
        [error_lines(errors, *all), census_lines(census, *all)]
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        crate::extract::capped::thousands(errors.len() + census.len()),
        if *files > 1 { "s" } else { "" },
        flag_hints(errors)
    )]
    Rejected {
        errors: Vec<crate::extract::Issue>,
        /// Census returns' errors (they name records and elements).
        census: Vec<crate::census::Problem>,
        /// How many files the command named.
        files: usize,
        /// `--all-errors`: every line, none counted.
        all: bool,
    },
    #[error("{}: {source}", out.display())]
    Sample {
        out: PathBuf,
        source: crate::sample::Error,
    },
    #[error(
        "no DfE indicators imported yet: run `keel benchmark import FILE` with the DfE workforce indicators CSV"
    )]
    NoIndicators,
    #[error(
        "no leaver in the census returns held: leavers by reason and destination come from the returns (keel import FILE.xml)"
    )]
    NoLeaverCodes,
    /// `keel scenario run --months`.
    #[error("{}: cannot list the folder: {source}", dir.display())]
    Folder {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("--months must be 1 to 60, not {0}")]
    ScenarioMonths(usize),
    #[error("--runs must be 1 to 1,000,000, not {0}")]
    Runs(usize),
    /// `keel report --months`.
    #[error("--months must be 2 to 120, not {0}")]
    ReportMonths(u32),
    #[error("cannot write the output: {0}")]
    Output(crate::table_out::Error),
    /// `keel census check` on a return with errors: they are printed
    /// first; this is the summary line.
    #[error("{0} error(s) in the return: the DfE's collection would refuse it")]
    CensusInvalid(usize),
    #[error(transparent)]
    CensusWrite(#[from] crate::census::write::Error),
    /// The desktop app's own message.
    #[error("{0}")]
    App(String),
}

/// The options that do what the errors ask for. The errors are worded for
/// both the app and the command line ("choose its kind"); here they are
/// tied to the command line's flags.
fn flag_hints(errors: &[crate::extract::Issue]) -> String {
    let mut out = String::new();
    if errors.iter().any(|e| e.reason.contains("choose its kind")) {
        out.push_str("\n--kind workforce|leavers|establishment|supervision|caseload says which kind a file is.");
    }
    if errors
        .iter()
        .any(|e| e.reason.contains("give the file's month"))
    {
        out.push_str("\n--month YYYY-MM gives the file's month.");
    }
    out
}

/// The error lines of a rejected import: all of them, or the first
/// [`SHOWN_ISSUES`] of each file and the rest grouped by rule.
fn error_lines(errors: &[crate::extract::Issue], all: bool) -> String {
    if all {
        return errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n");
    }
    let (shown, omitted) = crate::extract::capped::cap(errors, SHOWN_ISSUES);
    let mut lines: Vec<String> = shown.iter().map(|e| e.to_string()).collect();
    lines.extend(omitted.iter().map(|o| format!("error: {o}")));
    if !omitted.is_empty() {
        lines.push("(--all-errors lists every row)".to_string());
    }
    lines.join("\n")
}

/// The error lines of rejected census returns, cut like extracts' unless
/// `all`.
pub(crate) fn census_lines(problems: &[crate::census::Problem], all: bool) -> String {
    let (mut lines, cut) = crate::census::lines(problems, (!all).then_some(SHOWN_ISSUES));
    if cut {
        lines.push("(--all-errors lists every problem)".to_string());
    }
    lines.join("\n")
}

/// Print a table to stdout in the chosen format.
fn emit(df: &polars::prelude::DataFrame, format: crate::table_out::Format) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    match crate::table_out::write(df, format, &mut stdout.lock()) {
        Ok(()) => Ok(()),
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.is_broken_pipe() => Ok(()),
        Err(e) => Err(Failure::Output(e)),
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "keel",
    version,
    about = "Workforce-stability planner for children's social care.\n\nWith no command, opens the desktop app."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub ws: WorkspaceArg,
}

#[derive(Args, Debug, Clone)]
pub struct WorkspaceArg {
    /// Workspace folder [default: $KEEL_WORKSPACE, else the platform data folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub workspace: Option<PathBuf>,
}

impl WorkspaceArg {
    /// Whether `--workspace` or `$KEEL_WORKSPACE` names the workspace.
    pub fn is_explicit(&self) -> bool {
        self.workspace.is_some()
            || std::env::var_os("KEEL_WORKSPACE").is_some_and(|v| !v.is_empty())
    }

    pub fn root(&self) -> PathBuf {
        self.workspace
            .clone()
            .unwrap_or_else(workspace::default_root)
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate extract files and DfE census returns and store them (all or nothing)
    Import(ImportArgs),
    /// List every import (when, file, hash, kind, months, rows, warnings) and plan edit
    History,
    /// Take back the last import command or plan edit, whichever was later (its data stays on disk)
    Undo,
    /// Write the fictional sample council's extracts
    Sample(SampleArgs),
    /// Print every metric by month and group
    Metrics(MetricsArgs),
    /// The data-quality report: what the metrics had to work around, by month
    Check,
    /// Check every stored file against the checksum recorded when it was stored (exit 1 naming any import whose files are missing or changed)
    Verify,
    /// Show the settings, or change them with --set NAME=VALUE
    Settings(SettingsArgs),
    /// DfE benchmark data: import the indicators or neighbours file, compare a council
    #[command(subcommand)]
    Benchmark(BenchmarkCommand),
    /// Workforce projections: calibrate from history, run a scenario
    #[command(subcommand)]
    Scenario(scenario::ScenarioCommand),
    /// The board report as a PDF: cover, summary, a page per measure, scenarios, appendix
    Report(report::ReportArgs),
    /// One measure's trend chart as a PNG or SVG image
    Chart(report::ChartArgs),
    /// The metrics table as CSV or Excel
    Export(report::ExportArgs),
    /// The improvement plan: import it from a spreadsheet, show it, record progress and events
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// The DfE census return: check a file before it is sent, or write it from the workspace
    #[command(subcommand)]
    Census(census::CensusCommand),
}

#[derive(Args, Debug)]
pub struct SettingsArgs {
    /// NAME=VALUE, e.g. caseload_limit_standard=20 or targets.agency_rate_pct=15
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum BenchmarkCommand {
    /// Import a DfE workforce indicators CSV or a statistical neighbours CSV
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// A council's published series beside its region, England and its neighbours' median
    Show {
        /// Council name, new code (E0…) or old code (e.g. 302)
        #[arg(long, value_name = "NAME_OR_CODE", required_unless_present = "leavers")]
        la: Option<String>,
        /// Instead: the council's own leavers by reason and by destination
        /// from its census returns, counts below 5 withheld ("c"); the DfE
        /// publishes no such breakdown to compare with
        #[arg(long, conflicts_with = "la")]
        leavers: bool,
        #[arg(long, value_enum, default_value = "csv")]
        format: crate::table_out::Format,
    },
}

#[derive(Args, Debug)]
pub struct MetricsArgs {
    /// Only this kind of group [default: all three]
    #[arg(long, value_enum)]
    pub group_by: Option<crate::metrics::GroupKind>,
    #[arg(long, value_name = "YYYY-MM")]
    pub from: Option<Month>,
    #[arg(long, value_name = "YYYY-MM")]
    pub to: Option<Month>,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::table_out::Format,
    /// Compute with the plain reference implementation instead of the fast
    /// engine (slower; the two must agree, so a difference is a bug)
    #[arg(long)]
    pub reference: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// workforce, leavers, establishment, supervision, caseload or census [default: detected from the headers; a .xml file is a census return]
    #[arg(long)]
    pub kind: Option<Kind>,
    /// The month of a snapshot file without a snapshot date column (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// Replace months already held (the old import is kept for undo)
    #[arg(long)]
    pub replace: bool,
    /// Import profile (JSON or TOML) mapping headers and employment types
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Worksheet of an Excel file [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Print every warning [default: the first 50 of each file, then a count]
    #[arg(long)]
    pub all_warnings: bool,
    /// Print every error [default: the first 50 of each file, then the rest counted by rule]
    #[arg(long)]
    pub all_errors: bool,
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Warnings (and errors) printed per file unless `--all-warnings`
/// (`--all-errors`): a national file can infer thousands of leavers, and a
/// wrong `--month` makes every row an error, which would bury the summary.
const SHOWN_ISSUES: usize = crate::extract::capped::SHOWN_PER_FILE;

#[derive(Args, Debug)]
pub struct SampleArgs {
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 180)]
    pub workers: usize,
    #[arg(long, default_value_t = 36)]
    pub months: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.ws.root();
    let result = match cli.command {
        // The app reopens the workspace last chosen in it unless one is named.
        None => crate::app::run(root, cli.ws.is_explicit()).map_err(Failure::App),
        Some(Command::Import(a)) => import(&root, a),
        Some(Command::History) => history(&root),
        Some(Command::Undo) => undo(&root),
        Some(Command::Sample(a)) => sample(a),
        Some(Command::Metrics(a)) => metrics(&root, a),
        Some(Command::Check) => check(&root),
        Some(Command::Verify) => verify(&root),
        Some(Command::Settings(a)) => settings(&root, a),
        Some(Command::Benchmark(c)) => benchmark(&root, c),
        Some(Command::Scenario(c)) => scenario::run(&root, c),
        Some(Command::Report(a)) => report::report(&root, a),
        Some(Command::Chart(a)) => report::chart(&root, a),
        Some(Command::Export(a)) => report::export(&root, a),
        Some(Command::Plan(c)) => plan::run(&root, c),
        Some(Command::Census(c)) => census::run(&root, c),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            for line in failure.to_string().lines() {
                eprintln!("{line}");
            }
            ExitCode::FAILURE
        }
    }
}

fn import(root: &std::path::Path, a: ImportArgs) -> Result<(), Failure> {
    let profile = a.profile.as_deref().map(ImportProfile::load).transpose()?;
    let mut ws = Workspace::open_or_create(root)?;
    let opts = ReadOptions {
        kind: a.kind,
        month: a.month,
        sheet: a.sheet.as_deref(),
        profile: profile.as_ref(),
        standard_hours: ws.settings().standard_hours,
        ..Default::default()
    };
    // A folder stands for its extract files; an improvement plan among
    // them (a file whose name says `plan`) is `keel plan import`'s.
    let mut files = Vec::new();
    let mut plans = Vec::new();
    for f in &a.files {
        if f.is_dir() {
            let folder = |source| Failure::Folder {
                dir: f.clone(),
                source,
            };
            files.extend(crate::first_run::extract_files(f).map_err(folder)?);
            plans.extend(crate::first_run::plan_files(f).map_err(folder)?);
        } else if crate::plan::import::is_plan_file(f) {
            plans.push(f.clone());
        } else {
            files.push(f.clone());
        }
    }
    for p in &plans {
        say!(
            "skipped {}: an improvement plan, not an extract (`keel plan import` reads it)",
            p.display()
        );
    }
    if files.is_empty() {
        say!("no extract to import");
        return Ok(());
    }
    let mut extracts = Vec::new();
    let mut errors = Vec::new();
    let mut census_errors = Vec::new();
    for f in &files {
        // A census return is XML (or named as one with --kind census);
        // it becomes an extract of kind census, stored like any other.
        if a.kind == Some(Kind::Census) || crate::census::is_return(f) {
            match crate::census::read_as_extract(f) {
                Ok(e) => extracts.push(e),
                Err(rejected) => census_errors.extend(rejected.errors),
            }
            continue;
        }
        match read_extract(f, &opts) {
            Ok(e) => extracts.push(e),
            Err(rejected) => errors.extend(rejected.errors),
        }
    }
    if !errors.is_empty() || !census_errors.is_empty() {
        return Err(Failure::Rejected {
            errors,
            census: census_errors,
            files: files.len(),
            all: a.all_errors,
        });
    }
    let stored = ws.import(extracts, a.replace)?;
    for (r, warnings) in stored.records.iter().zip(&stored.warnings) {
        say!(
            "stored import #{}: {} ({}{}), {} rows of {} read, {} warning(s)",
            r.id,
            r.file,
            r.kind,
            month_span(&r.months),
            r.rows,
            r.rows_read,
            r.warnings
        );
        for rep in &r.replaced {
            say!(
                "  replaces {} from import #{} (kept; `keel undo` restores it)",
                rep.month,
                rep.import
            );
        }
        let shown = if a.all_warnings {
            warnings.len()
        } else {
            SHOWN_ISSUES
        };
        for w in warnings.iter().take(shown) {
            say!("  {w}");
        }
        if warnings.len() > shown {
            say!(
                "  … and {} more warning(s) for this file: --all-warnings prints them all",
                warnings.len() - shown
            );
        }
    }
    Ok(())
}

fn month_span(months: &[Month]) -> String {
    match (months.first(), months.last()) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a} to {b}, {} months", months.len()),
        _ => String::new(),
    }
}

fn status_word(s: workspace::Status) -> &'static str {
    match s {
        workspace::Status::Active => "active",
        workspace::Status::Undone => "undone",
    }
}

fn history(root: &std::path::Path) -> Result<(), Failure> {
    let ws = Workspace::open(root)?;
    let m = ws.manifest();
    if m.imports.is_empty() {
        say!("no imports yet in {}", root.display());
    } else {
        import_history(m);
    }
    if !m.plan_edits.is_empty() {
        say!("");
        say!("{:>4}  {:<16}  {:<7}  plan edit", "id", "edited", "status");
        for e in &m.plan_edits {
            say!(
                "{:>4}  {:<16}  {:<7}  {}",
                e.id,
                e.at.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M"),
                status_word(e.status),
                e.action
            );
        }
    }
    Ok(())
}

fn import_history(m: &workspace::Manifest) {
    say!(
        "{:>4}  {:<16}  {:<13}  {:<17}  {:>7}  {:>8}  {:<20}  {:<12}  file",
        "id",
        "imported",
        "kind",
        "months",
        "rows",
        "warnings",
        "status",
        "hash"
    );
    for r in &m.imports {
        let months = match (r.months.first(), r.months.last()) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}..{b}"),
            _ => "-".into(),
        };
        // The same words as the app's History view.
        let status = m.standing(r).to_string();
        say!(
            "{:>4}  {:<16}  {:<13}  {:<17}  {:>7}  {:>8}  {:<20}  {:<12}  {}",
            r.id,
            r.imported_at
                .with_timezone(&chrono::Local)
                .format("%d/%m/%Y %H:%M"),
            r.kind.name(),
            months,
            r.rows,
            r.warnings,
            status,
            &r.file_hash[..12.min(r.file_hash.len())],
            r.file
        );
    }
}

fn undo(root: &std::path::Path) -> Result<(), Failure> {
    let mut ws = Workspace::open(root)?;
    let undone = match ws.undo()? {
        workspace::Undone::Imports(records) => records,
        workspace::Undone::PlanEdit(e) => {
            say!("undid plan edit #{}: {}", e.id, e.action);
            let back = &e.from_settings;
            if !back.is_empty() {
                say!(
                    "  {} milestone(s) and {} event(s) are back in the settings",
                    back.milestones.len(),
                    back.events.len()
                );
            }
            match ws.manifest().active_plan_edit() {
                Some(now) => say!(
                    "  the plan is now that of edit #{} ({})",
                    now.id,
                    now.action
                ),
                None => say!("  the workspace now holds no plan"),
            }
            return Ok(());
        }
    };
    for r in &undone {
        say!(
            "undid import #{}: {} ({}{})",
            r.id,
            r.file,
            r.kind,
            month_span(&r.months)
        );
        for m in &r.months {
            if let Some(o) = ws
                .manifest()
                .owner(r.kind, *m)
                .filter(|_| r.kind.is_monthly())
            {
                say!("  {m} now comes from import #{} ({})", o.id, o.file);
            }
        }
    }
    Ok(())
}

fn sample(a: SampleArgs) -> Result<(), Failure> {
    let opts = crate::sample::SampleOptions {
        workers: a.workers,
        months: a.months,
        seed: a.seed,
        single_csv: a.workers > 1000,
    };
    let summary = crate::sample::generate(&opts, &a.out).map_err(|source| Failure::Sample {
        out: a.out.clone(),
        source,
    })?;
    say!(
        "wrote {} files to {}: {} workforce rows over {} months",
        summary.files.len(),
        a.out.display(),
        summary.workforce_rows,
        summary.months.len()
    );
    Ok(())
}

fn metrics(root: &std::path::Path, a: MetricsArgs) -> Result<(), Failure> {
    use crate::metrics::GroupKind;
    let all = if a.reference {
        let ws = Workspace::open_existing(root)?;
        let limits = ws.settings().limits();
        let inputs = ws.inputs()?;
        let monthly = inputs
            .as_ref()
            .map(|i| crate::metrics::reference::compute_reference(i, limits))
            .transpose()?;
        let returns = ws.load(Kind::Census)?;
        let workforce = inputs.as_ref().map(|i| &i.workforce);
        crate::metrics::census::with_returns(monthly, returns.as_ref(), workforce, limits)?
            .ok_or_else(|| workspace::Error::NoSnapshot {
                root: root.to_path_buf(),
            })?
    } else {
        crate::report::workspace_metrics(root)?.2
    };
    let kinds = match a.group_by {
        Some(k) => vec![k],
        None => vec![GroupKind::All, GroupKind::Service, GroupKind::Team],
    };
    let mut clock = std::time::Instant::now();
    let df = crate::metrics::select(&all, &kinds, a.from, a.to)?;
    let out = emit(&df, a.format);
    crate::trace::lap("metrics: output", &mut clock);
    out
}

fn check(root: &std::path::Path) -> Result<(), Failure> {
    let ws = Workspace::open(root)?;
    let returns = ws.load(Kind::Census)?;
    let inputs = match (ws.inputs()?, &returns) {
        (Some(i), _) => Some(i),
        (None, Some(_)) => None,
        (None, None) => ws.required_inputs().map(Some)?,
    };
    let limits = ws.settings().limits();
    let mut findings = Vec::new();
    if let Some(inputs) = &inputs {
        findings = crate::metrics::quality::report(inputs, limits, &ws.stored_warnings())?;
    }
    // A census year held both as a return and as monthly snapshots: where
    // the two disagree, HR has a record to put right on one side.
    let mut disagreements = Vec::new();
    if let (Some(inputs), Some(r)) = (&inputs, &returns) {
        let monthly =
            crate::metrics::compute_kinds(inputs, limits, &[crate::metrics::GroupKind::All])?;
        let annual = crate::metrics::census::annual(r, limits, Some(&inputs.workforce))?;
        disagreements = census::disagreements(&monthly, &annual)?;
    }
    if findings.is_empty() && disagreements.is_empty() {
        say!("no data-quality findings");
    }
    for f in findings {
        let month = f.month.map(|m| m.to_string()).unwrap_or_else(|| "-".into());
        say!("{month}  {:<26} {:>5}  {}", f.check, f.count, f.detail);
    }
    for line in disagreements {
        say!("{line}");
    }
    let leavers = match &returns {
        Some(r) => crate::metrics::census::leavers_by(r)?,
        None => Vec::new(),
    };
    if !leavers.is_empty() {
        say!("");
        say!(
            "leavers by reason and by destination, from the census returns (all counts, for HR: not for a meeting)"
        );
        emit(
            &census::leavers_table(&leavers, None)?,
            crate::table_out::Format::Text,
        )?;
    }
    Ok(())
}

fn verify(root: &std::path::Path) -> Result<(), Failure> {
    let mut ws = Workspace::open_existing(root)?;
    let v = ws.verify()?;
    let m = ws.manifest();
    say!(
        "manifest {}: ok ({} imports, {} plan edits, {} benchmark files)",
        workspace::MANIFEST,
        m.imports.len(),
        m.plan_edits.len(),
        m.benchmarks.len()
    );
    for c in &v.checked {
        say!("{c}");
    }
    if v.imports_recorded > 0 {
        say!(
            "recorded checksums for {} imports written before checksums existed",
            v.imports_recorded
        );
    }
    if v.others_recorded > 0 {
        say!(
            "recorded checksums for {} plan edits and benchmark files written before checksums existed",
            v.others_recorded
        );
    }
    if v.deferred {
        say!(
            "some files have no checksum yet and another Keel process is changing the workspace: run keel verify again to record them"
        );
    }
    match v.error(root) {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

fn settings(root: &std::path::Path, a: SettingsArgs) -> Result<(), Failure> {
    let mut ws = Workspace::open_or_create(root)?;
    if !a.set.is_empty() {
        let mut s = ws.settings().clone();
        for assignment in &a.set {
            s.set(assignment)?;
        }
        ws.save_settings(s)?;
    }
    let s = ws.settings();
    say!("standard_hours = {}", s.standard_hours);
    say!("pseudonymise = {}", s.pseudonymise);
    say!("caseload_limit_nqsw = {}", s.caseload_limit_nqsw);
    say!("caseload_limit_standard = {}", s.caseload_limit_standard);
    for (name, t) in &s.targets {
        let better = match t.better {
            crate::settings::Better::Lower => "lower",
            crate::settings::Better::Higher => "higher",
        };
        say!(
            "targets.{name} = {} ({better} is better; {})",
            t.value,
            t.source
        );
    }
    Ok(())
}

fn benchmark(root: &std::path::Path, c: BenchmarkCommand) -> Result<(), Failure> {
    use crate::benchmark::{self, SourceKind};
    match c {
        BenchmarkCommand::Import { file } => {
            let mut source = benchmark::read_source(&file)?;
            let mut ws = Workspace::open_or_create(root)?;
            let r = ws.import_benchmark(&mut source, &file)?;
            say!(
                "stored benchmark #{}: {} ({}), {} rows read, {} warning(s)",
                r.id,
                r.file,
                r.kind.name(),
                r.rows_read,
                r.warnings
            );
            for w in &source.warnings {
                say!("  warning: {w}");
            }
            Ok(())
        }
        BenchmarkCommand::Show {
            leavers: true,
            format,
            ..
        } => {
            let ws = Workspace::open_existing(root)?;
            let rows = match ws.load(Kind::Census)? {
                Some(r) => crate::metrics::census::leavers_by(&r)?,
                None => Vec::new(),
            };
            if rows.is_empty() {
                return Err(Failure::NoLeaverCodes);
            }
            let withheld = crate::report::suppress::leavers_withheld(&rows);
            if format == crate::table_out::Format::Text {
                say!("{}", crate::benchmark::NO_LEAVER_COMPARISON);
                say!("{}", crate::report::suppress::MARK_MEANING);
            } else {
                eprintln!("{}", crate::benchmark::NO_LEAVER_COMPARISON);
            }
            emit(&census::leavers_table(&rows, Some(&withheld))?, format)
        }
        BenchmarkCommand::Show { la, format, .. } => {
            let la = la.unwrap_or_default();
            let ws = Workspace::open(root)?;
            let Some(ind) = ws.load_benchmark(SourceKind::Indicators)? else {
                return Err(Failure::NoIndicators);
            };
            let sn = ws.load_benchmark(SourceKind::Neighbours)?;
            let council = benchmark::find_council(&ind, &la)?;
            let df = benchmark::compare(&ind, sn.as_ref(), &council)?;
            emit(&df, format)
        }
    }
}
