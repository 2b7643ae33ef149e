//! The one place that maps a thing of the site to its URL and its output file.
//!
//! Three kinds of path, three types, made only here:
//! - a [`SourcePath`] names a file relative to `content/`
//!   (`schritte/01-vorbereitung.md`): how `@/` links and messages name it;
//! - a [`SitePath`] is relative to the site's base and ends with `/` for
//!   pages (`schritte/vorbereitung/`), or names a file (`status.csv`); the
//!   home page is the empty path. URLs are made from it by [`Routes`];
//! - an [`OutputPath`] names a file relative to the output folder
//!   (`schritte/vorbereitung/index.html`).

/// Defines a path type: a `String` that only this module makes, read as `&str`.
macro_rules! path_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<std::path::Path> for $name {
            fn as_ref(&self) -> &std::path::Path {
                std::path::Path::new(&self.0)
            }
        }

        /// Tests write paths as they are; the program makes them here only.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(path: &str) -> $name {
                $name(path.to_string())
            }
        }

        impl From<$name> for String {
            fn from(path: $name) -> String {
                path.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

path_type!(
    /// A file's path relative to `content/`, `/`-separated: `dienste/beistandschaft.md`.
    SourcePath
);
path_type!(
    /// A path relative to the site's base: `schritte/vorbereitung/`, `status.csv`, `` (home).
    SitePath
);
path_type!(
    /// A file's path relative to the output folder: `schritte/vorbereitung/index.html`.
    OutputPath
);

/// The source path of a file found at `rel` under `content/`.
pub(crate) fn source(rel: impl Into<String>) -> SourcePath {
    SourcePath(rel.into())
}

/// A fixed site path of the generator: [`STATUS_CSV`], [`SITEMAP`], …
pub(crate) fn fixed(path: &'static str) -> SitePath {
    SitePath(path.to_string())
}

/// The output file of a fixed site path of the generator.
pub(crate) fn fixed_output(path: &'static str) -> OutputPath {
    output_file(&fixed(path))
}

/// A theme's static file keeps its path under `static/`: `css/site.css`.
pub(crate) fn theme_file(rel: &str) -> SitePath {
    SitePath(rel.to_string())
}

/// The base of the published site: absolute URL and its path part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Absolute, ending with `/`: `https://host/portal/`.
    absolute: String,
    /// Path part, starting and ending with `/`: `/portal/`.
    path: String,
}

impl BaseUrl {
    /// Parse an absolute `http(s)://host[/path]` URL.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let wrong = || {
            format!("„{text}“ ist keine absolute Adresse: schreiben Sie z. B. https://www.mitnutzungsportal.bremen.de/")
        };
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(wrong)?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        // Quotes and brackets would end the strings and attributes that carry
        // the address (print.css gets the origin inside a CSS string).
        let bad = |c: char| c.is_whitespace() || "?#\"'<>\\()".contains(c);
        if host.is_empty() || host.contains(bad) || path.contains(bad) {
            return Err(wrong());
        }
        let path = format!("/{}", path.trim_matches('/'));
        let path = if path == "/" {
            path
        } else {
            format!("{path}/")
        };
        let scheme = &text[..text.len() - rest.len()];
        Ok(BaseUrl {
            absolute: format!("{scheme}{host}{path}"),
            path,
        })
    }

    pub fn absolute(&self) -> &str {
        &self.absolute
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The host name, lower case and without a port: `www.example.de`.
    pub fn host(&self) -> String {
        let rest = self.absolute.split_once("://").map_or("", |(_, r)| r);
        let host = rest.split('/').next().unwrap_or_default();
        host.split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    }
}

/// Turns site paths into URLs for one base.
#[derive(Debug, Clone)]
pub(crate) struct Routes {
    base: BaseUrl,
}

pub(crate) const STEPS: &str = "schritte/";
pub(crate) const SERVICES: &str = "dienste/";
pub(crate) const STATUS: &str = "status/";
pub(crate) const STATUS_CSV: &str = "status.csv";
pub(crate) const STATUS_JSON: &str = "status.json";
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const ROBOTS: &str = "robots.txt";
pub(crate) const SYNTAX_CSS: &str = "css/syntax.css";
/// The Atom feed of the news.
pub(crate) const NEWS_FEED: &str = "aktuelles/atom.xml";
/// The Atom feed of every status change.
pub(crate) const STATUS_FEED: &str = "status/atom.xml";
/// The A–Z index, where the search also lives.
pub(crate) const SEARCH: &str = "suche/";
/// Where the files of `content/downloads/` are published.
pub(crate) const DOWNLOADS: &str = "downloads/";

