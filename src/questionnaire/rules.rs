//! The rules a value of the questionnaire must follow, once for all three
//! places that check it: the generated workbook (as Excel's data
//! validation, an approximation), the form on the site (the [`Rule`]s are
//! emitted into the page as patterns and messages, not typed again in
//! JavaScript) and `import` ([`check`], which applies the same pattern and
//! then the model's own parser, so a value that `import` writes is one the
//! build accepts).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::model::values::LAENDER;
use crate::model::{Ags, Email, FieldType, LeikaKey, Phone, WebUrl};

/// What kind of value one input cell takes: a field's type, a part of a
/// person, or a column of the PVOG table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ValueKind {
    Text,
    Multiline,
    Email,
    Url,
    Phone,
    OeId,
    Ags,
    Land,
    Date,
    Leika,
    Ars,
}

impl ValueKind {
    pub(crate) const ALL: [ValueKind; 11] = [
        ValueKind::Text,
        ValueKind::Multiline,
        ValueKind::Email,
        ValueKind::Url,
        ValueKind::Phone,
        ValueKind::OeId,
        ValueKind::Ags,
        ValueKind::Land,
        ValueKind::Date,
        ValueKind::Leika,
        ValueKind::Ars,
    ];

    /// The kind of a one-value field (`person` and `pvog_links` have parts).
    pub(crate) fn of(kind: FieldType) -> ValueKind {
        match kind {
            FieldType::Multiline => ValueKind::Multiline,
            FieldType::Email => ValueKind::Email,
            FieldType::Url => ValueKind::Url,
            FieldType::Phone => ValueKind::Phone,
            FieldType::OeId => ValueKind::OeId,
            FieldType::Ags => ValueKind::Ags,
            FieldType::Land => ValueKind::Land,
            FieldType::Date => ValueKind::Date,
            FieldType::Text | FieldType::Person | FieldType::PvogLinks => ValueKind::Text,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            ValueKind::Text => "text",
            ValueKind::Multiline => "multiline",
            ValueKind::Email => "email",
            ValueKind::Url => "url",
            ValueKind::Phone => "phone",
            ValueKind::OeId => "oe_id",
            ValueKind::Ags => "ags",
            ValueKind::Land => "land",
            ValueKind::Date => "date",
            ValueKind::Leika => "leika",
            ValueKind::Ars => "ars",
        }
    }

    /// The rule of this kind.
    pub(crate) fn rule(self) -> Rule {
        let rule = |pattern, max_len, message, hint| Rule {
            kind: self,
            pattern,
            max_len,
            message,
            hint,
            warning_only: self == ValueKind::OeId,
        };
        match self {
            ValueKind::Text => rule(None, 300, "Der Text ist zu lang.", "Kürzen Sie ihn auf höchstens 300 Zeichen; Einzelheiten passen unter „Bemerkungen“."),
            ValueKind::Multiline => rule(None, 2000, "Der Text ist zu lang.", "Kürzen Sie ihn auf höchstens 2.000 Zeichen."),
            ValueKind::Email => rule(Some(EMAIL), 254, "Das ist keine gültige E-Mail-Adresse.", crate::model::values::EMAIL_HINT),
            ValueKind::Url => rule(Some(URL), 2000, "Das ist keine vollständige Webadresse.", crate::model::values::URL_HINT),
            ValueKind::Phone => rule(Some(PHONE), 40, "Das ist keine Telefonnummer: erlaubt sind Ziffern, Leerzeichen und + ( ) / -.", crate::model::values::PHONE_HINT),
            ValueKind::OeId => rule(Some(OE_ID), 100, "Die Organisationseinheit-ID hat eine ungewöhnliche Form.", "Üblich ist z. B. „L100012.OE.225060530“; prüfen Sie die ID im Redaktionssystem Ihres Landes."),
            ValueKind::Ags => rule(Some(AGS), 8, "Das ist kein Amtlicher Gemeindeschlüssel.", "Er hat 8 Ziffern (Gemeinde) oder 5 (Kreis) und beginnt mit der Nummer des Landes, z. B. „16052000“."),
            ValueKind::Land => rule(None, 30, "Das ist keines der 16 Länder.", "Wählen Sie das Land aus der Liste, amtlich geschrieben, z. B. „Thüringen“."),
            ValueKind::Date => rule(Some(DATE), 10, "Das ist kein gültiges Datum.", "Schreiben Sie das Datum als TT.MM.JJJJ, z. B. 02.12.2026."),
            ValueKind::Leika => rule(Some(LEIKA), 14, "Das ist kein LeiKa-Schlüssel.", "Er hat genau 14 Ziffern und beginnt mit 99; die Schlüssel des Dienstes nennt Ihnen sein Postfach."),
            ValueKind::Ars => rule(Some(ARS), 12, "Das ist kein Amtlicher Regionalschlüssel (ARS).", "Er hat 12 Ziffern und beginnt mit der Nummer des Landes, z. B. „160520000000“."),
        }
    }
}

