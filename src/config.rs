//! `content/site.yaml` → [`SiteConfig`]: defaults, unknown keys rejected,
//! values checked (absolute base URL, a known highlight theme).

use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::content::unique::{Description, Name};
use crate::content::yaml::{Seg, YamlSource};
use crate::content::SourceFile;
use crate::diagnostics::{did_you_mean, suggestion_then, Code, Diagnostic, Diagnostics, Position};
use crate::highlight;
use crate::routes::BaseUrl;

/// The validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub theme: String,
    /// Position of `theme:` in site.yaml, for "theme not found" messages.
    pub theme_position: Position,
    pub minify: bool,
    pub highlight_theme: String,
    /// Who runs the site, for the official-site header bar ("Kopfzeile").
    pub operator: Option<String>,
    /// The host of `base_url` as `site.yaml` writes it (not `--base-url`):
    /// the authority of the feeds' `tag:` ids, so they stay the same when a
    /// preview is built under another address.
    pub feed_host: String,
    /// Whether `build` writes a Pagefind search index (`search:`, default on).
    pub search: bool,
}

/// `content/site.yaml` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Einstellungen der Site (site.yaml)")]
struct RawConfig {
    #[schemars(description = "Titel der Site")]
    title: Name,
    #[serde(default)]
    #[schemars(description = "Ein Satz über die Site")]
    description: Description,
    #[schemars(
        regex(pattern = r"^https?://[^/\s]+(/.*)?$"),
        description = "Absolute Adresse der veröffentlichten Site, z. B. https://www.mitnutzungsportal.bremen.de/"
    )]
    base_url: String,
    #[serde(default = "default_language")]
    #[schemars(description = "Sprache der Seiten, z. B. de")]
    language: String,
    #[serde(default = "default_theme")]
    #[schemars(description = "Ordner unter themes/; mitnutzung ist eingebaut")]
    theme: String,
    #[serde(default = "default_true")]
    #[schemars(description = "HTML verkleinern")]
    minify: bool,
    #[serde(default = "default_highlight_theme")]
    #[schemars(description = "Farbschema für Code, z. B. InspiredGitHub")]
    highlight_theme: String,
    #[serde(default)]
    #[schemars(
        description = "Betreiberin der Site, z. B. Freie Hansestadt Bremen; steht in der Kopfzeile „Offizielle Website“"
    )]
    operator: Option<Name>,
    #[serde(default = "default_true")]
    #[schemars(
        description = "Suchindex (Pagefind) bauen: die Suche im Kopf jeder Seite und auf /suche/"
    )]
    search: bool,
}

/// The JSON Schema of `site.yaml`.
pub(crate) fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawConfig)).expect("a schema serializes")
}

fn default_language() -> String {
    "de".into()
}
fn default_theme() -> String {
    "mitnutzung".into()
}
fn default_true() -> bool {
    true
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".into()
}

pub(crate) const CONFIG_PATH: &str = "content/site.yaml";

/// Read and check `site.yaml`; every problem goes to `diagnostics`.
pub(crate) fn parse(
    file: Option<&SourceFile>,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    let Some(file) = file else {
        diagnostics.push(
            Diagnostic::error(
                Code::MissingFile,
                CONFIG_PATH,
                Position::START,
                "Die Datei content/site.yaml fehlt.",
            )
            .with_hint("Legen Sie sie an, mindestens mit „title: …“ und „base_url: https://…/“."),
        );
        return None;
    };
    let source = YamlSource::new(&file.path, &file.text, 0);
    let raw: RawConfig = source.parse().map_err(|d| diagnostics.push(d)).ok()?;
    let base_url = BaseUrl::parse(&raw.base_url)
        .map_err(|m| diagnostics.push(value_error(&source, Code::InvalidBaseUrl, "base_url", m)))
        .ok();
    check_highlight_theme(&source, &raw.highlight_theme, diagnostics);
    Some(SiteConfig {
        title: raw.title.into_string(),
        description: raw.description.into_string(),
        feed_host: base_url.as_ref()?.host(),
        base_url: base_url?,
        language: raw.language,
        theme_position: source.position(&[Seg::Key("theme")]),
        theme: raw.theme,
        minify: raw.minify,
        highlight_theme: raw.highlight_theme,
        operator: raw.operator.map(Name::into_string),
        search: raw.search,
    })
}

fn check_highlight_theme(source: &YamlSource, name: &str, diagnostics: &mut Diagnostics) {
    let known = highlight::theme_names();
    if known.iter().any(|k| k == name) {
        return;
    }
    let hint = suggestion_then(
        did_you_mean(name, known.iter().map(String::as_str)),
        format!("Verfügbar sind: {}.", known.join(", ")),
    );
    diagnostics.push(
        value_error(
            source,
            Code::UnknownHighlightTheme,
            "highlight_theme",
            format!("Das Farbschema „{name}“ für Code-Hervorhebung gibt es nicht."),
        )
        .with_hint(hint),
    );
}

fn value_error(source: &YamlSource, code: Code, key: &str, message: String) -> Diagnostic {
    Diagnostic::error(
        code,
        source.file,
        source.position(&[Seg::Key(key)]),
        message,
    )
}

/// The path of the theme folder a config names.
pub(crate) fn theme_dir(root: &Path, config: &SiteConfig) -> std::path::PathBuf {
    root.join("themes").join(&config.theme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> (Option<SiteConfig>, Diagnostics) {
        let file = SourceFile::new(CONFIG_PATH, "site.yaml", text);
        let mut d = Diagnostics::new();
        (parse(Some(&file), &mut d), d)
    }

    #[test]
    fn defaults_apply() {
        let (c, d) = config("title: T\nbase_url: https://x.de\n");
        assert!(d.is_empty());
        let c = c.unwrap();
        assert_eq!(c.theme, "mitnutzung");
        assert!(c.minify);
        assert_eq!(c.base_url.absolute(), "https://x.de/");
    }

    #[test]
    fn bad_values_are_reported_with_their_line() {
        let (_, d) = config("title: T\nbase_url: x.de\nhighlight_theme: InspiredGithub\n");
        let lines: Vec<String> = d.iter().map(|d| d.headline()).collect();
        assert_eq!(lines[0], "content/site.yaml:2:11: Fehler[invalid-base-url]: „x.de“ ist keine absolute Adresse: schreiben Sie z. B. https://www.mitnutzungsportal.bremen.de/");
        assert_eq!(lines[1], "content/site.yaml:3:18: Fehler[unknown-highlight-theme]: Das Farbschema „InspiredGithub“ für Code-Hervorhebung gibt es nicht.");
        assert!(d
            .iter()
            .nth(1)
            .unwrap()
            .hint
            .as_ref()
            .unwrap()
            .starts_with("Meinten Sie „InspiredGitHub“?"));
    }
}
