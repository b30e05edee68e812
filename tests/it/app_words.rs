//! The app speaks its own words: no text it shows tells a user to run a
//! command (`keel import --profile`) or pass a flag (`--replace`). Hover
//! texts are not in the accessibility tree until hovered, so the app's
//! source is scanned for them; what the core says and the app shows is
//! checked by reading every view's text on the sample workspace.

use super::app_ui::{harness, sample_workspace, wait_idle};
use egui_kittest::kittest::NodeT as _;
use keel::app::{Command, View};
use std::path::Path;

/// The command line's subcommands, as a user would have to type them.
const SUBCOMMANDS: [&str; 15] = [
    "import",
    "census",
    "history",
    "undo",
    "sample",
    "metrics",
    "check",
    "verify",
    "settings",
    "benchmark",
    "scenario",
    "report",
    "chart",
    "export",
    "plan",
];

/// Where `text` speaks the command line: `keel <subcommand>` followed by
/// more words or punctuation (an egui id such as `"keel sample"` is the
/// whole string and is not shown), or a `--flag`.
fn command_line_words(text: &str) -> Option<String> {
    for sub in SUBCOMMANDS {
        let phrase = format!("keel {sub}");
        for (i, _) in text.match_indices(&phrase) {
            let after = text[i + phrase.len()..].chars().next();
            if after.is_some_and(|c| !c.is_alphanumeric() && c != '_') {
                return Some(phrase);
            }
        }
    }
    let flag = text.match_indices("--").find(|(i, _)| {
        let before = text[..*i].chars().next_back();
        let after = text[i + 2..].chars().next();
        before.is_none_or(|c| c.is_whitespace() || c == '`' || c == '(')
            && after.is_some_and(|c| c.is_ascii_lowercase())
    });
    flag.map(|(i, _)| {
        text[i..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string()
    })
}

/// The string literals of a Rust source file, outside comments (plain,
/// escaped and raw strings; enough of Rust's lexing for Keel's own code).
fn string_literals(code: &str) -> Vec<(usize, String)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let line = |i: usize| code[..i].matches('\n').count() + 1;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = code[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = code[i + 2..].find("*/").map_or(b.len(), |n| i + n + 4);
            }
            // A character literal ('"' or '\''), not a lifetime.
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 3,
            b'\'' if b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'') => i += 4,
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = code[i + 1..].chars().take_while(|c| *c == '#').count();
                let start = i + 1 + hashes + 1;
                let end = format!("\"{}", "#".repeat(hashes));
                let n = code[start..].find(&end).unwrap_or(code.len() - start);
                out.push((line(i), code[start..start + n].to_string()));
                i = start + n + end.len();
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push((line(i), code[i + 1..j.min(b.len())].to_string()));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[test]
fn the_scan_finds_command_line_words_and_only_those() {
    assert_eq!(
        command_line_words("`keel import --profile` reads it"),
        Some("keel import".into())
    );
    assert_eq!(
        command_line_words("pass --replace to"),
        Some("--replace".into())
    );
    assert_eq!(
        command_line_words("(keel verify)"),
        Some("keel verify".into())
    );
    for fine in [
        "keel sample",
        "keel {name}",
        "2025-10 — 2026-09",
        "a -- b",
        "Keel imports it",
        "keel importer",
    ] {
        assert_eq!(command_line_words(fine), None, "{fine}");
    }
    let code = "// \"keel undo\" in a comment\nlet a = '\"'; let s = \"one `keel undo` \\\" x\"; let r = r#\"raw --flag\"#;";
    let found: Vec<String> = string_literals(code).into_iter().map(|(_, s)| s).collect();
    assert_eq!(found, ["one `keel undo` \\\" x", "raw --flag"]);
}

/// Every string in the app's source (labels, hover texts, notices).
#[test]
fn no_text_in_the_apps_source_speaks_the_command_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let (mut found, mut scanned) = (Vec::new(), 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let code = std::fs::read_to_string(&path).unwrap();
        for (line, text) in string_literals(&code) {
            scanned += 1;
            if let Some(words) = command_line_words(&text) {
                found.push(format!("{}:{line}: {words} in {text:?}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(
        scanned > 500,
        "only {scanned} strings found: the scan is broken"
    );
}

/// Every view on the sample workspace, and the empty workspace's, as
/// shown: core messages the app passes on included.
#[test]
fn no_view_speaks_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    keel::workspace::Workspace::open_or_create(&empty).unwrap();
    for root in [sample_workspace(dir.path()), empty] {
        let mut h = harness(root);
        for view in View::ALL {
            h.state_mut().command(Command::SetView(view));
            wait_idle(&mut h);
            let shown = h.root().children_recursive().flat_map(|n| {
                let a = n.accesskit_node();
                [a.label(), a.value()]
            });
            for text in shown.flatten() {
                assert_eq!(command_line_words(&text), None, "{view:?}: {text}");
            }
        }
    }
}
