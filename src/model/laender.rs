//! `daten/laender.yaml` → what the site knows of each Land: whether a
//! FIT-Store agreement with Bremen exists, whom a Kommune asks about reuse,
//! the Landesredaktion, and a short note (one paragraph of Markdown). The
//! file is optional; a Land it does not list is unknown ([`LandEntry::unknown`]).

use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use schemars::JsonSchema;
use serde::Deserialize;

use super::data::{checked, choice_hint, land, EMAIL, EMAIL_PATTERN, URL, URL_PATTERN};
use super::pages::invalid;
use super::values::{Email, Land, WebUrl, LAENDER};
use crate::content::unique::Name;
use crate::content::yaml::{Seg, YamlSource};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostics};

/// One entry of `daten/laender.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Land")]
pub(super) struct RawLand {
    #[schemars(schema_with = "land_names", description = "Land, amtlich geschrieben")]
    state: String,
    #[schemars(
        extend("enum" = ["yes", "no", "in_progress", "unknown"]),
        description = "Vereinbarung mit Bremen im FIT-Store: yes (besteht), no (besteht nicht), in_progress (in Abstimmung), unknown (unbekannt)"
    )]
    agreement: String,
    #[schemars(description = "Ansprechstelle für die Nachnutzung und den FIT-Store (optional)")]
    reuse_contact: Option<RawLandContact>,
    #[schemars(
        description = "Landesredaktion: führt Organisationseinheit-IDs und LeiKa-Zuordnungen (optional)"
    )]
    editorial_office: Option<RawLandContact>,
    #[schemars(
        description = "Hinweis zum Land (optional): ein Absatz Markdown; Links nur als https://… oder mailto:…"
    )]
    note: Option<String>,
}

/// A contact place of a Land: a name, and where to reach it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Ansprechstelle")]
struct RawLandContact {
    #[schemars(description = "Name der Stelle")]
    name: Name,
    #[schemars(
        regex(pattern = EMAIL_PATTERN),
        description = "E-Mail-Adresse (optional), nur die Adresse (ohne mailto: und ?subject=…)"
    )]
    email: Option<String>,
    #[schemars(
        regex(pattern = URL_PATTERN),
        description = "Webadresse (optional), beginnt mit https:// oder http://"
    )]
    url: Option<String>,
}

/// The schema of `state`: the official names of the 16 Länder.
fn land_names(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = LAENDER.iter().map(|(_, name)| *name).collect();
    schemars::json_schema!({"type": "string", "enum": names})
}

/// Whether the Land has a FIT-Store agreement with Bremen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agreement {
    Yes,
    No,
    InProgress,
    Unknown,
}

impl Agreement {
    pub const ALL: [Agreement; 4] = [
        Agreement::Yes,
        Agreement::No,
        Agreement::InProgress,
        Agreement::Unknown,
    ];

    pub fn parse(code: &str) -> Option<Agreement> {
        Agreement::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The value as written in `laender.yaml`.
    pub fn code(self) -> &'static str {
        match self {
            Agreement::Yes => "yes",
            Agreement::No => "no",
            Agreement::InProgress => "in_progress",
            Agreement::Unknown => "unknown",
        }
    }

    /// What the site shows.
    pub fn label(self) -> &'static str {
        match self {
            Agreement::Yes => "ja",
            Agreement::No => "nein",
            Agreement::InProgress => "in Abstimmung",
            Agreement::Unknown => "unbekannt",
        }
    }
}

/// A place a Kommune can turn to: the reuse contact or the Landesredaktion.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LandContact {
    pub name: String,
    pub email: Option<Email>,
    pub url: Option<WebUrl>,
}

/// A note: one paragraph of Markdown whose links are web or e-mail addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Note(String);

/// What the site knows of one Land.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LandEntry {
    pub land: Land,
    pub agreement: Agreement,
    pub reuse_contact: Option<LandContact>,
    pub editorial_office: Option<LandContact>,
    pub note: Option<Note>,
}

