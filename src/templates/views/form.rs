//! A service's questionnaire [`Layout`] → the [`FormView`] of its form
//! (`/dienste/<id>/fragebogen/`): the inputs by section for the template,
//! and one JSON text for the script with the rules of
//! [`crate::questionnaire::rules`], every input's cell and the PVOG sheet,
//! so that the script checks and fills by the same definitions as the
//! workbook and `import`.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::questionnaire::layout::{
    cell_ref, Input, Layout, PersonPart, Row, MAIN_SHEET, PVOG_COLUMNS, PVOG_SHEET,
};
use crate::questionnaire::rules::{self, Rule, ValueKind};
use crate::templates::views::*;

/// The view of the form of one service.
pub(crate) fn form_view(
    layout: &Layout,
    service_url: String,
    download: Option<DownloadView>,
) -> FormView {
    let facts = &layout.facts;
    let subject = format!("{} {}", layout.title, facts.title);
    let mailto = format!(
        "mailto:{}?subject={}",
        facts.mailbox,
        utf8_percent_encode(&subject, NON_ALPHANUMERIC)
    );
    let data = script_data(layout, download.as_ref(), &subject);
    FormView {
        service_id: facts.id.clone(),
        service_title: facts.title.clone(),
        service_url,
        title: layout.title.clone(),
        version: layout.version.into(),
        note: layout.note.clone().unwrap_or_default(),
        sections: sections(layout),
        laender: crate::model::values::LAENDER
            .iter()
            .map(|(_, n)| *n)
            .collect(),
        download,
        mailbox: facts.mailbox.clone(),
        mailto,
        mail_subject: subject,
        data,
    }
}

/// The HTML id of an input: `fachlich.1.email` → `f_fachlich_1_email`.
pub(crate) fn input_id(name: &str) -> String {
    format!("f_{}", name.replace('.', "_"))
}

/// The sections in order, each with its inputs, persons and the PVOG table.
fn sections(layout: &Layout) -> Vec<FormSection> {
    let mut sections: Vec<FormSection> = Vec::new();
    for row in &layout.rows {
        match row {
            Row::Section(title) => sections.push(FormSection {
                id: format!("abschnitt_{}", sections.len() + 1),
                title: title.clone(),
                items: Vec::new(),
            }),
            Row::Input(i) => {
                let Some(section) = sections.last_mut() else {
                    continue;
                };
                push_input(layout, &layout.inputs[*i], &mut section.items);
            }
            Row::Elsewhere { label, .. } => {
                if let (Some(section), Some(pvog)) = (sections.last_mut(), pvog(layout, label)) {
                    section.items.push(FormItem::Pvog(pvog));
                }
            }
            Row::Title(_) | Row::Text(_) | Row::Header => {}
        }
    }
    sections
}

/// An input on its own, or as the next part of its person.
fn push_input(layout: &Layout, input: &Input, items: &mut Vec<FormItem>) {
    let view = input_view(layout, input);
    let Some(person) = &input.person else {
        items.push(FormItem::Input(view));
        return;
    };
    if let Some(FormItem::Person(p)) = items.last_mut() {
        if p.group == person.group {
            p.required |= view.required;
            p.inputs.push(view);
            return;
        }
    }
    let slot: usize = (person.group.rsplit_once('.'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1);
    let legend = input
        .label
        .rsplit_once(": ")
        .map_or(input.label.as_str(), |(who, _)| who);
    let field_label = match person.group.rsplit_once('.') {
        Some(_) => legend
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end(),
        None => legend,
    };
    items.push(FormItem::Person(FormPerson {
        group: person.group.clone(),
        id: input_id(&person.group),
        legend: legend.to_string(),
        slot,
        repeat: person.group.contains('.'),
        extra: slot > 1,
        field_label: field_label.to_string(),
        required: view.required,
        help: view.help.clone(),
        condition: view.condition.clone(),
        inputs: vec![FormInput {
            help: String::new(),
            condition: String::new(),
            ..view
        }],
    }));
}

fn input_view(layout: &Layout, input: &Input) -> FormInput {
    let rule = input.kind.rule();
    let short_label = match &input.person {
        Some(p) => p.part.label().to_string(),
        None => input.label.clone(),
    };
    let autocomplete = match (&input.person, input.field.as_str()) {
        (Some(p), "ausgefuellt_von") => match p.part {
            PersonPart::Name => "name",
            PersonPart::Funktion => "organization-title",
            PersonPart::Email => "email",
            PersonPart::Telefon => "tel",
        },
        _ => "",
    };
    FormInput {
        name: input.name.clone(),
        id: input_id(&input.name),
        label: input.label.clone(),
        short_label,
        kind: input.kind.code(),
        control: control(input.kind),
        input_type: input_type(input.kind),
        autocomplete,
        required: input.required,
        hint: hint(input.kind),
        help: input.help.clone().unwrap_or_default(),
        condition: input.condition.map(capitalised).unwrap_or_default(),
        cell: layout.cell(input),
        max_len: rule.max_len,
    }
}

fn control(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Multiline => "textarea",
        ValueKind::Land => "select",
        _ => "input",
    }
}

