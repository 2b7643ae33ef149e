//! Deeply nested pages are an error (`too-deep`), never a crash: a page
//! with 3,000 nested blockquotes, lists, raw `<div>`s or emphases used to
//! overflow the stack in the minifier and abort `build` (exit 134, staging
//! folder left) while `check` passed it. The binary runs as a child process,
//! so an abort cannot take the test binary down with it.

use std::path::Path;

use crate::common::*;

const MESSAGE: &str = "Ab hier sind mehr als 200 Elemente ineinander verschachtelt (Zitate, Listen, Hervorhebungen oder HTML-Elemente); so tief kann die Seite nicht gebaut werden.";
const HINT: &str = "Verschachteln Sie höchstens 200 Ebenen: schließen Sie Zitate („>“), Listen, Hervorhebungen („*“) und HTML-Elemente wie <div> früher, oder teilen Sie den Text in mehrere Abschnitte.";

/// A page whose body nests `levels` of one kind, starting on line 5.
fn page(kind: &str, levels: usize) -> String {
    let body = match kind {
        "blockquotes" => format!("{} tief\n", ">".repeat(levels)),
        "lists" => (0..levels)
            .map(|i| format!("{}- tief\n", "  ".repeat(i)))
            .collect(),
        "divs" => format!(
            "{}\ntief\n{}\n",
            "<div>".repeat(levels),
            "</div>".repeat(levels)
        ),
        "emphasis" => format!("{}tief{}\n", "*".repeat(levels), "*".repeat(levels)),
        other => unreachable!("{other}"),
    };
    format!("---\ntitle: Tief\ndescription: Tief verschachtelt\n---\n{body}")
}

/// The minimal site, minified (as published), with `content/tief.md`.
fn site_with(text: &str) -> tempfile::TempDir {
    let site = fixture_site("minimal");
    let config = read(site.path(), "content/site.yaml");
    write(
        site.path(),
        "content/site.yaml",
        &config.replace("minify: false", "minify: true"),
    );
    write(site.path(), "content/tief.md", text);
    site
}

/// Line 5 as a diagnostic quotes it for column 1: the first 120
/// characters, and `…` when the line is longer.
fn line_5(text: &str) -> String {
    let line = text.lines().nth(4).unwrap().trim_end();
    let shown: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        format!("{shown}…")
    } else {
        shown
    }
}

fn assert_build_refuses(kind: &str) {
    let text = page(kind, 3000);
    let site = site_with(&text);
    let run = build(site.path(), &[]);
    let expected = format!(
        "content/tief.md:5:1: Fehler[too-deep]: {MESSAGE}\n  |\n5 | {}\n  | ^\n  Hinweis: {HINT}\n\nAbgebrochen: 1 Fehler; public/ bleibt unverändert.\n",
        line_5(&text)
    );
    pretty_assertions::assert_eq!(run.stderr, expected, "build of nested {kind}");
    assert_eq!(run.code, 1, "exit code of build, nested {kind}");
    assert!(!site.path().join("public").exists());
    assert_no_staging_dirs(site.path());
}

fn assert_check_refuses(kind: &str) {
    let text = page(kind, 3000);
    let site = site_with(&text);
    let run = mitnutzung(&["check", "--root", site.path().to_str().unwrap()]);
    let expected = format!(
        "content/tief.md:5:1: Fehler[too-deep]: {MESSAGE}\n  |\n5 | {}\n  | ^\n  Hinweis: {HINT}\n\nPrüfung: 1 Fehler, 0 Warnungen.\n",
        line_5(&text)
    );
    pretty_assertions::assert_eq!(run.stderr, expected, "check of nested {kind}");
    assert_eq!(run.code, 1, "exit code of check, nested {kind}");
    assert_no_staging_dirs(site.path());
}

#[test]
fn build_refuses_3000_nested_blockquotes() {
    assert_build_refuses("blockquotes");
}

#[test]
fn build_refuses_3000_nested_lists() {
    assert_build_refuses("lists");
}

#[test]
fn build_refuses_3000_nested_raw_divs() {
    assert_build_refuses("divs");
}

#[test]
fn build_refuses_3000_nested_emphases() {
    assert_build_refuses("emphasis");
}

#[test]
fn check_refuses_3000_nested_blockquotes() {
    assert_check_refuses("blockquotes");
}

#[test]
fn check_refuses_3000_nested_lists() {
    assert_check_refuses("lists");
}

#[test]
fn check_refuses_3000_nested_raw_divs() {
    assert_check_refuses("divs");
}

#[test]
fn check_refuses_3000_nested_emphases() {
    assert_check_refuses("emphasis");
}

/// 200 levels are allowed: a paragraph in 199 blockquotes, 100 lists with
/// an item each, 200 `<div>`s, 199 strong emphases (`**`) in a paragraph.
#[test]
fn pages_nested_200_levels_still_build_and_check() {
    for (kind, levels) in [
        ("blockquotes", 199),
        ("lists", 100),
        ("divs", 200),
        ("emphasis", 398),
    ] {
        let site = site_with(&page(kind, levels));
        let run = build(site.path(), &[]);
        assert_eq!(run.code, 0, "200 levels of {kind}: {}", run.stderr);
        let html = read(site.path(), "public/tief/index.html");
        assert!(html.contains("tief"), "{kind}");
        let check = mitnutzung(&["check", "--root", site.path().to_str().unwrap()]);
        assert_eq!(
            check.code, 0,
            "check, 200 levels of {kind}: {}",
            check.stderr
        );
        // One level more is refused.
        let deeper = if kind == "emphasis" {
            levels + 2
        } else {
            levels + 1
        };
        let site = site_with(&page(kind, deeper));
        let run = build(site.path(), &[]);
        assert_eq!(run.code, 1, "201 levels of {kind}: {}", run.stderr);
        assert!(run.stderr.contains("[too-deep]") || run.stderr.contains(MESSAGE));
    }
}

/// A theme whose template nests too deeply gets an error naming the
/// template, in `build` and `check` alike — never an abort in minify-html.
#[test]
fn a_template_that_nests_too_deeply_is_an_error() {
    let site = fixture_site("minimal");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/mitnutzung"),
        &site.path().join("themes/mitnutzung"),
    );
    let template = site.path().join("themes/mitnutzung/templates/page.html");
    let deep = "{% for i in range(end=3000) %}<div>{% endfor %}{% for i in range(end=3000) %}</div>{% endfor %}";
    std::fs::write(
        &template,
        format!("{{% extends \"base.html\" %}}{{% block main %}}{deep}{{% endblock main %}}"),
    )
    .unwrap();
    let message = "Die Seite /impressum/ verschachtelt mehr als 300 HTML-Elemente ineinander; so tief kann sie nicht verarbeitet werden.";
    let hint = "Prüfen Sie im Template „page.html“ und den Shortcodes in content/impressum.md Schleifen und Makros, die Elemente öffnen, und schließen Sie jedes Element wieder (z. B. mit </div>).";
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "themes/mitnutzung/templates/page.html:1:1: Fehler[too-deep]: {message}\n"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("Hinweis: {hint}\n")),
        "{}",
        run.stderr
    );
    assert_no_staging_dirs(site.path());
    let check = mitnutzung(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    // `check` reports it in the same words as `build`.
    pretty_assertions::assert_eq!(
        check.stderr,
        run.stderr.replace(
            "Abgebrochen: 1 Fehler; public/ bleibt unverändert.\n",
            "Prüfung: 1 Fehler, 0 Warnungen.\n"
        )
    );
}
