//! One writer at a time: an exclusive OS file lock on `.lock`, released by
//! the OS even when the holder is killed, so a crash never leaves a stale lock.

use super::Error;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;

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
    match file.try_lock() {
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
