//! A returned questionnaire (XLSX, read with calamine) → its values, each
//! checked by the [`rules`](super::rules) the form applies, every problem
//! at its sheet and cell. Cells are found by their defined names, not by
//! position, so rows an editor inserted do not shift a value into another
//! field. What Excel does to values is undone here: a key typed as a number
//! gets its leading zero back, a date serial becomes `YYYY-MM-DD`.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, ExcelDateTime, ExcelDateTimeType, Range, Reader, Xlsx};

use super::layout::{cell_ref, Layout, MARK, PVOG_COLUMNS};
use super::rules::{self, check, ValueKind};
use crate::diagnostics::{shorten, Code, Diagnostic, Position, SheetPlace};

/// The file's own statement of what it is (its hidden cells).
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub site: String,
    pub service: String,
    pub version: String,
}

/// A defined name's target: sheet, first cell, last cell (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    sheet: String,
    start: (u32, u32),
    end: (u32, u32),
}

/// An opened workbook: its defined names and the sheets read so far.
pub(crate) struct Opened {
    file: PathBuf,
    names: HashMap<String, Target>,
    values: HashMap<String, Range<Data>>,
    formulas: HashMap<String, Range<String>>,
}

/// One value read and checked, with its place.
#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub text: String,
    pub place: SheetPlace,
}

/// What a returned questionnaire says: the value of each input by its
/// defined name, and the filled rows of the PVOG table (by column).
#[derive(Debug, Clone, Default)]
pub(crate) struct Answers {
    pub values: HashMap<String, Value>,
    pub pvog: Vec<[Option<String>; 6]>,
}

fn not_ours(file: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::NotAQuestionnaire, file, Position::START, message)
        .with_place(SheetPlace::FILE)
        .with_hint("Importieren Sie nur einen Anbindungsfragebogen, der von dieser Website heruntergeladen und ausgefüllt wurde (als .xlsx gespeichert).")
}

/// Open the file and read its hidden cells; a file that is no
/// questionnaire of any site of ours is an error.
pub(crate) fn open(file: &Path, bytes: Vec<u8>) -> Result<(Opened, Meta), Diagnostic> {
    let damaged = |_: &dyn std::fmt::Display| {
        not_ours(
            file,
            "Die Datei lässt sich nicht als Excel-Datei (.xlsx) lesen: sie ist beschädigt oder hat ein anderes Format.",
        )
    };
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let names = (xlsx.defined_names().iter())
        .filter_map(|(name, formula)| Some((name.to_lowercase(), target(formula)?)))
        .collect();
    let mut opened = Opened {
        file: file.to_path_buf(),
        names,
        values: HashMap::new(),
        formulas: HashMap::new(),
    };
    for sheet in xlsx.sheet_names() {
        let values = xlsx.worksheet_range(&sheet).map_err(|e| damaged(&e))?;
        let formulas = xlsx.worksheet_formula(&sheet).unwrap_or_default();
        opened.values.insert(sheet.clone(), values);
        opened.formulas.insert(sheet, formulas);
    }
    let hidden = |opened: &Opened, name: &str| {
        let target = opened.names.get(name)?;
        let data = opened.data(&target.sheet, target.start)?;
        Some(data.to_string().trim().to_string())
    };
    if hidden(&opened, "_kennung").as_deref() != Some(MARK) {
        return Err(not_ours(
            file,
            "Die Datei ist keine Anbindungsfragebogen-Datei dieser Website: ihr fehlt die Kennung des Fragebogens.",
        ));
    }
    let meta = Meta {
        site: hidden(&opened, "_site").unwrap_or_default(),
        service: hidden(&opened, "_dienst").unwrap_or_default(),
        version: hidden(&opened, "_version").unwrap_or_default(),
    };
    Ok((opened, meta))
}

/// `'PVOG-Links'!$A$5:$F$104`, `Fragebogen!B6` → its target.
fn target(formula: &str) -> Option<Target> {
    let formula = formula.trim().trim_start_matches('=');
    let (sheet, cells) = formula.rsplit_once('!')?;
    let sheet = sheet.trim_start_matches('$');
    let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => sheet.to_string(),
    };
    let (first, last) = cells.split_once(':').unwrap_or((cells, cells));
    Some(Target {
        sheet,
        start: cell_position(first)?,
        end: cell_position(last)?,
    })
}

