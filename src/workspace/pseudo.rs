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

    /// The workspace's key if it has one; never makes one.
    pub fn load(root: &Path) -> std::io::Result<Option<Key>> {
        if !root.join(KEY_FILE).is_file() {
            return Ok(None);
        }
        Key::load_or_create(root).map(Some)
    }

    pub fn pseudonym(&self, id: &str) -> String {
        let h = blake3::keyed_hash(&self.0, id.trim().as_bytes());
        format!("w{}", &h.to_hex()[..16])
    }

    /// Replace a text column of identifiers, hashing each distinct value
    /// once. The rows are taken in pieces on every core: each piece's
    /// distinct values are found, hashed once between them, and each piece
    /// replaced, becoming a chunk of the new column.
    pub fn pseudonymise_column(&self, df: &mut DataFrame, name: &str) -> PolarsResult<()> {
        use rayon::prelude::*;
        let ids = df.column(name)?.str()?;
        let n = ids.len();
        let size = n.div_ceil(4 * rayon::current_num_threads()).max(1);
        let pieces: Vec<StringChunked> = (0..n)
            .step_by(size)
            .map(|start| ids.slice(start as i64, size.min(n - start)))
            .collect();
        let seen: Vec<PlHashSet<&str>> = pieces
            .par_iter()
            .map(|p| p.iter().flatten().collect())
            .collect();
        let mut distinct: PlHashSet<&str> = PlHashSet::default();
        for s in seen {
            distinct.extend(s);
        }
        let distinct: Vec<&str> = distinct.into_iter().collect();
        let pseudonyms: Vec<String> = distinct.par_iter().map(|id| self.pseudonym(id)).collect();
        let memo: PlHashMap<&str, &str> = distinct
            .iter()
            .copied()
            .zip(pseudonyms.iter().map(String::as_str))
            .collect();
        let replaced: Vec<StringChunked> = pieces
            .par_iter()
            .map(|p| p.iter().map(|v| v.map(|id| memo[id])).collect())
            .collect();
        let mut out = StringChunked::full_null(name.into(), 0);
        for p in &replaced {
            out.append(p)?;
        }
        df.replace(name, out.with_name(name.into()).into_column())?;
        Ok(())
    }
}