/// The site path of a Markdown file under `content/`: extension and a leading
/// `NN-` order prefix of the file name dropped; `index.md` is its folder.
pub(crate) fn markdown_page(rel: &str) -> SitePath {
    let without_ext = rel.strip_suffix(".md").unwrap_or(rel);
    let (folder, name) = match without_ext.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), without_ext),
    };
    if name == "index" {
        return SitePath(folder);
    }
    SitePath(format!("{folder}{}/", strip_order_prefix(name)))
}

/// `01-vorbereitung` → `vorbereitung`; names without a prefix stay as they are.
pub(crate) fn strip_order_prefix(name: &str) -> &str {
    match name.split_once('-') {
        Some((number, rest))
            if !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
                && !rest.is_empty()
                && !rest.starts_with('.') =>
        {
            rest
        }
        _ => name,
    }
}

/// One part of a split status table: `status/bayern/`, `status/bayern/2/`.
pub(crate) fn status_part(state_slug: &str, number: usize) -> SitePath {
    SitePath(if number <= 1 {
        format!("{STATUS}{state_slug}/")
    } else {
        format!("{STATUS}{state_slug}/{number}/")
    })
}

/// The list of news: `aktuelles/`.
pub(crate) const NEWS: &str = "aktuelles/";

/// A news page: `aktuelles/<slug>/` (the date of its file name is left out).
pub(crate) fn news(slug: &str) -> SitePath {
    SitePath(format!("{NEWS}{slug}/"))
}

/// A service's feed of its news and status changes: `dienste/<id>/atom.xml`.
pub(crate) fn service_feed(service: &str) -> SitePath {
    SitePath(format!("{SERVICES}{service}/atom.xml"))
}

/// Page `n` (from 2) of the news list: `aktuelles/seite/2/`.
pub(crate) fn news_page(n: usize) -> SitePath {
    SitePath(format!("{NEWS}seite/{n}/"))
}

/// A municipality's page: `kommunen/gera/`.
pub(crate) fn municipality(id: &str) -> SitePath {
    SitePath(format!("kommunen/{id}/"))
}

/// How messages name a file of `content/` by its path there: `content/kommunen/gera.yml`.
pub(crate) fn source_file(rel: &str) -> String {
    format!("content/{rel}")
}

/// A municipality's id from its source path `kommunen/<id>.yaml` (or
/// `.yml`); `None` for a file elsewhere.
pub(crate) fn municipality_id(rel: &str) -> Option<&str> {
    let file = rel.strip_prefix("kommunen/")?;
    Some(
        (file.strip_suffix(".yaml"))
            .or_else(|| file.strip_suffix(".yml"))
            .unwrap_or(file),
    )
}

/// The site path a file of `content/` would have: its municipality's page,
/// or its Markdown page.
pub(crate) fn page_of_source(rel: &SourcePath) -> SitePath {
    match municipality_id(rel) {
        Some(id) => municipality(id),
        None => markdown_page(rel),
    }
}

/// A service's id from its source path `dienste/<id>.md`.
pub(crate) fn service_id(rel: &str) -> &str {
    rel.trim_start_matches(SERVICES).trim_end_matches(".md")
}

/// How messages name a theme's folder, or a path in it: `themes/mitnutzung/templates`.
pub(crate) fn theme_path(theme: &str, rel: &str) -> String {
    if rel.is_empty() {
        format!("themes/{theme}")
    } else {
        format!("themes/{theme}/{rel}")
    }
}

/// Where the questionnaire generated for a service is published, as links
/// name it: `downloads/anbindungsfragebogen-<id>.xlsx`.
pub(crate) fn generated_questionnaire(service: &str) -> String {
    format!("downloads/anbindungsfragebogen-{service}.xlsx")
}

/// The form that fills a service's questionnaire: `/dienste/<id>/fragebogen/`.
pub(crate) fn questionnaire_form(service: &str) -> SitePath {
    SitePath(format!("dienste/{service}/fragebogen/"))
}

/// A file from `content/` (downloads, images) keeps its path.
pub(crate) fn asset(rel: &str) -> SitePath {
    SitePath(rel.to_string())
}