fn input_type(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Email => "email",
        ValueKind::Url => "url",
        ValueKind::Phone => "tel",
        ValueKind::Date => "date",
        _ => "text",
    }
}

/// The rule's hint where a value has a shape to follow.
fn hint(kind: ValueKind) -> String {
    match kind {
        ValueKind::Text | ValueKind::Multiline | ValueKind::Land | ValueKind::Date => String::new(),
        _ => kind.rule().hint.to_string(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Which columns a used row of the PVOG table must fill.
fn pvog_required(kind: ValueKind, label: &str) -> bool {
    matches!(kind, ValueKind::Leika | ValueKind::Url) || label == "Kommune"
}

fn pvog(layout: &Layout, label: &str) -> Option<FormPvog> {
    let table = layout.pvog.as_ref()?;
    let columns = (PVOG_COLUMNS.iter().enumerate())
        .map(|(i, (label, kind))| FormColumn {
            label: (*label).to_string(),
            kind: kind.code(),
            letter: cell_ref(0, i as u16).trim_end_matches('1').to_string(),
            input_type: input_type(*kind),
            required: pvog_required(*kind, label),
            hint: hint(*kind),
            max_len: kind.rule().max_len,
        })
        .collect();
    let mut rows: Vec<FormPvogRow> = (table.leikas.iter().enumerate())
        .map(|(i, (key, name))| FormPvogRow {
            number: i + 1,
            values: [key.clone(), name.clone()]
                .into_iter()
                .chain(std::iter::repeat_n(String::new(), PVOG_COLUMNS.len() - 2))
                .collect(),
        })
        .collect();
    if rows.is_empty() {
        rows.push(FormPvogRow {
            number: 1,
            values: vec![String::new(); PVOG_COLUMNS.len()],
        });
    }
    Some(FormPvog {
        id: input_id(&table.name),
        label: label.to_string(),
        required: table.required,
        sheet: PVOG_SHEET,
        first_row: table.header_row + 2,
        max_rows: table.rows,
        columns,
        rows,
    })
}

/// What the script reads (`<script type="application/json" id="fragebogen_daten">`).
#[derive(Serialize)]
struct Data<'a> {
    service: &'a str,
    /// The download's name without `.xlsx`; the script adds the Kommune.
    file_name: String,
    /// The URL of the service's generated workbook.
    xlsx: Option<&'a str>,
    sheet: &'static str,
    /// The `localStorage` key of a draft (written only when asked for).
    draft_key: String,
    mail: Mail<'a>,
    rules: BTreeMap<&'static str, Rule>,
    /// Checks across two values, worded as `import` words them.
    cross: Cross<'a>,
    inputs: Vec<DataInput<'a>>,
    pvog: Option<DataPvog<'a>>,
}

/// The AGS must start with the number of the Land chosen; a LeiKa key in
/// the PVOG table must be one of the service's keys (when it has any).
#[derive(Serialize)]
struct Cross<'a> {
    ags_land: rules::Template,
    unknown_leika: rules::Template,
    /// The Länder as (number, name).
    laender: &'static [(&'static str, &'static str)],
    /// The service's confirmed LeiKa keys with their names.
    leikas: &'a [(String, String)],
}

#[derive(Serialize)]
struct Mail<'a> {
    to: &'a str,
    subject: &'a str,
}

