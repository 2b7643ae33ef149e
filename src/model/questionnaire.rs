//! `daten/fragebogen.yaml` → the definition of the Anbindungsfragebogen:
//! sections of fields, each with an id, a type, a label, an optional help
//! text and condition. The file is optional; a definition with any error is
//! left out (the build fails). Field ids are unique in the file (they name
//! the cells of the generated workbook and the inputs of the form), and so
//! are section ids.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::data::choice_hint;
use super::pages::invalid;
use super::values::Date;
use crate::content::unique::{Description, Name};
use crate::content::yaml::{Seg, YamlSource};
use crate::content::SourceFile;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};

/// The file `daten/fragebogen.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Anbindungsfragebogen")]
pub(super) struct RawQuestionnaire {
    #[schemars(description = "Titel des Fragebogens")]
    title: Name,
    #[schemars(
        regex(pattern = r"^\d{4}-\d{2}-\d{2}$"),
        description = "Stand dieser Fassung: JJJJ-MM-TT (Dokumentdatum jeder erzeugten Datei)"
    )]
    version: String,
    #[schemars(description = "Hinweis zum Fragebogen (optional), z. B. dass er eine Vorlage ist")]
    note: Option<Description>,
    #[schemars(length(min = 1), description = "Abschnitte, in dieser Reihenfolge")]
    sections: Vec<RawSection>,
}

/// The JSON Schema pattern of a section or field id (see [`id_problem`]).
const ID_PATTERN: &str = r"^[a-z][a-z0-9_]{0,63}$";

/// One section.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Abschnitt")]
struct RawSection {
    #[schemars(
        regex(pattern = ID_PATTERN),
        description = "Kennung (optional; sonst aus dem Titel): Kleinbuchstaben, Ziffern, Unterstriche"
    )]
    id: Option<String>,
    #[schemars(description = "Überschrift des Abschnitts")]
    title: Name,
    #[schemars(length(min = 1), description = "Felder, in dieser Reihenfolge")]
    fields: Vec<RawField>,
}

/// One field.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Feld")]
struct RawField {
    #[schemars(
        regex(pattern = ID_PATTERN),
        description = "Kennung: Name der Zelle in der Excel-Datei; Kleinbuchstaben, Ziffern, Unterstriche"
    )]
    id: String,
    #[schemars(description = "Beschriftung des Felds")]
    label: Name,
    #[serde(rename = "type")]
    #[schemars(schema_with = "type_codes", description = "Art der Angabe")]
    kind: String,
    #[serde(default)]
    #[schemars(description = "true: muss ausgefüllt werden")]
    required: bool,
    #[serde(default)]
    #[schemars(description = "true: darf mehrmals angegeben werden (nicht bei pvog_links)")]
    repeat: bool,
    #[schemars(description = "Hilfetext zum Feld (optional)")]
    help: Option<Description>,
    #[serde(default)]
    #[schemars(
        schema_with = "condition_codes",
        description = "Bedingung (optional): das Feld gilt nur, wenn sie zutrifft"
    )]
    when: Option<String>,
}

fn type_codes(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes = FieldType::ALL.map(FieldType::code);
    schemars::json_schema!({"type": "string", "enum": codes})
}

fn condition_codes(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let codes = Condition::ALL.map(Condition::code);
    schemars::json_schema!({"type": "string", "enum": codes})
}

/// What kind of value a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    Text,
    Multiline,
    Email,
    Url,
    Phone,
    OeId,
    Ags,
    Land,
    Date,
    /// Name, role, e-mail address and phone number of a person.
    Person,
    /// Rows of LeiKa key × Kommune with ARS and link.
    PvogLinks,
}

impl FieldType {
    pub const ALL: [FieldType; 11] = [
        FieldType::Text,
        FieldType::Multiline,
        FieldType::Email,
        FieldType::Url,
        FieldType::Phone,
        FieldType::OeId,
        FieldType::Ags,
        FieldType::Land,
        FieldType::Date,
        FieldType::Person,
        FieldType::PvogLinks,
    ];

