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
use crate::diagnostics::{did_you_mean, suggestion_then, Code, Diagnostic, Diagnostics, Position};

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
        regex(pattern = r"^[A-Za-z0-9._+-]+@[^@\s?&%:/]+\.[^@\s?&%:/]+$"),
        description = "E-Mail-Adresse, nur die Adresse (ohne mailto: und ?subject=…)"
    )]
    email: String,
    #[schemars(
        regex(pattern = r"^[0-9 +()/-]*[0-9][0-9 +()/-]*$"),
        description = "Telefonnummer (optional): Ziffern, Leerzeichen und + ( ) / -"
    )]
    phone: Option<String>,
    #[schemars(
        regex(pattern = r"^[hH][tT][tT][pP][sS]?://[^/\s?#]+\S*$"),
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
pub fn leikas(file: Option<&SourceFile>, d: &mut Diagnostics) -> BTreeMap<LeikaKey, Leika> {
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
pub fn contacts(
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
    let mut report = |code, key, hint, m| d.push(invalid(code, yaml, &at(key), m).with_hint(hint));
    let email = Email::parse(&entry.email)
        .map_err(|m| report(Code::InvalidEmail, "email", EMAIL_HINT, m))
        .ok();
    let phone = entry.phone.as_deref().map(Phone::parse).transpose();
    let phone = phone.map_err(|m| report(Code::InvalidPhone, "phone", PHONE_HINT, m));
    let url = entry.url.as_deref().map(WebUrl::parse).transpose();
    let url = url.map_err(|m| report(Code::InvalidUrl, "url", URL_HINT, m));
    Some((email?, phone.ok()?, url.ok()?))
}

/// `kommunen/<id>.yaml` → a municipality; `services` are the known service ids in site order.
pub fn municipality(
    file: &SourceFile,
    services: &[&str],
    today: Option<Date>,
    d: &mut Diagnostics,
) -> Option<Municipality> {
    let id = file
        .rel
        .trim_start_matches("kommunen/")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
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
    let land = land(&yaml, &raw.state, d);
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

fn land(yaml: &YamlSource, name: &str, d: &mut Diagnostics) -> Option<Land> {
    let found = Land::parse(name);
    if found.is_none() {
        let names = LAENDER.iter().map(|(_, n)| *n);
        let hint = did_you_mean(name, names.clone())
            .unwrap_or_else(|| format!("Möglich sind: {}.", names.collect::<Vec<_>>().join(", ")));
        let m = format!(
            "„{name}“ ist kein Land: schreiben Sie den amtlichen Namen eines der 16 Länder."
        );
        d.push(invalid(Code::UnknownState, yaml, &[Seg::Key("state")], m).with_hint(hint));
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
