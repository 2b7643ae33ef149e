//! Unit tests of Markdown rendering with a small fake site.

use std::path::PathBuf;

use super::*;

struct FakeSite;

impl Env for FakeSite {
    fn resolve(&self, source: &str) -> Option<String> {
        match source {
            "schritte/02-info.md" => Some("/schritte/info/".into()),
            "downloads/f.xlsx" => Some("/downloads/f.xlsx".into()),
            _ => None,
        }
    }
    fn known_sources(&self) -> Vec<&str> {
        vec!["schritte/02-info.md", "downloads/f.xlsx", "entwurf.md"]
    }
    fn is_draft(&self, source: &str) -> bool {
        source == "entwurf.md"
    }
    fn shortcode(&self, call: &Call) -> Result<String, (String, Option<String>)> {
        match call.name.as_str() {
            "box" => Ok("<div class=\"box\">B</div>".into()),
            "word" => Ok("<b>W</b>".into()),
            other => Err((format!("Unbekannter Shortcode „{other}“."), None)),
        }
    }
}

fn md(text: &str) -> Rendered {
    let body = MarkdownBody::new(PathBuf::from("content/a.md"), text, 3);
    render(
        &body,
        &FakeSite,
        &Highlighter::new(),
        &mut IdRegistry::new(),
        0,
    )
}

#[test]
fn headings_get_german_ids_and_explicit_ids_win() {
    let r = md("## Größe prüfen\n\n## Eintrag {#pvog}\n\n## Größe prüfen\n");
    assert_eq!(
        r.html,
        "<h2 id=\"groesse-pruefen\">Größe prüfen</h2>\n<h2 id=\"pvog\">Eintrag</h2>\n<h2 id=\"groesse-pruefen-2\">Größe prüfen</h2>\n"
    );
}

#[test]
fn ids_stay_unique_across_bodies_and_headings_shift() {
    let body = MarkdownBody::new("content/a.md", "# A\n## B\n", 0);
    let mut ids = IdRegistry::new();
    let h = Highlighter::new();
    render(&body, &FakeSite, &h, &mut ids, 1);
    let second = render(&body, &FakeSite, &h, &mut ids, 1);
    assert_eq!(
        second.html,
        "<h2 id=\"a-2\">A</h2>\n<h3 id=\"b-2\">B</h3>\n"
    );
}

#[test]
fn internal_links_resolve_and_are_recorded_with_file_lines() {
    let r =
        md("Text\n\nSiehe [Schritt 2](@/schritte/02-info.md#pvog) und [F](@/downloads/f.xlsx).\n");
    assert!(
        r.html
            .contains("<a href=\"/schritte/info/#pvog\">Schritt 2</a>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"/downloads/f.xlsx\""));
    assert_eq!(r.links[0].position, Position::new(6, 7));
    assert_eq!(r.links[0].anchor.as_deref(), Some("pvog"));
}

#[test]
fn broken_links_and_drafts_are_errors_with_file_line() {
    let r = md("[x](@/schritte/02-inf.md)\n\n[y](@/entwurf.md)\n");
    let heads: Vec<String> = r.diagnostics.iter().map(|d| d.headline()).collect();
    assert_eq!(
        heads[0],
        "content/a.md:4:1: Fehler[broken-link]: Der Link zeigt auf „@/schritte/02-inf.md“, diese Datei gibt es nicht."
    );
    assert_eq!(
        r.diagnostics[0].hint.as_deref(),
        Some("Meinten Sie „@/schritte/02-info.md“?")
    );
    assert_eq!(r.diagnostics[1].code, Code::LinkToDraft);
}

#[test]
fn shortcodes_block_and_inline() {
    let r = md("Vorher\n\n{{ box() }}\n\nEin {{ word() }} hier.\n");
    assert_eq!(
        r.html,
        "<p>Vorher</p>\n<div class=\"box\">B</div>\n<p>Ein <b>W</b> hier.</p>\n"
    );
    let r = md("{{ nope() }}\n");
    assert_eq!(
        r.diagnostics[0].headline(),
        "content/a.md:4:1: Fehler[shortcode]: Unbekannter Shortcode „nope“."
    );
}

#[test]
fn code_is_highlighted_with_classes_and_never_runs_shortcodes() {
    let r = md("```xml\n<a>{{ box() }}</a>\n```\n");
    assert!(
        r.html
            .starts_with("<pre class=\"code\" data-lang=\"xml\"><code>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("hl-"));
    assert!(r.html.contains("{{ box() }}"));
    assert!(!r.html.contains("style="));
    let r = md("```\n<b>\n```\n");
    assert_eq!(
        r.html,
        "<pre class=\"code\"><code>&lt;b&gt;\n</code></pre>\n"
    );
}

#[test]
fn tables_footnotes_strikethrough_tasks() {
    let r = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~alt~~ neu[^1]\n\n[^1]: Fußnote\n\n- [ ] offen\n- [x] erledigt\n");
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("<del>alt</del>"));
    assert!(r.html.contains("footnote-definition"));
    assert!(r.html.contains("type=\"checkbox\""));
}

#[test]
fn malformed_external_links_are_errors() {
    let r = md("[a](https://www.bremen.de/x) [b](mailto:info@bremen.de) [c](www.bremen.de) [d](https://bremen) [e](mailto:info)\n");
    let codes: Vec<(Code, usize)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code, d.position.column))
        .collect();
    assert_eq!(
        codes,
        [
            (Code::MalformedUrl, 57),
            (Code::MalformedUrl, 76),
            (Code::MalformedUrl, 96)
        ]
    );
    assert!(
        r.diagnostics[0].message.contains("es fehlt „https://“"),
        "{}",
        r.diagnostics[0].message
    );
}

#[test]
fn external_links_are_marked() {
    let r = md(
        "Siehe <https://servicesuche.bund.de> und [Bund](https://bund.de/a?b=1&c=2 \"Titel\").\n",
    );
    assert!(r.html.contains("<a class=\"link-extern\" href=\"https://servicesuche.bund.de\">https://servicesuche.bund.de<span class=\"kern-sr-only\"> (externer Link)</span></a>"), "{}", r.html);
    assert!(
        r.html
            .contains("href=\"https://bund.de/a?b=1&amp;c=2\" title=\"Titel\">Bund<span"),
        "{}",
        r.html
    );
    let r = md("[intern](@/schritte/02-info.md)\n");
    assert!(!r.html.contains("extern"));
}

#[test]
fn same_page_anchors_are_recorded_for_the_check() {
    let r = md("## Anschrift\n\nSiehe [oben](#anschrift).\n");
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].target, "a.md");
    assert_eq!(r.links[0].anchor.as_deref(), Some("anschrift"));
    assert_eq!(r.links[0].position, Position::new(6, 7));
}
