//! A [`Layout`] → the bytes of its XLSX workbook (rust_xlsxwriter): the
//! sheet "Fragebogen" (labels locked, input cells unlocked, each named by
//! its input's defined name and checked by Excel's data validation), the
//! sheet "PVOG-Links" (one row per LeiKa key × Kommune, rows can be
//! inserted) and the sheet "Hinweise". Every date in the file comes from
//! the definition's `version`, so two builds give the same bytes.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::layout::{
    cell_ref, meta_cells, Input, Layout, PvogTable, Row, HINT_COL, INPUT_COL, LABEL_COL,
    MAIN_SHEET, META_COL, NOTES_SHEET, PVOG_COLUMNS, PVOG_SHEET,
};
use super::rules::ValueKind;
use crate::model::values::LAENDER;

/// The workbook's bytes. An error here is a bug (a limit of the format
/// that the layout did not respect), not a problem of the content.
pub(crate) fn workbook(layout: &Layout) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&properties(layout)?);
    let styles = Styles::new();
    let main = book.add_worksheet();
    main_sheet(main, layout, &styles)?;
    if let Some(table) = &layout.pvog {
        let sheet = book.add_worksheet();
        pvog_sheet(sheet, layout, table, &styles)?;
    }
    let notes = book.add_worksheet();
    notes_sheet(notes, layout, &styles)?;
    define_names(&mut book, layout)?;
    book.save_to_buffer()
}

fn properties(layout: &Layout) -> Result<DocProperties, XlsxError> {
    let v = layout.version;
    let (year, month, day) = v.ymd();
    let date = ExcelDateTime::from_ymd(year, month, day)?;
    Ok(DocProperties::new()
        .set_title(format!("{}: {}", layout.title, layout.facts.title))
        .set_author(&layout.facts.site)
        .set_subject(&layout.facts.title)
        .set_creation_datetime(&date))
}

/// The formats of the sheets.
struct Styles {
    title: Format,
    text: Format,
    header: Format,
    section: Format,
    label: Format,
    hint: Format,
    input: Format,
    input_date: Format,
}

impl Styles {
    fn new() -> Styles {
        let top = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let input = (top.clone())
            .set_unlocked()
            .set_border(FormatBorder::Thin)
            .set_num_format("@");
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            text: top.clone(),
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            section: Format::new().set_bold().set_font_size(12),
            label: top.clone(),
            hint: top.clone().set_font_color("595959"),
            input_date: input.clone().set_num_format("dd.mm.yyyy"),
            input,
        }
    }

    fn input_for(&self, kind: ValueKind) -> &Format {
        if kind == ValueKind::Date {
            &self.input_date
        } else {
            &self.input
        }
    }
}

