//! Phase timings on stderr when `KEEL_TRACE` is set, for profiling the
//! import and the metrics without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("KEEL_TRACE").is_some_and(|v| !v.is_empty()))
}

/// Report the time since `since` under `what`, and restart the clock.
pub fn lap(what: &str, since: &mut Instant) {
    if enabled() {
        eprintln!("trace: {what}: {:.3} s", since.elapsed().as_secs_f64());
    }
    *since = Instant::now();
}
