//! The desktop app: one window over one workspace.
//!
//! [`KeelApp`] holds view state only; the workspace-derived data lives in a
//! [`model::Model`] delivered by background [`jobs`]. Views draw from the
//! model and push [`state::Command`]s; the shell applies them after the
//! frame, which is the only place that opens dialogs or starts jobs.

mod benchmarks;
mod census_view;
mod charts;
mod commands;
mod dashboard;
mod history;
mod import;
mod import_view;
mod jobs;
mod kpi;
mod meeting;
mod model;
mod names;
mod plan_view;
mod quality;
mod scenario_jobs;
mod scenarios;
mod settings_view;
mod shell;
mod state;
mod teams;
mod typed_path;

pub use jobs::JobKind;
pub use state::{Command, PlanCommand, View};

use crate::month::Month;
use crate::settings::Settings;
use crate::workspace::Workspace;
use eframe::egui;
use import::Pending;
use jobs::{Jobs, Progress};
use model::Model;
use state::{Group, Persisted};
use std::path::PathBuf;

const PERSIST_KEY: &str = "keel.view";

/// What a worker list was computed for: the workspace load, month, team.
type AttentionKey = (u64, crate::month::Month, String);
type AttentionRows = (
    AttentionKey,
    Result<Vec<crate::metrics::workers::Attention>, String>,
);

type QualityRows = (
    (u64, crate::month::Month),
    Result<Vec<crate::metrics::quality::FindingRow>, String>,
);

/// A question the user must answer before something irreversible-looking.
#[derive(Clone, Debug)]
enum Confirm {
    Undo,
    /// Import would replace these months already held.
    Replace(Vec<String>),
    /// Remove the plan item with this reference and title.
    RemoveItem(String, String),
}

/// The folder typed (or chosen) for a new empty workspace.
struct EmptyWorkspace {
    path: String,
    picker_failed: Option<String>,
}

#[derive(Clone, Debug)]
enum Notice {
    Info(String),
    Error(String),
}

pub struct KeelApp {
    root: PathBuf,
    persisted: Persisted,
    model: Option<Model>,
    load_error: Option<String>,
    month: Option<Month>,
    group: Group,
    /// Every background job running, and what to do when each finishes.
    jobs: Jobs<KeelApp>,
    pending: Vec<Pending>,
    import_ui: import_view::ImportUi,
    /// Test hook: behave as on a computer without a file-chooser service.
    no_picker: bool,
    confirm: Option<Confirm>,
    /// The question where to start an empty workspace, while it is asked.
    empty_workspace: Option<EmptyWorkspace>,
    notice: Option<Notice>,
    settings_draft: Option<Settings>,
    teams_sort: teams::Sort,
    commands: Vec<Command>,
    fullscreen: bool,
    /// Counts the workspace loads, so work derived from an older load is
    /// recognised as stale.
    generation: u64,
    meeting: Option<meeting::Meeting>,
    scenario_ui: Option<scenarios::ScenarioUi>,
    /// The worker list's team and its rows for a (load, month, team).
    attention_team: Option<String>,
    attention: Option<AttentionRows>,
    /// Identities read from an HR extract for the view on screen: memory
    /// only, dropped when the view changes, meeting mode starts or another
    /// workspace opens.
    identities: Option<std::sync::Arc<crate::workspace::reveal::Identities>>,
    names_ui: names::NamesUi,
    /// The rows behind the data-quality counts, for a (load, month).
    quality_rows: Option<QualityRows>,
    /// The council compared with, once computed.
    bench_view: Option<Result<crate::benchmark::view::CouncilView, String>>,
    /// The pack being edited in the Meeting view, with the saved
    /// scenarios it can show (both read when the view opens).
    pack_draft: Option<(crate::report::pack::Pack, Vec<String>)>,
    /// Whether the pack has been asked for since the view opened (asked
    /// once: a failed read is not repeated by itself).
    pack_asked: bool,
    /// The title last sent to the window, to send it again only on change.
    title: String,
    theme_applied: Option<bool>,
    plan_ui: plan_view::PlanUi,
    census_ui: census_view::CensusUi,
    /// The workspace whose stored files were checked (or are being), and
    /// what failed: each import (or plan edit) missing or changed files,
    /// or why the check could not run. Empty when all is intact.
    integrity: Option<(PathBuf, Option<Vec<String>>)>,
}

impl KeelApp {
    /// Open `root` (creating it with sample data on first run) in the
    /// background. `storage` is eframe's persisted state, if any.
    pub fn new(storage: Option<&dyn eframe::Storage>, root: PathBuf) -> KeelApp {
        let (persisted, notice) = load_persisted(storage);
        let mut app = KeelApp {
            root,
            persisted,
            model: None,
            load_error: None,
            month: None,
            group: Group::all(),
            jobs: Jobs::default(),
            pending: Vec::new(),
            import_ui: import_view::ImportUi::default(),
            no_picker: false,
            confirm: None,
            empty_workspace: None,
            notice,
            settings_draft: None,
            teams_sort: teams::Sort::default(),
            commands: Vec::new(),
            fullscreen: false,
            generation: 0,
            meeting: None,
            scenario_ui: None,
            bench_view: None,
            attention_team: None,
            attention: None,
            identities: None,
            names_ui: names::NamesUi::default(),
            quality_rows: None,
            pack_draft: None,
            pack_asked: false,
            title: String::new(),
            theme_applied: None,
            plan_ui: plan_view::PlanUi::default(),
            census_ui: census_view::CensusUi::default(),
            integrity: None,
        };
        app.start_load(true);
        app
    }