/// The site path an alias such as `/alte-seite/` or `/alt.html` is written
/// to, normalised: `//` collapsed, a last `index.html` dropped (`/a/index.html`
/// is the file of `/a/`), a folder ending in `/`. Letter case is kept (it is
/// the old URL); [`output_key`] compares paths without it. Anything the file
/// system cannot hold (control characters, a name over 255 bytes) is refused
/// here, with a message, instead of failing when the file is written.
pub(crate) fn alias(alias: &str) -> Result<SitePath, String> {
    let shown = shown(alias);
    let Some(rest) = alias.strip_prefix('/') else {
        return Err(format!(
            "„{shown}“ ist keine gültige alte Adresse: sie muss mit „/“ beginnen, z. B. \"/alte-seite/\"."
        ));
    };
    if let Some(c) = alias.chars().find(|c| c.is_control()) {
        return Err(format!(
            "„{shown}“ ist keine gültige alte Adresse: sie enthält das Steuerzeichen U+{:04X}.",
            c as u32
        ));
    }
    if let Some(c) = alias
        .chars()
        .find(|c| c.is_whitespace() || ALIAS_FORBIDDEN.contains(*c))
    {
        let c = if c.is_whitespace() {
            "ein Leerzeichen".to_string()
        } else {
            format!("das Zeichen „{c}“")
        };
        return Err(format!(
            "„{shown}“ ist keine gültige alte Adresse: sie enthält {c}."
        ));
    }
    if alias.len() > ALIAS_MAX_BYTES {
        return Err(format!(
            "Die alte Adresse ist {} Zeichen lang; erlaubt sind höchstens {ALIAS_MAX_BYTES}.",
            alias.chars().count()
        ));
    }
    let mut segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(bad) = segments.iter().find(|s| **s == "." || **s == "..") {
        return Err(format!(
            "„{shown}“ ist keine gültige alte Adresse: „{bad}“ ist als Teil eines Pfads nicht erlaubt."
        ));
    }
    if let Some(long) = segments.iter().find(|s| s.len() > SEGMENT_MAX_BYTES) {
        let start: String = long.chars().take(20).collect();
        return Err(format!(
            "Der Teil „{start}…“ der alten Adresse ist {} Zeichen lang; ein Datei- oder Ordnername darf höchstens {SEGMENT_MAX_BYTES} Bytes lang sein.",
            long.chars().count()
        ));
    }
    let folder = rest.is_empty() || rest.ends_with('/') || segments.last() == Some(&"index.html");
    if segments.last() == Some(&"index.html") {
        segments.pop();
    }
    if segments.is_empty() && alias.trim_matches('/').is_empty() {
        return Err(format!(
            "„{shown}“ ist keine gültige alte Adresse: „/“ ist die Startseite selbst."
        ));
    }
    let joined = segments.join("/");
    let is_file = !folder && segments.last().is_some_and(|last| last.contains('.'));
    Ok(SitePath(if is_file || joined.is_empty() {
        joined
    } else {
        format!("{joined}/")
    }))
}

/// Characters an alias may not contain besides whitespace and control
/// characters: they end the path in a URL (`?`, `#`), would need percent
/// encoding (`%`, `"`, `<`, `>`) or cannot be in a file name on every system.
const ALIAS_FORBIDDEN: &str = "\\?#%\"<>|*:";

/// Longest alias, in bytes (the output path must stay well below the
/// system's limit on a whole path).
pub(crate) const ALIAS_MAX_BYTES: usize = 1000;

/// Longest file or folder name on common file systems, in bytes.
pub(crate) const SEGMENT_MAX_BYTES: usize = 255;

/// Text for a message, with control characters made visible.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What two output files are compared by: their path without letter case,
/// as the file systems of many hosts (Windows, macOS) compare names.
pub(crate) fn output_key(output_file: &OutputPath) -> String {
    output_file.to_lowercase()
}

/// A file of the search index (Pagefind): `pagefind/pagefind.js`.
pub(crate) fn search_file(name: &str) -> OutputPath {
    OutputPath(format!("pagefind/{name}"))
}

/// The output file of a site path, relative to the output folder.
pub(crate) fn output_file(site_path: &SitePath) -> OutputPath {
    let path = site_path.as_str();
    OutputPath(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    })
}

