//! The Länder table (`daten/laender.yaml`, shortcode `laender()`): all 16
//! Länder in the order of their AGS codes, a listed Land with its values, an
//! unlisted one as unknown; each municipality page shows its own Land.

use crate::common::*;

const LAENDER: &str = "- state: Thüringen\n  agreement: unknown\n- state: Bremen\n  agreement: yes\n  reuse_contact: {name: Referat Nachnutzung, email: nachnutzung@test.example.de, url: https://test.example.de/nachnutzung}\n  editorial_office: {name: Landesredaktion Bremen}\n  note: Siehe *FIT-Store* unter <https://test.example.de/fit>.\n";

/// The minimal site with `laender()` on step 1, and `laender` as `daten/laender.yaml` if given.
fn built_with(laender: Option<&str>) -> tempfile::TempDir {
    let site = fixture_site("minimal");
    let step = "content/schritte/01-vorbereitung.md";
    let text = read(site.path(), step) + "\n{{ laender() }}\n";
    write(site.path(), step, &text);
    if let Some(laender) = laender {
        write(site.path(), "content/daten/laender.yaml", laender);
    }
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("Warnung"), "{}", run.stderr);
    site
}

/// The table's body rows, one string each.
fn rows(html: &str) -> Vec<&str> {
    let body = html
        .split_once("<tbody class=\"kern-table__body\">")
        .unwrap()
        .1;
    let body = body.split_once("</tbody>").unwrap().0;
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

fn step(site: &tempfile::TempDir) -> String {
    read(site.path(), "public/schritte/vorbereitung/index.html")
}

#[test]
fn the_table_shows_every_land_a_listed_one_with_its_values() {
    let site = built_with(Some(LAENDER));
    let html = step(&site);
    let rows = rows(&html);
    assert_eq!(rows.len(), 16, "{rows:#?}");
    assert!(rows[0].contains(">Schleswig-Holstein<"), "{}", rows[0]);
    assert_eq!(
        rows[3],
        "<tr class=\"kern-table__row\"><th scope=\"row\" class=\"kern-table__header\">Bremen<p class=\"laender-table__note\">Siehe <em>FIT-Store</em> unter <a class=\"link-extern\" href=\"https://test.example.de/fit\">https://test.example.de/fit<span class=\"kern-sr-only\"> (externer Link)</span></a>.</p></th><td class=\"kern-table__cell\" data-label=\"Vereinbarung mit Bremen (FIT-Store)\">ja</td><td class=\"kern-table__cell\" data-label=\"Ansprechstelle für die Nachnutzung\"><span class=\"contact\"><span class=\"contact__name\">Referat Nachnutzung</span>, E-Mail: <a class=\"kern-link\" href=\"mailto:nachnutzung@test.example.de\">nachnutzung<wbr>@test<wbr>.example<wbr>.de</a>, <a class=\"kern-link\" href=\"https://test.example.de/nachnutzung\">Website</a></span></td><td class=\"kern-table__cell\" data-label=\"Landesredaktion\"><span class=\"contact\"><span class=\"contact__name\">Landesredaktion Bremen</span></span></td></tr>"
    );
    assert_eq!(rows[15], UNKNOWN_THUERINGEN);
    assert_eq!(rows[10], UNKNOWN_THUERINGEN.replace("Thüringen", "Berlin"));
}

const UNKNOWN_THUERINGEN: &str = "<tr class=\"kern-table__row\"><th scope=\"row\" class=\"kern-table__header\">Thüringen</th><td class=\"kern-table__cell\" data-label=\"Vereinbarung mit Bremen (FIT-Store)\">unbekannt</td><td class=\"kern-table__cell\" data-label=\"Ansprechstelle für die Nachnutzung\">[wird ergänzt]</td><td class=\"kern-table__cell\" data-label=\"Landesredaktion\">[wird ergänzt]</td></tr>";

#[test]
fn without_the_file_every_land_is_unknown_also_on_the_service_page() {
    let site = built_with(None);
    let names = [
        "Schleswig-Holstein",
        "Hamburg",
        "Niedersachsen",
        "Bremen",
        "Nordrhein-Westfalen",
        "Hessen",
        "Rheinland-Pfalz",
        "Baden-Württemberg",
        "Bayern",
        "Saarland",
        "Berlin",
        "Brandenburg",
        "Mecklenburg-Vorpommern",
        "Sachsen",
        "Sachsen-Anhalt",
        "Thüringen",
    ];
    for html in [
        step(&site),
        read(site.path(), "public/dienste/alpha/index.html"),
    ] {
        let rows = rows(&html);
        let expected: Vec<String> = names
            .iter()
            .map(|n| UNKNOWN_THUERINGEN.replace("Thüringen", n))
            .collect();
        assert_eq!(rows, expected);
    }
}

/// The section "Ihr Land" of a municipality's page.
fn land_section(site: &tempfile::TempDir, id: &str) -> String {
    let html = read(site.path(), &format!("public/kommunen/{id}/index.html"));
    let (_, rest) = (html.split_once("<section class=\"municipality-land\""))
        .unwrap_or_else(|| panic!("{id} has no section on its Land"));
    rest.split_once("</section>").unwrap().0.to_string()
}

#[test]
fn a_municipality_page_shows_its_land_known_or_not() {
    let site = built_with(Some(LAENDER));
    assert_eq!(
        land_section(&site, "musterstadt"),
        " aria-labelledby=\"kommune_land\">\n  <h2 id=\"kommune_land\">Ihr Land: Thüringen</h2>\n  <dl class=\"facts__list facts__list--compact\">\n    <div class=\"facts__item\">\n      <dt>Vereinbarung mit Bremen (FIT-Store)</dt>\n      <dd>unbekannt</dd>\n    </div>\n    <div class=\"facts__item\">\n      <dt>Ansprechstelle für die Nachnutzung</dt>\n      <dd>[wird ergänzt]</dd>\n    </div>\n    <div class=\"facts__item\">\n      <dt>Landesredaktion</dt>\n      <dd>[wird ergänzt]</dd>\n    </div>\n  </dl>\n"
    );
    assert_eq!(
        land_section(&site, "beispielhausen"),
        " aria-labelledby=\"kommune_land\">\n  <h2 id=\"kommune_land\">Ihr Land: Bremen</h2>\n  <dl class=\"facts__list facts__list--compact\">\n    <div class=\"facts__item\">\n      <dt>Vereinbarung mit Bremen (FIT-Store)</dt>\n      <dd>ja</dd>\n    </div>\n    <div class=\"facts__item\">\n      <dt>Ansprechstelle für die Nachnutzung</dt>\n      <dd><span class=\"contact\"><span class=\"contact__name\">Referat Nachnutzung</span>, E-Mail: <a class=\"kern-link\" href=\"mailto:nachnutzung@test.example.de\">nachnutzung<wbr>@test<wbr>.example<wbr>.de</a>, <a class=\"kern-link\" href=\"https://test.example.de/nachnutzung\">Website</a></span></dd>\n    </div>\n    <div class=\"facts__item\">\n      <dt>Landesredaktion</dt>\n      <dd><span class=\"contact\"><span class=\"contact__name\">Landesredaktion Bremen</span></span></dd>\n    </div>\n  </dl>\n  <p class=\"municipality-land__note\">Siehe <em>FIT-Store</em> unter <a class=\"link-extern\" href=\"https://test.example.de/fit\">https://test.example.de/fit<span class=\"kern-sr-only\"> (externer Link)</span></a>.</p>\n"
    );
}
