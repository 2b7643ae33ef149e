//! The minifier's fast path: one pass over plain HTML — the elements,
//! attributes and escapes that pulldown-cmark and the theme write — giving
//! byte for byte what minify-html gives (with the minifier's settings:
//! closing tags kept, inline JS untouched). minify-html parses a page into a
//! tree and writes it again; for such HTML that is most of a build's time.
//!
//! What this pass does not follow, it does not guess at: a comment, a
//! `<script>`, an SVG, an escape other than the seven listed in
//! [`ESCAPES`], a tag minify-html would close by itself (`<p>` before a
//! `<div>`), a stray `<` … and the piece is handed to minify-html whole.
//! A start tag whose attributes are all simple (values without quotes,
//! spaces or escapes, no `style`) is written by the pass with minify-html's
//! attribute table (defaults, boolean attributes); any other start tag goes
//! through minify-html (one tag at a time, remembered by the caller), since
//! its rules (quotes, entities, inline CSS) are many. The rules for text —
//! whitespace, entities — are minify-html's own, read from
//! `minify-html-common` (pinned with it); tests compare both on every page
//! of the bundled site and on generated HTML.

use memchr::memmem;
use minify_html_common::gen::attrs::ATTRS;
use minify_html_common::gen::codepoints::WHITESPACE;
use minify_html_common::gen::entities::ENTITY;
use minify_html_common::pattern::TrieNodeMatch;
use minify_html_common::spec::tag::ns::Namespace;
use minify_html_common::spec::tag::whitespace::WhitespaceMinification;
use minify_html_common::whitespace::{
    collapse_whitespace, is_all_whitespace, left_trim, right_trim,
};

use super::tags::{self, Name, Tags};

/// The escapes the pass decodes (what pulldown-cmark and Tera write), with
/// the byte each stands for.
const ESCAPES: [(&[u8], u8); 7] = [
    (b"&amp;", b'&'),
    (b"&lt;", b'<'),
    (b"&gt;", b'>'),
    (b"&quot;", b'"'),
    (b"&#39;", b'\''),
    (b"&#x27;", b'\''),
    (b"&#x2F;", b'/'),
];

/// Elements whose content or namespace minify-html treats apart.
const SPECIAL: [&[u8]; 9] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"svg",
    b"math",
    b"html",
    b"head",
    b"body",
];

/// The two texts minify-html writes as a shorter entity (`&nGt;`, `&nLt;`).
const SHORTER_AS_ENTITY: [&str; 2] = ["\u{226B}\u{20D2}", "\u{226A}\u{20D2}"];

/// Append `html` minified to `out`, start tags with attributes through
/// `start_tag`. `false` (and `out` as it was) when the pass does not follow it.
pub(super) fn minify(
    html: &[u8],
    out: &mut Vec<u8>,
    start_tag: &mut dyn FnMut(&[u8], &mut Vec<u8>),
) -> bool {
    let from = out.len();
    let tags = tags::tags();
    let done = Pass {
        html,
        out,
        tags,
        open: vec![Open::root(tags)],
        scratch: Vec::new(),
        attributes: Vec::new(),
    }
    .run(start_tag);
    if done.is_none() {
        out.truncate(from);
    }
    done.is_some()
}

/// An element whose content is being written.
struct Open<'h> {
    name: Name<'h>,
    whitespace: &'static WhitespaceMinification,
    /// Inside a `<pre>` (or it): text is kept as written.
    pre: bool,
    /// Whether a child (text or element) was met: only the first text is trimmed at its start.
    had_child: bool,
}

impl<'h> Open<'h> {
    fn root(tags: Tags) -> Self {
        let name = tags.name(b"");
        Open {
            name,
            whitespace: tags.whitespace(name, false),
            pre: false,
            had_child: false,
        }
    }

    fn element(tags: Tags, name: Name<'h>, parent_pre: bool) -> Self {
        let pre = parent_pre || name.bytes == b"pre";
        Open {
            name,
            whitespace: tags.whitespace(name, pre),
            pre,
            had_child: false,
        }
    }
}

