//! One writer at a time: an exclusive OS file lock on `.lock`, released by
//! the OS even when the holder is killed, so a crash never leaves a stale lock.
//!
//! A lock found held is tried again for a moment before the writer is
//! refused: a process starting a program (the app opening a file, a test
//! running `keel`) shares its open files with the child until the child's
//! program starts, so the lock it has just released can stay held for a
//! few milliseconds by a process that will never use it.

use super::Error;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// How long a lock found held is tried again before the writer is refused.
const PATIENCE: std::time::Duration = std::time::Duration::from_millis(500);

pub struct WriteLock {
    _file: File,
}

pub fn acquire(root: &Path) -> Result<WriteLock, Error> {
    let path = root.join(".lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| Error::LockFile {
            path: path.clone(),
            source,
        })?;
    let patience = std::time::Instant::now();
    let mut attempt = file.try_lock();
    while matches!(attempt, Err(std::fs::TryLockError::WouldBlock)) && patience.elapsed() < PATIENCE
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
        attempt = file.try_lock();
    }
    match attempt {
        Ok(()) => {
            // Who holds it, for the message another process will show.
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = write!(file, "{}", std::process::id());
            Ok(WriteLock { _file: file })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = Some(holder.trim().to_string()).filter(|h| !h.is_empty());
            Err(Error::Locked {
                root: root.to_path_buf(),
                holder,
            })
        }
        Err(std::fs::TryLockError::Error(source)) => Err(Error::Lock { path, source }),
    }
}
