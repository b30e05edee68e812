//! Keel's core: everything the desktop app and the command line share.
//! Nothing in the core depends on egui; `app` is the only module that does.

pub mod app;
pub mod benchmark;
pub mod census;
pub mod cli;
pub mod extract;
pub mod first_run;
pub mod measure;
pub mod metrics;
pub mod month;
pub mod plan;
pub mod report;
pub mod sample;
pub mod scenario;
pub mod settings;
pub mod table_out;
pub mod trace;
pub mod workspace;

/// Tune glibc's malloc for polars' large columns, before any thread
/// starts. Two arenas: polars' threads free memory that others allocated,
/// and with an arena per thread freed memory is reused less. A fixed
/// threshold for serving blocks from fresh mappings (glibc's largest, 32
/// MB) and no trimming: columns of a few million values are otherwise
/// mapped and unmapped on every use, and each page faulted in afresh (see
/// docs/performance.md). Freed memory stays with the process until it
/// exits, no more than its peak.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets parameters of the allocator, and is called
    // first thing in `main`, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}
