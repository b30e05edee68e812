//! A newcomer's first start: with no workspace yet, make the default one
//! and load the bundled sample data and its improvement plan, so there is
//! something real to look at.

use crate::extract::{ReadOptions, Rejected, read_extract};
use crate::workspace::{self, Workspace};
use std::path::{Path, PathBuf};

/// Why a folder of extracts, or the sample data, could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Workspace(#[from] workspace::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the sample's improvement plan: {0}")]
    Plan(#[from] crate::plan::Error),
    /// A file of the folder failed validation: its errors, one a line.
    #[error(
        "{}",
        .0.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
    )]
    Rejected(Rejected),
    /// A DfE census return of the folder failed validation: its errors,
    /// worded as `keel import` words them.
    #[error(
        "{}",
        crate::census::lines(&.0.errors, Some(crate::extract::capped::SHOWN_PER_FILE)).0.join("\n")
    )]
    Return(crate::census::Rejected),
    /// No folder for the generated sample data.
    #[error("{0}")]
    TempDir(std::io::Error),
    #[error("cannot make the sample data: {0}")]
    Sample(crate::sample::Error),
}

/// Where the committed sample data lives when running from a checkout.
pub fn bundled_sample_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    dir.is_dir().then_some(dir)
}

/// A folder's CSV and XLSX files, in no particular order.
fn spreadsheets(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "csv" | "xlsx"))
        })
        .collect())
}

/// The extract files of a folder, in the order an HR officer would import
/// them: establishment first, then snapshots by name (they sort by month),
/// then leavers, supervision logs and DfE census returns (`.xml` files
/// whose root is a return's; other `.xml` files are not extracts). An
/// improvement plan beside them is not an extract (see [`plan_files`]).
pub fn extract_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = spreadsheets(dir)?
        .into_iter()
        .filter(|f| !crate::plan::import::is_plan_file(f))
        .collect();
    files.extend(
        std::fs::read_dir(dir)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                    && crate::census::has_return_root(p)
            }),
    );
    let rank = |p: &PathBuf| {
        let n = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let r = if n.starts_with("establishment") {
            0
        } else if n.starts_with("workforce") {
            1
        } else {
            2
        };
        (r, n)
    };
    files.sort_by_key(rank);
    Ok(files)
}

/// The spreadsheets of a folder whose name says `plan`, by name: improvement
/// plans, for `keel plan import` rather than the extract import.
pub fn plan_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = spreadsheets(dir)?
        .into_iter()
        .filter(|f| crate::plan::import::is_plan_file(f))
        .collect();
    files.sort();
    Ok(files)
}

/// Import every extract in `dir` as one batch (an improvement plan beside
/// them is left alone).
pub fn import_folder(ws: &mut Workspace, dir: &Path) -> Result<usize, Error> {
    let files = extract_files(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let opts = ReadOptions {
        standard_hours: ws.settings().standard_hours,
        ..Default::default()
    };
    let mut extracts = Vec::new();
    for f in &files {
        if crate::census::is_return(f) {
            extracts.push(crate::census::read_as_extract(f).map_err(Error::Return)?);
            continue;
        }
        match read_extract(f, &opts) {
            Ok(e) => extracts.push(e),
            Err(r) => return Err(Error::Rejected(r)),
        }
    }
    let n = extracts.len();
    ws.import(extracts, false)?;
    Ok(n)
}

/// Left in a workspace's folder while a first start loads the sample data
/// into it: a first start cut short (the app closed or killed during the
/// import) then finishes the job next time, where it would otherwise leave
/// an empty workspace that looks like one started empty on purpose.
const SAMPLE_PENDING: &str = "sample-data.pending";

/// Open the workspace at `root`; when there is none, create it and load the
/// sample data (and finish a first start that was cut short). Returns
/// whether sample data was loaded.
pub fn open_or_start(root: &Path) -> Result<(Workspace, bool), Error> {
    let pending = root.join(SAMPLE_PENDING);
    if Workspace::exists(root) && !pending.exists() {
        return Ok((Workspace::open(root)?, false));
    }
    let io = |source| Error::Io {
        path: root.to_path_buf(),
        source,
    };
    // Marked before the workspace exists, so there is no moment when it
    // exists empty and unmarked.
    std::fs::create_dir_all(root).map_err(io)?;
    std::fs::write(&pending, b"").map_err(io)?;
    let mut ws = Workspace::open_or_create(root)?;
    // An import batch is stored whole or not at all, so a start cut short
    // during it stored nothing; one cut short after it needs no import.
    let needs_extracts = ws.manifest().imports.is_empty();
    let needs_plan = ws.plan()?.is_none();
    if needs_extracts || needs_plan {
        let generated;
        let dir = match bundled_sample_dir() {
            Some(d) => d,
            None => {
                generated = tempfile::tempdir().map_err(Error::TempDir)?;
                crate::sample::generate(&Default::default(), generated.path())
                    .map_err(Error::Sample)?;
                generated.path().to_path_buf()
            }
        };
        if needs_extracts {
            import_folder(&mut ws, &dir)?;
        }
        // The plan is a second write: a start cut short between the two
        // finds the extracts held and imports only the plan.
        let plans = plan_files(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        if needs_plan && let Some(plan) = plans.first() {
            crate::plan::store::import(&mut ws, plan, None)?;
        }
    }
    std::fs::remove_file(&pending).map_err(io)?;
    Ok((ws, true))
}
