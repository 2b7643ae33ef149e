//! The order of the build, on one screen: load → validate → theme → plan →
//! Markdown bodies → pages into the sink → link check → swap in (or discard).
//! Every stage runs even when an earlier one found errors in some files, so
//! that one run reports them all.

mod memo;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use memo::BuildCache;

use crate::content;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::links;
use crate::markdown::{LinkKind, LinkRef};
use crate::model::{self, BuildOptions, Site};
use crate::output::{self, OutputError, OutputFile, Sink, Staging};
use crate::render;
use crate::routes::{OutputPath, SourcePath};
use crate::search;
use crate::templates::ThemeSources;

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
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
}

/// A finished build: what was written and the warnings on the way.
#[derive(Debug)]
pub struct BuildReport {
    pub files: usize,
    pub warnings: Diagnostics,
    /// Old copies that could not be removed after the swap; the site is live.
    pub left_over: Vec<output::LeftOver>,
}

/// Load, validate and render a site in memory, without writing anything.
pub fn render_site(
    root: &Path,
    options: &BuildOptions,
    minify: Option<bool>,
) -> Result<(Vec<OutputFile>, Diagnostics), BuildError> {
    let site = render_site_cached(root, options, minify, &mut BuildCache::default())?;
    Ok((site.files, site.warnings))
}

/// A site rendered in memory for the preview: its files (without the
/// search index, which the preview builds in the background), its warnings,
/// and whether the site wants a search index at all.
pub struct InMemorySite {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    pub search: bool,
}

/// Like [`render_site`], reusing from `cache` whatever did not change.
pub fn render_site_cached(
    root: &Path,
    options: &BuildOptions,
    minify: Option<bool>,
    cache: &mut BuildCache,
) -> Result<InMemorySite, BuildError> {
    let (site, diagnostics) = load_site_cached(root, options, cache)?;
    let run = render_loaded(root, &site, diagnostics, minify, cache, &output::Memory)?;
    let (files, warnings) = succeeded(run)?;
    Ok(InMemorySite {
        files,
        warnings,
        search: site.config.search,
    })
}

/// What rendering a loaded site produced: the files the sink handed back,
/// every diagnostic of the run (sorted), and the downloads pages link to.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub diagnostics: Diagnostics,
    pub linked_downloads: BTreeSet<OutputPath>,
}

/// Render a loaded site — also one whose files had errors: what validated
/// is rendered and checked, so one run reports every error. Each page goes
/// to `sink` as it is finished. `Err` only when the theme cannot be loaded.
pub fn render_loaded(
    root: &Path,
    site: &Site,
    mut diagnostics: Diagnostics,
    minify: Option<bool>,
    cache: &mut BuildCache,
    sink: &dyn Sink,
) -> Result<Rendered, BuildError> {
    let theme = ThemeSources::read(root, &site.config).and_then(|sources| cache.theme(sources));
    let mut theme = theme.map_err(|d| BuildError::Content(merge(&diagnostics, d)))?;
    diagnostics.extend(std::mem::take(&mut theme.warnings));
    render::register_functions(&mut theme, site);
    let minify = minify.unwrap_or(site.config.minify);
    let (workbooks, workbook_errors) = crate::questionnaire::workbooks(site);
    diagnostics.extend(workbook_errors);
    let inputs = render::Inputs::new(site, &theme, &cache.highlighter, minify, &workbooks);
    let (plan, planned) = render::plan(site, &theme, &inputs.routes, &workbooks);
    diagnostics.extend(planned);
    let site_key = cache.site_key(&inputs, &plan);
    let (page_body, service_bodies) = cache.body_makers(&inputs, site_key);
    let makers = render::BodyMakers {
        page: &page_body,
        service: &service_bodies,
    };
    // Each body is made right before its page; what the link check needs
    // of it is kept, the body itself is dropped with its page.
    let written = Mutex::new(Written::default());
    let body_of = |job: &render::PageJob| {
        let body = render::body(&inputs, job, &makers);
        let kept = Written::of(site, job, &body);
        written.lock().unwrap_or_else(|e| e.into_inner()).add(kept);
        body
    };
    let make_page = cache.page_maker(&inputs, &plan, site_key);
    let make_sitemap = cache.sitemap_maker(&inputs);
    // The output folders are created while the first pages are rendered
    // (a page whose folder is not there yet creates it).
    let pages = std::thread::scope(|scope| {
        scope.spawn(|| sink.prepare_dirs(&plan.dirs));
        render::pages(&inputs, &plan, &body_of, &make_page, &make_sitemap, sink)
    });
    let mut written = written.into_inner().unwrap_or_else(|e| e.into_inner());
    diagnostics.extend(std::mem::take(&mut written.diagnostics));
    diagnostics.extend(pages.diagnostics);
    diagnostics.extend(check_links(site, &plan, &pages.scans, &written));
    let linked_downloads = (pages.scans.iter())
        .flat_map(|s| s.downloads.iter().cloned())
        .collect();
    free_in_background((pages.scans, written));
    drop((make_page, make_sitemap, page_body, service_bodies));
    cache.finish();
    Ok(Rendered {
        files: pages.files,
        diagnostics: diagnostics.sorted(),
        linked_downloads,
    })
}

