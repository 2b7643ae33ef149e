//! `mitnutzung check`: one fixture per diagnostic code under
//! `tests/fixtures/check/<code>/` (files laid over the `minimal` site, or
//! removed by `remove.txt`) with the exact JSON report expected; plus the
//! bundled site, the JSON shape, the exit codes and the other formats.

use crate::common::*;

const TODAY: &str = "2026-11-28";

fn check_json(root: &std::path::Path, extra: &[&str]) -> (Run, serde_json::Value) {
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        TODAY,
    ];
    args.extend_from_slice(extra);
    let run = mitnutzung(&args);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    (run, json)
}

fn scenario(name: &str) {
    let dir = fixtures().join("check").join(name);
    let site = fixture_site("minimal");
    apply_scenario(&dir, site.path());
    let (run, json) = check_json(site.path(), &[]);
    let expected_path = dir.join("expected.json");
    if std::env::var_os("MITNUTZUNG_BLESS").is_some() {
        std::fs::write(&expected_path, &run.stdout).unwrap();
    }
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
    pretty_assertions::assert_eq!(json, expected, "report of {name}");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.iter().any(|c| name.starts_with(c)),
        "{name} does not produce its code: {codes:?}"
    );
    let errors = json["errors"].as_u64().unwrap();
    assert_eq!(
        run.code,
        if errors > 0 { 1 } else { 0 },
        "exit code of {name}"
    );
    assert!(
        !site.path().join("public").exists(),
        "check must not write public/"
    );
}

macro_rules! scenarios {
    ($($test:ident => $dir:literal),* $(,)?) => {
        $( #[test] fn $test() { scenario($dir); } )*

        #[test]
        fn every_check_fixture_has_a_test() {
            let listed = [$($dir),*];
            for entry in std::fs::read_dir(fixtures().join("check")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test");
            }
        }
    };
}

scenarios! {
    ags_land_mismatch => "ags-land-mismatch",
    broken_anchor => "broken-anchor",
    broken_link => "broken-link",
    broken_link_in_template => "broken-link-in-template",
    duplicate_municipality => "duplicate-municipality",
    duplicate_url => "duplicate-url",
    future_date => "future-date",
    history_order => "history-order",
    invalid_email => "invalid-email",
    malformed_url => "malformed-url",
    missing_description => "missing-description",
    no_leika => "no-leika",
    no_questionnaire => "no-questionnaire",
    orphan_download => "orphan-download",
    status_without_date => "status-without-date",
    unsafe_html => "unsafe-html",
    too_deep => "too-deep",
    unconfirmed_leika => "unconfirmed-leika",
    unusual_oe_id => "unusual-oe-id",
}

#[test]
fn the_bundled_site_checks_without_errors() {
    let (run, json) = check_json(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(json["errors"], 0, "{}", run.stdout);
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["no-leika", "no-leika"],
        "only the intended warnings: neither service has a confirmed key yet"
    );
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("check/history-order/overlay"), site.path());
    let (run, json) = check_json(site.path(), &[]);
    let order = |keys: &[&str]| {
        keys.iter()
            .map(|k| run.stdout.find(&format!("\"{k}\":")).unwrap())
            .collect::<Vec<_>>()
    };
    let top = order(&["diagnostics", "errors", "warnings"]);
    assert!(
        top.windows(2).all(|w| w[0] < w[1]),
        "stable top-level key order"
    );
    let inner = order(&[
        "severity", "code", "message", "file", "line", "column", "hint",
    ]);
    assert!(
        inner.windows(2).all(|w| w[0] < w[1]),
        "stable diagnostic key order"
    );
    assert_eq!(json.as_object().unwrap().len(), 3);
    for d in json["diagnostics"].as_array().unwrap() {
        assert_eq!(d.as_object().unwrap().len(), 7);
        assert!(["error", "warning"].contains(&d["severity"].as_str().unwrap()));
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let site = fixture_site("minimal");
    copy_tree(
        &fixtures().join("check/missing-description/overlay"),
        site.path(),
    );
    assert_eq!(check_json(site.path(), &[]).0.code, 0);
    assert_eq!(check_json(site.path(), &["--deny-warnings"]).0.code, 1);
    assert_eq!(mitnutzung(&["check", "--format", "xml"]).code, 2);
    assert_eq!(mitnutzung(&["check", "--today", "2026-02-30"]).code, 2);
}

#[test]
fn human_and_github_formats() {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("check/history-order/overlay"), site.path());
    let root = site.path().to_str().unwrap();
    let block = "content/kommunen/beispielhausen.yaml:9:40: Fehler[history-order]: Der Verlauf geht rückwärts: „questionnaire“ seit 2026-01-10 liegt vor dem Eintrag davor („preparation“ seit 2026-03-01).\n  |\n9 |       - {status: questionnaire, since: 2026-01-10}\n  |                                        ^\n  Hinweis: Ordnen Sie „history“ vom ältesten zum neuesten Eintrag; der aktuelle Status hat das jüngste Datum.\n\n";
    let human = mitnutzung(&["check", "--root", root, "--today", TODAY]);
    assert_eq!(human.code, 1);
    pretty_assertions::assert_eq!(
        human.stderr,
        format!("{block}Prüfung: 1 Fehler, 0 Warnungen.\n")
    );
    // `build` prints the same problem in the same words.
    let built = build(site.path(), &[]);
    assert_eq!(built.code, 1);
    pretty_assertions::assert_eq!(
        built.stderr,
        format!("{block}Abgebrochen: 1 Fehler; public/ bleibt unverändert.\n")
    );
    let github = mitnutzung(&[
        "check", "--root", root, "--format", "github", "--today", TODAY,
    ]);
    assert!(github.stdout.starts_with("::error file=content/kommunen/beispielhausen.yaml,line=9,col=40,title=history-order::Der Verlauf geht rückwärts"), "{}", github.stdout);
}

/// `build` and `check` report the same errors of one run: a broken
/// municipality file, a broken service file and a plain link to nothing,
/// each once (links to the broken files are not reported again).
#[test]
fn build_and_check_report_the_same_errors_in_one_run() {
    let dir = fixtures().join("errors/every-error-in-one-run");
    let site = fixture_site("minimal");
    apply_scenario(&dir, site.path());
    let (_, json) = check_json(site.path(), &[]);
    let errors: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            "content/dienste/beta.md:2:1 unknown-key",
            "content/kommunen/beispielhausen.yaml:3:6 invalid-ags",
            "content/schritte/01-vorbereitung.md:11:7 broken-link",
        ]
    );
    let built = build(site.path(), &[]);
    assert_eq!(built.code, 1);
    assert!(
        built
            .stderr
            .ends_with("Abgebrochen: 3 Fehler; public/ bleibt unverändert.\n"),
        "{}",
        built.stderr
    );
}
