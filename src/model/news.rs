//! `aktuelles/YYYY-MM-DD-slug.md` → a [`News`] item: the date comes from the
//! file name and must agree with the front matter's `date:`; `services:`
//! names services the item belongs to (shown on their pages and in their
//! feeds); `example: true` marks it as example content, like example
//! municipalities. The page's address leaves the date out: `/aktuelles/<slug>/`.

use schemars::JsonSchema;
use serde::Deserialize;

use super::pages::{invalid, parse_markdown, ParsedPage, RawPageMeta};
use super::values::{is_slug, Date};
use super::News;
use crate::content::unique::{Description, Name};
use crate::content::yaml::Seg;
use crate::content::SourceFile;
use crate::diagnostics::{did_you_mean, Code, Diagnostic, Diagnostics, Position};
use crate::routes;

/// Front matter of a news item: a page's keys, `date:` required, plus
/// `services:` and `example:`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Kopfbereich einer Meldung (Aktuelles)")]
pub(super) struct RawNewsMeta {
    #[schemars(description = "Titel der Meldung")]
    title: Name,
    #[serde(default)]
    #[schemars(description = "Ein Satz, worum es in der Meldung geht")]
    description: Description,
    #[schemars(
        regex(pattern = r"^\d{4}-\d{2}-\d{2}$"),
        description = "Datum als JJJJ-MM-TT, gleich dem Datum im Dateinamen"
    )]
    date: String,
    #[serde(default)]
    #[schemars(description = "true: Entwurf, nur mit --drafts gebaut")]
    draft: bool,
    #[schemars(description = "Anderes Template des Themes, z. B. news.html")]
    template: Option<String>,
    #[serde(default)]
    #[schemars(description = "Alte Adressen, die hierher weiterleiten, z. B. /alt/")]
    aliases: Vec<String>,
    #[serde(default)]
    #[schemars(
        length(max = 50),
        description = "Stichwörter für das Stichwortverzeichnis"
    )]
    keywords: Vec<Name>,
    #[serde(default)]
    #[schemars(
        description = "Dienste, zu denen die Meldung gehört (Dateinamen aus content/dienste/ ohne .md)"
    )]
    pub(super) services: Vec<String>,
    #[serde(default)]
    #[schemars(description = "true: Beispielmeldung, als Beispiel gekennzeichnet")]
    pub(super) example: bool,
}

fn page_meta(raw: &RawNewsMeta) -> RawPageMeta {
    RawPageMeta::new(
        raw.title.clone(),
        raw.description.clone(),
        Some(raw.date.clone()),
        raw.draft,
        raw.template.clone(),
        raw.aliases.clone(),
        raw.keywords.clone(),
    )
}

/// A news file read as far as its own parts go.
pub(super) type NewsPage = ParsedPage<RawNewsMeta>;

/// Parse a news file (front matter and body).
pub(super) fn parse_news(file: &SourceFile) -> (Option<NewsPage>, Vec<Diagnostic>) {
    let mut local = Diagnostics::new();
    let parsed = parse_markdown::<RawNewsMeta>(file, &mut local, page_meta);
    (parsed, local.into_iter().collect())
}

/// The date and slug of `aktuelles/YYYY-MM-DD-slug.md`, or a diagnostic.
pub(super) fn news_name(file: &SourceFile) -> Result<(Date, String), Diagnostic> {
    let name = file.rel.rsplit('/').next().unwrap_or_default();
    let name = name.trim_end_matches(".md");
    let parsed = (name.get(..10).zip(name.get(10..)))
        .and_then(|(date, rest)| Some((Date::parse(date).ok()?, rest.strip_prefix('-')?)))
        .filter(|(_, slug)| is_slug(slug));
    parsed.map(|(date, slug)| (date, slug.to_string())).ok_or_else(|| {
        Diagnostic::error(
            Code::NewsDate,
            &file.path,
            Position::START,
            format!("Der Dateiname „{name}.md“ passt nicht zu einer Meldung."),
        )
        .with_hint("Meldungen heißen „JJJJ-MM-TT-name.md“ mit dem Tag der Meldung und einem kleingeschriebenen Namen, z. B. „2026-11-20-drei-neue-kommunen.md“.")
    })
}

