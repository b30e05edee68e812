//! Names for a manager acting on a list of pseudonyms: an HR extract read
//! at view time turns each listed pseudonym back into the identifier (and
//! name) HR uses. Held in the app's memory only, dropped when the view
//! closes; never stored, never in meeting mode, exports or reports.

use super::state::Command;
use crate::workspace::reveal::Identities;
use eframe::egui;

/// The bar's own state: a typed path, for when the picker cannot open.
#[derive(Default)]
pub struct NamesUi {
    pub typing: bool,
    pub path: super::typed_path::TypedPath,
    /// Why the native file picker could not open, when it could not.
    pub picker_failed: Option<String>,
}

/// The button that reads names, or the note saying where they came from.
pub fn bar(
    ui: &mut egui::Ui,
    names: Option<&Identities>,
    st: &mut NamesUi,
    busy: bool,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| match names {
        Some(n) => {
            ui.label(format!(
                "Identifiers{} from {} ({} workers): held in memory only, never stored; they go when you leave this view.",
                if n.named { " and names" } else { "" },
                n.file,
                n.workers()
            ));
            if ui.button("Hide names").clicked() {
                cmds.push(Command::HideNames);
            }
        }
        None => {
            if ui
                .add_enabled(!busy, egui::Button::new("Show names from an extract…"))
                .on_hover_text("Choose a current HR extract: Keel matches its workers to these pseudonyms and shows their identifiers (and names) here only, without storing them")
                .clicked()
            {
                cmds.push(Command::ShowNames(None));
            }
            if busy {
                ui.spinner();
                ui.label("Reading the extract…");
            }
        }
    });
    if names.is_some() || !(st.typing || st.picker_failed.is_some()) {
        return;
    }
    let words = super::typed_path::Words {
        label: "Extract path",
        hint: "/path/to/staff-in-post.xlsx",
        button: "Read names",
        several: false,
        one: "extract",
    };
    if let Some(path) = super::typed_path::field(ui, &mut st.path, &mut st.picker_failed, &words)
        .and_then(|mut p| p.pop())
    {
        cmds.push(Command::ShowNames(Some(path)));
        st.typing = false;
    }
}

/// The extra cells beside a pseudonym: the identifier and, when the
/// extract names people, the name.
pub fn cells(ui: &mut egui::Ui, names: &Identities, stored: &str) {
    match names.get(stored) {
        Some(who) => {
            ui.monospace(&who.id);
            if names.named {
                ui.label(who.name.as_deref().unwrap_or("—"));
            }
        }
        None => {
            ui.weak("not in the extract");
            if names.named {
                ui.label("");
            }
        }
    }
}

/// The headers of [`cells`].
pub fn headers(ui: &mut egui::Ui, names: &Identities) {
    ui.strong("Identifier");
    if names.named {
        ui.strong("Name");
    }
}
