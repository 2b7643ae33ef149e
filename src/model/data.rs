//! YAML data files → catalogue entries and municipalities: `daten/leikas.yaml`,
//! `daten/kontakte.yaml` and `kommunen/<id>.yaml`, each value checked.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::pages::invalid;
use super::values::{
    is_slug, Ags, Date, Email, Land, LeikaKey, Phone, Status, WebUrl, EMAIL_HINT, LAENDER,
    PHONE_HINT, URL_HINT,
};
use super::{Contact, Leika, Municipality, StatusChange, Usage};
use crate::content::unique::{AnyYaml, Name, UniqueMap};
use crate::content::yaml::{Seg, YamlSource};
use crate::content::SourceFile;
use crate::diagnostics::{
    did_you_mean, did_you_mean_as, suggestion_then, Code, Diagnostic, Diagnostics, Position,
};
use crate::routes;

/// One entry of `daten/leikas.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "LeiKa-Eintrag")]
pub(super) struct RawLeika {
    #[schemars(
        regex(pattern = r"^99\d{12}$"),
        description = "LeiKa-Schlüssel: 14 Ziffern, beginnt mit 99, in Anführungszeichen"
    )]
    key: String,
    #[schemars(description = "Name der Leistung")]
    name: Name,
    #[serde(default = "yes")]
    #[schemars(
        description = "false: Schlüssel ist noch nicht bestätigt (z. B. das Beispiel aus der Anleitung)"
    )]
    confirmed: bool,
}

fn yes() -> bool {
    true
}

/// The JSON Schema pattern of an e-mail address (what [`Email::parse`] takes, roughly).
pub(super) const EMAIL_PATTERN: &str = r"^[A-Za-z0-9._+-]+@[^@\s?&%:/]+\.[^@\s?&%:/]+$";
/// The JSON Schema pattern of a web address (what [`WebUrl::parse`] takes, roughly).
pub(super) const URL_PATTERN: &str = r"^[hH][tT][tT][pP][sS]?://[^/\s?#]+\S*$";

/// One entry of `daten/kontakte.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Kontakt")]
pub(super) struct RawContact {
    #[schemars(
        regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"),
        description = "Kennung, auf die Dienste und contact(id=…) verweisen"
    )]
    id: String,
    #[schemars(description = "Name des Postfachs oder Teams")]
    name: Name,
    #[schemars(
        regex(pattern = EMAIL_PATTERN),
        description = "E-Mail-Adresse, nur die Adresse (ohne mailto: und ?subject=…)"
    )]
    email: String,
    #[schemars(
        regex(pattern = r"^[0-9 +()/-]*[0-9][0-9 +()/-]*$"),
        description = "Telefonnummer (optional): Ziffern, Leerzeichen und + ( ) / -"
    )]
    phone: Option<String>,
    #[schemars(
        regex(pattern = URL_PATTERN),
        description = "Webadresse (optional), beginnt mit https:// oder http://"
    )]
    url: Option<String>,
}

/// A file `kommunen/<id>.yaml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Kommune")]
pub(super) struct RawMunicipality {
    #[schemars(description = "Name der Kommune oder des Kreises")]
    name: Name,
    #[schemars(extend("enum" = ["Schleswig-Holstein", "Hamburg", "Niedersachsen", "Bremen", "Nordrhein-Westfalen", "Hessen", "Rheinland-Pfalz", "Baden-Württemberg", "Bayern", "Saarland", "Berlin", "Brandenburg", "Mecklenburg-Vorpommern", "Sachsen", "Sachsen-Anhalt", "Thüringen"]), description = "Land, amtlich geschrieben")]
    state: String,
    #[schemars(
        regex(pattern = r"^(0[1-9]|1[0-6])(\d{3}|\d{6})$"),
        description = "Amtlicher Gemeindeschlüssel: 8 Ziffern (Gemeinde) oder 5 (Kreis), beginnt mit der Landesnummer"
    )]
    ags: Option<String>,
    #[schemars(description = "Organisationseinheit-ID im PVOG, z. B. L100012.OE.225060530")]
    oe_id: Option<String>,
    #[serde(default)]
    #[schemars(description = "true: Beispieldaten (so auf der Statusseite gekennzeichnet)")]
    example: bool,
    #[serde(default)]
    #[schemars(
        description = "Stand je Dienst; Schlüssel = Dateiname des Dienstes in content/dienste/"
    )]
    services: UniqueMap<RawUsage>,
    /// Never published and never read beyond its syntax.
    #[serde(default, rename = "internal")]
    #[schemars(
        with = "Option<serde_json::Value>",
        description = "Interne Angaben (Kontaktpersonen, Notizen): werden nie veröffentlicht"
    )]
    _internal: Option<AnyYaml>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawUsage {
    #[schemars(extend("enum" = ["preparation", "information", "questionnaire", "commissioning", "live", "paused"]), description = "Aktueller Status")]
    status: String,
    #[schemars(
        required,
        regex(pattern = r"^\d{4}-\d{2}-\d{2}$"),
        description = "Seit wann der Status gilt: JJJJ-MM-TT"
    )]
    since: Option<String>,
    #[serde(default)]
    #[schemars(description = "Frühere Status, ältester zuerst")]
    history: Vec<RawChange>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawChange {
    #[schemars(extend("enum" = ["preparation", "information", "questionnaire", "commissioning", "live", "paused"]))]
    status: String,
    #[schemars(
        required,
        regex(pattern = r"^\d{4}-\d{2}-\d{2}$"),
        description = "Seit wann der Status gilt: JJJJ-MM-TT"
    )]
    since: Option<String>,
}

