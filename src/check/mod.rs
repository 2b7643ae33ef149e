//! `check`: everything `build` reports (the same run, in memory, never
//! written), plus warnings only a review needs — downloads nobody links to,
//! pages without a description — and status dates in the future as errors.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::model::{BuildOptions, Date, Site};
use crate::output::Memory;
use crate::pipeline::{self, BuildError};
use crate::routes::{self, OutputPath};

/// What `check` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct CheckOptions {
    pub drafts: bool,
    /// Status dates after this day are errors.
    pub today: Date,
}

/// Every diagnostic of the site; `Err` only when the site cannot be read at all.
pub(crate) fn run(root: &Path, options: &CheckOptions) -> Result<Diagnostics, BuildError> {
    let build = BuildOptions {
        drafts: options.drafts,
        base_url: None,
        today: Some(options.today),
    };
    let (site, diagnostics) = match pipeline::load_site(root, &build) {
        Ok(loaded) => loaded,
        Err(BuildError::Content(d)) => return Ok(d),
        Err(e) => return Err(e),
    };
    let mut cache = pipeline::BuildCache::default();
    let rendered =
        match pipeline::render_loaded(root, &site, diagnostics, Some(false), &mut cache, &Memory) {
            Ok(rendered) => rendered,
            Err(BuildError::Content(d)) => return Ok(d),
            Err(e) => return Err(e),
        };
    let mut diagnostics = rendered.diagnostics;
    diagnostics.extend(orphans(&site, &rendered.linked_downloads));
    diagnostics.extend(descriptions(&site));
    Ok(diagnostics.sorted())
}

/// Downloads that no page links to: forgotten files, or a link that was lost.
fn orphans(site: &Site, linked: &BTreeSet<OutputPath>) -> Vec<Diagnostic> {
    site.assets
        .iter()
        .filter(|a| a.rel.starts_with("downloads/") && !linked.contains(&routes::output_file(&routes::asset(&a.rel))))
        .map(|a| {
            Diagnostic::warning(Code::OrphanDownload, routes::source_file(&a.rel), Position::START, format!("Die Datei „{}“ wird von keiner Seite verlinkt.", a.rel))
                .with_hint("Verlinken Sie sie (z. B. als „questionnaire:“ eines Dienstes oder mit [Text](@/downloads/…)) oder löschen Sie sie.")
        })
        .collect()
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