impl LandEntry {
    /// A Land that `laender.yaml` does not list: nothing is known.
    pub fn unknown(land: Land) -> LandEntry {
        LandEntry {
            land,
            agreement: Agreement::Unknown,
            reuse_contact: None,
            editorial_office: None,
            note: None,
        }
    }
}

/// `daten/laender.yaml` → the entries by Land (in the order of the AGS
/// Land codes); every problem goes to `d`, an entry with one is left out.
pub(super) fn laender(file: Option<&SourceFile>, d: &mut Diagnostics) -> BTreeMap<Land, LandEntry> {
    let mut out = BTreeMap::new();
    let Some(file) = file else { return out };
    let yaml = YamlSource::new(&file.path, &file.text, 0);
    let Ok(raw) = yaml.parse_list::<RawLand>().map_err(|e| d.push(e)) else {
        return out;
    };
    let mut first_lines: BTreeMap<Land, usize> = BTreeMap::new();
    for (i, entry) in raw.iter().enumerate() {
        let at = [Seg::Index(i), Seg::Key("state")];
        let Some(found) = land(&yaml, &at, &entry.state, d) else {
            continue;
        };
        if let Some(line) = first_lines.get(&found) {
            d.push(listed_twice(&yaml, &at, found, *line));
            continue;
        }
        first_lines.insert(found, yaml.position(&at).line);
        if let Some(e) = land_entry(&yaml, i, found, entry, d) {
            out.insert(found, e);
        }
    }
    out
}

fn listed_twice(
    yaml: &YamlSource,
    at: &[Seg],
    land: Land,
    first_line: usize,
) -> crate::diagnostics::Diagnostic {
    let m = format!(
        "{} steht doppelt in der Liste; zuerst in Zeile {first_line}.",
        land.name()
    );
    invalid(Code::DuplicateState, yaml, at, m)
        .with_hint("Führen Sie die beiden Einträge zusammen: je Land gibt es genau einen.")
}

/// One entry's values, each checked (every problem reported); `None` if any is wrong.
fn land_entry(
    yaml: &YamlSource,
    i: usize,
    land: Land,
    raw: &RawLand,
    d: &mut Diagnostics,
) -> Option<LandEntry> {
    let agreement = agreement(yaml, i, &raw.agreement, d);
    let reuse_contact = land_contact(yaml, i, "reuse_contact", raw.reuse_contact.as_ref(), d);
    let editorial_office = land_contact(
        yaml,
        i,
        "editorial_office",
        raw.editorial_office.as_ref(),
        d,
    );
    let note = raw.note.as_deref().map(|text| {
        let at = [Seg::Index(i), Seg::Key("note")];
        Note::parse(text).map_err(|problem| d.push(problem.diagnostic(yaml, &at, land)))
    });
    Some(LandEntry {
        land,
        agreement: agreement?,
        reuse_contact: reuse_contact?,
        editorial_office: editorial_office?,
        note: note.transpose().ok()?.flatten(),
    })
}

fn agreement(yaml: &YamlSource, i: usize, code: &str, d: &mut Diagnostics) -> Option<Agreement> {
    let found = Agreement::parse(code);
    if found.is_none() {
        let hint = choice_hint(code, &Agreement::ALL.map(|a| (a.code(), a.label())));
        let m = format!("Unbekannte Angabe „{code}“ zur Vereinbarung mit Bremen.");
        let at = [Seg::Index(i), Seg::Key("agreement")];
        d.push(invalid(Code::UnknownAgreement, yaml, &at, m).with_hint(hint));
    }
    found
}

/// A contact place with its addresses checked as in `kontakte.yaml`:
/// `Some(None)` when there is none, `None` when a value is wrong.
fn land_contact(
    yaml: &YamlSource,
    i: usize,
    key: &str,
    raw: Option<&RawLandContact>,
    d: &mut Diagnostics,
) -> Option<Option<LandContact>> {
    let Some(raw) = raw else {
        return Some(None);
    };
    let at = |field| [Seg::Index(i), Seg::Key(key), Seg::Key(field)];
    let email = checked(yaml, &at("email"), raw.email.as_deref(), &EMAIL, d);
    let url = checked(yaml, &at("url"), raw.url.as_deref(), &URL, d);
    Some(Some(LandContact {
        name: raw.name.0.clone(),
        email: email?,
        url: url?,
    }))
}

