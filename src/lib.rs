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

/// Limit glibc's malloc to two arenas, before any thread starts. polars'
/// threads free memory that others allocated; with an arena per thread,
/// freed memory is reused less and fresh pages are faulted in instead. (The
/// national metrics process: 0.97× the time and 100 MB less at peak.)
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator, and is called
    // first thing in `main`, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
