//! Tera setup: the default theme compiled into the binary, with the theme
//! `themes/<theme>/` on disk laid over it template by template and static
//! file by static file (as mdBook does), so a theme on disk needs only what
//! it changes and keeps working when later versions add templates;
//! autoescape on for HTML and XML; rendering with errors that name the
//! template and the layer it came from.

mod arguments;
pub(crate) mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use rayon::prelude::*;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{
    did_you_mean_as, suggestion_then, Code, Diagnostic, Diagnostics, Position,
};
use crate::fs;
use crate::routes::SourcePath;

/// The default theme, embedded at compile time.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/mitnutzung");
pub(crate) const DEFAULT_THEME_NAME: &str = "mitnutzung";

/// A file of the theme's `static/` folder, published at the same relative path.
#[derive(Debug, Clone)]
pub(crate) enum StaticFile {
    Disk { rel: String, path: PathBuf },
    Embedded { rel: String, bytes: &'static [u8] },
}

impl StaticFile {
    pub(crate) fn rel(&self) -> &str {
        match self {
            StaticFile::Disk { rel, .. } | StaticFile::Embedded { rel, .. } => rel,
        }
    }
}

/// Template sources as (name, text), and the static files of a theme.
type ThemeFiles = (Vec<(String, String)>, Vec<StaticFile>);

/// A theme's files as read from disk, and the warnings about symbolic links left out.
type DiskTheme = (ThemeFiles, Diagnostics);

/// Compiled templates and the static files of the active theme.
pub(crate) struct Theme {
    tera: Tera,
    /// How diagnostics name the theme's files.
    origin: Origin,
    pub statics: Vec<StaticFile>,
    /// Fingerprint of the templates and static files of both layers, as laid
    /// over each other: what pages depend on.
    pub fingerprint: u64,
    /// Symbolic links in the theme's folder, left out.
    pub warnings: Diagnostics,
}

/// The templates every page kind and data file is rendered from. The
/// embedded theme has them all, so every theme has them.
#[cfg(test)]
pub(crate) const REQUIRED_TEMPLATES: [&str; 12] = [
    "index.html",
    "page.html",
    "steps.html",
    "step.html",
    "services.html",
    "service.html",
    "status.html",
    "municipality.html",
    "404.html",
    "alias.html",
    "sitemap.xml",
    "robots.txt",
];

/// How diagnostics name a template: by the folder of the theme on disk when
/// it comes from there, as built-in otherwise.
struct Origin {
    /// `themes/<theme>`, when a theme folder on disk is laid over the embedded one.
    disk: Option<String>,
    /// Names of the templates read from disk.
    disk_templates: BTreeSet<String>,
}

/// How diagnostics name the embedded theme's folder.
const EMBEDDED_LABEL: &str = "themes/mitnutzung (eingebaut)";

impl Origin {
    /// The file a diagnostic about `template` names (the theme's folder
    /// when no template is known).
    fn file(&self, template: &str) -> String {
        let folder = match &self.disk {
            Some(disk) if template.is_empty() || self.disk_templates.contains(template) => disk,
            _ => EMBEDDED_LABEL,
        };
        if template.is_empty() {
            folder.to_string()
        } else {
            format!("{folder}/templates/{template}")
        }
    }
}

/// A theme's files as read, before its templates are compiled: the
/// embedded default theme with the folder on disk laid over it.
pub(crate) struct ThemeSources {
    origin: Origin,
    /// Every template (name, text), sorted by name.
    templates: Vec<(String, String)>,
    statics: Vec<StaticFile>,
    warnings: Diagnostics,
}

impl ThemeSources {
    /// Read the theme `config.theme`: the embedded default theme, with the
    /// folder `root/themes/<theme>/` laid over it when there is one.
    pub(crate) fn read(root: &Path, config: &SiteConfig) -> Result<ThemeSources, Diagnostics> {
        let dir = crate::config::theme_dir(root, config);
        let label = crate::routes::theme_path(&config.theme, "");
        let mut warnings = Diagnostics::new();
        let themes = root.join("themes");
        if themes.is_symlink() {
            warnings.push(crate::content::symlink_warning(Path::new("themes")));
        } else if dir.is_symlink() {
            warnings.push(crate::content::symlink_warning(Path::new(&label)));
        } else if dir.is_dir() {
            let (disk, links) =
                read_disk_theme(&dir, &label).map_err(|e| io_diagnostic(&label, e))?;
            return Ok(ThemeSources::laid_over(Some(label), disk, links));
        }
        if config.theme != DEFAULT_THEME_NAME {
            let d = Diagnostic::error(Code::UnknownTheme, crate::config::CONFIG_PATH, config.theme_position, format!("Das Theme „{}“ gibt es nicht (Ordner {label} fehlt).", config.theme))
                .with_hint(format!("Legen Sie den Ordner an oder schreiben Sie „theme: {DEFAULT_THEME_NAME}“ für das eingebaute Theme."));
            warnings.push(d);
            return Err(warnings);
        }
        Ok(ThemeSources::laid_over(
            None,
            (Vec::new(), Vec::new()),
            warnings,
        ))
    }

