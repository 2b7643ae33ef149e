//! The JSON Schemas (`mitnutzung schema`) are generated from the Rust types,
//! the committed copies in `schemas/` are up to date, and the bundled content
//! validates against them (with the `jsonschema` crate).

use std::path::Path;

use crate::common::*;
use mitnutzung::content::frontmatter;
use mitnutzung::content::yaml::to_json;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&read(&repo().join("schemas"), name)).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, value: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

#[test]
fn committed_schemas_match_the_generated_ones() {
    let out = tempfile::tempdir().unwrap();
    let run = mitnutzung(&["schema", "--out", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let generated = files_below(out.path());
    assert_eq!(generated.len(), 9);
    for name in generated {
        assert_eq!(
            read(out.path(), &name),
            read(&repo().join("schemas"), &name),
            "schemas/{name} is stale: run `cargo run -- schema`"
        );
    }
}

#[test]
fn bundled_content_validates_against_the_schemas() {
    let content = repo().join("content");
    let yaml = |rel: &str| to_json(&read(&content, rel)).unwrap();
    assert_valid(
        &validator("site.schema.json"),
        &yaml("site.yaml"),
        "site.yaml",
    );
    assert_valid(
        &validator("leikas.schema.json"),
        &yaml("daten/leikas.yaml"),
        "leikas.yaml",
    );
    assert_valid(
        &validator("kontakte.schema.json"),
        &yaml("daten/kontakte.yaml"),
        "kontakte.yaml",
    );
    assert_valid(
        &validator("laender.schema.json"),
        &yaml("daten/laender.yaml"),
        "laender.yaml",
    );
    assert_valid(
        &validator("fragebogen.schema.json"),
        &yaml("daten/fragebogen.yaml"),
        "fragebogen.yaml",
    );
    let municipality = validator("municipality.schema.json");
    let page = validator("page.schema.json");
    let service = validator("service.schema.json");
    let news = validator("news.schema.json");
    for rel in files_below(&content) {
        if rel.starts_with("kommunen/") {
            assert_valid(&municipality, &yaml(&rel), &rel);
        } else if rel.ends_with(".md") {
            let text = read(&content, &rel);
            let front = frontmatter::split(&text)
                .unwrap()
                .front_matter
                .unwrap_or("");
            let validator = if rel.starts_with("dienste/") {
                &service
            } else if rel.starts_with("aktuelles/") {
                &news
            } else {
                &page
            };
            assert_valid(validator, &to_json(front).unwrap(), &rel);
        }
    }
}

#[test]
fn schemas_catch_what_editors_get_wrong() {
    let municipality = validator("municipality.schema.json");
    let bad = to_json("name: X\nstate: Thueringen\nags: \"1605200\"\nservices:\n  beistandschaft: {status: liv}\nnotiz: x\n").unwrap();
    let paths: Vec<String> = municipality
        .iter_errors(&bad)
        .map(|e| e.instance_path().to_string())
        .collect();
    for expected in [
        "/state",
        "/ags",
        "/services/beistandschaft/status",
        "/services/beistandschaft",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} not flagged: {paths:?}"
        );
    }
    assert!(!municipality.is_valid(&bad));
    let leikas = validator("leikas.schema.json");
    assert!(!leikas.is_valid(&to_json("- key: \"9907200207700\"\n  name: kurz\n").unwrap()));
    let laender = validator("laender.schema.json");
    let fine = "- state: Bremen\n  agreement: in_progress\n  reuse_contact: {name: A, email: a@test.de, url: https://test.de/}\n  editorial_office: {name: B}\n  note: Text.\n";
    assert!(laender.is_valid(&to_json(fine).unwrap()));
    for bad in [
        "- state: Thueringen\n  agreement: yes\n",
        "- state: Bremen\n  agreement: ja\n",
        "- state: Bremen\n",
        "- state: Bremen\n  agreement: no\n  redaktion: x\n",
        "- state: Bremen\n  agreement: no\n  reuse_contact: {name: A, url: \"javascript:x\"}\n",
        "- state: Bremen\n  agreement: no\n  reuse_contact: {name: A, email: \"a@test.de?cc=b@test.de\"}\n",
    ] {
        assert!(!laender.is_valid(&to_json(bad).unwrap()), "{bad}");
    }
    let fragebogen = validator("fragebogen.schema.json");
    let head = "title: F\nversion: 2026-11-28\nsections:\n  - title: S\n    fields:\n";
    let fine = format!("{head}      - {{id: postfach_kontakt, label: E-Mail, type: email, required: true, repeat: false, help: Text., when: contact_form}}\n");
    assert!(fragebogen.is_valid(&to_json(&fine).unwrap()));
    for field in [
        "{id: a, label: A, type: emial}",
        "{id: Post-Fach, label: A, type: text}",
        "{id: a, label: A, type: text, when: kontaktformular}",
        "{id: a, label: A, type: text, pflicht: true}",
        "{id: a, type: text}",
    ] {
        let bad = format!("{head}      - {field}\n");
        assert!(!fragebogen.is_valid(&to_json(&bad).unwrap()), "{field}");
    }
    for bad in [
        "title: F\nsections: [{title: S, fields: [{id: a, label: A, type: text}]}]\n",
        "title: F\nversion: 28.11.2026\nsections: [{title: S, fields: [{id: a, label: A, type: text}]}]\n",
        "title: F\nversion: 2026-11-28\nsections: []\n",
        "title: F\nversion: 2026-11-28\nsections: [{title: S, fields: []}]\n",
    ] {
        assert!(!fragebogen.is_valid(&to_json(bad).unwrap()), "{bad}");
    }
}
