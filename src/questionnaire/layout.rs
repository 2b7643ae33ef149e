//! The definition and one service → the [`Layout`] of that service's
//! questionnaire: every input with its defined name, label, kind and cell,
//! the rows of the PVOG table, and the hidden cells that say what the file
//! is. The workbook writer, the form on the site and `import` all read this
//! one layout, so a cell cannot mean one thing in the file and another in
//! the form or the import.

use serde::Serialize;

use super::rules::ValueKind;
use crate::model::{Condition, Field, FieldType, Questionnaire};

/// The sheet with the fields, one row each.
pub(crate) const MAIN_SHEET: &str = "Fragebogen";
/// The sheet with one row per LeiKa key × Kommune.
pub(crate) const PVOG_SHEET: &str = "PVOG-Links";
/// The sheet with where to send the file.
pub(crate) const NOTES_SHEET: &str = "Hinweise";
/// The value of the hidden cell `_kennung`: this is one of our questionnaires.
pub(crate) const MARK: &str = "mitnutzung:anbindungsfragebogen";
/// How many people a `repeat: true` field takes.
pub(crate) const REPEAT_SLOTS: usize = 3;
/// Rows of the PVOG table (more can be inserted).
pub(crate) const PVOG_ROWS: u32 = 100;
/// The column of labels, inputs and hints on the main sheet (0-based).
pub(crate) const LABEL_COL: u16 = 0;
pub(crate) const INPUT_COL: u16 = 1;
pub(crate) const HINT_COL: u16 = 2;
/// The hidden column of the cells that say what the file is.
pub(crate) const META_COL: u16 = 4;

/// What a questionnaire is made for: one service of one site.
#[derive(Debug, Clone)]
pub(crate) struct ServiceFacts {
    pub site: String,
    pub id: String,
    pub title: String,
    pub mailbox: String,
    pub contact_form: Option<bool>,
    /// The service's confirmed LeiKa keys with their names.
    pub leikas: Vec<(String, String)>,
}

/// A part of a `person` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PersonPart {
    Name,
    Funktion,
    Email,
    Telefon,
}

impl PersonPart {
    pub(crate) const ALL: [PersonPart; 4] = [
        PersonPart::Name,
        PersonPart::Funktion,
        PersonPart::Email,
        PersonPart::Telefon,
    ];

    fn code(self) -> &'static str {
        match self {
            PersonPart::Name => "name",
            PersonPart::Funktion => "funktion",
            PersonPart::Email => "email",
            PersonPart::Telefon => "telefon",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            PersonPart::Name => "Name",
            PersonPart::Funktion => "Funktion",
            PersonPart::Email => "E-Mail",
            PersonPart::Telefon => "Telefon",
        }
    }

    fn kind(self) -> ValueKind {
        match self {
            PersonPart::Name | PersonPart::Funktion => ValueKind::Text,
            PersonPart::Email => ValueKind::Email,
            PersonPart::Telefon => ValueKind::Phone,
        }
    }

    /// Name and e-mail address make a person reachable; the rest may wait.
    fn needed(self) -> bool {
        matches!(self, PersonPart::Name | PersonPart::Email)
    }
}

/// One input cell on the main sheet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Input {
    /// The defined name of the cell: the field id, with `.slot` for a
    /// repeated field and `.part` for a person (`fachlich.1.email`).
    pub name: String,
    pub field: String,
    /// The label on the sheet and in the form.
    pub label: String,
    pub kind: ValueKind,
    /// Must be filled: for a person's part, only when its person must be given.
    pub required: bool,
    /// For a person's part: the inputs of one person are filled together.
    pub person: Option<PersonRef>,
    pub help: Option<String>,
    /// The condition's note, while the service's answer is unknown.
    pub condition: Option<&'static str>,
    /// 0-based row on the main sheet.
    pub row: u32,
}

/// Which person (field and slot) an input belongs to.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonRef {
    /// The name the person's parts share (`fachlich.1`).
    pub group: String,
    pub part: PersonPart,
    /// Must be filled whenever any part of this person is.
    pub needed: bool,
}

/// A row of the main sheet.
#[derive(Debug, Clone)]
pub(crate) enum Row {
    Title(String),
    Text(String),
    Header,
    Section(String),
    /// An input (index into [`Layout::inputs`]).
    Input(usize),
    /// A field whose values go on another sheet (the PVOG table).
    Elsewhere {
        label: String,
        text: String,
    },
}

/// The PVOG table: columns, and the rows with a LeiKa key filled in.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PvogTable {
    /// The field id (`pvog`), the defined name of the table's cells.
    pub name: String,
    pub required: bool,
    /// 0-based row of the column headings; rows follow it.
    pub header_row: u32,
    pub rows: u32,
    /// The service's confirmed keys, one prefilled row each.
    pub leikas: Vec<(String, String)>,
}

/// The columns of the PVOG table, in order.
pub(crate) const PVOG_COLUMNS: [(&str, ValueKind); 6] = [
    ("LeiKa", ValueKind::Leika),
    ("Leistung", ValueKind::Text),
    ("Kommune", ValueKind::Text),
    ("ARS", ValueKind::Ars),
    ("PVOG-Link", ValueKind::Url),
    ("geprüft am", ValueKind::Date),
];

