//! Pages are minified piece by piece with a memo (`output::minify`); the
//! result must be byte for byte what minify-html makes of each whole page.
//! Checked on every HTML page of the bundled site, of a fixture site with
//! a theme of its own, and of the benchmark's 1,000-page corpus.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use mitnutzung::output::minify::Minifier;

/// Build `root` minified and not minified; compare every page.
fn assert_pieces_equal_whole_pages(root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let (minified, plain) = (out.path().join("min"), out.path().join("plain"));
    for (dir, extra) in [(&minified, None), (&plain, Some("--no-minify"))] {
        let mut args = vec!["--output", dir.to_str().unwrap()];
        args.extend(extra);
        let run = build(root, &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let whole = Minifier::new();
    let pages: Vec<String> = files_below(&plain)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(!pages.is_empty());
    for page in pages {
        let expected = whole.whole(&std::fs::read(plain.join(&page)).unwrap());
        let written = std::fs::read(minified.join(&page)).unwrap();
        assert!(
            written == expected,
            "{page}: piecewise minification differs from minify-html on the whole page"
        );
    }
}

#[test]
fn the_bundled_site() {
    assert_pieces_equal_whole_pages(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn a_site_with_its_own_theme() {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("custom-theme"), site.path());
    let config = read(site.path(), "content/site.yaml");
    assert!(config.contains("minify: false"));
    write(
        site.path(),
        "content/site.yaml",
        &config.replace("minify: false", "minify: true"),
    );
    assert_pieces_equal_whole_pages(site.path());
}

#[test]
fn the_1000_page_benchmark_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_site.py");
    let status = Command::new("python3")
        .arg(script)
        .args(["--pages", "1000", "--out"])
        .arg(&site)
        .status()
        .expect("python3 runs");
    assert!(status.success());
    assert_pieces_equal_whole_pages(&site);
}
