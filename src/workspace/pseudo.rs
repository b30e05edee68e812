//! Pseudonymisation: worker identifiers become a keyed BLAKE3 hash. The key
//! is made once per workspace and never leaves it, so the same worker keeps
//! the same pseudonym month after month, while the stored data cannot be
//! matched back to payroll numbers without the key.

use polars::prelude::*;
use std::io::Write;
use std::path::Path;

pub const KEY_FILE: &str = "pseudonymisation.key";

pub struct Key([u8; 32]);

impl Key {
    pub fn load_or_create(root: &Path) -> std::io::Result<Key> {
        let path = root.join(KEY_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let bytes = blake3::Hash::from_hex(text.trim()).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{} is damaged: {e}", path.display()),
                )
            })?;
            return Ok(Key(*bytes.as_bytes()));
        }
        let mut key = [0u8; 32];
        rand::fill(&mut key);
        let hex = blake3::Hash::from_bytes(key).to_hex();
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&path)?;
        f.write_all(hex.as_bytes())?;
        f.sync_all()?;
        Ok(Key(key))
    }

    /// The workspace's key if it has one, without making one (for checks
    /// that must not write).
    pub fn load_existing(root: &Path) -> std::io::Result<Option<Key>> {
        if root.join(KEY_FILE).exists() {
            Key::load_or_create(root).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn pseudonym(&self, id: &str) -> String {
        let h = blake3::keyed_hash(&self.0, id.trim().as_bytes());
        format!("w{}", &h.to_hex()[..16])
    }

    /// Replace a text column of identifiers, hashing each distinct value once.
    pub fn pseudonymise_column(&self, df: &mut DataFrame, name: &str) -> PolarsResult<()> {
        let ids = df.column(name)?.str()?.clone();
        let mut memo: PlHashMap<&str, String> = PlHashMap::default();
        for id in ids.iter().flatten() {
            memo.entry(id).or_insert_with(|| self.pseudonym(id));
        }
        let out: StringChunked = ids.iter().map(|v| v.map(|id| memo[id].as_str())).collect();
        df.replace(name, out.with_name(name.into()).into_column())?;
        Ok(())
    }
}
