//! `check`: everything `build` validates, plus what only the finished site
//! shows — links and anchors in rendered templates, downloads nobody links
//! to, pages without a description — and status dates in the future. It
//! renders in memory and never writes.

mod links;

use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::model::{BuildOptions, Date, Site};
use crate::pipeline::{self, BuildError};

/// What `check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub drafts: bool,
    /// Status dates after this day are errors.
    pub today: Date,
}

/// Every diagnostic of the site; `Err` only when the site cannot be read at all.
pub fn run(root: &Path, options: &CheckOptions) -> Result<Diagnostics, BuildError> {
    let build = BuildOptions {
        drafts: options.drafts,
        base_url: None,
        today: Some(options.today),
    };
    let (site, _) = match pipeline::load_site(root, &build) {
        Ok(loaded) => loaded,
        Err(BuildError::Content(d)) => return Ok(d),
        Err(e) => return Err(e),
    };
    let (files, mut diagnostics) = match pipeline::render_site(root, &build, Some(false)) {
        Ok(rendered) => rendered,
        Err(BuildError::Content(d)) => return Ok(d),
        Err(e) => return Err(e),
    };
    diagnostics.extend(links::check(&site, &files));
    diagnostics.extend(descriptions(&site));
    Ok(diagnostics.sorted())
}

/// Every page should say in one sentence what it is about (search results, link previews).
fn descriptions(site: &Site) -> Vec<Diagnostic> {
    let services = site
        .services
        .iter()
        .map(|s| (&s.page, !s.summary.trim().is_empty()));
    let pages = site
        .all_pages()
        .filter(|p| !p.source.starts_with("dienste/"))
        .map(|p| (p, false));
    pages
        .chain(services)
        .filter(|(page, has_summary)| page.meta.description.trim().is_empty() && !has_summary)
        .map(|(page, _)| {
            Diagnostic::warning(Code::MissingDescription, &page.body.file, Position::START, format!("Die Seite „{}“ hat keine Beschreibung.", page.meta.title))
                .with_hint("Ergänzen Sie im Kopfbereich „description: …“ — ein Satz, worum es auf der Seite geht (für Suchmaschinen und Linkvorschauen).")
        })
        .collect()
}
