//! The workspace's tables the metrics read: the same for the fast engine
//! and the reference. The workspace loads them
//! (`Workspace::inputs`); the metrics only read them.

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
