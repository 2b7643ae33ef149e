//! Building real fixture sites in temp dirs and checking what lands in
//! `public/`: pages, per-service context, open data, downloads, determinism,
//! atomic replacement, sub-path base URLs, drafts, aliases, escaping.

use crate::common::*;

fn built_minimal(extra: &[&str]) -> tempfile::TempDir {
    let site = fixture_site("minimal");
    let run = build(site.path(), extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

#[test]
fn minimal_site_has_every_output_of_the_format() {
    let site = built_minimal(&[]);
    // Every file, so that a missing one, a stray one and the draft all fail.
    assert_eq!(
        files_below(&site.path().join("public")),
        [
            ".mitnutzung-build",
            "404.html",
            "aktuelles/atom.xml",
            "aktuelles/index.html",
            "alt/impressum/index.html",
            "css/print.css",
            "css/site.css",
            "css/syntax.css",
            "dienste/alpha/atom.xml",
            "dienste/alpha/index.html",
            "dienste/beta/atom.xml",
            "dienste/beta/index.html",
            "dienste/index.html",
            "downloads/fragebogen-alpha.xlsx",
            "downloads/fragebogen-beta.xlsx",
            "impressum/index.html",
            "index.html",
            "js/checklist.js",
            "js/fragebogen.js",
            "js/status.js",
            "js/suche.js",
            "kern/LICENSE.md",
            "kern/VERSION",
            "kern/fonts/OFL.txt",
            "kern/fonts/fira-sans.css",
            "kern/fonts/fira-sans/FiraSans-Bold.woff2",
            "kern/fonts/fira-sans/FiraSans-BoldItalic.woff2",
            "kern/fonts/fira-sans/FiraSans-Italic.woff2",
            "kern/fonts/fira-sans/FiraSans-Light.woff2",
            "kern/fonts/fira-sans/FiraSans-LightItalic.woff2",
            "kern/fonts/fira-sans/FiraSans-Medium.woff2",
            "kern/fonts/fira-sans/FiraSans-MediumItalic.woff2",
            "kern/fonts/fira-sans/FiraSans-Regular.woff2",
            "kern/fonts/fira-sans/FiraSans-SemiBold.woff2",
            "kern/fonts/fira-sans/FiraSans-SemiBoldItalic.woff2",
            "kern/kern.min.css",
            "kommunen/beispielhausen/index.html",
            "kommunen/musterstadt/index.html",
            "robots.txt",
            "schritte/eintragen/index.html",
            "schritte/index.html",
            "schritte/vorbereitung/index.html",
            "sitemap.xml",
            "status.csv",
            "status.json",
            "status/atom.xml",
            "status/index.html",
            "suche/index.html",
            "vendor/fflate/LICENSE",
            "vendor/fflate/VERSION",
            "vendor/fflate/fflate.min.js",
        ]
    );
}

#[test]
fn service_page_renders_every_step_in_its_own_context() {
    let site = built_minimal(&[]);
    let alpha = read(site.path(), "public/dienste/alpha/index.html");
    let beta = read(site.path(), "public/dienste/beta/index.html");
    assert!(
        alpha.contains("99000000001000") && !alpha.contains("99000000002000"),
        "alpha shows only its LeiKa"
    );
    assert!(
        beta.contains("99000000002000") && !beta.contains("99000000001000"),
        "beta shows only its LeiKa"
    );
    for (page, own, other) in [
        (&alpha, "alpha@test.example.de", "beta@"),
        (&beta, "beta@test.example.de", "alpha@"),
    ] {
        assert!(page.contains(own), "mailbox shortcode in service context");
        assert!(!page.contains(other));
        assert!(
            page.contains("Ansprechperson festlegen") && page.contains("Eintragung in das PVOG"),
            "all steps present"
        );
    }
    assert!(
        alpha.contains("Alpha braucht ein eigenes Postfach."),
        "the service's own body"
    );
    assert!(
        alpha.contains("/kommunen/musterstadt/"),
        "municipalities using it"
    );
    assert!(!beta.contains("Alpha braucht"));
    let step = read(site.path(), "public/schritte/eintragen/index.html");
    assert!(
        step.contains("99000000001000") && step.contains("99000000002000"),
        "generic step shows every service"
    );
}

#[test]
fn heading_ids_are_german_slugs_and_unique_on_the_service_page() {
    let site = built_minimal(&[]);
    let step = read(site.path(), "public/schritte/eintragen/index.html");
    assert!(step.contains("id=\"groesse-uebersicht\""));
    assert!(step.contains("id=\"pvog\""));
    let alpha = read(site.path(), "public/dienste/alpha/index.html");
    let ids: Vec<&str> = alpha
        .split("id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    // Every id in page order: each step's headings get their own, unique ids.
    assert_eq!(
        ids,
        [
            "kopf_suche",
            "inhalt",
            "dienst_schritte",
            "dienst_eckdaten",
            "dienst_mehr",
            "besonderheiten",
            "vorbereitung",
            "ansprechperson-festlegen",
            "eintragen",
            "pvog",
            "groesse-uebersicht",
            "dienst_kommunen",
            "dienst_kommunen_caption",
        ]
    );
}

#[test]
fn links_and_shortcodes_resolve_but_not_inside_code() {
    let site = built_minimal(&[]);
    let home = read(site.path(), "public/index.html");
    assert!(
        home.contains("href=\"/schritte/eintragen/#pvog\""),
        "{home}"
    );
    let step = read(site.path(), "public/schritte/eintragen/index.html");
    assert!(
        step.contains("{{ leikas() }}"),
        "shortcode inside fenced code stays literal"
    );
    assert!(
        step.contains("class=\"hl-"),
        "code highlighted with classes"
    );
    assert!(step.contains("Team Test"), "contact shortcode");
    let alpha = read(site.path(), "public/dienste/alpha/index.html");
    assert!(alpha.contains("/downloads/fragebogen-alpha.xlsx") && alpha.contains("XLSX"));
}

#[test]
fn status_csv_and_json_hold_the_same_rows() {
    let site = built_minimal(&[]);
    let csv = read(site.path(), "public/status.csv");
    assert_eq!(
        csv,
        "state,municipality,municipality_id,ags,service,service_title,status,status_label,since,example\n\
         Bremen,Beispielhausen,beispielhausen,04011,beta,Beta-Dienst,commissioning,In Betrieb nehmen,2026-09-15,false\n\
         Thüringen,Musterstadt,musterstadt,16052000,alpha,Alpha-Dienst,live,Live,2026-05-04,true\n\
         Thüringen,Musterstadt,musterstadt,16052000,beta,Beta-Dienst,preparation,Vorbereitung,2026-10-01,true\n"
    );
    let json_text = read(site.path(), "public/status.json");
    assert_eq!(
        json_text,
        r#"{
  "rows": [
    {
      "state": "Bremen",
      "municipality": "Beispielhausen",
      "municipality_id": "beispielhausen",
      "ags": "04011",
      "service": "beta",
      "service_title": "Beta-Dienst",
      "status": "commissioning",
      "status_label": "In Betrieb nehmen",
      "since": "2026-09-15",
      "example": false
    },
    {
      "state": "Thüringen",
      "municipality": "Musterstadt",
      "municipality_id": "musterstadt",
      "ags": "16052000",
      "service": "alpha",
      "service_title": "Alpha-Dienst",
      "status": "live",
      "status_label": "Live",
      "since": "2026-05-04",
      "example": true
    },
    {
      "state": "Thüringen",
      "municipality": "Musterstadt",
      "municipality_id": "musterstadt",
      "ags": "16052000",
      "service": "beta",
      "service_title": "Beta-Dienst",
      "status": "preparation",
      "status_label": "Vorbereitung",
      "since": "2026-10-01",
      "example": true
    }
  ]
}
"#
    );
    let json: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for (record, row) in reader
        .deserialize::<std::collections::BTreeMap<String, String>>()
        .zip(rows)
    {
        for (key, value) in record.unwrap() {
            let json_value = match &row[&key] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(value, json_value, "column {key}");
        }
    }
    let status = read(site.path(), "public/status/index.html");
    for cell in [
        "Beispielhausen",
        "Musterstadt",
        "In Betrieb nehmen",
        "04.05.2026",
        "Thüringen",
    ] {
        assert!(status.contains(cell), "status page lacks {cell}");
    }
    let municipality = read(site.path(), "public/kommunen/musterstadt/index.html");
    assert!(
        municipality.contains("02.11.2025") && municipality.contains("10.02.2026"),
        "history shown"
    );
}

#[test]
fn nothing_internal_reaches_any_output_file() {
    let site = built_minimal(&[]);
    let public = site.path().join("public");
    for file in files_below(&public) {
        let bytes = std::fs::read(public.join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "GEHEIMNOTIZ-4711",
            "geheim@intern.example",
            "Geheime Person",
        ] {
            assert!(!text.contains(secret), "{secret} leaked into {file}");
        }
        assert!(
            !text.contains("__mitnutzung"),
            "the preview's reload script leaked into {file}"
        );
    }
}

#[test]
fn downloads_are_published_byte_for_byte() {
    let site = built_minimal(&[]);
    for name in ["fragebogen-alpha.xlsx", "fragebogen-beta.xlsx"] {
        let source = std::fs::read(site.path().join("content/downloads").join(name)).unwrap();
        let published = std::fs::read(site.path().join("public/downloads").join(name)).unwrap();
        assert_eq!(source, published);
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = built_minimal(&[]);
    let b = built_minimal(&[]);
    let files = files_below(&a.path().join("public"));
    assert_eq!(files, files_below(&b.path().join("public")));
    for f in files {
        let x = std::fs::read(a.path().join("public").join(&f)).unwrap();
        let y = std::fs::read(b.path().join("public").join(&f)).unwrap();
        assert!(x == y, "{f} differs between builds");
    }
}

#[test]
fn a_rebuild_leaves_no_stale_files() {
    let site = built_minimal(&[]);
    std::fs::remove_file(site.path().join("content/impressum.md")).unwrap();
    assert_eq!(build(site.path(), &[]).code, 0);
    assert!(!site.path().join("public/impressum").exists());
    assert!(!site.path().join("public/alt").exists());
}

#[test]
fn a_failed_build_leaves_public_untouched() {
    let site = built_minimal(&[]);
    let before = files_below(&site.path().join("public"));
    let index = read(site.path(), "public/index.html");
    write(
        site.path(),
        "content/index.md",
        "---\ntitle: Neu\n---\n[kaputt](@/fehlt.md)\n",
    );
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(files_below(&site.path().join("public")), before);
    assert_eq!(read(site.path(), "public/index.html"), index);
}

#[test]
fn sub_path_base_url_prefixes_every_internal_url() {
    let site = built_minimal(&["--base-url", "https://host.example/portal/"]);
    let home = read(site.path(), "public/index.html");
    assert!(
        home.contains("href=\"/portal/schritte/eintragen/#pvog\""),
        "{home}"
    );
    let alpha = read(site.path(), "public/dienste/alpha/index.html");
    assert!(alpha.contains("/portal/downloads/fragebogen-alpha.xlsx"));
    assert!(alpha.contains("/portal/kommunen/musterstadt/"));
    let sitemap = read(site.path(), "public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://host.example/portal/dienste/alpha/</loc>"));
    assert_eq!(
        read(site.path(), "public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://host.example/portal/sitemap.xml\n"
    );
    let alias = read(site.path(), "public/alt/impressum/index.html");
    assert!(alias.contains("https://host.example/portal/impressum/"));
    assert_internal_links_resolve(&site.path().join("public"), "/portal/");
    for file in files_below(&site.path().join("public"))
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        let html = read(site.path(), &format!("public/{file}"));
        for attr in ["href=\"/", "src=\"/"] {
            for hit in html.match_indices(attr) {
                let rest = &html[hit.0 + attr.len() - 1..];
                assert!(
                    rest.starts_with("/portal/"),
                    "{file}: root-relative URL without base path: {}",
                    &rest[..rest.len().min(60)]
                );
            }
        }
    }
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = built_minimal(&["--drafts"]);
    assert!(site.path().join("public/entwurf/index.html").exists());
}

#[test]
fn aliases_redirect_to_the_page() {
    let site = built_minimal(&[]);
    let alias = read(site.path(), "public/alt/impressum/index.html");
    assert_eq!(
        alias,
        "<!DOCTYPE html>
<html lang=\"de\">
<head>
<meta charset=\"utf-8\">
<title>Weiterleitung: Impressum – Testportal</title>
<meta name=\"robots\" content=\"noindex\">
<link rel=\"canonical\" href=\"https://test.example.de/impressum/\">
<meta http-equiv=\"refresh\" content=\"0; url=https://test.example.de/impressum/\">
</head>
<body>
<p>Diese Seite ist umgezogen: <a href=\"https://test.example.de/impressum/\">Impressum</a></p>
</body>
</html>
"
    );
}

/// An alias is written to the file its normalised URL names: `//` counts as
/// `/`, a last `index.html` as the folder; its letter case is kept.
#[test]
fn aliases_are_written_where_their_normalised_url_points() {
    let site = fixture_site("minimal");
    let page = read(site.path(), "content/impressum.md").replace(
        r#"aliases: ["/alt/impressum/"]"#,
        r#"aliases: ["//alt//impressum/index.html", "/Alt-Seite", "/alt.html"]"#,
    );
    write(site.path(), "content/impressum.md", &page);
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [
        "alt/impressum/index.html",
        "Alt-Seite/index.html",
        "alt.html",
    ] {
        let alias = read(site.path(), &format!("public/{file}"));
        assert!(
            alias.contains("https://test.example.de/impressum/"),
            "{file}"
        );
    }
}

/// A file in `content/` replaces the theme's static file of the same path,
/// as documented; it is no collision.
#[test]
fn a_content_file_replaces_the_theme_file_of_the_same_path() {
    let site = fixture_site("minimal");
    write(
        site.path(),
        "content/css/site.css",
        "body { color: black; }\n",
    );
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        read(site.path(), "public/css/site.css"),
        "body { color: black; }\n"
    );
}

#[test]
fn values_are_escaped_in_html() {
    let site = fixture_site("minimal");
    write(site.path(), "content/kommunen/beispielhausen.yaml", "name: \"<script>alert(1)</script> & Co\"\nstate: Bremen\nservices:\n  beta: {status: live, since: 2026-01-01}\n");
    assert_eq!(build(site.path(), &[]).code, 0);
    let status = read(site.path(), "public/status/index.html");
    assert!(!status.contains("<script>alert(1)"));
    assert!(status.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
}

#[test]
fn minify_follows_site_yaml_and_no_minify_flag() {
    let site = fixture_site("minimal");
    assert_eq!(build(site.path(), &[]).code, 0);
    let unminified = read(site.path(), "public/impressum/index.html");
    let config = read(site.path(), "content/site.yaml").replace("minify: false", "minify: true");
    write(site.path(), "content/site.yaml", &config);
    assert_eq!(build(site.path(), &[]).code, 0);
    let minified = read(site.path(), "public/impressum/index.html");
    assert_eq!(build(site.path(), &["--no-minify"]).code, 0);
    let plain = read(site.path(), "public/impressum/index.html");
    // `--no-minify` gives exactly what `minify: false` gives; `minify: true`
    // exactly what minify-html makes of that page.
    assert_eq!(plain, unminified);
    let whole = mitnutzung::output::minify::Minifier::new().whole(plain.as_bytes());
    assert_eq!(minified, String::from_utf8(whole).unwrap());
    assert_ne!(minified, plain);
}

/// The fixture's theme has only some templates (and a `base.html` of its
/// own), one stylesheet over the built-in one and one of its own; the rest
/// comes from the built-in theme.
#[test]
fn a_theme_on_disk_falls_back_to_the_built_in_one_file_by_file() {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("custom-theme"), site.path());
    let run = build(site.path(), &[]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    // A template of the theme on disk.
    assert_eq!(
        read(site.path(), "public/index.html"),
        "<!DOCTYPE html><title>EIGENES THEME</title><main>Startseite<h1 id=\"willkommen\">Willkommen</h1>\n<p>Zuerst <a href=\"/schritte/vorbereitung/\">die Vorbereitung</a>, dann\n<a href=\"/schritte/eintragen/#pvog\">die PVOG-Eintragung</a>.</p>\n</main>\n"
    );
    // The built-in 404.html, extending the theme's own base.html.
    assert_eq!(
        read(site.path(), "public/404.html"),
        "<!DOCTYPE html><title>EIGENES THEME</title><main><h1>Seite nicht gefunden</h1>\n<p class=\"lead\">Unter dieser Adresse gibt es keine Seite. Vielleicht ist sie umgezogen oder die Adresse enthält einen Tippfehler.</p>\n<p>Diese Seiten helfen weiter:</p>\n<ul class=\"link-list\">\n  <li><a class=\"kern-link\" href=\"/\">Startseite</a></li>\n  <li><a class=\"kern-link\" href=\"/schritte/\">Anleitung: Schritt für Schritt zum Onlinedienst</a></li>\n  <li><a class=\"kern-link\" href=\"/dienste/\">Onlinedienste</a></li>\n  <li><a class=\"kern-link\" href=\"/status/\">Stand der Anbindung</a></li>\n</ul></main>\n"
    );
    // The built-in sitemap and robots templates.
    assert_eq!(
        read(site.path(), "public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://test.example.de/sitemap.xml\n"
    );
    // Static files: the theme's over the built-in one of the same path, its
    // own, and the built-in ones it does not replace.
    assert_eq!(
        read(site.path(), "public/css/site.css"),
        "/* Eigenes Stylesheet statt des eingebauten. */\n"
    );
    assert_eq!(
        read(site.path(), "public/eigen.css"),
        "body { color: black; }\n"
    );
    let built_in =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/mitnutzung/static");
    assert_eq!(
        read(site.path(), "public/css/print.css"),
        read(&built_in, "css/print.css")
    );
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(mitnutzung(&["build", "--unbekannt"]).code, 2);
    assert_eq!(mitnutzung(&["bauen"]).code, 2);
    let site = fixture_site("minimal");
    let root = site.path().to_str().unwrap();
    assert_eq!(
        mitnutzung(&["build", "--root", root, "--base-url", "host/portal"]).code,
        2
    );
    assert_eq!(
        mitnutzung(&["build", "--root", "/nonexistent/site"]).code,
        2
    );
    let notes = tempfile::tempdir().unwrap();
    write(notes.path(), "wichtig.txt", "nicht löschen");
    let run = mitnutzung(&[
        "build",
        "--root",
        root,
        "--output",
        notes.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(notes.path().join("wichtig.txt").exists());
}

#[test]
fn warnings_do_not_fail_the_build() {
    let site = fixture_site("minimal");
    let beta = read(site.path(), "content/dienste/beta.md")
        .replace("leikas: [\"99000000002000\"]", "leikas: []");
    write(site.path(), "content/dienste/beta.md", &beta);
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "content/dienste/beta.md:5:9: Warnung[no-leika]: Der Dienst „Beta-Dienst“ hat noch keinen LeiKa-Schlüssel.
  |
5 | leikas: []
  |         ^
  Hinweis: Bis Sie die Schlüssel unter „leikas:“ eintragen, sagt die Seite „noch nicht festgelegt“ und nennt das Postfach des Dienstes.

"
    );
    assert_eq!(
        run.stdout,
        format!(
            "Fertig: 50 Dateien nach {}/public geschrieben (1 Warnung).\n",
            site.path().display()
        )
    );
}

#[test]
fn pages_written_while_rendering_equal_the_in_memory_render() {
    use mitnutzung::output::Contents;
    let site = built_minimal(&[]);
    let options = mitnutzung::model::BuildOptions::default();
    let (files, _) = mitnutzung::pipeline::render_site(site.path(), &options, None).unwrap();
    let mut paths: Vec<String> = files.iter().map(|f| f.path.to_string()).collect();
    paths.push(".mitnutzung-build".into());
    paths.sort();
    assert_eq!(paths, files_below(&site.path().join("public")));
    for file in &files {
        let written = std::fs::read(site.path().join("public").join(&file.path)).unwrap();
        let expected = match &file.contents {
            Contents::Bytes(b) => b.to_vec(),
            Contents::Static(b) => b.to_vec(),
            Contents::Copy(from) => std::fs::read(from).unwrap(),
        };
        assert!(written == expected, "{} differs from the render", file.path);
    }
}

#[test]
fn a_template_error_while_pages_are_written_leaves_public_untouched() {
    let site = built_minimal(&[]);
    let index = read(site.path(), "public/index.html");
    copy_tree(&fixtures().join("custom-theme"), site.path());
    // A runtime error on plain pages only: other pages are written first.
    write(
        site.path(),
        "themes/mitnutzung/templates/page.html",
        "<main>{{ page.title | round }}</main>\n",
    );
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "themes/mitnutzung/templates/page.html:1:1: Fehler[template]: Fehler im Template: Failed to render 'page.html': Filter call 'round' failed: Filter `round` was called on an incorrect value: got `\"Impressum\"` but expected a f64
  |
1 | <main>{{ page.title | round }}</main>
  | ^
  Hinweis: Das Theme ist fehlerhaft; Inhalte sind nicht die Ursache. Prüfen Sie die genannte Template-Stelle.

Abgebrochen: 1 Fehler; public/ bleibt unverändert.
"
    );
    assert_eq!(read(site.path(), "public/index.html"), index);
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.lock")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

/// The site folder as the binary resolves it (no symlinks, absolute).
fn canonical(path: &std::path::Path) -> String {
    std::fs::canonicalize(path)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// A build into `output` is refused: exit 2 and exactly `message` on stderr.
fn assert_refused(site: &std::path::Path, output: &str, message: &str) {
    let run = build(site, &["--output", output]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr, format!("Fehler: {message}\n"));
    assert_eq!(run.stdout, "");
}

/// Every file below `dir` with its contents.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    files_below(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn output_through_dot_dot_into_the_theme_is_refused() {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("custom-theme"), site.path());
    let root = canonical(site.path());
    let templates = site.path().join("themes/mitnutzung/templates");
    let before = snapshot(&templates);
    let output = format!(
        "{}/nonexistent/../themes/mitnutzung/templates",
        site.path().display()
    );
    assert_refused(
        site.path(),
        &output,
        &format!("Der Ausgabeordner {root}/themes/mitnutzung/templates liegt in {root}/themes, bei den Quellen der Site; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen Ordner außerhalb von content/ und themes/ an, z. B. {root}/public."),
    );
    assert_eq!(snapshot(&templates), before);
    assert!(!site.path().join("nonexistent").exists());
    assert!(!site
        .path()
        .join("themes/mitnutzung/.templates.lock")
        .exists());
}

#[test]
fn output_inside_content_is_refused() {
    let site = fixture_site("minimal");
    let root = canonical(site.path());
    let before = snapshot(&site.path().join("content"));
    for output in ["content", "content/downloads", "./public/../content/neu"] {
        let target = std::path::absolute(site.path().join(output)).unwrap();
        let shown = mitnutzung::output::resolve(&target).unwrap().path;
        assert_refused(
            site.path(),
            target.to_str().unwrap(),
            &format!("Der Ausgabeordner {} liegt in {root}/content, bei den Quellen der Site; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen Ordner außerhalb von content/ und themes/ an, z. B. {root}/public.", shown.display()),
        );
    }
    assert_eq!(snapshot(&site.path().join("content")), before);
}

#[test]
fn output_that_is_the_site_or_contains_it_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    let site = parent.path().join("site");
    copy_tree(&fixtures().join("minimal"), &site);
    let root = canonical(&site);
    let above = canonical(parent.path());
    let before = snapshot(parent.path());
    for (output, shown) in [
        (site.to_str().unwrap().to_string(), root.clone()),
        (format!("{}/public/..", site.display()), root.clone()),
        (format!("{}/..", site.display()), above.clone()),
        (format!("{}/nichts/../..", site.display()), above.clone()),
    ] {
        assert_refused(
            &site,
            &output,
            &format!("Der Ausgabeordner {shown} ist der Site-Ordner selbst oder enthält ihn; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen eigenen Ordner an, z. B. {root}/public."),
        );
    }
    assert_eq!(snapshot(parent.path()), before);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_folder_is_refused() {
    let site = built_minimal(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let real = elsewhere.path().join("echt");
    copy_tree(&site.path().join("public"), &real);
    let link = elsewhere.path().join("verweis");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let before = snapshot(&real);
    assert_refused(
        site.path(),
        link.to_str().unwrap(),
        &format!("Der Ausgabeordner {} ist ein symbolischer Link; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output den Ordner selbst an, nicht einen Link darauf.", link.display()),
    );
    assert_eq!(snapshot(&real), before);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn output_naming_a_file_is_refused() {
    let site = fixture_site("minimal");
    let file = site.path().join("notiz.txt");
    std::fs::write(&file, "bleibt").unwrap();
    assert_refused(
        site.path(),
        file.to_str().unwrap(),
        &format!("{}/notiz.txt ist eine Datei, kein Ordner; sie wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen neuen Ordner oder eine frühere Ausgabe von mitnutzung an.", canonical(site.path())),
    );
    assert_eq!(read(site.path(), "notiz.txt"), "bleibt");
}

#[test]
fn a_non_empty_folder_without_the_marker_is_refused() {
    let site = fixture_site("minimal");
    // What an earlier version of mitnutzung wrote: an index.html, no marker.
    write(site.path(), "alt/index.html", "<p>alt</p>");
    write(site.path(), "alt/wichtig.txt", "nicht löschen");
    let before = snapshot(&site.path().join("alt"));
    let out = site.path().join("alt");
    assert_refused(
        site.path(),
        out.to_str().unwrap(),
        &format!("Der Ausgabeordner {}/alt ist nicht leer und enthält keine Ausgabe von mitnutzung (die Datei .mitnutzung-build fehlt); er wird nicht ersetzt.\n  Hinweis: Ist es die Ausgabe einer älteren Version von mitnutzung, leeren Sie den Ordner einmal von Hand; sonst geben Sie mit --output einen anderen Ordner an.", canonical(site.path())),
    );
    assert_eq!(snapshot(&out), before);
    // Emptied once, it is used.
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    assert_eq!(
        build(site.path(), &["--output", out.to_str().unwrap()]).code,
        0
    );
}

#[test]
fn every_build_writes_the_same_marker_and_builds_over_the_last() {
    let site = built_minimal(&[]);
    let marker = "Erzeugt von mitnutzung; dieser Ordner wird bei jedem Build ersetzt.\n";
    assert_eq!(read(site.path(), "public/.mitnutzung-build"), marker);
    let first = snapshot(&site.path().join("public"));
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(snapshot(&site.path().join("public")), first);
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site");
    for _ in 0..2 {
        let run = build(site.path(), &["--output", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(read(&out, ".mitnutzung-build"), marker);
    }
}

/// The folders beside the output that a build made and has not removed.
fn staging_folders(parent: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.neu-") || n.starts_with(".public.alt-"))
        .collect();
    names.sort();
    names
}

/// A staging folder as a build killed with `kill -9` leaves it.
fn dead_staging_folder(site: &std::path::Path, name: &str) {
    write(
        site,
        &format!("{name}/.mitnutzung-build"),
        "Erzeugt von mitnutzung; dieser Ordner wird bei jedem Build ersetzt.\n",
    );
    write(
        site,
        &format!("{name}/dienste/alpha/index.html"),
        "<p>halb</p>",
    );
}

#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let site = built_minimal(&[]);
    dead_staging_folder(site.path(), ".public.neu-tot123");
    dead_staging_folder(site.path(), ".public.alt-4711");
    write(site.path(), ".public.neu-fremd/notiz.txt", "kein Build");
    std::fs::create_dir(site.path().join(".public.neu-leer")).unwrap();
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(staging_folders(site.path()), [".public.neu-fremd"]);
    assert_eq!(
        read(site.path(), ".public.neu-fremd/notiz.txt"),
        "kein Build"
    );
}

#[cfg(unix)]
#[test]
fn a_build_that_holds_the_lock_keeps_its_staging_folder() {
    let site = built_minimal(&[]);
    dead_staging_folder(site.path(), ".public.neu-lebt");
    let before = snapshot(&site.path().join("public"));
    let lock_file = std::fs::File::open(site.path().join(".public.lock")).unwrap();
    rustix::fs::flock(&lock_file, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let root = canonical(site.path());
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("Fehler: Ein anderer Build schreibt gerade nach {root}/public (Sperrdatei {root}/.public.lock); dieser Build ändert nichts.\n  Hinweis: Starten Sie den Build erneut, wenn der andere fertig ist.\n")
    );
    assert_eq!(staging_folders(site.path()), [".public.neu-lebt"]);
    assert_eq!(snapshot(&site.path().join("public")), before);
    drop(lock_file);
    assert_eq!(build(site.path(), &[]).code, 0);
    assert!(staging_folders(site.path()).is_empty());
}

/// The minimal site with `pages` more pages, so that a build takes a while.
fn big_site(pages: usize) -> tempfile::TempDir {
    let site = fixture_site("minimal");
    let paragraph =
        "Ein Absatz mit **Text**, einer [Verknüpfung](@/impressum.md) und `Code`.\n\n".repeat(30);
    for i in 0..pages {
        write(
            site.path(),
            &format!("content/seiten/seite-{i:05}.md"),
            &format!("---\ntitle: Seite {i}\n---\n# Seite {i}\n\n{paragraph}"),
        );
    }
    site
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_build_removes_its_staging_folder() {
    use std::time::{Duration, Instant};
    let site = big_site(6000);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
        .args(["build", "--root", site.path().to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while staging_folders(site.path()).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no staging folder appeared"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended too early"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert_eq!(stderr, "Abgebrochen (SIGTERM): Der halb geschriebene Build wurde entfernt; die vorige Ausgabe bleibt unverändert.\n");
    assert!(staging_folders(site.path()).is_empty());
    assert!(!site.path().join("public").exists());
}

/// Where permissions bind (not as root), an old copy that cannot be removed
/// is a warning: the new site is live, exit 0. (As root, the unit test
/// `output::tests::a_failed_removal_of_the_old_copy_still_commits` covers it.)
#[cfg(unix)]
#[test]
fn an_old_copy_that_cannot_be_removed_is_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let site = built_minimal(&[]);
    let locked = site.path().join("public/kommunen");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // As root (CI) permissions do not bind: build as the unprivileged user
    // `nobody` instead (util-linux `setpriv`), owning the site's folder.
    let as_root = std::fs::write(locked.join("probe"), "x").is_ok();
    let run = if as_root {
        std::fs::remove_file(locked.join("probe")).unwrap();
        build_as_nobody(site.path())
    } else {
        build(site.path(), &[])
    };
    let left = staging_folders(site.path());
    for dir in &left {
        let _ = std::fs::set_permissions(
            site.path().join(dir).join("kommunen"),
            std::fs::Permissions::from_mode(0o755),
        );
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(left.len(), 1, "{left:?}");
    let old = format!("{}/{}", canonical(site.path()), left[0]);
    assert_eq!(
        run.stderr,
        format!("Warnung: Die neue Ausgabe ist vollständig, aber die alte Kopie {old} ließ sich nicht entfernen ({old}/kommunen: Permission denied (os error 13)).\n  Hinweis: Der nächste Build versucht es erneut; Sie können den Ordner auch von Hand löschen.\n\n")
    );
    assert_eq!(
        run.stdout,
        format!(
            "Fertig: 50 Dateien nach {}/public geschrieben (1 Warnung).\n",
            site.path().display()
        )
    );
    assert_eq!(build(site.path(), &[]).code, 0);
    assert!(staging_folders(site.path()).is_empty());
}

/// `build` run as uid/gid 65534 after giving the site's folder to that user.
fn build_as_nobody(root: &std::path::Path) -> Run {
    let chown = std::process::Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(root)
        .status()
        .unwrap();
    assert!(chown.success());
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_mitnutzung"))
        .args(["build", "--root"])
        .arg(root)
        .output()
        .expect("setpriv (util-linux) runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let site = fixture_site("minimal");
    write(site.path(), "content/kommunen/beispielhausen.yaml", "name: \"=HYPERLINK(\\\"https://x.example\\\",\\\"Klick\\\")\"\nstate: Bremen\nags: \"04011\"\nservices:\n  beta: {status: live, since: 2026-01-01}\n");
    write(
        site.path(),
        "content/kommunen/musterstadt.yaml",
        &read(site.path(), "content/kommunen/musterstadt.yaml")
            .replace("name: Musterstadt", "name: \"@SUMME(A1)\""),
    );
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = read(site.path(), "public/status.csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(
        rows,
        [
            "Bremen,\"'=HYPERLINK(\"\"https://x.example\"\",\"\"Klick\"\")\",beispielhausen,04011,beta,Beta-Dienst,live,Live,2026-01-01,false",
            "Thüringen,'@SUMME(A1),musterstadt,16052000,alpha,Alpha-Dienst,live,Live,2026-05-04,true",
            "Thüringen,'@SUMME(A1),musterstadt,16052000,beta,Beta-Dienst,preparation,Vorbereitung,2026-10-01,true",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(site.path(), "public/status.json")).unwrap();
    assert_eq!(
        json["rows"][0]["municipality"],
        "=HYPERLINK(\"https://x.example\",\"Klick\")"
    );
    assert_eq!(json["rows"][1]["municipality"], "@SUMME(A1)");
}
#[test]
fn published_minimal_site_holds_no_script_urls() {
    let site = built_minimal(&[]);
    let public = site.path().join("public");
    for rel in files_below(&public) {
        let Ok(text) = std::fs::read_to_string(public.join(&rel)) else {
            continue; // binary downloads
        };
        let lower = text.to_ascii_lowercase();
        for scheme in ["javascript:", "vbscript:", "data:text/html"] {
            assert!(!lower.contains(scheme), "{rel} contains {scheme}");
        }
    }
}

#[test]
fn unsafe_raw_html_is_a_warning_in_build_too() {
    let site = fixture_site("minimal");
    apply_scenario(&fixtures().join("check/unsafe-html"), site.path());
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // All seven warnings, word for word (the scenario's `check` report is expected.json).
    let expected = fixtures().join("check/unsafe-html/build-stderr.txt");
    assert_eq!(run.stderr, std::fs::read_to_string(expected).unwrap());
    let page = read(site.path(), "public/impressum/index.html");
    assert!(
        page.contains("onmouseover"),
        "raw HTML stays passed through"
    );
}

#[test]
fn pages_with_status_data_say_how_current_it_is() {
    let site = built_minimal(&[]);
    // The newest `since` of any municipality's entries (2026-10-01), not the build's day.
    let line = "<p class=\"data-date\">Stand der Daten: <time datetime=\"2026-10-01\">01.10.2026</time> (jüngster Eintrag)</p>";
    for page in [
        "public/status/index.html",
        "public/dienste/index.html",
        "public/dienste/alpha/index.html",
        "public/kommunen/musterstadt/index.html",
    ] {
        let html = read(site.path(), page);
        assert_eq!(html.matches(line).count(), 1, "{page}");
    }
    let home = read(site.path(), "public/index.html");
    assert!(
        !home.contains("Stand der Daten"),
        "only where status data is shown"
    );
}

#[test]
fn the_official_site_bar_appears_only_with_an_operator_and_escapes_it() {
    let site = built_minimal(&[]);
    let home = read(&site.path().join("public"), "index.html");
    assert!(!home.contains("kern-kopfzeile"), "no operator, no bar");
    let site = fixture_site("minimal");
    let config = read(site.path(), "content/site.yaml");
    write(
        site.path(),
        "content/site.yaml",
        &format!("{config}operator: \"Amt <b>& Co</b>\"\n"),
    );
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = read(&site.path().join("public"), "index.html");
    assert!(
        home.contains("<span class=\"kern-kopfzeile__label\">Offizielle Website – Amt &lt;b&gt;&amp; Co&lt;/b&gt;</span>"),
        "{home}"
    );
}

#[test]
fn example_rows_get_a_badge_only_when_some_rows_are_real() {
    // Musterstadt is an example, Beispielhausen is not: a badge on each of
    // Musterstadt's two rows.
    let site = built_minimal(&[]);
    let status = read(&site.path().join("public"), "status/index.html");
    assert!(!status.contains("Alle Einträge dieser Übersicht sind Beispieldaten."));
    assert!(status.contains("Einträge mit dem Hinweis „Beispiel“ sind Beispieldaten."));
    assert_eq!(status.matches("class=\"example-tag\"").count(), 2);
    // Both examples: one sentence, no badge.
    let site = fixture_site("minimal");
    let file = "content/kommunen/beispielhausen.yaml";
    let text = read(site.path(), file);
    write(site.path(), file, &format!("example: true\n{text}"));
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let status = read(&site.path().join("public"), "status/index.html");
    assert!(status.contains("Alle Einträge dieser Übersicht sind Beispieldaten."));
    assert_eq!(status.matches("class=\"example-tag\"").count(), 0);
}
