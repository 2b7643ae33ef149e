//! The bundled Mitnutzungsportal (the repository root is the site): it builds
//! cleanly, has every page the format and the guide call for, keeps its
//! promises about LeiKa keys, downloads and internal data, and every internal
//! link resolves.

use std::path::Path;
use std::sync::OnceLock;

use crate::common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `build` of the bundled site into `out`, with `extra` options.
fn build_bundled(out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "build",
        "--root",
        repo().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    mitnutzung(&args)
}

/// The default site, built once for all tests of this file.
fn public() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let run = build_bundled(&dir.path().join("public"), &[]);
        assert_eq!(run.code, 0, "default site must build:\n{}", run.stderr);
        assert!(!run.stderr.contains("Fehler"), "{}", run.stderr);
        dir
    })
    .path()
}

fn page(rel: &str) -> String {
    read(&public().join("public"), rel)
}

#[test]
fn has_the_four_steps_services_and_mandatory_pages() {
    for rel in [
        "index.html",
        "schritte/index.html",
        "schritte/vorbereitung/index.html",
        "schritte/informationen-hinterlegen/index.html",
        "schritte/fragebogen-ausfuellen/index.html",
        "schritte/in-betrieb-nehmen/index.html",
        "dienste/index.html",
        "dienste/beistandschaft/index.html",
        "dienste/hilfen-zur-erziehung/index.html",
        "status/index.html",
        "status.csv",
        "status.json",
        "impressum/index.html",
        "datenschutz/index.html",
        "barrierefreiheit/index.html",
        "leichte-sprache/index.html",
        "gebaerdensprache/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(public().join("public").join(rel).is_file(), "{rel} missing");
    }
}

/// The keys `leikas.yaml` marks `confirmed: false`.
fn unconfirmed_keys() -> Vec<String> {
    let catalogue = std::fs::read_to_string(repo().join("content/daten/leikas.yaml")).unwrap();
    let mut keys = Vec::new();
    let mut key = None;
    for line in catalogue.lines() {
        if let Some(k) = line.strip_prefix("- key: ") {
            key = Some(k.trim_matches('"').to_string());
        } else if line.trim() == "confirmed: false" {
            keys.extend(key.take());
        }
    }
    keys
}

#[test]
fn no_page_presents_an_unconfirmed_key_as_a_services_key() {
    let unconfirmed = unconfirmed_keys();
    assert_eq!(unconfirmed, ["99072002077000"], "the guide's example key");
    let public = public().join("public");
    let mut pages_with_the_example = Vec::new();
    for file in files_below(&public) {
        let Ok(text) = std::fs::read_to_string(public.join(&file)) else {
            continue;
        };
        for key in &unconfirmed {
            let at: Vec<usize> = text.match_indices(key.as_str()).map(|(i, _)| i).collect();
            if at.is_empty() {
                continue;
            }
            assert_eq!(at.len(), 1, "{file} names {key} more than once");
            let after = &text[at[0]..(at[0] + 120).min(text.len())];
            assert!(
                after.contains("(Beispielschlüssel aus der Anleitung; ob er zu einem der Dienste gehört, ist nicht bestätigt)"),
                "{file} names {key} without saying it is the guide's example: {after}"
            );
            assert!(
                !text.contains(&format!("leistung/{key}")),
                "{file} links {key}"
            );
            pages_with_the_example.push(file.clone());
        }
    }
    pages_with_the_example.sort();
    assert_eq!(
        pages_with_the_example,
        [
            "dienste/beistandschaft/index.html",
            "dienste/hilfen-zur-erziehung/index.html",
            "schritte/informationen-hinterlegen/index.html",
        ],
        "only step 2's explanation of the Servicesuche shows the example"
    );
    for (service, mailbox) in [
        (
            "beistandschaft",
            "beistandschaft@betriebskoordination.bremen.de",
        ),
        ("hilfen-zur-erziehung", "hze@betriebskoordination.bremen.de"),
    ] {
        let html = page(&format!("dienste/{service}/index.html"));
        let shown = mailbox.replace('@', "<wbr>@").replace('.', "<wbr>.");
        let pending = format!("<p class=leika-pending>Noch nicht festgelegt – erfragen Sie die Schlüssel unter <a class=kern-link href=mailto:{mailbox}>{shown}</a>.");
        assert!(html.contains(&pending), "{service}: {pending}");
    }
}

