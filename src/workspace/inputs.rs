//! What the workspace hands the metrics: its canonical tables and the
//! warnings its imports stored. The metrics read plain tables and never
//! open a workspace, so the store and the measures stay one layer apart.

use super::{Error, Workspace};
use crate::extract::Kind;
use crate::metrics::Inputs;
use crate::month::Month;

impl Workspace {
    /// Everything the workspace holds now; `None` without any snapshot.
    pub fn inputs(&self) -> Result<Option<Inputs>, Error> {
        // Columns of the snapshots that no measure, scenario or view reads
        // (the source row, the leaving reason, whether an agency worker
        // covers a vacancy): left on disk, since the loaded snapshots stay
        // in memory while the metrics run.
        const UNREAD: [&str; 3] = ["row", "leaving_reason", "covering_vacancy"];
        let Some(workforce) = self.load_without(Kind::Workforce, &UNREAD)? else {
            return Ok(None);
        };
        Ok(Some(Inputs {
            workforce,
            leavers: self.load(Kind::Leavers)?,
            establishment: self.load(Kind::Establishment)?,
            supervision: self.load(Kind::Supervision)?,
            caseload: self.load(Kind::Caseload)?,
        }))
    }

    /// Everything the workspace holds now, or [`Error::NoSnapshot`] when it
    /// holds no workforce snapshot yet.
    pub fn required_inputs(&self) -> Result<Inputs, Error> {
        self.inputs()?.ok_or_else(|| Error::NoSnapshot {
            root: self.root().to_path_buf(),
        })
    }

    /// Each active import's stored warnings, with the months it covers:
    /// the data-quality report counts what only the import saw (exact
    /// duplicates dropped, for one).
    pub fn stored_warnings(&self) -> Vec<(Vec<Month>, String)> {
        self.manifest()
            .active()
            .flat_map(|r| {
                self.warnings_of(r)
                    .into_iter()
                    .map(move |w| (r.months.clone(), w.reason))
            })
            .collect()
    }
}
