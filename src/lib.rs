//! Keel's core: everything the desktop app and the command line share.
//! Nothing in the core depends on egui; `app` is the only module that does.

pub mod app;
pub mod benchmark;
pub mod cli;
pub mod extract;
pub mod first_run;
pub mod metrics;
pub mod month;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod settings;
pub mod table_out;
pub mod trace;
pub mod workspace;
