//! Minifying pages with minify-html, piece by piece. A page is cut into the
//! children of `<head>` and `<body>` (the places where minify-html drops the
//! whitespace between elements anyway); each piece is minified on its own,
//! and a piece met a second time (the header, the footer, the stylesheet
//! links: the same on thousands of pages) comes from a memo. The result is
//! byte for byte what minify-html makes of the whole page (tested on every
//! page of the bundled site and of the benchmark corpus); a page whose
//! structure the cutter does not follow is minified whole.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, RwLock};

/// Minifies pages, remembering pieces that repeat.
pub struct Minifier {
    cfg: minify_html::Cfg,
    memo: RwLock<HashMap<Box<[u8]>, Arc<[u8]>>>,
    /// Hashes of pieces met once: a piece is remembered when met again.
    seen: Mutex<HashSet<u64>>,
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
        }
    }

    /// The page minified (HTML and inline CSS; inline JS is left alone).
    pub fn minify(&self, html: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(html.len());
        match self.document(html, &mut out) {
            Some(()) => out,
            None => self.whole(html),
        }
    }

    /// minify-html on the whole input, as the pieces must add up to.
    pub fn whole(&self, html: &[u8]) -> Vec<u8> {
        minify_html::minify(html, &self.cfg)
    }

    /// `<!doctype …> <html …> <head>…</head> <body>…</body> </html>`.
    fn document(&self, html: &[u8], out: &mut Vec<u8>) -> Option<()> {
        let mut pos = skip_space(html, 0);
        if starts_with_ci(&html[pos..], b"<!doctype") {
            let end = find(html, pos, b">")? + 1;
            self.piece(&html[pos..end], out);
            pos = skip_space(html, end);
        }
        let (name, tag_end, _) = start_tag(html, pos)?;
        if name != b"html" {
            return None;
        }
        self.piece(&html[pos..tag_end], out);
        pos = skip_space(html, tag_end);
        loop {
            if starts_with_ci(&html[pos..], b"</html") {
                pos = find(html, pos, b">")? + 1;
                out.extend_from_slice(b"</html>");
                break;
            }
            let (name, _, _) = start_tag(html, pos)?;
            if name != b"head" && name != b"body" {
                return None;
            }
            pos = skip_space(html, self.children(html, pos, &name, out)?);
        }
        (skip_space(html, pos) == html.len()).then_some(())
    }

    /// An element whose children are minified one by one; returns where it ends.
    fn children(&self, html: &[u8], start: usize, name: &[u8], out: &mut Vec<u8>) -> Option<usize> {
        let (_, tag_end, _) = start_tag(html, start)?;
        self.piece(&html[start..tag_end], out);
        let mut pos = skip_space(html, tag_end);
        loop {
            let rest = &html[pos..];
            if rest.starts_with(b"</") {
                let (closing, end) = end_tag(html, pos)?;
                if closing != name {
                    return None;
                }
                out.extend_from_slice(b"</");
                out.extend_from_slice(name);
                out.push(b'>');
                return Some(end);
            }
            let end = if rest.starts_with(b"<!--") {
                find(html, pos, b"-->")? + 3
            } else if rest.first() == Some(&b'<') {
                element_end(html, pos)?
            } else {
                return None; // text directly in <head> or <body>
            };
            self.piece(&html[pos..end], out);
            pos = skip_space(html, end);
        }
    }

    /// Minify one piece, from the memo when it was met before.
    fn piece(&self, piece: &[u8], out: &mut Vec<u8>) {
        if let Some(done) = self.memo.read().ok().and_then(|m| m.get(piece).cloned()) {
            out.extend_from_slice(&done);
            return;
        }
        let minified = minify_html::minify(piece, &self.cfg);
        out.extend_from_slice(&minified);
        let mut hasher = DefaultHasher::new();
        piece.hash(&mut hasher);
        let met_before = self
            .seen
            .lock()
            .map(|mut seen| !seen.insert(hasher.finish()))
            .unwrap_or(false);
        if met_before {
            if let Ok(mut memo) = self.memo.write() {
                memo.insert(piece.into(), minified.into());
            }
        }
    }
}

const VOID: [&[u8]; 14] = [
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];
const RAW_TEXT: [&[u8]; 4] = [b"script", b"style", b"textarea", b"title"];

