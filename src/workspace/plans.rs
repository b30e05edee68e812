//! The improvement plan's saved versions: each is `plans/<id>.json`,
//! recorded in the manifest as a plan edit, and the latest active edit is
//! the plan. A version is written (atomically) before the manifest names
//! it, so a crash leaves the previous plan in force and an unreferenced
//! file that the next writer sweeps.
//!
//! The workspace stores a plan as JSON without knowing its type: the plan
//! module reads the metrics, which read the workspace, so it sits above the
//! workspace and defines `Workspace::plan` and `Workspace::save_plan` (in
//! `src/plan/store.rs`) on top of what is here.

use super::lock::WriteLock;
use super::manifest::{self, FromSettings, PlanEdit};
use super::write_json;
use super::{Damage, Error, MANIFEST, Manifest, SETTINGS, Status, Undone, Workspace, io_err};
use crate::settings::Settings;
use serde::Serialize;
use serde::de::DeserializeOwned;

impl Workspace {
    /// The plan version `edit` saved.
    pub fn read_plan_version<T: DeserializeOwned>(&self, edit: &PlanEdit) -> Result<T, Error> {
        let path = self.root.join(edit.data_file());
        let bytes = std::fs::read(&path).map_err(|source| Error::Damaged {
            path: path.clone(),
            what: Damage::PlanFile {
                edit: edit.id,
                source,
            },
        })?;
        serde_json::from_slice(&bytes).map_err(|source| Error::Damaged {
            path,
            what: Damage::PlanData {
                edit: edit.id,
                source,
            },
        })
    }

    /// Take the write lock to change the plan. What the handle reads is
    /// what is on disk now, and no other process writes until it is
    /// dropped, so a change is made to the plan it was decided on.
    pub fn begin_plan_write(&mut self) -> Result<PlanWrite<'_>, Error> {
        let guard = self.begin_write()?;
        Ok(PlanWrite {
            ws: self,
            _guard: guard,
        })
    }

    /// Mark a plan edit undone, putting back into the settings any
    /// milestones and events it moved from them. Only called under the lock.
    pub(super) fn undo_plan_edit(&mut self, mut edit: PlanEdit) -> Result<Undone, Error> {
        // The settings first: a crash before the manifest then leaves the
        // milestones in both the settings and the plan, which the next plan
        // change tidies; the other order could leave them in neither.
        if !edit.from_settings.is_empty() {
            let mut s = self.settings.clone();
            restore(&mut s, &edit.from_settings);
            write_json(&self.root.join(SETTINGS), &s)?;
            self.settings = s;
        }
        let mut next = self.manifest.clone();
        for e in next.plan_edits.iter_mut().filter(|e| e.id == edit.id) {
            e.status = Status::Undone;
        }
        write_json(&self.root.join(MANIFEST), &next)?;
        self.manifest = next;
        edit.status = Status::Undone;
        Ok(Undone::PlanEdit(edit))
    }
}

/// The moved milestones and events back in the settings, ahead of any
/// added since, each once.
fn restore(s: &mut Settings, moved: &FromSettings) {
    let mut milestones = moved.milestones.clone();
    milestones.extend(
        s.milestones
            .iter()
            .filter(|m| !moved.milestones.contains(m))
            .cloned(),
    );
    let mut events = moved.events.clone();
    events.extend(
        s.events
            .iter()
            .filter(|e| !moved.events.contains(e))
            .cloned(),
    );
    s.milestones = milestones;
    s.events = events;
}

/// A change to the plan in progress, holding the write lock.
pub struct PlanWrite<'a> {
    ws: &'a mut Workspace,
    _guard: WriteLock,
}

impl PlanWrite<'_> {
    /// The workspace as it is on disk now (read under the lock).
    pub fn workspace(&self) -> &Workspace {
        self.ws
    }

    pub fn settings(&self) -> &Settings {
        &self.ws.settings
    }

    pub fn manifest(&self) -> &Manifest {
        &self.ws.manifest
    }

    /// Store `plan` as the new version: its file, then the manifest, which
    /// is the commit point.
    pub fn store<T: Serialize>(
        &mut self,
        plan: &T,
        action: String,
        from_settings: FromSettings,
    ) -> Result<PlanEdit, Error> {
        let ws = &mut *self.ws;
        let edit = PlanEdit {
            id: ws.manifest.next_plan_edit_id(),
            at: chrono::Utc::now(),
            action,
            status: Status::Active,
            from_settings,
        };
        let dir = ws.root.join("plans");
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        write_json(&ws.root.join(edit.data_file()), plan)?;
        let mut next = ws.manifest.clone();
        super::verify::record(&mut next, &ws.root, &edit.data_file())?;
        next.format = next.format.max(manifest::FORMAT_PLAN);
        next.plan_edits.push(edit.clone());
        write_json(&ws.root.join(MANIFEST), &next)?;
        ws.manifest = next;
        Ok(edit)
    }

    /// Replace the settings (written atomically).
    pub fn save_settings(&mut self, settings: Settings) -> Result<(), Error> {
        write_json(&self.ws.root.join(SETTINGS), &settings)?;
        self.ws.settings = settings;
        Ok(())
    }
}
