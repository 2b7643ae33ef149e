//! Warnings about raw HTML in Markdown that would run code in a browser:
//! `javascript:`, `data:` and `vbscript:` addresses in URL attributes,
//! `on…=` event handlers and `<script>` elements. Raw HTML is still passed
//! through as written; these are warnings (`unsafe-html`), not errors.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::link_scheme::link_scheme;
use crate::diagnostics::{shorten, Code, Diagnostic, Position};

/// Attributes whose value is an address the browser loads or follows.
const URL_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
];

/// Schemes that run code or embed unchecked content.
const DANGEROUS: [&str; 3] = ["javascript", "data", "vbscript"];

/// What is wrong in a piece of raw HTML, at a byte offset into it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Finding {
    Scheme {
        attribute: String,
        value: String,
        scheme: String,
    },
    Handler {
        attribute: String,
    },
    Script,
}

/// The `unsafe-html` warnings of a body's events; `at` turns an offset into
/// `text` (the body the events were parsed from) into a file position.
pub(super) fn warnings(
    events: &[(Event<'_>, Range<usize>)],
    text: &str,
    file: &Path,
    at: impl Fn(usize) -> Position,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut segments: Vec<Segment> = Vec::new();
    let mut in_block = false;
    for (event, range) in events {
        match event {
            Event::Start(Tag::HtmlBlock) => in_block = true,
            Event::End(TagEnd::HtmlBlock) => {
                in_block = false;
                out.extend(scan_segments(&segments, file, &at));
                segments.clear();
            }
            Event::Html(html) if in_block => segments.push(Segment::new(html, range, text)),
            Event::InlineHtml(html) | Event::Html(html) => {
                let one = [Segment::new(html, range, text)];
                out.extend(scan_segments(&one, file, &at));
            }
            _ => {}
        }
    }
    out
}

/// A piece of raw HTML and where it came from in the body.
struct Segment {
    html: String,
    source_start: usize,
    /// Whether the piece is the source text byte for byte (not inside `> ` quotes).
    exact: bool,
}

impl Segment {
    fn new(html: &str, range: &Range<usize>, text: &str) -> Self {
        Segment {
            html: html.to_string(),
            source_start: range.start,
            exact: text.get(range.clone()) == Some(html),
        }
    }
}

fn scan_segments(
    segments: &[Segment],
    file: &Path,
    at: &impl Fn(usize) -> Position,
) -> Vec<Diagnostic> {
    let html: String = segments.iter().map(|s| s.html.as_str()).collect();
    let mut starts = Vec::with_capacity(segments.len());
    let mut sum = 0;
    for s in segments {
        starts.push(sum);
        sum += s.html.len();
    }
    scan(&html)
        .into_iter()
        .map(|(offset, finding)| {
            let i = starts.partition_point(|&s| s <= offset).saturating_sub(1);
            let segment = &segments[i];
            let source = if segment.exact {
                segment.source_start + offset - starts[i]
            } else {
                segment.source_start
            };
            diagnostic(file, at(source), &finding)
        })
        .collect()
}

fn diagnostic(file: &Path, position: Position, finding: &Finding) -> Diagnostic {
    let (message, hint) = match finding {
        Finding::Scheme { attribute, value, scheme } => (
            format!("Im HTML steht {attribute}=\"{}\": eine Adresse mit „{scheme}:“ kann im Browser Code ausführen.", shorten(value)),
            "Verwenden Sie eine Adresse mit https://, mailto: oder tel:, oder schreiben Sie den Link in Markdown: [Text](https://…).",
        ),
        Finding::Handler { attribute } => (
            format!("Das HTML-Attribut „{attribute}“ führt im Browser JavaScript aus."),
            "Entfernen Sie das Attribut; Seiten brauchen im Inhalt kein JavaScript, Skripte gehören ins Theme.",
        ),
        Finding::Script => (
            "Das HTML-Element <script> führt im Browser JavaScript aus.".to_string(),
            "Entfernen Sie das Element; Skripte gehören ins Theme, nicht in den Inhalt.",
        ),
    };
    Diagnostic::warning(Code::UnsafeHtml, file, position, message).with_hint(hint)
}

/// Every finding in `html` with the byte offset of the attribute or tag.
fn scan(html: &str) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let lt = i + found;
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(html.len(), |e| lt + 4 + e + 3);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            i = lt + 1;
            continue;
        }
        i = tag(html, lt, &mut out);
    }
    out
}