#[test]
fn no_invented_leika_keys() {
    let catalogue = std::fs::read_to_string(repo().join("content/daten/leikas.yaml")).unwrap();
    let public = public().join("public");
    for file in files_below(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = std::fs::read_to_string(public.join(&file)).unwrap();
        let bytes = html.as_bytes();
        for (i, _) in html.match_indices("99") {
            let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            let preceded = i > 0 && bytes[i - 1].is_ascii_digit();
            if run == 14 && !preceded {
                let key = &html[i..i + 14];
                assert!(
                    catalogue.contains(key),
                    "{file} shows {key}, which is not in leikas.yaml"
                );
            }
        }
    }
}

#[test]
fn questionnaires_are_generated_workbooks_linked_from_their_services() {
    for service in ["beistandschaft", "hilfen-zur-erziehung"] {
        let name = format!("anbindungsfragebogen-{service}.xlsx");
        assert!(
            !repo().join("content/downloads").join(&name).exists(),
            "{name} is generated, not committed"
        );
        let published = std::fs::read(public().join("public/downloads").join(&name)).unwrap();
        assert!(
            published.starts_with(b"PK\x03\x04"),
            "{name} is a zip container"
        );
        let text = String::from_utf8_lossy(&published);
        assert!(
            text.contains("xl/workbook.xml") && text.contains("[Content_Types].xml"),
            "{name} is an XLSX workbook"
        );
        let page = page(&format!("dienste/{service}/index.html"));
        assert!(page.contains(&format!("downloads/{name}")), "{service}");
        assert!(page.contains("XLSX"));
    }
}

#[test]
fn internal_data_never_reaches_public() {
    let mut secrets = Vec::new();
    for entry in std::fs::read_dir(repo().join("content/kommunen")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("internal:") {
                inside = true;
                continue;
            }
            if inside && !line.starts_with(' ') && !line.trim().is_empty() {
                inside = false;
            }
            if inside {
                for part in line.split([':', ',', '{', '}', '[', ']']).map(str::trim) {
                    if part.len() > 6 && !["contacts", "fachlich", "technisch"].contains(&part) {
                        secrets.push(part.trim_matches('"').to_string());
                    }
                }
            }
        }
    }
    assert!(
        !secrets.is_empty(),
        "the default site should prove the internal rule with some internal data"
    );
    let public = public().join("public");
    for file in files_below(&public) {
        let text =
            String::from_utf8_lossy(&std::fs::read(public.join(&file)).unwrap()).into_owned();
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "internal value {secret:?} appears in {file}"
            );
        }
    }
}

#[test]
fn status_page_marks_example_data_and_matches_the_csv() {
    let status = page("status/index.html");
    // Every bundled municipality is an example: one sentence, no badge per row.
    assert!(status.contains("Alle Einträge dieser Übersicht sind Beispieldaten."));
    assert!(!status.contains("example-tag"), "no badge per row");
    assert!(status.contains("Die Einträge pflegt die Betriebskoordination Bremen."));
    assert!(
        !status.contains("freien Weiterverwendung"),
        "no licence claim without a source"
    );
    let csv = page("status.csv");
    let rows = csv.lines().count() - 1;
    assert!(rows >= 5, "a handful of example municipalities");
    for line in csv.lines().skip(1) {
        let municipality = line.split(',').nth(1).unwrap().trim_matches('"');
        assert!(
            status.contains(municipality),
            "{municipality} missing on the status page"
        );
    }
}

#[test]
fn every_internal_link_resolves() {
    assert_internal_links_resolve(&public().join("public"), "/");
}

/// Published under a sub-path, the bundled site builds without errors: a
/// root-relative address in its Markdown (`[Stand der Anbindung](/status/)`)
/// names a page of the site and is written below the sub-path.
#[test]
fn builds_under_a_sub_path_with_every_link_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = build_bundled(&out, &["--base-url", "https://www.example.de/portal/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("Fehler"), "{}", run.stderr);
    let home = read(&out, "index.html");
    // minified: attribute values without quotes
    assert!(
        home.contains("Seite <a href=/portal/status/>Stand der Anbindung</a>"),
        "{home}"
    );
    assert!(!home.contains("href=/status/"), "{home}");
    assert_internal_links_resolve(&out, "/portal/");
}

#[test]
fn pages_declare_german_and_load_nothing_from_elsewhere() {
    let public = public().join("public");
    for file in files_below(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = std::fs::read_to_string(public.join(&file)).unwrap();
        assert!(
            html.contains("lang=\"de\"") || html.contains("lang=de"),
            "{file} lacks lang=de"
        );
        for src in attribute_values(&html, "src") {
            assert!(
                !src.starts_with("http") && !src.starts_with("//"),
                "{file} loads {src}"
            );
        }
        for tag in html.split("<link").skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            if tag.contains("stylesheet") || tag.contains("preload") || tag.contains("icon") {
                assert!(
                    !tag.contains("href=\"http") && !tag.contains("href=http"),
                    "{file}: external {tag}"
                );
            }
        }
    }
}

