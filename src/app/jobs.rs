//! Background work: every load, read, write and recompute runs on its own
//! thread so a frame never waits on the disk or on polars.
//!
//! [`Jobs`] is the one registry of what runs: at most one job of each
//! [`JobKind`], each with the code that applies its result to the app when
//! it finishes. Busy/idle, the status line, cancelling and dropping work
//! for an old workspace are all derived from it, so adding a job is adding
//! a kind. A job that panics is caught and handed to its own code as an
//! error like any other failure; nothing here ever starts a job again.

use eframe::egui;
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

/// Every kind of background job. Declaration order is the status line's
/// order of preference when several run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobKind {
    /// A change to the workspace (import, undo, settings, benchmark file).
    Write,
    /// Reading and validating files to import.
    Read,
    /// Loading the workspace and computing the metrics.
    Load,
    /// Opening or creating another workspace folder.
    Open,
    /// Reading the meeting pack to start meeting mode.
    Meeting,
    /// Scenario projections for the meeting's slides.
    Project,
    /// Chart images, exports, reports, profiles and CSV files written.
    Output,
    /// Reading and saving scenario files (list, open, save, rename).
    Scenario,
    /// Reading and saving the meeting pack edited in the Meeting view.
    Pack,
    /// The scenario view's calibration.
    Calibrate,
    /// The scenario view's comparison of saved scenarios.
    Compare,
    /// The chosen council's benchmark series.
    Bench,
    /// The scenario view's Monte Carlo bands.
    Simulate,
    /// The teams view's list of workers needing attention.
    Attention,
    /// The stored files checked against their checksums, on opening.
    Verify,
    /// An HR extract read for the identities behind pseudonyms.
    Names,
    /// The rows behind the data-quality counts of a month.
    QualityRows,
    /// A census return checked against the workspace (Census view).
    Census,
}

/// What starting a job does when one of its kind already runs.
enum WhenBusy {
    /// The newer request wins; the older result is dropped.
    Replace,
    /// Refuse, telling the user why.
    Refuse(&'static str),
}

impl JobKind {
    fn when_busy(self) -> WhenBusy {
        use JobKind::*;
        match self {
            Load | Meeting | Project | Compare | Bench | Verify | Names | QualityRows | Census => {
                WhenBusy::Replace
            }
            Write => WhenBusy::Refuse(
                "Another change to the workspace is still running: wait for it to finish.",
            ),
            Read => {
                WhenBusy::Refuse("Files are still being read: wait for them before adding more.")
            }
            Open => WhenBusy::Refuse("A workspace is still being opened: wait for it to finish."),
            Output => WhenBusy::Refuse("A file is still being written: wait for it to finish."),
            Scenario => {
                WhenBusy::Refuse("A scenario is still being read or saved: wait for it to finish.")
            }
            Pack => WhenBusy::Refuse(
                "The meeting pack is still being read or saved: wait for it to finish.",
            ),
            Calibrate | Simulate | Attention => {
                WhenBusy::Refuse("This is still being worked out: wait for it to finish.")
            }
        }
    }

    /// Work derived from the open workspace's data, dropped unapplied when
    /// another workspace is opened. (Writes and file saves are not: they
    /// finish and report, whatever is open by then.)
    pub fn of_workspace(self) -> bool {
        use JobKind::*;
        matches!(
            self,
            Meeting
                | Project
                | Calibrate
                | Compare
                | Bench
                | Simulate
                | Attention
                | Verify
                | Names
                | QualityRows
                | Census
        )
    }

    /// Shown in the status line. The others show their progress where
    /// their result is drawn.
    fn in_status_line(self) -> bool {
        !matches!(
            self,
            JobKind::Simulate | JobKind::Attention | JobKind::QualityRows
        )
    }

    /// What to tell the user when they stop waiting for it; `None` for
    /// kinds that cannot be cancelled (only work that stores nothing can).
    pub fn cancelled_text(self) -> Option<&'static str> {
        match self {
            JobKind::Read => Some("Reading cancelled; nothing was stored."),
            _ => None,
        }
    }
}

/// Progress text a job can update while it runs.
#[derive(Clone, Default)]
pub struct Progress(Arc<Mutex<String>>);

impl Progress {
    pub fn set(&self, text: impl Into<String>) {
        if let Ok(mut p) = self.0.lock() {
            *p = text.into();
        }
    }

    fn get(&self) -> String {
        self.0.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

/// One thread's work and the channel its result comes back on.
struct Job<T> {
    name: &'static str,
    progress: Progress,
    rx: mpsc::Receiver<Result<T, String>>,
    started: std::time::Instant,
}

impl<T: Send + 'static> Job<T> {
    fn spawn(
        name: &'static str,
        ctx: Option<egui::Context>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Job<T> {
        let (tx, rx) = mpsc::channel();
        let progress = Progress::default();
        let p = progress.clone();
        std::thread::Builder::new()
            .name(format!("keel {name}"))
            .spawn(move || {
                // A panic is this job's failure, reported like any other;
                // the app goes on.
                let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&p)))
                    .map_err(|payload| {
                        let why = payload
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "no message".into());
                        format!(
                            "{name} stopped on an internal error ({why}); report it if it happens again"
                        )
                    });
                let _ = tx.send(out);
                // Wake the UI: without this a finished job would wait for
                // the next input event to be noticed.
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            })
            // Spawning only fails when the OS is out of threads; the
            // receiver then reports the job as stopped.
            .ok();
        Job {
            name,
            progress,
            rx,
            started: std::time::Instant::now(),
        }
    }

    /// `Some` once the job has finished, failed or died.
    fn poll(&mut self) -> Option<Result<T, String>> {
        match self.rx.try_recv() {
            Ok(v) => Some(v),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(format!(
                "{} stopped unexpectedly; report it if it happens again",
                self.name
            ))),
        }
    }

    /// What the job is doing, with the seconds it has run once that is
    /// long enough to wonder.
    fn status(&self) -> String {
        let p = self.progress.get();
        let text = if p.is_empty() {
            format!("{}…", self.name)
        } else {
            p
        };
        let secs = self.started.elapsed().as_secs();
        if secs >= 2 {
            format!("{text} ({secs} s)")
        } else {
            text
        }
    }
}

