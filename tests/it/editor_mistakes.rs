//! One fixture per kind of editor mistake: each is the `minimal` site with a
//! few files replaced (`overlay/`) or removed (`remove.txt`); the build must
//! fail with exit code 1, print exactly `expected.txt` on stderr, and leave
//! the previous output untouched.

use std::path::Path;

use crate::common::*;

fn check(name: &str) {
    let scenario = fixtures().join("errors").join(name);
    let site = fixture_site("minimal");
    let root = site.path();
    let first = build(root, &[]);
    assert_eq!(
        first.code, 0,
        "the minimal site must build: {}",
        first.stderr
    );
    let before = read(root, "public/index.html");
    apply_scenario(&scenario, root);
    let run = build(root, &[]);
    let expected_path = scenario.join("expected.txt");
    if std::env::var_os("MITNUTZUNG_BLESS").is_some() {
        std::fs::write(&expected_path, &run.stderr).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    pretty_assertions::assert_eq!(run.stderr, expected, "stderr of scenario {name}");
    assert_eq!(run.code, 1, "exit code of scenario {name}");
    assert_eq!(
        read(root, "public/index.html"),
        before,
        "{name} changed public/"
    );
    assert_no_staging_dirs(root);
}

macro_rules! scenarios {
    ($($test:ident => $dir:literal),* $(,)?) => {
        $( #[test] fn $test() { check($dir); } )*

        #[test]
        fn every_fixture_has_a_test() {
            let listed = [$($dir),*];
            for entry in std::fs::read_dir(fixtures().join("errors")).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "fixture {name} has no test");
            }
        }
    };
}

scenarios! {
    ags_land_mismatch => "ags-land-mismatch",
    alias_nul => "alias-nul",
    alias_over_content_file => "alias-over-content-file",
    alias_over_folder => "alias-over-folder",
    alias_over_generated => "alias-over-generated",
    alias_over_home => "alias-over-home",
    alias_over_page => "alias-over-page",
    alias_over_theme_file => "alias-over-theme-file",
    alias_too_long => "alias-too-long",
    alias_twice => "alias-twice",
    bad_base_url => "bad-base-url",
    bad_page_name => "bad-page-name",
    bad_step_name => "bad-step-name",
    boolean_as_text => "boolean-as-text",
    broken_anchor => "broken-anchor",
    broken_link => "broken-link",
    contact_bad_phone => "contact-bad-phone",
    contact_email_query => "contact-email-query",
    contact_url_data => "contact-url-data",
    contact_url_javascript => "contact-url-javascript",
    content_file_over_generated => "content-file-over-generated",
    content_file_over_page => "content-file-over-page",
    cr_only_lines => "cr-only-lines",
    description_too_long => "description-too-long",
    duplicate_key_internal => "duplicate-key-internal",
    duplicate_key_services => "duplicate-key-services",
    duplicate_municipality_yml => "duplicate-municipality-yml",
    duplicate_url => "duplicate-url",
    every_error_in_one_run => "every-error-in-one-run",
    invalid_ags => "invalid-ags",
    invalid_date => "invalid-date",
    invalid_leika_key => "invalid-leika-key",
    invalid_mailbox => "invalid-mailbox",
    invalid_utf8 => "invalid-utf8",
    fragebogen_cell_id => "fragebogen-cell-id",
    news_date_mismatch => "news-date-mismatch",
    news_file_name => "news-file-name",
    news_unknown_service => "news-unknown-service",
    news_same_slug => "news-same-slug",
    news_in_subfolder => "news-in-subfolder",
    keyword_twice => "keyword-twice",
    fragebogen_duplicate_id => "fragebogen-duplicate-id",
    fragebogen_empty_section => "fragebogen-empty-section",
    fragebogen_invalid_id => "fragebogen-invalid-id",
    fragebogen_invalid_version => "fragebogen-invalid-version",
    fragebogen_label_too_long => "fragebogen-label-too-long",
    fragebogen_missing_version => "fragebogen-missing-version",
    fragebogen_no_section => "fragebogen-no-section",
    fragebogen_repeat_table => "fragebogen-repeat-table",
    fragebogen_unknown_condition => "fragebogen-unknown-condition",
    fragebogen_unknown_key => "fragebogen-unknown-key",
    fragebogen_unknown_type => "fragebogen-unknown-type",
    laender_duplicate_state => "laender-duplicate-state",
    laender_email_query => "laender-email-query",
    laender_note_link => "laender-note-link",
    laender_note_paragraphs => "laender-note-paragraphs",
    laender_unknown_agreement => "laender-unknown-agreement",
    laender_unknown_key => "laender-unknown-key",
    laender_unknown_state => "laender-unknown-state",
    laender_url_javascript => "laender-url-javascript",
    mailbox_javascript => "mailbox-javascript",
    malformed_shortcode => "malformed-shortcode",
    many_errors => "many-errors",
    missing_download => "missing-download",
    missing_home => "missing-home",
    missing_title => "missing-title",
    no_contacts => "no-contacts",
    nul_byte => "nul-byte",
    number_as_text => "number-as-text",
    page_over_generated => "page-over-generated",
    shortcode_unknown_contact => "shortcode-unknown-contact",
    text_missing => "text-missing",
    title_too_long => "title-too-long",
    unclosed_front_matter => "unclosed-front-matter",
    unknown_contact => "unknown-contact",
    unknown_key_front_matter => "unknown-key-front-matter",
    unknown_key_municipality => "unknown-key-municipality",
    unknown_leika => "unknown-leika",
    unknown_service => "unknown-service",
    unknown_shortcode => "unknown-shortcode",
    unknown_shortcode_argument => "unknown-shortcode-argument",
    unknown_state => "unknown-state",
    unknown_status => "unknown-status",
    unknown_template => "unknown-template",
    unsafe_image_data => "unsafe-image-data",
    unsafe_link_entity => "unsafe-link-entity",
    unsafe_link_javascript => "unsafe-link-javascript",
    unsafe_link_vbscript => "unsafe-link-vbscript",
    yaml_syntax => "yaml-syntax",
    yaml_tag => "yaml-tag",
    yaml_tag_front_matter => "yaml-tag-front-matter",
}

