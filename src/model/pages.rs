//! Markdown files → pages, steps and services: front matter parsed against
//! the keys each kind allows, values checked, references left for `build`.

use std::path::Path;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::values::{is_slug, Date, Email};
use super::{Alias, MarkdownBody, Page, PageMeta};
use crate::content::frontmatter;
use crate::content::unique::{Description, Name};
use crate::content::yaml::{Seg, YamlSource};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::routes;

/// Front matter of a plain page, a step or the home page.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Kopfbereich einer Seite")]
pub struct RawPageMeta {
    #[schemars(description = "Titel der Seite")]
    title: Name,
    #[serde(default)]
    #[schemars(description = "Ein Satz, worum es auf der Seite geht")]
    description: Description,
    #[schemars(
        regex(pattern = r"^\d{4}-\d{2}-\d{2}$"),
        description = "Datum als JJJJ-MM-TT"
    )]
    date: Option<String>,
    #[serde(default)]
    #[schemars(description = "Reihenfolge (kleinere Zahl zuerst)")]
    weight: i64,
    #[serde(default)]
    #[schemars(description = "true: Entwurf, nur mit --drafts gebaut")]
    draft: bool,
    #[schemars(description = "Anderes Template des Themes, z. B. page.html")]
    template: Option<String>,
    #[serde(default)]
    #[schemars(description = "Alte Adressen, die hierher weiterleiten, z. B. /alt/")]
    aliases: Vec<String>,
    #[serde(default)]
    #[schemars(
        length(max = 50),
        description = "Stichwörter für das Stichwortverzeichnis (A–Z) auf /suche/, z. B. [dDatabox, Funktionspostfach]"
    )]
    keywords: Vec<Name>,
}

impl RawPageMeta {
    /// A page's keys, from the front matter of another kind (news).
    pub(super) fn new(
        title: Name,
        description: Description,
        date: Option<String>,
        draft: bool,
        template: Option<String>,
        aliases: Vec<String>,
        keywords: Vec<Name>,
    ) -> RawPageMeta {
        RawPageMeta {
            title,
            description,
            date,
            weight: 0,
            draft,
            template,
            aliases,
            keywords,
        }
    }
}

/// Front matter of a service: the page keys plus the service's data.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Kopfbereich eines Dienstes")]
pub struct RawServiceMeta {
    #[schemars(description = "Titel der Seite")]
    title: Name,
    #[serde(default)]
    #[schemars(description = "Ein Satz, worum es auf der Seite geht")]
    description: Description,
    #[schemars(
        regex(pattern = r"^\d{4}-\d{2}-\d{2}$"),
        description = "Datum als JJJJ-MM-TT"
    )]
    date: Option<String>,
    #[serde(default)]
    #[schemars(description = "Reihenfolge (kleinere Zahl zuerst)")]
    weight: i64,
    #[serde(default)]
    #[schemars(description = "true: Entwurf, nur mit --drafts gebaut")]
    draft: bool,
    #[schemars(description = "Anderes Template des Themes, z. B. page.html")]
    template: Option<String>,
    #[serde(default)]
    #[schemars(description = "Alte Adressen, die hierher weiterleiten, z. B. /alt/")]
    aliases: Vec<String>,
    #[serde(default)]
    #[schemars(
        length(max = 50),
        description = "Stichwörter für das Stichwortverzeichnis (A–Z) auf /suche/, z. B. [dDatabox, Funktionspostfach]"
    )]
    keywords: Vec<Name>,
    #[schemars(description = "Themenfeld, z. B. Familie & Kind")]
    pub topic: Name,
    #[serde(default)]
    #[schemars(description = "Ein Satz: was der Dienst Bürgerinnen und Bürgern bietet")]
    pub summary: Description,
    #[serde(default)]
    #[schemars(
        inner(regex(pattern = r"^99\d{12}$")),
        description = "LeiKa-Schlüssel aus daten/leikas.yaml, in Anführungszeichen"
    )]
    pub leikas: Vec<String>,
    #[schemars(
        description = "Pfad des Anbindungsfragebogens ab content/, z. B. downloads/fragebogen.xlsx"
    )]
    pub questionnaire: Option<String>,
    #[schemars(description = "Funktionspostfach für Fragen der Kommunen")]
    pub mailbox: String,
    #[serde(default)]
    #[schemars(description = "Kennungen aus daten/kontakte.yaml")]
    pub contacts: Vec<String>,
    #[serde(default)]
    #[schemars(
        description = "true oder false, wo eine Quelle es sagt; weglassen, solange es unbekannt ist („noch zu klären“)"
    )]
    pub contact_form: Option<bool>,
}