/// `daten/leikas.yaml` → catalogue by key.
pub(super) fn leikas(file: Option<&SourceFile>, d: &mut Diagnostics) -> BTreeMap<LeikaKey, Leika> {
    let mut out = BTreeMap::new();
    let Some(file) = file else { return out };
    let yaml = YamlSource::new(&file.path, &file.text, 0);
    let Ok(raw) = yaml.parse_list::<RawLeika>().map_err(|e| d.push(e)) else {
        return out;
    };
    for (i, entry) in raw.into_iter().enumerate() {
        let at = [Seg::Index(i), Seg::Key("key")];
        match LeikaKey::parse(&entry.key) {
            Err(m) => d.push(invalid(Code::InvalidLeika, &yaml, &at, m)),
            Ok(key) if out.contains_key(&key) => d.push(
                invalid(
                    Code::DuplicateLeika,
                    &yaml,
                    &at,
                    format!(
                        "Der LeiKa-Schlüssel {} steht doppelt in der Liste.",
                        entry.key
                    ),
                )
                .with_hint("Löschen Sie einen der beiden Einträge."),
            ),
            Ok(key) => {
                let leika = Leika {
                    key: key.clone(),
                    name: entry.name.into_string(),
                    confirmed: entry.confirmed,
                };
                out.insert(key, leika);
            }
        }
    }
    out
}

/// `daten/kontakte.yaml` → contacts by id, and the ids of entries with errors
/// (known, so that references to them do not add errors of their own).
pub(super) fn contacts(
    file: Option<&SourceFile>,
    d: &mut Diagnostics,
) -> (BTreeMap<String, Contact>, Vec<String>) {
    let mut out = BTreeMap::new();
    let mut broken = Vec::new();
    let Some(file) = file else {
        return (out, broken);
    };
    let yaml = YamlSource::new(&file.path, &file.text, 0);
    let Ok(raw) = yaml.parse_list::<RawContact>().map_err(|e| d.push(e)) else {
        return (out, broken);
    };
    for (i, entry) in raw.into_iter().enumerate() {
        if !is_slug(&entry.id) {
            let m = format!(
                "Die Kennung „{}“ ist ungültig: nur Kleinbuchstaben, Ziffern und Bindestriche.",
                entry.id
            );
            d.push(invalid(
                Code::InvalidId,
                &yaml,
                &[Seg::Index(i), Seg::Key("id")],
                m,
            ));
            continue;
        }
        if out.contains_key(&entry.id) {
            let m = format!("Die Kennung „{}“ steht doppelt in der Liste.", entry.id);
            d.push(invalid(
                Code::DuplicateId,
                &yaml,
                &[Seg::Index(i), Seg::Key("id")],
                m,
            ));
            continue;
        }
        let Some((email, phone, url)) = contact_values(&yaml, i, &entry, d) else {
            broken.push(entry.id);
            continue;
        };
        let contact = Contact {
            id: entry.id.clone(),
            name: entry.name.into_string(),
            email,
            phone,
            url,
        };
        out.insert(entry.id, contact);
    }
    (out, broken)
}

/// A contact's e-mail address, phone number and web address, each checked
/// (every problem reported); `None` if any is wrong.
fn contact_values(
    yaml: &YamlSource,
    i: usize,
    entry: &RawContact,
    d: &mut Diagnostics,
) -> Option<(Email, Option<Phone>, Option<WebUrl>)> {
    let at = |key| [Seg::Index(i), Seg::Key(key)];
    let email = checked(yaml, &at("email"), Some(&entry.email), &EMAIL, d);
    let phone = checked(yaml, &at("phone"), entry.phone.as_deref(), &PHONE, d);
    let url = checked(yaml, &at("url"), entry.url.as_deref(), &URL, d);
    Some((email??, phone?, url?))
}

/// How one value of contact data is read: its parser, and the code and hint
/// of the error when it does not parse.
pub(super) struct ValueCheck<T> {
    parse: fn(&str) -> Result<T, String>,
    code: Code,
    hint: &'static str,
}

