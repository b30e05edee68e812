//! A workspace that can prove it is intact: each stored file's BLAKE3 is
//! recorded in the manifest when it is committed, and [`Workspace::verify`]
//! hashes every file the manifest names against it. A file deleted,
//! truncated or edited by hand (or by a failing disk) is named with the
//! import it belongs to, rather than turning up later as wrong figures.

use super::{Error, MANIFEST, Manifest, Status, Workspace, io_err, read_manifest};
use std::fmt;
use std::path::Path;

/// Record a stored file's checksum in `next`, the manifest about to be
/// committed. Called after the file is written and before the commit.
pub(super) fn record(next: &mut Manifest, root: &Path, rel: &str) -> Result<(), Error> {
    let path = root.join(rel);
    let hash = crate::extract::file_hash(&path).map_err(|e| io_err(&path, e))?;
    next.checksums.insert(rel.to_string(), hash);
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileState {
    Ok,
    /// Its bytes are not those stored.
    Changed,
    Missing,
}

impl FileState {
    pub fn word(self) -> &'static str {
        match self {
            FileState::Ok => "ok",
            FileState::Changed => "changed",
            FileState::Missing => "missing",
        }
    }
}

/// What a group of stored files belongs to.
#[derive(Clone, Debug, PartialEq)]
pub enum Owner {
    Import {
        id: u64,
        file: String,
        status: Status,
    },
    PlanEdit {
        id: u64,
        action: String,
    },
    Benchmark {
        id: u64,
        file: String,
    },
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Import { id, file, status } => {
                write!(f, "import #{id} ({file})")?;
                if *status == Status::Undone {
                    write!(f, " [undone]")?;
                }
                Ok(())
            }
            Owner::PlanEdit { id, action } => write!(f, "plan edit #{id} ({action})"),
            Owner::Benchmark { id, file } => write!(f, "benchmark file #{id} ({file})"),
        }
    }
}

/// One import's (or plan edit's, or benchmark file's) files and their state.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub owner: Owner,
    pub files: Vec<(String, FileState)>,
    /// Its checksums were recorded by this verify (written before
    /// checksums existed): `Ok` then means "readable", not "as stored".
    pub recorded_now: bool,
}

impl Checked {
    /// The worst state of its files.
    pub fn state(&self) -> FileState {
        self.files
            .iter()
            .map(|(_, s)| *s)
            .max()
            .unwrap_or(FileState::Ok)
    }
}

impl fmt::Display for Checked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.owner, self.state().word())?;
        let bad: Vec<&str> = self
            .files
            .iter()
            .filter(|(_, s)| *s != FileState::Ok)
            .map(|(p, _)| p.as_str())
            .collect();
        if !bad.is_empty() {
            write!(f, " ({})", bad.join(", "))?;
        }
        if self.recorded_now {
            write!(f, " (checksums recorded now)")?;
        }
        Ok(())
    }
}

/// What [`Workspace::verify`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    pub checked: Vec<Checked>,
    /// Imports whose checksums this verify recorded.
    pub imports_recorded: usize,
    /// Plan edits and benchmark files whose checksums it recorded.
    pub others_recorded: usize,
    /// Checksums found missing but not recorded, because another process
    /// was changing the workspace: the next verify records them.
    pub deferred: bool,
}

impl Verification {
    /// Everything whose files are missing or changed.
    pub fn failed(&self) -> impl Iterator<Item = &Checked> {
        self.checked.iter().filter(|c| c.state() != FileState::Ok)
    }

    pub fn is_intact(&self) -> bool {
        self.failed().next().is_none()
    }

    /// The error a failed verify ends with, naming what failed.
    pub fn error(&self, root: &Path) -> Option<Error> {
        let failed: Vec<String> = self
            .failed()
            .map(|c| format!("{} {}", c.owner, c.state().word()))
            .collect();
        (!failed.is_empty()).then(|| Error::NotIntact {
            root: root.to_path_buf(),
            failed,
        })
    }
}

impl Workspace {
    /// Check every file the manifest names against its recorded checksum,
    /// and the manifest itself (it is read afresh: a manifest that cannot
    /// be read is the error). Files written before checksums existed get
    /// theirs now, under the lock; if another process holds it they are
    /// left for the next verify.
    pub fn verify(&mut self) -> Result<Verification, Error> {
        let manifest = read_manifest(&self.root)?;
        let mut owners: Vec<(Owner, Vec<String>)> = Vec::new();
        for r in &manifest.imports {
            owners.push((
                Owner::Import {
                    id: r.id,
                    file: r.file.clone(),
                    status: r.status,
                },
                vec![r.data_file(), r.warnings_file()],
            ));
        }
        for e in &manifest.plan_edits {
            owners.push((
                Owner::PlanEdit {
                    id: e.id,
                    action: e.action.clone(),
                },
                vec![e.data_file()],
            ));
        }
        for b in &manifest.benchmarks {
            owners.push((
                Owner::Benchmark {
                    id: b.id,
                    file: b.file.clone(),
                },
                vec![b.data_file()],
            ));
        }

        let mut new: Vec<(String, String)> = Vec::new();
        let mut checked = Vec::with_capacity(owners.len());
        for (owner, files) in owners {
            let mut states = Vec::with_capacity(files.len());
            let mut recorded_now = false;
            for rel in files {
                let path = self.root.join(&rel);
                let state = match crate::extract::file_hash(&path) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileState::Missing,
                    Err(e) => return Err(io_err(&path, e)),
                    Ok(hash) => match manifest.checksums.get(&rel) {
                        Some(stored) if *stored == hash => FileState::Ok,
                        Some(_) => FileState::Changed,
                        None => {
                            new.push((rel.clone(), hash));
                            recorded_now = true;
                            FileState::Ok
                        }
                    },
                };
                states.push((rel, state));
            }
            checked.push(Checked {
                owner,
                files: states,
                recorded_now,
            });
        }

        let mut deferred = false;
        if !new.is_empty() {
            match self.begin_write() {
                Ok(_guard) => {
                    // begin_write re-read the manifest: add to what is on
                    // disk now, never over a checksum another writer made.
                    let mut next = self.manifest.clone();
                    for (rel, hash) in new {
                        next.checksums.entry(rel).or_insert(hash);
                    }
                    super::write_json(&self.root.join(MANIFEST), &next)?;
                    self.manifest = next;
                }
                Err(Error::Locked { .. }) => deferred = true,
                Err(e) => return Err(e),
            }
        }
        let recorded = |import: bool| {
            checked
                .iter()
                .filter(|c| c.recorded_now && matches!(c.owner, Owner::Import { .. }) == import)
                .count()
        };
        let (imports_recorded, others_recorded) = if deferred {
            (0, 0)
        } else {
            (recorded(true), recorded(false))
        };
        if deferred {
            for c in &mut checked {
                c.recorded_now = false;
            }
        }
        Ok(Verification {
            checked,
            imports_recorded,
            others_recorded,
            deferred,
        })
    }
}
