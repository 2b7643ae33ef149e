//! Markdown → HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! task lists, heading ids (German slugs, unique per output page), `@/`
//! links resolved to URLs, shortcodes rendered through the caller, and fenced
//! code highlighted at build time.

pub(crate) mod link_scheme;
pub(crate) mod nesting;
mod raw_html;
pub(crate) mod shortcodes;

use std::path::PathBuf;

use pulldown_cmark::{
    html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

use crate::diagnostics::{did_you_mean_as, Code, Diagnostic, Position};
use crate::highlight::Highlighter;
use crate::model::MarkdownBody;
use crate::slug::{slugify, IdRegistry};
use shortcodes::Call;

/// What the renderer needs from the rest of the site.
pub(crate) trait Env: Sync {
    /// The URL of a file under `content/` named by an `@/` link.
    fn resolve(&self, source: &str) -> Option<String>;
    /// The path the site is published under (`/`, or `/portal/` for a
    /// sub-path): a root-relative address in Markdown (`/status/`) names a
    /// page of the site, so it is written below this path.
    fn base_path(&self) -> &str {
        "/"
    }
    /// Every source path a link may name (for "did you mean").
    fn known_sources(&self) -> Vec<&str>;
    /// Whether a source path is a draft left out of this build.
    fn is_draft(&self, source: &str) -> bool;
    /// Whether a source file exists but was left out for errors of its own
    /// (reported there, so a link to it is not reported a second time).
    fn has_errors(&self, _source: &str) -> bool {
        false
    }
    /// Render one shortcode call to HTML, or say what is wrong (message, hint).
    fn shortcode(&self, call: &Call) -> Result<String, (String, Option<String>)>;
}

/// A link written in a Markdown body, with where it stands: checked over
/// the finished pages by the one link checker (`crate::links`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkRef {
    pub file: PathBuf,
    pub position: Position,
    pub kind: LinkKind,
    /// The source path (`LinkKind::Source`) or site address (`LinkKind::Address`) it names.
    pub target: String,
    pub anchor: Option<String>,
    /// The `href` as written into the page.
    pub href: String,
}

/// How a link names its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LinkKind {
    /// `@/datei.md#anker`, or `#anker` on the page itself.
    Source,
    /// A root-relative address such as `/dienste/`.
    Address,
}

/// One rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    pub html: String,
    pub links: Vec<LinkRef>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Render a Markdown body; heading ids are taken from `ids`, headings are