#[test]
fn the_status_summary_is_also_a_chart_with_its_numbers_in_text() {
    let status = page("status/index.html");
    let svg = &status[status.find("<svg").expect("inline SVG chart")..];
    assert!(
        svg.contains("status-chart__svg")
            && (svg.contains("role=img") || svg.contains("role=\"img\""))
    );
    let desc = status.split("<desc").nth(1).unwrap();
    assert!(desc.contains("Beistandschaft: 1 Informationen hinterlegen, 1 Fragebogen ausfüllen, 3 Live, 1 Pausiert."), "{desc}");
    assert!(
        status.contains("summary-table"),
        "and the numbers as a table"
    );
}

#[test]
fn the_official_site_bar_names_the_operator_and_the_home_page_leads_to_the_services() {
    let home = page("index.html");
    assert!(home.contains(
        "<span class=kern-kopfzeile__label>Offizielle Website – Freie Hansestadt Bremen</span>"
    ));
    assert!(home.contains("<h1 id=onlinedienste-fuer-familie-kind-aus-bremen-nachnutzen>Onlinedienste für Familie & Kind aus Bremen nachnutzen</h1>"));
    let entry = home
        .split_once("<h2 class=home-entry__title id=start_einstieg>Welchen Dienst möchten Sie anbinden?</h2>")
        .expect("the primary entry")
        .1;
    let entry = &entry[..entry.find("</section>").unwrap()];
    for service in ["beistandschaft", "hilfen-zur-erziehung"] {
        assert!(
            entry.contains(&format!("href=/dienste/{service}/")),
            "{service}: {entry}"
        );
    }
    assert!(
        !home.contains("über die Navigation"),
        "links, not 'über die Navigation erreichbar'"
    );
}

#[test]
fn what_no_source_says_is_shown_as_unknown_and_examples_and_templates_are_labelled() {
    for (service, users) in [
        ("beistandschaft", "6 Kommunen, davon 3 live (Beispieldaten)"),
        (
            "hilfen-zur-erziehung",
            "4 Kommunen, davon 0 live (Beispieldaten)",
        ),
    ] {
        let html = page(&format!("dienste/{service}/index.html"));
        let facts = html
            .split_once("<dt>Kontaktformular im Dienst</dt>")
            .unwrap()
            .1;
        assert!(
            facts.starts_with("<dd>noch zu klären – fragen Sie"),
            "{service}: {}",
            &facts[..80]
        );
        assert!(html.contains(users), "{service}: {users}");
        assert!(html.contains("Vorlage – bitte mit der Betriebskoordination abstimmen."));
        assert!(
            !html.contains("Nein</dd>"),
            "{service} says Nein without a source"
        );
    }
    let services = page("dienste/index.html");
    assert_eq!(services.matches("(Beispieldaten)").count(), 2);
    let faq = page("haeufige-fragen/index.html");
    assert_eq!(
        faq.matches("<em>Quelle: ").count(),
        faq.matches("<h2 ").count(),
        "every answer names its source"
    );
}

/// Every feed of the bundled site reads without error in feedparser.
#[test]
fn every_feed_parses_with_feedparser() {
    let public = public().join("public");
    let feeds: Vec<String> = files_below(&public)
        .into_iter()
        .filter(|f| f.ends_with("atom.xml"))
        .collect();
    assert_eq!(
        feeds,
        [
            "aktuelles/atom.xml",
            "dienste/beistandschaft/atom.xml",
            "dienste/hilfen-zur-erziehung/atom.xml",
            "status/atom.xml"
        ]
    );
    for rel in feeds {
        let parsed = crate::news::feed(&public.join(&rel));
        assert_eq!(parsed["bozo"], false, "{rel}: {}", parsed["bozo_exception"]);
        assert!(!parsed["entries"].as_array().unwrap().is_empty(), "{rel}");
    }
}
