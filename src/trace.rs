//! Phase timings on stderr when `KEEL_TRACE` is set, for profiling the
//! import and the metrics without a profiler; with `KEEL_TRACE=nodes`, the
//! steps of the metrics' polars queries too.

use polars::prelude::{DataFrame, LazyFrame, PolarsResult};
use std::sync::OnceLock;
use std::time::Instant;

/// `KEEL_TRACE`, read once.
fn setting() -> Option<&'static std::ffi::OsStr> {
    static VALUE: OnceLock<Option<std::ffi::OsString>> = OnceLock::new();
    VALUE
        .get_or_init(|| std::env::var_os("KEEL_TRACE"))
        .as_deref()
}

fn enabled() -> bool {
    setting().is_some_and(|v| !v.is_empty())
}

fn nodes_enabled() -> bool {
    setting().is_some_and(|v| v == "nodes")
}

/// The process's CPU time so far (user and system, every thread), in
/// seconds, where /proc tells it.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    // Clock ticks, which Linux fixes at 100 a second for /proc.
    Some((user + system) / 100.0)
}

/// The process's resident memory now and at its peak, in MB, where /proc
/// tells it.
pub fn memory_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Report the time since `since` under `what`, and restart the clock;
/// with the CPU time the process spent meanwhile (how well the phase used
/// the cores) and its memory, where known.
pub fn lap(what: &str, since: &mut Instant) {
    static CPU: std::sync::Mutex<Option<f64>> = std::sync::Mutex::new(None);
    if enabled() {
        let now = cpu_seconds();
        let mut last = CPU.lock().unwrap_or_else(|e| e.into_inner());
        let mut notes = Vec::new();
        if let (Some(now), Some(before)) = (now, *last) {
            notes.push(format!("cpu {:.2} s", now - before));
        }
        if let Some((rss, peak)) = memory_mb() {
            notes.push(format!("memory {rss:.0} MB, peak {peak:.0} MB"));
        }
        eprintln!(
            "trace: {what}: {:.3} s ({})",
            since.elapsed().as_secs_f64(),
            notes.join("; ")
        );
        *last = now;
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
