//! Long lists of issues cut to what a person reads: the first few of each
//! file as they are, the rest counted by rule. A wrong `--month` on a
//! million-row file is one mistake, not a million lines to scroll past.

use super::Issue;
use std::fmt;

/// How many problems of each file the command line and the app show before
/// counting the rest by rule.
pub const SHOWN_PER_FILE: usize = 50;

/// Issues of one file past those shown, that share a rule: the same column
/// and the same reason once the values in it are set aside.
#[derive(Clone, Debug, PartialEq)]
pub struct Omitted {
    pub file: String,
    pub column: Option<String>,
    pub count: usize,
    /// The reason, with the values that differ between these rows as `…`.
    pub reason: String,
}

impl fmt::Display for Omitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = if self.count == 1 { "row" } else { "rows" };
        write!(
            f,
            "{}: … and {} more {rows}",
            self.file,
            thousands(self.count)
        )?;
        if let Some(c) = &self.column {
            write!(f, " with column '{c}'")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// `999950` as `999,950`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first `per_file` items of each file, in order, and the rest of
/// each file grouped by the key `rule` gives, in the order each key first
/// appears. What `rule` made of an item is folded into its group as it
/// comes (`start` a group, `add` to it), so a million refused rows are
/// never all held. The extract's issues and the census return's problems
/// are capped alike; only what makes two "the same rule" differs.
pub fn split_per_file<'a, T, K: Eq + std::hash::Hash + Clone, V, G>(
    items: &'a [T],
    per_file: usize,
    file: impl Fn(&'a T) -> &'a str,
    rule: impl Fn(&'a T) -> (K, V),
    start: impl Fn(V) -> G,
    add: impl Fn(&mut G, V),
) -> (Vec<&'a T>, Vec<(K, G)>) {
    let mut shown = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    let mut groups: Vec<(K, G)> = Vec::new();
    let mut index: std::collections::HashMap<K, usize> = Default::default();
    for item in items {
        let n = seen.entry(file(item)).or_default();
        *n += 1;
        if *n <= per_file {
            shown.push(item);
            continue;
        }
        let (key, made) = rule(item);
        match index.get(&key) {
            Some(&g) => add(&mut groups[g].1, made),
            None => {
                index.insert(key.clone(), groups.len());
                groups.push((key, start(made)));
            }
        }
    }
    (shown, groups)
}

/// The first `per_file` issues of each file, in order, and the rest of
/// each file grouped by rule in the order each rule first appears.
pub fn cap(issues: &[Issue], per_file: usize) -> (Vec<&Issue>, Vec<Omitted>) {
    let (shown, groups) = split_per_file(
        issues,
        per_file,
        |i| i.file.as_str(),
        |i| {
            let pieces = pieces(&i.reason);
            (
                (i.file.as_str(), i.column.as_deref(), shape(&pieces)),
                pieces,
            )
        },
        |p| Template::new(&p),
        |t, p| t.merge(&p),
    );
    let omitted = groups
        .into_iter()
        .map(|((file, column, _), t)| Omitted {
            file: file.to_string(),
            column: column.map(str::to_string),
            count: t.count,
            reason: t.text(),
        })
        .collect();
    (shown, omitted)
}

/// A piece of a reason: fixed words, or a value (a quoted span, a number
/// or a date) that may differ from row to row under one rule.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Fixed(String),
    Value(String),
}

fn pieces(reason: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut fixed = String::new();
    let mut rest = reason;
    while let Some(c) = rest.chars().next() {
        let value_len = if c == '\'' {
            rest[1..].find('\'').map(|e| e + 2)
        } else if c.is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || ".,/:-".contains(c)))
                .unwrap_or(rest.len());
            // Punctuation that ends a sentence is not part of the number.
            Some(
                rest[..end]
                    .trim_end_matches(|c: char| ".,/:-".contains(c))
                    .len(),
            )
        } else {
            None
        };
        match value_len {
            Some(n) => {
                if !fixed.is_empty() {
                    out.push(Piece::Fixed(std::mem::take(&mut fixed)));
                }
                out.push(Piece::Value(rest[..n].to_string()));
                rest = &rest[n..];
            }
            None => {
                fixed.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !fixed.is_empty() {
        out.push(Piece::Fixed(fixed));
    }
    out
}

/// The rule a reason follows: its fixed words, values left out.
fn shape(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Fixed(s) => s.as_str(),
            Piece::Value(_) => "\u{0}",
        })
        .collect()
}

/// A group's reason: a value kept where every row has the same one (the
/// month given with `--month`), `…` where they differ.
struct Template {
    pieces: Vec<Option<Piece>>,
    count: usize,
}

impl Template {
    fn new(pieces: &[Piece]) -> Template {
        Template {
            pieces: pieces.iter().cloned().map(Some).collect(),
            count: 1,
        }
    }

    fn merge(&mut self, other: &[Piece]) {
        self.count += 1;
        for (mine, theirs) in self.pieces.iter_mut().zip(other) {
            if mine.as_ref() != Some(theirs) {
                *mine = None;
            }
        }
    }

    fn text(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Some(Piece::Fixed(s) | Piece::Value(s)) => s.as_str(),
                None => "…",
            })
            .collect()
    }
}
