//! Minifying pages with minify-html, piece by piece. A page is cut into the
//! children of `<head>` and `<body>` (the places where minify-html drops the
//! whitespace between elements anyway); each piece is minified on its own,
//! and a piece met a second time (the header, the footer, the stylesheet
//! links: the same on thousands of pages) comes from a memo. The result is
//! byte for byte what minify-html makes of the whole page (tested on every
//! page of the bundled site and of the benchmark corpus); a page whose
//! structure the cutter does not follow is minified whole. A piece of plain
//! HTML is minified in one pass by `output/plain.rs` rather than parsed by
//! minify-html (the same bytes in a fraction of the time). What the cutter
//! knows of tags (void elements, whitespace and tag omission rules) it takes
//! from minify-html's own tables in `minify-html-common`, pinned exactly
//! together with minify-html.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, RwLock};

use super::plain;
use super::tags::{self, Name, Tags};
use crate::markdown::nesting::{self, TooDeep};

/// Hash of a piece → the pieces with that hash (source, minified).
type Memo = HashMap<u64, Vec<(Box<[u8]>, Arc<[u8]>)>>;

/// Minifies pages, remembering pieces that repeat.
pub struct Minifier {
    cfg: minify_html::Cfg,
    memo: RwLock<Memo>,
    /// Hashes of pieces met once: a piece is remembered when met again.
    seen: Mutex<HashSet<u64>>,
    /// Fixed seed: hashes only pick memo slots; equality is checked on the bytes.
    hasher: foldhash::fast::FixedState,
}

impl Default for Minifier {
    fn default() -> Self {
        Minifier::new()
    }
}

impl Minifier {
    pub fn new() -> Self {
        let mut cfg = minify_html::Cfg::new();
        cfg.keep_closing_tags = true;
        cfg.keep_html_and_head_opening_tags = true;
        cfg.minify_css = true;
        cfg.minify_js = false;
        cfg.minify_doctype = false;
        cfg.allow_noncompliant_unquoted_attribute_values = false;
        cfg.allow_removing_spaces_between_attributes = false;
        Minifier {
            cfg,
            memo: RwLock::new(HashMap::new()),
            seen: Mutex::new(HashSet::new()),
            hasher: foldhash::fast::FixedState::default(),
        }
    }

    /// The page minified (HTML and inline CSS; inline JS is left alone).
    /// A page that nests more elements than minify-html's recursive parser
    /// can take (see [`nesting::check_page`]) is refused, never handed to it.
    ///
    /// An outline that reads proves how deeply the page nests (its tags nest
    /// as written and as minify-html's parser reads them), so a shallow one
    /// needs no second scan by [`nesting::check_page`].
    pub fn minify(&self, html: &[u8]) -> Result<Vec<u8>, TooDeep> {
        let outline = Outline::read(html);
        if outline.as_ref().is_none_or(|o| o.depth > SHALLOW) {
            nesting::check_page(html)?;
        }
        let Some(outline) = outline else {
            return Ok(minify_html::minify(html, &self.cfg));
        };
        let mut out = Vec::with_capacity(html.len());
        self.document(html, &outline, &mut out);
        Ok(out)
    }

    /// The document cut along its outline.
    fn document(&self, html: &[u8], outline: &Outline, out: &mut Vec<u8>) {
        for &node in &outline.roots {
            self.node(html, outline, node, out);
        }
    }

    /// minify-html on the whole input, as the pieces must add up to; a page
    /// nested too deeply for it comes back as it is.
    pub fn whole(&self, html: &[u8]) -> Vec<u8> {
        match nesting::check_page(html) {
            Ok(()) => minify_html::minify(html, &self.cfg),
            Err(_) => html.to_vec(),
        }
    }