/// Build a copy of the minimal site after `change`; exit code 1 and stderr.
fn build_changed(change: impl FnOnce(&Path)) -> String {
    let site = fixture_site("minimal");
    change(site.path());
    let run = build(site.path(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stderr
}

#[test]
fn a_huge_markdown_file_is_refused_before_it_is_read() {
    let stderr = build_changed(|root| {
        let mut text = String::from("---\ntitle: Impressum\n---\n");
        text.push_str(&"Sehr langer Text. ".repeat(600_000));
        write(root, "content/impressum.md", &text);
    });
    pretty_assertions::assert_eq!(
        stderr.lines().next().unwrap(),
        "content/impressum.md:1:1: Fehler[file-too-large]: Die Datei ist mit 11 MB zu groß: Markdown- und YAML-Dateien haben höchstens 10 MB."
    );
    assert!(stderr.ends_with("Abgebrochen: 1 Fehler; public/ bleibt unverändert.\n"));
}

#[test]
fn a_decomposed_file_name_gets_the_composed_suggestion() {
    let name = "Gro\u{308}\u{df}e";
    let stderr = build_changed(|root| {
        write(
            root,
            &format!("content/{name}.md"),
            "---\ntitle: Größe\n---\n",
        );
    });
    let expected = format!(
        "content/{name}.md:1:1: Fehler[file-name]: „{name}“ ergibt keine saubere Adresse: Datei- und Ordnernamen bestehen aus Kleinbuchstaben, Ziffern und Bindestrichen.\n  |\n1 | ---\n  | ^\n  Hinweis: Benennen Sie „{name}“ um in „groesse“.\n\nAbgebrochen: 1 Fehler; public/ bleibt unverändert.\n"
    );
    pretty_assertions::assert_eq!(stderr, expected);
}

#[test]
fn a_newline_in_a_file_name_is_escaped_in_the_place_line() {
    let stderr = build_changed(|root| {
        write(root, "content/neu\nseite.md", "---\ntitle: Neu\n---\n");
    });
    pretty_assertions::assert_eq!(
        stderr.lines().next().unwrap(),
        "content/neu\\nseite.md:1:1: Fehler[file-name]: „neu\\nseite“ ergibt keine saubere Adresse: Datei- und Ordnernamen bestehen aus Kleinbuchstaben, Ziffern und Bindestrichen."
    );
}
