//! Raw files → the validated [`Site`]: parse every file, resolve references
//! between them (services → LeiKas, contacts, downloads; municipalities →
//! services), check that no two things claim one URL, and report all
//! problems of the run at once.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::data;
use super::pages::{self, check_mailbox, step_name, ParsedPage};
use super::parsers::{MunicipalityContext, Parsed, Parsers, ServicePage};
use super::values::LeikaKey;
use super::{news, Contact, Leika, News, Page, QuestionnaireFile, Service, Site, Step};
use crate::config;
use crate::content::yaml::Seg;
use crate::content::{MarkdownKind, RawSite, SourceFile};
use crate::diagnostics::{did_you_mean, suggestion_then, Code, Diagnostic, Diagnostics, Position};
use crate::routes::{self, BaseUrl, SitePath, SourcePath};

/// Choices of the person running the build that change what the model holds.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub drafts: bool,
    pub base_url: Option<BaseUrl>,
    /// When set (by `check`), status dates after this day are errors.
    pub today: Option<super::Date>,
}

/// Validate a raw site. Returns what validated (files with errors of their
/// own left out and named in [`Site::with_errors`]) and every diagnostic;
/// no site only when `site.yaml` or the home page is unusable.
pub fn build(raw: RawSite, options: &BuildOptions) -> (Option<Site>, Diagnostics) {
    build_with(raw, options, Parsers::PLAIN)
}

/// Like [`build`], parsing each file with `parsers`.
pub fn build_with(
    mut raw: RawSite,
    options: &BuildOptions,
    parsers: Parsers,
) -> (Option<Site>, Diagnostics) {
    let mut d = Diagnostics::new();
    let config = config::parse(raw.config.as_ref(), &mut d).map(|mut c| {
        if let Some(base) = &options.base_url {
            c.base_url = base.clone();
        }
        c
    });
    let leikas = data::leikas(raw.leikas.as_ref(), &mut d);
    let (contacts, broken_contacts) = data::contacts(raw.contacts.as_ref(), &mut d);
    let laender = super::laender::laender(raw.laender.as_ref(), &mut d);
    let questionnaire = super::questionnaire::questionnaire(raw.questionnaire.as_ref(), &mut d);
    let mut assets = std::mem::take(&mut raw.assets);
    assets.sort_by(|a, b| a.rel.cmp(&b.rel));
    let catalogue = Catalogue {
        leikas: &leikas,
        contacts: &contacts,
        broken_contacts: &broken_contacts,
        assets: &assets,
        generates_questionnaires: raw.questionnaire.is_some(),
    };
    let mut drafts = Vec::new();
    let md = markdown_files(
        &raw.markdown,
        options.drafts,
        &catalogue,
        &mut drafts,
        &mut d,
        parsers,
    );
    let municipalities = municipalities(&raw, options, parsers, &mut d);
    let home = md.home.or_else(|| {
        d.push(missing_home());
        None
    });
    let (Some(config), Some(home)) = (config, home) else {
        return (None, d.sorted());
    };
    let mut site = Site {
        config,
        home,
        pages: md.pages,
        steps: md.steps,
        services: md.services,
        news: md.news,
        municipalities,
        leikas,
        contacts,
        assets,
        link_targets: BTreeMap::new(),
        drafts,
        with_errors: Vec::new(),
        contacts_with_errors: broken_contacts,
        laender,
        questionnaire,
    };
    site.link_targets = link_targets(&site);
    site.with_errors = left_out(&raw.markdown, &raw.municipalities, &site);
    (Some(site), d.sorted())
}

/// The valid municipality files, by Land then name; each file's problems go to `d`.
fn municipalities(
    raw: &RawSite,
    options: &BuildOptions,
    parsers: Parsers,
    d: &mut Diagnostics,
) -> Vec<super::Municipality> {
    // Every service file counts as known, even one with errors or a draft, so
    // that one mistake in a service does not echo through every municipality.
    let service_ids: Vec<&str> = raw
        .markdown
        .iter()
        .filter(|(kind, _)| *kind == MarkdownKind::Service)
        .map(|(_, f)| routes::service_id(&f.rel))
        .collect();
    let context = MunicipalityContext {
        service_ids: &service_ids,
        today: options.today,
    };
    let parsed: Vec<_> = (raw.municipalities.par_iter())
        .map(|f| (parsers.municipality)(f, context))
        .collect();
    let mut municipalities: Vec<_> = parsed
        .into_iter()
        .filter_map(|(m, found)| {
            d.extend(found);
            m
        })
        .collect();
    municipalities
        .sort_by(|a, b| (a.land.name(), &a.name, &a.id).cmp(&(b.land.name(), &b.name, &b.id)));
    check_unique_names(&municipalities, &raw.municipalities, d);
    municipalities
}