impl RawServiceMeta {
    fn page_meta(&self) -> RawPageMeta {
        RawPageMeta {
            title: self.title.clone(),
            description: self.description.clone(),
            date: self.date.clone(),
            weight: self.weight,
            draft: self.draft,
            template: self.template.clone(),
            aliases: self.aliases.clone(),
            keywords: self.keywords.clone(),
        }
    }
}

/// A Markdown file read as far as its kind-independent parts go.
#[derive(Debug, Clone)]
pub struct ParsedPage<M> {
    pub raw: M,
    pub page: Page,
    pub draft: bool,
    /// The front matter text and its offset, for locating later problems.
    pub front_matter: String,
}

impl<M> ParsedPage<M> {
    pub fn yaml(&self) -> YamlSource<'_> {
        YamlSource::new(&self.page.body.file, &self.front_matter, 1)
    }
}

/// Split and parse a Markdown file whose front matter has the shape `M`.
pub(super) fn parse_markdown<M: DeserializeOwned>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
    meta_of: impl Fn(&M) -> RawPageMeta,
) -> Option<ParsedPage<M>> {
    let Ok(split) = frontmatter::split(&file.text) else {
        diagnostics.push(
            Diagnostic::error(
                Code::UnclosedFrontMatter,
                &file.path,
                Position::START,
                "Der Kopfbereich (Front Matter) wird mit „---“ geöffnet, aber nie geschlossen.",
            )
            .with_hint("Schreiben Sie nach der letzten Angabe eine Zeile, die nur „---“ enthält."),
        );
        return None;
    };
    let fm = split.front_matter.unwrap_or("");
    let yaml = YamlSource::new(&file.path, fm, split.front_matter_lines_before);
    let raw: M = yaml.parse().map_err(|d| diagnostics.push(d)).ok()?;
    let page_meta = meta_of(&raw);
    let draft = page_meta.draft;
    let meta = check_meta(page_meta, &yaml, diagnostics);
    let page = Page {
        source: file.rel.clone(),
        path: routes::markdown_page(&file.rel),
        meta,
        body: body_of(file, split.body, split.body_lines_before),
    };
    Some(ParsedPage {
        raw,
        page,
        draft,
        front_matter: fm.to_string(),
    })
}

/// The body as a view into the file's text (shared, not copied).
fn body_of(file: &SourceFile, body: &str, lines_before: usize) -> MarkdownBody {
    let start = (body.as_ptr() as usize).wrapping_sub(file.text.as_ptr() as usize);
    match file.text.get(start..) {
        Some(rest) if rest.len() == body.len() => MarkdownBody {
            file: file.path.clone(),
            source: file.text.clone(),
            start,
            lines_before,
            fingerprint: file.fingerprint,
        },
        _ => MarkdownBody::new(file.path.clone(), body, lines_before),
    }
}

pub(super) fn plain_meta(raw: &RawPageMeta) -> RawPageMeta {
    RawPageMeta {
        title: raw.title.clone(),
        description: raw.description.clone(),
        date: raw.date.clone(),
        weight: raw.weight,
        draft: raw.draft,
        template: raw.template.clone(),
        aliases: raw.aliases.clone(),
        keywords: raw.keywords.clone(),
    }
}

pub(super) fn service_meta(raw: &RawServiceMeta) -> RawPageMeta {
    raw.page_meta()
}

fn check_meta(raw: RawPageMeta, yaml: &YamlSource, diagnostics: &mut Diagnostics) -> PageMeta {
    let date = raw.date.as_deref().and_then(|d| {
        Date::parse(d)
            .map_err(|m| diagnostics.push(invalid(Code::InvalidDate, yaml, &[Seg::Key("date")], m)))
            .ok()
    });
    let aliases = check_aliases(&raw.aliases, yaml, diagnostics);
    if raw.title.0.trim().is_empty() {
        diagnostics.push(
            invalid(
                Code::EmptyTitle,
                yaml,
                &[Seg::Key("title")],
                "Der Titel ist leer.".into(),
            )
            .with_hint("Schreiben Sie hinter „title:“ den Titel der Seite."),
        );
    }
    PageMeta {
        title: raw.title.into_string(),
        description: raw.description.into_string(),
        date,
        weight: raw.weight,
        template_position: yaml.position(&[Seg::Key("template")]),
        template: raw.template,
        aliases,
        keywords: keywords(raw.keywords, yaml, diagnostics),
    }
}

