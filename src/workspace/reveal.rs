//! Who is behind a pseudonym, for a manager acting on a list now: an HR
//! extract chosen at view time is read, each of its worker ids hashed with
//! the workspace's key, and the pairs handed back. Nothing here writes:
//! the identities live only in the caller's memory, and the workspace
//! keeps holding pseudonyms alone.

use super::pseudo::Key;
use crate::extract::fields::{Field, looks_like_name, recognise};
use crate::extract::{plan, reader};
use std::collections::HashMap;
use std::path::Path;

/// A worker as the extract names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The identifier as written in the extract (a payroll number).
    pub id: String,
    /// From the extract's name columns, joined, when it has any.
    pub name: Option<String>,
}

/// The identities of one extract, looked up by what the workspace stores.
pub struct Identities {
    /// The extract's file name, to say where the names come from.
    pub file: String,
    /// Whether the extract had a name column.
    pub named: bool,
    by_stored: HashMap<String, Identity>,
}

impl Identities {
    /// The worker stored as `stored` (a pseudonym, or the identifier itself
    /// in a workspace that does not pseudonymise).
    pub fn get(&self, stored: &str) -> Option<&Identity> {
        self.by_stored.get(stored)
    }

    /// How many workers the extract holds.
    pub fn workers(&self) -> usize {
        // Each worker is held under its pseudonym and its identifier.
        self.by_stored.len() / 2
    }
}

/// Read `file` (CSV or Excel, any kind of HR extract with a worker id
/// column) and match its workers to the pseudonyms of the workspace at
/// `root`. Errors are messages for the user.
pub fn read(root: &Path, file: &Path) -> Result<Identities, String> {
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    // Loaded, never created: a workspace without a key holds nothing to
    // match, and this must not write to it.
    let key = Key::load(root).map_err(|e| format!("cannot read the workspace's key: {e}"))?;
    let is_header = |row: &[String]| plan::looks_like_header(row, None);
    let table = reader::read_table(file, None, &is_header).map_err(|e| format!("{name}: {e}"))?;
    let id_col = table
        .headers
        .iter()
        .position(|h| recognise(h) == Some(Field::WorkerId))
        .ok_or_else(|| {
            format!(
                "{name} has no worker id column (such as {}): choose an HR extract",
                Field::WorkerId.synonyms()[..3].join(", ")
            )
        })?;
    let name_cols: Vec<usize> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| recognise(h).is_none() && looks_like_name(h))
        .map(|(i, _)| i)
        .collect();
    let mut by_stored = HashMap::new();
    for row in 0..table.len() {
        let id = table.cell(row, id_col).display().trim().to_string();
        if id.is_empty() {
            continue;
        }
        let parts: Vec<String> = name_cols
            .iter()
            .map(|c| table.cell(row, *c).display().trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let who = Identity {
            id: id.clone(),
            name: (!parts.is_empty()).then(|| parts.join(" ")),
        };
        // Under both: imports made with pseudonymisation off store the
        // identifier itself.
        if let Some(k) = &key {
            by_stored.insert(k.pseudonym(&id), who.clone());
        }
        by_stored.insert(id, who);
    }
    if by_stored.is_empty() {
        return Err(format!("{name} lists no workers"));
    }
    Ok(Identities {
        file: name,
        named: !name_cols.is_empty(),
        by_stored,
    })
}