fn missing_home() -> Diagnostic {
    Diagnostic::error(
        Code::MissingFile,
        "content/index.md",
        Position::START,
        "Die Startseite content/index.md fehlt.",
    )
    .with_hint("Legen Sie content/index.md an, mit „title: …“ im Kopfbereich.")
}

/// Source paths of the files that exist but are not in `site` (errors of
/// their own; drafts are not among them).
fn left_out(
    markdown: &[(MarkdownKind, SourceFile)],
    municipalities: &[SourceFile],
    site: &Site,
) -> Vec<SourcePath> {
    let present: std::collections::HashSet<&str> = site
        .all_pages()
        .map(|p| p.source.as_str())
        .chain(site.drafts.iter().map(SourcePath::as_str))
        .collect();
    let ids: std::collections::HashSet<&str> =
        site.municipalities.iter().map(|m| m.id.as_str()).collect();
    let pages = markdown
        .iter()
        .map(|(_, f)| &f.rel)
        .filter(|rel| !present.contains(rel.as_str()));
    let kommunen = (municipalities.iter().map(|f| &f.rel))
        .filter(|rel| routes::municipality_id(rel).is_none_or(|id| !ids.contains(id)));
    let mut all: Vec<SourcePath> = pages.chain(kommunen).cloned().collect();
    all.sort();
    all
}

struct Catalogue<'a> {
    leikas: &'a BTreeMap<LeikaKey, Leika>,
    contacts: &'a BTreeMap<String, Contact>,
    /// Contact ids whose entries have errors of their own.
    broken_contacts: &'a [String],
    assets: &'a [crate::content::AssetFile],
    /// `daten/fragebogen.yaml` is there: services without a file of their
    /// own get a generated questionnaire.
    generates_questionnaires: bool,
}

#[derive(Default)]
struct MarkdownFiles {
    home: Option<Page>,
    pages: Vec<Page>,
    steps: Vec<Step>,
    services: Vec<Service>,
    news: Vec<News>,
}

fn markdown_files(
    files: &[(MarkdownKind, SourceFile)],
    with_drafts: bool,
    catalogue: &Catalogue,
    drafts: &mut Vec<SourcePath>,
    d: &mut Diagnostics,
    parsers: Parsers,
) -> MarkdownFiles {
    let mut out = MarkdownFiles::default();
    let mut service_files = Vec::new();
    let mut page_files = Vec::new();
    let mut news_files = Vec::new();
    for (kind, file) in files {
        match name_problem(*kind, file) {
            Some(problem) => d.push(problem),
            None if *kind == MarkdownKind::Service => service_files.push(file),
            None if *kind == MarkdownKind::News => news_files.push(file),
            None => page_files.push((*kind, file)),
        }
    }
    out.news = news_items(&news_files, files, with_drafts, drafts, d);
    let services: Vec<_> = (service_files.par_iter())
        .map(|f| (parsers.service)(f))
        .collect();
    for parsed in services {
        let Some(parsed) = take_parsed(parsed, d) else {
            continue;
        };
        if keep(&parsed, with_drafts, drafts) {
            out.services.extend(service(parsed, catalogue, d));
        }
    }
    let pages: Vec<_> = (page_files.par_iter())
        .map(|(_, f)| (parsers.page)(f))
        .collect();
    for ((kind, _), parsed) in page_files.iter().zip(pages) {
        let Some(parsed) = take_parsed(parsed, d) else {
            continue;
        };
        if keep(&parsed, with_drafts, drafts) {
            place_page(*kind, parsed.page, &mut out, d);
        }
    }
    out.steps.sort_by_key(|s| s.number);
    check_step_numbers(&out.steps, d);
    out.services.sort_by(|a, b| {
        (a.page.meta.weight, &a.page.meta.title).cmp(&(b.page.meta.weight, &b.page.meta.title))
    });
    out
}

