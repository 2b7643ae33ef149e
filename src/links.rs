//! The one link checker, used by `build` and `check` alike. It runs over the
//! finished pages, so links that templates write are seen too:
//! - every link written in Markdown ([`LinkRef`], with file and line) must
//!   name a file of the built site, and its anchor an id of that page;
//! - every other root-relative `href`/`src` of a finished page (templates,
//!   raw HTML) must do the same, reported at the page's source or the theme.
//!
//! Pages are scanned one by one as they are rendered ([`scan`]), keeping only
//! their ids and the links that still need a look; [`check`] then looks at
//! them all. Links to files left out for errors of their own are not
//! reported again.

use std::borrow::Cow;
// foldhash: these sets hold every output of the site and are built each run.
use foldhash::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use memchr::memmem::Finder;
use rayon::prelude::*;

use crate::diagnostics::{did_you_mean_as, Code, Diagnostic, Position};
use crate::markdown::{LinkKind, LinkRef};
use crate::model::Site;
use crate::routes::{self, OutputPath};

/// Every output file of the build, by its path relative to the output folder.
pub(crate) type OutputPaths = HashSet<OutputPath>;

/// The URL of every output, as a template or page would write it.
pub(crate) type Urls = HashSet<String>;

/// Heading ids of each Markdown page's body, by source path.
pub(crate) type BodyIds<'a> = HashMap<&'a str, &'a [String]>;

/// What the check keeps of one finished HTML page.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageScan {
    /// The page's output file, e.g. `dienste/index.html`.
    pub output: OutputPath,
    /// Every `id` on the page.
    pub ids: Ids,
    /// Root-relative links not written in Markdown whose target is missing
    /// or that name an anchor: the only ones [`check`] must look at again.
    pub open: Vec<String>,
    /// Files of `content/downloads/` the page links to (for `check`'s orphans).
    pub downloads: Vec<OutputPath>,
}

/// The ids of a page, kept in one allocation (a page has dozens and a site
/// thousands of pages): NUL-separated, as no id holds a NUL (content with
/// one is refused).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ids(Box<str>);

impl Ids {
    fn of<'a>(ids: impl Iterator<Item = Cow<'a, str>>) -> Ids {
        let mut all = String::new();
        for id in ids {
            all.push_str(&id);
            all.push('\0');
        }
        Ids(all.into_boxed_str())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split_terminator('\0')
    }
}

/// What a page scan checks links against.
pub(crate) struct Targets<'a> {
    pub outputs: &'a OutputPaths,
    /// The URL of every output (`/dienste/`, `/status.csv`): a link written
    /// exactly so needs no further look.
    pub urls: &'a Urls,
    /// The site's base path, e.g. `/` or `/portal/`.
    pub base: &'a str,
}

/// Scan one finished page. `written` are the Markdown links on it (checked
/// with their line instead).
pub(crate) fn scan(
    output: &OutputPath,
    html: &[u8],
    written: &[&LinkRef],
    targets: &Targets,
) -> PageScan {
    let written: HashSet<&str> = written.iter().map(|l| l.href.as_str()).collect();
    let mut page = PageScan {
        output: output.clone(),
        ids: Ids::of(attribute_values(html, &ID)),
        ..PageScan::default()
    };
    let downloads = format!("{}{}", targets.base, routes::DOWNLOADS);
    let refs = attribute_values(html, &HREF).chain(attribute_values(html, &SRC));
    for href in refs.filter(|v| v.starts_with('/') && !v.starts_with("//") || v.starts_with('#')) {
        if targets.urls.contains(href.as_ref()) {
            if href.starts_with(&downloads) {
                page.downloads.extend(resolve(&href, targets.base));
            }
            continue;
        }
        let (path, fragment) = split_fragment(&href);
        let target = if path.is_empty() {
            Some(output.clone())
        } else {
            resolve(path, targets.base)
        };
        if let Some(download) = target.as_ref().filter(|t| t.starts_with(routes::DOWNLOADS)) {
            page.downloads.push(download.clone());
        }
        let open = target.is_none_or(|t| !targets.outputs.contains(&t))
            || fragment.is_some_and(|f| !f.is_empty());
        if open && !written.contains(href.as_ref()) {
            page.open.push(href.into_owned());
        }
    }
    page.downloads.sort();
    page.downloads.dedup();
    page.open.sort();
    page.open.dedup();
    page
}

