//! One fixture per kind of editor mistake: each is the `minimal` site with a
//! few files replaced (`overlay/`) or removed (`remove.txt`); the build must
//! fail with exit code 1, print exactly `expected.txt` on stderr, and leave
//! the previous output untouched.

mod common;

use std::path::Path;

use common::*;

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

fn assert_no_staging_dirs(root: &Path) {
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".public")),
        "staging folders left: {names:?}"
    );
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
    broken_anchor => "broken-anchor",
    broken_link => "broken-link",
    content_file_over_generated => "content-file-over-generated",
    content_file_over_page => "content-file-over-page",
    duplicate_url => "duplicate-url",
    invalid_ags => "invalid-ags",
    invalid_date => "invalid-date",
    invalid_leika_key => "invalid-leika-key",
    invalid_mailbox => "invalid-mailbox",
    invalid_utf8 => "invalid-utf8",
    malformed_shortcode => "malformed-shortcode",
    many_errors => "many-errors",
    missing_download => "missing-download",
    missing_home => "missing-home",
    missing_title => "missing-title",
    page_over_generated => "page-over-generated",
    shortcode_unknown_contact => "shortcode-unknown-contact",
    unclosed_front_matter => "unclosed-front-matter",
    unknown_contact => "unknown-contact",
    unknown_key_front_matter => "unknown-key-front-matter",
    unknown_key_municipality => "unknown-key-municipality",
    unknown_leika => "unknown-leika",
    unknown_service => "unknown-service",
    unknown_shortcode => "unknown-shortcode",
    unknown_state => "unknown-state",
    unknown_status => "unknown-status",
    unknown_template => "unknown-template",
    yaml_syntax => "yaml-syntax",
}