/// The site path whose output file is `output`: the inverse of [`output_file`].
pub(crate) fn site_path_of_output(output: &OutputPath) -> SitePath {
    let path = output.as_str();
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => SitePath(folder.to_string()),
        _ => SitePath(path.to_string()),
    }
}

/// The site path of a preview request, already percent-decoded and
/// checked segment by segment (`serve::paths`).
pub(crate) fn site_path_of_request(decoded: String) -> SitePath {
    SitePath(decoded)
}

/// The site path a root-relative URL names, decoded, when it is below
/// `base` (a path starting and ending with `/`); `None` outside it.
pub(crate) fn site_path_of_url(url: &str, base: &str) -> Option<SitePath> {
    let url = url.split('?').next().unwrap_or(url);
    let rel = match url.strip_prefix(base) {
        Some(rel) => rel,
        None if format!("{url}/") == base => "",
        None => return None,
    };
    let decoded = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
    Some(SitePath(decoded.into_owned()))
}

impl Routes {
    pub(crate) fn new(base: BaseUrl) -> Self {
        Routes { base }
    }

    pub(crate) fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Root-relative URL including the base path: `/portal/dienste/`.
    pub(crate) fn url(&self, site_path: &SitePath) -> String {
        format!("{}{site_path}", self.base.path)
    }