    /// A layout element without text of its own is minified child by child;
    /// anything else as one piece.
    fn node(&self, html: &[u8], outline: &Outline, index: usize, out: &mut Vec<u8>) {
        let node = &outline.nodes[index];
        if !node.layout || node.text {
            self.piece(&html[node.start..node.end], out);
            return;
        }
        self.memoized(&html[node.start..node.end], out, |out| {
            self.piece(&html[node.start..node.tag_end], out);
            for &child in &node.children {
                self.node(html, outline, child, out);
            }
            out.extend_from_slice(b"</");
            let name = &html[node.start + 1..node.start + 1 + node.name_len];
            out.extend(name.iter().map(u8::to_ascii_lowercase));
            out.push(b'>');
        });
    }

    /// Minify one piece as a whole, from the memo when it was met before:
    /// in one pass where [`plain`] follows it, else by minify-html.
    fn piece(&self, piece: &[u8], out: &mut Vec<u8>) {
        self.memoized(piece, out, |out| {
            let mut start_tag = |tag: &[u8], out: &mut Vec<u8>| self.start_tag(tag, out);
            if !plain::minify(piece, out, &mut start_tag) {
                out.extend_from_slice(&minify_html::minify(piece, &self.cfg));
            }
        });
    }

    /// A start tag with attributes, by minify-html (from the memo when met before).
    fn start_tag(&self, tag: &[u8], out: &mut Vec<u8>) {
        self.memoized(tag, out, |out| {
            out.extend_from_slice(&minify_html::minify(tag, &self.cfg))
        });
    }

    /// The settings minify-html is called with.
    #[cfg(test)]
    pub(crate) fn cfg(&self) -> &minify_html::Cfg {
        &self.cfg
    }

    /// Append the minified `source`: from the memo, or made by `minify`
    /// (and remembered when `source` was met before).
    fn memoized(&self, source: &[u8], out: &mut Vec<u8>, minify: impl FnOnce(&mut Vec<u8>)) {
        if source.len() > MEMO_MAX {
            minify(out);
            return;
        }
        let hash = self.hasher.hash_one(source);
        let known = self.memo.read().ok().and_then(|memo| {
            let entries = memo.get(&hash)?;
            let (_, done) = entries.iter().find(|(s, _)| **s == *source)?;
            Some(done.clone())
        });
        if let Some(done) = known {
            out.extend_from_slice(&done);
            return;
        }
        let from = out.len();
        minify(out);
        let met_before = self
            .seen
            .lock()
            .map(|mut seen| !seen.insert(hash))
            .unwrap_or(false);
        if met_before {
            if let Ok(mut memo) = self.memo.write() {
                let entries = memo.entry(hash).or_default();
                if !entries.iter().any(|(s, _)| **s == *source) {
                    entries.push((source.into(), out[from..].into()));
                }
            }
        }
    }
}

/// Nesting depth up to which an outline that reads is trusted without the
/// page being scanned again by [`nesting::check_page`]: far below
/// [`nesting::MAX_PAGE_DEPTH`], so that even a difference between the two
/// scans in what they count could not let a page past the bound.
const SHALLOW: usize = nesting::MAX_PAGE_DEPTH / 3;

/// Pieces longer than this are not looked up or remembered: repeated parts
/// of a page (header, footer, table cells) are short, and hashing whole
/// pages at every level would cost more than it saves.
const MEMO_MAX: usize = 4096;

/// What the outline needs to know of an element by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No end tag (`<br>`, `<link>` …).
    Void,
    /// Content is text up to the end tag (`<script>`, `<title>` …).
    RawText,
    /// minify-html removes whitespace-only text between its children
    /// ("layout" in its whitespace rules), so they can be minified apart.
    Layout,
    Other,
}

/// `name` in lowercase, in `buf`; `None` for names longer than `buf` (no
/// element the outline or minify-html's rules name has one; such pages are
/// minified whole).
fn lowercase<'a>(name: &[u8], buf: &'a mut [u8; 32]) -> Option<&'a [u8]> {
    let lower = buf.get_mut(..name.len())?;
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    Some(lower)
}