/// Where the element starting at `start` ends (after its end tag), or `None`
/// when its tags do not nest as written.
fn element_end(html: &[u8], start: usize) -> Option<usize> {
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut pos = start;
    loop {
        let rest = &html[pos..];
        if rest.starts_with(b"<!--") {
            pos = find(html, pos, b"-->")? + 3;
        } else if rest.starts_with(b"</") {
            let (name, end) = end_tag(html, pos)?;
            if stack.pop()? != name {
                return None;
            }
            pos = end;
        } else if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            pos = find(html, pos, b">")? + 1;
        } else if rest.len() > 1 && rest[1].is_ascii_alphabetic() {
            let (name, tag_end, self_closing) = start_tag(html, pos)?;
            pos = tag_end;
            if RAW_TEXT.contains(&name.as_slice()) {
                pos = raw_text_end(html, pos, &name)?;
            } else if !self_closing && !VOID.contains(&name.as_slice()) {
                stack.push(name);
            }
        } else {
            pos += 1; // a `<` in text
        }
        if stack.is_empty() {
            return Some(pos);
        }
        pos += memchr::memchr(b'<', &html[pos..])?;
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

/// Name (lowercase), end (after `>`) and self-closing `/>` of the start tag at `pos`.
fn start_tag(html: &[u8], pos: usize) -> Option<(Vec<u8>, usize, bool)> {
    let rest = html.get(pos..)?;
    if rest.first() != Some(&b'<') || !rest.get(1)?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = rest[1..]
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b':'))?;
    let name = rest[1..1 + name_len].to_ascii_lowercase();
    let mut i = 1 + name_len;
    loop {
        match *rest.get(i)? {
            b'>' => return Some((name, pos + i + 1, false)),
            b'/' if rest.get(i + 1) == Some(&b'>') => return Some((name, pos + i + 2, true)),
            quote @ (b'"' | b'\'') => i += 1 + memchr::memchr(quote, &rest[i + 1..])? + 1,
            _ => i += 1,
        }
    }
}

/// Name (lowercase) and end (after `>`) of the end tag at `pos`.
fn end_tag(html: &[u8], pos: usize) -> Option<(Vec<u8>, usize)> {
    let end = find(html, pos, b">")?;
    let name = html[pos + 2..end].trim_ascii().to_ascii_lowercase();
    Some((name, end + 1))
}

fn find(html: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&html[from..], needle).map(|i| from + i)
}

fn skip_space(html: &[u8], mut pos: usize) -> usize {
    while pos < html.len() && matches!(html[pos], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
        pos += 1;
    }
    pos
}

fn starts_with_ci(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn pieces_add_up_to_minifying_the_whole_page() {
        let m = Minifier::new();
        let whole = m.whole(PAGE.as_bytes());
        let mut pieces = Vec::new();
        assert!(m.document(PAGE.as_bytes(), &mut pieces).is_some());
        assert_eq!(
            String::from_utf8_lossy(&pieces),
            String::from_utf8_lossy(&whole)
        );
        // Again, now with the repeated pieces from the memo.
        assert_eq!(m.minify(PAGE.as_bytes()), whole);
        assert_eq!(m.minify(PAGE.as_bytes()), whole);
        assert!(!m.memo.read().unwrap().is_empty());
    }

    #[test]
    fn pages_the_cutter_does_not_follow_are_minified_whole() {
        let m = Minifier::new();
        for page in [
            "<p>nur ein Absatz</p>",
            "<html><body>Text direkt im body<p>x</p></body></html>",
            "<html><body><div><p>offen</div></body></html>",
            "<html><body><main>x</main></body></html> danach",
        ] {
            let mut out = Vec::new();
            assert!(m.document(page.as_bytes(), &mut out).is_none(), "{page}");
            assert_eq!(m.minify(page.as_bytes()), m.whole(page.as_bytes()));
        }
    }

    #[test]
    fn elements_end_after_their_own_end_tag() {
        let html =
            b"<div a='>'><br><div>x</div><script>if (a</div>) {}</script><!-- </div> --></div>rest";
        assert_eq!(element_end(html, 0), Some(html.len() - 4));
        assert_eq!(element_end(b"<img src=x>rest", 0), Some(11));
        assert_eq!(element_end(b"<div><span></div>", 0), None);
    }
}
