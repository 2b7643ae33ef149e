//! The questionnaire form `/dienste/<id>/fragebogen/` (issue 13 §3): it
//! exists for every service with a generated questionnaire, labels every
//! input of that questionnaire, carries the build's rules and each input's
//! cell (the cell the workbook names) as JSON for its script, and is linked
//! from the service page and the step's `questionnaire()` shortcode. What
//! the script does is tested in `tests/browser/fragebogen.test.mjs`.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled site, built once for this file.
fn public() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let run = mitnutzung(&[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        dir
    })
    .path()
}

const SERVICES: [&str; 2] = ["beistandschaft", "hilfen-zur-erziehung"];

/// The JSON of `<script type="application/json" id="fragebogen_daten">`.
fn script_data(html: &str) -> Value {
    let start = html.find("fragebogen_daten").expect("the form's data");
    let open = start + html[start..].find('>').unwrap() + 1;
    let close = open + html[open..].find("</script>").unwrap();
    let json = &html[open..close];
    assert!(!json.contains('<'), "a < in the script's JSON: {json}");
    serde_json::from_str(json).unwrap()
}

/// `attr=value` as written, minified or not.
fn has_attr(html: &str, attr: &str, value: &str) -> bool {
    html.contains(&format!("{attr}=\"{value}\""))
        || html.contains(&format!("{attr}={value}>"))
        || html.contains(&format!("{attr}={value} "))
}