/// The kind of an element (name in lowercase). Void elements and the
/// whitespace rules come from minify-html's own tables in
/// `minify-html-common` (pinned with it in `Cargo.toml`), so that the cutter
/// cannot drift from the parser. `Layout` is every HTML element whose
/// whitespace-only text minify-html destroys, except `article`: it holds the
/// Markdown, which differs on every page, so cutting it would only add work.
/// `svg` is not among them (its rules apply inside the SVG namespace, which
/// the cutter never enters).
fn kind(tags: Tags, name: Name) -> Kind {
    if tags.is_void(name) {
        Kind::Void
    } else if is_raw_text(name.bytes) {
        Kind::RawText
    } else if name.bytes != b"article" && tags.whitespace(name, false).destroy_whole {
        Kind::Layout
    } else {
        Kind::Other
    }
}

/// The elements whose content minify-html's parser reads as text up to the
/// end tag (`parse_element` in minify-html, which has no table of them).
fn is_raw_text(name: &[u8]) -> bool {
    matches!(name, b"script" | b"style" | b"textarea" | b"title")
}

/// An element (or a comment or doctype) of a page, by its byte ranges.
struct Node {
    start: usize,
    /// After the start tag.
    tag_end: usize,
    /// After the end tag.
    end: usize,
    name_len: usize,
    /// An element whose children minify-html separates with nothing.
    layout: bool,
    /// Has text (not only whitespace) directly inside.
    text: bool,
    /// The element's name, when it has a place in the tag tables.
    known: Option<Name<'static>>,
    children: Vec<usize>,
}

/// The elements of a page, read in one pass.
struct Outline {
    nodes: Vec<Node>,
    roots: Vec<usize>,
    /// Bits for `<html>`, `<head>`, `<body>` start tags met.
    seen_html_head_body: u8,
    /// How many `<svg>` elements are open: inside, minify-html parses SVG.
    svg_depth: usize,
    /// The most elements open at once.
    depth: usize,
    tags: Tags,
}

impl Outline {
    fn read(html: &[u8]) -> Option<Outline> {
        let mut outline = Outline {
            nodes: Vec::new(),
            roots: Vec::new(),
            seen_html_head_body: 0,
            svg_depth: 0,
            depth: 0,
            tags: tags::tags(),
        };
        let mut open: Vec<usize> = Vec::new();
        let mut pos = 0;
        while pos < html.len() {
            let next = memchr::memchr(b'<', &html[pos..]).map_or(html.len(), |i| pos + i);
            if next > pos && !is_space(&html[pos..next]) {
                outline.mark_text(open.last().copied())?;
            }
            if next == html.len() {
                break;
            }
            pos = outline.tag(html, next, &mut open)?;
        }
        open.is_empty().then_some(outline)
    }

    /// Read the tag (or comment) at `at`; returns where reading goes on.
    fn tag(&mut self, html: &[u8], at: usize, open: &mut Vec<usize>) -> Option<usize> {
        let rest = &html[at..];
        if rest.starts_with(b"</") {
            let (name, end) = end_tag(html, at)?;
            let index = open.pop()?;
            let node = &mut self.nodes[index];
            let open_name = &html[node.start + 1..node.start + 1 + node.name_len];
            if !open_name.eq_ignore_ascii_case(name) {
                return None;
            }
            node.end = end;
            if open_name.eq_ignore_ascii_case(b"svg") {
                self.svg_depth -= 1;
            }
            return Some(end);
        }
        let (end, name_len, layout, is_open, known) = if rest.starts_with(b"<!--") {
            (find(html, at, b"-->")? + 3, 0, false, false, None)
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            (find(html, at, b">")? + 1, 0, false, false, None)
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            self.start_tag(html, at, open.last().copied())?
        } else {
            self.mark_text(open.last().copied())?;
            return Some(at + 1);
        };
        let index = self.nodes.len();
        self.nodes.push(Node {
            start: at,
            tag_end: end,
            end,
            name_len,
            layout,
            text: false,
            known,
            children: Vec::new(),
        });
        match open.last() {
            Some(&parent) => self.nodes[parent].children.push(index),
            None => self.roots.push(index),
        }
        if is_open {
            open.push(index);
            self.depth = self.depth.max(open.len());
            if html[at + 1..at + 1 + name_len].eq_ignore_ascii_case(b"svg") {
                self.svg_depth += 1;
            }
        }
        Some(end)
    }