    pub fn parse(code: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The type as written in `fragebogen.yaml`.
    pub fn code(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Multiline => "multiline",
            FieldType::Email => "email",
            FieldType::Url => "url",
            FieldType::Phone => "phone",
            FieldType::OeId => "oe_id",
            FieldType::Ags => "ags",
            FieldType::Land => "land",
            FieldType::Date => "date",
            FieldType::Person => "person",
            FieldType::PvogLinks => "pvog_links",
        }
    }

    /// What the type is called in German.
    pub fn label(self) -> &'static str {
        match self {
            FieldType::Text => "Text",
            FieldType::Multiline => "mehrzeiliger Text",
            FieldType::Email => "E-Mail-Adresse",
            FieldType::Url => "Webadresse",
            FieldType::Phone => "Telefonnummer",
            FieldType::OeId => "Organisationseinheit-ID",
            FieldType::Ags => "Amtlicher Gemeindeschlüssel",
            FieldType::Land => "Land",
            FieldType::Date => "Datum",
            FieldType::Person => "Person",
            FieldType::PvogLinks => "PVOG-Links",
        }
    }
}

/// When a field applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    /// Only for a service with a contact form (`contact_form: true`); while
    /// a service's `contact_form` is unknown, the field is asked with this
    /// condition shown.
    ContactForm,
}

impl Condition {
    pub const ALL: [Condition; 1] = [Condition::ContactForm];

    pub fn parse(code: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The condition as written in `fragebogen.yaml`.
    pub fn code(self) -> &'static str {
        match self {
            Condition::ContactForm => "contact_form",
        }
    }

    /// The condition in German, as a field's note.
    pub fn label(self) -> &'static str {
        match self {
            Condition::ContactForm => "nur wenn der Dienst ein Kontaktformular anbietet",
        }
    }
}

/// One field of the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldType,
    pub required: bool,
    /// May be given more than once (e.g. several persons).
    pub repeat: bool,
    pub help: Option<String>,
    pub when: Option<Condition>,
}

/// A section: a heading over some fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Section {
    /// As written, or made from the title (`Postfächer` → `postfaecher`).
    pub id: String,
    pub title: String,
    /// At least one.
    pub fields: Vec<Field>,
}

/// The Anbindungsfragebogen, the same for every service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Questionnaire {
    pub title: String,
    /// The date of this definition (the document date of generated files).
    pub version: Date,
    pub note: Option<String>,
    /// At least one.
    pub sections: Vec<Section>,
}

impl Questionnaire {
    /// Every field, section by section.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| &s.fields)
    }
}

/// `daten/fragebogen.yaml` → the definition; `None` without the file or
/// with any error (every problem goes to `d`).
pub(super) fn questionnaire(
    file: Option<&SourceFile>,
    d: &mut Diagnostics,
) -> Option<Questionnaire> {
    let file = file?;
    let yaml = YamlSource::new(&file.path, &file.text, 0);
    let raw: RawQuestionnaire = yaml.parse().map_err(|e| d.push(e)).ok()?;
    let version = Date::parse(&raw.version)
        .map_err(|m| d.push(invalid(Code::InvalidDate, &yaml, &[Seg::Key("version")], m)))
        .ok();
    if raw.sections.is_empty() {
        let m = "Der Fragebogen hat keinen Abschnitt.".to_string();
        d.push(empty(&yaml, &[Seg::Key("sections")], m).with_hint(
            "Legen Sie unter „sections:“ mindestens einen Abschnitt mit „title:“ und „fields:“ an.",
        ));
    }
    // Section ids and field ids, each unique on their own.
    let mut taken = (Taken::default(), Taken::default());
    let sections: Vec<Option<Section>> = (raw.sections.iter().enumerate())
        .map(|(i, s)| section(&yaml, i, s, &mut taken, d))
        .collect();
    let sections: Option<Vec<Section>> = sections.into_iter().collect();
    Some(Questionnaire {
        title: raw.title.into_string(),
        version: version?,
        note: raw.note.map(|n| n.into_string()),
        sections: sections.filter(|s| !s.is_empty())?,
    })
}

