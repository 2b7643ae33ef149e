//! The benchmark's site generator (`benches/gen_site.py`) produces valid
//! content in the site format: the 1,000-page corpus, pages filled up to
//! 7.5 KB (`--page-kb`) and the whole-country data set build, with every
//! page present and every internal link resolving. Correctness only — times
//! are measured by the benchmark.

use std::process::Command;

use crate::common::*;

fn generate(out: &std::path::Path, args: &[&str]) {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_site.py");
    let status = Command::new("python3")
        .arg(script)
        .args(args)
        .arg("--out")
        .arg(out)
        .status()
        .expect("python3 runs");
    assert!(status.success());
}

#[test]
fn the_1000_page_corpus_builds_with_every_page_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    generate(&site, &["--pages", "1000"]);
    let run = build(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.join("public");
    let pages = files_below(&public)
        .into_iter()
        .filter(|f| f.starts_with("seiten/") && f.ends_with("/index.html"))
        .count();
    assert_eq!(pages, 1000);
    assert_internal_links_resolve(&public, "/");
    let again = tempfile::tempdir().unwrap();
    generate(&again.path().join("site"), &["--pages", "1000"]);
    for name in ["seite-00000.md", "seite-00999.md"] {
        let rel = format!("content/seiten/{name}");
        assert_eq!(
            read(&site, &rel),
            read(&again.path().join("site"), &rel),
            "the generator is deterministic"
        );
    }
}

#[test]
fn the_whole_country_data_set_builds_with_a_split_status_table() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    generate(&site, &["--pages", "0", "--country"]);
    let municipalities = std::fs::read_dir(site.join("content/kommunen"))
        .unwrap()
        .count();
    assert!(municipalities > 10_000, "{municipalities} municipalities");
    let run = build(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.join("public");
    let status = read(&public, "status/index.html");
    assert!(
        status.contains("/status/bayern/"),
        "the status table is split by Land"
    );
    for file in files_below(&public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let size = std::fs::metadata(public.join(&file)).unwrap().len();
        assert!(size < 1_000_000, "{file} has {size} bytes");
    }
    let csv_rows = read(&public, "status.csv").lines().count() - 1;
    assert_eq!(
        csv_rows,
        municipalities * 10,
        "the open data keeps every row"
    );
}

/// Bytes of every file in `content/seiten/` and the smallest and largest.
fn page_sizes(site: &std::path::Path) -> (u64, u64, u64) {
    let sizes: Vec<u64> = files_below(&site.join("content/seiten"))
        .iter()
        .map(|f| {
            std::fs::metadata(site.join("content/seiten").join(f))
                .unwrap()
                .len()
        })
        .collect();
    let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
    (sizes.iter().sum(), *min, *max)
}

#[test]
fn pages_of_7_5_kb_build_with_every_link_and_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    generate(&site, &["--pages", "50", "--page-kb", "7.5"]);
    // 50 pages of about 7,500 bytes, the same bytes on every run.
    assert_eq!(page_sizes(&site), (378_192, 6_925, 8_095));
    let run = build(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.join("public");
    let pages = files_below(&public)
        .into_iter()
        .filter(|f| f.starts_with("seiten/") && f.ends_with("/index.html"))
        .count();
    assert_eq!(pages, 50);
    assert_internal_links_resolve(&public, "/");
}