/// Why a note cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NoteProblem {
    /// A block other than the one paragraph, HTML or an image: what it is, in German.
    NotOneParagraph(&'static str),
    /// A link whose target is no web address (with the parser's message).
    Url(String),
    /// A `mailto:` link whose address is wrong (with the parser's message).
    Email(String),
}

impl NoteProblem {
    fn diagnostic(
        &self,
        yaml: &YamlSource,
        at: &[Seg],
        land: Land,
    ) -> crate::diagnostics::Diagnostic {
        match self {
            NoteProblem::NotOneParagraph(what) => invalid(
                Code::InvalidNote,
                yaml,
                at,
                format!("Die Notiz zu {} ist nicht ein einziger Absatz: sie enthält {what}.", land.name()),
            )
            .with_hint("Schreiben Sie die Notiz als einen Absatz Fließtext ohne Leerzeile; erlaubt sind *kursiv*, **fett**, `Code` und Links auf https://… oder mailto:…. Längeres gehört auf eine eigene Seite."),
            NoteProblem::Url(m) => URL.error(yaml, at, format!("In der Notiz zu {}: {m}", land.name())),
            NoteProblem::Email(m) => EMAIL.error(yaml, at, format!("In der Notiz zu {}: {m}", land.name())),
        }
    }
}

impl Note {
    /// A note as written, if it is one paragraph of inline Markdown whose
    /// links are `https://`/`http://` or `mailto:` addresses. Blank is none.
    pub(super) fn parse(text: &str) -> Result<Option<Note>, NoteProblem> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let mut paragraph_seen = false;
        for event in Parser::new_ext(text, OPTIONS) {
            match event {
                Event::Start(Tag::Paragraph) if !paragraph_seen => paragraph_seen = true,
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => check_link_target(link_type, &dest_url)?,
                Event::Start(tag) => inline_tag(&tag)?,
                Event::Html(_) | Event::InlineHtml(_) => {
                    return Err(NoteProblem::NotOneParagraph("HTML"))
                }
                Event::Rule => return Err(NoteProblem::NotOneParagraph("eine Trennlinie")),
                _ => {}
            }
        }
        Ok(Some(Note(text.to_string())))
    }

    /// The note as HTML phrasing content (no `<p>` around it); web links
    /// marked as on pages (`link-extern`, "(externer Link)" for screen readers).
    pub fn html(&self) -> String {
        let mut external: Vec<bool> = Vec::new();
        let events = Parser::new_ext(&self.0, OPTIONS).filter_map(|event| match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
            Event::Start(Tag::Link {
                link_type,
                ref dest_url,
                ..
            }) => {
                let web = mailbox(link_type, dest_url).is_none();
                external.push(web);
                Some(if web { external_open(dest_url) } else { event })
            }
            Event::End(TagEnd::Link) if external.pop() == Some(true) => Some(Event::InlineHtml(
                CowStr::from("<span class=\"kern-sr-only\"> (externer Link)</span></a>"),
            )),
            other => Some(other),
        });
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events);
        out.trim_end().to_string()
    }
}

/// The Markdown of a note: what pages have, less what a paragraph cannot hold.
const OPTIONS: Options = Options::ENABLE_STRIKETHROUGH;

/// The opening tag of a link to a web address.
fn external_open(dest: &str) -> Event<'static> {
    let mut href = String::new();
    pulldown_cmark_escape::escape_href(&mut href, dest).expect("writing to a String cannot fail");
    Event::InlineHtml(CowStr::from(format!(
        "<a class=\"link-extern\" href=\"{href}\">"
    )))
}