    /// The embedded theme with the files of the theme on disk (`disk`, none
    /// without a folder `label`) laid over it.
    fn laid_over(label: Option<String>, disk: ThemeFiles, warnings: Diagnostics) -> ThemeSources {
        let origin = Origin {
            disk: label,
            disk_templates: disk.0.iter().map(|(name, _)| name.clone()).collect(),
        };
        let (templates, statics) = lay_over(embedded_theme(), disk);
        ThemeSources {
            origin,
            templates,
            statics,
            warnings,
        }
    }

    /// Fingerprint of what compiling depends on: the templates and where
    /// each comes from (diagnostics name it).
    pub(crate) fn templates_fingerprint(&self) -> crate::fingerprint::Fingerprint {
        let origin = (&self.origin.disk, &self.origin.disk_templates);
        crate::fingerprint::fingerprint(&(origin, &self.templates))
    }

    /// Every template parsed, autoescape on for HTML and XML: the costly
    /// part of loading a theme, done once per change of the templates.
    pub(crate) fn compile_templates(&self) -> Result<CompiledTemplates, Diagnostic> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("breakable", Breakable);
        // What `Tera::add_raw_templates` does, with the templates parsed in
        // parallel (parsing is the costly part); the first template that
        // does not parse, in the same order, is the error.
        let parsed: Vec<tera::Result<tera::Template>> = (self.templates.par_iter())
            .map(|(name, text)| {
                tera::Template::new(name, None, text)
                    .map_err(|e| tera::Error::chain(format!("Failed to parse '{name}'"), e))
            })
            .collect();
        let diagnostic = |e: tera::Error| tera_diagnostic(&self.origin, &e);
        for template in parsed {
            let template = template.map_err(diagnostic)?;
            tera.templates.insert(template.name.clone(), template);
        }
        (tera.build_inheritance_chains())
            .and_then(|()| tera.check_macro_files())
            .map_err(diagnostic)?;
        Ok(CompiledTemplates(tera))
    }
}

/// A theme's templates, compiled (what [`ThemeSources::compile_templates`]
/// makes of its sources).
#[derive(Clone)]
pub(crate) struct CompiledTemplates(Tera);

impl Theme {
    /// Load the theme `config.theme` and compile its templates.
    #[cfg(test)]
    pub(crate) fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Diagnostics> {
        let sources = ThemeSources::read(root, config)?;
        let compiled = sources.compile_templates();
        Theme::assemble(sources, compiled)
    }

    /// The theme of `sources` with their templates `compiled`; a template
    /// that did not compile is an error, after the warnings of reading.
    pub(crate) fn assemble(
        sources: ThemeSources,
        compiled: Result<CompiledTemplates, Diagnostic>,
    ) -> Result<Theme, Diagnostics> {
        let ThemeSources {
            origin,
            templates,
            statics,
            mut warnings,
        } = sources;
        let fingerprint = theme_fingerprint(&templates, &statics);
        match compiled {
            Ok(CompiledTemplates(tera)) => Ok(Theme {
                tera,
                origin,
                statics,
                fingerprint,
                warnings,
            }),
            Err(d) => {
                warnings.push(d);
                Err(warnings)
            }
        }
    }

