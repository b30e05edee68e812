//! A small page-drawing layer over `pdf-writer`: A4 landscape pages with
//! text in the PDF's built-in Helvetica (so any reader shows it and
//! `pdftotext` reads it), filled rectangles, rules and embedded chart
//! images.

use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4 landscape, in points.
pub const WIDTH: f32 = 842.0;
pub const HEIGHT: f32 = 595.0;
pub const MARGIN: f32 = 48.0;

pub type Rgb = [u8; 3];
pub const INK: Rgb = [25, 25, 25];
pub const GREY: Rgb = [95, 95, 95];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    fn name(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }
}

/// Helvetica's advance widths (per 1,000 em) for the characters figures are
/// written with, and averages for the rest: enough to right-align numbers
/// and wrap sentences, which is all the layout asks of it.
fn advance(c: char, face: Face) -> f32 {
    let w = match c {
        '0'..='9' | '£' | '$' | '+' | '−' | '<' | '>' | '=' => 556.0,
        '.' | ',' | ' ' | ':' | ';' | '!' | 'i' | 'j' | 'l' | '|' | '\'' => 278.0,
        '%' => 889.0,
        '-' | '(' | ')' | 'r' | 't' | 'f' | 'I' => 333.0,
        '—' => 1000.0,
        'm' | 'M' | 'W' => 833.0,
        'w' => 722.0,
        'A'..='Z' => 680.0,
        _ => 540.0,
    };
    match face {
        Face::Regular => w,
        Face::Bold => w * 1.06,
    }
}

pub fn text_width(s: &str, size: f32, face: Face) -> f32 {
    s.chars().map(|c| advance(c, face)).sum::<f32>() * size / 1000.0
}

/// Split `s` into lines no wider than `width`.
pub fn wrap(s: &str, size: f32, face: Face, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size, face) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The text in the fonts' WinAnsi encoding; characters it lacks become
/// their nearest ASCII form or '?'.
fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '−' => out.push(b'-'),
            '≤' => out.extend_from_slice(b"<="),
            '≥' => out.extend_from_slice(b">="),
            c if c.is_ascii() => out.push(c as u8),
            c => {
                let mut buf = [0u8; 4];
                let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
                if bad || bytes.len() != 1 {
                    out.push(b'?');
                } else {
                    out.push(bytes[0]);
                }
            }
        }
    }
    out
}

fn unit(c: Rgb) -> (f32, f32, f32) {
    (
        f32::from(c[0]) / 255.0,
        f32::from(c[1]) / 255.0,
        f32::from(c[2]) / 255.0,
    )
}

/// How a paragraph is set.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub size: f32,
    pub face: Face,
    pub color: Rgb,
}

/// An image already compressed for the document, by its object id.
#[derive(Clone, Copy, Debug)]
pub struct Image {
    id: Ref,
}

/// One page being drawn. y counts up from the bottom, as in PDF.
pub struct Page {
    content: Content,
    images: Vec<(String, Ref)>,
}

impl Page {
    fn new() -> Page {
        Page {
            content: Content::new(),
            images: Vec::new(),
        }
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, face: Face, color: Rgb, s: &str) {
        let (r, g, b) = unit(color);
        self.content
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(face.name(), size)
            .next_line(x, y)
            .show(Str(&encode(s)))
            .end_text();
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, face: Face, color: Rgb, s: &str) {
        let x = right - text_width(s, size, face);
        self.text(x, y, size, face, color, s);
    }

    /// Wrapped text from the top line at `y` down; returns the y below it.
    pub fn paragraph(&mut self, (x, y, width): (f32, f32, f32), style: Style, s: &str) -> f32 {
        let Style { size, face, color } = style;
        let mut y = y;
        for line in wrap(s, size, face, width) {
            self.text(x, y, size, face, color, &line);
            y -= size * 1.35;
        }
        y
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let (r, g, b) = unit(color);
        self.content
            .set_fill_rgb(r, g, b)
            .rect(x, y, w, h)
            .fill_nonzero();
    }

    pub fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb) {
        let (r, g, b) = unit(color);
        self.content
            .set_stroke_rgb(r, g, b)
            .set_line_width(width)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }

    pub fn image(&mut self, img: Image, x: f32, y: f32, w: f32, h: f32) {
        let name = format!("Im{}", self.images.len() + 1);
        self.content
            .save_state()
            .transform([w, 0.0, 0.0, h, x, y])
            .x_object(Name(name.as_bytes()))
            .restore_state();
        self.images.push((name, img.id));
    }
}

/// A document being built page by page.
pub struct Doc {
    pdf: Pdf,
    next: i32,
    tree: Ref,
    regular: Ref,
    bold: Ref,
    pages: Vec<Ref>,
}

impl Doc {
    pub fn new(title: &str) -> Doc {
        let mut pdf = Pdf::new();
        let (catalog, tree, regular, bold, info) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        pdf.catalog(catalog).pages(tree);
        for (id, base) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
            pdf.type1_font(id)
                .base_font(Name(base))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Keel"));
        Doc {
            pdf,
            next: 6,
            tree,
            regular,
            bold,
            pages: Vec::new(),
        }
    }

    fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        r
    }

    /// Embed 8-bit RGB pixels (compressed) for pages to place.
    pub fn image(&mut self, rgb: &[u8], w: u32, h: u32) -> Image {
        let id = self.alloc();
        let data = compress_to_vec_zlib(rgb, 6);
        let mut x = self.pdf.image_xobject(id, &data);
        x.filter(Filter::FlateDecode);
        x.width(w as i32);
        x.height(h as i32);
        x.color_space().device_rgb();
        x.bits_per_component(8);
        x.finish();
        Image { id }
    }

    /// Add a page drawn by `draw`.
    pub fn page(&mut self, draw: impl FnOnce(&mut Page)) {
        let mut p = Page::new();
        draw(&mut p);
        let (id, content) = (self.alloc(), self.alloc());
        let mut page = self.pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(self.tree)
            .contents(content);
        {
            let mut res = page.resources();
            res.fonts()
                .pair(Face::Regular.name(), self.regular)
                .pair(Face::Bold.name(), self.bold);
            let mut xo = res.x_objects();
            for (name, r) in &p.images {
                xo.pair(Name(name.as_bytes()), *r);
            }
        }
        page.finish();
        let bytes = p.content.finish();
        self.pdf.stream(content, &bytes);
        self.pages.push(id);
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    pub fn finish(mut self) -> Vec<u8> {
        let n = self.pages.len() as i32;
        self.pdf
            .pages(self.tree)
            .kids(self.pages.iter().copied())
            .count(n);
        self.pdf.finish()
    }
}