/// The link check over the finished pages and what their bodies left.
fn check_links(
    site: &Site,
    plan: &render::Plan,
    scans: &[links::PageScan],
    written: &Written,
) -> Vec<Diagnostic> {
    let body_ids = written.body_ids();
    let finished = links::Finished {
        site,
        outputs: &plan.outputs,
        pages: scans,
        body_ids: &body_ids,
    };
    links::check(&finished, &written.links)
}

/// What the link check needs of the Markdown bodies, kept while the
/// bodies themselves are dropped page by page.
#[derive(Default)]
struct Written {
    links: Vec<LinkRef>,
    /// Heading ids by source path.
    ids: Vec<(SourcePath, Arc<[String]>)>,
    /// Problems found while rendering the Markdown (shortcodes, `@/` links).
    diagnostics: Vec<Diagnostic>,
}

impl Written {
    /// What the check needs of one job's body.
    fn of(site: &Site, job: &render::PageJob, body: &render::JobBody) -> Written {
        let mut written = Written::default();
        for rendered in body.renders() {
            // An `@/` link without anchor named a page that exists, or
            // the Markdown stage reported it; the others need the finished site.
            let open = |l: &&LinkRef| l.anchor.is_some() || l.kind == LinkKind::Address;
            written
                .links
                .extend(rendered.links.iter().filter(open).cloned());
            written
                .diagnostics
                .extend(rendered.diagnostics.iter().cloned());
        }
        let ids = match (job, body) {
            (render::PageJob::Markdown { page, .. }, render::JobBody::Page(b)) => {
                Some((page.source.clone(), b.ids.clone()))
            }
            (render::PageJob::Service(i), render::JobBody::Service(s)) => {
                Some((site.services[*i].page.source.clone(), s.ids.clone()))
            }
            _ => None,
        };
        written.ids.extend(ids);
        written
    }

    /// Keep another job's part too (jobs finish in any order; the
    /// diagnostics are sorted at the end of the run).
    fn add(&mut self, other: Written) {
        self.links.extend(other.links);
        self.ids.extend(other.ids);
        self.diagnostics.extend(other.diagnostics);
    }

    fn body_ids(&self) -> links::BodyIds<'_> {
        (self.ids.iter())
            .map(|(source, ids)| (source.as_str(), &ids[..]))
            .collect()
    }
}

/// Free `value` on a thread of its own. A large site's data takes tens of
/// milliseconds to free, and nothing waits for that: the preview goes on
/// serving, and a one-off build exits meanwhile (the operating system takes
/// a process's memory back at once). Where no thread can be started, the
/// value is freed here.
fn free_in_background<T: Send + 'static>(value: T) {
    let free = move || drop(value);
    let _ = std::thread::Builder::new().name("free".into()).spawn(free);
}

/// The files of a run without errors, or all its diagnostics.
fn succeeded(run: Rendered) -> Result<(Vec<OutputFile>, Diagnostics), BuildError> {
    if run.diagnostics.has_errors() {
        return Err(BuildError::Content(run.diagnostics));
    }
    Ok((run.files, run.diagnostics))
}

/// Build `root` into `output`: each page is written to a staging folder as
/// soon as it is rendered, and the staging folder replaces the previous
/// output only when the whole run — data, templates, links — had no error;
/// otherwise it is removed.
pub fn build(
    root: &Path,
    output: &Path,
    options: &BuildOptions,
    minify: Option<bool>,
) -> Result<BuildReport, BuildError> {
    output::check_target(output, root)?;
    let mut cache = BuildCache::default();
    let (site, diagnostics) = load_site_cached(root, options, &mut cache)?;
    let staging = Staging::create(output)?;
    let capture = search::Capture::new(&staging);
    let sink: &dyn Sink = match site.config.search {
        true => &capture,
        false => &staging,
    };
    let run = render_loaded(root, &site, diagnostics, minify, &mut cache, sink)?;
    let (unwritten, warnings) = succeeded(run)?;
    debug_assert!(unwritten.is_empty(), "the staging folder takes every file");
    // The search index, over the finished pages, into the same staging folder.
    if site.config.search {
        for file in search::index(capture.into_pages(), &site.config.base_url)? {
            staging.accept(file);
        }
    }
    let committed = staging.commit()?;
    free_in_background((site, cache));
    Ok(BuildReport {
        files: committed.files,
        warnings,
        left_over: committed.left_over,
    })
}

/// Load and validate. The site holds what validated; the diagnostics may
/// hold errors. `Err` only when there is no site to render at all.
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
            Code::MissingFile,
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
    let read_text = cache.text_reader();
    let loaded = content::load_with(root, &read_text);
    drop(read_text);
    let (raw, mut diagnostics) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            cache.finish_loading();
            return Err(e.into());
        }
    };
    let (page, service, municipality) = cache.parsers();
    let parsers = model::Parsers {
        page: &page,
        service: &service,
        municipality: &municipality,
    };
    let (site, model_diagnostics) = model::build_with(raw, options, parsers);
    drop((page, service, municipality));
    cache.finish_loading();
    diagnostics.extend(model_diagnostics);
    match site {
        Some(site) => Ok((site, diagnostics.sorted())),
        None => Err(BuildError::Content(diagnostics.sorted())),
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