fn empty(yaml: &YamlSource, at: &[Seg], message: String) -> Diagnostic {
    invalid(Code::EmptySection, yaml, at, message).with_hint(
        "Ein Abschnitt hat mindestens ein Feld („fields:“ mit „- {id: …, label: …, type: …}“); einen leeren Abschnitt löschen Sie.",
    )
}

fn section(
    yaml: &YamlSource,
    i: usize,
    raw: &RawSection,
    (section_ids, field_ids): &mut (Taken, Taken),
    d: &mut Diagnostics,
) -> Option<Section> {
    let base = [Seg::Key("sections"), Seg::Index(i)];
    let id = section_id(yaml, &base, raw, section_ids, d);
    if raw.fields.is_empty() {
        let m = format!("Der Abschnitt „{}“ hat kein Feld.", raw.title.0);
        d.push(empty(yaml, &[&base[..], &[Seg::Key("title")]].concat(), m));
    }
    let fields: Vec<Option<Field>> = (raw.fields.iter().enumerate())
        .map(|(j, f)| {
            let at = [&base[..], &[Seg::Key("fields"), Seg::Index(j)]].concat();
            field(yaml, &at, f, field_ids, d)
        })
        .collect();
    let fields: Option<Vec<Field>> = fields.into_iter().collect();
    Some(Section {
        id: id?,
        title: raw.title.0.clone(),
        fields: fields.filter(|f| !f.is_empty())?,
    })
}

/// A section's id as written, or else made from its title.
fn section_id(
    yaml: &YamlSource,
    base: &[Seg],
    raw: &RawSection,
    taken: &mut Taken,
    d: &mut Diagnostics,
) -> Option<String> {
    let (id, origin, key) = match &raw.id {
        Some(id) => (id.clone(), Origin::Written, "id"),
        None => {
            let made = crate::slug::slugify(&raw.title.0).replace('-', "_");
            (made, Origin::Title(&raw.title.0), "title")
        }
    };
    let at = [base, &[Seg::Key(key)]].concat();
    let owner = format!("Abschnitt „{}“", raw.title.0);
    checked_id(yaml, &at, &id, origin, owner, taken, d).then_some(id)
}

fn field(
    yaml: &YamlSource,
    at: &[Seg],
    raw: &RawField,
    taken: &mut Taken,
    d: &mut Diagnostics,
) -> Option<Field> {
    let key = |k| [at, &[Seg::Key(k)]].concat();
    let owner = format!("Feld „{}“", raw.label.0);
    let id_ok = checked_id(yaml, &key("id"), &raw.id, Origin::Written, owner, taken, d);
    let kind = field_type(yaml, &key("type"), &raw.kind, d);
    let when = raw
        .when
        .as_deref()
        .map(|c| condition(yaml, &key("when"), c, d));
    if raw.repeat && kind == Some(FieldType::PvogLinks) {
        let m = format!("„repeat: true“ passt nicht zum Feld „{}“: PVOG-Links sind immer eine Tabelle mit einer Zeile je LeiKa-Schlüssel und Kommune.", raw.id);
        d.push(
            invalid(Code::InvalidRepeat, yaml, &key("repeat"), m)
                .with_hint("Löschen Sie „repeat: true“ bei diesem Feld."),
        );
        return None;
    }
    Some(Field {
        id: id_ok.then(|| raw.id.clone())?,
        label: raw.label.0.clone(),
        kind: kind?,
        required: raw.required,
        repeat: raw.repeat,
        help: raw.help.as_ref().map(|h| h.0.clone()),
        when: when.transpose().ok()?,
    })
}

fn field_type(yaml: &YamlSource, at: &[Seg], code: &str, d: &mut Diagnostics) -> Option<FieldType> {
    let found = FieldType::parse(code);
    if found.is_none() {
        let hint = choice_hint(code, &FieldType::ALL.map(|t| (t.code(), t.label())));
        let m = format!("Unbekannter Feldtyp „{code}“.");
        d.push(invalid(Code::UnknownFieldType, yaml, at, m).with_hint(hint));
    }
    found
}