/// The news items, newest first (then by slug); the file names were checked.
fn news_items(
    news_files: &[&SourceFile],
    files: &[(MarkdownKind, SourceFile)],
    with_drafts: bool,
    drafts: &mut Vec<SourcePath>,
    d: &mut Diagnostics,
) -> Vec<News> {
    let service_ids: Vec<&str> = (files.iter())
        .filter(|(kind, _)| *kind == MarkdownKind::Service)
        .map(|(_, f)| routes::service_id(&f.rel))
        .collect();
    let mut items = Vec::new();
    for file in news_files {
        let Ok(name) = news::news_name(file) else {
            continue;
        };
        let Some(parsed) = take_parsed(news::parse_news(file), d) else {
            continue;
        };
        if keep(&parsed, with_drafts, drafts) {
            items.extend(news::news(parsed, name, &service_ids, d));
        }
    }
    items.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    items
}

fn take_parsed<M>(
    (parsed, found): Parsed<ParsedPage<M>>,
    d: &mut Diagnostics,
) -> Option<ParsedPage<M>> {
    d.extend(found);
    parsed
}

/// Two files for the same municipality (same name in one Land) are a copy by mistake.
fn check_unique_names(
    municipalities: &[super::Municipality],
    files: &[SourceFile],
    d: &mut Diagnostics,
) {
    for pair in municipalities.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.land != b.land || a.name != b.name {
            continue;
        }
        let Some(file) = files.iter().find(|f| f.rel == b.source) else {
            continue;
        };
        let at = crate::content::yaml::YamlSource::new(&file.path, &file.text, 0)
            .position(&[Seg::Key("name")]);
        let m = format!(
            "„{}“ in {} gibt es schon: {}.",
            b.name,
            b.land.name(),
            routes::source_file(&a.source)
        );
        d.push(Diagnostic::error(Code::DuplicateMunicipality, &file.path, at, m).with_hint(
            "Führen Sie beide Dateien zusammen; sind es verschiedene Behörden (Stadt und Kreis), machen Sie das im Namen deutlich.",
        ));
    }
}

fn keep<M>(parsed: &ParsedPage<M>, with_drafts: bool, drafts: &mut Vec<SourcePath>) -> bool {
    if parsed.draft && !with_drafts {
        drafts.push(parsed.page.source.clone());
        return false;
    }
    true
}

fn name_problem(kind: MarkdownKind, file: &SourceFile) -> Option<Diagnostic> {
    match kind {
        MarkdownKind::Step => step_name(&file.path, &file.rel).err(),
        MarkdownKind::Home => None,
        MarkdownKind::Service | MarkdownKind::Page => pages::check_page_name(&file.path, &file.rel),
        MarkdownKind::News => news::news_name(file).err(),
    }
}

fn place_page(kind: MarkdownKind, page: Page, out: &mut MarkdownFiles, d: &mut Diagnostics) {
    match kind {
        MarkdownKind::Home => out.home = Some(page),
        MarkdownKind::Step => match step_name(&page.body.file, &page.source) {
            Ok((number, slug)) => out.steps.push(Step { number, slug, page }),
            Err(e) => d.push(e),
        },
        _ => out.pages.push(page),
    }
}

fn check_step_numbers(steps: &[Step], d: &mut Diagnostics) {
    for pair in steps.windows(2) {
        if pair[0].number == pair[1].number {
            d.push(
                Diagnostic::error(
                    Code::DuplicateStep,
                    &pair[1].page.body.file,
                    Position::START,
                    format!(
                        "Die Schrittnummer {:02} ist doppelt vergeben (auch {}).",
                        pair[1].number, pair[0].page.source
                    ),
                )
                .with_hint("Geben Sie jedem Schritt eine eigene Nummer."),
            );
        }
    }
}

