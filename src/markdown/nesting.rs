//! How deeply elements nest. minify-html's parser (and the piecewise
//! minifier) recurse once per level of nesting, so a page nested thousands
//! of levels deep would overflow the stack and abort the build. Markdown
//! bodies are therefore bounded while they are read ([`too_deep`], error
//! `too-deep`, the same in `check` and `build`), and every finished page is
//! bounded again before it is minified ([`check_page`]).
//!
//! The count follows minify-html's parser: a start tag opens an element
//! unless it is void, raw text (`<script>`, `<style>`, …) or self-closed
//! inside `<svg>`; an end tag closes the element it names only when that is
//! the innermost one (other end tags are dropped, as minify-html drops them);
//! a start tag may close its parent implicitly (`<li>` after `<li>`), as the
//! HTML tag omission rules say.

use std::ops::Range;

use std::path::Path;

use minify_html_common::spec::tag::omission::{can_omit_as_before, can_omit_as_last_node};
use minify_html_common::spec::tag::void::VOID_TAGS;
use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::{Code, Diagnostic, Position};

/// Elements a Markdown body may nest: blocks, inlines and raw HTML elements in them.
pub(crate) const MAX_MARKDOWN_DEPTH: usize = 200;

/// Elements a finished page may nest (template and body together): well
/// above the default theme's levels plus [`MAX_MARKDOWN_DEPTH`], and below
/// what overflows a render thread's 2 MiB stack in minify-html even in a
/// debug build (about 450 levels there; tested in `output::minify`).
pub(crate) const MAX_PAGE_DEPTH: usize = 300;

/// Where a nesting deeper than the bound starts: the byte offset of its
/// outermost open element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    pub at: usize,
}

/// One open element.
#[derive(Debug, Clone)]
struct Open {
    /// Where its start tag (or Markdown syntax) begins.
    at: usize,
    /// Its tag name in the scanned text; empty for a Markdown element, whose
    /// end comes as an event.
    name: Range<usize>,
}

/// The elements open at the current point of a scan, bounded by `limit`.
struct Nesting {
    open: Vec<Open>,
    limit: usize,
    /// Open `<svg>` elements: inside them, `/>` closes an element.
    svg: usize,
}

impl Nesting {
    fn new(limit: usize) -> Self {
        Nesting {
            open: Vec::new(),
            limit,
            svg: 0,
        }
    }

    fn push(&mut self, open: Open) -> Result<(), TooDeep> {
        self.open.push(open);
        match self.open.first() {
            Some(first) if self.open.len() > self.limit => Err(TooDeep { at: first.at }),
            _ => Ok(()),
        }
    }

    fn pop(&mut self, src: &[u8]) {
        if let Some(open) = self.open.pop() {
            if src[open.name.clone()].eq_ignore_ascii_case(b"svg") {
                self.svg = self.svg.saturating_sub(1);
            }
        }
    }

    /// The innermost open raw HTML element's name, if the innermost element is one.
    fn innermost<'s>(&self, src: &'s [u8], back: usize) -> &'s [u8] {
        let Some(i) = self.open.len().checked_sub(back + 1) else {
            return b"";
        };
        &src[self.open[i].name.clone()]
    }

    /// The Markdown element opened last ends (raw HTML elements opened
    /// inside it and left open stay open, as they do in the page).
    fn close_markdown(&mut self) {
        if let Some(i) = self.open.iter().rposition(|o| o.name.is_empty()) {
            self.open.remove(i);
        }
    }

    /// Follow the tags in `src[range]`.
    fn html(&mut self, src: &[u8], range: Range<usize>) -> Result<(), TooDeep> {
        let mut pos = range.start;
        while let Some(i) = memchr::memchr(b'<', &src[pos..range.end]) {
            pos = self.tag(src, pos + i, range.end)?;
        }
        Ok(())
    }

    /// Read the tag at `at`; returns where scanning goes on.
    fn tag(&mut self, src: &[u8], at: usize, end: usize) -> Result<usize, TooDeep> {
        let rest = &src[at..end];
        if rest.starts_with(b"<!--") {
            return Ok(find(src, at + 4, end, b"-->").map_or(end, |i| i + 3));
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            return Ok(find(src, at, end, b">").map_or(end, |i| i + 1));
        }
        let closing = rest.starts_with(b"</");
        let name_start = at + if closing { 2 } else { 1 };
        if !src.get(name_start).is_some_and(u8::is_ascii_alphabetic) || name_start >= end {
            return Ok(at + 1);
        }
        let name_len = src[name_start..end]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_')))
            .unwrap_or(end - name_start);
        let name = name_start..name_start + name_len;
        let (tag_end, self_closing) = tag_end(src, name.end, end);
        if closing {
            self.end_tag(src, name);
            return Ok(tag_end);
        }
        self.start_tag(src, at, name, self_closing, tag_end, end)
    }

    fn end_tag(&mut self, src: &[u8], name: Range<usize>) {
        let name = &src[name];
        let (parent, grandparent) = (self.innermost(src, 0), self.innermost(src, 1));
        if parent.eq_ignore_ascii_case(name) {
            self.pop(src);
        } else if grandparent.eq_ignore_ascii_case(name)
            && can_omit_as_last_node(&lower(grandparent), &lower(parent))
        {
            self.pop(src);
            self.pop(src);
        }
    }

    fn start_tag(
        &mut self,
        src: &[u8],
        at: usize,
        name: Range<usize>,
        self_closing: bool,
        tag_end: usize,
        end: usize,
    ) -> Result<usize, TooDeep> {
        let lowered = lower(&src[name.clone()]);
        while !self.innermost(src, 0).is_empty()
            && can_omit_as_before(&lower(self.innermost(src, 0)), &lowered)
        {
            self.pop(src);
        }
        let is_svg = lowered.as_slice() == b"svg";
        if is_void(&lowered) || (self_closing && (self.svg > 0 || is_svg)) {
            return Ok(tag_end);
        }
        if matches!(lowered.as_slice(), b"script" | b"style")
            || (self.svg == 0 && matches!(lowered.as_slice(), b"textarea" | b"title"))
        {
            if let Some(close) = find_ci(src, tag_end, end, &end_tag_of(&lowered)) {
                return Ok(close);
            }
        }
        if is_svg {
            self.svg += 1;
        }
        self.push(Open { at, name })?;
        Ok(tag_end)
    }
}