/// The condition named at `at`; `Err` when there is none of that name (reported).
fn condition(
    yaml: &YamlSource,
    at: &[Seg],
    code: &str,
    d: &mut Diagnostics,
) -> Result<Condition, ()> {
    Condition::parse(code).ok_or_else(|| {
        let hint = choice_hint(code, &Condition::ALL.map(|c| (c.code(), c.label())));
        let m = format!("Unbekannte Bedingung „{code}“ in „when“.");
        d.push(invalid(Code::UnknownCondition, yaml, at, m).with_hint(hint));
    })
}

/// Where an id comes from: written as `id:`, or made from a section's title.
#[derive(Debug, Clone, Copy)]
enum Origin<'a> {
    Written,
    Title(&'a str),
}

/// The section ids or the field ids given so far: for each the line it was
/// first given in and what it names (`Feld „Land“`).
#[derive(Debug, Default)]
struct Taken(BTreeMap<String, (usize, String)>);

/// Whether `id` is a well-formed id not given before; reports why not.
fn checked_id(
    yaml: &YamlSource,
    at: &[Seg],
    id: &str,
    origin: Origin,
    owner: String,
    taken: &mut Taken,
    d: &mut Diagnostics,
) -> bool {
    let (subject, with_id) = match origin {
        Origin::Written => (format!("Die Kennung „{id}“ ist"), ""),
        Origin::Title(title) => (
            format!("Aus dem Titel „{title}“ ergibt sich die Kennung „{id}“; sie ist"),
            " Geben Sie dem Abschnitt dazu eine eigene Kennung mit „id: …“.",
        ),
    };
    if let Some(problem) = id_problem(id) {
        let m = format!("{subject} ungültig: {problem}.");
        d.push(invalid(Code::InvalidFieldId, yaml, at, m).with_hint(format!("Kennungen bestehen aus Kleinbuchstaben (ohne Umlaute), Ziffern und Unterstrichen, beginnen mit einem Buchstaben und haben höchstens 64 Zeichen, z. B. „postfach_antraege“: sie benennen die Zellen der Excel-Datei.{with_id}")));
        return false;
    }
    if let Some((line, first)) = taken.0.get(id) {
        let m = format!("{subject} doppelt vergeben: zuerst in Zeile {line} ({first}).");
        d.push(invalid(Code::DuplicateFieldId, yaml, at, m).with_hint(format!("Jedes Feld und jeder Abschnitt hat eine eigene Kennung: wählen Sie eine andere, z. B. „{id}_2“.{with_id}")));
        return false;
    }
    taken
        .0
        .insert(id.to_string(), (yaml.position(at).line, owner));
    true
}

/// Why `id` cannot name a section or field, if it cannot. Ids become the
/// defined names of the generated workbook, so they are what Excel accepts
/// there, in lower case: no hyphen, and nothing that reads as a cell
/// (`ab12`, `r1c1`).
fn id_problem(id: &str) -> Option<&'static str> {
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("sie beginnt nicht mit einem Kleinbuchstaben");
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Some("sie enthält andere Zeichen als Kleinbuchstaben (ohne Umlaute), Ziffern und Unterstriche");
    }
    if id.chars().count() > 64 {
        return Some("sie ist länger als 64 Zeichen");
    }
    if reads_as_cell(id) {
        return Some("Excel läse sie als Zellbezug (wie „ab12“ oder „r1c1“)");
    }
    None
}