fn service(parsed: ServicePage, catalogue: &Catalogue, d: &mut Diagnostics) -> Option<Service> {
    let yaml = parsed.yaml();
    let raw = &parsed.raw;
    let id = routes::service_id(&parsed.page.source).to_string();
    let leikas = service_leikas(&parsed, catalogue, d);
    if raw.questionnaire.is_none() && !catalogue.generates_questionnaires {
        let m = format!(
            "Der Dienst „{}“ hat keinen Anbindungsfragebogen.",
            parsed.page.meta.title
        );
        d.push(Diagnostic::warning(Code::NoQuestionnaire, yaml.file, Position::START.below(1), m).with_hint(
            "Legen Sie den Fragebogen in content/downloads/ ab und tragen Sie ihn ein: „questionnaire: downloads/….xlsx“.",
        ));
    }
    let generated = (catalogue.generates_questionnaires && raw.questionnaire.is_none())
        .then(|| QuestionnaireFile::Generated(routes::generated_questionnaire(&id)));
    let questionnaire = generated.or_else(|| raw.questionnaire.as_deref().and_then(|q| {
        let rel = q.trim_start_matches('/');
        if catalogue.assets.iter().any(|a| a.rel == rel) {
            return Some(QuestionnaireFile::Own(rel.to_string()));
        }
        let known = catalogue.assets.iter().map(|a| a.rel.as_str());
        let hint = did_you_mean(rel, known).unwrap_or_else(|| "Legen Sie die Datei in content/downloads/ ab und geben Sie den Pfad ab content/ an, z. B. downloads/fragebogen.xlsx.".into());
        let m = format!("Die Fragebogen-Datei „{q}“ gibt es nicht unter content/.");
        d.push(Diagnostic::error(Code::MissingDownload, yaml.file, yaml.position(&[Seg::Key("questionnaire")]), m).with_hint(hint));
        None
    }));
    for (i, contact) in raw.contacts.iter().enumerate() {
        if !catalogue.contacts.contains_key(contact) && !catalogue.broken_contacts.contains(contact)
        {
            let m =
                format!("Den Kontakt „{contact}“ gibt es in content/daten/kontakte.yaml nicht.");
            let hint = suggest(
                contact,
                catalogue.contacts.keys().map(String::as_str),
                "Kontakte",
            );
            d.push(
                Diagnostic::error(
                    Code::UnknownContact,
                    yaml.file,
                    yaml.position(&[Seg::Key("contacts"), Seg::Index(i)]),
                    m,
                )
                .with_hint(hint),
            );
        }
    }
    let mailbox = check_mailbox(&yaml, &raw.mailbox, d);
    Some(Service {
        id,
        topic: raw.topic.0.clone(),
        summary: raw.summary.0.clone(),
        leikas,
        questionnaire,
        mailbox: mailbox?,
        contacts: raw.contacts.clone(),
        contact_form: raw.contact_form,
        page: parsed.page,
    })
}

fn service_leikas(
    parsed: &ServicePage,
    catalogue: &Catalogue,
    d: &mut Diagnostics,
) -> Vec<LeikaKey> {
    let yaml = parsed.yaml();
    let mut keys = Vec::new();
    for (i, text) in parsed.raw.leikas.iter().enumerate() {
        let at = yaml.position(&[Seg::Key("leikas"), Seg::Index(i)]);
        match LeikaKey::parse(text) {
            Err(m) => d.push(Diagnostic::error(Code::InvalidLeika, yaml.file, at, m)),
            Ok(key) if !catalogue.leikas.contains_key(&key) => d.push(
                Diagnostic::error(
                    Code::UnknownLeika,
                    yaml.file,
                    at,
                    format!(
                        "Den LeiKa-Schlüssel {text} gibt es in content/daten/leikas.yaml nicht."
                    ),
                )
                .with_hint(format!(
                    "Tragen Sie ihn dort ein: „- key: \"{text}\"“ und „  name: …“."
                )),
            ),
            Ok(key) => {
                if catalogue.leikas.get(&key).is_some_and(|l| !l.confirmed) {
                    d.push(unconfirmed_key_warning(yaml.file, at, text));
                }
                keys.push(key)
            }
        }
    }
    if parsed.raw.leikas.is_empty() {
        d.push(
            Diagnostic::warning(Code::NoLeika, yaml.file, yaml.position(&[Seg::Key("leikas")]), format!("Der Dienst „{}“ hat noch keinen LeiKa-Schlüssel.", parsed.page.meta.title))
                .with_hint("Bis Sie die Schlüssel unter „leikas:“ eintragen, sagt die Seite „noch nicht festgelegt“ und nennt das Postfach des Dienstes."),
        );
    }
    keys
}

