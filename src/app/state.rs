//! What the shell remembers between runs, and the commands views emit.
//!
//! Views never perform side effects themselves (file dialogs, writes to the
//! workspace, spawning jobs): they push a [`Command`], and the shell applies
//! the commands after the frame. Tests drive the same commands directly.

pub use crate::metrics::table::Group;
use crate::month::Month;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Dashboard,
    Teams,
    Plan,
    Import,
    History,
    Quality,
    Census,
    Benchmarks,
    Scenarios,
    Meeting,
    Settings,
}

impl View {
    pub const ALL: [View; 11] = [
        View::Dashboard,
        View::Teams,
        View::Plan,
        View::Import,
        View::History,
        View::Quality,
        View::Census,
        View::Benchmarks,
        View::Scenarios,
        View::Meeting,
        View::Settings,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Dashboard => "Dashboard",
            View::Teams => "Teams",
            View::Plan => "Plan",
            View::Import => "Import",
            View::History => "History",
            View::Quality => "Data quality",
            View::Census => "Census",
            View::Benchmarks => "Benchmarks",
            View::Scenarios => "Scenarios",
            View::Meeting => "Meeting",
            View::Settings => "Settings",
        }
    }
}

/// How much history the dashboard's charts show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Range {
    #[default]
    All,
    Last12,
    Last24,
    Last36,
}

impl Range {
    pub const ALL: [Range; 4] = [Range::All, Range::Last12, Range::Last24, Range::Last36];

    pub fn months(self) -> Option<i32> {
        match self {
            Range::All => None,
            Range::Last12 => Some(12),
            Range::Last24 => Some(24),
            Range::Last36 => Some(36),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::All => "All months",
            Range::Last12 => "Last 12 months",
            Range::Last24 => "Last 24 months",
            Range::Last36 => "Last 36 months",
        }
    }
}

/// The part of the view state kept between runs (window size is kept by
/// eframe itself).
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Persisted {
    pub view: View,
    pub dark: bool,
    pub range: Range,
    /// Import profiles saved from the app, offered again for new files.
    pub profiles: Vec<PathBuf>,
    /// Pixel size of saved chart images.
    pub image_size: ImageSize,
    /// The council the benchmarks compare with (name or code).
    pub council: String,
    /// The workspace last opened or created in the app.
    pub workspace: Option<PathBuf>,
}

/// Sizes offered for saved chart images.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ImageSize {
    #[default]
    Slide,
    Small,
    Uhd,
}

impl ImageSize {
    pub const ALL: [ImageSize; 3] = [ImageSize::Slide, ImageSize::Small, ImageSize::Uhd];

    pub fn pixels(self) -> (u32, u32) {
        match self {
            ImageSize::Slide => (1920, 1080),
            ImageSize::Small => (1280, 720),
            ImageSize::Uhd => (3840, 2160),
        }
    }

    pub fn label(self) -> String {
        let (w, h) = self.pixels();
        let what = match self {
            ImageSize::Slide => "slide",
            ImageSize::Small => "document",
            ImageSize::Uhd => "4K",
        };
        format!("{w}×{h} ({what})")
    }
}

