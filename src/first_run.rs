//! A newcomer's first start: with no workspace yet, make the default one
//! and load the bundled sample data, so there is something real to look at.

use crate::extract::{ReadOptions, read_extract};
use crate::workspace::{Error, Workspace};
use std::path::{Path, PathBuf};

/// Where the committed sample data lives when running from a checkout.
pub fn bundled_sample_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    dir.is_dir().then_some(dir)
}

/// The extract files of a folder, in the order an HR officer would import
/// them: establishment first, then snapshots by name (they sort by month),
/// then leavers and supervision logs.
pub fn extract_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "csv" | "xlsx"))
        })
        .collect();
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

/// Import every extract in `dir` as one batch.
pub fn import_folder(ws: &mut Workspace, dir: &Path) -> Result<usize, Error> {
    let files = extract_files(dir).map_err(|e| Error::Io(format!("{}: {e}", dir.display())))?;
    let opts = ReadOptions {
        standard_hours: ws.settings().standard_hours,
        ..Default::default()
    };
    let mut extracts = Vec::new();
    for f in &files {
        match read_extract(f, &opts) {
            Ok(e) => extracts.push(e),
            Err(r) => {
                let lines: Vec<String> = r.errors.iter().map(|e| e.to_string()).collect();
                return Err(Error::Conflict(lines.join("\n")));
            }
        }
    }
    let n = extracts.len();
    ws.import(extracts, false)?;
    Ok(n)
}

/// Open the workspace at `root`; when there is none, create it and load the
/// sample data. Returns whether sample data was loaded.
pub fn open_or_start(root: &Path) -> Result<(Workspace, bool), Error> {
    if Workspace::exists(root) {
        return Ok((Workspace::open(root)?, false));
    }
    let mut ws = Workspace::open_or_create(root)?;
    let generated;
    let dir = match bundled_sample_dir() {
        Some(d) => d,
        None => {
            generated = tempfile::tempdir().map_err(|e| Error::Io(e.to_string()))?;
            crate::sample::generate(&Default::default(), generated.path())
                .map_err(|e| Error::Io(format!("cannot make the sample data: {e}")))?;
            generated.path().to_path_buf()
        }
    };
    import_folder(&mut ws, &dir)?;
    Ok((ws, true))
}