/// `$B$6` → (5, 1).
fn cell_position(cell: &str) -> Option<(u32, u32)> {
    let cell = cell.replace('$', "");
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let col = (letters.chars()).fold(0u32, |n, c| {
        n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)
    });
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

impl Opened {
    fn data(&self, sheet: &str, at: (u32, u32)) -> Option<&Data> {
        self.values.get(sheet)?.get_value(at)
    }

    fn formula(&self, sheet: &str, at: (u32, u32)) -> Option<&str> {
        let f = self.formulas.get(sheet)?.get_value(at)?;
        Some(f.as_str()).filter(|f| !f.is_empty())
    }

    /// One cell as text of `kind`, or why it cannot be read.
    fn read(&self, sheet: &str, at: (u32, u32), kind: ValueKind, label: &str) -> Read {
        let place = SheetPlace::cell(sheet, &cell_ref(at.0, at.1 as u16), Some(label));
        let error = |code, message: String, hint: &str| {
            Read::Problem(
                Diagnostic::error(code, &self.file, Position::START, message)
                    .with_place(place.clone())
                    .with_hint(hint),
                place.clone(),
            )
        };
        if let Some(formula) = self.formula(sheet, at) {
            return error(
                Code::FormulaInCell,
                format!("Die Zelle enthält eine Formel („={}“) statt eines Werts.", shorten(formula)),
                "Tragen Sie den Wert selbst ein (Formel kopieren, dann „Inhalte einfügen: nur Werte“).",
            );
        }
        match self.data(sheet, at).map(|d| cell_text(kind, d)) {
            None | Some(Ok(None)) => Read::Empty(place),
            Some(Ok(Some(text))) => Read::Value(Value { text, place }),
            Some(Err(message)) => error(
                Code::ErrorInCell,
                message,
                "Tragen Sie in die Zelle den Wert selbst ein, ohne Formel.",
            ),
        }
    }
}

enum Read {
    Empty(SheetPlace),
    Value(Value),
    /// The cell holds something that is no value: the problem, and where.
    Problem(Diagnostic, SheetPlace),
}

