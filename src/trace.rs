//! Phase timings on stderr when `KEEL_TRACE` is set, for profiling the
//! import and the metrics without a profiler; with `KEEL_TRACE=nodes`, the
//! steps of the metrics' polars queries too.

use polars::prelude::{DataFrame, LazyFrame, PolarsResult};
use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("KEEL_TRACE").is_some_and(|v| !v.is_empty()))
}

fn nodes_enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("KEEL_TRACE").is_some_and(|v| v == "nodes"))
}

/// Report the time since `since` under `what`, and restart the clock.
pub fn lap(what: &str, since: &mut Instant) {
    if enabled() {
        eprintln!("trace: {what}: {:.3} s", since.elapsed().as_secs_f64());
    }
    *since = Instant::now();
}

/// `collect`, which with `KEEL_TRACE=nodes` also reports the time of each
/// step of polars' plan that took more than 4 ms, under the caller's
/// place in the source: where a lazy query spends its time.
pub trait CollectTraced {
    fn collect_traced(self) -> PolarsResult<DataFrame>;
}

impl CollectTraced for LazyFrame {
    #[track_caller]
    fn collect_traced(self) -> PolarsResult<DataFrame> {
        if !nodes_enabled() {
            return self.collect();
        }
        let at = std::panic::Location::caller();
        let clock = Instant::now();
        let (df, profile) = self.profile()?;
        eprintln!(
            "trace: {}:{}: {:.3} s",
            at.file(),
            at.line(),
            clock.elapsed().as_secs_f64()
        );
        let nodes = profile.column("node")?.str()?;
        let starts = profile.column("start")?.u64()?;
        let ends = profile.column("end")?.u64()?;
        for ((node, start), end) in nodes.iter().zip(starts.iter()).zip(ends.iter()) {
            let micros = end.unwrap_or(0).saturating_sub(start.unwrap_or(0));
            if micros > 4000 {
                let node: String = node.unwrap_or("").chars().take(100).collect();
                eprintln!("trace:   {:.3} s {node}", micros as f64 / 1e6);
            }
        }
        Ok(df)
    }
}
