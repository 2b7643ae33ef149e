//! The order of the build, on one screen: load → validate → theme → render → write.

use std::path::{Path, PathBuf};

use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::markdown::highlight::Highlighter;
use crate::model::{self, BuildOptions, Site};
use crate::output::{self, OutputError, OutputFile, Sink, Staging};
use crate::render;
use crate::templates::Theme;

/// Why a build did not produce output.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The content (or the theme) has errors; warnings are included.
    #[error("Die Inhalte enthalten {} Fehler.", .0.error_count())]
    Content(Diagnostics),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Io(#[from] crate::fs::FsError),
}

/// A finished build: what was written and the warnings on the way.
#[derive(Debug)]
pub struct BuildReport {
    pub files: usize,
    pub warnings: Diagnostics,
    /// Old copies that could not be removed after the swap; the site is live.
    pub left_over: Vec<output::LeftOver>,
}

/// What one build keeps for the next, so that the preview re-reads,
/// re-parses and re-renders only what changed. `build` starts with an empty one.
#[derive(Default)]
pub struct BuildCache {
    pub files: content::FileCache,
    pub parsed: model::ParseCache,
    pub rendered: render::RenderCache,
    highlighter: Highlighter,
}

impl BuildCache {
    /// A cache that keeps what each build read, parsed and rendered for the next
    /// (the preview). `default()` keeps nothing, so a one-off build holds less memory.
    pub fn remembering() -> Self {
        BuildCache {
            files: content::FileCache::remembering(),
            parsed: model::ParseCache::remembering(),
            rendered: render::RenderCache::remembering(),
            highlighter: Highlighter::new(),
        }
    }
}

/// Load, validate and render a site in memory, without writing anything.
pub fn render_site(
    root: &Path,
    options: &BuildOptions,
    minify: Option<bool>,
) -> Result<(Vec<OutputFile>, Diagnostics), BuildError> {
    render_site_cached(root, options, minify, &mut BuildCache::default())
}

/// Like [`render_site`], reusing from `cache` whatever did not change.
pub fn render_site_cached(
    root: &Path,
    options: &BuildOptions,
    minify: Option<bool>,
    cache: &mut BuildCache,
) -> Result<(Vec<OutputFile>, Diagnostics), BuildError> {
    let (site, warnings) = load_site_cached(root, options, cache)?;
    render_loaded(root, &site, warnings, minify, cache, &output::Memory)
}

/// Render a loaded site, handing each file to `sink` as it is finished.
fn render_loaded(
    root: &Path,
    site: &Site,
    mut warnings: Diagnostics,
    minify: Option<bool>,
    cache: &mut BuildCache,
    sink: &dyn Sink,
) -> Result<(Vec<OutputFile>, Diagnostics), BuildError> {
    let mut theme =
        Theme::load(root, &site.config).map_err(|d| BuildError::Content(merge(&warnings, d)))?;
    warnings.extend(std::mem::take(&mut theme.warnings));
    let minify = minify.unwrap_or(site.config.minify);
    let rendered = render::render(
        site,
        &mut theme,
        &cache.highlighter,
        minify,
        &mut cache.rendered,
        sink,
    );
    let (files, render_warnings) =
        rendered.map_err(|d| BuildError::Content(merge(&warnings, d)))?;
    warnings.extend(render_warnings);
    Ok((files, warnings.sorted()))
}

/// Build `root` into `output`: each page is written to a staging folder as
/// soon as it is rendered, and the staging folder replaces the previous
/// output only when everything succeeded.
pub fn build(
    root: &Path,
    output: &Path,
    options: &BuildOptions,
    minify: Option<bool>,
) -> Result<BuildReport, BuildError> {
    output::check_target(output, root)?;
    let mut cache = BuildCache::default();
    let (site, warnings) = load_site_cached(root, options, &mut cache)?;
    let staging = Staging::create(output)?;
    let (unwritten, warnings) = render_loaded(root, &site, warnings, minify, &mut cache, &staging)?;
    debug_assert!(unwritten.is_empty(), "the staging folder takes every file");
    let committed = staging.commit()?;
    Ok(BuildReport {
        files: committed.files,
        warnings,
        left_over: committed.left_over,
    })
}

/// Load and validate; errors (with all warnings) stop here.
pub fn load_site(root: &Path, options: &BuildOptions) -> Result<(Site, Diagnostics), BuildError> {
    load_site_cached(root, options, &mut BuildCache::default())
}

fn load_site_cached(
    root: &Path,
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<(Site, Diagnostics), BuildError> {
    if !root.join("content").is_dir() {
        let d = Diagnostic::error(
            crate::diagnostics::Code::MissingFile,
            "content",
            Position::START,
            format!(
                "Im Ordner {} gibt es keinen Ordner content/.",
                root.display()
            ),
        )
        .with_hint("Rufen Sie mitnutzung im Ordner der Site auf oder geben Sie ihn mit --root an.");
        return Err(BuildError::Content(Diagnostics::from_iter([d])));
    }
    let (raw, mut diagnostics) = content::load_cached(root, &mut cache.files)?;
    let (site, model_diagnostics) = model::build_cached(raw, options, &mut cache.parsed);
    diagnostics.extend(model_diagnostics);
    match site {
        Some(site) if !diagnostics.has_errors() => Ok((site, diagnostics.sorted())),
        _ => Err(BuildError::Content(diagnostics.sorted())),
    }
}

fn merge(a: &Diagnostics, b: Diagnostics) -> Diagnostics {
    let mut all = a.clone();
    all.extend(b);
    all.sorted()
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
