//! Background work: every load, read, import and recompute runs on its own
//! thread so a frame never waits on the disk or on polars. The UI polls the
//! job each frame; a job that panics is reported, never propagated.

use eframe::egui;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

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

pub struct Job<T> {
    pub name: &'static str,
    progress: Progress,
    rx: mpsc::Receiver<T>,
    started: std::time::Instant,
}

impl<T: Send + 'static> Job<T> {
    pub fn spawn(
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
                let out = work(&p);
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

    /// `Some` once the job has finished (or died).
    pub fn poll(&mut self) -> Option<Result<T, String>> {
        match self.rx.try_recv() {
            Ok(v) => Some(Ok(v)),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(format!(
                "{} stopped unexpectedly; try again, and report it if it happens again",
                self.name
            ))),
        }
    }

    /// What the job is doing, with the seconds it has run once that is
    /// long enough to wonder.
    pub fn status(&self) -> String {
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

/// Take the result out of a job slot once it has finished.
pub fn take_done<T: Send + 'static>(slot: &mut Option<Job<T>>) -> Option<Result<T, String>> {
    let done = slot.as_mut()?.poll()?;
    *slot = None;
    Some(done)
}