struct Pass<'h, 'o> {
    html: &'h [u8],
    out: &'o mut Vec<u8>,
    tags: Tags,
    open: Vec<Open<'h>>,
    /// The text being minified, decoded (one buffer for the whole piece).
    scratch: Vec<u8>,
    /// The attributes of the start tag being written (one buffer for the whole piece).
    attributes: Vec<(&'h [u8], &'h [u8])>,
}

impl<'h> Pass<'h, '_> {
    /// Text, then a tag, until the end; `None` where the pass gives up.
    fn run(mut self, start_tag: &mut dyn FnMut(&[u8], &mut Vec<u8>)) -> Option<()> {
        let html = self.html;
        let mut at = 0;
        loop {
            let lt = memchr::memchr(b'<', &html[at..]).map_or(html.len(), |i| at + i);
            let text = &html[at..lt];
            if lt == html.len() {
                // The end: only the root may be open.
                (self.open.len() == 1).then_some(())?;
                return self.text(text, true);
            }
            at = match html.get(lt + 1) {
                Some(b'/') => self.end_tag(text, lt)?,
                Some(c) if c.is_ascii_lowercase() => self.start_tag(text, lt, start_tag)?,
                _ => return None,
            };
        }
    }

    /// `</name>` at `lt`, closing the innermost element; returns where it ends.
    fn end_tag(&mut self, text: &[u8], lt: usize) -> Option<usize> {
        let rest = &self.html[lt + 2..];
        let len = rest.iter().position(|&c| c == b'>')?;
        let name = &rest[..len];
        let depth = self.open.len();
        (depth > 1 && self.open[depth - 1].name.bytes == name).then_some(())?;
        let (grandparent, element) = (self.open[depth - 2].name, self.open[depth - 1].name);
        let omitted =
            grandparent.bytes == name && self.tags.can_omit_as_last_node(grandparent, element);
        (!omitted).then_some(())?;
        self.text(text, true)?;
        self.out.extend_from_slice(&self.html[lt..lt + 3 + len]);
        self.open.pop();
        Some(lt + 3 + len)
    }

    /// A start tag at `lt`; returns where it ends.
    fn start_tag(
        &mut self,
        text: &[u8],
        lt: usize,
        minify_tag: &mut dyn FnMut(&[u8], &mut Vec<u8>),
    ) -> Option<usize> {
        let tag = Tag::read(self.html, lt)?;
        let name = self.tags.name(tag.name);
        let parent = self.open.last()?;
        let plain =
            !SPECIAL.contains(&tag.name) && !self.tags.can_omit_as_before(parent.name, name);
        let void = self.tags.is_void(name);
        (plain && (void || !tag.self_closing)).then_some(())?;
        let parent_pre = parent.pre;
        self.text(text, false)?;
        self.open.last_mut()?.had_child = true;
        let source = &self.html[lt..tag.end];
        if tag.bare {
            self.out.extend_from_slice(source);
        } else if !simple_start_tag(source, tag.name, &mut self.attributes, self.out) {
            minify_tag(source, self.out);
        }
        if !void {
            self.open.push(Open::element(self.tags, name, parent_pre));
        }
        Some(tag.end)
    }

    /// Text between two tags, in the innermost element; `last` when the
    /// element's end (or the input's) follows it.
    fn text(&mut self, raw: &[u8], last: bool) -> Option<()> {
        if raw.is_empty() {
            return Some(());
        }
        let open = self.open.last_mut()?;
        let rules = open.whitespace;
        let text = &mut self.scratch;
        decode(raw, text)?;
        if !open.had_child {
            open.had_child = true;
            if rules.trim {
                left_trim(text);
            }
        }
        if rules.destroy_whole && is_all_whitespace(text) {
            text.clear();
        } else if rules.collapse {
            collapse_whitespace(text);
        }
        if last && rules.trim {
            right_trim(text);
        }
        encode(text, self.out)
    }
}

/// A start tag as read.
struct Tag<'h> {
    /// Lowercase ASCII letters, digits and `-`.
    name: &'h [u8],
    /// `<name>` with nothing else.
    bare: bool,
    /// Ends in `/>`.
    self_closing: bool,
    /// Just after the `>`.
    end: usize,
}

