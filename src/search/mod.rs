//! The site search: a Pagefind index over the finished pages, written into
//! the same sink as the pages (so the swap stays atomic), at `pagefind/`.
//!
//! Only what the templates mark is indexed: the element with
//! `data-pagefind-body` (the page's main content, not header, navigation or
//! footer), minus what is marked `data-pagefind-ignore` (the steps repeated
//! on each service page). Filters (`Art`, `Dienst`) and the result text
//! (`title`, `description`) come from `data-pagefind-filter` and
//! `data-pagefind-meta` in the templates.
//!
//! Pagefind's traps, and what this module does about them:
//! - Its indexer is async: it runs on a small runtime of its own, here.
//! - The index numbers pages in the order they were added, and pages finish
//!   rendering in any order: they are added sorted by URL, so two builds
//!   write the same bytes.
//! - It has no base-URL option: each page is added with its full URL,
//!   base path included.
//! - It unwraps `current_dir()`: a working folder that was deleted is
//!   checked for first (and a panic inside it becomes an error anyway).
//! - `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` changes its output: the variable
//!   is removed when the program starts ([`forget_environment`]).
//! - Adding a page looks the URL up in a list of all pages added so far;
//!   measured, that is not what dominates: 1.3 s for 1,000 pages of the
//!   generated corpus, 15 s for 10,000 (README, Performance).

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::{Contents, OutputFile, Sink};
use crate::routes::{self, BaseUrl, OutputPath, Routes};

/// What marks a page for the index; a page without it is not read at all.
const BODY_MARK: &[u8] = b"data-pagefind-body";

/// Pagefind's licence and version, published beside the files it writes
/// (`pagefind/LICENSE.txt`): the MIT licence asks for it in every copy.
const LICENCE: &str = include_str!("pagefind-licence.txt");

/// The environment variable that makes Pagefind write other files.
const CHUNK_SIZE_VARIABLE: &str = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE";

/// Why the search index could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("Der Suchindex kann nicht gebaut werden: Der Arbeitsordner ist nicht mehr lesbar ({0}).\n  Hinweis: Wechseln Sie in einen vorhandenen Ordner und starten Sie den Build erneut, oder schalten Sie die Suche in content/site.yaml mit „search: false“ ab.")]
    WorkingDirectory(std::io::Error),
    #[error("Der Suchindex kann nicht gebaut werden: {0}\n  Hinweis: Das ist ein Fehler von Pagefind oder von mitnutzung, nicht der Inhalte; melden Sie ihn bitte. Bis dahin schaltet „search: false“ in content/site.yaml die Suche ab.")]
    Pagefind(String),
}

/// Remove the variable that would change Pagefind's output. Call it while
/// the program has one thread only (changing the environment while another
/// thread reads it is undefined behaviour); `cli::run` does, first thing.
pub(crate) fn forget_environment() {
    if std::env::var_os(CHUNK_SIZE_VARIABLE).is_some() {
        std::env::remove_var(CHUNK_SIZE_VARIABLE);
    }
}

/// A finished page marked for the index.
#[derive(Clone)]
pub(crate) struct Page {
    pub path: OutputPath,
    pub html: Arc<[u8]>,
}

/// A sink that hands every file on to `inner` and keeps (a shared handle
/// to) each page marked for the index.
pub(crate) struct Capture<'a> {
    inner: &'a dyn Sink,
    pages: Mutex<Vec<Page>>,
}

