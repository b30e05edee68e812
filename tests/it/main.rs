//! Keel's integration tests: one binary (polars makes each test binary
//! large, so they share one), one module per area.

mod support;

mod app_census;
mod app_import;
mod app_jobs;
mod app_keys;
mod app_names;
mod app_plan;
mod app_screens;
mod app_ui;
mod app_words;
mod architecture;
mod census;
mod census_leavers;
mod cli_metrics;
mod cli_plan;
mod crash;
mod dfe_benchmarks;
mod extract_errors;
mod extract_values;
mod headers;
mod import_files;
mod import_store;
mod inferred_leavers;
mod metrics_fixtures;
mod metrics_reference;
mod plan;
mod plan_store;
mod registry;
mod report;
mod robustness;
mod sample_roundtrip;
mod scenario;
mod verify;
mod workspace_store;