    /// Absolute URL: `https://host/portal/dienste/`.
    pub(crate) fn permalink(&self, site_path: &SitePath) -> String {
        format!("{}{site_path}", self.base.absolute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalise() {
        let b = BaseUrl::parse("https://host.de/portal").unwrap();
        assert_eq!(b.absolute(), "https://host.de/portal/");
        assert_eq!(b.path(), "/portal/");
        let b = BaseUrl::parse("http://localhost:1111").unwrap();
        assert_eq!(b.absolute(), "http://localhost:1111/");
        assert_eq!(b.path(), "/");
        assert!(BaseUrl::parse("www.example.de").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://h.de/a'b/").is_err());
        assert!(BaseUrl::parse("https://h.de/a(b)/").is_err());
    }

    #[test]
    fn markdown_paths_become_pages() {
        assert_eq!(
            markdown_page("schritte/01-vorbereitung.md"),
            "schritte/vorbereitung/"
        );
        assert_eq!(markdown_page("impressum.md"), "impressum/");
        assert_eq!(markdown_page("index.md"), "");
        assert_eq!(markdown_page("hilfe/index.md"), "hilfe/");
        assert_eq!(
            markdown_page("dienste/beistandschaft.md"),
            "dienste/beistandschaft/"
        );
        assert_eq!(strip_order_prefix("2024-rueckblick"), "rueckblick");
        assert_eq!(strip_order_prefix("faq"), "faq");
        // `content/01-...md` was `../index.html`, outside the output folder.
        assert_eq!(output_file(&markdown_page("01-...md")), "01-../index.html");
        assert_eq!(markdown_page("a/2-..md"), "a/2-./");
    }

    #[test]
    fn urls_and_outputs() {
        let r = Routes::new(BaseUrl::parse("https://h.de/portal/").unwrap());
        assert_eq!(
            r.url(&markdown_page("dienste/hze.md")),
            "/portal/dienste/hze/"
        );
        assert_eq!(r.permalink(&fixed("")), "https://h.de/portal/");
        assert_eq!(
            output_file(&"dienste/hze/".into()),
            "dienste/hze/index.html"
        );
        assert_eq!(output_file(&fixed("")), "index.html");
        assert_eq!(fixed_output(STATUS_CSV), "status.csv");
    }

    #[test]
    fn an_output_file_gives_back_its_site_path() {
        for path in [
            "",
            "dienste/hze/",
            "status.csv",
            "a/index.html.bak",
            "myindex.html",
        ] {
            let site_path = SitePath::from(path);
            assert_eq!(site_path_of_output(&output_file(&site_path)), site_path);
        }
        assert_eq!(site_path_of_output(&"a/index.html".into()), "a/");
    }

    #[test]
    fn request_urls_become_site_paths_below_the_base() {
        assert_eq!(
            site_path_of_url("/portal/d%C3%BC/?x", "/portal/"),
            Some("dü/".into())
        );
        assert_eq!(site_path_of_url("/portal", "/portal/"), Some("".into()));
        assert_eq!(site_path_of_url("/anders/", "/portal/"), None);
    }

    #[test]
    fn municipality_ids_come_from_their_file_names() {
        assert_eq!(municipality_id("kommunen/gera.yml"), Some("gera"));
        assert_eq!(municipality_id("kommunen/a.b.yaml"), Some("a.b"));
        assert_eq!(municipality_id("dienste/gera.md"), None);
        assert_eq!(
            page_of_source(&"kommunen/gera.yaml".into()),
            "kommunen/gera/"
        );
        assert_eq!(page_of_source(&"schritte/01-a.md".into()), "schritte/a/");
    }

    #[test]
    fn aliases() {
        assert_eq!(alias("/alt/").unwrap(), "alt/");
        assert_eq!(alias("/alt").unwrap(), "alt/");
        assert_eq!(alias("/alt.html").unwrap(), "alt.html");
        assert_eq!(alias("/Alt/Seite").unwrap(), "Alt/Seite/");
        assert!(alias("alt/").is_err());
        assert!(alias("/../etc/").is_err());
        assert!(alias("/").is_err());
        assert!(alias("//").is_err());
    }

    #[test]
    fn aliases_are_normalised_to_the_file_they_write() {
        assert_eq!(alias("/impressum//").unwrap(), "impressum/");
        assert_eq!(alias("//impressum").unwrap(), "impressum/");
        assert_eq!(alias("/impressum/index.html").unwrap(), "impressum/");
        assert_eq!(alias("/index.html").unwrap(), "");
        assert_eq!(alias("/a//b/index.html").unwrap(), "a/b/");
        assert_eq!(alias("/alt.html/").unwrap(), "alt.html/");
        assert_eq!(alias("/css/site.css").unwrap(), "css/site.css");
        assert_eq!(
            output_key(&output_file(&alias("/Impressum/INDEX.html").unwrap())),
            "impressum/index.html"
        );
    }

    #[test]
    fn aliases_the_file_system_cannot_hold_are_refused() {
        let nul = alias("/alt\0seite/").unwrap_err();
        assert!(nul.contains("U+0000"), "{nul}");
        assert!(nul.contains("/alt\\u{0000}seite/"), "{nul}");
        let long = alias(&format!("/{}/", "a".repeat(300))).unwrap_err();
        assert!(long.contains("300 Zeichen"), "{long}");
        assert!(alias(&format!("/{}/", "a".repeat(255))).is_ok());
        assert!(alias(&format!("/{}/", "ä".repeat(128))).is_err());
        for bad in [
            "/a b/", "/a?b", "/a#b", "/a%20b/", "/a\\b/", "/a:b/", "/a\tb/",
        ] {
            assert!(alias(bad).is_err(), "{bad}");
        }
        let deep = format!("/{}", "abcdefghi/".repeat(101));
        assert!(alias(&deep).is_err());
    }
}

/// Property tests (run with the other unit tests; `scripts/fuzz.sh` repeats them).
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// What the output folder may hold: a relative path of real names.
    fn stays_inside(path: &str) -> Result<(), TestCaseError> {
        prop_assert!(!path.starts_with('/'), "absolute: {path:?}");
        prop_assert!(!path.contains('\0') && !path.contains('\\'), "{path:?}");
        for segment in path.split('/') {
            prop_assert!(!segment.is_empty(), "empty segment: {path:?}");
            prop_assert!(segment != ".." && segment != ".", "dot segment: {path:?}");
        }
        Ok(())
    }

    /// A file name as `content/` can hold one: not hidden, no `/` or NUL.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{1,3}-[a-z-]{0,6}",
            "index",
            "[^/\\\\\\x00.][^/\\\\\\x00]{0,10}",
        ]
    }

    proptest! {
        #![proptest_config(crate::fuzz::config())]

        #[test]
        fn fuzz_page_paths_stay_inside_the_output(
            folders in proptest::collection::vec(name(), 0..4),
            file in name(),
        ) {
            let mut rel = folders.join("/");
            if !rel.is_empty() {
                rel.push('/');
            }
            rel.push_str(&file);
            rel.push_str(".md");
            stays_inside(&output_file(&markdown_page(&rel)))?;
        }

        #[test]
        fn fuzz_alias_outputs_stay_inside_the_output(
            raw in "/[a-zA-Z0-9./\\\x00 %?#-]{0,40}",
        ) {
            // Every accepted alias is written below the output folder; a
            // rejected one is a message, never a panic.
            if let Ok(path) = alias(&raw) {
                stays_inside(&output_file(&path))?;
            }
        }
    }
}
