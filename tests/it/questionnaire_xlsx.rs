//! The generated questionnaires (`/downloads/anbindungsfragebogen-<id>.xlsx`),
//! read back by third-party readers: openpyxl (names, cells, formats,
//! validations, protection; `tests/questionnaire/read_workbook.py`) and
//! headless LibreOffice (every sheet converted to CSV, and a re-saved copy
//! that keeps the defined names). Two builds give the same bytes; a service
//! that names its own file keeps it.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What openpyxl reads from a workbook (see the script).
fn openpyxl(file: &Path) -> Value {
    let out = Command::new("python3")
        .arg(repo().join("tests/questionnaire/read_workbook.py"))
        .arg(file)
        .output()
        .expect("python3 runs (.ci/run installs openpyxl)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The minimal site with the bundled definition; alpha's own file is
/// dropped, so alpha gets a generated questionnaire and beta keeps its own.
fn minimal_with_definition() -> tempfile::TempDir {
    let site = fixture_site("minimal");
    let root = site.path();
    let definition = std::fs::read_to_string(repo().join("content/daten/fragebogen.yaml")).unwrap();
    write(root, "content/daten/fragebogen.yaml", &definition);
    let alpha = read(root, "content/dienste/alpha.md")
        .replace("questionnaire: downloads/fragebogen-alpha.xlsx\n", "");
    write(root, "content/dienste/alpha.md", &alpha);
    std::fs::remove_file(root.join("content/downloads/fragebogen-alpha.xlsx")).unwrap();
    let run = build(root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn the_bundled_services_get_generated_workbooks_and_two_builds_agree() {
    let out = tempfile::tempdir().unwrap();
    for dir in ["a", "b"] {
        let target = out.path().join(dir);
        let run = mitnutzung(&[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    for service in ["beistandschaft", "hilfen-zur-erziehung"] {
        let rel = format!("downloads/anbindungsfragebogen-{service}.xlsx");
        let a = std::fs::read(out.path().join("a").join(&rel)).unwrap();
        let b = std::fs::read(out.path().join("b").join(&rel)).unwrap();
        assert!(a == b, "{rel} differs between two builds");
        let page = read(
            &out.path().join("a"),
            &format!("dienste/{service}/index.html"),
        );
        assert!(
            page.contains(&format!("/{rel}")),
            "{service} links its questionnaire"
        );
        let book = openpyxl(&out.path().join("a").join(&rel));
        assert_eq!(
            book["sheets"],
            serde_json::json!(["Fragebogen", "PVOG-Links", "Hinweise"])
        );
        assert_eq!(
            book["created"], "2026-12-02T00:00:00",
            "the definition's version, not the clock"
        );
        // No key of either bundled service is confirmed: the sheet says whom to ask.
        let intro = book["pvog_intro"].as_str().unwrap_or_default();
        assert!(
            intro.starts_with("Die LeiKa-Schlüssel dieses Dienstes sind noch nicht festgelegt: erfragen Sie sie unter "),
            "{intro}"
        );
        assert_eq!(book["pvog"][1][0], Value::Null, "no key is offered");
    }
}

#[test]
fn every_input_is_a_named_unlocked_cell_beside_its_label() {
    let site = minimal_with_definition();
    let file = site
        .path()
        .join("public/downloads/anbindungsfragebogen-alpha.xlsx");
    let book = openpyxl(&file);
    let inputs = book["inputs"].as_object().unwrap();
    let row = |name: &str| -> (String, String, String, bool) {
        let i = &inputs[name];
        (
            i["cell"].as_str().unwrap().to_string(),
            i["label"].as_str().unwrap().to_string(),
            i["format"].as_str().unwrap().to_string(),
            i["locked"].as_bool().unwrap(),
        )
    };
    let expect = |name: &str, cell: &str, label: &str, format: &str| {
        assert_eq!(
            row(name),
            (cell.into(), label.into(), format.into(), false),
            "{name}"
        );
    };
    expect("kommune", "B6", "Name der Kommune (Pflichtangabe)", "@");
    expect("land", "B7", "Land (Pflichtangabe)", "@");
    expect(
        "ags",
        "B8",
        "Amtlicher Gemeindeschlüssel (AGS) (Pflichtangabe)",
        "@",
    );
    expect(
        "oe_id",
        "B12",
        "Organisationseinheit-ID (Pflichtangabe)",
        "@",
    );
    expect(
        "postfach_kontakt",
        "B17",
        "E-Mail zur Kontaktaufnahme (Pflichtangabe)",
        "@",
    );
    expect(
        "fachlich.1.email",
        "B23",
        "Kontaktperson fachlich 1: E-Mail (Pflichtangabe)",
        "@",
    );
    expect(
        "fachlich.2.email",
        "B27",
        "Kontaktperson fachlich 2: E-Mail",
        "@",
    );
    expect(
        "technisch.telefon",
        "B36",
        "Kontaktperson technisch: Telefon",
        "@",
    );
    expect(
        "ausgefuellt_am",
        "B46",
        "Ausgefüllt am (Pflichtangabe)",
        "dd.mm.yyyy",
    );
    assert_eq!(book["label_locked"], true);
    // Fields, persons (4 parts each; fachlich three times) and the hidden cells.
    assert_eq!(inputs.len(), 10 + 1 + 4 * 3 + 4 * 3 + 1 + 1 + 4);
    let names = &book["names"];
    assert_eq!(
        names["pvog"],
        serde_json::json!({"sheet": "PVOG-Links", "ref": "A5:F104"})
    );
    for (name, value) in [
        ("_kennung", "mitnutzung:anbindungsfragebogen"),
        ("_site", "Testportal"),
        ("_dienst", "alpha"),
        ("_version", "2026-12-02"),
    ] {
        assert_eq!(inputs[name]["value"], value, "{name}");
    }
    let info = &book["sheet_info"];
    assert_eq!(
        info["Fragebogen"]["hidden_columns"],
        serde_json::json!(["E"])
    );
    assert_eq!(info["Fragebogen"]["protected"], true);
    assert_eq!(
        info["PVOG-Links"]["insert_rows_locked"], false,
        "rows can be inserted"
    );
}

#[test]
fn validations_follow_the_field_types_in_german_within_excels_limits() {
    let site = minimal_with_definition();
    let book = openpyxl(
        &site
            .path()
            .join("public/downloads/anbindungsfragebogen-alpha.xlsx"),
    );
    let v = &book["sheet_info"]["Fragebogen"]["validations"];
    assert_eq!(v["B7"]["type"], "list");
    let laender = v["B7"]["formula"].as_str().unwrap();
    assert!(
        laender.contains("Baden-Württemberg") && laender.contains("Thüringen"),
        "{laender}"
    );
    assert_eq!(laender.matches(',').count(), 15, "the 16 Länder");
    assert_eq!(v["B8"]["type"], "custom");
    assert!(v["B8"]["formula"].as_str().unwrap().contains("LEN(B8)=8"));
    assert_eq!(
        v["B12"]["error_style"], "warning",
        "an unusual OE-ID may still be sent"
    );
    assert_eq!(v["B46"]["type"], "date");
    assert_eq!(v["B6"]["type"], "textLength");
    assert_eq!(v["B16"]["title"], "E-Mail für Anträge und Anfragen…");
    assert_eq!(
        v["B16"]["error"],
        "Das ist keine gültige E-Mail-Adresse. Schreiben Sie nur die Adresse, z. B. info@beispiel.bremen.de, ohne „mailto:“, Leerzeichen oder Zusätze wie „?subject=…“."
    );
    for (cell, rule) in v.as_object().unwrap() {
        for key in ["prompt", "error"] {
            let text = rule[key].as_str().unwrap_or_default();
            assert!(text.encode_utf16().count() <= 255, "{cell} {key}: {text}");
        }
        assert!(
            rule["title"]
                .as_str()
                .unwrap_or_default()
                .encode_utf16()
                .count()
                <= 32
        );
    }
    // Alpha's confirmed key is filled in and offered as the only choice.
    let pvog = &book["pvog"];
    assert_eq!(
        pvog[0],
        serde_json::json!([
            "LeiKa",
            "Leistung",
            "Kommune",
            "ARS",
            "PVOG-Link",
            "geprüft am"
        ])
    );
    assert_eq!(pvog[1][0], "99000000001000");
    assert_eq!(pvog[1][1], "Alpha beantragen");
    assert_eq!(
        pvog.as_array().unwrap().len(),
        1 + 100,
        "the header and 100 rows"
    );
    let p = &book["sheet_info"]["PVOG-Links"]["validations"];
    assert_eq!(p["A5"]["range"], "A5:A104");
    assert_eq!(p["A5"]["formula"], "\"99000000001000\"");
    assert_eq!(p["D5"]["type"], "custom");
    let notes = book["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n == "Senden Sie die ausgefüllte Datei an das Postfach des Dienstes: alpha@test.example.de"), "{notes:?}");
}

#[test]
fn a_service_with_its_own_file_keeps_it() {
    let site = minimal_with_definition();
    let public = site.path().join("public/downloads");
    assert!(public.join("fragebogen-beta.xlsx").is_file());
    assert!(!public.join("anbindungsfragebogen-beta.xlsx").exists());
    let beta = read(site.path(), "public/dienste/beta/index.html");
    assert!(beta.contains("/downloads/fragebogen-beta.xlsx"));
}

#[test]
fn a_file_in_content_where_a_generated_one_goes_is_a_collision() {
    let site = minimal_with_definition();
    let root = site.path();
    std::fs::copy(
        root.join("content/downloads/fragebogen-beta.xlsx"),
        root.join("content/downloads/anbindungsfragebogen-alpha.xlsx"),
    )
    .unwrap();
    let run = build(root, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("Fehler[duplicate-url]")
            && run.stderr.contains("anbindungsfragebogen-alpha.xlsx"),
        "{}",
        run.stderr
    );
}

#[test]
fn libreoffice_reads_every_sheet_and_keeps_the_names_when_it_saves() {
    let site = minimal_with_definition();
    let file = site
        .path()
        .join("public/downloads/anbindungsfragebogen-alpha.xlsx");
    let out = tempfile::tempdir().unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        out.path().display()
    );
    let soffice = |args: &[&str]| {
        let status = Command::new("soffice")
            .args(["--headless", &profile])
            .args(args)
            .arg("--outdir")
            .arg(out.path())
            .arg(&file)
            .output()
            .expect("soffice runs (.ci/run installs libreoffice-calc-nogui)");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    soffice(&[
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
    ]);
    let sheet = |name: &str| {
        std::fs::read_to_string(
            out.path()
                .join(format!("anbindungsfragebogen-alpha-{name}.csv")),
        )
        .unwrap()
    };
    let main = sheet("Fragebogen");
    assert_eq!(
        rows_below_the_heading(&main),
        expected_rows(&read(site.path(), "content/daten/fragebogen.yaml")),
        "the sheet as LibreOffice reads it, against the definition"
    );
    let lines: Vec<&str> = main.lines().collect();
    assert_eq!(
        lines[0],
        "Anbindungsfragebogen: Alpha-Dienst,,,,mitnutzung:anbindungsfragebogen"
    );
    assert_eq!(
        lines[5].split(',').next(),
        Some("Name der Kommune (Pflichtangabe)")
    );
    assert_eq!(
        lines[45].split(',').next(),
        Some("Ausgefüllt am (Pflichtangabe)")
    );
    assert!(sheet("PVOG-Links")
        .lines()
        .any(|l| l == "99000000001000,Alpha beantragen,,,,"));
    let notes = sheet("Hinweise");
    assert!(notes.contains("alpha@test.example.de"), "{notes}");
    assert!(
        notes.contains("Vorlage – bitte mit der Betriebskoordination abstimmen"),
        "{notes}"
    );
    soffice(&["--convert-to", "xlsx:Calc MS Excel 2007 XML"]);
    let resaved = openpyxl(&out.path().join("anbindungsfragebogen-alpha.xlsx"));
    assert_eq!(
        resaved["names"]["fachlich.1.email"],
        serde_json::json!({"sheet": "Fragebogen", "ref": "B23"})
    );
    assert_eq!(resaved["names"]["pvog"]["ref"], "A5:F104");
    assert_eq!(resaved["inputs"]["_dienst"]["value"], "alpha");
}

/// Column A and C of each row of the sheet "Fragebogen" below its heading
/// row ("Angabe,Ihre Eintragung,Hinweis"), from LibreOffice's CSV.
fn rows_below_the_heading(csv: &str) -> Vec<(String, String)> {
    let rows: Vec<Vec<String>> = csv.lines().map(csv_fields).collect();
    let start = rows.iter().position(|r| r[0] == "Angabe").unwrap() + 1;
    (rows[start..].iter())
        .map(|r| (r[0].clone(), r.get(2).cloned().unwrap_or_default()))
        .collect()
}

/// One line of CSV: comma-separated, fields with commas in double quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The rows the definition asks for (label in A, help in C), read from its
/// lines: the test's own reading of the format, not the generator's. The
/// minimal site's service has `contact_form: true`, so a field with
/// `when: contact_form` is asked as defined.
fn expected_rows(definition: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut field: Option<BTreeMap<&str, &str>> = None;
    let flush = |field: &mut Option<BTreeMap<&str, &str>>, rows: &mut Vec<(String, String)>| {
        if let Some(f) = field.take() {
            rows.extend(field_rows(&f));
        }
    };
    for line in definition.lines() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let Some((key, value)) = trimmed.split_once(": ") else {
            continue;
        };
        match key {
            "title" if line.starts_with("  - ") => {
                flush(&mut field, &mut rows);
                rows.push((value.to_string(), String::new()));
            }
            "id" if line.starts_with("      - ") => {
                flush(&mut field, &mut rows);
                field = Some(BTreeMap::new());
            }
            _ => {
                if let Some(f) = field.as_mut() {
                    f.insert(key, value);
                }
            }
        }
    }
    flush(&mut field, &mut rows);
    rows
}

fn field_rows(f: &BTreeMap<&str, &str>) -> Vec<(String, String)> {
    let label = f["label"];
    let help = f.get("help").copied().unwrap_or_default().to_string();
    let required = f.get("required") == Some(&"true");
    let must = |on: bool| if on { " (Pflichtangabe)" } else { "" };
    match f["type"] {
        "pvog_links" => vec![(label.to_string(), String::new())],
        "person" => {
            let names: Vec<String> = if f.get("repeat") == Some(&"true") {
                (1..=3).map(|n| format!("{label} {n}")).collect()
            } else {
                vec![label.to_string()]
            };
            (names.iter().enumerate())
                .flat_map(|(n, name)| {
                    let needed = required && n == 0;
                    [
                        (format!("{name}: Name{}", must(needed)), help.clone()),
                        (format!("{name}: Funktion"), String::new()),
                        (format!("{name}: E-Mail{}", must(needed)), String::new()),
                        (format!("{name}: Telefon"), String::new()),
                    ]
                })
                .collect()
        }
        _ => vec![(format!("{label}{}", must(required)), help)],
    }
}