/// `name@domain.tld` as [`Email::parse`] takes it.
const EMAIL: &str = r"^[A-Za-z0-9+_\-]+(?:\.[A-Za-z0-9+_\-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}\-]*[\p{L}\-][\p{L}\p{N}\-]*$";
/// `http(s)://host.tld/…` without spaces, as [`WebUrl::parse`] takes it.
const URL: &str =
    r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\s/?#]+\.[^\s/?#]+|localhost(?::[0-9]+)?)(?:[/?#]\S*)?$";
/// Digits, spaces and `+ ( ) / -`, at least one digit.
const PHONE: &str = r"^[ +()/\-]*[0-9][0-9 +()/\-]*$";
/// The usual shape `L100012.OE.225060530`.
const OE_ID: &str = r"^[A-Za-z0-9]+\.OE\.[0-9]+$";
/// 5 or 8 digits starting with a Land's number 01..16.
const AGS: &str = r"^(?:0[1-9]|1[0-6])[0-9]{3}(?:[0-9]{3})?$";
/// 12 digits starting with a Land's number.
const ARS: &str = r"^(?:0[1-9]|1[0-6])[0-9]{10}$";
/// 14 digits starting with 99.
const LEIKA: &str = r"^99[0-9]{12}$";
/// ISO, as `<input type="date">` gives it and `import` normalises to.
const DATE: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// One kind's rule as the form receives it.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Rule {
    pub kind: ValueKind,
    /// A regular expression that JavaScript (flag `u`) and Rust read alike.
    pub pattern: Option<&'static str>,
    pub max_len: usize,
    pub message: &'static str,
    pub hint: &'static str,
    /// A value that breaks the rule is reported, but may still be sent.
    pub warning_only: bool,
}

static COMPILED: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
    (ValueKind::ALL.iter())
        .map(|k| {
            k.rule()
                .pattern
                .map(|p| Regex::new(p).expect("the rules' patterns compile"))
        })
        .collect()
});

fn regex(kind: ValueKind) -> Option<&'static Regex> {
    let index = ValueKind::ALL.iter().position(|k| *k == kind)?;
    COMPILED[index].as_ref()
}

/// Whether `value` (trimmed, not empty) follows the rule of `kind`: the
/// pattern the form uses, then the model's parser where there is one.
pub(crate) fn check(kind: ValueKind, value: &str) -> Result<(), Rule> {
    let rule = kind.rule();
    let fits = value.chars().count() <= rule.max_len
        && regex(kind).is_none_or(|r| r.is_match(value))
        && parses(kind, value);
    if fits {
        Ok(())
    } else {
        Err(rule)
    }
}

fn parses(kind: ValueKind, value: &str) -> bool {
    match kind {
        ValueKind::Email => Email::parse(value).is_ok(),
        ValueKind::Url => WebUrl::parse(value).is_ok(),
        ValueKind::Phone => Phone::parse(value).is_ok(),
        ValueKind::Ags => Ags::parse(value).is_ok(),
        ValueKind::Leika => LeikaKey::parse(value).is_ok(),
        ValueKind::Land => LAENDER.iter().any(|(_, name)| *name == value),
        ValueKind::Date => crate::model::Date::parse(value).is_ok(),
        _ => true,
    }
}

/// Every rule, for the form.
pub(crate) fn all() -> Vec<Rule> {
    ValueKind::ALL.iter().map(|k| k.rule()).collect()
}

/// A message and hint with `{name}` placeholders: the wording of a check
/// across two values, filled by `import` ([`Template::fill`]) and, emitted
/// into the form's page as it is, by the form's script.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Template {
    pub message: &'static str,
    pub hint: &'static str,
}