/// moved `heading_offset` levels down (for steps inside a service page).
pub(crate) fn render(
    body: &MarkdownBody,
    env: &dyn Env,
    highlighter: &Highlighter,
    ids: &mut IdRegistry,
    heading_offset: u8,
) -> Rendered {
    let mut out = Rendered::default();
    let extracted = shortcodes::extract(body.text());
    let at = |p: Position| p.below(body.lines_before);
    for p in &extracted.problems {
        out.diagnostics.push(
            Diagnostic::error(
                Code::ShortcodeSyntax,
                &body.file,
                at(p.position),
                &p.message,
            )
            .with_hint(&p.hint),
        );
    }
    let snippets: Vec<String> = extracted
        .calls
        .iter()
        .map(|call| {
            env.shortcode(call).unwrap_or_else(|(message, hint)| {
                let mut d =
                    Diagnostic::error(Code::Shortcode, &body.file, at(call.position), message);
                d.hint = hint;
                out.diagnostics.push(d);
                String::new()
            })
        })
        .collect();
    let line_starts = line_starts(&extracted.text);
    let mut pass = Pass {
        body,
        env,
        highlighter,
        ids,
        heading_offset,
        line_starts: &line_starts,
        out: &mut out,
    };
    let events = pass.transform(&extracted.text);
    let mut html_out = String::with_capacity(extracted.text.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    out.html = insert_snippets(html_out, &snippets);
    out
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::with_capacity(text.len() / 32 + 1);
    starts.push(0);
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

/// One rendering pass over the events of a body.
struct Pass<'a> {
    body: &'a MarkdownBody,
    env: &'a dyn Env,
    highlighter: &'a Highlighter,
    ids: &'a mut IdRegistry,
    heading_offset: u8,
    line_starts: &'a [usize],
    out: &'a mut Rendered,
}

impl Pass<'_> {
    fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        Position::new(line, column).below(self.body.lines_before)
    }

    /// Report raw HTML that could run code, and nesting too deep to minify.
    fn check_events(&mut self, events: &[(Event, std::ops::Range<usize>)], text: &str) {
        let unsafe_html =
            raw_html::warnings(events, text, &self.body.file, |o| self.position(text, o));
        self.out.diagnostics.extend(unsafe_html);
        if let Some(at) = nesting::too_deep(events, text) {
            let position = self.position(text, at);
            let d = nesting::diagnostic(&self.body.file, position);
            self.out.diagnostics.push(d);
        }
    }

    fn transform<'e>(&mut self, text: &'e str) -> Vec<Event<'e>> {
        // About one event per 27 bytes in the guide and the benchmark corpus
        // (at most one per 16): room for them all at once, no regrowing.
        let mut events: Vec<(Event<'e>, std::ops::Range<usize>)> =
            Vec::with_capacity(text.len() / 16 + 16);
        events.extend(Parser::new_ext(text, options()).into_offset_iter());
        self.check_events(&events, text);
        let mut out = Vec::with_capacity(events.len());
        // For each open link: whether it is external (closed with a marker).
        let mut external_depth: Vec<bool> = Vec::new();
        let mut i = 0;
        while i < events.len() {
            let (event, range) = &events[i];
            match event {
                Event::Start(Tag::Heading { .. }) => i = self.heading(&events, i, &mut out),
                Event::Start(Tag::CodeBlock(kind)) => {
                    i = self.code_block(kind, &events, i, text, &mut out)
                }
                Event::Start(Tag::Link {
                    dest_url, title, ..
                }) if is_external(dest_url) => {
                    let _ = self.link(dest_url, text, range.start);
                    out.push(Event::InlineHtml(CowStr::from(external_open(
                        dest_url, title,
                    ))));
                    external_depth.push(true);
                    i += 1;
                }
                Event::End(TagEnd::Link) if external_depth.pop() == Some(true) => {
                    out.push(Event::InlineHtml(CowStr::from(
                        "<span class=\"kern-sr-only\"> (externer Link)</span></a>",
                    )));
                    i += 1;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    external_depth.push(false);
                    let dest = self.link(dest_url, text, range.start);
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                    i += 1;
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest = self.image(dest_url, text, range.start);
                    out.push(Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: dest,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                    i += 1;
                }
                Event::TaskListMarker(done) => {
                    out.push(Event::InlineHtml(CowStr::from(task_checkbox(*done))));
                    i += 1;
                }
                other => {
                    out.push(other.clone());
                    i += 1;
                }
            }
        }
        out
    }

    /// An image's source: like a link's, but named as an image in errors.
    fn image<'e>(&mut self, dest: &CowStr<'e>, text: &str, offset: usize) -> CowStr<'e> {
        if !self.safe_scheme(dest, text, offset, true) {
            return CowStr::from("");
        }
        self.link(dest, text, offset)
    }

    /// Whether a link or image target has an allowed scheme; if not, an `unsafe-link` error.
    fn safe_scheme(&mut self, dest: &str, text: &str, offset: usize, image: bool) -> bool {
        let Some(scheme) = link_scheme::forbidden_scheme(dest) else {
            return true;
        };
        let position = self.position(text, offset);
        let d = link_scheme::unsafe_link(&self.body.file, position, dest, &scheme, image);
        self.out.diagnostics.push(d);
        false
    }

    /// Resolve `@/path.md#anchor`; other destinations stay as they are.
    fn link<'e>(&mut self, dest: &CowStr<'e>, text: &str, offset: usize) -> CowStr<'e> {
        if !self.safe_scheme(dest, text, offset, false) {
            return CowStr::from("");
        }
        let Some(rest) = dest.strip_prefix("@/") else {
            if let Some(problem) = malformed_url(dest) {
                let position = self.position(text, offset);
                let d = Diagnostic::error(Code::MalformedUrl, &self.body.file, position, format!("Die Adresse „{dest}“ ist keine gültige Webadresse: {problem}."))
                    .with_hint("Schreiben Sie Webadressen vollständig, z. B. https://www.beispiel.de/seite, ohne Leerzeichen; Links auf eigene Seiten als @/datei.md.");
                self.out.diagnostics.push(d);
            }
            if let Some(anchor) = dest.strip_prefix('#').filter(|a| !a.is_empty()) {
                self.same_page_anchor(anchor, text, offset);
            } else if dest.starts_with('/') && !dest.starts_with("//") {
                let href = format!("{}{}", self.env.base_path(), &dest[1..]);
                self.address_link(dest, &href, text, offset);
                return CowStr::from(href);
            }
            return dest.clone();
        };
        let (target, anchor) = match rest.split_once('#') {
            Some((t, a)) => (t, Some(a.to_string())),
            None => (rest, None),
        };
        let position = self.position(text, offset);
        match self.env.resolve(target) {
            Some(url) => {
                let fragment = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                let href = format!("{url}{fragment}");
                self.out.links.push(LinkRef {
                    file: self.body.file.clone(),
                    position,
                    kind: LinkKind::Source,
                    target: target.to_string(),
                    anchor,
                    href: href.clone(),
                });
                CowStr::from(href)
            }
            None if self.env.has_errors(target) => dest.clone(),
            None => {
                self.out
                    .diagnostics
                    .push(self.missing_target(target, position));
                dest.clone()
            }
        }
    }

    /// `[…](#anker)` on the page itself: checked like `@/` anchors, against this page's ids.
    fn same_page_anchor(&mut self, anchor: &str, text: &str, offset: usize) {
        let file = self.body.file.to_string_lossy().replace('\\', "/");
        let Some(source) = file.strip_prefix("content/") else {
            return;
        };
        let position = self.position(text, offset);
        self.out.links.push(LinkRef {
            file: self.body.file.clone(),
            position,
            kind: LinkKind::Source,
            target: source.to_string(),
            anchor: Some(anchor.to_string()),
            href: format!("#{anchor}"),
        });
    }

    /// `[…](/dienste/)`: a root-relative address, checked against the finished site.
    /// A root-relative address `dest` as the editor wrote it, and the
    /// `href` it becomes (below the site's base path).
    fn address_link(&mut self, dest: &str, href: &str, text: &str, offset: usize) {
        let (target, anchor) = match dest.split_once('#') {
            Some((t, a)) => (t, Some(a.to_string()).filter(|a| !a.is_empty())),
            None => (dest, None),
        };
        let position = self.position(text, offset);
        self.out.links.push(LinkRef {
            file: self.body.file.clone(),
            position,
            kind: LinkKind::Address,
            target: target.to_string(),
            anchor,
            href: href.to_string(),
        });
    }

    fn missing_target(&self, target: &str, position: Position) -> Diagnostic {
        let file = &self.body.file;
        if self.env.is_draft(target) {
            return Diagnostic::error(Code::LinkToDraft, file, position, format!("Der Link zeigt auf „@/{target}“, einen Entwurf (draft: true), der nicht veröffentlicht wird."))
                .with_hint("Entfernen Sie den Link oder „draft: true“ in der Zielseite; mit --drafts wird sie zur Vorschau mitgebaut.");
        }
        let known = self.env.known_sources();
        let hint = did_you_mean_as(target, known.iter().copied(), |best| format!("@/{best}"))
            .unwrap_or_else(|| "Links nennen die Datei ab content/, z. B. [Schritt 2](@/schritte/02-informationen-hinterlegen.md).".into());
        Diagnostic::error(
            Code::BrokenLink,
            file,
            position,
            format!("Der Link zeigt auf „@/{target}“, diese Datei gibt es nicht."),
        )
        .with_hint(hint)
    }

    /// Give a heading its unique id and its level on this page.
    fn heading<'e>(
        &mut self,
        events: &[(Event<'e>, std::ops::Range<usize>)],
        start: usize,
        out: &mut Vec<Event<'e>>,
    ) -> usize {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = &events[start].0
        else {
            unreachable!("called on a heading start")
        };
        let end = (start..events.len())
            .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
            .unwrap_or(events.len() - 1);
        let inner: String = events[start + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = id
            .as_ref()
            .map(|i| i.to_string())
            .unwrap_or_else(|| slugify(&inner));
        let unique = self.ids.unique(&base);
        let level = shift(*level, self.heading_offset);
        out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(unique)),
            classes: classes.clone(),
            attrs: attrs.clone(),
        }));
        out.extend(events[start + 1..end].iter().map(|(e, _)| e.clone()));
        out.push(Event::End(TagEnd::Heading(level)));
        end + 1
    }

    fn code_block<'e>(
        &mut self,
        kind: &CodeBlockKind,
        events: &[(Event<'e>, std::ops::Range<usize>)],
        start: usize,
        text: &str,
        out: &mut Vec<Event<'e>>,
    ) -> usize {
        let end = (start..events.len())
            .find(|&j| matches!(events[j].0, Event::End(TagEnd::CodeBlock)))
            .unwrap_or(events.len() - 1);
        let code: String = events[start + 1..end]
            .iter()
            .filter_map(|(e, _)| {
                if let Event::Text(t) = e {
                    Some(t.as_ref())
                } else {
                    None
                }
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let highlighted = (!lang.is_empty())
            .then(|| self.highlighter.highlight(&lang, &code))
            .flatten();
        if !lang.is_empty() && highlighted.is_none() {
            let position = self.position(text, events[start].1.start);
            self.out.diagnostics.push(
                Diagnostic::warning(Code::UnknownCodeLanguage, &self.body.file, position, format!("Für die Sprache „{lang}“ gibt es keine Hervorhebung; der Code wird ohne Farben gezeigt."))
                    .with_hint("Übliche Namen: xml, json, yaml, html, css, js, sh, rust."),
            );
        }
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(&lang))
        };
        let body = highlighted.unwrap_or_else(|| escape(&code));
        out.push(Event::Html(CowStr::from(format!(
            "<pre class=\"code\"{lang_attr}><code>{body}</code></pre>\n"
        ))));
        end + 1
    }
}