/// `ab12` (A1 style: up to three letters, then digits) or `r`, `c`, `rc`,
/// `r1c2` (R1C1 style).
fn reads_as_cell(id: &str) -> bool {
    let letters = id.len()
        - id.trim_start_matches(|c: char| c.is_ascii_lowercase())
            .len();
    let digits_after = |rest: &str| rest.chars().all(|c| c.is_ascii_digit());
    let a1 = (1..=3).contains(&letters) && id.len() > letters && digits_after(&id[letters..]);
    let r1c1 = id.strip_prefix('r').is_some_and(|rest| {
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.is_empty() || rest.strip_prefix('c').is_some_and(digits_after)
    });
    a1 || r1c1 || id == "c"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::data::tests::shown;

    /// The SITE-FORMAT example.
    const EXAMPLE: &str = "title: Anbindungsfragebogen
version: 2026-11-28
note: Vorlage – bitte mit der Betriebskoordination abstimmen
sections:
  - title: Behörde
    fields:
      - {id: kommune, label: Name der Kommune, type: text, required: true}
      - {id: land, label: Land, type: land, required: true}
      - {id: oe_id, label: Organisationseinheit-ID, type: oe_id, required: true, help: \"Erhalten Sie von Ihrer Landesredaktion.\"}
  - title: Postfächer
    fields:
      - {id: postfach_kontakt, label: E-Mail zur Kontaktaufnahme, type: email, when: contact_form}
  - title: PVOG-Links
    fields:
      - {id: pvog, label: PVOG-Link je LeiKa und Kommune, type: pvog_links, required: true}
  - id: personen
    title: Kontaktpersonen
    fields:
      - {id: fachlich, label: Kontaktperson fachlich, type: person, required: true, repeat: true}
";

    fn read(text: &str) -> (Option<Questionnaire>, Vec<String>) {
        let file = SourceFile::new(
            "content/daten/fragebogen.yaml",
            "daten/fragebogen.yaml",
            text,
        );
        let mut d = Diagnostics::new();
        let found = questionnaire(Some(&file), &mut d);
        (found, shown(&d))
    }

    /// Only the diagnostics of `text`, which must have some.
    fn errors(text: &str) -> Vec<String> {
        let (found, d) = read(text);
        assert!(found.is_none(), "{text}");
        d
    }

    /// One section `s` with the given fields (flow mappings, one a line).
    fn with_fields(fields: &[&str]) -> String {
        let fields: Vec<String> = fields.iter().map(|f| format!("      - {f}\n")).collect();
        format!(
            "title: F\nversion: 2026-11-28\nsections:\n  - title: S\n    fields:\n{}",
            fields.concat()
        )
    }

    #[test]
    fn the_site_format_example_is_read_in_order_with_section_ids_from_titles() {
        let (found, d) = read(EXAMPLE);
        assert_eq!(d, Vec::<String>::new());
        let q = found.unwrap();
        assert_eq!(
            (q.title.as_str(), q.version.iso()),
            ("Anbindungsfragebogen", "2026-11-28".to_string())
        );
        assert_eq!(
            q.note.as_deref(),
            Some("Vorlage – bitte mit der Betriebskoordination abstimmen")
        );
        let sections: Vec<&str> = q.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            sections,
            ["behoerde", "postfaecher", "pvog_links", "personen"]
        );
        let fields: Vec<String> = q
            .fields()
            .map(|f| {
                let when = f.when.map_or("-", Condition::code);
                format!(
                    "{} {} {} {} {when} {:?}",
                    f.id,
                    f.kind.code(),
                    f.required,
                    f.repeat,
                    f.help
                )
            })
            .collect();
        assert_eq!(
            fields,
            [
                "kommune text true false - None",
                "land land true false - None",
                "oe_id oe_id true false - Some(\"Erhalten Sie von Ihrer Landesredaktion.\")",
                "postfach_kontakt email false false contact_form None",
                "pvog pvog_links true false - None",
                "fachlich person true true - None",
            ]
        );
        assert_eq!(q.sections[3].fields[0].label, "Kontaktperson fachlich");
    }

    #[test]
    fn no_file_is_no_questionnaire_and_no_error() {
        let mut d = Diagnostics::new();
        assert_eq!(questionnaire(None, &mut d), None);
        assert!(d.is_empty());
    }

    #[test]
    fn an_unknown_type_lists_the_allowed_ones() {
        let d = errors(&with_fields(&[
            "{id: a, label: A, type: emial}",
            "{id: b, label: B, type: Datum}",
        ]));
        let allowed = "Möglich sind: text (Text), multiline (mehrzeiliger Text), email (E-Mail-Adresse), url (Webadresse), phone (Telefonnummer), oe_id (Organisationseinheit-ID), ags (Amtlicher Gemeindeschlüssel), land (Land), date (Datum), person (Person), pvog_links (PVOG-Links).";
        assert_eq!(d, [
            format!("[unknown-field-type] content/daten/fragebogen.yaml:6:33: Unbekannter Feldtyp „emial“.\n  Hinweis: Meinten Sie „email“? {allowed}"),
            format!("[unknown-field-type] content/daten/fragebogen.yaml:7:33: Unbekannter Feldtyp „Datum“.\n  Hinweis: Meinten Sie „date“? {allowed}"),
        ]);
    }

    #[test]
    fn a_repeated_id_names_the_first_one_and_sections_count_apart_from_fields() {
        let text = with_fields(&["{id: land, label: Land, type: land}", "{id: land, label: Bundesland, type: text}"])
            + "  - title: Land\n    fields:\n      - {id: x, label: X, type: text}\n  - id: s\n    title: S2\n    fields:\n      - {id: y, label: Y, type: text}\n";
        assert_eq!(errors(&text), [
            "[duplicate-field-id] content/daten/fragebogen.yaml:7:14: Die Kennung „land“ ist doppelt vergeben: zuerst in Zeile 6 (Feld „Land“).\n  Hinweis: Jedes Feld und jeder Abschnitt hat eine eigene Kennung: wählen Sie eine andere, z. B. „land_2“.",
            "[duplicate-field-id] content/daten/fragebogen.yaml:11:9: Die Kennung „s“ ist doppelt vergeben: zuerst in Zeile 4 (Abschnitt „S“).\n  Hinweis: Jedes Feld und jeder Abschnitt hat eine eigene Kennung: wählen Sie eine andere, z. B. „s_2“.",
        ]);
        let text = with_fields(&["{id: a, label: A, type: text}"])
            + "  - title: s\n    fields: [{id: b, label: B, type: text}]\n";
        assert_eq!(errors(&text), ["[duplicate-field-id] content/daten/fragebogen.yaml:7:12: Aus dem Titel „s“ ergibt sich die Kennung „s“; sie ist doppelt vergeben: zuerst in Zeile 4 (Abschnitt „S“).\n  Hinweis: Jedes Feld und jeder Abschnitt hat eine eigene Kennung: wählen Sie eine andere, z. B. „s_2“. Geben Sie dem Abschnitt dazu eine eigene Kennung mit „id: …“."]);
    }

    #[test]
    fn ids_are_lowercase_with_underscores_and_never_read_as_a_cell() {
        for bad in [
            "Kommune",
            "postfach-antraege",
            "1feld",
            "straße",
            "ags1",
            "r1c1",
            "c",
            "xfd12",
        ] {
            assert!(id_problem(bad).is_some(), "{bad}");
        }
        for good in [
            "kommune",
            "postfach_antraege",
            "oe_id",
            "ags_1",
            "rcx",
            "abcd1",
            "r1x",
        ] {
            assert_eq!(id_problem(good), None, "{good}");
        }
        assert!(id_problem(&"a".repeat(65)).is_some());
        let d = errors(&with_fields(&["{id: Post-Fach, label: A, type: email}"]));
        assert_eq!(d, ["[invalid-field-id] content/daten/fragebogen.yaml:6:14: Die Kennung „Post-Fach“ ist ungültig: sie beginnt nicht mit einem Kleinbuchstaben.\n  Hinweis: Kennungen bestehen aus Kleinbuchstaben (ohne Umlaute), Ziffern und Unterstrichen, beginnen mit einem Buchstaben und haben höchstens 64 Zeichen, z. B. „postfach_antraege“: sie benennen die Zellen der Excel-Datei."]);
        let d = errors("title: F\nversion: 2026-11-28\nsections:\n  - title: 1. Teil\n    fields: [{id: a_b, label: A, type: text}]\n");
        assert_eq!(d, ["[invalid-field-id] content/daten/fragebogen.yaml:4:12: Aus dem Titel „1. Teil“ ergibt sich die Kennung „1_teil“; sie ist ungültig: sie beginnt nicht mit einem Kleinbuchstaben.\n  Hinweis: Kennungen bestehen aus Kleinbuchstaben (ohne Umlaute), Ziffern und Unterstrichen, beginnen mit einem Buchstaben und haben höchstens 64 Zeichen, z. B. „postfach_antraege“: sie benennen die Zellen der Excel-Datei. Geben Sie dem Abschnitt dazu eine eigene Kennung mit „id: …“."]);
    }

    #[test]
    fn an_unknown_condition_names_the_known_one() {
        let d = errors(&with_fields(&[
            "{id: a, label: A, type: email, when: contactform}",
        ]));
        assert_eq!(d, ["[unknown-condition] content/daten/fragebogen.yaml:6:46: Unbekannte Bedingung „contactform“ in „when“.\n  Hinweis: Meinten Sie „contact_form“? Möglich ist: contact_form (nur wenn der Dienst ein Kontaktformular anbietet)."]);
    }

    #[test]
    fn empty_sections_and_a_wrong_version_are_reported() {
        let d =
            errors("title: F\nversion: 2026-02-30\nsections:\n  - title: Leer\n    fields: []\n");
        assert_eq!(d, [
            "[invalid-date] content/daten/fragebogen.yaml:2:10: Den Tag „2026-02-30“ gibt es im Kalender nicht.",
            "[empty-section] content/daten/fragebogen.yaml:4:12: Der Abschnitt „Leer“ hat kein Feld.\n  Hinweis: Ein Abschnitt hat mindestens ein Feld („fields:“ mit „- {id: …, label: …, type: …}“); einen leeren Abschnitt löschen Sie.",
        ]);
        let d = errors("title: F\nversion: 2026-11-28\nsections: []\n");
        assert_eq!(d, ["[empty-section] content/daten/fragebogen.yaml:3:11: Der Fragebogen hat keinen Abschnitt.\n  Hinweis: Legen Sie unter „sections:“ mindestens einen Abschnitt mit „title:“ und „fields:“ an."]);
    }

    #[test]
    fn unknown_and_missing_keys_and_long_texts_are_yaml_errors() {
        let d = errors("title: F\nsections: []\n");
        assert_eq!(d, ["[missing-key] content/daten/fragebogen.yaml:1:1: Die Angabe „version“ fehlt.\n  Hinweis: Ergänzen Sie eine Zeile „version: …“."]);
        let d = errors(&with_fields(&[
            "{id: a, label: A, type: text, pflicht: true}",
        ]));
        assert_eq!(d, ["[unknown-key] content/daten/fragebogen.yaml:6:39: Unbekannter Schlüssel „pflicht“ (in „sections, Eintrag 1, fields, Eintrag 1“).\n  Hinweis: Erlaubt sind hier: id, label, type, required, repeat, help, when."]);
        let long = "x".repeat(1001);
        let d = errors(&with_fields(&[&format!(
            "{{id: a, label: A, type: text, help: {long}}}"
        )]));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].starts_with("[too-long] content/daten/fragebogen.yaml:6:"),
            "{d:?}"
        );
    }

    #[test]
    fn repeat_is_refused_on_pvog_links() {
        let d = errors(&with_fields(&[
            "{id: pvog, label: P, type: pvog_links, repeat: true}",
        ]));
        assert_eq!(d, ["[invalid-repeat] content/daten/fragebogen.yaml:6:56: „repeat: true“ passt nicht zum Feld „pvog“: PVOG-Links sind immer eine Tabelle mit einer Zeile je LeiKa-Schlüssel und Kommune.\n  Hinweis: Löschen Sie „repeat: true“ bei diesem Feld."]);
    }
}