impl<'h> Tag<'h> {
    /// The tag at `lt`, if written plainly: attribute values quoted, names
    /// of lowercase letters, digits and `-`.
    fn read(html: &'h [u8], lt: usize) -> Option<Tag<'h>> {
        let is_name = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
        let name_len = html[lt + 1..].iter().take_while(|c| is_name(c)).count();
        let name = &html[lt + 1..lt + 1 + name_len];
        let mut at = lt + 1 + name_len;
        let mut self_closing = false;
        loop {
            match *html.get(at)? {
                b'>' => break,
                b'/' if html.get(at + 1) == Some(&b'>') => {
                    self_closing = true;
                    at += 1;
                }
                c if WHITESPACE[c] => at += 1,
                _ if at > lt + 1 + name_len && WHITESPACE[html[at - 1]] => {
                    at = attribute(html, at)?
                }
                _ => return None,
            }
        }
        Some(Tag {
            name,
            bare: at == lt + 1 + name_len,
            self_closing,
            end: at + 1,
        })
    }
}

/// The end of the attribute at `at`: a name, and a value in quotes if any.
fn attribute(html: &[u8], at: usize) -> Option<usize> {
    let is_name = |c: &u8| !(WHITESPACE[*c] || b"/=>\"'<`".contains(c));
    let name_len = html[at..].iter().take_while(|c| is_name(c)).count();
    let after = at + name_len;
    match html.get(after)? {
        _ if name_len == 0 => None,
        b'=' => {
            let quote = *html.get(after + 1)?;
            (quote == b'"' || quote == b'\'').then_some(())?;
            let len = memchr::memchr(quote, html.get(after + 2..)?)?;
            let end = after + 2 + len + 1;
            let next = *html.get(end)?;
            (WHITESPACE[next] || next == b'>' || next == b'/').then_some(end)
        }
        c if WHITESPACE[*c] || *c == b'>' || *c == b'/' => Some(after),
        _ => None,
    }
}

/// Write a start tag whose attributes are all simple as minify-html writes
/// it, and return `true`; `false` (and nothing written) for any other. An
/// attribute is simple when its name is lowercase ASCII letters, digits and
/// `-`, met once, not `style`, and its value (if any) is printable ASCII
/// without whitespace, quotes, `=`, `<`, `>`, `` ` `` or `&`: such a value
/// needs neither decoding nor quotes. minify-html then drops a value that is
/// the attribute's default (or empty where that is redundant), writes a
/// boolean or empty one as the bare name, and writes the others unquoted,
/// all sorted by name. `<meta>` (the viewport's value is rewritten),
/// `<input>` (`type=text` depends on a setting) and `/>` are left to it.
fn simple_start_tag<'h>(
    source: &'h [u8],
    name: &[u8],
    attributes: &mut Vec<(&'h [u8], &'h [u8])>,
    out: &mut Vec<u8>,
) -> bool {
    if name == b"meta" || name == b"input" || !simple_attributes(source, name.len(), attributes) {
        return false;
    }
    attributes.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let rules = |attribute: &[u8]| ATTRS.get(Namespace::Html, name, attribute);
    let lowercased = |(attribute, value): &(&[u8], &[u8])| {
        rules(attribute).is_some_and(|r| r.case_insensitive)
            && value.iter().any(u8::is_ascii_uppercase)
    };
    if attributes.windows(2).any(|w| w[0].0 == w[1].0) || attributes.iter().any(lowercased) {
        return false;
    }
    out.push(b'<');
    out.extend_from_slice(name);
    for &(attribute, value) in attributes.iter() {
        let rules = rules(attribute);
        let redundant = rules.is_some_and(|r| {
            (value.is_empty() && r.redundant_if_empty) || r.default_value == Some(value)
        });
        if redundant {
            continue;
        }
        out.push(b' ');
        out.extend_from_slice(attribute);
        if !value.is_empty() && !rules.is_some_and(|r| r.boolean) {
            out.push(b'=');
            out.extend_from_slice(value);
        }
    }
    out.push(b'>');
    true
}