    /// Register `get_page(path="impressum.md")`: the title and URL of any
    /// Markdown page by its source path, or null. A function rather than a
    /// map in `site`, so that every page's context stays small however many
    /// pages the site has.
    pub(crate) fn register_pages(&mut self, pages: BTreeMap<SourcePath, views::PageLink>) {
        // A page's template value is made when it is first asked for, once
        // per build (the default base.html asks for the same six on every
        // page; a preview rebuild whose pages come from its memo asks for none).
        let pages: BTreeMap<SourcePath, (views::PageLink, OnceLock<tera::Value>)> = pages
            .into_iter()
            .map(|(path, p)| (path, (p, OnceLock::new())))
            .collect();
        self.tera
            .register_function("get_page", move |args: &HashMap<String, tera::Value>| {
                let path = args
                    .get("path")
                    .and_then(tera::Value::as_str)
                    .ok_or_else(|| tera::Error::msg("get_page braucht path=\"…\""))?;
                let value = |(page, value): &(views::PageLink, OnceLock<tera::Value>)| {
                    (value.get_or_init(|| tera::to_value(page).unwrap_or(tera::Value::Null)))
                        .clone()
                };
                Ok(pages.get(path).map(value).unwrap_or(tera::Value::Null))
            });
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    pub(crate) fn template_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.tera.get_template_names().collect();
        names.sort_unstable();
        names
    }