/// The finished site as the check sees it.
pub(crate) struct Finished<'a> {
    pub site: &'a Site,
    pub outputs: &'a OutputPaths,
    pub pages: &'a [PageScan],
    /// Heading ids of each Markdown page's body, by source path (for hints).
    pub body_ids: &'a BodyIds<'a>,
}

/// Every broken link and anchor of the finished site.
pub(crate) fn check(finished: &Finished, written: &[LinkRef]) -> Vec<Diagnostic> {
    let ids: HashMap<&str, PageIds> = (finished.pages.iter())
        .map(|p| (p.output.as_str(), (&p.ids, OnceLock::new())))
        .collect();
    let left_out: HashSet<OutputPath> = finished
        .site
        .paths_with_errors()
        .map(|p| routes::output_file(&p))
        .collect();
    let checker = Checker {
        finished,
        ids,
        left_out,
        base: finished.site.config.base_url.path(),
    };
    // Where a target leads is looked up once per target, however many
    // links name it; then the links are checked in parallel, in their
    // order. A step's link is met once per page the step is shown on; its
    // diagnostics are equal, and `Diagnostics::sorted` keeps one.
    let mut resolved: HashMap<(LinkKind, &str), Resolved> = HashMap::default();
    for l in written {
        (resolved.entry((l.kind, l.target.as_str()))).or_insert_with(|| checker.resolve(l));
    }
    let mut out: Vec<Diagnostic> = (written.par_iter().with_min_len(1024))
        .filter_map(|l| checker.written(l, &resolved[&(l.kind, l.target.as_str())]))
        .collect();
    out.extend(checker.open_links());
    out
}

/// A page's ids, and the same as a set, made when a link first points into
/// the page (a status page holds thousands) and shared by the threads
/// checking links.
type PageIds<'a> = (&'a Ids, OnceLock<HashSet<&'a str>>);

/// Where a Markdown link's target leads.
enum Resolved {
    /// A file left out for errors of its own (reported there).
    LeftOut,
    /// Nothing of the built site.
    Missing,
    Output(OutputPath),
}

struct Checker<'a> {
    finished: &'a Finished<'a>,
    ids: HashMap<&'a str, PageIds<'a>>,
    left_out: HashSet<OutputPath>,
    base: &'a str,
}

impl<'a> Checker<'a> {
    /// Whether the page `target` has the id; `None` when it is no page of the site.
    fn has_id(&self, target: &str, id: &str) -> Option<bool> {
        let (ids, set) = self.ids.get(target)?;
        Some(set.get_or_init(|| ids.iter().collect()).contains(id))
    }

    /// Where a Markdown link's target leads. A source path that names no
    /// file has been reported by the Markdown stage already (`LeftOut`).
    fn resolve(&self, link: &LinkRef) -> Resolved {
        let target = match link.kind {
            LinkKind::Source => match self.finished.site.link_targets.get(link.target.as_str()) {
                Some(site_path) => Some(routes::output_file(site_path)),
                None => return Resolved::LeftOut,
            },
            // written from the site's root, whatever its base path
            LinkKind::Address => resolve(&link.target, "/"),
        };
        match target {
            Some(t) if self.left_out.contains(&t) => Resolved::LeftOut,
            Some(t) if self.finished.outputs.contains(&t) => Resolved::Output(t),
            _ => Resolved::Missing,
        }
    }

    /// A link written in Markdown, reported at its line.
    fn written(&self, link: &LinkRef, target: &Resolved) -> Option<Diagnostic> {
        let target = match target {
            Resolved::LeftOut => return None,
            Resolved::Missing => return Some(missing_address(link)),
            Resolved::Output(target) => target,
        };
        let anchor = link.anchor.as_deref().filter(|a| !a.is_empty())?;
        if self.has_id(target, anchor)? {
            return None;
        }
        let body_ids = match link.kind {
            LinkKind::Source => self.finished.body_ids.get(link.target.as_str()).copied(),
            LinkKind::Address => None,
        };
        Some(missing_anchor(link, anchor, body_ids.unwrap_or_default()))
    }