/// The address of an e-mail link (`mailto:…` or `<name@host>`); `None` for any other link.
fn mailbox(link_type: LinkType, dest: &str) -> Option<&str> {
    if link_type == LinkType::Email {
        return Some(dest);
    }
    let scheme = dest.get(..7)?;
    scheme.eq_ignore_ascii_case("mailto:").then(|| &dest[7..])
}

/// A link in a note goes to a web address or an e-mail address, checked as in `kontakte.yaml`.
fn check_link_target(link_type: LinkType, dest: &str) -> Result<(), NoteProblem> {
    match mailbox(link_type, dest) {
        Some(address) => Email::parse(address).map(drop).map_err(NoteProblem::Email),
        None => WebUrl::parse(dest).map(drop).map_err(NoteProblem::Url),
    }
}

/// Inline markup is fine; any other element makes the note more than one paragraph.
fn inline_tag(tag: &Tag) -> Result<(), NoteProblem> {
    let what = match tag {
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } => return Ok(()),
        Tag::Paragraph => "eine Leerzeile (einen zweiten Absatz)",
        Tag::Heading { .. } => "eine Überschrift",
        Tag::List(_) | Tag::Item => "eine Liste",
        Tag::BlockQuote(_) => "ein Zitat",
        Tag::CodeBlock(_) => "einen Codeblock",
        Tag::Image { .. } => "ein Bild",
        Tag::HtmlBlock => "HTML",
        _ => "ein Element, das in einem Absatz nicht stehen kann",
    };
    Err(NoteProblem::NotOneParagraph(what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::data::tests::shown;

    /// The entries read from `text` in one line each, and the diagnostics.
    fn laender_of(text: &str) -> (Vec<String>, Vec<String>) {
        let file = SourceFile::new("content/daten/laender.yaml", "daten/laender.yaml", text);
        let mut d = Diagnostics::new();
        let found = laender(Some(&file), &mut d);
        let contact = |c: &Option<LandContact>| match c {
            None => "-".to_string(),
            Some(c) => format!(
                "{} <{}> {}",
                c.name,
                c.email.as_ref().map_or("-", |e| e.as_str()),
                c.url.as_ref().map_or("-", |u| u.as_str())
            ),
        };
        let lines = found
            .values()
            .map(|e| {
                let note = e.note.as_ref().map_or("-".to_string(), Note::html);
                format!(
                    "{} {} | {} | {} | {note}",
                    e.land.name(),
                    e.agreement.code(),
                    contact(&e.reuse_contact),
                    contact(&e.editorial_office)
                )
            })
            .collect();
        (lines, shown(&d))
    }

    #[test]
    fn entries_are_read_in_the_order_of_the_land_codes() {
        let (found, d) = laender_of(
            "- state: Thüringen\n  agreement: unknown\n- state: Bremen\n  agreement: yes\n  reuse_contact: {name: Referat 1, email: r1@test.example.de, url: https://test.example.de/r1}\n  editorial_office: {name: Landesredaktion Bremen}\n  note: Siehe *FIT-Store* unter <https://test.example.de/fit>.\n",
        );
        assert_eq!(d, Vec::<String>::new());
        assert_eq!(
            found,
            [
                "Bremen yes | Referat 1 <r1@test.example.de> https://test.example.de/r1 | Landesredaktion Bremen <-> - | Siehe <em>FIT-Store</em> unter <a class=\"link-extern\" href=\"https://test.example.de/fit\">https://test.example.de/fit<span class=\"kern-sr-only\"> (externer Link)</span></a>.",
                "Thüringen unknown | - | - | -",
            ]
        );
    }

    #[test]
    fn no_file_or_an_empty_one_lists_no_land_and_every_land_is_then_unknown() {
        let mut d = Diagnostics::new();
        assert!(laender(None, &mut d).is_empty());
        assert_eq!(laender_of("# nur ein Kommentar\n"), (vec![], vec![]));
        let bayern = Land::parse("Bayern").unwrap();
        let unknown = LandEntry::unknown(bayern);
        assert_eq!(unknown.agreement, Agreement::Unknown);
        assert_eq!(unknown.agreement.label(), "unbekannt");
        assert_eq!((unknown.reuse_contact, unknown.note), (None, None));
    }

    #[test]
    fn an_unknown_or_repeated_land_is_reported_and_the_first_entry_kept() {
        let (found, d) = laender_of(
            "- state: Thüringn\n  agreement: yes\n- state: Hessen\n  agreement: no\n- state: Hessen\n  agreement: yes\n",
        );
        assert_eq!(found, ["Hessen no | - | - | -"]);
        assert_eq!(d, ["[unknown-state] content/daten/laender.yaml:1:10: „Thüringn“ ist kein Land: schreiben Sie den amtlichen Namen eines der 16 Länder.\n  Hinweis: Meinten Sie „Thüringen“?", "[duplicate-state] content/daten/laender.yaml:5:10: Hessen steht doppelt in der Liste; zuerst in Zeile 3.\n  Hinweis: Führen Sie die beiden Einträge zusammen: je Land gibt es genau einen."]);
    }

    #[test]
    fn an_unknown_agreement_lists_the_allowed_values() {
        let (found, d) = laender_of(
            "- state: Berlin\n  agreement: inprogress\n- state: Hamburg\n  agreement: ja\n",
        );
        assert_eq!(found, Vec::<String>::new());
        assert_eq!(d, ["[unknown-agreement] content/daten/laender.yaml:2:14: Unbekannte Angabe „inprogress“ zur Vereinbarung mit Bremen.\n  Hinweis: Meinten Sie „in_progress“? Möglich sind: yes (ja), no (nein), in_progress (in Abstimmung), unknown (unbekannt).", "[unknown-agreement] content/daten/laender.yaml:4:14: Unbekannte Angabe „ja“ zur Vereinbarung mit Bremen.\n  Hinweis: Meinten Sie „yes“? Möglich sind: yes (ja), no (nein), in_progress (in Abstimmung), unknown (unbekannt)."]);
    }

    #[test]
    fn unknown_and_missing_keys_are_yaml_errors() {
        let (_, d) = laender_of("- state: Berlin\n  agreement: no\n  redaktion: x\n");
        assert_eq!(d, ["[unknown-key] content/daten/laender.yaml:3:3: Unbekannter Schlüssel „redaktion“ (in „Eintrag 1“).\n  Hinweis: Erlaubt sind hier: state, agreement, reuse_contact, editorial_office, note."]);
        let (_, d) = laender_of(
            "- state: Berlin\n  agreement: no\n  reuse_contact: {name: A, mail: a@test.de}\n",
        );
        assert_eq!(d, ["[unknown-key] content/daten/laender.yaml:3:28: Unbekannter Schlüssel „mail“ (in „Eintrag 1, reuse_contact“).\n  Hinweis: Meinten Sie „email“? Erlaubt sind hier: name, email, url."]);
        let (_, d) = laender_of("- state: Berlin\n");
        assert_eq!(d, ["[missing-key] content/daten/laender.yaml:1:3: Die Angabe „agreement“ fehlt (in „Eintrag 1“).\n  Hinweis: Ergänzen Sie eine Zeile „agreement: …“."]);
    }

    #[test]
    fn addresses_are_checked_as_in_kontakte_yaml() {
        let (found, d) = laender_of(
            "- state: Sachsen\n  agreement: yes\n  reuse_contact:\n    name: Stelle\n    email: \"stelle@test.de?subject=x\"\n    url: \"javascript:alert(1)\"\n  editorial_office: {name: Redaktion, url: \"data:text/html,x\"}\n",
        );
        assert_eq!(found, Vec::<String>::new());
        assert_eq!(d, ["[invalid-email] content/daten/laender.yaml:5:12: „stelle@test.de?subject=x“ ist keine gültige E-Mail-Adresse (Form: name@beispiel.de).\n  Hinweis: Schreiben Sie nur die Adresse, z. B. info@beispiel.bremen.de, ohne „mailto:“, Leerzeichen oder Zusätze wie „?subject=…“.", "[invalid-url] content/daten/laender.yaml:6:10: „javascript:alert(1)“ ist keine Webadresse: erlaubt sind nur Adressen, die mit https:// oder http:// beginnen.\n  Hinweis: Schreiben Sie die Adresse vollständig, z. B. https://www.beispiel.bremen.de/kontakt.", "[invalid-url] content/daten/laender.yaml:7:44: „data:text/html,x“ ist keine Webadresse: erlaubt sind nur Adressen, die mit https:// oder http:// beginnen.\n  Hinweis: Schreiben Sie die Adresse vollständig, z. B. https://www.beispiel.bremen.de/kontakt."]);
    }

    #[test]
    fn a_note_is_one_paragraph_of_inline_markdown() {
        let note = |text: &str| Note::parse(text).map(|n| n.map(|n| n.html()));
        assert_eq!(
            note("**Wichtig:** schreiben Sie an <info@test.example.de>\noder [die Stelle](mailto:a@test.example.de)."),
            Ok(Some("<strong>Wichtig:</strong> schreiben Sie an <a href=\"mailto:info@test.example.de\">info@test.example.de</a>\noder <a href=\"mailto:a@test.example.de\">die Stelle</a>.".into()))
        );
        assert_eq!(note("  \n"), Ok(None));
        assert_eq!(note("a < b & c"), Ok(Some("a &lt; b &amp; c".into())));
        let wrong = |text: &str| Note::parse(text).unwrap_err();
        for (text, what) in [
            ("Eins.\n\nZwei.", "eine Leerzeile (einen zweiten Absatz)"),
            ("# Titel", "eine Überschrift"),
            ("Text\n- Punkt", "eine Liste"),
            ("> zitiert", "ein Zitat"),
            ("    code", "einen Codeblock"),
            ("Bild ![x](https://test.de/x.png)", "ein Bild"),
            ("Text <b>fett</b>", "HTML"),
            ("<div>x</div>", "HTML"),
            ("Text\n\n---", "eine Trennlinie"),
        ] {
            assert_eq!(wrong(text), NoteProblem::NotOneParagraph(what), "{text}");
        }
        assert!(matches!(
            wrong("[x](javascript:alert(1))"),
            NoteProblem::Url(_)
        ));
        assert!(matches!(wrong("[x](@/impressum.md)"), NoteProblem::Url(_)));
        assert!(matches!(
            wrong("[x](MAILTO:a@b.de?cc=c@d.de)"),
            NoteProblem::Email(_)
        ));
    }

    #[test]
    fn a_wrong_note_is_reported_at_the_note() {
        let (found, d) = laender_of(
            "- state: Saarland\n  agreement: no\n  note: |\n    Eins.\n\n    Zwei.\n- state: Berlin\n  agreement: no\n  note: \"[Seite](jav&#x61;script:alert(1))\"\n",
        );
        assert_eq!(found, Vec::<String>::new());
        assert_eq!(d, ["[invalid-note] content/daten/laender.yaml:3:9: Die Notiz zu Saarland ist nicht ein einziger Absatz: sie enthält eine Leerzeile (einen zweiten Absatz).\n  Hinweis: Schreiben Sie die Notiz als einen Absatz Fließtext ohne Leerzeile; erlaubt sind *kursiv*, **fett**, `Code` und Links auf https://… oder mailto:…. Längeres gehört auf eine eigene Seite.", "[invalid-url] content/daten/laender.yaml:9:9: In der Notiz zu Berlin: „javascript:alert(1)“ ist keine Webadresse: erlaubt sind nur Adressen, die mit https:// oder http:// beginnen.\n  Hinweis: Schreiben Sie die Adresse vollständig, z. B. https://www.beispiel.bremen.de/kontakt."]);
    }
}
