//! XML bytes to a small tree of elements with their line numbers, with
//! quick-xml. A return is three levels deep, so the tree is shallow; a
//! document nested deeper than [`MAX_DEPTH`] is refused before it is built
//! (an adversarial file must not exhaust the stack when the tree is
//! dropped). Attributes, comments and processing instructions carry nothing
//! a return needs and are skipped.

use quick_xml::events::Event;

/// Deeper than any return (Message / CSWWWorker / element is three).
pub const MAX_DEPTH: usize = 16;

/// One element: its name, first line, text (character data and
/// references, joined) and child elements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    pub name: String,
    pub line: u64,
    pub text: String,
    pub children: Vec<Node>,
}

/// A document that is not well-formed XML.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct XmlError {
    pub line: u64,
    pub reason: String,
}

/// Line numbers from byte offsets: the offsets of each line break.
struct Lines(Vec<usize>);

impl Lines {
    fn new(bytes: &[u8]) -> Lines {
        Lines(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    fn at(&self, offset: u64) -> u64 {
        let o = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|&nl| nl < o) as u64 + 1
    }
}

/// The document's root element.
pub fn parse(bytes: &[u8]) -> Result<Node, XmlError> {
    let lines = Lines::new(bytes);
    // A byte-order mark is legal before the declaration; quick-xml would
    // take it for text.
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let skipped = (bytes.len() - body.len()) as u64;
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let at = reader.buffer_position() + skipped;
        let event = reader.read_event().map_err(|e| XmlError {
            line: lines.at(reader.error_position() + skipped),
            reason: format!("not well-formed XML: {e}"),
        })?;
        let line = lines.at(at);
        let misplaced = |what: &str| XmlError {
            line,
            reason: format!("not well-formed XML: {what} outside the root element"),
        };
        match event {
            Event::Start(e) => {
                if root.is_some() {
                    return Err(misplaced("a second element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        line,
                        reason: format!("elements nested more than {MAX_DEPTH} deep"),
                    });
                }
                stack.push(Node {
                    name: name_of(e.name().as_ref()),
                    line,
                    ..Node::default()
                });
            }
            Event::Empty(e) => {
                let node = Node {
                    name: name_of(e.name().as_ref()),
                    line,
                    ..Node::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None if root.is_none() => root = Some(node),
                    None => return Err(misplaced("a second element")),
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(|| XmlError {
                    line,
                    reason: "a closing tag with no opening tag".into(),
                })?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(misplaced("text")),
                }
            }
            Event::CData(t) => match stack.last_mut() {
                Some(n) => n.text.push_str(&t.xml10_content()),
                None => return Err(misplaced("character data")),
            },
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match r.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => {
                            return Err(XmlError {
                                line,
                                reason: format!("unknown entity '&{other};'"),
                            });
                        }
                    },
                    Err(e) => {
                        return Err(XmlError {
                            line,
                            reason: format!("bad character reference: {e}"),
                        });
                    }
                };
                match stack.last_mut() {
                    Some(n) => n.text.push(c),
                    None => return Err(misplaced("a reference")),
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError {
            line: lines.at(bytes.len() as u64),
            reason: format!(
                "the file ends inside <{}> (opened on line {})",
                open.name, open.line
            ),
        });
    }
    root.ok_or(XmlError {
        line: 1,
        reason: "no XML element in the file".into(),
    })
}

fn name_of(raw: &str) -> String {
    raw.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_text_and_lines() {
        let doc =
            b"<?xml version=\"1.0\"?>\n<Message>\n  <A>x &amp; y&#33;</A>\n  <B/>\n</Message>\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "Message");
        assert_eq!(root.line, 2);
        assert_eq!(root.children[0].text, "x & y!");
        assert_eq!(root.children[0].line, 3);
        assert_eq!(root.children[1].name, "B");
        assert_eq!(root.children[1].line, 4);
    }

    #[test]
    fn broken_documents_are_errors_with_a_line() {
        for (doc, line) in [
            (&b"<Message>\n<A></B>\n</Message>"[..], 2),
            (b"<Message>\n<A>", 2),
            (b"", 1),
            (b"<a/><b/>", 1),
            (b"<a>&nope;</a>", 1),
        ] {
            let e = parse(doc).unwrap_err();
            assert_eq!(e.line, line, "{e}");
        }
        let deep = "<a>".repeat(100);
        assert!(
            parse(deep.as_bytes())
                .unwrap_err()
                .reason
                .contains("nested")
        );
    }
}
