//! The questionnaire definition (`daten/fragebogen.yaml`): the bundled one
//! loads with every field the guide names, in order, and templates see it as
//! `site.questionnaire` (none without the file).

use std::path::Path;

use crate::common::*;

/// A shortcode of the site's own theme that prints what templates see.
const SHORTCODE: &str = "{% if site.questionnaire %}{% set q = site.questionnaire %}<p>{{ q.title }} {{ q.version.iso }} {{ q.note }}</p>{% for s in q.sections %}{% for f in s.fields %}<p>FELD {{ s.id }}/{{ f.id }} {{ f.type }} {{ f.required }} {{ f.repeat }} {{ f.when }}|{{ f.when_label }}|{{ f.type_label }}|{{ f.help | length > 0 }}</p>{% endfor %}{% endfor %}{% else %}<p>KEIN FRAGEBOGEN</p>{% endif %}";

/// The minimal site with the shortcode on the Impressum, and `fragebogen` as
/// `daten/fragebogen.yaml` if given; built without warnings.
fn built_with(fragebogen: Option<&str>) -> String {
    let site = fixture_site("minimal");
    let root = site.path();
    write(
        root,
        "themes/mitnutzung/templates/shortcodes/fragebogen_felder.html",
        SHORTCODE,
    );
    let page = "content/impressum.md";
    write(
        root,
        page,
        &(read(root, page) + "\n{{ fragebogen_felder() }}\n"),
    );
    if let Some(text) = fragebogen {
        write(root, "content/daten/fragebogen.yaml", text);
    }
    let run = build(root, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("Warnung"), "{}", run.stderr);
    read(root, "public/impressum/index.html")
}

/// The `FELD …` lines of the page.
fn fields(html: &str) -> Vec<String> {
    html.split("<p>FELD ")
        .skip(1)
        .map(|rest| rest.split_once("</p>").unwrap().0.to_string())
        .collect()
}

#[test]
fn the_bundled_definition_has_every_field_of_the_guide_in_order() {
    let bundled = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/daten/fragebogen.yaml"),
    )
    .unwrap();
    let html = built_with(Some(&bundled));
    assert!(
        html.contains("<p>Anbindungsfragebogen 2026-12-02 Vorlage – bitte mit der Betriebskoordination abstimmen</p>"),
        "{html}"
    );
    let ids: Vec<String> = fields(&html)
        .iter()
        .map(|f| f.split_once(' ').unwrap().0.to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "behoerde/kommune",
            "behoerde/land",
            "behoerde/ags",
            "behoerde/amt",
            "behoerde/anschrift",
            "behoerde/zustaendigkeit",
            "behoerde/oe_id",
            "behoerde/logo",
            "behoerde/dse",
            "postfaecher/postfach_antraege",
            "postfaecher/postfach_kontakt",
            "pvog_links/pvog",
            "kontaktpersonen/fachlich",
            "kontaktpersonen/technisch",
            "kontaktpersonen/stellvertretung",
            "ausgefuellt/ausgefuellt_von",
            "ausgefuellt/ausgefuellt_am",
            "bemerkungen/bemerkungen",
        ]
    );
    let all = fields(&html);
    assert_eq!(all[10], "postfaecher/postfach_kontakt email true false contact_form|nur wenn der Dienst ein Kontaktformular anbietet|E-Mail-Adresse|true");
    assert_eq!(
        all[12],
        "kontaktpersonen/fachlich person true true ||Person|true"
    );
    assert!(
        all.iter().all(|f| f.ends_with("|true")),
        "every field has a help text: {all:#?}"
    );
}

#[test]
fn without_the_file_templates_see_no_questionnaire() {
    let html = built_with(None);
    assert!(html.contains("<p>KEIN FRAGEBOGEN</p>"), "{html}");
    assert!(fields(&html).is_empty());
}