/// Where Markdown nests deeper than [`MAX_MARKDOWN_DEPTH`] (Markdown
/// elements and the raw HTML elements in them), as an offset into `text`,
/// the text the events were parsed from.
pub(crate) fn too_deep(events: &[(Event<'_>, Range<usize>)], text: &str) -> Option<usize> {
    let src = text.as_bytes();
    let mut nesting = Nesting::new(MAX_MARKDOWN_DEPTH);
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let result = match event {
            // An HTML block writes no element of its own: its tags count.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => Ok(()),
            Event::Start(_) => nesting.push(Open {
                at: range.start,
                name: 0..0,
            }),
            Event::End(_) => {
                nesting.close_markdown();
                Ok(())
            }
            // The lines of one HTML block, read together (a tag may span lines).
            Event::Html(_) => {
                let mut last = i;
                while matches!(events.get(last + 1), Some((Event::Html(_), _))) {
                    last += 1;
                }
                let end = events[last].1.end.max(range.start);
                i = last;
                nesting.html(src, range.start..end.min(src.len()))
            }
            Event::InlineHtml(_) => nesting.html(src, range.start..range.end.min(src.len())),
            _ => Ok(()),
        };
        if let Err(deep) = result {
            return Some(deep.at);
        }
        i += 1;
    }
    None
}

/// The error for a Markdown body that nests too deeply from `position` on.
pub(crate) fn diagnostic(file: &Path, position: Position) -> Diagnostic {
    Diagnostic::error(
        Code::TooDeep,
        file,
        position,
        format!("Ab hier sind mehr als {MAX_MARKDOWN_DEPTH} Elemente ineinander verschachtelt (Zitate, Listen, Hervorhebungen oder HTML-Elemente); so tief kann die Seite nicht gebaut werden."),
    )
    .with_hint(format!("Verschachteln Sie höchstens {MAX_MARKDOWN_DEPTH} Ebenen: schließen Sie Zitate („>“), Listen, Hervorhebungen („*“) und HTML-Elemente wie <div> früher, oder teilen Sie den Text in mehrere Abschnitte."))
}

/// `Err` when a finished page nests more than [`MAX_PAGE_DEPTH`] elements;
/// such a page must not be handed to minify-html.
pub(crate) fn check_page(html: &[u8]) -> Result<(), TooDeep> {
    Nesting::new(MAX_PAGE_DEPTH).html(html, 0..html.len())
}

/// End of the start or end tag whose name ends at `from` (after `>`, or
/// `end` when it is not closed) and whether it ends with `/>`.
fn tag_end(src: &[u8], from: usize, end: usize) -> (usize, bool) {
    let mut i = from;
    // Quotes open a value only right after `=` (and spaces).
    let mut after_equals = false;
    while i < end {
        match src[i] {
            b'>' => return (i + 1, i > from && src[i - 1] == b'/'),
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                match memchr::memchr(quote, &src[i + 1..end]) {
                    Some(j) => i += j + 1,
                    None => return (end, false),
                }
                after_equals = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    (end, false)
}

/// A tag name in lowercase, on the stack (names longer than any HTML
/// element's are cut; they match no rule anyway).
fn lower(name: &[u8]) -> SmallName {
    let mut out = SmallName {
        bytes: [0; 16],
        len: name.len().min(16),
    };
    out.bytes[..out.len].copy_from_slice(&name[..out.len]);
    out.bytes[..out.len].make_ascii_lowercase();
    if name.len() > 16 {
        // Never equal to a known element name.
        out.bytes[15] = b'~';
    }
    out
}

struct SmallName {
    bytes: [u8; 16],
    len: usize,
}

impl SmallName {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl std::ops::Deref for SmallName {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

fn end_tag_of(name: &[u8]) -> Vec<u8> {
    let mut tag = b"</".to_vec();
    tag.extend_from_slice(name);
    tag
}

/// A void element, by minify-html's own table (`minify-html-common`).
fn is_void(name: &[u8]) -> bool {
    VOID_TAGS.contains(name)
}

fn find(src: &[u8], from: usize, end: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&src[from.min(end)..end], needle).map(|i| from + i)
}

/// Offset after the `>` of the end tag `needle` (`</name`) from `from`, any case.
fn find_ci(src: &[u8], from: usize, end: usize, needle: &[u8]) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = find(src, pos, end, b"</") {
        let at = i;
        if src[at..end].len() >= needle.len()
            && src[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(find(src, at, end, b">").map_or(end, |j| j + 1));
        }
        pos = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(html: &str, limit: usize) -> bool {
        Nesting::new(limit)
            .html(html.as_bytes(), 0..html.len())
            .is_ok()
    }

    #[test]
    fn nested_elements_count_and_closed_ones_do_not() {
        assert!(depth_ok(&"<div>".repeat(3), 3));
        assert!(!depth_ok(&"<div>".repeat(4), 3));
        assert!(depth_ok(&"<div></div>".repeat(100), 1));
        assert!(depth_ok(&"<br><img src=x><hr/>".repeat(100), 0));
        assert!(depth_ok(&"<!-- <div> -->".repeat(10), 0));
    }

    #[test]
    fn end_tags_close_only_the_innermost_element_as_minify_html_does() {
        // `</div>` inside an open `<span>` is dropped by minify-html.
        assert!(!depth_ok(&"<div><span></div>".repeat(3), 5));
        assert!(depth_ok(&"<DIV></div>".repeat(3), 1));
    }

    #[test]
    fn omitted_end_tags_close_implicitly() {
        assert!(depth_ok(&format!("<ul>{}</ul>", "<li>x".repeat(50)), 2));
        assert!(depth_ok(&format!("<p>{}", "<p>x".repeat(50)), 1));
        assert!(depth_ok("<table><tr><td>a<td>b</tr><tr><td>c</table>", 3));
    }

    #[test]
    fn raw_text_and_svg() {
        assert!(depth_ok("<script>if (a <div> b) {}</script>", 0));
        assert!(depth_ok("<style>a<b{}</STYLE>", 0));
        assert!(depth_ok(
            &format!("<svg>{}</svg>", "<path d='M0'/>".repeat(50)),
            1
        ));
        // Outside SVG, `/>` does not close an element (HTML ignores it).
        assert!(!depth_ok(&"<div/>".repeat(3), 2));
        assert!(depth_ok("<a title='<div>'>x</a>", 1));
    }

    #[test]
    fn the_outermost_open_element_is_where_it_starts() {
        let html = format!("<p>x</p>\n<section>{}", "<div>".repeat(5));
        let err = Nesting::new(4)
            .html(html.as_bytes(), 0..html.len())
            .unwrap_err();
        assert_eq!(err.at, 9);
    }

    #[test]
    fn markdown_counts_blocks_inlines_and_raw_html() {
        let parse = |text: &str| {
            let events: Vec<_> = pulldown_cmark::Parser::new(text)
                .into_offset_iter()
                .collect();
            too_deep(&events, text)
        };
        let deep = format!("Text\n\n{} x\n", ">".repeat(MAX_MARKDOWN_DEPTH + 1));
        assert_eq!(parse(&deep), Some(6));
        assert_eq!(
            parse(&format!("{} x\n", ">".repeat(MAX_MARKDOWN_DEPTH - 1))),
            None
        );
        let emphasis = format!("{}x{}", "*".repeat(500), "*".repeat(500));
        assert_eq!(parse(&emphasis), Some(0));
        let divs = format!("<div>\n{}\n\nx\n", "<div>".repeat(MAX_MARKDOWN_DEPTH));
        assert_eq!(parse(&divs), Some(0));
        let divs = format!("{}\nx\n", "<div>".repeat(MAX_MARKDOWN_DEPTH));
        assert_eq!(parse(&divs), None);
        let closed = "<div>\n<div>\n</div>\n</div>\n\n".repeat(300);
        assert_eq!(parse(&closed), None);
        let spans = "a <span>b</span> c\n\n".repeat(300);
        assert_eq!(parse(&spans), None);
    }
}
