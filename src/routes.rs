//! The one place that maps a thing of the site to its URL and its output file.
//!
//! A *site path* is relative to the site's base and ends with `/` for pages
//! (`schritte/vorbereitung/`), or names a file (`status.csv`); the home page
//! is the empty path. URLs and output paths are derived from it here only.

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
        let bad = |c: char| c.is_whitespace() || "?#\"<>\\".contains(c);
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

/// The site path of a Markdown file under `content/`: extension and a leading
/// `NN-` order prefix of the file name dropped; `index.md` is its folder.
pub(crate) fn markdown_page(rel: &str) -> String {
    let without_ext = rel.strip_suffix(".md").unwrap_or(rel);
    let (folder, name) = match without_ext.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), without_ext),
    };
    if name == "index" {
        return folder;
    }
    format!("{folder}{}/", strip_order_prefix(name))
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
pub(crate) fn status_part(state_slug: &str, number: usize) -> String {
    if number <= 1 {
        format!("{STATUS}{state_slug}/")
    } else {
        format!("{STATUS}{state_slug}/{number}/")
    }
}

pub(crate) fn municipality(id: &str) -> String {
    format!("kommunen/{id}/")
}

/// How messages name a file of `content/` by its path there: `content/kommunen/gera.yml`.
pub(crate) fn source_file(rel: &str) -> String {
    format!("content/{rel}")
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

/// A file from `content/` (downloads, images) keeps its path.
pub(crate) fn asset(rel: &str) -> String {
    rel.to_string()
}

/// The site path an alias such as `/alte-seite/` or `/alt.html` is written
/// to, normalised: `//` collapsed, a last `index.html` dropped (`/a/index.html`
/// is the file of `/a/`), a folder ending in `/`. Letter case is kept (it is
/// the old URL); [`output_key`] compares paths without it. Anything the file
/// system cannot hold (control characters, a name over 255 bytes) is refused
/// here, with a message, instead of failing when the file is written.
pub(crate) fn alias(alias: &str) -> Result<String, String> {
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
    Ok(if is_file || joined.is_empty() {
        joined
    } else {
        format!("{joined}/")
    })
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
pub(crate) fn output_key(output_file: &str) -> String {
    output_file.to_lowercase()
}

/// The output file of a site path, relative to the output folder.
pub(crate) fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

impl Routes {
    pub(crate) fn new(base: BaseUrl) -> Self {
        Routes { base }
    }

    pub(crate) fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Root-relative URL including the base path: `/portal/dienste/`.
    pub(crate) fn url(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.base.path)
    }

    /// Absolute URL: `https://host/portal/dienste/`.
    pub(crate) fn permalink(&self, site_path: &str) -> String {
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
        assert_eq!(r.permalink(""), "https://h.de/portal/");
        assert_eq!(output_file("dienste/hze/"), "dienste/hze/index.html");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file(STATUS_CSV), "status.csv");
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