    /// End, name length, layout and openness of the element whose start tag
    /// is at `at`. As in minify-html's parser, `/>` closes an element only in
    /// SVG (elsewhere the page is minified whole), and `title` and `textarea`
    /// hold raw text only outside SVG.
    fn start_tag(
        &mut self,
        html: &[u8],
        at: usize,
        parent: Option<usize>,
    ) -> Option<(usize, usize, bool, bool, Option<Name<'static>>)> {
        let (name_len, tag_end, self_closing) = start_tag(html, at)?;
        let mut buf = [0u8; 32];
        let name = self
            .tags
            .name(lowercase(&html[at + 1..at + 1 + name_len], &mut buf)?);
        self.check_parser_agrees(html, name, parent)?;
        let in_svg = self.svg_depth > 0 || name.bytes == b"svg";
        let kind = match kind(self.tags, name) {
            Kind::RawText if in_svg && !matches!(name.bytes, b"script" | b"style") => Kind::Other,
            k => k,
        };
        if self_closing && !in_svg && kind != Kind::Void {
            return None;
        }
        let known = name.known();
        Some(match kind {
            Kind::Void => (tag_end, name_len, false, false, known),
            _ if self_closing => (tag_end, name_len, false, false, known),
            Kind::RawText => {
                let end = raw_text_end(html, tag_end, name.bytes)?;
                (end, name_len, false, false, known)
            }
            k => (tag_end, name_len, k == Kind::Layout, true, known),
        })
    }

    /// `None` where minify-html's parser would not nest the start tag `name`
    /// (in lowercase) as written: where it closes the parent implicitly (`<p><div>`,
    /// `<li><li>`, as its tag omission rules say) or ignores a second
    /// `<html>`, `<head>` or `<body>`. Such pages are minified whole.
    fn check_parser_agrees(
        &mut self,
        html: &[u8],
        name: Name,
        parent: Option<usize>,
    ) -> Option<()> {
        if matches!(name.bytes, b"html" | b"head" | b"body") {
            let seen = &mut self.seen_html_head_body;
            let bit = match name.bytes {
                b"html" => 1,
                b"head" => 2,
                _ => 4,
            };
            if *seen & bit != 0 {
                return None;
            }
            *seen |= bit;
        }
        if let Some(parent) = parent {
            let node = &self.nodes[parent];
            let mut buf = [0u8; 32];
            let before = match node.known {
                Some(known) => known,
                None => {
                    let bytes = &html[node.start + 1..node.start + 1 + node.name_len];
                    self.tags.name(lowercase(bytes, &mut buf)?)
                }
            };
            if self.tags.can_omit_as_before(before, name) {
                return None;
            }
        }
        Some(())
    }

    /// Text directly in `parent`; text outside every element stops the cut.
    fn mark_text(&mut self, parent: Option<usize>) -> Option<()> {
        self.nodes[parent?].text = true;
        Some(())
    }
}

/// The end of a raw-text element's content and end tag.
fn raw_text_end(html: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut pos = from;
    loop {
        pos += memchr::memmem::find(&html[pos..], b"</")?;
        if starts_with_ci(&html[pos + 2..], name) {
            return Some(find(html, pos, b">")? + 1);
        }
        pos += 2;
    }
}

