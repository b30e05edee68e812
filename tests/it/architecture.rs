//! Keel's layering, checked from its source files.
//!
//! Keel has two fronts, the command line (`src/cli/`) and the desktop app
//! (`src/app/`), over one core: every other top-level module of `src/`
//! (`settings`, `metrics`, `workspace`, `benchmark`, `extract`, `scenario`,
//! `report`, `sample`, `first_run`, `measure`, `month`, `table_out`,
//! `trace`, …, as `src/lib.rs` declares them). The rules:
//!
//! 1. The fronts call the core; the core never names a front: no core file
//!    refers to `crate::cli` or `crate::app`, and no core file names egui
//!    or eframe (the app is the only module that draws on screen).
//! 2. The top-level core modules do not depend on each other in a cycle:
//!    with an edge from module A to module B whenever a file of A refers
//!    to `crate::B`, the graph is acyclic, so each module can be read,
//!    tested and changed with only the ones below it in mind.
//!
//! What counts as a reference: a `crate::name` path in code, including
//! each name of a grouped `use crate::{a, b::c}`. Comments (doc links
//! included), string and character literals do not count, and neither does
//! code under `#[cfg(test)]` — a `#[cfg(test)] mod tests { … }` block, any
//! other item so marked, or a test module in its own file
//! (`#[cfg(test)] mod tests;`): a module's tests may build their fixtures
//! with modules above it (the metrics tests import the sample data with
//! `first_run`) without the module itself depending on them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FRONTS: [&str; 2] = ["cli", "app"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules `src/lib.rs` declares.
fn top_level_modules() -> Vec<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("src/lib.rs");
    let code = code_only(&lib);
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').trim().to_string())
        })
        .collect()
}

/// The source files of a top-level module: `src/name.rs`, or every `.rs`
/// file under `src/name/`.
fn files_of(module: &str) -> Vec<PathBuf> {
    let single = src().join(format!("{module}.rs"));
    if single.is_file() {
        return vec![single];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src().join(module)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The text with comments, string literals and character literals blanked
/// out (newlines kept, so line numbers stay right).
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let ident_before = i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_');
        if c[i] == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                blank(&mut out, c[i]);
                i += 1;
            }
        } else if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if !ident_before && (c[i] == 'r' || (c[i] == 'b' && c.get(i + 1) == Some(&'r'))) && {
            let mut j = i + if c[i] == 'b' { 2 } else { 1 };
            while c.get(j) == Some(&'#') {
                j += 1;
            }
            c.get(j) == Some(&'"')
        } {
            // A raw string: r"…", r#"…"#, br"…".
            let mut j = i + if c[i] == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while c[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            for &ch in &c[i..j.min(c.len())] {
                blank(&mut out, ch);
            }
            i = j;
        } else if c[i] == '"' {
            let mut j = i + 1;
            while j < c.len() && c[j] != '"' {
                if c[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            for &ch in &c[i..(j + 1).min(c.len())] {
                blank(&mut out, ch);
            }
            i = j + 1;
        } else if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), not a lifetime.
            let end = if c.get(i + 1) == Some(&'\\') {
                (i + 3..c.len().min(i + 12)).find(|&j| c[j] == '\'')
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    for &ch in &c[i..=e] {
                        blank(&mut out, ch);
                    }
                    i = e + 1;
                }
                None => {
                    out.push(c[i]);
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// Blank out every item under `#[cfg(test)]`; returns the code left and
/// the names of test modules kept in their own files (`mod tests;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let mut c: Vec<char> = code.chars().collect();
    let mut files = Vec::new();
    let text: String = c.iter().collect();
    let starts: Vec<usize> = text
        .match_indices(MARK)
        .map(|(b, _)| text[..b].chars().count())
        .collect();
    for start in starts.into_iter().rev() {
        // The item runs to its first `;` outside braces, or to the brace
        // closing its first `{`.
        let mut j = start + MARK.chars().count();
        let mut depth = 0usize;
        let mut item = String::new();
        while j < c.len() {
            match c[j] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ';' if depth == 0 => break,
                ch if depth == 0 => item.push(ch),
                _ => {}
            }
            j += 1;
        }
        let words: Vec<&str> = item.split_whitespace().collect();
        if let Some(k) = words.iter().position(|w| *w == "mod")
            && j < c.len()
            && c[j] == ';'
            && let Some(name) = words.get(k + 1)
        {
            files.push(name.to_string());
        }
        let end = j.min(c.len() - 1);
        for ch in &mut c[start..=end] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    }
    (c.into_iter().collect(), files)
}

/// Every `crate::name` the code refers to, with its line (1-based).
fn crate_refs(code: &str) -> Vec<(String, usize)> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (b, _) in code.match_indices("crate::") {
        let before = code[..b].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let line = code[..b].matches('\n').count() + 1;
        let rest = code[b + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first name of each part.
            let mut depth = 0usize;
            let mut part_start = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => part_start = true,
                    c if part_start && !c.is_whitespace() => {
                        part_start = false;
                        let name = ident(&group[k..]);
                        if !name.is_empty() {
                            let l = line + group[..k].matches('\n').count();
                            out.push((name, l));
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.push((name, line));
            }
        }
    }
    out
}

/// Per core file (relative to the repository), the code that counts.
fn core_files() -> Vec<(String, PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for module in top_level_modules() {
        if FRONTS.contains(&module.as_str()) {
            continue;
        }
        let files = files_of(&module);
        assert!(!files.is_empty(), "no source files for module {module}");
        let mut test_only = BTreeSet::new();
        let mut read = Vec::new();
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let (code, test_mods) = without_tests(&code_only(&text));
            // `mod x;` in `a/mod.rs` is `a/x.rs`; in `a/b.rs`, `a/b/x.rs`.
            let dir = if path.file_name().is_some_and(|n| n == "mod.rs") {
                path.parent().unwrap().to_path_buf()
            } else {
                path.with_extension("")
            };
            for m in test_mods {
                test_only.insert(dir.join(format!("{m}.rs")));
                test_only.insert(dir.join(&m).join("mod.rs"));
            }
            read.push((path.clone(), code));
        }
        for (path, code) in read {
            if test_only.contains(&path) {
                continue;
            }
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            out.push((module.clone(), PathBuf::from(rel), code));
        }
    }
    out
}