fn main_sheet(sheet: &mut Worksheet, layout: &Layout, s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(MAIN_SHEET)?;
    sheet.set_column_width(LABEL_COL, 42)?;
    sheet.set_column_width(INPUT_COL, 48)?;
    sheet.set_column_width(HINT_COL, 70)?;
    for (row, row_kind) in (0u32..).zip(&layout.rows) {
        match row_kind {
            Row::Title(text) => sheet.write_string_with_format(row, LABEL_COL, text, &s.title)?,
            Row::Text(text) => sheet.write_string_with_format(row, LABEL_COL, text, &s.text)?,
            Row::Section(text) => {
                sheet.write_string_with_format(row, LABEL_COL, text, &s.section)?
            }
            Row::Header => {
                for (col, text) in [
                    (LABEL_COL, "Angabe"),
                    (INPUT_COL, "Ihre Eintragung"),
                    (HINT_COL, "Hinweis"),
                ] {
                    sheet.write_string_with_format(row, col, text, &s.header)?;
                }
                &mut *sheet
            }
            Row::Elsewhere { label, text } => {
                sheet.write_string_with_format(row, LABEL_COL, label, &s.label)?;
                sheet.write_string_with_format(row, INPUT_COL, text, &s.hint)?
            }
            Row::Input(index) => input_row(sheet, &layout.inputs[*index], s)?,
        };
    }
    for (row, (_, value)) in (0u32..).zip(meta_cells(layout)) {
        sheet.write_string(row, META_COL, value)?;
    }
    sheet.set_column_hidden(META_COL)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

fn input_row<'w>(
    sheet: &'w mut Worksheet,
    input: &Input,
    s: &Styles,
) -> Result<&'w mut Worksheet, XlsxError> {
    let label = if input.required {
        format!("{} (Pflichtangabe)", input.label)
    } else {
        input.label.clone()
    };
    sheet.write_string_with_format(input.row, LABEL_COL, label, &s.label)?;
    sheet.write_blank(input.row, INPUT_COL, s.input_for(input.kind))?;
    let hint = [input.condition.map(str::to_string), input.help.clone()];
    let hint: Vec<String> = hint.into_iter().flatten().collect();
    if !hint.is_empty() {
        let text = upper_first(&hint.join(". "));
        sheet.write_string_with_format(input.row, HINT_COL, text, &s.hint)?;
    }
    let cell = cell_ref(input.row, INPUT_COL);
    let validation = validation(input.kind, &cell, &input.label, input.help.as_deref())?;
    sheet.add_data_validation(input.row, INPUT_COL, input.row, INPUT_COL, &validation)
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn pvog_sheet(
    sheet: &mut Worksheet,
    layout: &Layout,
    table: &PvogTable,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(PVOG_SHEET)?;
    let title = "PVOG-Links: je LeiKa-Schlüssel und Kommune eine Zeile";
    sheet.write_string_with_format(0, 0, title, &s.title)?;
    sheet.write_string_with_format(1, 0, pvog_intro(layout), &s.text)?;
    for (col, (heading, _)) in (0u16..).zip(PVOG_COLUMNS) {
        sheet.write_string_with_format(table.header_row, col, heading, &s.header)?;
        let width = if col == 4 { 60 } else { 22 };
        sheet.set_column_width(col, width)?;
    }
    let first = table.header_row + 1;
    let last = table.header_row + table.rows;
    for row in first..=last {
        for (col, (_, kind)) in (0u16..).zip(PVOG_COLUMNS) {
            sheet.write_blank(row, col, s.input_for(kind))?;
        }
    }
    for (row, (key, name)) in (first..).zip(&table.leikas) {
        sheet.write_string_with_format(row, 0, key, &s.input)?;
        sheet.write_string_with_format(row, 1, name, &s.input)?;
    }
    for (col, (heading, kind)) in (0u16..).zip(PVOG_COLUMNS) {
        let cell = cell_ref(first, col);
        let v = match kind {
            ValueKind::Leika if !table.leikas.is_empty() => {
                let keys: Vec<&str> = table.leikas.iter().map(|(k, _)| k.as_str()).collect();
                let list = DataValidation::new().allow_list_strings(&keys)?;
                let error = "Wählen Sie einen LeiKa-Schlüssel dieses Dienstes aus der Liste.";
                titled(list, heading, error, error)?
            }
            _ => validation(kind, &cell, heading, None)?,
        };
        sheet.add_data_validation(first, col, last, col, &v)?;
    }
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

fn pvog_intro(layout: &Layout) -> String {
    let f = &layout.facts;
    if f.leikas.is_empty() {
        format!(
            "Die LeiKa-Schlüssel dieses Dienstes sind noch nicht festgelegt: erfragen Sie sie unter {} und tragen Sie sie in Spalte A ein. Je Kommune und Schlüssel eine Zeile; weitere Zeilen können Sie einfügen.",
            f.mailbox
        )
    } else {
        "Für jede Kommune, für die Ihr Amt zuständig ist, und jeden LeiKa-Schlüssel des Dienstes eine Zeile mit dem Link auf die Leistung im PVOG. Weitere Zeilen können Sie einfügen.".to_string()
    }
}

fn notes_sheet(sheet: &mut Worksheet, layout: &Layout, s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name(NOTES_SHEET)?;
    sheet.set_column_width(0, 100)?;
    let f = &layout.facts;
    let mut lines = vec![(format!("Hinweise zum {}", layout.title), &s.title)];
    if let Some(note) = &layout.note {
        lines.push((format!("{note}."), &s.text));
    }
    lines.extend([
        (format!("Senden Sie die ausgefüllte Datei an das Postfach des Dienstes: {}", f.mailbox), &s.text),
        (format!("Betreff: {} {} – Name Ihrer Kommune", layout.title, f.title), &s.text),
        (format!("Die Hinweise zu jeder Angabe stehen im Blatt „{MAIN_SHEET}“ in Spalte C; Pflichtangaben sind mit „(Pflichtangabe)“ gekennzeichnet."), &s.text),
        ("Bitte lassen Sie Aufbau und Blätter der Datei unverändert: sie wird über die benannten Zellen eingelesen.".to_string(), &s.text),
    ]);
    for (row, (text, format)) in (0u32..).zip(lines) {
        sheet.write_string_with_format(row, 0, text, format)?;
    }
    sheet.protect();
    Ok(())
}

/// Each input's cell, the PVOG table and the hidden cells by name.
fn define_names(book: &mut Workbook, layout: &Layout) -> Result<(), XlsxError> {
    let absolute = |sheet: &str, row: u32, col: u16| {
        let cell = cell_ref(row, col);
        let (letters, digits) = cell.split_at(cell.find(|c: char| c.is_ascii_digit()).unwrap_or(0));
        format!("='{sheet}'!${letters}${digits}")
    };
    for input in &layout.inputs {
        book.define_name(&input.name, &absolute(MAIN_SHEET, input.row, INPUT_COL))?;
    }
    if let Some(table) = &layout.pvog {
        let from = absolute(PVOG_SHEET, table.header_row + 1, 0);
        let to = absolute(PVOG_SHEET, table.header_row + table.rows, 5);
        let to = to.rsplit('!').next().unwrap_or_default();
        book.define_name(&table.name, &format!("{from}:{to}"))?;
    }
    for (row, (name, _)) in (0u32..).zip(meta_cells(layout)) {
        book.define_name(name, &absolute(MAIN_SHEET, row, META_COL))?;
    }
    Ok(())
}

/// Excel's check of one kind of value, with a German input and error message.
fn validation(
    kind: ValueKind,
    cell: &str,
    label: &str,
    help: Option<&str>,
) -> Result<DataValidation, XlsxError> {
    let rule = kind.rule();
    let no = |c: &str| format!("ISERROR(FIND(\"{c}\",{cell}))");
    let digits = |len: &str| {
        let plain = [".", ",", "E", "-", "+", " "].map(&no).join(",");
        format!("AND({len},ISNUMBER(--{cell}),{plain})")
            .replace(&no("E"), &format!("ISERROR(FIND(\"E\",UPPER({cell})))"))
    };
    let custom =
        |formula: String| DataValidation::new().allow_custom(Formula::new(format!("={formula}")));
    let v = match kind {
        ValueKind::Text | ValueKind::Multiline => DataValidation::new()
            .allow_text_length(DataValidationRule::LessThanOrEqualTo(rule.max_len as u32)),
        ValueKind::Land => {
            let names: Vec<&str> = LAENDER.iter().map(|(_, n)| *n).collect();
            DataValidation::new().allow_list_strings(&names)?
        }
        ValueKind::Date => DataValidation::new().allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(2000, 1, 1)?,
            ExcelDateTime::from_ymd(2099, 12, 31)?,
        )),
        ValueKind::Email => custom(format!("AND({},LEN({cell})-LEN(SUBSTITUTE({cell},\"@\",\"\"))=1,FIND(\"@\",{cell})>1,ISNUMBER(FIND(\".\",{cell},FIND(\"@\",{cell})+2)),RIGHT({cell},1)<>\".\")", no(" "))),
        ValueKind::Url => custom(format!("AND({},OR(LEFT({cell},8)=\"https://\",LEFT({cell},7)=\"http://\"),LEN({cell})>10)", no(" "))),
        ValueKind::Phone => custom(format!("AND(LEN({cell})>=3,LEN({cell})<=40,{})", no("@"))),
        ValueKind::OeId => custom(format!("ISNUMBER(FIND(\".OE.\",{cell}))"))
            .set_error_style(DataValidationErrorStyle::Warning),
        ValueKind::Ags => custom(digits(&format!("OR(LEN({cell})=5,LEN({cell})=8),--LEFT({cell},2)>=1,--LEFT({cell},2)<=16"))),
        ValueKind::Ars => custom(digits(&format!("LEN({cell})=12,--LEFT({cell},2)>=1,--LEFT({cell},2)<=16"))),
        ValueKind::Leika => custom(digits(&format!("LEN({cell})=14,LEFT({cell},2)=\"99\""))),
    };
    let error = format!("{} {}", rule.message, rule.hint);
    titled(v, label, help.unwrap_or(rule.hint), &error)
}

