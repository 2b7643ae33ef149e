//! The site search (Pagefind): `build` writes the index into the output it
//! swaps in, byte for byte the same on every build; `search: false` writes
//! none; a working folder deleted under the build is an error, not a panic.

use std::path::Path;
use std::process::Command;

use crate::common::{apply_scenario, build, files_below, fixture_site, fixtures, read};

/// `minimal` with the `search` scenario laid over it.
fn search_site() -> tempfile::TempDir {
    let site = fixture_site("minimal");
    apply_scenario(&fixtures().join("search"), site.path());
    site
}

fn build_into(root: &Path, out: &Path) {
    let run = build(root, &["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn the_index_is_in_the_output_and_the_same_on_every_build() {
    let site = search_site();
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    build_into(site.path(), &a);
    build_into(site.path(), &b);
    let files = files_below(&a.join("pagefind"));
    for wanted in [
        "pagefind.js",
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-entry.json",
        "wasm.de.pagefind",
        "LICENSE.txt",
    ] {
        assert!(
            files.iter().any(|f| f == wanted),
            "{wanted} missing: {files:?}"
        );
    }
    assert!(
        files.iter().any(|f| f.starts_with("fragment/")),
        "{files:?}"
    );
    assert!(files.iter().any(|f| f.starts_with("filter/")), "{files:?}");
    assert_eq!(files_below(&a), files_below(&b));
    for rel in files_below(&a) {
        let (x, y) = (
            std::fs::read(a.join(&rel)).unwrap(),
            std::fs::read(b.join(&rel)).unwrap(),
        );
        assert!(x == y, "{rel} differs between two builds");
    }
    let entry = read(&a, "pagefind/pagefind-entry.json");
    assert!(entry.contains("\"de\""), "{entry}");
}

#[test]
fn pages_are_marked_for_the_index_and_steps_on_service_pages_are_not() {
    let site = search_site();
    let out = site.path().join("out");
    build_into(site.path(), &out);
    let page = read(&out, "kooperation/index.html");
    assert!(page.contains("data-pagefind-body"), "{page}");
    assert!(page.contains("data-pagefind-filter=\"Art:Seite\""));
    let service = read(&out, "dienste/alpha/index.html");
    assert!(service.contains("Art:Dienst"));
    assert!(service.contains("data-suche-dienst=\"Alpha-Dienst\""));
    let steps = service.matches("<section class=\"step\"").count();
    assert!(steps >= 2, "{service}");
    assert_eq!(
        service.matches("data-pagefind-ignore>").count(),
        steps + 1,
        "each step and the step navigator are ignored"
    );
    // The header, the navigation and the footer are outside the body.
    let header = page.split("<main").next().unwrap();
    assert!(!header.contains("data-pagefind-body"));
    // The home page's text is indexed as a page; lists and 404 are not.
    let home = read(&out, "index.html");
    assert!(
        home.contains("data-pagefind-filter=\"Art:Seite\""),
        "{home}"
    );
    for list in [
        "404.html",
        "dienste/index.html",
        "status/index.html",
        "suche/index.html",
        "aktuelles/index.html",
    ] {
        if out.join(list).exists() {
            assert!(!read(&out, list).contains("data-pagefind-body"), "{list}");
        }
    }
}

/// `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` would make Pagefind write other
/// files; it is removed at start, so the index is the same with it set.
#[test]
fn pagefinds_chunk_size_variable_changes_nothing() {
    let site = search_site();
    let (plain, with_variable) = (site.path().join("a"), site.path().join("b"));
    build_into(site.path(), &plain);
    let run = Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&with_variable)
        .env("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", "1")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let files = files_below(&plain.join("pagefind"));
    assert_eq!(files, files_below(&with_variable.join("pagefind")));
    for rel in files {
        let (x, y) = (
            std::fs::read(plain.join("pagefind").join(&rel)).unwrap(),
            std::fs::read(with_variable.join("pagefind").join(&rel)).unwrap(),
        );
        assert!(x == y, "pagefind/{rel} differs with the variable set");
    }
}

#[test]
fn search_false_writes_no_index() {
    let site = fixture_site("minimal");
    let out = site.path().join("out");
    build_into(site.path(), &out);
    assert!(!out.join("pagefind").exists());
    // /suche/ is the A-Z index alone: it loads no script that would ask
    // for the missing index.
    let page = read(&out, "suche/index.html");
    assert!(page.contains("Stichwortverzeichnis"), "{page}");
    assert!(!page.contains("suche.js"), "{page}");
    let with_search = search_site();
    let out = with_search.path().join("out");
    build_into(with_search.path(), &out);
    assert!(read(&out, "suche/index.html").contains("js/suche.js"));
}

#[cfg(unix)]
#[test]
fn a_deleted_working_folder_is_an_error_not_a_panic() {
    let site = search_site();
    let gone = site.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    let out = site.path().join("out");
    let run = Command::new("sh")
        .arg("-c")
        .arg(r#"cd "$1" && rmdir "$1" && exec "$2" build --root "$3" --output "$4""#)
        .args([
            "sh",
            gone.to_str().unwrap(),
            env!("CARGO_BIN_EXE_mitnutzung"),
        ])
        .args([site.path().to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(
            "Der Suchindex kann nicht gebaut werden: Der Arbeitsordner ist nicht mehr lesbar"
        ),
        "{stderr}"
    );
    assert!(!out.exists(), "an output without its index was swapped in");
}