    /// Render a template; a failure is a theme error naming the template.
    pub(crate) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| tera_diagnostic(&self.origin, &e))
    }

    /// Render a template into bytes (UTF-8, as Tera writes only text; not
    /// checked again, as [`Theme::render`]'s `String` would be).
    pub(crate) fn render_bytes(
        &self,
        name: &str,
        context: &Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut html)
            .map_err(|e| tera_diagnostic(&self.origin, &e))?;
        Ok(html)
    }

    /// Render a template with a typed view as its whole context (for the
    /// non-HTML outputs such as `sitemap.xml` and `robots.txt`).
    pub(crate) fn render_view<V: serde::Serialize>(
        &self,
        name: &str,
        view: &V,
    ) -> Result<String, Diagnostic> {
        let context =
            Context::from_serialize(view).map_err(|e| tera_diagnostic(&self.origin, &e))?;
        self.render(name, &context)
    }

    /// Whether `shortcodes/<name>.html` exists, or a "did you mean" message.
    pub(crate) fn check_shortcode(&self, name: &str) -> Result<String, (String, Option<String>)> {
        let template = format!("shortcodes/{name}.html");
        if self.has_template(&template) {
            return Ok(template);
        }
        let known: Vec<&str> = self
            .template_names()
            .into_iter()
            .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .collect();
        let shown = |k: &str| format!("{k}()");
        let hint = suggestion_then(
            did_you_mean_as(name, known.iter().copied(), shown),
            format!(
                "Vorhanden sind: {}.",
                known
                    .iter()
                    .map(|k| shown(k))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        Err((format!("Unbekannter Shortcode „{name}“."), Some(hint)))
    }
}

/// The files of `upper` laid over those of `lower`: a template or static
/// file of `upper` replaces the one of the same name in `lower`; the others
/// of both are kept. Sorted by name.
fn lay_over(lower: ThemeFiles, upper: ThemeFiles) -> ThemeFiles {
    let mut templates: BTreeMap<String, String> = lower.0.into_iter().collect();
    templates.extend(upper.0);
    let mut statics: BTreeMap<String, StaticFile> = lower
        .1
        .into_iter()
        .map(|f| (f.rel().to_string(), f))
        .collect();
    statics.extend(upper.1.into_iter().map(|f| (f.rel().to_string(), f)));
    (
        templates.into_iter().collect(),
        statics.into_values().collect(),
    )
}

fn theme_fingerprint(templates: &[(String, String)], statics: &[StaticFile]) -> u64 {
    let statics: Vec<(String, Option<std::time::SystemTime>, u64)> = statics
        .iter()
        .map(|f| match f {
            StaticFile::Disk { rel, path } => {
                let meta = std::fs::metadata(path).ok();
                (
                    rel.clone(),
                    meta.as_ref().and_then(|m| m.modified().ok()),
                    meta.map_or(0, |m| m.len()),
                )
            }
            StaticFile::Embedded { rel, bytes } => (rel.clone(), None, bytes.len() as u64),
        })
        .collect();
    crate::fingerprint::fingerprint(&(templates, statics))
}

/// Escape text for HTML: `& < > " '` (Tera's default also escapes `/`, which
/// only makes URLs unreadable).
/// The filter `breakable`: an e-mail address or host name, escaped, with a
/// `<wbr>` before each `@` and `.`, so that a narrow screen breaks it there
/// and not in the middle of a word.
struct Breakable;

impl tera::Filter for Breakable {
    fn filter(
        &self,
        value: &tera::Value,
        _args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let text = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("breakable: Text erwartet"))?;
        Ok(tera::Value::String(breakable(text)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

fn breakable(text: &str) -> String {
    escape_html(text)
        .replace('@', "<wbr>@")
        .replace('.', "<wbr>.")
}

pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut copied = 0;
    // The five are ASCII, so each is a char boundary; the text between two
    // of them is copied in one piece.
    for (at, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(escaped);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

fn read_disk_theme(dir: &Path, label: &str) -> Result<DiskTheme, fs::FsError> {
    let mut links = Diagnostics::new();
    let mut templates = Vec::new();
    for (rel, path) in files_under(dir, "templates", label, &mut links)? {
        let bytes = fs::read_regular(&path)?;
        let text = String::from_utf8(bytes).map_err(|e| fs::FsError {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        templates.push((rel, text));
    }
    let statics = files_under(dir, "static", label, &mut links)?
        .into_iter()
        .map(|(rel, path)| StaticFile::Disk { rel, path })
        .collect();
    Ok(((templates, statics), links))
}

/// Files below `theme/sub`, sorted, as (relative `/`-path, absolute path);
/// none if the folder is missing. Symbolic links are never followed: each
/// one is a warning in `links`, named as `label/sub/…`.
fn files_under(
    theme: &Path,
    sub: &str,
    label: &str,
    links: &mut Diagnostics,
) -> Result<Vec<(String, PathBuf)>, fs::FsError> {
    let dir = theme.join(sub);
    let link_at = |rel: &Path| {
        let rel = rel.to_string_lossy().replace('\\', "/");
        let path = [label, sub, &rel].join("/");
        crate::content::symlink_warning(Path::new(path.trim_end_matches('/')))
    };
    if dir.is_symlink() {
        links.push(link_at(Path::new("")));
        return Ok(Vec::new());
    }
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.map_err(|e| fs::FsError {
            path: dir.clone(),
            source: e.into(),
        })?;
        let name = entry.file_name().to_string_lossy();
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if entry.path_is_symlink() {
            links.push(link_at(rel));
        } else if entry.file_type().is_file() {
            out.push((
                rel.to_string_lossy().replace('\\', "/"),
                entry.path().to_path_buf(),
            ));
        }
    }
    Ok(out)
}

fn embedded_theme() -> ThemeFiles {
    let mut templates = Vec::new();
    let mut statics = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut templates, &mut statics);
    templates.sort();
    statics.sort_by(|a, b| a.rel().cmp(b.rel()));
    (templates, statics)
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut Vec<(String, String)>,
    statics: &mut Vec<StaticFile>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(rel) = path.strip_prefix("templates/") {
            templates.push((
                rel.to_string(),
                file.contents_utf8().unwrap_or_default().to_string(),
            ));
        } else if let Some(rel) = path.strip_prefix("static/") {
            statics.push(StaticFile::Embedded {
                rel: rel.to_string(),
                bytes: file.contents(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, statics);
    }
}

fn io_diagnostic(label: &str, e: fs::FsError) -> Diagnostics {
    Diagnostics::from_iter([Diagnostic::error(
        Code::ThemeIo,
        label,
        Position::START,
        format!("Das Theme lässt sich nicht lesen: {e}"),
    )])
}

/// A Tera error with its whole chain of causes, named after the template.
fn tera_diagnostic(origin: &Origin, e: &tera::Error) -> Diagnostic {
    let mut chain = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let template = chain
        .iter()
        .find_map(|m| {
            m.split('\'')
                .nth(1)
                .filter(|t| [".html", ".xml", ".txt"].iter().any(|e| t.ends_with(e)))
        })
        .unwrap_or("");
    let file = origin.file(template);
    let position = chain
        .iter()
        .find_map(|m| parse_tera_position(m))
        .unwrap_or(Position::START);
    Diagnostic::error(Code::Template, file, position, format!("Fehler im Template: {}", chain.join(": ").replace('\n', " ")))
        .with_hint("Das Theme ist fehlerhaft; Inhalte sind nicht die Ursache. Prüfen Sie die genannte Template-Stelle.")
}

/// Tera parse errors contain ` --> LINE:COL`.
fn parse_tera_position(message: &str) -> Option<Position> {
    let rest = &message[message.find("--> ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Position::new(
        line.trim().parse().ok()?,
        column.parse().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// How `escape_html` escaped char by char before it copied runs: the
    /// reference the property test compares with.
    fn escape_by_char(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("Größe"), "Größe");
        assert_eq!(
            escape_html("<a href=\"x\">Tom & 'Jerry'</a>ü"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;ü"
        );
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]
        #[test]
        fn fuzz_escaping_is_as_before(text in "[<>&\"'a-zäß€ \u{1F600}]{0,40}") {
            prop_assert_eq!(escape_html(&text), escape_by_char(&text));
        }
    }

    #[test]
    fn tera_positions_are_read() {
        assert_eq!(
            parse_tera_position("  --> 12:5\n   |"),
            Some(Position::new(12, 5))
        );
        assert_eq!(parse_tera_position("nothing"), None);
    }

    /// The embedded theme with `templates` of a theme on disk laid over it.
    fn theme_with(templates: &[(&str, &str)]) -> Result<Theme, Diagnostics> {
        let templates = templates
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let sources = ThemeSources::laid_over(
            Some("themes/eigen".into()),
            (templates, Vec::new()),
            Diagnostics::new(),
        );
        let compiled = sources.compile_templates();
        Theme::assemble(sources, compiled)
    }

    #[test]
    fn autoescape_is_on() {
        let theme = theme_with(&[("t.html", "{{ x }}|{{ x | safe }}")]).unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "<b a='1'>/&\"");
        assert_eq!(
            theme.render("t.html", &ctx).unwrap(),
            "&lt;b a=&#39;1&#39;&gt;/&amp;&quot;|<b a='1'>/&\""
        );
    }

    /// Settings that name `theme`; everything else as `site.yaml` defaults it.
    fn config(theme: &str) -> SiteConfig {
        SiteConfig {
            title: "Test".into(),
            description: String::new(),
            base_url: crate::routes::BaseUrl::parse("https://example.org/").unwrap(),
            language: "de".into(),
            theme: theme.into(),
            theme_position: Position::START,
            minify: false,
            highlight_theme: "InspiredGitHub".into(),
            operator: None,
            feed_host: "example.org".into(),
            search: false,
        }
    }

    /// A value that breaks out of text and attributes unless escaped.
    const HOSTILE: &str = "<script>&\"'";
    const ESCAPED: &str = "&lt;script&gt;&amp;&quot;&#39;";

    #[test]
    fn the_embedded_theme_escapes_what_it_prints() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path(), &config(DEFAULT_THEME_NAME)).unwrap();
        assert_eq!(theme.origin.disk, None);
        let mut ctx = Context::new();
        ctx.insert("service", &serde_json::json!({ "mailbox": HOSTILE }));
        assert_eq!(
            theme.render("shortcodes/mailbox.html", &ctx).unwrap(),
            format!("<a class=\"kern-link mailbox\" href=\"mailto:{ESCAPED}\">{ESCAPED}</a>")
        );
    }

    #[test]
    fn a_theme_on_disk_escapes_what_it_prints() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/custom-theme");
        let theme = Theme::load(&root, &config(DEFAULT_THEME_NAME)).unwrap();
        assert_eq!(theme.origin.disk.as_deref(), Some("themes/mitnutzung"));
        let mut ctx = Context::new();
        ctx.insert(
            "page",
            &serde_json::json!({ "title": HOSTILE, "content": "<p>sicher</p>" }),
        );
        assert_eq!(
            theme.render("page.html", &ctx).unwrap(),
            format!(
                "<!DOCTYPE html><title>EIGENES THEME</title><main>{ESCAPED}<p>sicher</p></main>\n"
            )
        );
    }

    #[test]
    fn the_embedded_theme_has_every_required_template() {
        let theme = theme_with(&[]).unwrap();
        for name in REQUIRED_TEMPLATES {
            assert!(theme.has_template(name), "{name}");
        }
    }

    #[test]
    fn sitemap_escapes_urls_for_xml_and_robots_stays_plain_text() {
        let theme = theme_with(&[]).unwrap();
        let sitemap = views::SitemapView {
            urls: vec![
                views::SitemapUrl {
                    loc: "https://x.de/a&b/".into(),
                    lastmod: None,
                },
                views::SitemapUrl {
                    loc: "https://x.de/c/".into(),
                    lastmod: Some("2026-05-04".into()),
                },
            ],
        };
        assert_eq!(
            theme.render_view("sitemap.xml", &sitemap).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url>\n    <loc>https://x.de/a&amp;b/</loc>\n  </url>\n  <url>\n    <loc>https://x.de/c/</loc>\n    <lastmod>2026-05-04</lastmod>\n  </url>\n</urlset>\n"
        );
        let empty = views::SitemapView { urls: Vec::new() };
        assert_eq!(
            theme.render_view("sitemap.xml", &empty).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n</urlset>\n"
        );
        let robots = views::RobotsView {
            sitemap: "https://x.de/a&b/sitemap.xml".into(),
        };
        assert_eq!(
            theme.render_view("robots.txt", &robots).unwrap(),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.de/a&b/sitemap.xml\n"
        );
    }

    #[test]
    fn templates_on_disk_replace_embedded_ones_and_may_extend_the_others() {
        let theme = theme_with(&[
            (
                "base.html",
                "<main>{% block main %}{% endblock main %}</main>",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}{{ x }}{% endblock main %}",
            ),
            // Extends the embedded 404.html, which extends base.html from disk.
            (
                "eigen.html",
                "{% extends \"404.html\" %}{% block main %}[{{ x }}]{% endblock main %}",
            ),
        ])
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "a&b");
        assert_eq!(
            theme.render("page.html", &ctx).unwrap(),
            "<main>a&amp;b</main>"
        );
        assert_eq!(
            theme.render("eigen.html", &ctx).unwrap(),
            "<main>[a&amp;b]</main>"
        );
        // Embedded templates the disk theme does not replace are still there.
        assert!(theme.has_template("status.html") && theme.has_template("sitemap.xml"));
    }

    #[test]
    fn template_errors_name_the_layer_the_template_comes_from() {
        let Err(broken) = theme_with(&[("page.html", "{{ oops")]) else {
            panic!("a broken template must not compile");
        };
        let files: Vec<&Path> = broken.iter().map(|d| d.file.as_path()).collect();
        assert_eq!(files, [Path::new("themes/eigen/templates/page.html")]);
        let embedded = theme_with(&[]).unwrap();
        let error = embedded.render("404.html", &Context::new()).unwrap_err();
        assert_eq!(
            error.file,
            Path::new("themes/mitnutzung (eingebaut)/templates/404.html")
        );
    }

    #[test]
    fn of_several_broken_templates_the_first_in_order_is_reported() {
        // Parsed in parallel, but the error is always the same one.
        for _ in 0..8 {
            let Err(broken) = theme_with(&[("a.html", "{{ oops"), ("page.html", "{% if %}")])
            else {
                panic!("broken templates must not compile");
            };
            let files: Vec<&Path> = broken.iter().map(|d| d.file.as_path()).collect();
            assert_eq!(files, [Path::new("themes/eigen/templates/a.html")]);
        }
    }

    #[test]
    fn the_fingerprint_covers_both_layers() {
        let print = |templates: &[(&str, &str)]| theme_with(templates).ok().unwrap().fingerprint;
        let embedded = print(&[]);
        let replaced = print(&[("page.html", "x")]);
        let added = print(&[("eigen.html", "x")]);
        assert_ne!(embedded, replaced);
        assert_ne!(embedded, added);
        assert_ne!(replaced, added);
        assert_eq!(print(&[("page.html", "x")]), replaced);
        assert_ne!(print(&[("page.html", "y")]), replaced);
    }

    #[test]
    fn static_files_on_disk_replace_embedded_ones_of_the_same_path() {
        let embedded = embedded_theme();
        assert!(embedded.1.iter().any(|f| f.rel() == "css/site.css"));
        let disk = vec![
            StaticFile::Disk {
                rel: "css/site.css".into(),
                path: PathBuf::from("/eigen/site.css"),
            },
            StaticFile::Disk {
                rel: "eigen.css".into(),
                path: PathBuf::from("/eigen/eigen.css"),
            },
        ];
        let (_, statics) = lay_over(embedded.clone(), (Vec::new(), disk));
        let layers: Vec<(&str, bool)> = statics
            .iter()
            .map(|f| (f.rel(), matches!(f, StaticFile::Disk { .. })))
            .collect();
        let mut expected: Vec<(&str, bool)> = embedded
            .1
            .iter()
            .map(|f| (f.rel(), f.rel() == "css/site.css"))
            .chain([("eigen.css", true)])
            .collect();
        expected.sort();
        assert_eq!(layers, expected);
    }

    #[test]
    fn breakable_escapes_then_marks_breaks_before_at_and_dot() {
        assert_eq!(breakable("a.b@c.de"), "a<wbr>.b<wbr>@c<wbr>.de");
        assert_eq!(breakable("<x>@'"), "&lt;x&gt;<wbr>@&#39;");
    }
}