/// The defined names of a workbook: name → `'Sheet'!$B$6`.
fn defined_names(xlsx: &Path) -> Value {
    let script = r#"
import json, re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode()
print(json.dumps(dict(re.findall(r'<definedName name="([^"]+)">([^<]+)</definedName>', book))))
"#;
    let out = Command::new("python3")
        .args(["-c", script, xlsx.to_str().unwrap()])
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_bundled_service_has_a_form_with_every_input_labelled() {
    for id in SERVICES {
        let html = read(
            public(),
            &format!("public/dienste/{id}/fragebogen/index.html"),
        );
        let data = script_data(&html);
        let inputs = data["inputs"].as_array().unwrap();
        assert!(inputs.len() > 20, "{id}: {} inputs", inputs.len());
        for input in inputs {
            let html_id = input["id"].as_str().unwrap();
            assert!(
                has_attr(&html, "for", html_id),
                "{id}: no label for {html_id}"
            );
            assert!(has_attr(&html, "id", html_id), "{id}: no control {html_id}");
            let label = input["label"].as_str().unwrap();
            let shown = label.rsplit_once(": ").map_or(label, |(_, part)| part);
            assert!(html.contains(shown), "{id}: label {label:?} missing");
        }
        for section in ["Behörde", "Postfächer", "PVOG-Links", "Kontaktpersonen"] {
            assert!(html.contains(section), "{id}: section {section}");
        }
        assert!(html.contains("Pflichtangabe"));
        assert!(html.contains(&format!("/downloads/anbindungsfragebogen-{id}.xlsx")));
        for text in [
            "Ausgefüllten Fragebogen herunterladen",
            "Entwurf in diesem Browser speichern",
            "Entwurf löschen",
            "Bitte prüfen Sie Ihre Angaben",
        ] {
            assert!(html.contains(text), "{id}: {text}");
        }
        assert!(html.contains("/vendor/fflate/fflate.min.js"));
        assert!(html.contains("mailto:"), "{id}: mailto link");
        assert!(
            html.contains("?subject=Anbindungsfragebogen%20"),
            "{id}: subject"
        );
    }
}

#[test]
fn the_scripts_data_holds_the_builds_rules_and_the_workbooks_cells() {
    for id in SERVICES {
        let html = read(
            public(),
            &format!("public/dienste/{id}/fragebogen/index.html"),
        );
        let data = script_data(&html);
        let email = &data["rules"]["email"];
        assert_eq!(email["message"], "Das ist keine gültige E-Mail-Adresse.");
        assert!(email["pattern"].as_str().unwrap().starts_with('^'));
        for kind in [
            "text",
            "multiline",
            "email",
            "url",
            "phone",
            "oe_id",
            "ags",
            "land",
            "date",
            "leika",
            "ars",
        ] {
            assert!(data["rules"][kind]["max_len"].is_u64(), "{kind}");
        }
        assert_eq!(data["rules"]["oe_id"]["warning_only"], true);
        let names = defined_names(
            &public().join(format!("public/downloads/anbindungsfragebogen-{id}.xlsx")),
        );
        for input in data["inputs"].as_array().unwrap() {
            let name = input["name"].as_str().unwrap();
            let cell = input["cell"].as_str().unwrap();
            let (col, row) = cell.split_at(1);
            assert_eq!(names[name], format!("'Fragebogen'!${col}${row}"), "{name}");
        }
        let pvog = &data["pvog"];
        assert_eq!(pvog["sheet"], "PVOG-Links");
        assert_eq!(
            names["pvog"],
            format!("'PVOG-Links'!$A${}:$F$104", pvog["first_row"])
        );
        let letters: Vec<&str> = (pvog["columns"].as_array().unwrap().iter())
            .map(|c| c["letter"].as_str().unwrap())
            .collect();
        assert_eq!(letters, ["A", "B", "C", "D", "E", "F"]);
        assert_eq!(
            data["mail"]["to"].as_str().unwrap().split('@').nth(1),
            Some("betriebskoordination.bremen.de")
        );
        // the checks across two values, worded as import words them
        let cross = &data["cross"];
        assert_eq!(
            cross["ags_land"]["message"],
            "Der Gemeindeschlüssel „{ags}“ gehört zu {found}, nicht zu {given}."
        );
        assert_eq!(
            cross["unknown_leika"]["hint"],
            "Die Schlüssel des Dienstes: {keys}."
        );
        assert_eq!(cross["laender"].as_array().unwrap().len(), 16);
        assert_eq!(cross["laender"][15], serde_json::json!(["16", "Thüringen"]));
        // the bundled services have no confirmed key yet: none is offered
        assert_eq!(cross["leikas"], serde_json::json!([]), "{id}");
    }
}

#[test]
fn the_service_page_and_step_three_link_to_the_form() {
    for id in SERVICES {
        let html = read(public(), &format!("public/dienste/{id}/index.html"));
        let link = format!("/dienste/{id}/fragebogen/");
        assert!(has_attr(&html, "href", &link), "{id}: no link to the form");
        assert!(html.contains("Fragebogen online ausfüllen"));
    }
    let sitemap = read(public(), "public/sitemap.xml");
    assert!(!sitemap.is_empty());
}

#[test]
fn a_service_with_a_file_of_its_own_gets_no_form() {
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
    assert!(root
        .join("public/dienste/alpha/fragebogen/index.html")
        .is_file());
    assert!(!root.join("public/dienste/beta/fragebogen").exists());
    let beta = read(root, "public/dienste/beta/index.html");
    assert!(!beta.contains("/fragebogen/"), "{beta}");
}

#[test]
fn without_a_definition_there_is_no_form() {
    let site = fixture_site("minimal");
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path().join("public/dienste/alpha/fragebogen").exists());
}

#[test]
fn a_page_where_the_form_goes_is_a_collision() {
    let site = fixture_site("minimal");
    let root = site.path();
    let definition = std::fs::read_to_string(repo().join("content/daten/fragebogen.yaml")).unwrap();
    write(root, "content/daten/fragebogen.yaml", &definition);
    let alpha = read(root, "content/dienste/alpha.md")
        .replace("questionnaire: downloads/fragebogen-alpha.xlsx\n", "");
    write(root, "content/dienste/alpha.md", &alpha);
    std::fs::remove_file(root.join("content/downloads/fragebogen-alpha.xlsx")).unwrap();
    let page = read(root, "content/impressum.md").replace(
        r#"aliases: ["/alt/impressum/"]"#,
        r#"aliases: ["/alt/impressum/", "/dienste/alpha/fragebogen/"]"#,
    );
    write(root, "content/impressum.md", &page);
    let run = build(root, &[]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("duplicate-url"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Fragebogen des Dienstes"),
        "{}",
        run.stderr
    );
}