/// Why an external link (`http:`, `https:`, `mailto:`, `//…`) is not a usable URL, if it is not.
fn malformed_url(dest: &str) -> Option<String> {
    let lower = dest.to_ascii_lowercase();
    let external = ["http:", "https:", "mailto:", "www."]
        .iter()
        .any(|p| lower.starts_with(p))
        || dest.starts_with("//");
    if !external {
        return None;
    }
    if lower.starts_with("www.") {
        return Some("es fehlt „https://“ am Anfang".into());
    }
    if dest.contains(char::is_whitespace) {
        return Some("sie enthält Leerzeichen".into());
    }
    let absolute = if dest.starts_with("//") {
        format!("https:{dest}")
    } else {
        dest.to_string()
    };
    match url::Url::parse(&absolute) {
        Err(e) => Some(e.to_string()),
        Ok(u) if u.scheme() == "mailto" => crate::model::Email::parse(u.path())
            .err()
            .map(|_| "die E-Mail-Adresse ist unvollständig".into()),
        Ok(u)
            if u.host_str()
                .is_none_or(|h| !h.contains('.') && h != "localhost") =>
        {
            Some("der Rechnername fehlt oder ist unvollständig".into())
        }
        Ok(_) => None,
    }
}

/// Links to other websites (they are marked for readers as external).
fn is_external(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || dest.starts_with("//")
}

