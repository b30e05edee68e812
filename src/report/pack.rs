//! The meeting pack: which slides, over how many months and for which
//! group. Saved in the workspace as `meeting-pack.json` and reopened next
//! month, when the same slides show the new data (the range counts back
//! from the latest month held, so it moves on by itself).

use super::Error;
use super::measures::KPIS;
use crate::metrics::table::Group;
use crate::workspace::atomic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE: &str = "meeting-pack.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Slide {
    /// Every headline measure against its target, red/amber/green.
    Summary,
    /// The improvement plan: items at each RAG and the overdue ones by
    /// reference and title. Left out of a meeting when there is no plan.
    Plan,
    /// One measure's trend against its target and England.
    Metric { metric: String },
    /// A saved scenario's projection of the headline measures.
    Scenario { name: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack {
    pub slides: Vec<Slide>,
    /// Months of history on the trend slides, counted back from the latest
    /// month held; `None` shows everything held.
    #[serde(default)]
    pub months: Option<u32>,
    /// The group the figures are for.
    pub group: Group,
}

impl Default for Pack {
    fn default() -> Self {
        Pack {
            slides: [Slide::Summary, Slide::Plan]
                .into_iter()
                .chain(KPIS.iter().map(|k| Slide::Metric {
                    metric: k.metric.to_string(),
                }))
                .collect(),
            months: Some(24),
            group: Group::all(),
        }
    }
}

impl Slide {
    pub fn title(&self) -> String {
        match self {
            Slide::Summary => "Summary".into(),
            Slide::Plan => "Improvement plan".into(),
            Slide::Metric { metric } => super::measures::measure(metric)
                .map_or_else(|| metric.clone(), |m| m.label.to_string()),
            Slide::Scenario { name } => format!("Scenario: {name}"),
        }
    }
}

fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

/// The saved pack, or the default one when none is saved yet.
pub fn load(root: &Path) -> Result<Pack, Error> {
    let p = path(root);
    match std::fs::read(&p) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map_err(|source| Error::NotAPack { path: p, source })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Pack::default()),
        Err(source) => Err(Error::Pack { path: p, source }),
    }
}

pub fn save(root: &Path, pack: &Pack) -> Result<(), Error> {
    let p = path(root);
    let mut bytes = serde_json::to_vec_pretty(pack).map_err(Error::Json)?;
    bytes.push(b'\n');
    atomic::write_bytes(&p, &bytes).map_err(|source| Error::Pack { path: p, source })
}

/// Follow a scenario's new name in the saved pack, so its slide still
/// shows it.
pub fn rename_scenario(root: &Path, from: &str, to: &str) -> Result<(), Error> {
    if !path(root).is_file() {
        return Ok(());
    }
    let mut pack = load(root)?;
    let mut changed = false;
    for s in &mut pack.slides {
        if let Slide::Scenario { name } = s
            && name == from
        {
            *name = to.to_string();
            changed = true;
        }
    }
    if changed { save(root, &pack) } else { Ok(()) }
}
