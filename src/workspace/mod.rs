//! The on-disk store: a folder holding the manifest, one Parquet file per
//! import (pseudonymised canonical rows), one JSON file per saved version of
//! the improvement plan, settings and the pseudonymisation key. Every write
//! is atomic and happens under the single-writer lock.

pub mod atomic;
pub mod benchmarks;
pub mod inferred;
mod inputs;
pub mod lock;
pub mod manifest;
mod parquet;
pub mod plans;
pub mod pseudo;
pub mod reveal;
pub mod verify;

use crate::extract::{Extract, Issue, Kind};
use crate::month::Month;
use crate::settings::Settings;
pub use manifest::{ImportRecord, Manifest, PlanEdit, Standing, Status};
pub use plans::PlanWrite;
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, ParquetWriter, SerReader};
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "keel.json";
pub const SETTINGS: &str = "settings.json";

/// Why the workspace could not be read or changed. Nothing is half-done:
/// a failed write leaves the workspace as it was.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another process holds the write lock; `holder` is its process id
    /// as it wrote it in `.lock`, when it did.
    #[error(
        "the workspace {} is being changed by {}; nothing was stored. Try again when it has finished",
        root.display(),
        match holder {
            Some(pid) => format!("another Keel process (pid {pid})"),
            None => "another Keel process".to_string(),
        }
    )]
    Locked {
        root: PathBuf,
        holder: Option<String>,
    },
    #[error("cannot open {}: {source}", path.display())]
    LockFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot lock {}: {source}", path.display())]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Months or files the workspace already holds, one line each.
    #[error("{}", lines(.0))]
    Conflict(Vec<Conflict>),
    #[error("{}: {what}", path.display())]
    Damaged { path: PathBuf, what: Damage },
    /// A write failed for want of space. Every write is atomic and the
    /// manifest is written last, so the workspace is as it was.
    #[error(
        "the disk holding the workspace {} is full: nothing was stored. Free some space on it and try again",
        root.display()
    )]
    DiskFull { root: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{} is not a Keel workspace (no {MANIFEST})", root.display())]
    NotAWorkspace { root: PathBuf },
    /// What [`Workspace::open_existing`] says of a folder with no workspace.
    #[error(
        "{} is not a Keel workspace: import extracts first (keel import --workspace {} FILE...)",
        root.display(),
        root.display()
    )]
    NotCreated { root: PathBuf },
    /// The workspace holds no workforce snapshot, which the metrics need.
    #[error(
        "{} holds no workforce snapshot yet: import a staff-in-post extract first",
        root.display()
    )]
    NoSnapshot { root: PathBuf },
    /// `keel verify` found stored files missing or not as they were
    /// stored; `failed` names each import (or plan edit) and what is wrong.
    #[error(
        "the workspace {} is not intact: {}. Figures from these cannot be trusted: restore the workspace folder from a backup",
        root.display(),
        failed.join("; ")
    )]
    NotIntact { root: PathBuf, failed: Vec<String> },
    #[error("there is no import or plan edit to undo")]
    NothingToUndo,
    #[error("data error: {0}")]
    Data(#[from] PolarsError),
}

/// One month or file an import would hold twice.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Conflict {
    #[error("{file} and {other} both hold the {kind} snapshot for {month}: import one of them")]
    SameMonth {
        file: String,
        other: String,
        kind: Kind,
        month: Month,
    },
    #[error(
        "{file}: the {kind} snapshot for {month} is already held (import #{import} of {held_by} on {}); pass --replace to replace it (the old import is kept and `keel undo` restores it)",
        imported_at.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M")
    )]
    MonthHeld {
        file: String,
        kind: Kind,
        month: Month,
        /// The import that holds the month, its file and when it was made.
        import: u64,
        held_by: String,
        imported_at: chrono::DateTime<chrono::Utc>,
    },
    #[error(
        "{file}: this file was already imported (import #{import} of {held_by}); nothing stored"
    )]
    AlreadyImported {
        file: String,
        import: u64,
        held_by: String,
    },
}

/// What is wrong with a file of the workspace that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    #[error("the manifest cannot be read: {0}")]
    Manifest(serde_json::Error),
    #[error("written by a newer Keel (format {0}); update Keel to open it")]
    NewerFormat(u32),
    #[error("the settings cannot be read: {0}")]
    Settings(serde_json::Error),
    #[error("the data of import #{import} cannot be opened: {source}")]
    ImportFile { import: u64, source: std::io::Error },
    #[error("the data of import #{import} cannot be read: {source}")]
    ImportData { import: u64, source: PolarsError },
    #[error("cannot read the benchmark data: {0}")]
    Benchmark(PolarsError),
    #[error("the plan of plan edit #{edit} cannot be opened: {source}")]
    PlanFile { edit: u64, source: std::io::Error },
    #[error("the plan of plan edit #{edit} cannot be read: {source}")]
    PlanData {
        edit: u64,
        source: serde_json::Error,
    },
}