#[test]
fn the_core_never_imports_a_front() {
    let mut problems = Vec::new();
    for (_, file, code) in core_files() {
        for (name, line) in crate_refs(&code) {
            if FRONTS.contains(&name.as_str()) {
                problems.push(format!(
                    "{}:{line}: the core imports crate::{name}",
                    file.display()
                ));
            }
        }
        for (n, text) in code.lines().enumerate() {
            for ui in ["egui::", "eframe::", "egui_plot::", "egui_kittest::"] {
                if text.contains(ui) {
                    problems.push(format!(
                        "{}:{}: the core names {}",
                        file.display(),
                        n + 1,
                        ui.trim_end_matches(':')
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_core_modules_have_no_import_cycle() {
    let modules: BTreeSet<String> = top_level_modules()
        .into_iter()
        .filter(|m| !FRONTS.contains(&m.as_str()))
        .collect();
    // module → module it refers to → where, first.
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeMap::new()))
        .collect();
    for (module, file, code) in core_files() {
        for (name, line) in crate_refs(&code) {
            if name != module && modules.contains(&name) {
                graph
                    .get_mut(&module)
                    .unwrap()
                    .entry(name)
                    .or_insert_with(|| format!("{}:{line}", file.display()));
            }
        }
    }
    // Depth-first search; a node met again while on the path closes a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        cycles: &mut Vec<String>,
    ) {
        if done.contains(m) {
            return;
        }
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut ring = path[at..].to_vec();
            ring.push(m.to_string());
            let steps: Vec<String> = ring
                .windows(2)
                .map(|w| format!("  {} → {} ({})", w[0], w[1], graph[&w[0]][&w[1]]))
                .collect();
            cycles.push(format!("{}\n{}", ring.join(" → "), steps.join("\n")));
            return;
        }
        path.push(m.to_string());
        for next in graph[m].keys() {
            visit(next, graph, path, done, cycles);
        }
        path.pop();
        done.insert(m.to_string());
    }
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(
        cycles.is_empty(),
        "the core modules import each other in a cycle:\n{}",
        cycles.join("\n")
    );
    // The graph the test read, so a wrong reading shows: the modules that
    // depend on nothing else in the core, and the ones that lead.
    assert!(graph["month"].is_empty(), "month: {:?}", graph["month"]);
    assert!(
        graph["report"].contains_key("metrics"),
        "{:?}",
        graph["report"]
    );
    // The store hands the metrics plain tables; the metrics never open it.
    assert!(
        !graph["metrics"].contains_key("workspace"),
        "{:?}",
        graph["metrics"]
    );
}

#[test]
fn the_reader_of_the_source_sees_what_the_compiler_sees() {
    let text = r##"
        use crate::{month::Month, settings::{self, Settings}};
        // use crate::app::nothing;
        /* crate::cli in a comment */
        let s = "crate::cli in a string";
        let r = r#"crate::app in a raw string"#;
        let c = '"'; let q = '\''; let l: &'static str = "x";
        fn f<'a>(x: &'a str) -> crate::workspace::Error { todo!() }
        #[cfg(test)]
        mod tests {
            use crate::sample::SampleOptions;
            fn g() { let m = "}"; }
        }
        #[cfg(test)]
        mod more;
        use crate::trace;
    "##;
    let (code, files) = without_tests(&code_only(text));
    let names: Vec<String> = crate_refs(&code).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["month", "settings", "workspace", "trace"]);
    assert_eq!(files, ["more"]);
    let lines: Vec<usize> = crate_refs(&code).into_iter().map(|(_, l)| l).collect();
    assert_eq!(lines, [2, 2, 8, 16]);
}