impl<T> ValueCheck<T> {
    /// The error for a wrong value at `at`, with the value's hint.
    pub(super) fn error(&self, yaml: &YamlSource, at: &[Seg], message: String) -> Diagnostic {
        invalid(self.code, yaml, at, message).with_hint(self.hint)
    }
}

pub(super) const EMAIL: ValueCheck<Email> = ValueCheck {
    parse: Email::parse,
    code: Code::InvalidEmail,
    hint: EMAIL_HINT,
};
const PHONE: ValueCheck<Phone> = ValueCheck {
    parse: Phone::parse,
    code: Code::InvalidPhone,
    hint: PHONE_HINT,
};
pub(super) const URL: ValueCheck<WebUrl> = ValueCheck {
    parse: WebUrl::parse,
    code: Code::InvalidUrl,
    hint: URL_HINT,
};

/// An optional value at `at`, parsed: `Some(None)` when there is none,
/// `None` when it is wrong (then reported).
pub(super) fn checked<T>(
    yaml: &YamlSource,
    at: &[Seg],
    text: Option<&str>,
    check: &ValueCheck<T>,
    d: &mut Diagnostics,
) -> Option<Option<T>> {
    let Some(text) = text else {
        return Some(None);
    };
    match (check.parse)(text) {
        Ok(value) => Some(Some(value)),
        Err(m) => {
            d.push(check.error(yaml, at, m));
            None
        }
    }
}

/// `kommunen/<id>.yaml` → a municipality; `services` are the known service ids in site order.
pub(super) fn municipality(
    file: &SourceFile,
    services: &[&str],
    today: Option<Date>,
    d: &mut Diagnostics,
) -> Option<Municipality> {
    let id = routes::municipality_id(&file.rel).unwrap_or(&file.rel);
    if !is_slug(id) {
        d.push(
            Diagnostic::error(
                Code::FileName,
                &file.path,
                Position::START,
                format!("„{id}“ ergibt keine saubere Adresse."),
            )
            .with_hint(format!(
                "Benennen Sie die Datei um in „{}.yaml“.",
                crate::slug::slugify(id)
            )),
        );
    }
    let yaml = YamlSource::new(&file.path, &file.text, 0);
    let raw: RawMunicipality = yaml.parse().map_err(|e| d.push(e)).ok()?;
    let land = land(&yaml, &[Seg::Key("state")], &raw.state, d);
    let ags = raw
        .ags
        .as_deref()
        .and_then(|text| ags(&yaml, text, land, d));
    check_oe_id(&yaml, raw.oe_id.as_deref(), d);
    let mut usages = Vec::new();
    for (service, usage) in raw.services.iter() {
        if let Some(u) = self::usage(&yaml, service, usage, services, today, d) {
            usages.push(u);
        }
    }
    usages.sort_by_key(|u| services.iter().position(|s| *s == u.service));
    Some(Municipality {
        id: id.to_string(),
        source: file.rel.clone(),
        name: raw.name.into_string(),
        land: land?,
        ags,
        oe_id: raw.oe_id,
        example: raw.example,
        usages,
    })
}

/// The hint for a value that is none of `choices` (each its code as written
/// in the file and its German label): the closest code, a German label
/// counting as its code ("ja" asks for `yes`, not for `no`, as close by
/// letters), then every choice as `code (label)`.
pub(super) fn choice_hint(given: &str, choices: &[(&str, &str)]) -> String {
    let words = choices.iter().flat_map(|(code, label)| [*code, *label]);
    let code_of = |word: &str| {
        let found = choices.iter().find(|(_, label)| *label == word);
        found.map_or(word, |(code, _)| *code).to_string()
    };
    let allowed: Vec<String> = choices.iter().map(|(c, l)| format!("{c} ({l})")).collect();
    let possible = if allowed.len() == 1 {
        "Möglich ist"
    } else {
        "Möglich sind"
    };
    suggestion_then(
        did_you_mean_as(given, words, code_of),
        format!("{possible}: {}.", allowed.join(", ")),
    )
}

/// The Land named at `at`; an unknown name is reported with the closest one.
pub(super) fn land(yaml: &YamlSource, at: &[Seg], name: &str, d: &mut Diagnostics) -> Option<Land> {
    let found = Land::parse(name);
    if found.is_none() {
        let names = LAENDER.iter().map(|(_, n)| *n);
        let hint = did_you_mean(name, names.clone())
            .unwrap_or_else(|| format!("Möglich sind: {}.", names.collect::<Vec<_>>().join(", ")));
        let m = format!(
            "„{name}“ ist kein Land: schreiben Sie den amtlichen Namen eines der 16 Länder."
        );
        d.push(invalid(Code::UnknownState, yaml, at, m).with_hint(hint));
    }
    found
}