/// The news item, checked against its file name and the site's services.
pub(super) fn news(
    parsed: NewsPage,
    (date, slug): (Date, String),
    service_ids: &[&str],
    d: &mut Diagnostics,
) -> Option<News> {
    let yaml = parsed.yaml();
    let written = parsed.page.meta.date;
    if written.is_some_and(|w| w != date) {
        let m = format!(
            "Das Datum „{}“ passt nicht zum Dateinamen, der mit {} beginnt.",
            parsed.raw.date,
            date.iso()
        );
        let hint = format!(
            "Schreiben Sie „date: {}“ oder benennen Sie die Datei um.",
            date.iso()
        );
        d.push(invalid(Code::NewsDate, &yaml, &[Seg::Key("date")], m).with_hint(hint));
        return None;
    }
    let mut ok = true;
    for (i, service) in parsed.raw.services.iter().enumerate() {
        if service_ids.contains(&service.as_str()) {
            continue;
        }
        ok = false;
        let m = format!("Den Dienst „{service}“ gibt es nicht.");
        let hint = did_you_mean(service, service_ids.iter().copied()).unwrap_or_else(|| {
            format!(
                "Bekannte Dienste (Dateien in content/dienste/): {}.",
                service_ids.join(", ")
            )
        });
        let at = [Seg::Key("services"), Seg::Index(i)];
        d.push(invalid(Code::UnknownService, &yaml, &at, m).with_hint(hint));
    }
    let mut page = parsed.page;
    page.path = routes::news(&slug);
    ok.then(|| News {
        date,
        slug,
        services: parsed.raw.services.clone(),
        example: parsed.raw.example,
        page,
    })
}

#[cfg(test)]
mod tests {
    use crate::content::MarkdownKind;
    use crate::model::build::tests::{errors_of, valid_raw_site, with_markdown};
    use crate::model::{build, BuildOptions};

    fn with_news(rel: &str, front: &str) -> crate::content::RawSite {
        let text = format!("---\n{front}---\nText.\n");
        with_markdown(valid_raw_site(), MarkdownKind::News, rel, &text)
    }

    #[test]
    fn a_news_item_takes_its_date_from_the_file_name_and_leaves_it_out_of_the_address() {
        let raw = with_news(
            "aktuelles/2026-11-20-drei-kommunen.md",
            "title: Drei Kommunen\ndate: 2026-11-20\nservices: [alpha]\nexample: true\nkeywords: [dDatabox]\n",
        );
        let raw = with_markdown(
            raw,
            MarkdownKind::News,
            "aktuelles/2026-12-01-neu.md",
            "---\ntitle: Neu\ndate: 2026-12-01\n---\n",
        );
        let (site, d) = build(raw, &BuildOptions::default());
        assert!(d.is_empty(), "{d:?}");
        let site = site.unwrap();
        let shown: Vec<String> = (site.news.iter())
            .map(|n| {
                format!(
                    "{} {} {} {:?} {} {:?}",
                    n.date.iso(),
                    n.slug,
                    n.page.path,
                    n.services,
                    n.example,
                    n.page.meta.keywords
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "2026-12-01 neu aktuelles/neu/ [] false []",
                "2026-11-20 drei-kommunen aktuelles/drei-kommunen/ [\"alpha\"] true [\"dDatabox\"]"
            ]
        );
        assert!(site
            .all_pages()
            .any(|p| p.path.as_str() == "aktuelles/neu/"));
    }

    #[test]
    fn date_file_name_and_services_are_checked() {
        let errors = errors_of(with_news(
            "aktuelles/2026-11-20-x.md",
            "title: X\ndate: 2026-11-21\n",
        ));
        assert_eq!(errors, ["[news-date] content/aktuelles/2026-11-20-x.md:3:7: Das Datum „2026-11-21“ passt nicht zum Dateinamen, der mit 2026-11-20 beginnt.\n  Hinweis: Schreiben Sie „date: 2026-11-20“ oder benennen Sie die Datei um."]);
        let errors = errors_of(with_news(
            "aktuelles/neuigkeit.md",
            "title: X\ndate: 2026-11-21\n",
        ));
        assert_eq!(errors, ["[news-date] content/aktuelles/neuigkeit.md:1:1: Der Dateiname „neuigkeit.md“ passt nicht zu einer Meldung.\n  Hinweis: Meldungen heißen „JJJJ-MM-TT-name.md“ mit dem Tag der Meldung und einem kleingeschriebenen Namen, z. B. „2026-11-20-drei-neue-kommunen.md“."]);
        let errors = errors_of(with_news(
            "aktuelles/2026-02-30-x.md",
            "title: X\ndate: 2026-02-30\n",
        ));
        assert!(
            errors[0].starts_with("[news-date] content/aktuelles/2026-02-30-x.md:1:1:"),
            "{errors:?}"
        );
        let errors = errors_of(with_news(
            "aktuelles/2026-11-20-x.md",
            "title: X\ndate: 2026-11-20\nservices: [alpa]\n",
        ));
        assert_eq!(errors, ["[unknown-service] content/aktuelles/2026-11-20-x.md:4:12: Den Dienst „alpa“ gibt es nicht.\n  Hinweis: Meinten Sie „alpha“?"]);
        let errors = errors_of(with_news("aktuelles/2026-11-20-x.md", "title: X\n"));
        assert!(errors[0].starts_with("[missing-key]"), "{errors:?}");
        let errors = errors_of(with_news(
            "aktuelles/2026-11-20-x.md",
            "title: X\ndate: 2026-11-20\nkeywords: [a, a, \" \"]\n",
        ));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].contains("Das Stichwort „a“ steht zweimal in der Liste."),
            "{errors:?}"
        );
        assert!(errors[1].contains("Das Stichwort ist leer."), "{errors:?}");
    }
}