impl Template {
    /// Message and hint with each `{name}` replaced by its value, in one
    /// pass (a value that itself reads `{…}` stays as it is).
    pub(crate) fn fill(&self, values: &[(&str, &str)]) -> (String, String) {
        (fill(self.message, values), fill(self.hint, values))
    }
}

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = (after.find('}'))
            .and_then(|close| values.iter().find(|(name, _)| *name == &after[..close]));
        match value {
            Some((name, value)) => {
                out.push_str(value);
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The AGS starts with the number of another Land than the one given.
/// Placeholders: `ags`, `found` (the AGS's Land), `given`, `code` (the
/// given Land's number).
pub(crate) const AGS_LAND: Template = Template {
    message: "Der Gemeindeschlüssel „{ags}“ gehört zu {found}, nicht zu {given}.",
    hint: "Die ersten beiden Ziffern sind die Nummer des Landes ({code} für {given}); prüfen Sie Land und Gemeindeschlüssel.",
};

/// A well-formed LeiKa key that is none of the service's keys.
/// Placeholders: `key`, `keys` (the service's keys, comma-separated).
pub(crate) const UNKNOWN_LEIKA: Template = Template {
    message: "Der LeiKa-Schlüssel „{key}“ gehört nicht zu diesem Dienst.",
    hint: "Die Schlüssel des Dienstes: {keys}.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_in_one_pass() {
        let (message, hint) = AGS_LAND.fill(&[
            ("ags", "09{given}"),
            ("found", "Bayern"),
            ("given", "Thüringen"),
            ("code", "16"),
        ]);
        assert_eq!(
            message,
            "Der Gemeindeschlüssel „09{given}“ gehört zu Bayern, nicht zu Thüringen."
        );
        assert_eq!(hint, "Die ersten beiden Ziffern sind die Nummer des Landes (16 für Thüringen); prüfen Sie Land und Gemeindeschlüssel.");
        assert_eq!(fill("{a} {unbekannt} {", &[("a", "x")]), "x {unbekannt} {");
    }

    /// The pattern the form applies and the parser the build applies agree.
    #[test]
    fn patterns_agree_with_the_models_parsers() {
        let samples: &[(ValueKind, &[&str])] = &[
            (
                ValueKind::Email,
                &[
                    "a@b.de",
                    "info@jugendamt.gera.de",
                    "a.b+c@x-y.de",
                    "a@b",
                    "a@@b.de",
                    "a b@c.de",
                    "mailto:a@b.de",
                    "a@b.de?subject=x",
                    ".a@b.de",
                    "a..b@c.de",
                    "a@-b.de",
                    "a@b.123",
                    "a@müller.de",
                    "a@b.de ",
                ],
            ),
            (
                ValueKind::Url,
                &[
                    "https://www.gera.de/datenschutz",
                    "http://x.de",
                    "HTTPS://X.DE/a?b#c",
                    "javascript:alert(1)",
                    "https://localhost",
                    "//x.de",
                    "https://x.de/a b",
                    "https://x",
                    "ftp://x.de",
                    "https://user@x.de",
                ],
            ),
            (
                ValueKind::Phone,
                &[
                    "+49 421 361-0",
                    "0421 / 361 0",
                    "(0365) 838-0",
                    "abc",
                    "+",
                    "",
                    "0421 361 0 Durchwahl",
                ],
            ),
            (
                ValueKind::Ags,
                &[
                    "16052000",
                    "04011",
                    "17052000",
                    "00052000",
                    "1605200",
                    "160520000",
                    "16052OOO",
                    " 16052000",
                ],
            ),
            (
                ValueKind::Leika,
                &[
                    "99072002077000",
                    "9907200207700",
                    "98072002077000",
                    "990720020770001",
                ],
            ),
            // Days that the calendar lacks pass the pattern; the form's date
            // input offers none of them, and `check` runs the parser too.
            (ValueKind::Date, &["2026-12-02", "02.12.2026", "2026-1-1"]),
        ];
        for (kind, values) in samples {
            for value in *values {
                let pattern = regex(*kind).unwrap().is_match(value);
                assert_eq!(pattern, parses(*kind, value), "{kind:?} {value:?}");
            }
        }
    }

    #[test]
    fn check_reports_the_kinds_rule() {
        assert!(check(ValueKind::Email, "stelle@gera.de").is_ok());
        let rule = check(ValueKind::Email, "stelle@gera").unwrap_err();
        assert_eq!(rule.message, "Das ist keine gültige E-Mail-Adresse.");
        assert!(check(ValueKind::Land, "Thüringen").is_ok());
        assert!(check(ValueKind::Land, "Thueringen").is_err());
        assert!(check(ValueKind::Text, &"x".repeat(301)).is_err());
        assert!(check(ValueKind::OeId, "L100012.OE.225060530").is_ok());
        assert!(
            check(ValueKind::OeId, "irgendwas")
                .unwrap_err()
                .warning_only
        );
    }

    #[test]
    fn every_pattern_compiles_and_every_kind_has_a_rule() {
        assert_eq!(all().len(), ValueKind::ALL.len());
        for kind in ValueKind::ALL {
            assert_eq!(kind.rule().kind, kind);
            if let Some(p) = kind.rule().pattern {
                assert!(p.starts_with('^') && p.ends_with('$'), "{p}");
            }
        }
    }
}