fn lines(items: &[impl std::fmt::Display]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn io_err(path: &Path, source: std::io::Error) -> Error {
    if atomic::is_disk_full(&source) {
        return Error::DiskFull {
            root: workspace_root_of(path),
        };
    }
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The workspace a file belongs to: the nearest folder holding its lock
/// file or manifest (every write happens under the lock), else the file's
/// own folder.
fn workspace_root_of(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|d| d.join(".lock").is_file() || d.join(MANIFEST).is_file())
        .or_else(|| path.parent().filter(|_| !path.is_dir()))
        .unwrap_or(path)
        .to_path_buf()
}

pub struct Workspace {
    root: PathBuf,
    manifest: Manifest,
    settings: Settings,
}

/// The default workspace: `$KEEL_WORKSPACE`, else the platform's data folder.
pub fn default_root() -> PathBuf {
    if let Some(p) = std::env::var_os("KEEL_WORKSPACE").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    directories::ProjectDirs::from("uk", "Keel", "Keel")
        .map(|d| d.data_dir().join("workspace"))
        .unwrap_or_else(|| PathBuf::from("keel-workspace"))
}

/// What `keel undo` took back: the last import command's files, or the
/// last plan edit, whichever was the later.
#[derive(Debug)]
pub enum Undone {
    Imports(Vec<ImportRecord>),
    PlanEdit(PlanEdit),
}

/// What one import command stored.
#[derive(Debug)]
pub struct Stored {
    pub records: Vec<ImportRecord>,
    /// Warnings per import, including those found against the workspace.
    pub warnings: Vec<Vec<Issue>>,
}

impl Workspace {
    pub fn exists(root: &Path) -> bool {
        root.join(MANIFEST).is_file()
    }

    /// Open a workspace, creating an empty one if the folder holds none.
    pub fn open_or_create(root: &Path) -> Result<Workspace, Error> {
        if !Workspace::exists(root) {
            std::fs::create_dir_all(root.join("imports")).map_err(|e| io_err(root, e))?;
            let _lock = lock::acquire(root)?;
            if !Workspace::exists(root) {
                pseudo::Key::load_or_create(root).map_err(|e| io_err(root, e))?;
                write_json(&root.join(SETTINGS), &Settings::default())?;
                write_json(
                    &root.join(MANIFEST),
                    &Manifest {
                        format: manifest::FORMAT_V1,
                        ..Default::default()
                    },
                )?;
            }
        }
        Workspace::open(root)
    }

    /// Open a workspace that must already exist, with the message a user
    /// of the command line should see when it does not.
    pub fn open_existing(root: &Path) -> Result<Workspace, Error> {
        if !Workspace::exists(root) {
            return Err(Error::NotCreated {
                root: root.to_path_buf(),
            });
        }
        Workspace::open(root)
    }

    pub fn open(root: &Path) -> Result<Workspace, Error> {
        let manifest = read_manifest(root)?;
        let settings = read_settings(root)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            manifest,
            settings,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Take the write lock and re-read the manifest under it, so decisions
    /// are made on what is on disk now, not on what was there at open.
    fn begin_write(&mut self) -> Result<lock::WriteLock, Error> {
        let guard = lock::acquire(&self.root)?;
        self.manifest = read_manifest(&self.root)?;
        self.settings = read_settings(&self.root)?;
        self.sweep_leftovers();
        Ok(guard)
    }

    /// Files a killed writer may have left: temporary files, and data files
    /// the manifest never came to reference. Only called under the lock.
    fn sweep_leftovers(&self) {
        let referenced: std::collections::HashSet<String> = self
            .manifest
            .imports
            .iter()
            .flat_map(|r| [r.data_file(), r.warnings_file()])
            .chain(self.manifest.benchmarks.iter().map(|b| b.data_file()))
            .chain(self.manifest.plan_edits.iter().map(|e| e.data_file()))
            .collect();
        for sub in ["", "imports", "benchmarks", "plans"] {
            let dir = self.root.join(sub);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let rel = format!("{sub}/{name}");
                let orphan = !sub.is_empty() && !referenced.contains(&rel);
                if name.starts_with(atomic::TEMP_PREFIX) || orphan {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }

    pub fn save_settings(&mut self, settings: Settings) -> Result<(), Error> {
        let _guard = self.begin_write()?;
        write_json(&self.root.join(SETTINGS), &settings)?;
        self.settings = settings;
        Ok(())
    }

    /// Store validated extracts as one batch: all of them or none.
    ///
    /// The lock is held from the re-reading of the manifest to the commit,
    /// so the inferred leavers are found against the workspace as it is
    /// when the batch lands: another writer meanwhile is refused, told
    /// which process holds the workspace.
    pub fn import(&mut self, extracts: Vec<Extract>, replace: bool) -> Result<Stored, Error> {
        self.import_with(extracts, replace, &mut || {})
    }

    /// [`Workspace::import`] calling `before_commit` under the lock, after
    /// the warnings are found and before the manifest is written: the seam
    /// where tests start another writer.
    #[doc(hidden)]
    pub fn import_with(
        &mut self,
        extracts: Vec<Extract>,
        replace: bool,
        before_commit: &mut dyn FnMut(),
    ) -> Result<Stored, Error> {
        let mut clock = std::time::Instant::now();
        let _guard = self.begin_write()?;
        self.check_conflicts(&extracts, replace)?;
        let key = pseudo::Key::load_or_create(&self.root).map_err(|e| io_err(&self.root, e))?;
        let pseudonymise = self.settings.pseudonymise;
        let mut frames = Vec::with_capacity(extracts.len());
        for e in &extracts {
            let mut df = e.data.clone();
            if pseudonymise
                && df
                    .get_column_names()
                    .iter()
                    .any(|c| c.as_str() == "worker_id")
            {
                key.pseudonymise_column(&mut df, "worker_id")?;
            }
            frames.push(df);
        }
        let mut warnings: Vec<Vec<Issue>> = extracts.iter().map(|e| e.warnings.clone()).collect();
        crate::trace::lap("pseudonymise", &mut clock);
        let first_id = self.manifest.next_id();
        // The data files do not depend on the warnings: write them while the
        // inferred leavers are looked for. Frames are cheap shallow copies.
        let this = &*self;
        let (found, written) = rayon::join(
            || inferred::inferred_leavers(this, &extracts, &frames),
            || {
                (first_id..).zip(frames.iter()).try_for_each(|(id, df)| {
                    let path = this.root.join(format!("imports/{id}.parquet"));
                    let mut df = df.clone();
                    atomic::write_with(&path, |f| {
                        parquet::write(f, &mut df)
                            .map(|_| ())
                            .map_err(std::io::Error::other)
                    })
                    .map_err(|e| io_err(&path, e))
                })
            },
        );
        written?;
        for (i, w) in found? {
            warnings[i].extend(w);
        }
        crate::trace::lap("inferred leavers and parquet", &mut clock);

        let batch = self.manifest.next_batch();
        let now = chrono::Utc::now();
        let mut records = Vec::new();
        for (id, ((e, df), w)) in (first_id..).zip(extracts.iter().zip(&frames).zip(&warnings)) {
            let replaced = if e.kind.is_monthly() {
                e.months
                    .iter()
                    .filter_map(|m| {
                        self.manifest.owner(e.kind, *m).map(|r| manifest::Replaced {
                            month: *m,
                            import: r.id,
                        })
                    })
                    .collect()
            } else {
                vec![]
            };
            let record = ImportRecord {
                id,
                batch,
                imported_at: now,
                file: e.file_name.clone(),
                file_hash: e.file_hash.clone(),
                kind: e.kind,
                sheet: None,
                months: e.months.clone(),
                rows_read: e.rows_read,
                rows: df.height(),
                warnings: w.len(),
                pseudonymised: pseudonymise,
                status: Status::Active,
                replaced,
            };
            debug_assert_eq!(record.data_file(), format!("imports/{id}.parquet"));
            write_json(&self.root.join(record.warnings_file()), w)?;
            records.push(record);
        }
        let mut next = self.manifest.clone();
        for r in &records {
            verify::record(&mut next, &self.root, &r.data_file())?;
            verify::record(&mut next, &self.root, &r.warnings_file())?;
        }
        next.imports.extend(records.iter().cloned());
        if records.iter().any(|r| r.kind == Kind::Census) {
            next.format = next.format.max(manifest::FORMAT_CENSUS);
        }
        crate::trace::lap("warnings and checksums", &mut clock);
        before_commit();
        // The commit point: until this rename the workspace is unchanged.
        write_json(&self.root.join(MANIFEST), &next)?;
        self.manifest = next;
        Ok(Stored { records, warnings })
    }

    /// Refuse months already held (unless replacing), two files of one batch
    /// holding the same month, and a non-monthly file imported twice (even
    /// when replacing).
    pub fn check_conflicts(&self, extracts: &[Extract], replace: bool) -> Result<(), Error> {
        let mut problems = Vec::new();
        let mut in_batch: Vec<(Kind, Month, &str)> = Vec::new();
        for e in extracts {
            if e.kind.is_monthly() {
                for m in &e.months {
                    if let Some((_, _, other)) =
                        in_batch.iter().find(|(k, mm, _)| *k == e.kind && mm == m)
                    {
                        problems.push(Conflict::SameMonth {
                            file: e.file_name.clone(),
                            other: other.to_string(),
                            kind: e.kind,
                            month: *m,
                        });
                    }
                    in_batch.push((e.kind, *m, &e.file_name));
                    if let (Some(r), false) = (self.manifest.owner(e.kind, *m), replace) {
                        problems.push(Conflict::MonthHeld {
                            file: e.file_name.clone(),
                            kind: e.kind,
                            month: *m,
                            import: r.id,
                            held_by: r.file.clone(),
                            imported_at: r.imported_at,
                        });
                    }
                }
            } else if let Some(r) = self
                .manifest
                .active()
                // Empty files of one kind are the same bytes whatever
                // their month: the month tells them apart.
                .find(|r| r.kind == e.kind && r.file_hash == e.file_hash && r.months == e.months)
            {
                // Replacing is for months held; a leavers, establishment or
                // supervision file stored twice would count its rows twice,
                // so `replace` does not let it through.
                problems.push(Conflict::AlreadyImported {
                    file: e.file_name.clone(),
                    import: r.id,
                    held_by: r.file.clone(),
                });
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Conflict(problems))
        }
    }

    /// Take back the last change: the last import command (all files of
    /// its batch) or the last plan edit, whichever was made later.
    pub fn undo(&mut self) -> Result<Undone, Error> {
        let _guard = self.begin_write()?;
        let batch = self.manifest.last_active_batch();
        let edit = self.manifest.active_plan_edit().cloned();
        match (batch, edit) {
            (None, None) => Err(Error::NothingToUndo),
            (Some((_, imported)), Some(edit)) if edit.at >= imported => self.undo_plan_edit(edit),
            (None, Some(edit)) => self.undo_plan_edit(edit),
            (Some((batch, _)), _) => self.undo_batch(batch).map(Undone::Imports),
        }
    }

    /// Mark an import batch undone. Only called under the lock.
    fn undo_batch(&mut self, batch: u64) -> Result<Vec<ImportRecord>, Error> {
        let mut next = self.manifest.clone();
        let mut undone = Vec::new();
        for r in next
            .imports
            .iter_mut()
            .filter(|r| r.batch == batch && r.is_active())
        {
            r.status = Status::Undone;
            undone.push(r.clone());
        }
        write_json(&self.root.join(MANIFEST), &next)?;
        self.manifest = next;
        Ok(undone)
    }

    /// Store a DfE benchmark file (indicators or statistical neighbours).
    pub fn import_benchmark(
        &mut self,
        source: &mut benchmarks::Source,
        file: &Path,
    ) -> Result<manifest::BenchmarkRecord, Error> {
        let _guard = self.begin_write()?;
        let file_hash = crate::extract::file_hash(file).map_err(|e| io_err(file, e))?;
        let id = self
            .manifest
            .benchmarks
            .iter()
            .map(|b| b.id)
            .max()
            .unwrap_or(0)
            + 1;
        let record = manifest::BenchmarkRecord {
            id,
            imported_at: chrono::Utc::now(),
            file: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            file_hash,
            kind: source.kind,
            rows_read: source.rows_read,
            warnings: source.warnings.len(),
        };
        std::fs::create_dir_all(self.root.join("benchmarks")).map_err(|e| io_err(&self.root, e))?;
        let path = self.root.join(record.data_file());
        atomic::write_with(&path, |f| {
            ParquetWriter::new(f)
                .finish(&mut source.data)
                .map(|_| ())
                .map_err(std::io::Error::other)
        })
        .map_err(|e| io_err(&path, e))?;
        let mut next = self.manifest.clone();
        verify::record(&mut next, &self.root, &record.data_file())?;
        next.benchmarks.push(record.clone());
        write_json(&self.root.join(MANIFEST), &next)?;
        self.manifest = next;
        Ok(record)
    }

    /// The benchmark data of a kind in use (the latest imported).
    pub fn load_benchmark(&self, kind: benchmarks::SourceKind) -> Result<Option<DataFrame>, Error> {
        let Some(r) = self
            .manifest
            .benchmarks
            .iter()
            .filter(|b| b.kind == kind)
            .max_by_key(|b| b.id)
        else {
            return Ok(None);
        };
        let path = self.root.join(r.data_file());
        let f = std::fs::File::open(&path).map_err(|e| io_err(&path, e))?;
        ParquetReader::new(f)
            .finish()
            .map(Some)
            .map_err(|e| Error::Damaged {
                path,
                what: Damage::Benchmark(e),
            })
    }

    pub fn warnings_of(&self, record: &ImportRecord) -> Vec<Issue> {
        std::fs::read(self.root.join(record.warnings_file()))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn read_import(&self, record: &ImportRecord) -> Result<DataFrame, Error> {
        self.read_import_without(record, &[])
    }

    /// The data of one import, without the columns `skip` names (a name
    /// the file does not have is no matter).
    fn read_import_without(
        &self,
        record: &ImportRecord,
        skip: &[&str],
    ) -> Result<DataFrame, Error> {
        let path = self.root.join(record.data_file());
        let damaged = |source: PolarsError| Error::Damaged {
            path: path.clone(),
            what: Damage::ImportData {
                import: record.id,
                source,
            },
        };
        let f = std::fs::File::open(&path).map_err(|source| Error::Damaged {
            path: path.clone(),
            what: Damage::ImportFile {
                import: record.id,
                source,
            },
        })?;
        let mut reader = ParquetReader::new(f);
        if !skip.is_empty() {
            let kept = reader
                .schema()
                .map_err(damaged)?
                .iter_names()
                .filter(|n| !skip.contains(&n.as_str()))
                .map(|n| n.to_string())
                .collect();
            reader = reader.with_columns(Some(kept));
        }
        reader.finish().map_err(damaged)
    }

    /// Every row of a kind that counts now, with an `import` column. For
    /// monthly kinds only each month's owning snapshot is included.
    pub fn load(&self, kind: Kind) -> Result<Option<DataFrame>, Error> {
        self.load_without(kind, &[])
    }

    /// [`Workspace::load`] without the columns `skip` names.
    pub fn load_without(&self, kind: Kind, skip: &[&str]) -> Result<Option<DataFrame>, Error> {
        let mut frames = Vec::new();
        for r in self.manifest.active().filter(|r| r.kind == kind) {
            let mut lf = self.read_import_without(r, skip)?.lazy();
            if kind.is_monthly() {
                let owned: Vec<i32> = r
                    .months
                    .iter()
                    .filter(|m| self.manifest.owner(kind, **m).map(|o| o.id) == Some(r.id))
                    .map(|m| m.0)
                    .collect();
                if owned.is_empty() {
                    continue;
                }
                lf = lf.filter(col("month").is_in(
                    lit(Series::new("owned".into(), owned)).implode(false),
                    false,
                ));
            }
            frames.push(lf.with_column(lit(r.id).alias("import")));
        }
        if frames.is_empty() {
            return Ok(None);
        }
        let mut df = concat(frames, UnionArgs::default())?.collect()?;
        // A council's monthly imports stack into many short chunks, and
        // polars pays per chunk in every step after; one copy of a few
        // thousand rows is cheaper. (Long chunks, as a national file's
        // row groups are, stay as they are.)
        if df.max_n_chunks() > 1 && df.height() / df.max_n_chunks() < SHORT_CHUNK {
            df.rechunk_mut_par();
        }
        Ok(Some(df))
    }
}

/// Rows in a chunk below which loaded chunks are joined into one.
const SHORT_CHUNK: usize = 1 << 16;

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), Error> {
    let bytes = serde_json::to_vec_pretty(value).map_err(|source| Error::Json {
        path: path.to_path_buf(),
        source,
    })?;
    atomic::write_bytes(path, &bytes).map_err(|e| io_err(path, e))
}

fn read_manifest(root: &Path) -> Result<Manifest, Error> {
    let path = root.join(MANIFEST);
    let bytes = std::fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::NotAWorkspace {
                root: root.to_path_buf(),
            }
        } else {
            io_err(&path, e)
        }
    })?;
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| Error::Damaged {
        path: path.clone(),
        what: Damage::Manifest(e),
    })?;
    if m.format > manifest::FORMAT {
        return Err(Error::Damaged {
            path,
            what: Damage::NewerFormat(m.format),
        });
    }
    Ok(m)
}

fn read_settings(root: &Path) -> Result<Settings, Error> {
    let path = root.join(SETTINGS);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Damaged {
            path,
            what: Damage::Settings(e),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
        Err(e) => Err(io_err(&path, e)),
    }
}