    /// Links of the finished pages that no Markdown line wrote, the pages
    /// checked in parallel (the problems come out in the pages' order).
    fn open_links(&self) -> Vec<Diagnostic> {
        let problems: Vec<(&OutputPath, (Code, String))> = (self.finished.pages.par_iter())
            .flat_map_iter(|page| page.open.iter().map(move |href| (page, href)))
            .filter_map(|(page, href)| Some((&page.output, self.problem(page, href)?)))
            .collect();
        if problems.is_empty() {
            return Vec::new();
        }
        let sources = source_files(self.finished.site);
        let theme = &self.finished.site.config.theme;
        (problems.into_iter())
            .map(|(output, (code, what))| link_problem(&sources, theme, output, code, &what))
            .collect()
    }

    fn problem(&self, page: &PageScan, href: &str) -> Option<(Code, String)> {
        let (path, fragment) = split_fragment(href);
        let target = if path.is_empty() {
            Some(page.output.clone())
        } else {
            resolve(path, self.base)
        };
        if target.as_ref().is_some_and(|t| self.left_out.contains(t)) {
            return None;
        }
        let Some(target) = target.filter(|t| self.finished.outputs.contains(t)) else {
            let what =
                format!("verlinkt auf „{href}“, diese Adresse gibt es in der gebauten Site nicht");
            return Some((Code::BrokenLink, what));
        };
        let fragment = fragment.filter(|f| !f.is_empty() && target.ends_with(".html"))?;
        (!self.has_id(&target, fragment)?).then(|| {
            let what = format!("verlinkt auf „{href}“, dort gibt es den Anker „#{fragment}“ nicht");
            (Code::BrokenAnchor, what)
        })
    }
}

/// A Markdown link to an address the built site does not have.
fn missing_address(link: &LinkRef) -> Diagnostic {
    Diagnostic::error(
        Code::BrokenLink,
        &link.file,
        link.position,
        format!("Der Link zeigt auf „{}“, diese Adresse gibt es in der gebauten Site nicht.", written(link)),
    )
    .with_hint("Links auf eigene Seiten schreiben Sie am besten als @/datei.md (z. B. [Schritt 2](@/schritte/02-informationen-hinterlegen.md)): dann prüft der Generator sie beim Bauen.")
}

/// The link as the editor wrote it: a root-relative address as it stands
/// in the Markdown (the page has it below the base path), else the `href`.
fn written(link: &LinkRef) -> &str {
    match link.kind {
        LinkKind::Address => &link.target,
        LinkKind::Source => &link.href,
    }
}

/// A Markdown link whose page exists but lacks the anchor.
fn missing_anchor(link: &LinkRef, anchor: &str, ids: &[String]) -> Diagnostic {
    let hint = match did_you_mean_as(anchor, ids.iter().map(String::as_str), |best| format!("#{best}")) {
        Some(question) => format!("{question} Anker entstehen aus Überschriften; eigene Anker schreiben Sie als „## Titel {{#anker}}“."),
        None if ids.is_empty() => "Die Zielseite hat keine Überschriften mit Anker.".into(),
        None => format!("Vorhandene Anker: {}.", ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")),
    };
    let target = match link.kind {
        LinkKind::Source => format!("@/{}", link.target),
        LinkKind::Address => link.target.clone(),
    };
    Diagnostic::error(
        Code::BrokenAnchor,
        &link.file,
        link.position,
        format!("Den Anker „#{anchor}“ gibt es in „{target}“ nicht."),
    )
    .with_hint(hint)
}

fn split_fragment(href: &str) -> (&str, Option<&str>) {
    href.split_once('#')
        .map_or((href, None), |(p, f)| (p, Some(f)))
}

static ID: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" id=\""));
static HREF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" href=\""));
static SRC: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(" src=\""));

/// Values of a quoted attribute (`finder` looks for ` href="` and the
/// like), with `&amp;` undone.
fn attribute_values<'h>(
    html: &'h [u8],
    finder: &'h Finder<'static>,
) -> impl Iterator<Item = Cow<'h, str>> + 'h {
    let skip = finder.needle().len();
    finder.find_iter(html).filter_map(move |at| {
        let rest = &html[at + skip..];
        // Pages are UTF-8 (Tera writes text), and a value cut at ASCII
        // quotes is whole characters: this never fails on a page.
        let value = std::str::from_utf8(&rest[..memchr::memchr(b'"', rest)?]).ok()?;
        Some(if value.contains("&amp;") {
            Cow::Owned(value.replace("&amp;", "&"))
        } else {
            Cow::Borrowed(value)
        })
    })
}