/// The input title (the label) and messages, cut to Excel's limits.
fn titled(
    v: DataValidation,
    label: &str,
    input: &str,
    error: &str,
) -> Result<DataValidation, XlsxError> {
    v.set_input_title(fit(label, 32))?
        .set_input_message(fit(input, 255))?
        .set_error_title("Bitte prüfen")?
        .set_error_message(fit(error, 255))
}

/// `text` cut to `limit` UTF-16 units (Excel's measure) at a sentence or
/// word boundary, with "…" where it was cut.
pub(crate) fn fit(text: &str, limit: usize) -> String {
    let units = |s: &str| s.encode_utf16().count();
    if units(text) <= limit {
        return text.to_string();
    }
    let mut cut = String::new();
    for sentence in text.split_inclusive(". ") {
        if units(&cut) + units(sentence) > limit {
            break;
        }
        cut.push_str(sentence);
    }
    if cut.is_empty() {
        for word in text.split_inclusive(' ') {
            if units(&cut) + units(word.trim_end()) + 1 > limit {
                break;
            }
            cut.push_str(word);
        }
        cut = format!("{}…", cut.trim_end());
    }
    cut.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_cut_at_a_sentence_or_word_within_excels_limit() {
        assert_eq!(fit("Kurz.", 32), "Kurz.");
        assert_eq!(
            fit("Erster Satz. Zweiter Satz ist lang.", 20),
            "Erster Satz."
        );
        assert_eq!(
            fit("E-Mail für Anträge und Anfragen aus der dDatabox", 32),
            "E-Mail für Anträge und Anfragen…"
        );
        let long = "Wort ".repeat(100);
        assert!(fit(&long, 255).encode_utf16().count() <= 255);
        // Characters outside the BMP count twice, as Excel counts them.
        let emoji = "😀".repeat(20);
        assert!(fit(&emoji, 32).encode_utf16().count() <= 32);
    }
}