/// The attributes of a start tag read by [`Tag::read`] (name, then value
/// without its quotes), if all are simple (see [`simple_start_tag`]).
fn simple_attributes<'h>(
    source: &'h [u8],
    name_len: usize,
    attributes: &mut Vec<(&'h [u8], &'h [u8])>,
) -> bool {
    let is_name = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-';
    let is_value = |c: &u8| (0x21..0x7F).contains(c) && !b"\"'=<>`&".contains(c);
    attributes.clear();
    let byte = |at: usize| source.get(at).copied().unwrap_or(b'/');
    let mut at = 1 + name_len;
    loop {
        while WHITESPACE[byte(at)] {
            at += 1;
        }
        if byte(at) == b'>' {
            return true;
        }
        let len = source[at..].iter().take_while(|c| is_name(c)).count();
        let attribute = &source[at..at + len];
        at += len;
        let value: &[u8] = match byte(at) {
            b'=' => {
                let quote = byte(at + 1);
                let rest = source.get(at + 2..).unwrap_or_default();
                let Some(len) = memchr::memchr(quote, rest).filter(|_| quote != b'/') else {
                    return false;
                };
                at += 2 + len + 1;
                &rest[..len]
            }
            c if WHITESPACE[c] || c == b'>' => b"",
            _ => return false,
        };
        if len == 0 || attribute == b"style" || !value.iter().all(is_value) {
            return false;
        }
        attributes.push((attribute, value));
    }
}

/// The text with the [`ESCAPES`] decoded; `None` for any other `&`.
/// Written into `text`, which is cleared first.
fn decode(raw: &[u8], text: &mut Vec<u8>) -> Option<()> {
    text.clear();
    let mut rest = raw;
    while let Some(amp) = memchr::memchr(b'&', rest) {
        text.extend_from_slice(&rest[..amp]);
        rest = &rest[amp..];
        let (escape, byte) = ESCAPES.iter().find(|(e, _)| rest.starts_with(e))?;
        text.push(*byte);
        rest = &rest[escape.len()..];
    }
    text.extend_from_slice(rest);
    Some(())
}

