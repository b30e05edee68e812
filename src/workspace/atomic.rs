//! Crash-safe file replacement: write a temporary file in the same folder,
//! flush it to disk, rename it over the target, then flush the folder so
//! the rename itself survives a power cut.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// Prefix of temporary files, so a crashed writer's leftovers can be swept.
pub const TEMP_PREFIX: &str = ".tmp-";

pub fn write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // A bare file name's parent is "", which names no folder: it is the
    // current one.
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    let fail = fault::injected(path);
    let mut out = Faulty {
        file: tmp.as_file_mut(),
        fail,
        seen: None,
    };
    if let Err(e) = write(&mut out) {
        // A library writing through us may report the disk's error as its
        // own text (polars' Parquet writer does): the disk's error wins,
        // so a full disk is known as one.
        return Err(match out.seen {
            Some((_, Some(code))) => io::Error::from_raw_os_error(code),
            Some((kind, None)) => io::Error::new(kind, e.to_string()),
            None => e,
        });
    }
    // A write of nothing fails too, as a full disk can at the flush.
    if let Some(code) = fail {
        return Err(io::Error::from_raw_os_error(code));
    }
    tmp.as_file_mut().flush()?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// The temporary file, remembering the first error it gave, and failing
/// every write when a test injected a fault.
struct Faulty<'a> {
    file: &'a mut File,
    fail: Option<i32>,
    seen: Option<(io::ErrorKind, Option<i32>)>,
}

impl Write for Faulty<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let done = match self.fail {
            Some(code) => Err(io::Error::from_raw_os_error(code)),
            None => self.file.write(buf),
        };
        if let Err(e) = &done
            && self.seen.is_none()
        {
            self.seen = Some((e.kind(), e.raw_os_error()));
        }
        done
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |f| f.write_all(bytes))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

/// Whether a write failed because the disk is full (`ENOSPC`, which older
/// Rust and some platforms give only as the raw error).
pub fn is_disk_full(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::StorageFull || e.raw_os_error() == Some(ENOSPC)
}

/// `ENOSPC` on Linux and the BSDs.
pub const ENOSPC: i32 = 28;

/// Write failures injected by tests, for folders they name: a full disk
/// cannot be made on demand, and filling a real one is not a test. Empty
/// in normal use, so each write pays one uncontended lock.
#[doc(hidden)]
pub mod fault {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    struct Fault {
        dir: PathBuf,
        /// Writes let through before the failures start.
        pass: usize,
        os_error: i32,
    }

    static FAULTS: Mutex<Vec<Fault>> = Mutex::new(Vec::new());

    /// Until dropped, writes of files under `dir` fail with the OS error
    /// `os_error` once `pass` of them have succeeded.
    pub struct Injected {
        dir: PathBuf,
    }

    pub fn fail_writes_under(dir: &Path, pass: usize, os_error: i32) -> Injected {
        FAULTS
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Fault {
                dir: dir.to_path_buf(),
                pass,
                os_error,
            });
        Injected {
            dir: dir.to_path_buf(),
        }
    }

    impl Drop for Injected {
        fn drop(&mut self) {
            FAULTS
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|f| f.dir != self.dir);
        }
    }

    pub(super) fn injected(path: &Path) -> Option<i32> {
        let mut faults = FAULTS.lock().unwrap_or_else(|p| p.into_inner());
        let f = faults.iter_mut().find(|f| path.starts_with(&f.dir))?;
        if f.pass > 0 {
            f.pass -= 1;
            return None;
        }
        Some(f.os_error)
    }
}