fn ags(yaml: &YamlSource, text: &str, land: Option<Land>, d: &mut Diagnostics) -> Option<Ags> {
    let at = [Seg::Key("ags")];
    let ags = Ags::parse(text)
        .map_err(|m| d.push(invalid(Code::InvalidAgs, yaml, &at, m)))
        .ok()?;
    if let Some(land) = land.filter(|l| *l != ags.land()) {
        let m = format!(
            "Der Gemeindeschlüssel {text} gehört zu {} (Landesnummer {}), nicht zu {}.",
            ags.land().name(),
            ags.land().code(),
            land.name()
        );
        let hint = format!(
            "Prüfen Sie „state“ oder den Schlüssel: Schlüssel in {} beginnen mit {}.",
            land.name(),
            land.code()
        );
        d.push(invalid(Code::AgsLandMismatch, yaml, &at, m).with_hint(hint));
        return None;
    }
    Some(ags)
}

/// OE-IDs look like `L100012.OE.225060530`; other shapes are only a warning.
fn check_oe_id(yaml: &YamlSource, oe_id: Option<&str>, d: &mut Diagnostics) {
    let Some(oe_id) = oe_id else { return };
    let parts: Vec<&str> = oe_id.split('.').collect();
    let usual = parts.len() == 3
        && parts[1] == "OE"
        && !parts[0].is_empty()
        && parts[0].chars().all(|c| c.is_ascii_alphanumeric())
        && !parts[2].is_empty()
        && parts[2].chars().all(|c| c.is_ascii_digit());
    if !usual {
        d.push(
            Diagnostic::warning(
                Code::UnusualOeId,
                yaml.file,
                yaml.position(&[Seg::Key("oe_id")]),
                format!("Die Organisationseinheit-ID „{oe_id}“ hat eine ungewöhnliche Form."),
            )
            .with_hint("Üblich ist z. B. \"L100012.OE.225060530\"; prüfen Sie die ID im Redaktionssystem Ihres Landes."),
        );
    }
}

fn usage(
    yaml: &YamlSource,
    service: &str,
    raw: &RawUsage,
    services: &[&str],
    today: Option<Date>,
    d: &mut Diagnostics,
) -> Option<Usage> {
    let base = [Seg::Key("services"), Seg::Key(service)];
    if !services.contains(&service) {
        let hint = match did_you_mean(service, services.iter().copied()) {
            Some(question) => format!("{question} Bekannte Dienste: {}.", services.join(", ")),
            None if services.is_empty() => {
                "Es gibt noch keinen Dienst: legen Sie ihn als Datei in content/dienste/ an.".into()
            }
            None => format!(
                "Bekannte Dienste (Dateien in content/dienste/): {}.",
                services.join(", ")
            ),
        };
        let m = format!("Den Dienst „{service}“ gibt es nicht.");
        d.push(
            Diagnostic::error(Code::UnknownService, yaml.file, yaml.position(&base), m)
                .with_hint(hint),
        );
        return None;
    }
    let current = change(
        yaml,
        &base,
        None,
        &raw.status,
        raw.since.as_deref(),
        today,
        d,
    );
    let history: Vec<Option<StatusChange>> = raw
        .history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            change(
                yaml,
                &base,
                Some(i),
                &h.status,
                h.since.as_deref(),
                today,
                d,
            )
        })
        .collect();
    let usage = Usage {
        service: service.to_string(),
        current: current?,
        history: history.into_iter().collect::<Option<Vec<_>>>()?,
    };
    check_order(yaml, &base, &usage, d);
    Some(usage)
}

/// The history, then the current status, must not go back in time.
fn check_order(yaml: &YamlSource, base: &[Seg], usage: &Usage, d: &mut Diagnostics) {
    let steps: Vec<&StatusChange> = usage.history.iter().chain([&usage.current]).collect();
    for (i, pair) in steps.windows(2).enumerate() {
        if pair[1].since >= pair[0].since {
            continue;
        }
        let mut at = base.to_vec();
        if i + 1 < usage.history.len() {
            at.extend([Seg::Key("history"), Seg::Index(i + 1)]);
        }
        at.push(Seg::Key("since"));
        let m = format!(
            "Der Verlauf geht rückwärts: „{}“ seit {} liegt vor dem Eintrag davor („{}“ seit {}).",
            pair[1].status.code(),
            pair[1].since,
            pair[0].status.code(),
            pair[0].since
        );
        d.push(Diagnostic::error(Code::HistoryOrder, yaml.file, yaml.position(&at), m).with_hint(
            "Ordnen Sie „history“ vom ältesten zum neuesten Eintrag; der aktuelle Status hat das jüngste Datum.",
        ));
    }
}