/// Name length, end (after `>`) and self-closing `/>` of the start tag at `pos`.
fn start_tag(html: &[u8], pos: usize) -> Option<(usize, usize, bool)> {
    let rest = html.get(pos..)?;
    if rest.first() != Some(&b'<') || !rest.get(1)?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = rest[1..]
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':'))?;
    let mut i = 1 + name_len;
    // Quotes open a value only right after `=` (and spaces).
    let mut after_equals = false;
    loop {
        match *rest.get(i)? {
            b'>' => return Some((name_len, pos + i + 1, false)),
            b'/' if rest.get(i + 1) == Some(&b'>') => return Some((name_len, pos + i + 2, true)),
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                i += 1 + memchr::memchr(quote, &rest[i + 1..])?;
                after_equals = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_equals = false,
        }
        i += 1;
    }
}

/// Name and end (after `>`) of the end tag at `pos`.
fn end_tag(html: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    let end = find(html, pos, b">")?;
    Some((html[pos + 2..end].trim_ascii(), end + 1))
}

fn find(html: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&html[from..], needle).map(|i| from + i)
}

fn is_space(text: &[u8]) -> bool {
    text.iter()
        .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
}

fn starts_with_ci(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::nesting::MAX_PAGE_DEPTH;
    use minify_html_common::spec::tag::void::VOID_TAGS;

    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="de" data-kern-theme="light">
<head>
  <meta charset="utf-8">
  <title>Seite – Portal</title>
  <link rel="stylesheet" href="/css/site.css">
  <script src="/js/a.js" defer></script>
  <!-- Kommentar -->
</head>
<body class="page">
  <a class="skip-link" href="#inhalt">Zum Inhalt</a>
  <header class="site-header">
    <nav aria-label="Haupt"><ul>
      <li><a href="/" aria-current="page">Start</a></li>
      <li><a href="/schritte/">Anleitung</a></li>
    </ul></nav>
  </header>
  <main id="inhalt">
    <h1>Titel   mit  Leerraum</h1>
    <p>Ein <strong>Satz</strong> mit <a href="/x/">Link</a> .</p>
    <pre><code>  eingerückt
    bleibt</code></pre>
    <svg viewBox="0 0 10 10"><rect x="0" y="0" width="5" height="5"/><title>Grafik</title></svg>
    <img src="/a.png" alt="">
    <br/>
  </main>
  <footer><p>Impressum &amp; Datenschutz</p></footer>
  <script>var a = 1 < 2;</script>
</body>
</html>
"##;

    /// The page cut and minified piece by piece; `None` when it cannot be cut.
    fn cut(m: &Minifier, page: &str) -> Option<Vec<u8>> {
        let outline = Outline::read(page.as_bytes())?;
        let mut out = Vec::new();
        m.document(page.as_bytes(), &outline, &mut out);
        Some(out)
    }

    #[test]
    fn pieces_add_up_to_minifying_the_whole_page() {
        let m = Minifier::new();
        let whole = m.whole(PAGE.as_bytes());
        let pieces = cut(&m, PAGE).expect("the page is cut");
        assert_eq!(
            String::from_utf8_lossy(&pieces),
            String::from_utf8_lossy(&whole)
        );
        // Again, now with the repeated pieces from the memo.
        assert_eq!(m.minify(PAGE.as_bytes()).unwrap(), whole);
        assert_eq!(m.minify(PAGE.as_bytes()).unwrap(), whole);
        assert!(!m.memo.read().unwrap().is_empty());
    }

    #[test]
    fn odd_pages_come_out_as_minify_html_makes_them() {
        let m = Minifier::new();
        for page in [
            "<p>nur ein Absatz</p>",
            "Text vorne <p>x</p>",
            "<html><body>Text direkt im body<p>x</p></body></html>",
            "<html><body><div><p>offen</div></body></html>",
            "<html><body><main>x</main></body></html> danach",
            "<html><body><div>  <span>a</span> <span>b</span>  </div></body></html>",
            "<html><body><ul><li>a <li>b</ul><table><tr><td>1</td></tr></table></body></html>",
            "<html><body><pre>  <b>x</b>  </pre><div><!-- k --> <p> y </p></div></body></html>",
            "<HTML><Body><DIV class=a><P>x</P></DIV><Table><TR><td>1</td></TR></Table></Body></HTML>",
            "<html><body><div title='a > b' data-x=\"<p>\"><p>x</p></div><div>a<br>b</div></body></html>",
            "<html><body><div><![CDATA[ a > b ]]><p>x</p></div><svg><g><rect/></g></svg></body></html>",
            "<html><body><section><textarea>  <div> </textarea><code> x </code></section></body></html>",
            "<html><body><nav><ul>\n<li><a href=/>A</a></li>\n<li><a href=/b>B</a></li>\n</ul></nav></body></html>",
            // Found by the fuzz test: `/>` closes nothing outside SVG.
            "<rect/> ",
            "<html><body><div><span/> <b>x</b></div></body></html>",
            "<html><body><div><svg><title><b>x</b></title><script/><rect/></svg></div></body></html>",
        ] {
            assert_eq!(
                String::from_utf8_lossy(&m.minify(page.as_bytes()).unwrap()),
                String::from_utf8_lossy(&m.whole(page.as_bytes())),
                "{page}"
            );
        }
        assert!(cut(&m, "Text vorne <p>x</p>").is_none());
    }

    #[test]
    fn pages_with_any_void_element_of_minify_html_are_cut() {
        // The cutter once had its own list of void elements, without `keygen`:
        // such a page could not be cut and was minified whole.
        let m = Minifier::new();
        let mut names: Vec<&[u8]> = VOID_TAGS.iter().copied().collect();
        names.sort_unstable();
        for name in names {
            let name = String::from_utf8_lossy(name);
            let page = format!(
                "<!DOCTYPE html><html><head><title>T</title></head><body><form>\n  <{name} name=k>\n  <p>x</p>\n</form></body></html>"
            );
            assert!(Outline::read(page.as_bytes()).is_some(), "{page}");
            let pieces = cut(&m, &page).expect("the page is cut");
            assert_eq!(
                String::from_utf8_lossy(&pieces),
                String::from_utf8_lossy(&m.whole(page.as_bytes())),
                "{page}"
            );
        }
    }

    #[test]
    fn kinds_follow_minify_html_common() {
        assert!(kind(tags::tags(), tags::tags().name(b"keygen")) == Kind::Void);
        assert!(kind(tags::tags(), tags::tags().name(b"br")) == Kind::Void);
        assert!(kind(tags::tags(), tags::tags().name(b"title")) == Kind::RawText);
        for layout in [&b"div"[..], b"select", b"picture", b"colgroup", b"dialog"] {
            assert!(kind(tags::tags(), tags::tags().name(layout)) == Kind::Layout);
        }
        for other in [&b"article"[..], b"svg", b"p", b"span", b"pre", b"x-widget"] {
            assert!(kind(tags::tags(), tags::tags().name(other)) == Kind::Other);
        }
    }

    /// A small deterministic generator of HTML documents: nested layout,
    /// content and inline elements, text with spaces and entities,
    /// comments, raw text, void and SVG elements, odd case and quoting.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.next(items.len() as u64) as usize]
        }

        fn space(&mut self) -> &'static str {
            ["", "", " ", "\n  ", "  \n"][self.next(5) as usize]
        }

        fn node(&mut self, depth: u32, out: &mut String) {
            let tags = [
                "div", "section", "ul", "li", "p", "span", "a", "pre", "table", "tr", "td", "nav",
                "header", "DIV", "Main", "strong", "code", "select", "option", "picture", "dialog",
            ];
            match self.next(if depth == 0 { 4 } else { 9 }) {
                0 => out.push_str(self.pick(&["Text", "a &amp; b", " x  y ", "&lt;tag&gt;", "ä"])),
                1 => out.push_str(self.pick(&[
                    "<!-- k -->",
                    "<br>",
                    "<img src=x alt=\"\">",
                    "<svg><rect/></svg>",
                    "<keygen name=k>",
                    "<source src=x>",
                ])),
                2 => out.push_str(self.pick(&[
                    "<script>if (a < b) {}</script>",
                    "<style>p { color: red }</style>",
                ])),
                _ => {
                    let tag = self.pick(&tags);
                    let attr = self.pick(&[
                        "",
                        " class=\"a  b\"",
                        " title='x > y'",
                        " id=z",
                        " data-v=\"1\"",
                    ]);
                    out.push('<');
                    out.push_str(tag);
                    out.push_str(attr);
                    out.push('>');
                    for _ in 0..self.next(4) {
                        out.push_str(self.space());
                        if depth > 0 {
                            self.node(depth - 1, out);
                        }
                    }
                    out.push_str(self.space());
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
            }
        }
    }

    #[test]
    fn random_documents_come_out_as_minify_html_makes_them() {
        let m = Minifier::new();
        let mut cut = 0;
        let mut gen = Gen(7);
        for _ in 0..3000 {
            let mut doc = String::from("<!DOCTYPE html>\n<html lang=de><head><title>T</title>\n<link rel=stylesheet href=/a.css></head>\n<body>");
            for _ in 0..gen.next(4) + 1 {
                doc.push_str(gen.space());
                gen.node(4, &mut doc);
            }
            doc.push_str("\n</body></html>\n");
            assert_eq!(
                String::from_utf8_lossy(&m.minify(doc.as_bytes()).unwrap()),
                String::from_utf8_lossy(&m.whole(doc.as_bytes())),
                "{doc}"
            );
            cut += usize::from(Outline::read(doc.as_bytes()).is_some());
        }
        // Most documents are cut (the rest are minified whole): the test
        // exercises the pieces, not only the fallback.
        assert!(cut > 2000, "only {cut} of 3000 documents were cut");
    }

    #[test]
    fn the_outline_follows_nesting_raw_text_and_comments() {
        let html =
            b"<div a='>'><br><div>x</div><script>if (a</div>) {}</script><!-- </div> --></div>";
        let outline = Outline::read(html).unwrap();
        assert_eq!(outline.roots.len(), 1);
        let div = &outline.nodes[outline.roots[0]];
        assert_eq!((div.start, div.end, div.children.len()), (0, html.len(), 4));
        assert!(!div.text);
        assert!(Outline::read(b"<div><span></div>").is_none());
        assert!(Outline::read(b"Text <p>x</p>").is_none());
    }

    /// A page nested `depth` levels: layout elements (the piecewise cutter
    /// recurses into them) and inline ones (minify-html recurses into all).
    fn nested_page(depth: usize) -> String {
        let tags = ["div", "blockquote", "em", "ul", "strong", "section"];
        let open: String = (0..depth)
            .map(|i| format!("<{}>", tags[i % tags.len()]))
            .collect();
        let close: String = (0..depth)
            .rev()
            .map(|i| format!("</{}>", tags[i % tags.len()]))
            .collect();
        // With `html` and `body` around it, the page nests `depth + 2` levels.
        format!(
            "<!DOCTYPE html><html><head><title>x</title></head><body>{open}x{close}</body></html>"
        )
    }

    #[test]
    fn pages_up_to_the_bound_are_minified_on_a_render_threads_stack() {
        // Rayon's workers, which render and minify pages, have 2 MiB stacks.
        let page = nested_page(MAX_PAGE_DEPTH - 2);
        let worker = std::thread::Builder::new().stack_size(2 << 20);
        let minified = worker
            .spawn(move || {
                let m = Minifier::new();
                (
                    m.minify(page.as_bytes()).map(|v| v.len()),
                    m.whole(page.as_bytes()).len(),
                )
            })
            .unwrap()
            .join()
            .expect("minifying a page at the bound must not overflow the stack");
        assert_eq!(minified.0, Ok(minified.1));
    }

    #[test]
    fn deeper_pages_are_never_handed_to_minify_html() {
        let m = Minifier::new();
        assert!(m
            .minify(nested_page(MAX_PAGE_DEPTH - 1).as_bytes())
            .is_err());
        let deep = nested_page(3000);
        assert!(m.minify(deep.as_bytes()).is_err());
        assert_eq!(m.whole(deep.as_bytes()), deep.as_bytes());
        // A page the outline cannot read (text before `<html>`) is scanned
        // by the nesting check all the same.
        assert!(m.minify(format!("Text {deep}").as_bytes()).is_err());
    }

    #[test]
    fn the_outline_counts_depth_as_the_nesting_check_does() {
        for depth in [
            0,
            1,
            SHALLOW - 3,
            SHALLOW - 2,
            SHALLOW - 1,
            MAX_PAGE_DEPTH - 2,
        ] {
            let page = nested_page(depth);
            assert_eq!(Outline::read(page.as_bytes()).unwrap().depth, depth + 2);
            assert!(nesting::check_page(page.as_bytes()).is_ok(), "{depth}");
        }
        let page = "<html><body><svg><g><rect/><title>t</title></g></svg><br>\
                    <script><div><div></script><textarea><p></textarea></body></html>";
        assert_eq!(Outline::read(page.as_bytes()).unwrap().depth, 5);
    }
}

