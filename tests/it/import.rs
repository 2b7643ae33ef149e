//! `mitnutzung import`: the generated questionnaire, filled by openpyxl (a
//! writer that is not ours, as Excel or LibreOffice would), read back into
//! `content/kommunen/<id>.yaml`; the municipality then shows on the status
//! page and its contact data in no output file. One fixture per mistake in
//! `tests/fixtures/import/<name>/` (`values.json` over `base.json`) with
//! the exact output in `expected.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use crate::common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the bundled site with the generated questionnaire of
/// Beistandschaft at `ROOT/fragebogen-vorlage.xlsx`.
fn site() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["content", "themes"] {
        copy_tree(&repo().join(sub), &dir.path().join(sub));
    }
    let out = dir.path().join("vorlage");
    let run = build(dir.path(), &["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let template = dir.path().join("fragebogen-vorlage.xlsx");
    std::fs::copy(
        out.join("downloads/anbindungsfragebogen-beistandschaft.xlsx"),
        &template,
    )
    .unwrap();
    std::fs::remove_dir_all(out).unwrap();
    (dir, template)
}

/// Fill the template with `base.json` and the fixtures given (names under
/// `tests/fixtures/import/`, or absolute paths of folders holding a
/// `values.json`), into `ROOT/name`.
fn fill(root: &Path, template: &Path, name: &str, fixtures: &[&str]) {
    let dir = crate::common::fixtures().join("import");
    let mut command = Command::new("python3");
    command
        .arg(repo().join("tests/import/fill.py"))
        .arg(template)
        .arg(root.join(name))
        .arg(dir.join("base.json"));
    for fixture in fixtures {
        command.arg(dir.join(fixture).join("values.json"));
    }
    let out = command.output().expect("python3 with openpyxl");
    assert!(
        out.status.success(),
        "fill.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Fill the template with `base.json` and then `values` (the JSON of a
/// values file, written to `ROOT/<name>.values/`), into `ROOT/name`.
fn fill_with(root: &Path, template: &Path, name: &str, values: &str) {
    let dir = root.join(format!("{name}.values"));
    write(&dir, "values.json", values);
    fill(root, template, name, &[dir.to_str().unwrap()]);
}

/// `mitnutzung import FILE --root .` run inside the site, so that messages
/// name the file as the editor typed it.
fn import(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
        .arg("import")
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const JENA: &str = r#"name: Jena
state: Thüringen
ags: '16053000'
oe_id: L100012.OE.225060999
services:
  beistandschaft:
    status: questionnaire
    since: 2026-12-10
internal:
  fragebogen_beistandschaft:
    amt: Jugendamt & *Jena*
    anschrift: "Am Anger 1\ninternal: {veröffentlicht: ja}"
    zustaendigkeit: 'Stadt Jena: alle Ortsteile # ohne Umland'
    logo: logo-jena.png
    dse: https://www.jena.de/datenschutz
    postfach_antraege: beistandschaft@jena.example
    fachlich:
      - name: Erika Musterfrau
        email: erika.musterfrau@jena.example
        telefon: 03641 490
    technisch:
      name: Max Mustermann
      email: max.mustermann@jena.example
    ausgefuellt_von:
      name: Erika Musterfrau
      email: erika.musterfrau@jena.example
    ausgefuellt_am: 2026-12-02
    bemerkungen: "&anker\n---\nname: Andere"
    pvog:
      - leika: '99010000000000'
        leistung: Beistandschaft
        kommune: Jena
        ars: '160530000000'
        link: https://pvog.example/jena
        geprueft_am: 2026-12-01
"#;

#[test]
fn a_filled_questionnaire_becomes_a_municipality_on_the_status_page_only() {
    let (dir, template) = site();
    let root = dir.path();
    fill(root, &template, "jena.xlsx", &[]);
    let dry = import(root, &["jena.xlsx", "--since", "2026-12-10", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.starts_with("Probelauf, nichts geschrieben: content/kommunen/jena.yaml würde so angelegt:\n+ name: Jena\n"), "{}", dry.stdout);
    assert!(!root.join("content/kommunen/jena.yaml").exists());

    let run = import(root, &["jena.xlsx", "--since", "2026-12-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Importiert: content/kommunen/jena.yaml angelegt.\n"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(read(root, "content/kommunen/jena.yaml"), JENA);

    let again = import(root, &["jena.xlsx", "--since", "2026-12-10"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        again.stdout,
        "Keine Änderung: content/kommunen/jena.yaml ist schon auf dem Stand des Fragebogens.\n"
    );
    assert_eq!(read(root, "content/kommunen/jena.yaml"), JENA);
    // Without --since, a service already at the questionnaire keeps its date.
    let later = import(root, &["jena.xlsx"]);
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert_eq!(read(root, "content/kommunen/jena.yaml"), JENA);

    let built = build(root, &[]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let csv = read(root, "public/status.csv");
    assert!(
        csv.lines()
            .any(|l| l.contains("Jena") && l.contains("16053000") && l.contains("questionnaire")),
        "{csv}"
    );
    assert!(read(root, "public/status/index.html").contains("Jena"));
    for rel in files_below(&root.join("public")) {
        let bytes = std::fs::read(root.join("public").join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "erika.musterfrau@jena.example",
            "Am Anger 1",
            "3641490",
            "pvog.example/jena",
        ] {
            assert!(!text.contains(secret), "{rel} holds {secret}");
        }
    }
}

#[test]
fn an_existing_file_keeps_its_comments_and_a_live_service_needs_force() {
    let (dir, template) = site();
    let root = dir.path();
    let gera = |text: &str| {
        text.replace("\"kommune\": \"Jena\"", "\"kommune\": \"Gera\"")
            .replace("16053000", "16052000")
    };
    let base = crate::common::fixtures().join("import/base.json");
    let over = root.join("gera");
    std::fs::create_dir_all(&over).unwrap();
    std::fs::write(
        over.join("values.json"),
        gera(&std::fs::read_to_string(base).unwrap()),
    )
    .unwrap();
    fill(root, &template, "gera.xlsx", &[over.to_str().unwrap()]);
    let before = read(root, "content/kommunen/gera.yaml");
    let run = import(root, &["gera.xlsx", "--since", "2026-12-10"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "gera.xlsx: Fehler[import-conflict]: „Gera“ ist beim Dienst „beistandschaft“ schon weiter („live“ seit 2026-05-04); der Import setzt den Status nicht auf „questionnaire“ zurück.\n  Hinweis: Ist das gewollt (etwa ein neuer Fragebogen nach einer Pause), rufen Sie den Import mit „--force“ auf; der bisherige Status kommt dann in „history“.\n\nImport abgebrochen: 1 Fehler; nichts geschrieben.\n");
    assert_eq!(read(root, "content/kommunen/gera.yaml"), before);

    let forced = import(root, &["gera.xlsx", "--since", "2026-12-10", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let after = read(root, "content/kommunen/gera.yaml");
    let expected_head = before
        .replace("ags: \"16052000\"\n", "ags: \"16052000\"\noe_id: L100012.OE.225060999\n")
        .replace("    status: live\n    since: 2026-05-04\n", "    status: questionnaire\n    since: 2026-12-10\n")
        .replace(
            "      - {status: commissioning, since: 2026-03-23}\n",
            "      - {status: commissioning, since: 2026-03-23}\n      - {status: live, since: 2026-05-04}\n",
        );
    assert!(after.starts_with(&expected_head), "{after}");
    assert!(
        after[expected_head.len()..]
            .starts_with("  fragebogen_beistandschaft:\n    amt: Jugendamt & *Jena*\n"),
        "{after}"
    );
    let again = import(root, &["gera.xlsx", "--force"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(read(root, "content/kommunen/gera.yaml"), after);
    assert_eq!(build(root, &[]).code, 0);
}

/// Each mistake with its exact output; nothing is written.
#[test]
fn every_mistake_is_reported_at_its_cell() {
    let (dir, template) = site();
    let root = dir.path();
    let cases = std::fs::read_dir(crate::common::fixtures().join("import")).unwrap();
    let mut names: Vec<String> = cases
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let file = format!("{name}.xlsx");
        fill(root, &template, &file, &[&name]);
        let run = import(root, &[&file, "--since", "2026-12-10"]);
        let expected = crate::common::fixtures()
            .join("import")
            .join(&name)
            .join("expected.txt");
        if std::env::var_os("MITNUTZUNG_BLESS").is_some() {
            std::fs::write(&expected, &run.stderr).unwrap();
        }
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            std::fs::read_to_string(&expected).unwrap(),
            "{name}"
        );
        assert!(!root.join("content/kommunen/jena.yaml").exists(), "{name}");
    }
}

#[test]
fn a_copy_saved_again_by_libreoffice_still_imports() {
    // No skip: without LibreOffice this fails (.ci/run installs libreoffice-calc-nogui).
    let (dir, template) = site();
    let root = dir.path();
    fill(root, &template, "jena.xlsx", &[]);
    let out = root.join("libreoffice");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        root.join("lo-profile").display()
    );
    let converted = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&out)
        .arg(root.join("jena.xlsx"))
        .output()
        .unwrap();
    assert!(
        out.join("jena.xlsx").exists(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let run = import(root, &["libreoffice/jena.xlsx", "--since", "2026-12-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(root, "content/kommunen/jena.yaml"), JENA);
}

#[test]
fn a_missing_file_is_bad_usage() {
    let (dir, _) = site();
    let run = import(dir.path(), &["fehlt.xlsx"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("Fehler: Die Datei fehlt.xlsx lässt sich nicht lesen: "),
        "{}",
        run.stderr
    );
}

#[test]
fn a_damaged_file_is_a_clear_error_and_nothing_is_written() {
    let (dir, template) = site();
    let root = dir.path();
    std::fs::write(root.join("text.xlsx"), "Das ist keine Excel-Datei.\n").unwrap();
    let bytes = std::fs::read(&template).unwrap();
    std::fs::write(root.join("half.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    for name in ["text.xlsx", "half.xlsx"] {
        let run = import(root, &[name]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr
                .starts_with(&format!("{name}: Fehler[not-a-questionnaire]: ")),
            "{name}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .ends_with("Import abgebrochen: 1 Fehler; nichts geschrieben.\n"),
            "{}",
            run.stderr
        );
    }
    assert!(!root.join("content/kommunen/jena.yaml").exists());
}

#[test]
fn a_paused_service_is_not_set_back_without_force() {
    let (dir, template) = site();
    let root = dir.path();
    let gera = read(root, "content/kommunen/gera.yaml").replace(
        "    status: live\n    since: 2026-05-04\n",
        "    status: paused\n    since: 2026-06-01\n    # pausiert\n",
    );
    write(root, "content/kommunen/gera.yaml", &gera);
    let values = crate::common::fixtures().join("import").join("base.json");
    let gera_values = root.join("gera.json");
    let base = std::fs::read_to_string(&values).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&base).unwrap();
    json["cells"]["kommune"] = "Gera".into();
    json["cells"]["ags"] = "16052000".into();
    std::fs::write(&gera_values, json.to_string()).unwrap();
    let out = Command::new("python3")
        .arg(repo().join("tests/import/fill.py"))
        .arg(&template)
        .arg(root.join("gera.xlsx"))
        .arg(&gera_values)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = import(root, &["gera.xlsx", "--since", "2026-12-01"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("Fehler[import-conflict]: „Gera“ ist beim Dienst „beistandschaft“ schon weiter („paused“ seit 2026-06-01)"), "{}", run.stderr);
    assert_eq!(
        read(root, "content/kommunen/gera.yaml"),
        gera,
        "nothing written"
    );
    let forced = import(root, &["gera.xlsx", "--since", "2026-12-01", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let after = read(root, "content/kommunen/gera.yaml");
    assert!(
        after.contains("{status: paused, since: 2026-06-01}"),
        "{after}"
    );
    assert!(
        after.contains("    status: questionnaire\n    since: 2026-12-01\n"),
        "{after}"
    );
}

/// `--kommune` names the file, whatever the Kommune field says.
#[test]
fn kommune_names_the_file() {
    let (dir, template) = site();
    let root = dir.path();
    fill(root, &template, "jena.xlsx", &[]);
    let run = import(
        root,
        &[
            "jena.xlsx",
            "--since",
            "2026-12-10",
            "--kommune",
            "jena-stadt",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Importiert: content/kommunen/jena-stadt.yaml angelegt.\n"
    );
    assert_eq!(read(root, "content/kommunen/jena-stadt.yaml"), JENA);
    assert!(!root.join("content/kommunen/jena.yaml").exists());
}

/// Without `--kommune` the municipality with the questionnaire's AGS is
/// updated, even when the Kommune field spells its name otherwise.
#[test]
fn the_municipality_is_found_by_its_ags() {
    let (dir, template) = site();
    let root = dir.path();
    let file = root.join("content/kommunen/oldenburg.yaml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "state: Niedersachsen\n",
        "state: Niedersachsen\nags: \"03403000\"\n",
    );
    std::fs::write(&file, &text).unwrap();
    fill_with(
        root,
        &template,
        "oldenburg.xlsx",
        r#"{"cells": {"kommune": "Stadt Oldenburg", "land": "Niedersachsen", "ags": "03403000"}}"#,
    );
    let run = import(root, &["oldenburg.xlsx", "--since", "2026-12-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Importiert: content/kommunen/oldenburg.yaml geändert.\n"
    );
    assert!(!root.join("content/kommunen/stadt-oldenburg.yaml").exists());
    let after = read(root, "content/kommunen/oldenburg.yaml");
    assert!(
        after.contains(
            "    status: questionnaire\n    since: 2026-12-10\n    history:\n      - {status: preparation, since: 2026-06-01}\n      - {status: information, since: 2026-08-17}\n"
        ),
        "{after}"
    );
}

/// `--kommune` naming a file with another AGS is a conflict; nothing is written.
#[test]
fn a_kommune_with_another_ags_is_a_conflict() {
    let (dir, template) = site();
    let root = dir.path();
    fill(root, &template, "jena.xlsx", &[]);
    let before = read(root, "content/kommunen/gera.yaml");
    let run = import(root, &["jena.xlsx", "--kommune", "gera"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "jena.xlsx:Fragebogen!B8 (Feld „Amtlicher Gemeindeschlüssel (AGS)“): Fehler[import-conflict]: Die Kommune „gera“ hat den Gemeindeschlüssel „16052000“, der Fragebogen nennt „16053000“.\n  Hinweis: Prüfen Sie den Schlüssel im Fragebogen, oder wählen Sie mit „--kommune ID“ die richtige Datei in content/kommunen/.\n\nImport abgebrochen: 1 Fehler; nichts geschrieben.\n");
    assert_eq!(read(root, "content/kommunen/gera.yaml"), before);
}

/// `--service` must name the service the file belongs to.
#[test]
fn a_service_other_than_the_files_is_refused() {
    let (dir, template) = site();
    let root = dir.path();
    fill(root, &template, "jena.xlsx", &[]);
    let other = import(root, &["jena.xlsx", "--service", "hilfen-zur-erziehung"]);
    assert_eq!(other.code, 1);
    assert_eq!(other.stderr, "jena.xlsx: Fehler[import-conflict]: Der Fragebogen gehört zum Dienst „beistandschaft“, nicht zu „hilfen-zur-erziehung“.\n  Hinweis: Lassen Sie „--service“ weg oder nennen Sie den Dienst, dessen Fragebogen die Kommune ausgefüllt hat.\n\nImport abgebrochen: 1 Fehler; nichts geschrieben.\n");
    let unknown = import(root, &["jena.xlsx", "--service", "elterngeld"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(unknown.stderr, "jena.xlsx: Fehler[unknown-service]: Der Fragebogen gehört zum Dienst „beistandschaft“, nicht zu „elterngeld“ (den diese Website nicht hat).\n  Hinweis: Lassen Sie „--service“ weg oder nennen Sie den Dienst, dessen Fragebogen die Kommune ausgefüllt hat.\n\nImport abgebrochen: 1 Fehler; nichts geschrieben.\n");
    assert!(!root.join("content/kommunen/jena.yaml").exists());
    let right = import(
        root,
        &[
            "jena.xlsx",
            "--service",
            "beistandschaft",
            "--since",
            "2026-12-10",
        ],
    );
    assert_eq!(right.code, 0, "{}", right.stderr);
    assert_eq!(read(root, "content/kommunen/jena.yaml"), JENA);
}

/// A file of an older definition is read by its names, with a warning.
#[test]
fn an_older_questionnaire_imports_with_a_warning() {
    let (dir, template) = site();
    let root = dir.path();
    fill_with(
        root,
        &template,
        "jena.xlsx",
        r#"{"cells": {"_version": "2026-01-15"}}"#,
    );
    let run = import(root, &["jena.xlsx", "--since", "2026-12-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let version = std::fs::read_to_string(root.join("content/daten/fragebogen.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("version: "))
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(run.stderr, format!("jena.xlsx: Warnung[outdated-questionnaire]: Der Fragebogen hat den Stand „2026-01-15“, die Website den Stand {version}; er wird nach Feldnamen gelesen.\n  Hinweis: Prüfen Sie die Angaben besonders; Felder, die es im alten Stand nicht gab, fehlen.\n\n"));
    assert_eq!(read(root, "content/kommunen/jena.yaml"), JENA);
}

/// A phone number that arrives as a number (typed into Excel without
/// quotes) has lost its leading 0: imported as it arrived, with a warning.
#[test]
fn a_phone_number_that_arrives_as_a_number_is_a_warning() {
    let (dir, template) = site();
    let root = dir.path();
    fill_with(
        root,
        &template,
        "jena.xlsx",
        r#"{"cells": {"fachlich.1.telefon": 3641490}}"#,
    );
    let run = import(root, &["jena.xlsx", "--since", "2026-12-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "jena.xlsx:Fragebogen!B24 (Feld „Kontaktperson fachlich 1: Telefon“): Warnung[phone-as-number]: Die Telefonnummer kam als Zahl an („3641490“); Excel lässt dabei eine führende 0 weg.\n  Hinweis: Prüfen Sie die Nummer und korrigieren Sie sie bei Bedarf in der Datei der Kommune; übernommen wird sie, wie sie ankam. Als Text eingetragen (z. B. „03641 490“) bleibt die 0 erhalten.\n\n");
    assert_eq!(
        run.stdout,
        "Importiert: content/kommunen/jena.yaml angelegt (1 Warnung).\n"
    );
    assert_eq!(
        read(root, "content/kommunen/jena.yaml"),
        JENA.replace("telefon: 03641 490", "telefon: '3641490'")
    );
}