/// A running job with its result type erased: what the registry holds.
trait Running<A> {
    fn status(&self) -> String;
    fn poll(&mut self) -> Option<Finished<A>>;
}

/// What to do with a job's result (or its failure) on the UI thread.
type Then<A, T> = Box<dyn FnOnce(&mut A, Result<T, String>)>;

struct Typed<A, T> {
    job: Job<T>,
    then: Option<Then<A, T>>,
}

impl<A: 'static, T: Send + 'static> Running<A> for Typed<A, T> {
    fn status(&self) -> String {
        self.job.status()
    }

    fn poll(&mut self) -> Option<Finished<A>> {
        let result = self.job.poll()?;
        let then = self.then.take()?;
        // Errors the work returned itself are the job's own business; a
        // panic or a dead thread is told to the user by the app as well.
        let failure = result.as_ref().err().cloned();
        Some(Finished {
            failure,
            apply: Box::new(move |app| then(app, result)),
        })
    }
}

/// A job that has finished: apply it to the app.
pub struct Finished<A> {
    /// Set when the job panicked or its thread died.
    pub failure: Option<String>,
    apply: Box<dyn FnOnce(&mut A)>,
}

impl<A> Finished<A> {
    pub fn apply(self, app: &mut A) {
        (self.apply)(app)
    }
}

/// The registry of running jobs of an app `A`.
pub struct Jobs<A> {
    running: BTreeMap<JobKind, Box<dyn Running<A>>>,
    /// How many jobs of each kind were started (tests count restarts).
    starts: BTreeMap<JobKind, usize>,
    /// Test hook: make the next n jobs of a kind panic.
    panics: BTreeMap<JobKind, usize>,
    ctx: Option<egui::Context>,
}

impl<A> Default for Jobs<A> {
    fn default() -> Self {
        Jobs {
            running: BTreeMap::new(),
            starts: BTreeMap::new(),
            panics: BTreeMap::new(),
            ctx: None,
        }
    }
}

impl<A: 'static> Jobs<A> {
    /// The context to wake when a job finishes.
    pub fn set_ctx(&mut self, ctx: &egui::Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
    }

    /// The context jobs wake, once a frame has been drawn.
    pub fn ctx(&self) -> Option<&egui::Context> {
        self.ctx.as_ref()
    }

    /// Run `work` on its own thread; when it finishes, `then` gets its
    /// result (or the panic, as an error) on the UI thread. Refused, with
    /// the text to tell the user, when the kind does not replace a running
    /// job of its own.
    pub fn start<T: Send + 'static>(
        &mut self,
        kind: JobKind,
        name: &'static str,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
        then: impl FnOnce(&mut A, Result<T, String>) + 'static,
    ) -> Result<(), &'static str> {
        if let (true, WhenBusy::Refuse(why)) = (self.is_running(kind), kind.when_busy()) {
            return Err(why);
        }
        let panic = match self.panics.get_mut(&kind) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        };
        let work = move |p: &Progress| {
            if panic {
                panic!("a test asked {name} to panic");
            }
            work(p)
        };
        *self.starts.entry(kind).or_default() += 1;
        let job = Job::spawn(name, self.ctx.clone(), work);
        self.running.insert(
            kind,
            Box::new(Typed {
                job,
                then: Some(Box::new(then)),
            }),
        );
        Ok(())
    }

    pub fn is_running(&self, kind: JobKind) -> bool {
        self.running.contains_key(&kind)
    }

    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// Take out the jobs that have finished, to apply them to the app.
    pub fn finished(&mut self) -> Vec<Finished<A>> {
        let mut done = Vec::new();
        self.running.retain(|_, job| match job.poll() {
            Some(f) => {
                done.push(f);
                false
            }
            None => true,
        });
        done
    }

    /// Drop the running jobs of the kinds `which` picks, unapplied (their
    /// threads finish on their own and the results are discarded).
    pub fn cancel(&mut self, which: impl Fn(JobKind) -> bool) -> bool {
        let before = self.running.len();
        self.running.retain(|k, _| !which(*k));
        self.running.len() != before
    }

    /// The status line's text: the first running job that shows there.
    pub fn status(&self) -> Option<String> {
        self.running
            .iter()
            .find(|(k, _)| k.in_status_line())
            .map(|(_, j)| j.status())
    }

    /// A running job the user may stop waiting for.
    pub fn cancellable(&self) -> Option<JobKind> {
        self.running
            .keys()
            .copied()
            .find(|k| k.cancelled_text().is_some())
    }

    pub fn starts(&self, kind: JobKind) -> usize {
        self.starts.get(&kind).copied().unwrap_or(0)
    }

    pub fn panic_next(&mut self, kind: JobKind, times: usize) {
        self.panics.insert(kind, times);
    }
}