/// A cell's value as the text the rules check, undoing what Excel does:
/// numbers for keys (leading zeros restored), serials for dates.
pub(crate) fn cell_text(kind: ValueKind, data: &Data) -> Result<Option<String>, String> {
    let text = match data {
        Data::Empty => return Ok(None),
        Data::String(s) => {
            let s = s.replace("\r\n", "\n").replace('\r', "\n");
            let s = s.trim();
            if kind == ValueKind::Date {
                german_date(s).unwrap_or_else(|| s.to_string())
            } else {
                s.to_string()
            }
        }
        Data::Float(f) if kind == ValueKind::Date => serial_date(*f),
        Data::Int(i) if kind == ValueKind::Date => serial_date(*i as f64),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => pad(kind, (*f as i64).to_string()),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => pad(kind, i.to_string()),
        Data::DateTime(d) if kind == ValueKind::Date || d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            if kind == ValueKind::Date {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{day:02}.{m:02}.{y:04}")
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) if kind == ValueKind::Date => s.chars().take(10).collect(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => (if *b { "WAHR" } else { "FALSCH" }).to_string(),
        Data::Error(e) => {
            return Err(format!(
                "Die Zelle zeigt einen Excel-Fehler ({e}) statt eines Werts."
            ))
        }
    };
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// A key Excel read as a number lost its leading zero: 7 digits of an AGS
/// are 8, 4 are 5; 11 of an ARS are 12.
fn pad(kind: ValueKind, digits: String) -> String {
    match (kind, digits.len()) {
        (ValueKind::Ags, 7 | 4) | (ValueKind::Ars, 11) => format!("0{digits}"),
        _ => digits,
    }
}

/// An Excel date serial (days since 1899-12-30) → `YYYY-MM-DD`.
fn serial_date(serial: f64) -> String {
    let (y, m, d, ..) =
        ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, false).to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2.12.2026`, `02.12.2026` → `2026-12-02`.
fn german_date(text: &str) -> Option<String> {
    let mut parts = text.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(d, 1..=2) || !digits(m, 1..=2) || !digits(y, 4..=4) {
        return None;
    }
    Some(format!("{y}-{m:0>2}-{d:0>2}"))
}

/// The diagnostic code of a value that breaks its kind's rule.
fn code_of(kind: ValueKind) -> Code {
    match kind {
        ValueKind::Email => Code::InvalidEmail,
        ValueKind::Url => Code::InvalidUrl,
        ValueKind::Phone => Code::InvalidPhone,
        ValueKind::OeId => Code::UnusualOeId,
        ValueKind::Ags => Code::InvalidAgs,
        ValueKind::Land => Code::UnknownState,
        ValueKind::Date => Code::InvalidDate,
        ValueKind::Leika => Code::InvalidLeika,
        ValueKind::Ars => Code::InvalidArs,
        ValueKind::Text | ValueKind::Multiline => Code::TooLong,
    }
}

/// Check one value by its kind's rule: a diagnostic if it breaks it.
fn rule_problem(file: &Path, kind: ValueKind, value: &Value) -> Option<Diagnostic> {
    let rule = check(kind, &value.text).err()?;
    let message = format!(
        "{} Eingetragen ist „{}“.",
        rule.message,
        shorten(&value.text)
    );
    let mut hint = rule.hint.to_string();
    if kind == ValueKind::Land {
        let names = crate::model::values::LAENDER.iter().map(|(_, n)| *n);
        if let Some(question) = crate::diagnostics::did_you_mean(&value.text, names) {
            hint = format!("{question} {hint}");
        }
    }
    let d = if rule.warning_only {
        Diagnostic::warning(code_of(kind), file, Position::START, message)
    } else {
        Diagnostic::error(code_of(kind), file, Position::START, message)
    };
    Some(d.with_place(value.place.clone()).with_hint(hint))
}

fn missing(file: &Path, place: SheetPlace, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(Code::MissingValue, file, Position::START, message)
        .with_place(place)
        .with_hint(hint)
}

/// Every input and the PVOG table read and checked: the answers, and every
/// problem in the order of the sheet.
pub(crate) fn answers(opened: &Opened, layout: &Layout) -> (Answers, Vec<Diagnostic>) {
    let mut answers = Answers::default();
    let mut problems = Vec::new();
    let mut empty: HashMap<String, SheetPlace> = HashMap::new();
    for input in &layout.inputs {
        let Some(target) = opened.names.get(&input.name.to_lowercase()) else {
            if input.required {
                problems.push(not_ours(&opened.file, format!("Der Datei fehlt das Feld „{}“ (Name „{}“); sie ist keine vollständige Vorlage dieser Website.", input.label, input.name)));
            }
            continue;
        };
        match opened.read(&target.sheet, target.start, input.kind, &input.label) {
            Read::Problem(d, _) => problems.push(d),
            Read::Empty(place) => {
                if input.required {
                    problems.push(missing(
                        &opened.file,
                        place.clone(),
                        "Die Pflichtangabe fehlt.".into(),
                        format!("Tragen Sie „{}“ in Spalte B ein.", input.label),
                    ));
                }
                empty.insert(input.name.clone(), place);
            }
            Read::Value(value) => {
                problems.extend(rule_problem(&opened.file, input.kind, &value));
                let number = matches!(
                    opened.data(&target.sheet, target.start),
                    Some(Data::Float(_) | Data::Int(_))
                );
                if input.kind == ValueKind::Phone && number {
                    problems.push(phone_as_number(&opened.file, &value));
                }
                answers.values.insert(input.name.clone(), value);
            }
        }
    }
    problems.extend(person_problems(layout, &answers, &empty, &opened.file));
    problems.extend(land_problems(&answers, &opened.file));
    if let Some(table) = &layout.pvog {
        let (rows, found) = pvog_rows(opened, layout);
        problems.extend(found);
        if table.required && rows.is_empty() {
            let place = SheetPlace::cell(
                super::layout::PVOG_SHEET,
                &cell_ref(table.header_row + 1, 0),
                Some("PVOG-Links"),
            );
            problems.push(missing(&opened.file, place, "Es ist kein PVOG-Link eingetragen.".into(), "Tragen Sie je LeiKa-Schlüssel und Kommune eine Zeile mit LeiKa, Kommune und PVOG-Link ein.".into()));
        }
        answers.pvog = rows;
    }
    problems.sort_by_key(order);
    (answers, problems)
}

/// The order of problems: the main sheet first, then by row and column.
fn order(d: &Diagnostic) -> (bool, u32, String) {
    let place = d.place.as_ref();
    let cell = place.and_then(|p| p.cell.clone()).unwrap_or_default();
    let row = cell
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .unwrap_or(0);
    let sheet = place.and_then(|p| p.sheet.as_deref());
    (sheet != Some(super::layout::MAIN_SHEET), row, cell)
}

/// A person of whom any part is filled needs name and e-mail address.
fn person_problems(
    layout: &Layout,
    answers: &Answers,
    empty: &HashMap<String, SheetPlace>,
    file: &Path,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for input in &layout.inputs {
        let Some(person) = input.person.as_ref().filter(|p| p.needed) else {
            continue;
        };
        let Some(place) = empty.get(&input.name) else {
            continue;
        };
        let filled = (layout.inputs.iter())
            .filter(|i| i.person.as_ref().is_some_and(|p| p.group == person.group))
            .any(|i| answers.values.contains_key(&i.name));
        if filled && !input.required {
            problems.push(missing(
                file,
                place.clone(),
                format!("Zu dieser Person fehlt die Angabe „{}“.", person.part.label()),
                "Name und E-Mail-Adresse gehören zu jeder genannten Person; lassen Sie sonst alle Angaben zu ihr leer.".into(),
            ));
        }
    }
    problems
}

/// A phone number typed into Excel as a number has lost any leading 0, and
/// no rule can tell how long it was: said, and imported as it arrived.
fn phone_as_number(file: &Path, value: &Value) -> Diagnostic {
    Diagnostic::warning(
        Code::PhoneAsNumber,
        file,
        Position::START,
        format!(
            "Die Telefonnummer kam als Zahl an („{}“); Excel lässt dabei eine führende 0 weg.",
            value.text
        ),
    )
    .with_place(value.place.clone())
    .with_hint("Prüfen Sie die Nummer und korrigieren Sie sie bei Bedarf in der Datei der Kommune; übernommen wird sie, wie sie ankam. Als Text eingetragen (z. B. „03641 490“) bleibt die 0 erhalten.")
}

/// The AGS starts with the number of the Land given.
fn land_problems(answers: &Answers, file: &Path) -> Option<Diagnostic> {
    let land = crate::model::Land::parse(&answers.values.get("land")?.text)?;
    let ags = answers.values.get("ags")?;
    let parsed = crate::model::Ags::parse(&ags.text).ok()?;
    if parsed.land() == land {
        return None;
    }
    let (message, hint) = rules::AGS_LAND.fill(&[
        ("ags", &ags.text),
        ("found", parsed.land().name()),
        ("given", land.name()),
        ("code", land.code()),
    ]);
    Some(
        Diagnostic::error(Code::AgsLandMismatch, file, Position::START, message)
            .with_place(ags.place.clone())
            .with_hint(hint),
    )
}

/// The filled rows of the PVOG table, each checked: LeiKa, Kommune and
/// link are needed; the LeiKa must be one of the service's keys.
fn pvog_rows(opened: &Opened, layout: &Layout) -> (Vec<[Option<String>; 6]>, Vec<Diagnostic>) {
    let (Some(table), mut problems, mut rows) = (layout.pvog.as_ref(), Vec::new(), Vec::new())
    else {
        return (Vec::new(), Vec::new());
    };
    let Some(target) = opened.names.get(&table.name.to_lowercase()) else {
        return (Vec::new(), vec![not_ours(&opened.file, "Der Datei fehlt die Tabelle der PVOG-Links; sie ist keine vollständige Vorlage dieser Website.")]);
    };
    for row in target.start.0..=target.end.0 {
        let mut cells: [Option<String>; 6] = Default::default();
        // A cell that could not be read (a formula, an error value) is
        // reported once and counts as filled, not as missing.
        let mut unreadable = [false; 6];
        let mut places = Vec::new();
        for (i, (heading, kind)) in PVOG_COLUMNS.iter().enumerate() {
            let at = (row, target.start.1 + i as u32);
            match opened.read(&target.sheet, at, *kind, heading) {
                Read::Problem(d, place) => {
                    problems.push(d);
                    places.push(place);
                    unreadable[i] = true;
                }
                Read::Empty(place) => places.push(place),
                Read::Value(value) => {
                    problems.extend(rule_problem(&opened.file, *kind, &value));
                    if i == 0 {
                        problems.extend(foreign_leika(layout, &value, &opened.file));
                    }
                    places.push(value.place);
                    cells[i] = Some(value.text);
                }
            }
        }
        // The prefilled LeiKa and its name alone are no row yet.
        if cells[2..].iter().all(Option::is_none) && !unreadable[2..].contains(&true) {
            continue;
        }
        for i in [0, 2, 4] {
            if cells[i].is_none() && !unreadable[i] {
                problems.push(missing(
                    &opened.file,
                    places[i].clone(),
                    format!("In dieser Zeile fehlt die Angabe „{}“.", PVOG_COLUMNS[i].0),
                    "Jede Zeile braucht LeiKa-Schlüssel, Kommune und PVOG-Link; leere Zeilen dürfen bleiben.".into(),
                ));
            }
        }
        rows.push(cells);
    }
    (rows, problems)
}

fn foreign_leika(layout: &Layout, value: &Value, file: &Path) -> Option<Diagnostic> {
    let keys = &layout.facts.leikas;
    if keys.is_empty()
        || keys.iter().any(|(k, _)| *k == value.text)
        || check(ValueKind::Leika, &value.text).is_err()
    {
        return None;
    }
    let list: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    let (message, hint) =
        rules::UNKNOWN_LEIKA.fill(&[("key", &value.text), ("keys", &list.join(", "))]);
    Some(
        Diagnostic::error(Code::UnknownLeika, file, Position::START, message)
            .with_place(value.place.clone())
            .with_hint(hint),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_excel_mangled_are_restored() {
        let text = |kind, data: Data| cell_text(kind, &data).unwrap();
        assert_eq!(
            text(ValueKind::Ags, Data::Float(16052000.0)).as_deref(),
            Some("16052000")
        );
        assert_eq!(
            text(ValueKind::Ags, Data::Float(1001000.0)).as_deref(),
            Some("01001000")
        );
        assert_eq!(
            text(ValueKind::Ags, Data::Int(1001)).as_deref(),
            Some("01001")
        );
        assert_eq!(
            text(ValueKind::Ars, Data::Float(10010000000.0)).as_deref(),
            Some("010010000000")
        );
        assert_eq!(
            text(ValueKind::Leika, Data::Float(99072002077000.0)).as_deref(),
            Some("99072002077000")
        );
        assert_eq!(
            text(ValueKind::Phone, Data::Float(42136100.0)).as_deref(),
            Some("42136100")
        );
        assert_eq!(
            text(ValueKind::Date, Data::Float(46358.0)).as_deref(),
            Some("2026-12-02")
        );
        assert_eq!(
            text(ValueKind::Date, Data::String("2.12.2026".into())).as_deref(),
            Some("2026-12-02")
        );
        assert_eq!(
            text(ValueKind::Date, Data::String("2026-12-02".into())).as_deref(),
            Some("2026-12-02")
        );
        assert_eq!(
            text(
                ValueKind::Date,
                Data::DateTimeIso("2026-12-02T00:00:00".into())
            )
            .as_deref(),
            Some("2026-12-02")
        );
        let dt = ExcelDateTime::new(46358.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            text(ValueKind::Date, Data::DateTime(dt)).as_deref(),
            Some("2026-12-02")
        );
        assert_eq!(
            text(ValueKind::Text, Data::String("  a\r\nb ".into())).as_deref(),
            Some("a\nb")
        );
        assert_eq!(text(ValueKind::Text, Data::String("   ".into())), None);
        assert_eq!(text(ValueKind::Text, Data::Empty), None);
        assert!(cell_text(ValueKind::Text, &Data::Error(calamine::CellErrorType::NA)).is_err());
    }

    #[test]
    fn defined_names_are_read_with_or_without_quotes_and_dollars() {
        let t = |f| target(f).map(|t| (t.sheet, t.start, t.end));
        assert_eq!(
            t("'Fragebogen'!$B$6"),
            Some(("Fragebogen".into(), (5, 1), (5, 1)))
        );
        assert_eq!(
            t("Fragebogen!B6"),
            Some(("Fragebogen".into(), (5, 1), (5, 1)))
        );
        assert_eq!(
            t("'PVOG-Links'!$A$5:$F$104"),
            Some(("PVOG-Links".into(), (4, 0), (103, 5)))
        );
        assert_eq!(t("'It''s'!$AA$10"), Some(("It's".into(), (9, 26), (9, 26))));
        assert_eq!(t("#REF!"), None);
    }
}
