//! The workspace's tables the metrics read: the same for the fast engine
//! and the reference.

use polars::prelude::*;

/// The workspace's canonical tables, as loaded for the metrics.
#[derive(Clone, Debug)]
pub struct Inputs {
    pub workforce: DataFrame,
    pub leavers: Option<DataFrame>,
    pub establishment: Option<DataFrame>,
    pub supervision: Option<DataFrame>,
    pub caseload: Option<DataFrame>,
}

impl Inputs {
    /// Everything the workspace holds now, or the message to show when it
    /// holds no workforce snapshot yet.
    pub fn required(ws: &crate::workspace::Workspace) -> Result<Inputs, String> {
        Inputs::from_workspace(ws)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| {
                format!(
                    "{} holds no workforce snapshot yet: import one with `keel import`",
                    ws.root().display()
                )
            })
    }

    /// Everything the workspace holds now; `None` without any snapshot.
    pub fn from_workspace(
        ws: &crate::workspace::Workspace,
    ) -> Result<Option<Inputs>, crate::workspace::Error> {
        use crate::extract::Kind;
        // Columns of the snapshots that no measure, scenario or view reads
        // (the source row, the leaving reason, whether an agency worker
        // covers a vacancy): left on disk, since the loaded snapshots stay
        // in memory while the metrics run.
        const UNREAD: [&str; 3] = ["row", "leaving_reason", "covering_vacancy"];
        let Some(workforce) = ws.load_without(Kind::Workforce, &UNREAD)? else {
            return Ok(None);
        };
        Ok(Some(Inputs {
            workforce,
            leavers: ws.load(Kind::Leavers)?,
            establishment: ws.load(Kind::Establishment)?,
            supervision: ws.load(Kind::Supervision)?,
            caseload: ws.load(Kind::Caseload)?,
        }))
    }
}