#[derive(Serialize)]
struct DataInput<'a> {
    name: &'a str,
    id: String,
    kind: &'static str,
    label: &'a str,
    required: bool,
    cell: String,
    /// Said when a required input is empty.
    missing: String,
    /// A person's name: the inputs that are filled together.
    group: Option<&'a str>,
    /// Must be filled whenever another part of the person is.
    needed: bool,
    /// Said when a needed part is empty while another part is filled.
    incomplete: String,
}

#[derive(Serialize)]
struct DataPvog<'a> {
    sheet: &'static str,
    first_row: u32,
    max_rows: u32,
    required: bool,
    /// Said when no row has a PVOG link.
    missing: String,
    columns: Vec<DataColumn>,
    /// The rows the workbook has prefilled: LeiKa key and name.
    leikas: &'a [(String, String)],
}

#[derive(Serialize)]
struct DataColumn {
    letter: String,
    kind: &'static str,
    label: &'static str,
    required: bool,
    /// Said when a used row lacks this column; `{n}` is the row's number.
    missing: String,
}

fn missing(kind: ValueKind, label: &str) -> String {
    match kind {
        ValueKind::Land => format!("Wählen Sie „{label}“ aus."),
        _ => format!("Geben Sie „{label}“ an."),
    }
}

fn script_data(layout: &Layout, download: Option<&DownloadView>, subject: &str) -> String {
    let facts = &layout.facts;
    let inputs = (layout.inputs.iter())
        .map(|i| DataInput {
            name: &i.name,
            id: input_id(&i.name),
            kind: i.kind.code(),
            label: &i.label,
            required: i.required,
            cell: layout.cell(i),
            missing: missing(i.kind, &i.label),
            group: i.person.as_ref().map(|p| p.group.as_str()),
            needed: i.person.as_ref().is_some_and(|p| p.needed),
            incomplete: format!(
                "Zu jeder Kontaktperson gehören Name und E-Mail: geben Sie „{}“ an.",
                i.label
            ),
        })
        .collect();
    let pvog = layout.pvog.as_ref().map(|t| DataPvog {
        sheet: PVOG_SHEET,
        first_row: t.header_row + 2,
        max_rows: t.rows,
        required: t.required,
        missing: "Tragen Sie mindestens eine Zeile mit PVOG-Link ein: eine Zeile je LeiKa-Schlüssel und Kommune.".into(),
        columns: (PVOG_COLUMNS.iter().enumerate())
            .map(|(i, (label, kind))| DataColumn {
                letter: cell_ref(0, i as u16).trim_end_matches('1').to_string(),
                kind: kind.code(),
                label,
                required: pvog_required(*kind, label),
                missing: format!("Geben Sie in Zeile {{n}} der PVOG-Links „{label}“ an."),
            })
            .collect(),
        leikas: &t.leikas,
    });
    let data = Data {
        service: &facts.id,
        file_name: format!("anbindungsfragebogen-{}", facts.id),
        xlsx: download.map(|d| d.url.as_str()),
        sheet: MAIN_SHEET,
        draft_key: format!("mitnutzung-fragebogen-{}", facts.id),
        mail: Mail {
            to: &facts.mailbox,
            subject,
        },
        rules: rules::all()
            .into_iter()
            .map(|r| (r.kind.code(), r))
            .collect(),
        cross: Cross {
            ags_land: rules::AGS_LAND,
            unknown_leika: rules::UNKNOWN_LEIKA,
            laender: &crate::model::values::LAENDER,
            leikas: &facts.leikas,
        },
        inputs,
        pvog,
    };
    script_json(&data)
}

/// JSON that can stand inside `<script>`: `<` as `\u003c` (so no `</script>`
/// or `<!--` ends or changes the element), and U+2028/U+2029 escaped too.
pub(crate) fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("the form's data serialises")
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_end_the_script_element() {
        let json = script_json(&["</script><!--", "a\u{2028}b"]);
        assert!(!json.contains('<'), "{json}");
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["</script><!--", "a\u{2028}b"]);
    }

    #[test]
    fn ids_are_the_defined_names_made_html_safe() {
        assert_eq!(input_id("fachlich.1.email"), "f_fachlich_1_email");
        assert_eq!(input_id("kommune"), "f_kommune");
    }
}