    /// The app without a window or saved state, for tests.
    pub fn new_for_test(root: PathBuf) -> KeelApp {
        KeelApp::new(None, root)
    }

    /// True once the workspace is loaded, no job is running and no command
    /// waits for the next frame (a finished job may queue one that starts
    /// another, such as a reload after an import).
    pub fn is_idle(&self) -> bool {
        self.jobs.is_empty()
            && self.commands.is_empty()
            && (self.model.is_some() || self.load_error.is_some())
    }

    /// How many jobs of `kind` have been started (for tests: a failed job
    /// must not start again by itself).
    #[doc(hidden)]
    pub fn job_starts(&self, kind: JobKind) -> usize {
        self.jobs.starts(kind)
    }

    /// Make the next `times` jobs of `kind` panic as they start working
    /// (for tests of how a failure is reported and retried).
    #[doc(hidden)]
    pub fn panic_next_jobs(&mut self, kind: JobKind, times: usize) {
        self.jobs.panic_next(kind, times);
    }

    /// Start a background job (see [`Jobs::start`]); a refusal becomes the
    /// notice. A panic is also told in the notice, once, and `then` gets it
    /// as an error so the view can offer to try again.
    fn start_job<T: Send + 'static>(
        &mut self,
        kind: JobKind,
        name: &'static str,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
        then: impl FnOnce(&mut KeelApp, Result<T, String>) + 'static,
    ) -> bool {
        match self.jobs.start(kind, name, work, then) {
            Ok(()) => true,
            Err(why) => {
                self.notice = Some(Notice::Error(why.into()));
                false
            }
        }
    }

    /// The error that stopped the last load, if any.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    pub fn root(&self) -> &std::path::Path {
        &self.root
    }

    pub fn view(&self) -> View {
        self.persisted.view
    }

    /// The month the dashboard and the other views show.
    pub fn month(&self) -> Option<Month> {
        self.month
    }

    /// The scenario being edited and its expected path's value of
    /// `metric` after `months` (for tests).
    pub fn scenario_expected(&self, metric: &str, months: usize) -> Option<f64> {
        let ui = self.scenario_ui.as_ref()?;
        let plan = ui.plan().ok()??;
        let path = crate::scenario::model::expected_path(&plan);
        let k = crate::scenario::metric_index(metric)?;
        path.values.get(months.checked_sub(1)?).map(|v| v[k])
    }

    /// The scenario view's draft, for tests to move its levers.
    pub fn scenario_draft(&mut self) -> Option<&mut crate::scenario::persist::Scenario> {
        self.scenario_ui.as_mut().map(|u| &mut u.draft)
    }

    /// Whether the scenario view's bands belong to its draft as it is.
    pub fn scenario_bands_current(&self) -> bool {
        self.scenario_ui
            .as_ref()
            .is_some_and(|u| u.current_bands().is_some())
    }

    /// Names of the scenarios in the last finished comparison.
    pub fn compared(&self) -> Vec<String> {
        self.scenario_ui
            .as_ref()
            .and_then(|u| u.compared.as_ref())
            .map(|(_, done)| done.iter().map(|(s, _)| s.name.clone()).collect())
            .unwrap_or_default()
    }

    /// The title of the slide on screen, when in meeting mode.
    pub fn meeting_slide(&self) -> Option<String> {
        self.meeting.as_ref()?.slide().map(|s| s.title())
    }

    pub fn dark(&self) -> bool {
        self.persisted.dark
    }

    /// Behave as on a computer with no file-chooser service, where the
    /// native picker cannot open (tests: the real one would block them).
    #[doc(hidden)]
    pub fn without_file_picker(&mut self) {
        self.no_picker = true;
    }

    /// Queue a command as if a widget had emitted it (tests use this for
    /// what would otherwise need a native file dialog).
    pub fn command(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Draw one frame into `ui`. eframe calls this through [`eframe::App`];
    /// tests call it directly through egui_kittest.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        shell::frame(self, ui);
    }
}

fn load_persisted(storage: Option<&dyn eframe::Storage>) -> (Persisted, Option<Notice>) {
    let Some(storage) = storage else {
        return (Persisted::default(), None);
    };
    match storage.get_string(PERSIST_KEY) {
        None => (Persisted::default(), None),
        Some(_) => match eframe::get_value::<Persisted>(storage, PERSIST_KEY) {
            Some(p) => (p, None),
            // Saved by another version of Keel: start from the defaults
            // rather than refuse to open.
            None => (
                Persisted::default(),
                Some(Notice::Info(
                    "The saved window state could not be read (it may be from another version of Keel); the defaults are used.".into(),
                )),
            ),
        },
    }
}

impl eframe::App for KeelApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PERSIST_KEY, &self.persisted);
    }
}

pub fn run(root: PathBuf, explicit: bool) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(shell::title_for(&root, false))
            .with_app_id("uk.keel.Keel")
            .with_inner_size([1280.0, 720.0])
            .with_min_inner_size([960.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Keel",
        options,
        Box::new(move |cc| {
            // Without a workspace named on the command line, reopen the one
            // last chosen in the app, if it is still there.
            let root = match load_persisted(cc.storage).0.workspace {
                Some(last) if !explicit && Workspace::exists(&last) => last,
                _ => root,
            };
            Ok(Box::new(KeelApp::new(cc.storage, root)))
        }),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}