/// A whole questionnaire of one service.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub facts: ServiceFacts,
    pub title: String,
    pub version: crate::model::Date,
    pub note: Option<String>,
    pub rows: Vec<Row>,
    pub inputs: Vec<Input>,
    pub pvog: Option<PvogTable>,
}

/// The hidden cells: defined name and value, rows 0.. of [`META_COL`].
pub(crate) fn meta_cells(layout: &Layout) -> [(&'static str, String); 4] {
    [
        ("_kennung", MARK.to_string()),
        ("_site", layout.facts.site.clone()),
        ("_dienst", layout.facts.id.clone()),
        ("_version", layout.version.iso()),
    ]
}

/// Lay out the definition for one service.
pub(crate) fn layout(definition: &Questionnaire, facts: ServiceFacts) -> Layout {
    let mut rows = vec![Row::Title(format!("{}: {}", definition.title, facts.title))];
    rows.extend(definition.note.clone().map(Row::Text));
    rows.push(Row::Text(format!(
        "Stand der Vorlage: {}. Tragen Sie Ihre Angaben in Spalte B ein; Hinweise stehen in Spalte C und im Blatt „{NOTES_SHEET}“.",
        definition.version.german()
    )));
    rows.push(Row::Header);
    let mut inputs = Vec::new();
    let mut pvog = None;
    for section in &definition.sections {
        let fields: Vec<&Field> = (section.fields.iter())
            .filter(|f| applies(f, facts.contact_form))
            .collect();
        if fields.is_empty() {
            continue;
        }
        rows.push(Row::Section(section.title.clone()));
        for field in fields {
            field_rows(field, &facts, &mut rows, &mut inputs, &mut pvog);
        }
    }
    Layout {
        title: definition.title.clone(),
        version: definition.version,
        note: definition.note.clone(),
        facts,
        rows,
        inputs,
        pvog,
    }
}

/// A field with `when: contact_form` is left out for a service without one.
fn applies(field: &Field, contact_form: Option<bool>) -> bool {
    match field.when {
        Some(Condition::ContactForm) => contact_form != Some(false),
        None => true,
    }
}

fn field_rows(
    field: &Field,
    facts: &ServiceFacts,
    rows: &mut Vec<Row>,
    inputs: &mut Vec<Input>,
    pvog: &mut Option<PvogTable>,
) {
    // A field asked only under a condition that is still open is not required.
    let open = field.when.is_some() && facts.contact_form.is_none();
    let required = field.required && !open;
    let condition = field.when.filter(|_| open).map(Condition::label);
    let mut push = |input: Input| {
        rows.push(Row::Input(inputs.len()));
        inputs.push(Input {
            row: rows.len() as u32 - 1,
            ..input
        });
    };
    // A person's help text stands once, at the first part of the first person.
    let input = |name: String, label: String, kind, required, person: Option<PersonRef>| Input {
        help: (field.help.clone())
            .filter(|_| person.as_ref().is_none_or(|p| p.part == PersonPart::Name)),
        name,
        field: field.id.clone(),
        label,
        kind,
        required,
        person,
        condition,
        row: 0,
    };
    let slots = if field.repeat { REPEAT_SLOTS } else { 1 };
    match field.kind {
        FieldType::PvogLinks => {
            rows.push(Row::Elsewhere {
                label: field.label.clone(),
                text: format!("Bitte im Blatt „{PVOG_SHEET}“ eintragen: eine Zeile je LeiKa-Schlüssel und Kommune."),
            });
            *pvog = Some(PvogTable {
                name: field.id.clone(),
                required,
                header_row: 3,
                rows: PVOG_ROWS,
                leikas: facts.leikas.clone(),
            });
        }
        FieldType::Person => {
            for slot in 1..=slots {
                let group = slot_name(&field.id, field.repeat, slot);
                let who = slot_label(&field.label, field.repeat, slot);
                for part in PersonPart::ALL {
                    let person = PersonRef {
                        group: group.clone(),
                        part,
                        needed: part.needed(),
                    };
                    let must = required && slot == 1 && part.needed();
                    push(input(
                        format!("{group}.{}", part.code()),
                        format!("{who}: {}", part.label()),
                        part.kind(),
                        must,
                        Some(person),
                    ));
                }
            }
        }
        kind => {
            for slot in 1..=slots {
                push(input(
                    slot_name(&field.id, field.repeat, slot),
                    slot_label(&field.label, field.repeat, slot),
                    ValueKind::of(kind),
                    required && slot == 1,
                    None,
                ));
            }
        }
    }
}

fn slot_name(id: &str, repeat: bool, slot: usize) -> String {
    if repeat {
        format!("{id}.{slot}")
    } else {
        id.to_string()
    }
}

fn slot_label(label: &str, repeat: bool, slot: usize) -> String {
    if repeat {
        format!("{label} {slot}")
    } else {
        label.to_string()
    }
}

impl Layout {
    /// The input of a defined name.
    #[cfg(test)]
    pub(crate) fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.name == name)
    }

    /// The input cell's reference, e.g. `B7`.
    pub(crate) fn cell(&self, input: &Input) -> String {
        cell_ref(input.row, INPUT_COL)
    }
}