/// Append decoded text as minify-html writes it: `&` escaped where it
/// would begin an entity, every `<` escaped; `None` for the two
/// characters it writes as entities (left to minify-html).
fn encode(text: &[u8], out: &mut Vec<u8>) -> Option<()> {
    if memchr::memchr(0xE2, text).is_some()
        && SHORTER_AS_ENTITY
            .iter()
            .any(|s| memmem::find(text, s.as_bytes()).is_some())
    {
        return None;
    }
    let mut rest = text;
    while let Some(at) = memchr::memchr2(b'&', b'<', rest) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        if rest[0] == b'<' {
            out.extend_from_slice(b"&lt;");
            rest = &rest[1..];
            continue;
        }
        let (start, end) = match ENTITY.longest_matching_prefix(rest) {
            TrieNodeMatch::NotFound { reached } => (0, reached.max(1)),
            TrieNodeMatch::Found { len, .. } => {
                out.extend_from_slice(b"&amp;");
                (1, len)
            }
        };
        out.extend_from_slice(&rest[start..end]);
        rest = &rest[end..];
    }
    out.extend_from_slice(rest);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> minify_html::Cfg {
        crate::output::minify::Minifier::new().cfg().clone()
    }

    /// The pass's result (start tags through minify-html), if it follows `html`.
    fn fast(html: &str) -> Option<String> {
        let cfg = cfg();
        let mut out = Vec::new();
        let mut tag = |t: &[u8], out: &mut Vec<u8>| {
            out.extend_from_slice(&minify_html::minify(t, &cfg));
        };
        minify(html.as_bytes(), &mut out, &mut tag).then(|| String::from_utf8(out).unwrap())
    }

    fn slow(html: &str) -> String {
        String::from_utf8(minify_html::minify(html.as_bytes(), &cfg())).unwrap()
    }

    #[test]
    fn markdown_html_is_minified_as_minify_html_does() {
        let cases = [
            "<article class=\"prose\" data-pagefind-body>\n  <h1>Titel</h1>\n  <h2 id=\"ueberblick\">Überblick</h2>\n<p>Ein  Satz\nmit <a href=\"/schritte/#pvog\">Link</a> und <code>x &lt; y</code>.</p>\n<ul>\n<li>eins</li>\n<li> zwei </li>\n</ul>\n</article>",
            "<table><thead><tr><th>A</th><th style=\"text-align: left\">B</th></tr></thead><tbody>\n<tr><td>1 &amp; 2</td><td>&quot;x&quot; &#39;y&#39; &#x27;z&#x27; a&#x2F;b</td></tr>\n</tbody></table>",
            "<pre><code class=\"language-xml\">&lt;a&gt;\n  text   &amp;amp; more\n&lt;/a&gt;\n</code></pre>",
            "<p>AT&amp;T &amp;copy &amp;amp x&lt;y x&lt;3 &amp;#39;</p>",
            "<blockquote>\n<p>Zitat</p>\n</blockquote>\n<hr>\n<p>a<br>b<br />c <img src=\"/x.png\" alt=\"Ein Bild\"/></p>",
            "<div>  <span> a </span>  <em>b</em> </div>",
            "<ol start=\"3\">\n<li><p>x</p>\n</li>\n</ol>",
            " text at the root ",
        ];
        for html in cases {
            assert_eq!(fast(html).as_deref(), Some(slow(html).as_str()), "{html}");
        }
    }

    /// Repeated attributes, `>` inside a quoted value, deep nesting and a
    /// long text: followed, and written as minify-html writes them.
    #[test]
    fn odd_but_plain_html_is_minified_as_minify_html_does() {
        let deep = format!("{}x{}", "<div> ".repeat(250), " </div>".repeat(250));
        let long = format!("<p>{}</p>", "Wort  &amp; \n ".repeat(20_000));
        let cases = [
            "<a href=\"/a/\" href=\"/b/\" title=\"1 > 0\">x</a>".to_string(),
            deep,
            long,
        ];
        for html in &cases {
            assert_eq!(
                fast(html).as_deref(),
                Some(slow(html).as_str()),
                "{html:.80}"
            );
        }
    }

    /// Start tags whose attributes are simple are written by the pass
    /// itself, as minify-html writes them; the others are handed on.
    #[test]
    fn simple_start_tags_are_written_as_minify_html_writes_them() {
        let simple = [
            "<a href=\"/schritte/#pvog\">",
            "<h2 id=\"ueberblick\">",
            "<a class=\"kern-link\" href=\"/a/\" hidden>",
            "<form method=\"get\" action=\"/suche/\" role=\"search\">",
            "<button type=\"submit\" class=\"b\">",
            "<td colspan=\"1\" rowspan=\"2\">",
            "<div data-x data-y=\"\" aria-hidden='true'>",
            "<option selected=\"selected\" value=\"\">",
            "<ol  start=\"3\"\n>",
            "<p dir=\"LTR\">",
            "<button type=\"button\">",
        ];
        for tag in simple {
            assert_eq!(written_simply(tag), Some(slow(tag)), "{tag}");
        }
        let handed_on = [
            "<a href=\"/a/?b=1&amp;c=2\">",
            "<p class=\"a b\">",
            "<p style=\"color:red\">",
            "<button type=\"SUBMIT\">",
            "<p id=\"a\" id=\"b\">",
            "<p title=\"\u{e4}\">",
            "<meta name=\"viewport\" content=\"x\">",
            "<input type=\"text\" id=\"x\">",
            "<p data-Gross=\"x\">",
            "<p x=\"`\">",
        ];
        for tag in handed_on {
            assert_eq!(written_simply(tag), None, "{tag}");
        }
    }

    /// What [`simple_start_tag`] writes for `tag`; `None` when it writes nothing.
    fn written_simply(tag: &str) -> Option<String> {
        let mut out = Vec::new();
        let name_len = tag[1..].find([' ', '\n']).unwrap();
        let name = &tag.as_bytes()[1..1 + name_len];
        let written = simple_start_tag(tag.as_bytes(), name, &mut Vec::new(), &mut out);
        assert_eq!(written, !out.is_empty(), "{tag}");
        written.then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn what_the_pass_does_not_follow_is_left_to_minify_html() {
        let cases = [
            "<p>a<!-- c --></p>",
            "<p>&nbsp;</p>",
            "<p>a <div>b</div></p>",
            "<p>a</div>",
            "<p>open",
            "<script>var a = 1 < 2;</script>",
            "<svg><path d=\"M0\"/></svg>",
            "<P>x</P>",
            "<p>a < b</p>",
            "<a href=x>y</a>",
            "<div/>",
            "<p>\u{226B}\u{20D2}</p>",
            "<li>a<li>b",
        ];
        for html in cases {
            assert_eq!(fast(html), None, "{html}");
        }
    }

    use proptest::prelude::*;

    const NAMES: [&str; 22] = [
        "p",
        "li",
        "ul",
        "ol",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "span",
        "div",
        "h2",
        "table",
        "tr",
        "td",
        "th",
        "br",
        "img",
        "hr",
        "blockquote",
        "article",
        "dl",
    ];

    fn text() -> impl Strategy<Value = String> {
        let bits = [
            "Wort",
            "Straße",
            " ",
            "  ",
            "\n",
            "\t",
            "&amp;",
            "&lt;",
            "&gt;",
            "&quot;",
            "&#39;",
            "&#x27;",
            "&#x2F;",
            "&nbsp;",
            "<",
            ">",
            "&copy",
            "&amp;copy",
            "&amp;amp",
            "\u{226B}\u{20D2}",
            "–",
            "„x“",
            "a&amp;#39",
            "x&lt;y",
            "=",
        ];
        proptest::collection::vec(proptest::sample::select(bits.to_vec()), 0..6)
            .prop_map(|b| b.concat())
    }

    fn attributes() -> impl Strategy<Value = String> {
        let attrs = [
            "",
            " id=\"a-b\"",
            " href=\"/a/?b=1&amp;c=2#x\"",
            " class=\" x  y \"",
            " style=\"color: red\"",
            " title='q\"q'",
            " data-x",
            " data-y=\"\"",
            "/",
            " alt=\"ein Bild\" src=\"/b.png\"",
            " ID=\"Gross\"",
            " hidden",
            " disabled=\"disabled\"",
            " type=\"submit\"",
            " method=\"get\"",
            " dir=\"LTR\"",
            " dir=\"ltr\"",
            " target=\"_self\"",
            " aria-hidden=\"true\" class=\"k\"",
            " colspan=\"1\"",
            " id=\"x\" id=\"y\"",
            " data-z='a/b:c?d#e'",
            " href=\"/a/\" lang=\"de\"",
            " value=\"\" width=\"10\"",
            " data-\u{e4}=\"\u{fc}\"",
            " for=\"x\" tabindex=\"-1\"",
        ];
        proptest::sample::select(attrs.to_vec()).prop_map(str::to_string)
    }

    /// HTML as pulldown-cmark and the theme write it, and some that is not.
    fn html() -> impl Strategy<Value = String> {
        let leaf = text();
        leaf.prop_recursive(5, 48, 6, |inner| {
            let children = proptest::collection::vec(inner, 0..5);
            let name = proptest::sample::select(NAMES.to_vec());
            let end = prop_oneof![8 => Just(true), 1 => Just(false)];
            (name, attributes(), children, end, text()).prop_map(|(n, a, c, end, t)| {
                let close = if end {
                    format!("</{n}>")
                } else {
                    String::new()
                };
                format!("{t}<{n}{a}>{}{close}", c.concat())
            })
        })
    }

    /// Wherever the pass follows the HTML, it writes what minify-html
    /// writes; and it follows a good share of it (else this would prove little).
    #[test]
    fn fuzz_the_pass_agrees_with_minify_html() {
        let config = crate::fuzz::config();
        let cases = config.cases as usize;
        let mut runner = proptest::test_runner::TestRunner::new(config);
        let followed = std::cell::Cell::new(0);
        let result = runner.run(&html(), |html| {
            if let Some(fast) = fast(&html) {
                followed.set(followed.get() + 1);
                prop_assert_eq!(fast, slow(&html), "{}", html);
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
        assert!(
            followed.get() * 8 >= cases,
            "followed {} of {cases}",
            followed.get()
        );
    }
}
