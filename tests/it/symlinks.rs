//! Symbolic links in a site are never followed, by `build` or `check`: each
//! one is a `symlink-ignored` warning naming the link, and nothing from its
//! target is read, quoted or published.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::*;

const SECRET: &str = "GEHEIM-7f3a";

/// The minimal site with a link for a municipality, a download and a theme
/// template, each pointing at a file outside the site.
fn site_with_links() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("custom-theme"), site.path());
    let outside = tempfile::tempdir().unwrap();
    let yaml = outside.path().join("fremd.yaml");
    std::fs::write(&yaml, format!("name: {SECRET}\nstate: Bremen\n")).unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let root = site.path();
    symlink(&yaml, root.join("content/kommunen/fremd.yaml")).unwrap();
    symlink(&secret, root.join("content/downloads/liste.xlsx")).unwrap();
    symlink(&secret, root.join("themes/mitnutzung/templates/extra.html")).unwrap();
    (site, outside)
}

fn warning(path: &str) -> String {
    format!("{path}:1:1: Warnung[symlink-ignored]: Dies ist ein symbolischer Link. Links werden nicht verfolgt: sein Ziel wird weder gelesen noch veröffentlicht.\n  Hinweis: Legen Sie an dieser Stelle eine echte Datei (eine Kopie) oder einen echten Ordner an, oder entfernen Sie den Link.")
}

#[test]
fn build_warns_about_every_link_and_publishes_nothing_of_their_targets() {
    let (site, _outside) = site_with_links();
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for path in [
        "content/downloads/liste.xlsx",
        "content/kommunen/fremd.yaml",
        "themes/mitnutzung/templates/extra.html",
    ] {
        assert!(
            run.stderr.contains(&warning(path)),
            "no warning for {path}:\n{}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    let public = site.path().join("public");
    assert!(!public.join("downloads/liste.xlsx").exists());
    for file in files_below(&public) {
        let bytes = std::fs::read(public.join(&file)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{file} holds the link's target"
        );
    }
}

#[test]
fn check_reports_the_same_links() {
    let (site, _outside) = site_with_links();
    let run = mitnutzung(&[
        "check",
        "--root",
        site.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut linked: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "symlink-ignored")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    linked.sort();
    assert_eq!(
        linked,
        [
            "content/downloads/liste.xlsx",
            "content/kommunen/fremd.yaml",
            "themes/mitnutzung/templates/extra.html"
        ]
    );
    assert!(!run.stdout.contains(SECRET));
}

#[test]
fn a_linked_theme_folder_is_not_followed() {
    let site = fixture_site("minimal");
    let theme = tempfile::tempdir().unwrap();
    copy_tree(
        &fixtures().join("custom-theme/themes/mitnutzung"),
        theme.path(),
    );
    std::fs::create_dir_all(site.path().join("themes")).unwrap();
    symlink(theme.path(), site.path().join("themes/mitnutzung")).unwrap();
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&warning("themes/mitnutzung")),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&site.path().join("public/eigen.css")).exists());
}
