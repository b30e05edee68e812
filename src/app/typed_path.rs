//! A path typed by hand: for a computer where the file picker cannot open
//! (no desktop portal or zenity), and for anyone who would rather type.
//! The Import view and the names bar both offer one.

use eframe::egui;
use std::path::PathBuf;

/// What one typed-path field reads: its label (also its accessible name),
/// an example path, the button's words, and whether it takes several
/// paths (and folders) or one file.
pub struct Words {
    pub label: &'static str,
    pub hint: &'static str,
    pub button: &'static str,
    pub several: bool,
    /// What a one-file field takes ("extract", "census return"), for its
    /// messages.
    pub one: &'static str,
}

/// The field's text and what was wrong with the paths last read from it,
/// one message a path, kept until the next try.
#[derive(Default)]
pub struct TypedPath {
    pub text: String,
    pub problems: Vec<String>,
    /// The field takes the keyboard when next drawn: it has just been
    /// asked for, so what is typed next is meant for it.
    pub focus: bool,
}

/// The "Type a path…" button, shown until the field is open; pressing it
/// opens the field with the keyboard in it.
pub fn open_button(ui: &mut egui::Ui, typing: &mut bool, st: &mut TypedPath, hover: &str) {
    if !*typing && ui.button("Type a path…").on_hover_text(hover).clicked() {
        *typing = true;
        st.focus = true;
    }
}

/// The paths in `text` as a shell user would write them: one a line, or
/// several on a line separated by spaces, with a path holding spaces in
/// quotes or its spaces escaped (`My\ Files`). A line that is one existing
/// path as it stands (spaces and all, as a file manager copies it) is
/// taken whole. `~/` is the home folder.
pub fn split(text: &str) -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let expand = |word: &str| -> PathBuf {
        match (word.strip_prefix("~/"), &home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(word),
        }
    };
    let mut paths = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let whole = expand(line.trim_matches(['"', '\'']));
        if whole.exists() {
            paths.push(whole);
            continue;
        }
        paths.extend(shell_words(line).iter().map(|w| expand(w)));
    }
    paths
}

/// A line split into words the way a POSIX shell quotes: `'…'` literally,
/// `"…"` with `\"` and `\\` escaped, and a backslash outside quotes
/// escaping the next character.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => words.extend(word.take()),
            '\'' => word
                .get_or_insert_default()
                .extend(chars.by_ref().take_while(|c| *c != '\'')),
            '"' => {
                let w = word.get_or_insert_default();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(n @ ('"' | '\\')) => w.push(n),
                            Some(n) => w.extend(['\\', n]),
                            None => w.push('\\'),
                        },
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_default().extend(chars.next()),
            c => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

/// What is wrong with the typed paths, one message each: a path that
/// names nothing, or (for a one-file field) a folder or a second path.
pub fn problems(paths: &[PathBuf], several: bool, one: &str) -> Vec<String> {
    let mut out: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            if !p.exists() {
                Some(format!(
                    "There is no file or folder at '{}': check its spelling.",
                    p.display()
                ))
            } else if p.is_dir() && !several {
                Some(format!(
                    "'{}' is a folder: type the path of one {one} file in it.",
                    p.display()
                ))
            } else {
                None
            }
        })
        .collect();
    if !several && paths.len() > 1 {
        out.push(format!(
            "{} paths were typed: this takes one {one}, so type one.",
            paths.len()
        ));
    }
    out
}

