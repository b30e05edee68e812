//! A path typed by hand: for a computer where the file picker cannot open
//! (no desktop portal or zenity), and for anyone who would rather type.
//! The Import view and the names bar both offer one.

use eframe::egui;
use std::path::PathBuf;

/// What one typed-path field reads: its label (also its accessible name),
/// an example path and the button's words.
pub struct Words {
    pub label: &'static str,
    pub hint: &'static str,
    pub button: &'static str,
}

/// The field, with why the picker failed above it when it did. Returns the
/// path once Enter or the button is pressed, and then clears the field and
/// the failure.
pub fn field(
    ui: &mut egui::Ui,
    path: &mut String,
    picker_failed: &mut Option<String>,
    words: &Words,
) -> Option<PathBuf> {
    if let Some(why) = picker_failed.as_deref() {
        ui.colored_label(ui.visuals().warn_fg_color, why);
    }
    ui.horizontal(|ui| {
        ui.label(format!("{}:", words.label));
        let field = ui
            .add(
                egui::TextEdit::singleline(path)
                    .hint_text(words.hint)
                    .desired_width(ui.available_width().min(520.0) - 110.0),
            )
            .accessible_name(words.label);
        if picker_failed.is_some() && path.is_empty() && !field.has_focus() {
            // Straight to the keyboard: the picker just failed.
            field.request_focus();
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let read = ui
            .add_enabled(!path.trim().is_empty(), egui::Button::new(words.button))
            .clicked();
        if !(entered || read) || path.trim().is_empty() {
            return None;
        }
        // Paths copied from a file manager often come quoted.
        let typed = PathBuf::from(path.trim().trim_matches(['"', '\'']));
        path.clear();
        *picker_failed = None;
        Some(typed)
    })
    .inner
}