/// The keywords, trimmed; an empty or repeated one is an error (and left out).
fn keywords(raw: Vec<Name>, yaml: &YamlSource, diagnostics: &mut Diagnostics) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for (i, word) in raw.into_iter().enumerate() {
        let word = word.into_string().trim().to_string();
        let at = [Seg::Key("keywords"), Seg::Index(i)];
        let problem = if word.is_empty() {
            Some(("Das Stichwort ist leer.".to_string(), "Schreiben Sie jedes Stichwort in die Liste, z. B. „keywords: [dDatabox, Funktionspostfach]“, oder löschen Sie den leeren Eintrag."))
        } else if kept.contains(&word) {
            Some((
                format!("Das Stichwort „{word}“ steht zweimal in der Liste."),
                "Löschen Sie den zweiten Eintrag.",
            ))
        } else {
            None
        };
        match problem {
            Some((m, hint)) => {
                diagnostics.push(invalid(Code::InvalidKeyword, yaml, &at, m).with_hint(hint))
            }
            None => kept.push(word),
        }
    }
    kept
}

/// Each alias normalised, with its place in the front matter; one that
/// cannot be an old URL (or a file name) is an error there.
fn check_aliases(raw: &[String], yaml: &YamlSource, diagnostics: &mut Diagnostics) -> Vec<Alias> {
    let mut aliases = Vec::new();
    for (i, written) in raw.iter().enumerate() {
        let at = [Seg::Key("aliases"), Seg::Index(i)];
        match routes::alias(written) {
            Ok(path) => aliases.push(Alias {
                path,
                written: written.clone(),
                position: yaml.position(&at),
            }),
            Err(m) => diagnostics.push(invalid(Code::InvalidAlias, yaml, &at, m).with_hint(
                "Schreiben Sie die alte Adresse als Pfad ab der Startseite, z. B. \"/alte-seite/\" oder \"/alt.html\", ohne Leerzeichen, Steuerzeichen und die Zeichen \\ ? # % \" < > | * :.",
            )),
        }
    }
    aliases
}

pub(super) fn invalid(code: Code, yaml: &YamlSource, path: &[Seg], message: String) -> Diagnostic {
    Diagnostic::error(code, yaml.file, yaml.position(path), message)
}

/// The step number and slug of `schritte/NN-slug.md`, or a diagnostic.
pub(super) fn step_name(file: &Path, rel: &str) -> Result<(u32, String), Diagnostic> {
    let name = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let parsed = name.split_once('-').and_then(|(n, slug)| {
        let number = n.parse::<u32>().ok().filter(|_| n.len() == 2)?;
        is_slug(slug).then(|| (number, slug.to_string()))
    });
    parsed.ok_or_else(|| {
        Diagnostic::error(
            Code::StepName,
            file,
            Position::START,
            format!("Der Dateiname „{name}.md“ passt nicht zu einem Schritt."),
        )
        .with_hint(format!(
            "Schritte heißen „NN-name.md“ mit zweistelliger Nummer und kleingeschriebenem Namen, z. B. „01-{}.md“.",
            crate::slug::slugify(name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-'))
        ))
    })
}

/// A page file name must already be a clean URL segment.
pub(super) fn check_page_name(file: &Path, rel: &str) -> Option<Diagnostic> {
    let without_ext = rel.trim_end_matches(".md");
    let bad = without_ext.split('/').find(|segment| !is_slug(segment))?;
    let suggestion = crate::slug::slugify(bad);
    Some(
        Diagnostic::error(
            Code::FileName,
            file,
            Position::START,
            format!("„{bad}“ ergibt keine saubere Adresse: Datei- und Ordnernamen bestehen aus Kleinbuchstaben, Ziffern und Bindestrichen."),
        )
        .with_hint(format!("Benennen Sie „{bad}“ um in „{suggestion}“.")),
    )
}

/// Check a service's mailbox.
pub(super) fn check_mailbox(
    yaml: &YamlSource,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Email> {
    Email::parse(text)
        .map_err(|m| {
            let d = invalid(Code::InvalidEmail, yaml, &[Seg::Key("mailbox")], m);
            diagnostics.push(d.with_hint(super::values::EMAIL_HINT))
        })
        .ok()
}