/// The field, with why the picker failed above it when it did. Returns the
/// paths once Enter or the button is pressed and every one names a file
/// (or, where several are taken, a folder), and then clears the field and
/// the failure; otherwise the text stays for correcting, with a message
/// for each path that is wrong.
pub fn field(
    ui: &mut egui::Ui,
    st: &mut TypedPath,
    picker_failed: &mut Option<String>,
    words: &Words,
) -> Option<Vec<PathBuf>> {
    if let Some(why) = picker_failed.as_deref() {
        ui.colored_label(ui.visuals().warn_fg_color, why);
    }
    let paths = ui
        .horizontal(|ui| {
            ui.label(format!("{}:", words.label));
            let edit = if words.several {
                // Several paths may come pasted one a line; Enter still
                // reads them, and Shift+Enter starts a new line.
                egui::TextEdit::multiline(&mut st.text)
                    .desired_rows(1)
                    .return_key(egui::KeyboardShortcut::new(
                        egui::Modifiers::SHIFT,
                        egui::Key::Enter,
                    ))
            } else {
                egui::TextEdit::singleline(&mut st.text)
            };
            let field = ui
                .add(
                    edit.hint_text(words.hint)
                        .desired_width(ui.available_width().min(520.0) - 110.0),
                )
                .accessible_name(words.label);
            if (st.focus || picker_failed.is_some() && st.text.is_empty()) && !field.has_focus() {
                // Straight to the keyboard: the field was just asked for,
                // or the picker just failed.
                field.request_focus();
            }
            st.focus = false;
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
            let entered = enter && (field.has_focus() || field.lost_focus());
            let read = ui
                .add_enabled(!st.text.trim().is_empty(), egui::Button::new(words.button))
                .clicked();
            if !(entered || read) || st.text.trim().is_empty() {
                return None;
            }
            let paths = split(&st.text);
            st.problems = problems(&paths, words.several, words.one);
            if !st.problems.is_empty() {
                return None;
            }
            st.text.clear();
            *picker_failed = None;
            Some(paths)
        })
        .inner;
    for p in &st.problems {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
    if words.several && st.problems.is_empty() && paths.is_none() {
        ui.weak("Several paths: one a line, or separated by spaces (quote a path that has spaces). A folder reads every extract in it.");
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_as_a_shell_would() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(split("/a/b.csv"), [p("/a/b.csv")]);
        assert_eq!(
            split(" /a/b.csv \n\n/c.xlsx\n"),
            [p("/a/b.csv"), p("/c.xlsx")]
        );
        assert_eq!(split("/a.csv /b.csv"), [p("/a.csv"), p("/b.csv")]);
        assert_eq!(
            split(r#"'/My Files/a.csv' "/x y/b.csv" /c\ d.csv"#),
            [p("/My Files/a.csv"), p("/x y/b.csv"), p("/c d.csv")]
        );
        assert_eq!(split(r#""/q\"uote.csv""#), [p("/q\"uote.csv")]);
        assert!(split("  \n ").is_empty());
    }

    #[test]
    fn an_existing_path_with_spaces_is_one_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("staff in post.csv");
        std::fs::write(&file, "x").unwrap();
        let line = file.display().to_string();
        assert_eq!(split(&line), std::slice::from_ref(&file));
        assert_eq!(split(&format!("'{line}'")), std::slice::from_ref(&file));
        assert_eq!(
            problems(&split(&line), false, "extract"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_missing_path_has_its_own_message() {
        let dir = tempfile::tempdir().unwrap();
        let here = dir.path().join("here.csv");
        std::fs::write(&here, "x").unwrap();
        let gone = [dir.path().join("gone.csv"), dir.path().join("lost.csv")];
        let typed = [here.clone(), gone[0].clone(), gone[1].clone()];
        let found = problems(&typed, true, "extract");
        assert_eq!(found.len(), 2, "{found:?}");
        for (msg, path) in found.iter().zip(&gone) {
            assert!(msg.contains(&path.display().to_string()), "{msg}");
        }
        // A one-file field refuses a folder and a second path.
        let one = problems(
            &[dir.path().to_path_buf(), here.clone()],
            false,
            "census return",
        );
        assert_eq!(one.len(), 2, "{one:?}");
        assert!(one[0].contains("is a folder"), "{one:?}");
        assert!(one[0].ends_with("one census return file in it."), "{one:?}");
        assert!(
            one[1].ends_with("this takes one census return, so type one."),
            "{one:?}"
        );
        assert!(problems(&[dir.path().to_path_buf()], true, "extract").is_empty());
    }
}
