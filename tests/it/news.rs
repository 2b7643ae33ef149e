//! "Aktuelles", feeds and the A–Z index on a fixture site: the news list is
//! paginated (10 a page), the home page shows the newest three, a service
//! page names the news that list it; every feed parses with feedparser
//! (`tests/feeds/read_feed.py`) without errors, with the expected entries,
//! ids from `site.yaml`'s host also under `--base-url`, and the same bytes
//! in two builds; `/suche/` lists every service and step without JavaScript.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::*;

/// The feed as feedparser reads it (`tests/feeds/read_feed.py`).
pub(crate) fn feed(file: &Path) -> Value {
    let out = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feeds/read_feed.py"))
        .arg(file)
        .output()
        .expect("python3 runs (.ci/run installs feedparser)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The minimal site with twelve news items, 2026-10-01 … 2026-10-12; the
/// twelfth names the service alpha, every even one is an example.
fn with_news() -> tempfile::TempDir {
    let site = fixture_site("minimal");
    for day in 1..=12 {
        let services = if day == 12 { "services: [alpha]\n" } else { "" };
        let example = if day % 2 == 0 { "example: true\n" } else { "" };
        let text = format!("---\ntitle: Meldung {day} & <Test>\ndescription: Kurz zu Meldung {day}.\ndate: 2026-10-{day:02}\n{services}{example}---\nText {day}.\n");
        write(
            site.path(),
            &format!("content/aktuelles/2026-10-{day:02}-meldung-{day}.md"),
            &text,
        );
    }
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn the_news_list_is_paginated_and_the_newest_are_on_home_and_service_pages() {
    let site = with_news();
    let root = site.path();
    let first = read(root, "public/aktuelles/index.html");
    let second = read(root, "public/aktuelles/seite/2/index.html");
    assert!(!root.join("public/aktuelles/seite/3").exists());
    assert_eq!(first.matches("class=\"news-list__item\"").count(), 10);
    assert_eq!(second.matches("class=\"news-list__item\"").count(), 2);
    assert!(
        first.contains(
            "<a class=\"kern-link pagination__step\" href=\"/aktuelles/seite/2/\" rel=\"next\">"
        ),
        "{first}"
    );
    assert!(
        second.contains("href=\"/aktuelles/\" rel=\"prev\""),
        "{second}"
    );
    assert!(second.contains("<span class=\"pagination__current\" aria-current=\"page\"><span class=\"kern-sr-only\">Seite </span>2</span>"));
    assert!(
        first.find("Meldung 12 &amp; &lt;Test&gt;") < first.find("Meldung 11 &amp;"),
        "newest first"
    );
    let home = read(root, "public/index.html");
    for day in [12, 11, 10] {
        assert!(
            home.contains(&format!("/aktuelles/meldung-{day}/")),
            "home shows {day}"
        );
    }
    assert!(!home.contains("/aktuelles/meldung-9/"));
    let alpha = read(root, "public/dienste/alpha/index.html");
    assert!(alpha.contains("<a class=\"kern-link\" href=\"/aktuelles/meldung-12/\">Meldung 12 &amp; &lt;Test&gt;</a> <span class=\"example-tag\">Beispiel</span>"), "{alpha}");
    assert!(!read(root, "public/dienste/beta/index.html").contains("/aktuelles/meldung-12/"));
    let item = read(root, "public/aktuelles/meldung-12/index.html");
    assert!(item.contains("<time datetime=\"2026-10-12\">12.10.2026</time>"));
    assert!(item.contains("Dies ist eine Beispielmeldung"));
    assert!(item.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Aktuelles\" href=\"/aktuelles/atom.xml\">"));
}

#[test]
fn every_feed_parses_with_the_expected_entries_and_stable_ids() {
    let site = with_news();
    let public = site.path().join("public");
    let news = feed(&public.join("aktuelles/atom.xml"));
    assert_eq!(news["bozo"], false, "{}", news["bozo_exception"]);
    assert_eq!(news["version"], "atom10");
    assert_eq!(news["id"], "tag:test.example.de,2026:aktuelles");
    assert_eq!(news["author"], "Testportal");
    assert_eq!(news["updated"], "2026-10-12T00:00:00+00:00");
    let entries = news["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 12);
    assert_eq!(
        entries[0]["id"],
        "tag:test.example.de,2026:aktuelles/meldung-12"
    );
    assert_eq!(entries[0]["title"], "Meldung 12 & <Test> (Beispielmeldung)");
    assert_eq!(
        entries[0]["link"],
        "https://test.example.de/aktuelles/meldung-12/"
    );
    assert_eq!(entries[0]["tags"], serde_json::json!(["beispieldaten"]));
    let status = feed(&public.join("status/atom.xml"));
    assert_eq!(status["bozo"], false);
    let titles: Vec<&str> = status["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Musterstadt: Beta-Dienst – Vorbereitung (Beispieldaten)",
            "Beispielhausen: Beta-Dienst – In Betrieb nehmen",
            "Musterstadt: Alpha-Dienst – Live (Beispieldaten)",
            "Musterstadt: Alpha-Dienst – Fragebogen ausfüllen (Beispieldaten)",
            "Musterstadt: Alpha-Dienst – Vorbereitung (Beispieldaten)",
        ]
    );
    assert_eq!(status["updated"], "2026-10-01T00:00:00+00:00");
    let alpha = feed(&public.join("dienste/alpha/atom.xml"));
    let ids: Vec<&str> = alpha["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "tag:test.example.de,2026:aktuelles/meldung-12",
            "tag:test.example.de,2026:status/musterstadt/alpha/live/2026-05-04",
            "tag:test.example.de,2026:status/musterstadt/alpha/questionnaire/2026-02-10",
            "tag:test.example.de,2026:status/musterstadt/alpha/preparation/2025-11-02",
        ]
    );
    // Under a preview address: the same ids, links under the preview.
    let preview = tempfile::tempdir().unwrap();
    let out = preview.path().join("p");
    let run = mitnutzung(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://vorschau.example.org/portal/",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let moved = feed(&out.join("aktuelles/atom.xml"));
    assert_eq!(moved["id"], news["id"]);
    assert_eq!(moved["entries"][0]["id"], news["entries"][0]["id"]);
    assert_eq!(
        moved["entries"][0]["link"],
        "https://vorschau.example.org/portal/aktuelles/meldung-12/"
    );
    // Two builds, the same bytes.
    let again = tempfile::tempdir().unwrap();
    let out2 = again.path().join("q");
    let run = mitnutzung(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for rel in [
        "aktuelles/atom.xml",
        "status/atom.xml",
        "dienste/alpha/atom.xml",
        "dienste/beta/atom.xml",
    ] {
        assert_eq!(
            std::fs::read(public.join(rel)).unwrap(),
            std::fs::read(out2.join(rel)).unwrap(),
            "{rel}"
        );
    }
}

#[test]
fn a_site_without_news_has_an_empty_list_and_feed_dated_by_its_content() {
    let site = fixture_site("minimal");
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        read(site.path(), "public/aktuelles/index.html").contains("<p>Noch keine Meldungen.</p>")
    );
    let news = feed(&site.path().join("public/aktuelles/atom.xml"));
    assert_eq!(news["bozo"], false);
    assert_eq!(news["entries"], serde_json::json!([]));
    // The newest date of the content: the Impressum's `date: 2026-11-01`
    // (newer than any status's `since`).
    assert_eq!(news["updated"], "2026-11-01T00:00:00+00:00");
}

#[test]
fn the_a_z_index_lists_every_service_step_and_keyword_without_javascript() {
    let site = with_news();
    let html = read(site.path(), "public/suche/index.html");
    for (term, url) in [
        ("Alpha-Dienst", "/dienste/alpha/"),
        ("Beta-Dienst", "/dienste/beta/"),
        ("Vorbereitung", "/schritte/vorbereitung/"),
        ("Eintragen", "/schritte/eintragen/"),
        ("Impressum", "/impressum/"),
        ("Meldung 12 &amp; &lt;Test&gt;", "/aktuelles/meldung-12/"),
    ] {
        assert!(
            html.contains(&format!("<a class=\"kern-link\" href=\"{url}\">{term}</a>")),
            "{term}: {html}"
        );
    }
    assert!(html.contains("<h3 id=\"buchstabe-a\" class=\"a-z__letter\">A</h3>"));
    assert!(html.contains("<h4 class=\"a-z__land\">Thüringen</h4>"));
    assert!(html.contains("<a class=\"kern-link\" href=\"/kommunen/musterstadt/\">Musterstadt</a>"));
}

#[test]
fn every_link_of_every_feed_leads_to_a_page_of_the_site() {
    let site = with_news();
    let public = site.path().join("public");
    let feeds = [
        "aktuelles/atom.xml",
        "status/atom.xml",
        "dienste/alpha/atom.xml",
        "dienste/beta/atom.xml",
    ];
    for rel in feeds {
        let parsed = feed(&public.join(rel));
        assert_eq!(parsed["bozo"], false, "{rel}: {}", parsed["bozo_exception"]);
        let mut links: Vec<String> = (parsed["links"].as_array().unwrap().iter())
            .map(|l| l[1].as_str().unwrap().to_string())
            .collect();
        links.extend(
            parsed["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["link"].as_str().unwrap().to_string()),
        );
        assert!(links.len() >= 2, "{rel}");
        for link in links {
            let path = link
                .strip_prefix("https://test.example.de/")
                .unwrap_or_else(|| panic!("{rel}: {link} is not under the base URL"));
            let file = if path.is_empty() || path.ends_with('/') {
                public.join(path).join("index.html")
            } else {
                public.join(path)
            };
            assert!(file.is_file(), "{rel}: {link} leads nowhere");
        }
    }
}

/// Keywords of a page's front matter are entries of the index, each
/// linking to the page that explains it; the page is named beside it.
#[test]
fn keywords_are_entries_of_the_a_z_index() {
    let site = fixture_site("minimal");
    let step = read(site.path(), "content/schritte/02-eintragen.md").replacen(
        "description: LeiKa im PVOG eintragen\n",
        "description: LeiKa im PVOG eintragen\nkeywords: [Portalverbund, Überweisung & <Test>]\n",
        1,
    );
    write(site.path(), "content/schritte/02-eintragen.md", &step);
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(site.path(), "public/suche/index.html");
    assert!(html.contains("<li><a class=\"kern-link\" href=\"/schritte/eintragen/\">Portalverbund</a> <span class=\"a-z__kind\">(Stichwort: Eintragen)</span></li>"), "{html}");
    // sorted under U (Ü as U), escaped
    let u = html
        .split("<h3 id=\"buchstabe-u\"")
        .nth(1)
        .expect("letter U");
    assert!(u.contains(">Überweisung &amp; &lt;Test&gt;</a>"), "{u}");
}

/// A Land with more than 200 municipalities is one link to its part of
/// the status page, so the index page stays small.
#[test]
fn a_land_with_over_200_municipalities_links_to_its_status_page() {
    let site = fixture_site("minimal");
    for n in 0..201 {
        write(
            site.path(),
            &format!("content/kommunen/ort-{n:03}.yaml"),
            &format!("name: Ort {n:03}\nstate: Hessen\nexample: true\nservices:\n  alpha:\n    status: preparation\n    since: 2026-01-05\n"),
        );
    }
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(site.path(), "public/suche/index.html");
    let hessen = html
        .split("<h4 class=\"a-z__land\">Hessen</h4>")
        .nth(1)
        .expect("Hessen");
    let hessen = hessen.split("<h4").next().unwrap();
    assert!(!hessen.contains("/kommunen/ort-"), "{hessen}");
    let link = hessen
        .split("href=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .expect("a link to the status page");
    assert!(
        hessen.contains("201 Kommunen: <a class=\"kern-link\" href=\""),
        "{hessen}"
    );
    assert!(link.starts_with("/status/"), "{link}");
    let target = if link.ends_with('/') {
        format!("{link}index.html")
    } else {
        link.to_string()
    };
    let status = read(&site.path().join("public"), &target[1..]);
    assert!(
        status.contains("Ort 200"),
        "the linked page lists the municipalities"
    );
    // Thüringen, with one, is still listed by name.
    assert!(html.contains("<a class=\"kern-link\" href=\"/kommunen/musterstadt/\">Musterstadt</a>"));
}
