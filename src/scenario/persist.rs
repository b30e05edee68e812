//! Scenarios saved in the workspace as readable JSON,
//! `<workspace>/scenarios/<name>.json`, written atomically.

use super::Error;
use super::levers::Levers;
use crate::month::Month;
use crate::workspace::atomic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DIR: &str = "scenarios";
pub const DEFAULT_SEED: u64 = 42;

fn default_seed() -> u64 {
    DEFAULT_SEED
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub levers: Levers,
    /// Calibration overrides, `name.cohort` (or `name`) → value, e.g.
    /// `"leave_probability.nqsw": 0.02`.
    #[serde(default)]
    pub overrides: BTreeMap<String, f64>,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Project one team instead of the whole service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Projection length in months (1–60) when the command line gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<usize>,
    /// Calibration range; default the last 12 months held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibrate_from: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibrate_to: Option<Month>,
}

impl Scenario {
    pub fn new(name: &str) -> Scenario {
        Scenario {
            name: name.to_string(),
            description: String::new(),
            levers: Levers::default(),
            overrides: BTreeMap::new(),
            seed: DEFAULT_SEED,
            team: None,
            months: None,
            calibrate_from: None,
            calibrate_to: None,
        }
    }
}

/// A name is also a file name: letters, digits, spaces, `-` and `_`.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = !name.trim().is_empty()
        && name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        && name.trim() == name;
    if ok {
        Ok(())
    } else {
        Err(Error::BadName(name.to_string()))
    }
}

pub fn path_of(root: &Path, name: &str) -> PathBuf {
    root.join(DIR).join(format!("{name}.json"))
}

/// Read a scenario file (anywhere; the command line takes a path).
pub fn load(path: &Path) -> Result<Scenario, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let s: Scenario = serde_json::from_slice(&bytes).map_err(|source| Error::NotAScenario {
        path: path.to_path_buf(),
        source,
    })?;
    let problems = s.levers.problems();
    if !problems.is_empty() {
        return Err(Error::InvalidFile {
            path: path.to_path_buf(),
            problems,
        });
    }
    Ok(s)
}

/// Save (or replace) a scenario under its name.
pub fn save(root: &Path, s: &Scenario) -> Result<PathBuf, Error> {
    check_name(&s.name)?;
    s.levers.check()?;
    let dir = root.join(DIR);
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir, source })?;
    let path = path_of(root, &s.name);
    let mut bytes = serde_json::to_vec_pretty(s).map_err(Error::Json)?;
    bytes.push(b'\n');
    atomic::write_bytes(&path, &bytes).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The names of the saved scenarios, sorted.
pub fn list(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(DIR))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            (p.extension().is_some_and(|x| x == "json"))
                .then(|| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
                .flatten()
        })
        .filter(|n| !n.starts_with(atomic::TEMP_PREFIX))
        .collect();
    names.sort();
    names
}

fn load_named(root: &Path, name: &str) -> Result<Scenario, Error> {
    let p = path_of(root, name);
    if !p.is_file() {
        return Err(Error::NoScenario(name.to_string()));
    }
    load(&p)
}

fn refuse_existing(root: &Path, name: &str) -> Result<(), Error> {
    check_name(name)?;
    if path_of(root, name).exists() {
        return Err(Error::Exists(name.to_string()));
    }
    Ok(())
}

/// Copy a scenario under a new name.
pub fn duplicate(root: &Path, from: &str, to: &str) -> Result<Scenario, Error> {
    refuse_existing(root, to)?;
    let mut s = load_named(root, from)?;
    s.name = to.to_string();
    save(root, &s)?;
    Ok(s)
}

/// Rename a scenario: the new file is written first, so a crash leaves
/// both, never neither.
pub fn rename(root: &Path, from: &str, to: &str) -> Result<Scenario, Error> {
    let s = duplicate(root, from, to)?;
    let old = path_of(root, from);
    std::fs::remove_file(&old).map_err(|source| Error::Io { path: old, source })?;
    Ok(s)
}