impl<'a> Capture<'a> {
    pub(crate) fn new(inner: &'a dyn Sink) -> Self {
        Capture {
            inner,
            pages: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn into_pages(self) -> Vec<Page> {
        self.pages.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Capture<'_> {
    fn accept(&self, file: OutputFile) -> Option<OutputFile> {
        if let Some(page) = marked_page(&file) {
            (self.pages.lock().unwrap_or_else(|e| e.into_inner())).push(page);
        }
        self.inner.accept(file)
    }

    fn prepare_dirs(&self, dirs: &[String]) {
        self.inner.prepare_dirs(dirs);
    }
}

/// The page of `file`, if it is HTML marked for the index.
pub(crate) fn marked_page(file: &OutputFile) -> Option<Page> {
    let Contents::Bytes(html) = &file.contents else {
        return None;
    };
    let is_html = file.path.as_str().ends_with(".html");
    (is_html && memchr::memmem::find(html, BODY_MARK).is_some()).then(|| Page {
        path: file.path.clone(),
        html: html.clone(),
    })
}

/// Index `pages` (in any order) for a site at `base` (its path may be a
/// sub-path); the files of the index, under `pagefind/`.
pub(crate) fn index(pages: Vec<Page>, base: &BaseUrl) -> Result<Vec<OutputFile>, SearchError> {
    std::env::current_dir().map_err(SearchError::WorkingDirectory)?;
    let routes = Routes::new(base.clone());
    let mut pages: Vec<(String, Page)> = (pages.into_iter())
        .map(|p| (routes.url(&routes::site_path_of_output(&p.path)), p))
        .collect();
    pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| SearchError::Pagefind(e.to_string()))?;
    let run = AssertUnwindSafe(|| runtime.block_on(index_sorted(pages)));
    match std::panic::catch_unwind(run) {
        Ok(result) => result,
        Err(panic) => Err(SearchError::Pagefind(panic_text(&*panic))),
    }
}

async fn index_sorted(pages: Vec<(String, Page)>) -> Result<Vec<OutputFile>, SearchError> {
    let config = PagefindServiceConfig::builder()
        .force_language("de".to_string())
        .keep_index_url(false)
        .write_playground(false)
        .verbose(false)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(failed)?;
    for (url, page) in pages {
        let html = String::from_utf8_lossy(&page.html).into_owned();
        drop(page);
        index
            .add_html_file(None, Some(url), html)
            .await
            .map_err(failed)?;
    }
    let files = index.get_files().await.map_err(failed)?;
    let mut out: Vec<OutputFile> = (files.into_iter())
        .filter_map(|f| {
            let name = f.filename.to_str()?.replace('\\', "/");
            Some(OutputFile::bytes(routes::search_file(&name), f.contents))
        })
        .collect();
    out.push(OutputFile::bytes(
        routes::search_file("LICENSE.txt"),
        LICENCE.as_bytes().to_vec(),
    ));
    out.sort_unstable_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    Ok(out)
}

fn failed(e: impl std::fmt::Display) -> SearchError {
    SearchError::Pagefind(format!("{e:#}"))
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let text = (panic.downcast_ref::<&str>().copied())
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unbekannter Fehler");
    format!("Pagefind ist abgestürzt ({text}).")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, body: &str) -> Page {
        let html = format!("<!DOCTYPE html><html lang=\"de\"><head><title>T</title></head><body><header>Kopf Navigation</header><main data-pagefind-body>{body}</main></body></html>");
        Page {
            path: OutputPath::from(path),
            html: Arc::from(html.into_bytes()),
        }
    }

    fn base() -> BaseUrl {
        BaseUrl::parse("https://example.org/sub/").unwrap()
    }

    /// The licence file names the version of Pagefind in Cargo.lock.
    #[test]
    fn the_licence_names_the_locked_version() {
        let lock = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"));
        let version = (lock.split("[[package]]"))
            .find(|p| p.contains("\nname = \"pagefind\"\n"))
            .and_then(|p| p.split("version = \"").nth(1))
            .and_then(|v| v.split('"').next())
            .expect("pagefind in Cargo.lock");
        assert!(
            LICENCE.starts_with(&format!(
                "Suchindex und Suchoberfläche in diesem Ordner: Pagefind {version}\n"
            )),
            "update src/search/pagefind-licence.txt to Pagefind {version}"
        );
        assert!(LICENCE.contains("Copyright 2022 CloudCannon"));
    }

    #[test]
    fn only_marked_html_pages_are_kept() {
        let marked = OutputFile::bytes("a/index.html".into(), "<main data-pagefind-body>x</main>");
        let unmarked = OutputFile::bytes("b/index.html".into(), "<main>x</main>");
        let css = OutputFile::bytes("c.css".into(), "data-pagefind-body");
        assert!(marked_page(&marked).is_some());
        assert!(marked_page(&unmarked).is_none());
        assert!(marked_page(&css).is_none());
    }

    #[test]
    fn the_index_is_the_same_whatever_order_the_pages_come_in() {
        let pages: Vec<Page> = (0..30)
            .map(|i| {
                page(
                    &format!("s{i}/index.html"),
                    &format!("<h1>Seite {i}</h1><p>Anträge und Antrag Nummer {i}</p>"),
                )
            })
            .collect();
        let mut reversed = pages.clone();
        reversed.reverse();
        let a = index(pages, &base()).unwrap();
        let b = index(reversed, &base()).unwrap();
        let bytes = |files: &[OutputFile]| -> Vec<(String, Vec<u8>)> {
            (files.iter())
                .map(|f| match &f.contents {
                    Contents::Bytes(b) => (f.path.to_string(), b.to_vec()),
                    _ => unreachable!("the index is in memory"),
                })
                .collect()
        };
        assert_eq!(bytes(&a), bytes(&b));
        let names: Vec<String> = a.iter().map(|f| f.path.to_string()).collect();
        for wanted in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-ui.js",
            "pagefind/pagefind-entry.json",
        ] {
            assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
        }
        assert!(names.iter().any(|n| n.ends_with(".pf_index")));
        assert!(
            names.iter().any(|n| n.starts_with("pagefind/wasm.de")),
            "{names:?}"
        );
    }
}