/// Property tests (run with the other unit tests; `scripts/fuzz.sh` repeats them).
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Token soup: tags that nest or do not, raw text, comments, quotes, stray brackets.
    fn soup() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            Just("<div>"),
            Just("</div>"),
            Just("<p>"),
            Just("</p>"),
            Just("<span class='a>b'>"),
            Just("</span>"),
            Just("<script>"),
            Just("</script>"),
            Just("<style>"),
            Just("</style>"),
            Just("<!--"),
            Just("-->"),
            Just("<"),
            Just(">"),
            Just("'"),
            Just("\""),
            Just(" "),
            Just("\n"),
            Just("Text"),
            Just("<br>"),
            Just("<svg>"),
            Just("</svg>"),
            Just("<rect/>"),
            Just("<html>"),
            Just("</html>"),
            Just("<head>"),
            Just("</head>"),
            Just("<body>"),
            Just("</body>"),
            Just("<![CDATA["),
            Just("]]>"),
            Just("<DIV>"),
            Just("&amp;"),
            Just("ä"),
            Just("<textarea>"),
            Just("</textarea>"),
            Just("<pre>"),
            Just("</pre>"),
            Just("<li>"),
            Just("<ul>"),
            Just("</ul>"),
            Just("<table>"),
            Just("<tr>"),
            Just("<td>"),
            Just("<!DOCTYPE html>"),
            Just("<title>"),
            Just("</title>"),
            Just("<keygen>"),
            Just("<select>"),
            Just("</select>"),
            Just("<option>"),
        ];
        proptest::collection::vec(token, 0..40).prop_map(|t| t.concat())
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]

        #[test]
        fn fuzz_minify_pieces_equal_the_whole(html in soup()) {
            let m = Minifier::new();
            let whole = m.whole(html.as_bytes());
            // The soup nests far less than the depth bound.
            let pieces = m.minify(html.as_bytes()).expect("shallow");
            prop_assert_eq!(String::from_utf8_lossy(&pieces), String::from_utf8_lossy(&whole));
            // Again with the memo filled.
            prop_assert_eq!(m.minify(html.as_bytes()).expect("shallow"), whole);
        }

        #[test]
        fn fuzz_minify_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let m = Minifier::new();
            let _ = m.minify(&bytes);
        }
    }
}
