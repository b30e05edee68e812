//! The core's measures with their on-screen colours.

pub use crate::report::measures::*;
use eframe::egui::Color32;

pub trait RagColor {
    fn color(self, dark: bool) -> Color32;
    fn fill(self) -> Color32;
}

impl RagColor for Rag {
    fn color(self, dark: bool) -> Color32 {
        let [r, g, b] = self.rgb(dark);
        Color32::from_rgb(r, g, b)
    }

    fn fill(self) -> Color32 {
        let [r, g, b, a] = self.fill_rgba();
        Color32::from_rgba_unmultiplied(r, g, b, a)
    }
}