/// Scan one start tag at `lt`; returns the offset after it.
fn tag(html: &str, lt: usize, out: &mut Vec<(usize, Finding)>) -> usize {
    let bytes = html.as_bytes();
    let mut i = lt + 1;
    while i < bytes.len() && !is_tag_end(bytes[i]) {
        i += 1;
    }
    if html[lt + 1..i].eq_ignore_ascii_case("script") {
        out.push((lt, Finding::Script));
    }
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (i + 1).min(html.len());
        }
        let name_start = i;
        i += 1; // a first `=` belongs to the name, as in HTML
        while i < bytes.len() && !is_tag_end(bytes[i]) && bytes[i] != b'=' {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let (value, next) = attribute_value(html, i);
        i = next;
        if let Some(finding) = judge(name, value) {
            out.push((name_start, finding));
        }
    }
}

fn is_tag_end(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'/' || b == b'>'
}

/// The value after an attribute name at `i` (`= "…"`, `='…'`, `=…`, or none).
fn attribute_value(html: &str, mut i: usize) -> (Option<&str>, usize) {
    let bytes = html.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let after_name = skip_ws(i);
    if bytes.get(after_name) != Some(&b'=') {
        return (None, i);
    }
    i = skip_ws(after_name + 1);
    match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let end = html[i + 1..]
                .find(q as char)
                .map_or(html.len(), |e| i + 1 + e);
            (Some(&html[i + 1..end]), (end + 1).min(html.len()))
        }
        Some(_) => {
            let end = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .map_or(html.len(), |e| i + e);
            (Some(&html[i..end]), end)
        }
        None => (Some(""), i),
    }
}

fn judge(name: String, value: Option<&str>) -> Option<Finding> {
    if name.len() > 2 && name.starts_with("on") {
        return Some(Finding::Handler { attribute: name });
    }
    if !URL_ATTRIBUTES.contains(&name.as_str()) {
        return None;
    }
    let value = value?;
    let scheme = link_scheme(value).filter(|s| DANGEROUS.contains(&s.as_str()))?;
    Some(Finding::Scheme {
        attribute: name,
        value: value.to_string(),
        scheme,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<(usize, String)> {
        scan(html)
            .into_iter()
            .map(|(o, f)| {
                let kind = match f {
                    Finding::Scheme {
                        attribute, scheme, ..
                    } => format!("{attribute}:{scheme}"),
                    Finding::Handler { attribute } => attribute,
                    Finding::Script => "script".into(),
                };
                (o, kind)
            })
            .collect()
    }

    #[test]
    fn finds_dangerous_urls_handlers_and_scripts() {
        assert_eq!(
            kinds(r#"<a href="javascript:alert(1)">x</a>"#),
            [(3, "href:javascript".to_string())]
        );
        assert_eq!(
            kinds("<img src='data:image/svg+xml,x' onerror=alert(1)>"),
            [(5, "src:data".to_string()), (32, "onerror".to_string())]
        );
        assert_eq!(
            kinds("<form action=vbscript:x><button formaction=\"jAvA&#x09;script:x\">"),
            [
                (6, "action:vbscript".to_string()),
                (32, "formaction:javascript".to_string())
            ]
        );
        assert_eq!(
            kinds("<SCRIPT>alert(1)</SCRIPT>"),
            [(0, "script".to_string())]
        );
        assert_eq!(
            kinds("<div\n  ONCLICK = \"x\">"),
            [(7, "onclick".to_string())]
        );
    }

    #[test]
    fn leaves_harmless_html_alone() {
        for html in [
            r#"<span lang="en">Open Data</span>"#,
            r#"<a href="https://www.bremen.de/">Bremen</a>"#,
            r#"<a href="/impressum/" title="javascript:">x</a>"#,
            "<!-- <a href=\"javascript:x\" onclick=\"y\"> -->",
            "a < b and onclick=x outside a tag",
            "</a onclick=x>",
            r#"<a data-on="x" on="z">"#,
            "<a href",
            "<a href=",
            "<a href =",
            "<",
            "<a",
        ] {
            assert_eq!(kinds(html), [], "{html}");
        }
    }

    #[test]
    fn unterminated_tags_are_read_to_the_end() {
        assert_eq!(
            kinds("<a href=\"javascript:alert(1)"),
            [(3, "href:javascript".to_string())]
        );
        assert_eq!(kinds("<a onclick"), [(3, "onclick".to_string())]);
    }
}