/// `(0, 1)` → `B1`.
pub(crate) fn cell_ref(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Section};

    fn field(id: &str, kind: FieldType, required: bool) -> Field {
        Field {
            id: id.into(),
            label: id.to_uppercase(),
            kind,
            required,
            repeat: false,
            help: Some(format!("Hilfe zu {id}.")),
            when: None,
        }
    }

    fn definition() -> Questionnaire {
        let kontakt = Field {
            when: Some(Condition::ContactForm),
            ..field("kontakt", FieldType::Email, true)
        };
        let fachlich = Field {
            repeat: true,
            ..field("fachlich", FieldType::Person, true)
        };
        Questionnaire {
            title: "Fragebogen".into(),
            version: Date::parse("2026-12-02").unwrap(),
            note: Some("Vorlage".into()),
            sections: vec![
                Section {
                    id: "a".into(),
                    title: "A".into(),
                    fields: vec![field("kommune", FieldType::Text, true), kontakt],
                },
                Section {
                    id: "b".into(),
                    title: "B".into(),
                    fields: vec![fachlich, field("pvog", FieldType::PvogLinks, true)],
                },
                Section {
                    id: "c".into(),
                    title: "Nur Kontakt".into(),
                    fields: vec![Field {
                        when: Some(Condition::ContactForm),
                        ..field("nur", FieldType::Text, false)
                    }],
                },
            ],
        }
    }

    fn facts(contact_form: Option<bool>) -> ServiceFacts {
        ServiceFacts {
            site: "Portal".into(),
            id: "alpha".into(),
            title: "Alpha".into(),
            mailbox: "alpha@example.de".into(),
            contact_form,
            leikas: vec![("99000000001000".into(), "Alpha beantragen".into())],
        }
    }

    fn summary(layout: &Layout) -> Vec<String> {
        (layout.inputs.iter())
            .map(|i| {
                format!(
                    "{} {} {} {:?} {}",
                    layout.cell(i),
                    i.name,
                    i.required,
                    i.kind,
                    i.help.is_some()
                )
            })
            .collect()
    }

    #[test]
    fn a_person_takes_four_rows_per_slot_and_the_table_goes_elsewhere() {
        let l = layout(&definition(), facts(Some(true)));
        let rows = summary(&l);
        assert_eq!(
            rows[..3],
            [
                "B6 kommune true Text true",
                "B7 kontakt true Email true",
                "B9 fachlich.1.name true Text true"
            ]
        );
        assert_eq!(
            rows[3..6],
            [
                "B10 fachlich.1.funktion false Text false",
                "B11 fachlich.1.email true Email false",
                "B12 fachlich.1.telefon false Phone false"
            ]
        );
        assert_eq!(rows[6], "B13 fachlich.2.name false Text true");
        assert_eq!(rows.last().unwrap(), "B23 nur false Text true");
        assert_eq!(l.inputs.len(), 2 + 4 * REPEAT_SLOTS + 1);
        assert!(matches!(&l.rows[20], Row::Elsewhere { label, .. } if label == "PVOG"));
        let pvog = l.pvog.as_ref().unwrap();
        assert_eq!(
            (pvog.name.as_str(), pvog.required, pvog.leikas.len()),
            ("pvog", true, 1)
        );
        let person = l.inputs[4].person.as_ref().unwrap();
        assert_eq!(
            (person.group.as_str(), person.part, person.needed),
            ("fachlich.1", PersonPart::Email, true)
        );
        assert_eq!(l.input("fachlich.3.telefon").map(|i| i.row), Some(19));
    }

    #[test]
    fn the_contact_form_condition_decides_whether_a_field_is_asked() {
        let without = layout(&definition(), facts(Some(false)));
        assert!(without.input("kontakt").is_none());
        assert!(
            without.input("nur").is_none(),
            "an empty section is left out"
        );
        assert!(!without
            .rows
            .iter()
            .any(|r| matches!(r, Row::Section(t) if t == "Nur Kontakt")));
        let unknown = layout(&definition(), facts(None));
        let kontakt = unknown.input("kontakt").unwrap();
        assert!(
            !kontakt.required,
            "not required while the condition is open"
        );
        assert_eq!(
            kontakt.condition,
            Some("nur wenn der Dienst ein Kontaktformular anbietet")
        );
        let with = layout(&definition(), facts(Some(true)));
        assert_eq!(with.input("kontakt").unwrap().condition, None);
    }

    #[test]
    fn every_defined_name_is_unique() {
        let l = layout(&definition(), facts(Some(true)));
        let mut names: Vec<&str> = l.inputs.iter().map(|i| i.name.as_str()).collect();
        names.extend(meta_cells(&l).iter().map(|(n, _)| *n));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn cell_references_count_from_a1() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 1), "B7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(9, 26), "AA10");
    }
}