fn external_open(dest: &str, title: &str) -> String {
    let title = if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    };
    format!(
        "<a class=\"link-extern\" href=\"{}\"{title}>",
        escape_href(dest)
    )
}

fn escape_href(dest: &str) -> String {
    let mut out = String::with_capacity(dest.len());
    pulldown_cmark_escape::escape_href(&mut out, dest).expect("writing to a String cannot fail");
    out
}

/// A task-list checkbox with an accessible name (pulldown-cmark's own has none).
fn task_checkbox(done: bool) -> String {
    let (checked, label) = if done {
        (" checked", "erledigt")
    } else {
        ("", "offen")
    };
    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"Aufgabe {label}\"> ")
}

fn shift(level: HeadingLevel, by: u8) -> HeadingLevel {
    let n = (level as u8 + by).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// Put rendered shortcodes where their placeholders ended up; a placeholder
/// alone in a paragraph is replaced together with the `<p>` around it. One
/// pass over the HTML; each placeholder is replaced once.
fn insert_snippets(html: String, snippets: &[String]) -> String {
    if snippets.is_empty() {
        return html;
    }
    let mut out =
        String::with_capacity(html.len() + snippets.iter().map(String::len).sum::<usize>());
    let mut done = vec![false; snippets.len()];
    let mut rest = html.as_str();
    while let Some((before, index, after)) = shortcodes::next_placeholder(rest) {
        out.push_str(before);
        match snippets.get(index).filter(|_| !done[index]) {
            Some(snippet) => {
                done[index] = true;
                match after
                    .strip_prefix("</p>\n")
                    .filter(|_| out.ends_with("<p>"))
                {
                    Some(behind_block) => {
                        out.truncate(out.len() - "<p>".len());
                        out.push_str(snippet);
                        out.push('\n');
                        rest = behind_block;
                    }
                    None => {
                        out.push_str(snippet);
                        rest = after;
                    }
                }
            }
            None => {
                out.push_str(&shortcodes::placeholder(index));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