fn change(
    yaml: &YamlSource,
    base: &[Seg],
    index: Option<usize>,
    status: &str,
    since: Option<&str>,
    today: Option<Date>,
    d: &mut Diagnostics,
) -> Option<StatusChange> {
    let mut path = base.to_vec();
    if let Some(i) = index {
        path.extend([Seg::Key("history"), Seg::Index(i)]);
    }
    let at = |key| [path.as_slice(), &[Seg::Key(key)]].concat();
    let status = Status::parse(status).or_else(|| {
        let codes: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
        let hint = suggestion_then(
            did_you_mean(status, codes),
            format!("Möglich sind: {}.", Status::codes()),
        );
        let m = format!("Unbekannter Status „{status}“.");
        d.push(
            Diagnostic::error(
                Code::UnknownStatus,
                yaml.file,
                yaml.position(&at("status")),
                m,
            )
            .with_hint(hint),
        );
        None
    });
    let Some(since) = since else {
        let m = format!(
            "Zum Status „{}“ fehlt das Datum „since“.",
            status.map_or("?", |s| s.code())
        );
        d.push(
            Diagnostic::error(
                Code::StatusWithoutDate,
                yaml.file,
                yaml.position(&at("status")),
                m,
            )
            .with_hint("Ergänzen Sie „since: JJJJ-MM-TT“: seit wann der Status gilt."),
        );
        return None;
    };
    let since = Date::parse(since)
        .map_err(|m| d.push(invalid(Code::InvalidDate, yaml, &at("since"), m)))
        .ok();
    if let (Some(date), Some(today)) = (since, today) {
        if date > today {
            let m = format!(
                "Das Datum {date} liegt in der Zukunft (heute ist der {}).",
                today.german()
            );
            d.push(
                Diagnostic::error(Code::FutureDate, yaml.file, yaml.position(&at("since")), m)
                    .with_hint("Tragen Sie ein, seit wann der Status tatsächlich gilt; geplante Termine gehören nicht in die Übersicht."),
            );
        }
    }
    Some(StatusChange {
        status: status?,
        since: since?,
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile::new(format!("content/{rel}"), rel, text)
    }

    /// Each diagnostic as `[code] path:line:col: message` plus its hint.
    /// Diagnostics as the tests compare them: code, place, message and hint.
    pub(in crate::model) fn shown(d: &Diagnostics) -> Vec<String> {
        d.iter()
            .map(|d| {
                let at = d.position;
                let file = d.file.display();
                let hint = d.hint.as_ref().map(|h| format!("\n  Hinweis: {h}"));
                let hint = hint.unwrap_or_default();
                let warning = match d.severity {
                    crate::diagnostics::Severity::Warning => "Warnung: ",
                    crate::diagnostics::Severity::Error => "",
                };
                let (line, column) = (at.line, at.column);
                format!(
                    "[{}] {file}:{line}:{column}: {warning}{}{hint}",
                    d.code, d.message
                )
            })
            .collect()
    }

    fn leikas_of(text: &str) -> (Vec<(String, String, bool)>, Vec<String>) {
        let mut d = Diagnostics::new();
        let found = leikas(Some(&file("daten/leikas.yaml", text)), &mut d);
        let found = found
            .values()
            .map(|l| (l.key.as_str().to_string(), l.name.clone(), l.confirmed))
            .collect();
        (found, shown(&d))
    }

    #[test]
    fn leikas_are_read_by_key() {
        let (found, d) = leikas_of(
            "- key: \"99000000002000\"\n  name: Beta\n  confirmed: false\n- key: \"99000000001000\"\n  name: Alpha\n",
        );
        assert_eq!(
            found,
            [
                ("99000000001000".into(), "Alpha".into(), true),
                ("99000000002000".into(), "Beta".into(), false),
            ]
        );
        assert_eq!(d, Vec::<String>::new());
        let mut d = Diagnostics::new();
        assert!(leikas(None, &mut d).is_empty());
        assert!(d.is_empty());
    }

    #[test]
    fn a_wrong_leika_key_is_reported_and_left_out() {
        let (found, d) = leikas_of(
            "- key: \"9900000000100\"\n  name: Kurz\n- key: \"88000000001000\"\n  name: Falsch\n- key: \"99000000001000\"\n  name: Gut\n",
        );
        assert_eq!(found, [("99000000001000".into(), "Gut".into(), true)]);
        assert_eq!(d, ["[invalid-leika] content/daten/leikas.yaml:1:8: „9900000000100“ ist kein LeiKa-Schlüssel: er hat genau 14 Ziffern und beginnt mit 99 (z. B. \"99072002077000\").", "[invalid-leika] content/daten/leikas.yaml:3:8: „88000000001000“ ist kein LeiKa-Schlüssel: er hat genau 14 Ziffern und beginnt mit 99 (z. B. \"99072002077000\")."]);
    }

    #[test]
    fn a_leika_key_listed_twice_is_reported_once() {
        let (found, d) = leikas_of(
            "- key: \"99000000001000\"\n  name: Erst\n- key: \"99000000001000\"\n  name: Zweit\n",
        );
        assert_eq!(found, [("99000000001000".into(), "Erst".into(), true)]);
        assert_eq!(d, ["[duplicate-leika] content/daten/leikas.yaml:3:8: Der LeiKa-Schlüssel 99000000001000 steht doppelt in der Liste.\n  Hinweis: Löschen Sie einen der beiden Einträge."]);
    }

    #[test]
    fn a_leika_entry_with_an_unknown_key_or_no_list_is_a_yaml_error() {
        assert_eq!(
            leikas_of("- key: \"99000000001000\"\n  name: A\n  nam: B\n").1,
            ["[unknown-key] content/daten/leikas.yaml:3:3: Unbekannter Schlüssel „nam“ (in „Eintrag 1“).\n  Hinweis: Meinten Sie „name“? Erlaubt sind hier: key, name, confirmed."]
        );
        assert_eq!(leikas_of("key: 1\n").1, ["[wrong-type] content/daten/leikas.yaml:1:1: Hier wird eine Liste erwartet, gefunden wurde eine Zuordnung.\n  Hinweis: Schreiben Sie eine Liste, z. B. [\"a\", \"b\"] oder untereinander mit „- “."]);
    }

    fn contacts_of(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let mut d = Diagnostics::new();
        let (found, broken) = contacts(Some(&file("daten/kontakte.yaml", text)), &mut d);
        let found = found
            .values()
            .map(|c| {
                let phone = c.phone.as_ref().map_or("-", |p| p.as_str());
                let url = c.url.as_ref().map_or("-", |u| u.as_str());
                format!("{} {} {} {phone} {url}", c.id, c.name, c.email.as_str())
            })
            .collect();
        (found, broken, shown(&d))
    }

    #[test]
    fn contacts_are_read_with_every_value() {
        let (found, broken, d) = contacts_of(
            "- id: team\n  name: Team Test\n  email: team@test.example.de\n  phone: +49 421 361-0\n  url: https://test.example.de/\n- id: zwei\n  name: Zwei\n  email: zwei@test.example.de\n",
        );
        assert_eq!(
            found,
            [
                "team Team Test team@test.example.de +49 421 361-0 https://test.example.de/",
                "zwei Zwei zwei@test.example.de - -",
            ]
        );
        assert_eq!((broken, d), (vec![], vec![]));
    }

    #[test]
    fn a_contact_with_bad_values_reports_each_and_counts_as_known() {
        let (found, broken, d) = contacts_of(
            "- id: team\n  name: Team\n  email: team(at)test.de\n  phone: \"0421 / 361 Zentrale\"\n  url: www.test.de\n",
        );
        assert_eq!(found, Vec::<String>::new());
        assert_eq!(broken, ["team"]);
        assert_eq!(d, ["[invalid-email] content/daten/kontakte.yaml:3:10: „team(at)test.de“ ist keine gültige E-Mail-Adresse (Form: name@beispiel.de).\n  Hinweis: Schreiben Sie nur die Adresse, z. B. info@beispiel.bremen.de, ohne „mailto:“, Leerzeichen oder Zusätze wie „?subject=…“.", "[invalid-phone] content/daten/kontakte.yaml:4:10: „0421 / 361 Zentrale“ ist keine Telefonnummer: erlaubt sind Ziffern, Leerzeichen und + ( ) / -.\n  Hinweis: Schreiben Sie z. B. \"+49 421 361-0\" oder \"0421 / 361 0\".", "[invalid-url] content/daten/kontakte.yaml:5:8: „www.test.de“ ist keine Webadresse: erlaubt sind nur Adressen, die mit https:// oder http:// beginnen.\n  Hinweis: Schreiben Sie die Adresse vollständig, z. B. https://www.beispiel.bremen.de/kontakt."]);
    }

    #[test]
    fn a_contact_id_that_is_no_slug_or_taken_is_reported() {
        let (found, broken, d) = contacts_of(
            "- id: Team Nord\n  name: A\n  email: a@test.de\n- id: nord\n  name: B\n  email: b@test.de\n- id: nord\n  name: C\n  email: c@test.de\n",
        );
        assert_eq!(found, ["nord B b@test.de - -"]);
        assert_eq!(broken, Vec::<String>::new());
        assert_eq!(d, ["[invalid-id] content/daten/kontakte.yaml:1:7: Die Kennung „Team Nord“ ist ungültig: nur Kleinbuchstaben, Ziffern und Bindestriche.", "[duplicate-id] content/daten/kontakte.yaml:7:7: Die Kennung „nord“ steht doppelt in der Liste."]);
    }

    const SERVICES: &[&str] = &["alpha", "beta"];

    fn today() -> Option<Date> {
        Some(Date::parse("2026-06-01").unwrap())
    }

    fn municipality_of(rel: &str, text: &str) -> (Option<Municipality>, Vec<String>) {
        let mut d = Diagnostics::new();
        let found = municipality(&file(rel, text), SERVICES, today(), &mut d);
        (found, shown(&d))
    }

    /// A municipality's values in one line each: who, and every usage with its history.
    fn summary(m: &Municipality) -> Vec<String> {
        let mut out = vec![format!(
            "{} {} {} {} {:?} {}",
            m.id,
            m.name,
            m.land.name(),
            m.ags.as_ref().map_or("-", |a| a.as_str()),
            m.oe_id,
            m.example
        )];
        for u in &m.usages {
            let steps: Vec<String> = u
                .history
                .iter()
                .chain([&u.current])
                .map(|c| format!("{} {}", c.status.code(), c.since))
                .collect();
            out.push(format!("{}: {}", u.service, steps.join(", ")));
        }
        out
    }

    #[test]
    fn a_municipality_is_read_with_its_usages_in_site_order() {
        let (found, d) = municipality_of(
            "kommunen/musterstadt.yaml",
            "name: Musterstadt\nstate: Thüringen\nags: \"16052000\"\noe_id: L100012.OE.225060530\nexample: true\nservices:\n  beta:\n    status: preparation\n    since: 2026-05-01\n  alpha:\n    status: live\n    since: 2026-05-04\n    history:\n      - {status: preparation, since: 2025-11-02}\ninternal:\n  notes: GEHEIM\n",
        );
        assert_eq!(d, Vec::<String>::new());
        assert_eq!(
            summary(&found.unwrap()),
            [
                "musterstadt Musterstadt Thüringen 16052000 Some(\"L100012.OE.225060530\") true",
                "alpha: preparation 2025-11-02, live 2026-05-04",
                "beta: preparation 2026-05-01"
            ]
        );
    }

    #[test]
    fn a_file_name_that_is_no_slug_is_reported_with_the_name_to_use() {
        let (found, d) = municipality_of("kommunen/Groß Stadt.yml", "name: G\nstate: Bremen\n");
        assert_eq!(
            summary(&found.unwrap())[0],
            "Groß Stadt G Bremen - None false"
        );
        assert_eq!(d, ["[file-name] content/kommunen/Groß Stadt.yml:1:1: „Groß Stadt“ ergibt keine saubere Adresse.\n  Hinweis: Benennen Sie die Datei um in „gross-stadt.yaml“."]);
    }

    #[test]
    fn a_misspelt_or_unknown_land_is_reported() {
        let (found, d) = municipality_of("kommunen/a.yaml", "name: A\nstate: Thüringn\n");
        assert!(found.is_none());
        assert_eq!(d, ["[unknown-state] content/kommunen/a.yaml:2:8: „Thüringn“ ist kein Land: schreiben Sie den amtlichen Namen eines der 16 Länder.\n  Hinweis: Meinten Sie „Thüringen“?"]);
        assert_eq!(
            municipality_of("kommunen/a.yaml", "name: A\nstate: Xyzzy Qwrt\n").1,
            ["[unknown-state] content/kommunen/a.yaml:2:8: „Xyzzy Qwrt“ ist kein Land: schreiben Sie den amtlichen Namen eines der 16 Länder.\n  Hinweis: Möglich sind: Schleswig-Holstein, Hamburg, Niedersachsen, Bremen, Nordrhein-Westfalen, Hessen, Rheinland-Pfalz, Baden-Württemberg, Bayern, Saarland, Berlin, Brandenburg, Mecklenburg-Vorpommern, Sachsen, Sachsen-Anhalt, Thüringen."]
        );
    }

    #[test]
    fn a_wrong_or_foreign_ags_is_reported() {
        let (found, d) =
            municipality_of("kommunen/a.yaml", "name: A\nstate: Bremen\nags: \"0401\"\n");
        assert_eq!(found.unwrap().ags, None);
        assert_eq!(d, ["[invalid-ags] content/kommunen/a.yaml:3:6: „0401“ ist kein Amtlicher Gemeindeschlüssel: er hat 8 Ziffern (Gemeinde) oder 5 (Kreis), z. B. \"16052000\"."]);
        let (found, d) = municipality_of(
            "kommunen/a.yaml",
            "name: A\nstate: Bremen\nags: \"16052000\"\n",
        );
        assert_eq!(found.unwrap().ags, None);
        assert_eq!(d, ["[ags-land-mismatch] content/kommunen/a.yaml:3:6: Der Gemeindeschlüssel 16052000 gehört zu Thüringen (Landesnummer 16), nicht zu Bremen.\n  Hinweis: Prüfen Sie „state“ oder den Schlüssel: Schlüssel in Bremen beginnen mit 04."]);
    }

    #[test]
    fn an_unusual_oe_id_is_only_a_warning() {
        let (found, d) = municipality_of(
            "kommunen/a.yaml",
            "name: A\nstate: Bremen\noe_id: OE-225060530\n",
        );
        assert_eq!(found.unwrap().oe_id.as_deref(), Some("OE-225060530"));
        assert_eq!(d, ["[unusual-oe-id] content/kommunen/a.yaml:3:8: Warnung: Die Organisationseinheit-ID „OE-225060530“ hat eine ungewöhnliche Form.\n  Hinweis: Üblich ist z. B. \"L100012.OE.225060530\"; prüfen Sie die ID im Redaktionssystem Ihres Landes."]);
    }

    #[test]
    fn an_unknown_service_is_reported_with_the_known_ones() {
        let (found, d) = municipality_of(
            "kommunen/a.yaml",
            "name: A\nstate: Bremen\nservices:\n  alpah: {status: live, since: 2026-01-01}\n  gamma: {status: live, since: 2026-01-01}\n",
        );
        assert_eq!(summary(&found.unwrap()), ["a A Bremen - None false"]);
        assert_eq!(d, ["[unknown-service] content/kommunen/a.yaml:4:10: Den Dienst „alpah“ gibt es nicht.\n  Hinweis: Meinten Sie „alpha“? Bekannte Dienste: alpha, beta.", "[unknown-service] content/kommunen/a.yaml:5:10: Den Dienst „gamma“ gibt es nicht.\n  Hinweis: Bekannte Dienste (Dateien in content/dienste/): alpha, beta."]);
    }

    #[test]
    fn wrong_statuses_and_dates_are_each_reported() {
        let (found, d) = municipality_of(
            "kommunen/a.yaml",
            "name: A\nstate: Bremen\nservices:\n  alpha:\n    status: lieve\n    since: 2026-01-01\n    history:\n      - {status: preparation}\n      - {status: information, since: 2026-13-01}\n  beta: {status: live, since: 2027-01-01}\n",
        );
        assert_eq!(
            summary(&found.unwrap()),
            ["a A Bremen - None false", "beta: live 2027-01-01"]
        );
        assert_eq!(d, ["[unknown-status] content/kommunen/a.yaml:5:13: Unbekannter Status „lieve“.\n  Hinweis: Meinten Sie „live“? Möglich sind: preparation, information, questionnaire, commissioning, live, paused.", "[status-without-date] content/kommunen/a.yaml:8:18: Zum Status „preparation“ fehlt das Datum „since“.\n  Hinweis: Ergänzen Sie „since: JJJJ-MM-TT“: seit wann der Status gilt.", "[invalid-date] content/kommunen/a.yaml:9:38: Den Tag „2026-13-01“ gibt es im Kalender nicht.", "[future-date] content/kommunen/a.yaml:10:31: Das Datum 2027-01-01 liegt in der Zukunft (heute ist der 01.06.2026).\n  Hinweis: Tragen Sie ein, seit wann der Status tatsächlich gilt; geplante Termine gehören nicht in die Übersicht."]);
    }

    #[test]
    fn a_history_that_goes_back_in_time_is_reported_where_it_does() {
        let (found, d) = municipality_of(
            "kommunen/a.yaml",
            "name: A\nstate: Bremen\nservices:\n  alpha:\n    status: live\n    since: 2026-01-01\n    history:\n      - {status: preparation, since: 2025-05-01}\n      - {status: information, since: 2025-04-01}\n      - {status: questionnaire, since: 2026-02-01}\n",
        );
        assert_eq!(summary(&found.unwrap()), ["a A Bremen - None false", "alpha: preparation 2025-05-01, information 2025-04-01, questionnaire 2026-02-01, live 2026-01-01"]);
        assert_eq!(d, ["[history-order] content/kommunen/a.yaml:9:38: Der Verlauf geht rückwärts: „information“ seit 2025-04-01 liegt vor dem Eintrag davor („preparation“ seit 2025-05-01).\n  Hinweis: Ordnen Sie „history“ vom ältesten zum neuesten Eintrag; der aktuelle Status hat das jüngste Datum.", "[history-order] content/kommunen/a.yaml:6:12: Der Verlauf geht rückwärts: „live“ seit 2026-01-01 liegt vor dem Eintrag davor („questionnaire“ seit 2026-02-01).\n  Hinweis: Ordnen Sie „history“ vom ältesten zum neuesten Eintrag; der aktuelle Status hat das jüngste Datum."]);
    }
}
