//! Which workforce a scenario projects: the whole service, or one team.
//!
//! A team is projected from its own rows: its workforce snapshots, the
//! leavers, supervision and caseload records of workers who were ever in
//! it, and its establishment. Moving out of the team counts as leaving it
//! and moving in as joining it, which is what the team's stock and flow
//! are, even though the service-level turnover does not count moves.

use super::Error;
use super::calibrate::Observed;
use crate::metrics::{Inputs, Limits};
use polars::prelude::*;
use std::collections::BTreeMap;

/// The rows of `inputs` that belong to `team`.
pub fn team_inputs(inputs: &Inputs, team: &str) -> Result<Inputs, Error> {
    let workforce = inputs
        .workforce
        .clone()
        .lazy()
        .filter(col("team").eq(lit(team)))
        .collect()
        .map_err(Error::Data)?;
    if workforce.height() == 0 {
        return Err(Error::NoTeam(team.to_string()));
    }
    let ids = workforce
        .column("worker_id")
        .map_err(Error::Data)?
        .as_materialized_series()
        .unique()
        .map_err(Error::Data)?;
    let of_team = |df: &Option<DataFrame>| -> Result<Option<DataFrame>, Error> {
        let Some(df) = df else { return Ok(None) };
        let keep = col("worker_id").is_in(lit(ids.clone()).implode(false), false);
        df.clone()
            .lazy()
            .filter(keep)
            .collect()
            .map(Some)
            .map_err(Error::Data)
    };
    let establishment = match &inputs.establishment {
        Some(e) => Some(
            e.clone()
                .lazy()
                .filter(col("team").eq(lit(team)))
                .collect()
                .map_err(Error::Data)?,
        ),
        None => None,
    };
    // A leavers row naming another team is a leave from there: the worker
    // moved out of this team earlier, which already counts as leaving it.
    let leavers = match of_team(&inputs.leavers)? {
        Some(l) if l.get_column_names().iter().any(|c| c.as_str() == "team") => Some(
            l.lazy()
                .filter(col("team").is_null().or(col("team").eq(lit(team))))
                .collect()
                .map_err(Error::Data)?,
        ),
        other => other,
    };
    Ok(Inputs {
        workforce,
        leavers,
        establishment,
        supervision: of_team(&inputs.supervision)?,
        caseload: of_team(&inputs.caseload)?,
    })
}

/// Observed history per scope, computed once each and kept: the app and
/// the report project several scenarios, often over the same scope.
pub struct Observers {
    inputs: Inputs,
    limits: Limits,
    cache: BTreeMap<Option<String>, Observed>,
}

impl Observers {
    pub fn load(ws: &crate::workspace::Workspace) -> Result<Observers, Error> {
        let inputs = ws.required_inputs()?;
        Ok(Observers {
            inputs,
            limits: ws.settings().limits(),
            cache: BTreeMap::new(),
        })
    }

    /// The history of the whole service (`None`) or of one team.
    pub fn get(&mut self, team: Option<&str>) -> Result<&Observed, Error> {
        let key = team.map(str::to_string);
        if !self.cache.contains_key(&key) {
            let observed = match team {
                None => Observed::from_inputs(&self.inputs, self.limits)?,
                Some(t) => Observed::from_inputs(&team_inputs(&self.inputs, t)?, self.limits)?,
            };
            self.cache.insert(key.clone(), observed);
        }
        self.cache.get(&key).ok_or(Error::NoHistoryFor(key))
    }
}