/// Something a view asks the shell to do.
#[derive(Clone, Debug)]
pub enum Command {
    SetView(View),
    SelectMonth(Month),
    SelectGroup(Group),
    /// Ask for files with the native dialog.
    PickFiles,
    /// Read these files (from the dialog, a drop, or a test).
    ReadFiles(Vec<PathBuf>),
    /// Read one pending file again (fixed meanwhile, or with the header
    /// mapping or kind the user chose), in its place.
    Remap(usize),
    /// Check a DfE census return (at this path, or one the user chooses)
    /// against the workspace, storing nothing.
    CheckReturn(Option<PathBuf>),
    /// Take one file out of the files waiting to be imported.
    RemovePending(usize),
    /// Import the pending files; `replace` replaces months already held.
    Import {
        replace: bool,
    },
    ClearPending,
    /// Read an HR extract (at this path, or one the user chooses) to show
    /// the identities behind the pseudonyms listed in the view.
    ShowNames(Option<PathBuf>),
    /// Forget the identities read.
    HideNames,
    /// Stop waiting for a job that stores nothing (reading files).
    CancelJob(super::jobs::JobKind),
    /// Start again the scenario view's calibration or Monte Carlo that
    /// failed (a failed job is never restarted by itself).
    RetryScenario,
    /// Ask to confirm undoing the last import.
    AskUndo,
    Undo,
    SaveSettings(Box<Settings>),
    /// Start an empty workspace, in `Some(dir)` or a folder we choose.
    NewEmptyWorkspace(Option<PathBuf>),
    PickEmptyWorkspace,
    /// Choose a folder with the native dialog and open the workspace in it.
    PickWorkspace,
    OpenWorkspace(PathBuf),
    CopyText(String),
    /// Save the mapping of pending file `index` as an import profile, at
    /// `path` or where the user chooses.
    SaveProfile {
        index: usize,
        path: Option<PathBuf>,
    },
    /// Ask where to save `text`, suggesting the file name `name`.
    SaveCsv {
        name: String,
        text: String,
    },
    ToggleTheme,
    ToggleFullscreen,
    /// Save one measure's chart (for the selected group and range) as PNG
    /// or SVG, at `path` or where the user chooses.
    SaveChart {
        metric: String,
        path: Option<PathBuf>,
    },
    /// Save a chart already worked out (scenario, benchmark) as PNG or SVG.
    SaveSpec {
        spec: Box<crate::report::chart::ChartSpec>,
        name: String,
        path: Option<PathBuf>,
    },
    /// Export the metrics table as CSV or Excel.
    ExportMetrics(Option<PathBuf>),
    /// Write the board report for the selected month and group (with the
    /// meeting pack's scenarios).
    WriteReport(Option<PathBuf>),
    /// Choose a DfE benchmark file with the native dialog, then import it.
    PickBenchmark,
    ImportBenchmark(PathBuf),
    /// Compare with this council (name or code) and remember it.
    ChooseCouncil(String),
    /// Open a saved scenario in the scenario view.
    OpenScenario(String),
    /// Save the scenario being edited under its name.
    SaveScenario,
    NewScenario,
    /// Copy the opened scenario under the name typed in "new name".
    DuplicateScenario,
    RenameScenario,
    /// Project these saved scenarios side by side.
    CompareScenarios(Vec<String>),
    /// Save the meeting pack in the workspace.
    SavePack(Box<crate::report::pack::Pack>),
    /// Open the saved pack full screen, first slide.
    StartMeeting,
    /// Move this many slides (negative: back).
    SlideStep(i32),
    EndMeeting,
    /// A change to the improvement plan (stored on a background job).
    Plan(PlanCommand),
}

/// What the Plan view asks for. Every change is stored through the plan
/// store: atomically, listed in history and undoable.
#[derive(Clone, Debug)]
pub enum PlanCommand {
    /// A new empty plan started on this date.
    Start(chrono::NaiveDate),
    /// Choose a plan spreadsheet with the native dialog, then import it.
    Pick {
        start: Option<chrono::NaiveDate>,
    },
    /// Import this plan file, replacing any plan held.
    Import {
        path: PathBuf,
        start: Option<chrono::NaiveDate>,
    },
    SetStatus {
        reference: String,
        status: crate::plan::Status,
        date: chrono::NaiveDate,
    },
    AddEvidence {
        reference: String,
        date: chrono::NaiveDate,
        text: String,
    },
    /// Add an item, or replace the one referred to as `original`.
    SaveItem {
        original: Option<String>,
        item: Box<crate::plan::Item>,
    },
    /// Ask to confirm removing an item.
    AskRemoveItem(String),
    RemoveItem(String),
    /// Add an event, or replace `original` with it.
    SaveEvent {
        original: Option<crate::plan::Event>,
        event: crate::plan::Event,
    },
    RemoveEvent(crate::plan::Event),
    SetStart(chrono::NaiveDate),
}