/// The output file a root-relative URL names, or `None` when it is outside the site.
fn resolve(url: &str, base: &str) -> Option<OutputPath> {
    let site_path = routes::site_path_of_url(url, base)?;
    Some(routes::output_file(&site_path))
}

/// Output file of each Markdown page → its source file.
fn source_files(site: &Site) -> HashMap<OutputPath, PathBuf> {
    site.all_pages()
        .map(|p| (routes::output_file(&p.path), p.body.file.clone()))
        .collect()
}

fn link_problem(
    sources: &HashMap<OutputPath, PathBuf>,
    theme: &str,
    key: &OutputPath,
    code: Code,
    what: &str,
) -> Diagnostic {
    let url = format!("/{}", routes::site_path_of_output(key));
    match sources.get(key) {
        Some(file) => Diagnostic::error(code, file, Position::START, format!("Die Seite {url} {what}."))
            .with_hint("Steht der Link im Text, schreiben Sie ihn als @/datei.md, dann zeigt schon build die Zeile; sonst steht er im Template des Themes."),
        None => Diagnostic::error(code, routes::theme_path(theme, "templates"), Position::START, format!("Die erzeugte Seite {url} {what}."))
            .with_hint("Der Link kommt aus einem Template des Themes; prüfen Sie die Templates."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_to_output_files() {
        assert_eq!(
            resolve("/dienste/", "/").as_deref(),
            Some("dienste/index.html")
        );
        assert_eq!(
            resolve("/portal/status.csv", "/portal/").as_deref(),
            Some("status.csv")
        );
        assert_eq!(
            resolve("/portal", "/portal/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve("/d%C3%BCsseldorf/", "/").as_deref(),
            Some("düsseldorf/index.html")
        );
        assert_eq!(resolve("/anders/", "/portal/"), None);
        assert_eq!(resolve("/portal/x?y=1", "/portal/").as_deref(), Some("x"));
    }

    #[test]
    fn attributes_are_read() {
        let html = br##"<a href="/a/">x</a><img src="/b.png"><h2 id="c">t</h2><a href="#c">y</a>"##;
        assert_eq!(
            attribute_values(html, &HREF).collect::<Vec<_>>(),
            ["/a/", "#c"]
        );
        assert_eq!(attribute_values(html, &ID).collect::<Vec<_>>(), ["c"]);
        let escaped = br#"<a href="/a/?x=1&amp;y=2">"#;
        assert_eq!(
            attribute_values(escaped, &HREF).collect::<Vec<_>>(),
            ["/a/?x=1&y=2"]
        );
    }

    #[test]
    fn a_scan_keeps_only_what_needs_a_second_look() {
        let output = |site_path| routes::output_file(&routes::fixed(site_path));
        let outputs: OutputPaths = ["", "a/", "downloads/f.pdf"]
            .map(output)
            .into_iter()
            .collect();
        let written = LinkRef {
            file: "content/index.md".into(),
            position: Position::new(3, 1),
            kind: LinkKind::Address,
            target: "/fehlt/".into(),
            anchor: None,
            href: "/fehlt/".into(),
        };
        let html = r#"<a href="/a/">a</a><a href="/fehlt/">x</a><a href="/weg/">y</a><a href="/a/#k">z</a><a href="/downloads/f.pdf">f</a><p id="k">"#;
        let urls: Urls = ["/", "/a/", "/downloads/f.pdf"]
            .map(String::from)
            .into_iter()
            .collect();
        let targets = Targets {
            outputs: &outputs,
            urls: &urls,
            base: "/",
        };
        let page = scan(&output(""), html.as_bytes(), &[&written], &targets);
        assert_eq!(page.ids.iter().collect::<Vec<_>>(), ["k"]);
        assert_eq!(page.open, ["/a/#k", "/weg/"]);
        assert_eq!(page.downloads, ["downloads/f.pdf"]);
    }
}