/// A service lists a key that `leikas.yaml` marks `confirmed: false`: the page
/// never shows such a key as the service's key, so the editor is told.
fn unconfirmed_key_warning(file: &std::path::Path, at: Position, text: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::UnconfirmedLeika,
        file,
        at,
        format!("Der LeiKa-Schlüssel {text} ist in content/daten/leikas.yaml als nicht bestätigt markiert („confirmed: false“); die Seite des Dienstes zeigt ihn nicht an."),
    )
    .with_hint("Tragen Sie dort „confirmed: true“ ein, sobald der Schlüssel bestätigt ist, oder nehmen Sie ihn hier aus „leikas:“ heraus.")
}

fn suggest<'a>(word: &str, known: impl Iterator<Item = &'a str> + Clone, what: &str) -> String {
    let list: Vec<&str> = known.clone().collect();
    if list.is_empty() {
        return format!("Es sind noch keine {what} eingetragen (content/daten/).");
    }
    suggestion_then(
        did_you_mean(word, known),
        format!("Bekannte {what}: {}.", list.join(", ")),
    )
}

/// Every source path a link may name, mapped to its site path. (That no two
/// things claim one output file is checked when the outputs are planned, in
/// `render::outputs`, where the theme's files are known too.)
fn link_targets(site: &Site) -> BTreeMap<SourcePath, SitePath> {
    let pages = site
        .all_pages()
        .map(|page| (page.source.clone(), page.path.clone()));
    let assets = site
        .assets
        .iter()
        .map(|asset| (asset.rel.clone(), routes::asset(&asset.rel)));
    let generated = (site.services.iter())
        .filter_map(|s| match &s.questionnaire {
            Some(QuestionnaireFile::Generated(rel)) => Some(rel),
            _ => None,
        })
        .map(|rel| (routes::source(rel.clone()), routes::asset(rel)));
    pages.chain(assets).chain(generated).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The small valid site of these tests, for tests of later stages.
    pub(crate) fn valid_site() -> Site {
        build(valid_raw_site(), &BuildOptions::default())
            .0
            .expect("the test site validates")
    }

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile::new(format!("content/{rel}"), rel, text)
    }

    const CONFIG: &str = "title: Test\nbase_url: https://test.example.de/\n";
    const LEIKAS: &str = "- key: \"99000000001000\"\n  name: Alpha beantragen\n";
    const TEAM: &str = "- id: team\n  name: Team\n  email: team@test.example.de\n";
    const CONTACTS: &str = "- id: team\n  name: Team\n  email: team@test.example.de\n- id: kaputt\n  name: Kaputt\n  email: kaputt\n";
    const ALPHA: &str = "---\ntitle: Alpha\ntopic: Familie\nsummary: Der Dienst.\nleikas: [\"99000000001000\"]\nquestionnaire: downloads/alpha.xlsx\nmailbox: alpha@test.example.de\ncontacts: [team, kaputt]\n---\nText.\n";

    /// A small site that validates: home, a page, two steps, a service, a municipality.
    fn raw_site() -> RawSite {
        RawSite {
            config: Some(file("site.yaml", CONFIG)),
            markdown: vec![
                (MarkdownKind::Home, file("index.md", "---\ntitle: Start\n---\nHallo.\n")),
                (MarkdownKind::Page, file("impressum.md", "---\ntitle: Impressum\n---\nWir.\n")),
                (MarkdownKind::Step, file("schritte/02-eintragen.md", "---\ntitle: Eintragen\n---\n")),
                (MarkdownKind::Step, file("schritte/01-vorbereiten.md", "---\ntitle: Vorbereiten\n---\n")),
                (MarkdownKind::Service, file("dienste/alpha.md", ALPHA)),
            ],
            municipalities: vec![file(
                "kommunen/musterstadt.yaml",
                "name: Musterstadt\nstate: Bremen\nservices:\n  alpha: {status: live, since: 2026-01-01}\n",
            )],
            leikas: Some(file("daten/leikas.yaml", LEIKAS)),
            contacts: Some(file("daten/kontakte.yaml", CONTACTS)),
            laender: None,
            questionnaire: None,
            assets: vec![crate::content::AssetFile {
                rel: "downloads/alpha.xlsx".into(),
                absolute: "/nirgends/alpha.xlsx".into(),
                size: 1,
            }],
        }
    }

    /// Each diagnostic as `[code] path:line:col: message` plus its hint.
    use super::super::data::tests::shown;

    /// Replace (or add) the Markdown file `rel` of a raw site.
    pub(crate) fn with_markdown(
        mut raw: RawSite,
        kind: MarkdownKind,
        rel: &str,
        text: &str,
    ) -> RawSite {
        raw.markdown.retain(|(_, f)| f.rel != rel);
        raw.markdown.push((kind, file(rel, text)));
        raw
    }

    pub(crate) fn errors_of(raw: RawSite) -> Vec<String> {
        let (site, d) = build(raw, &BuildOptions::default());
        // What validated is kept even with errors; only a missing home or site.yaml leaves none.
        assert!(site.is_some() || d.has_errors());
        shown(&d)
    }

    /// The contact `kaputt` has an error of its own, which every site here shares.
    const KAPUTT: &str = "[invalid-email] content/daten/kontakte.yaml:6:10: „kaputt“ ist keine gültige E-Mail-Adresse (Form: name@beispiel.de).\n  Hinweis: Schreiben Sie nur die Adresse, z. B. info@beispiel.bremen.de, ohne „mailto:“, Leerzeichen oder Zusätze wie „?subject=…“.";

    pub(crate) fn valid_raw_site() -> RawSite {
        let mut raw = raw_site();
        raw.contacts = Some(file("daten/kontakte.yaml", TEAM));
        raw.markdown = raw
            .markdown
            .into_iter()
            .map(|(k, f)| {
                let text = f.text.replace("[team, kaputt]", "[team]");
                (k, file(&f.rel, &text))
            })
            .collect();
        raw
    }

    #[test]
    fn a_valid_site_is_assembled_in_order_with_its_link_targets() {
        let (site, d) = build(valid_raw_site(), &BuildOptions::default());
        assert_eq!(shown(&d), Vec::<String>::new());
        let site = site.unwrap();
        let steps: Vec<_> = site
            .steps
            .iter()
            .map(|s| (s.number, s.slug.as_str()))
            .collect();
        assert_eq!(steps, [(1, "vorbereiten"), (2, "eintragen")]);
        let service = &site.services[0];
        assert_eq!(
            (
                service.id.as_str(),
                service.leikas[0].as_str(),
                service.questionnaire.as_ref()
            ),
            (
                "alpha",
                "99000000001000",
                Some(&QuestionnaireFile::Own("downloads/alpha.xlsx".into()))
            )
        );
        assert_eq!(site.municipalities[0].usages[0].service, "alpha");
        assert_eq!(site.config.base_url.absolute(), "https://test.example.de/");
        let targets: Vec<String> = site
            .link_targets
            .iter()
            .map(|(source, path)| format!("{source} → {path}"))
            .collect();
        assert_eq!(
            targets,
            [
                "dienste/alpha.md → dienste/alpha/",
                "downloads/alpha.xlsx → downloads/alpha.xlsx",
                "impressum.md → impressum/",
                "index.md → ",
                "schritte/01-vorbereiten.md → schritte/vorbereiten/",
                "schritte/02-eintragen.md → schritte/eintragen/"
            ]
        );
    }

    #[test]
    fn the_base_url_option_replaces_the_configured_one() {
        let options = BuildOptions {
            base_url: Some(BaseUrl::parse("https://host.example/portal/").unwrap()),
            ..BuildOptions::default()
        };
        let site = build(valid_raw_site(), &options).0.unwrap();
        assert_eq!(
            site.config.base_url.absolute(),
            "https://host.example/portal/"
        );
    }

    #[test]
    fn a_contact_with_errors_of_its_own_is_not_reported_again_where_it_is_used() {
        assert_eq!(errors_of(raw_site()), [KAPUTT]);
    }

    #[test]
    fn a_missing_home_page_and_site_yaml_are_reported_together() {
        let mut raw = valid_raw_site();
        raw.config = None;
        raw.markdown.retain(|(k, _)| *k != MarkdownKind::Home);
        assert_eq!(errors_of(raw), ["[missing-file] content/index.md:1:1: Die Startseite content/index.md fehlt.\n  Hinweis: Legen Sie content/index.md an, mit „title: …“ im Kopfbereich.", "[missing-file] content/site.yaml:1:1: Die Datei content/site.yaml fehlt.\n  Hinweis: Legen Sie sie an, mindestens mit „title: …“ und „base_url: https://…/“."]);
    }

    #[test]
    fn drafts_are_left_out_unless_asked_for() {
        let raw = || {
            with_markdown(
                valid_raw_site(),
                MarkdownKind::Page,
                "entwurf.md",
                "---\ntitle: Entwurf\ndraft: true\n---\n",
            )
        };
        let site = build(raw(), &BuildOptions::default()).0.unwrap();
        assert_eq!(site.drafts, ["entwurf.md"]);
        assert_eq!(site.pages.len(), 1);
        let options = BuildOptions {
            drafts: true,
            ..BuildOptions::default()
        };
        let site = build(raw(), &options).0.unwrap();
        assert!(site.drafts.is_empty());
        let pages: Vec<_> = site.pages.iter().map(|p| p.source.as_str()).collect();
        // In the order of the raw site (the loader's walk is sorted; here the draft came last).
        assert_eq!(pages, ["impressum.md", "entwurf.md"]);
    }

    #[test]
    fn two_steps_with_one_number_are_reported() {
        let raw = with_markdown(
            valid_raw_site(),
            MarkdownKind::Step,
            "schritte/01-nochmal.md",
            "---\ntitle: Nochmal\n---\n",
        );
        assert_eq!(errors_of(raw), ["[duplicate-step] content/schritte/01-nochmal.md:1:1: Die Schrittnummer 01 ist doppelt vergeben (auch schritte/01-vorbereiten.md).\n  Hinweis: Geben Sie jedem Schritt eine eigene Nummer."]);
    }

    #[test]
    fn a_step_without_a_number_is_reported() {
        let raw = with_markdown(
            valid_raw_site(),
            MarkdownKind::Step,
            "schritte/eintragen.md",
            "---\ntitle: Ohne Nummer\n---\n",
        );
        assert_eq!(errors_of(raw), ["[step-name] content/schritte/eintragen.md:1:1: Der Dateiname „eintragen.md“ passt nicht zu einem Schritt.\n  Hinweis: Schritte heißen „NN-name.md“ mit zweistelliger Nummer und kleingeschriebenem Namen, z. B. „01-eintragen.md“."]);
    }

    #[test]
    fn one_municipality_in_two_files_is_reported() {
        let mut raw = valid_raw_site();
        let copy = raw.municipalities[0].text.to_string();
        raw.municipalities
            .push(file("kommunen/musterstadt-kopie.yml", &copy));
        assert_eq!(errors_of(raw), ["[duplicate-municipality] content/kommunen/musterstadt-kopie.yml:1:7: „Musterstadt“ in Bremen gibt es schon: content/kommunen/musterstadt.yaml.\n  Hinweis: Führen Sie beide Dateien zusammen; sind es verschiedene Behörden (Stadt und Kreis), machen Sie das im Namen deutlich."]);
    }

    fn service_errors(front_matter_edit: (&str, &str)) -> Vec<String> {
        let text = ALPHA
            .replace("[team, kaputt]", "[team]")
            .replace(front_matter_edit.0, front_matter_edit.1);
        errors_of(with_markdown(
            valid_raw_site(),
            MarkdownKind::Service,
            "dienste/alpha.md",
            &text,
        ))
    }

    #[test]
    fn a_service_without_questionnaire_is_a_warning() {
        assert_eq!(
            service_errors(("questionnaire: downloads/alpha.xlsx\n", "")),
            ["[no-questionnaire] content/dienste/alpha.md:2:1: Warnung: Der Dienst „Alpha“ hat keinen Anbindungsfragebogen.\n  Hinweis: Legen Sie den Fragebogen in content/downloads/ ab und tragen Sie ihn ein: „questionnaire: downloads/….xlsx“."]
        );
    }

    #[test]
    fn a_missing_questionnaire_file_is_reported_with_the_closest_download() {
        assert_eq!(
            service_errors(("downloads/alpha.xlsx", "downloads/alfa.xlsx")),
            ["[missing-download] content/dienste/alpha.md:6:16: Die Fragebogen-Datei „downloads/alfa.xlsx“ gibt es nicht unter content/.\n  Hinweis: Meinten Sie „downloads/alpha.xlsx“?"]
        );
        assert_eq!(
            service_errors(("downloads/alpha.xlsx", "fragebogen/anbindung-gesamt.pdf")),
            ["[missing-download] content/dienste/alpha.md:6:16: Die Fragebogen-Datei „fragebogen/anbindung-gesamt.pdf“ gibt es nicht unter content/.\n  Hinweis: Legen Sie die Datei in content/downloads/ ab und geben Sie den Pfad ab content/ an, z. B. downloads/fragebogen.xlsx."]
        );
    }

    #[test]
    fn an_unknown_contact_is_reported_with_the_known_ones() {
        assert_eq!(
            service_errors(("contacts: [team]", "contacts: [teem, zentrale]")),
            ["[unknown-contact] content/dienste/alpha.md:8:12: Den Kontakt „teem“ gibt es in content/daten/kontakte.yaml nicht.\n  Hinweis: Meinten Sie „team“? Bekannte Kontakte: team.", "[unknown-contact] content/dienste/alpha.md:8:18: Den Kontakt „zentrale“ gibt es in content/daten/kontakte.yaml nicht.\n  Hinweis: Bekannte Kontakte: team."]
        );
        let mut raw = with_markdown(
            valid_raw_site(),
            MarkdownKind::Service,
            "dienste/alpha.md",
            &ALPHA.replace("[team, kaputt]", "[team]"),
        );
        raw.contacts = None;
        assert_eq!(errors_of(raw), ["[unknown-contact] content/dienste/alpha.md:8:12: Den Kontakt „team“ gibt es in content/daten/kontakte.yaml nicht.\n  Hinweis: Es sind noch keine Kontakte eingetragen (content/daten/)."]);
    }

    #[test]
    fn wrong_unknown_and_missing_leika_keys_are_reported() {
        assert_eq!(
            service_errors(("[\"99000000001000\"]", "[\"9900000000100\", \"99000000009000\"]")),
            ["[invalid-leika] content/dienste/alpha.md:5:10: „9900000000100“ ist kein LeiKa-Schlüssel: er hat genau 14 Ziffern und beginnt mit 99 (z. B. \"99072002077000\").", "[unknown-leika] content/dienste/alpha.md:5:27: Den LeiKa-Schlüssel 99000000009000 gibt es in content/daten/leikas.yaml nicht.\n  Hinweis: Tragen Sie ihn dort ein: „- key: \"99000000009000\"“ und „  name: …“."]
        );
        assert_eq!(
            service_errors(("[\"99000000001000\"]", "[]")),
            ["[no-leika] content/dienste/alpha.md:5:9: Warnung: Der Dienst „Alpha“ hat noch keinen LeiKa-Schlüssel.\n  Hinweis: Bis Sie die Schlüssel unter „leikas:“ eintragen, sagt die Seite „noch nicht festgelegt“ und nennt das Postfach des Dienstes."]
        );
    }

    #[test]
    fn a_service_naming_an_unconfirmed_key_gets_a_warning() {
        let text = ALPHA.replace("[team, kaputt]", "[team]");
        let mut raw = with_markdown(
            valid_raw_site(),
            MarkdownKind::Service,
            "dienste/alpha.md",
            &text,
        );
        raw.leikas = Some(file(
            "daten/leikas.yaml",
            "- key: \"99000000001000\"\n  name: Alpha beantragen\n  confirmed: false\n",
        ));
        assert_eq!(
            errors_of(raw),
            ["[unconfirmed-leika] content/dienste/alpha.md:5:10: Warnung: Der LeiKa-Schlüssel 99000000001000 ist in content/daten/leikas.yaml als nicht bestätigt markiert („confirmed: false“); die Seite des Dienstes zeigt ihn nicht an.\n  Hinweis: Tragen Sie dort „confirmed: true“ ein, sobald der Schlüssel bestätigt ist, oder nehmen Sie ihn hier aus „leikas:“ heraus."]
        );
    }
}
