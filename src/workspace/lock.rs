//! One writer at a time: an exclusive OS file lock on `.lock`, released by
//! the OS even when the holder is killed, so a crash never leaves a stale lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;

pub struct WriteLock {
    _file: File,
}

pub fn acquire(root: &Path) -> Result<WriteLock, String> {
    let path = root.join(".lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
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
            let who = match holder.trim() {
                "" => "another Keel process".to_string(),
                pid => format!("another Keel process (pid {pid})"),
            };
            Err(format!(
                "the workspace {} is being changed by {who}; nothing was stored. Try again when it has finished",
                root.display()
            ))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
    }
}
