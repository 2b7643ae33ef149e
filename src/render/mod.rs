//! The render stage: the validated site → every output file, in memory.
//! Markdown bodies first (in parallel; on a per-service page every step with
//! that service in context), then the `@/` anchor check, then templates; on
//! any problem nothing is returned but the diagnostics.

mod env;
mod files;
mod outputs;
mod pages;
pub mod site_view;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::{closest, Diagnostic, Diagnostics};
use crate::markdown::{
    self, highlight::Highlighter, slug::IdRegistry, slug::RESERVED_IDS, LinkRef, Rendered,
};
use crate::model::cache::fingerprint;
use crate::model::{Page, Site};
use crate::output::{OutputFile, Sink};
use crate::routes::Routes;
use crate::templates::views::{RenderedStep, ServiceView, SiteView};
use crate::templates::Theme;
use env::MarkdownEnv;

/// A body rendered once, generically (home, plain pages, steps).
struct Body {
    /// Fingerprint of everything the rendering depended on.
    key: u64,
    rendered: Rendered,
    ids: Vec<String>,
}

/// A per-service page's Markdown: every step in the service's context, then its own body.
pub(crate) struct ServiceBodies {
    /// Fingerprint of everything the rendering depended on.
    key: u64,
    /// Source path of the service file, e.g. `dienste/beistandschaft.md`.
    source: String,
    view: ServiceView,
    steps: Vec<RenderedStep>,
    body: Rendered,
    ids: Vec<String>,
    step_renders: Vec<Rendered>,
}

/// Shared, read-only inputs of the render stage.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    routes: Routes,
    highlighter: &'a Highlighter,
    site_view: SiteView,
    base: Context,
    minify: bool,
    /// Fingerprint of what every page depends on: site data, link targets, theme.
    env_key: u64,
    previous: &'a RenderCache,
    /// Every row of the status table, computed once.
    status_rows: Vec<crate::templates::views::StatusRow>,
    /// The pages of the status table when it is split by Land.
    status_parts: Vec<site_view::StatusPartDef>,
    /// Fingerprint of all municipalities (what status pages depend on).
    municipalities_key: u64,
    rendered: AtomicUsize,
    /// Whether fingerprints are computed (only a remembering cache uses them).
    keyed: bool,
    /// Where finished files go.
    sink: &'a dyn Sink,
    minifier: crate::output::minify::Minifier,
}

/// Render the whole site, handing every file to `sink` as soon as it is
/// finished; the files the sink hands back are returned with the warnings.
pub fn render(
    site: &Site,
    theme: &mut Theme,
    highlighter: &Highlighter,
    minify: bool,
    cache: &mut RenderCache,
    sink: &dyn Sink,
) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
    let mut diagnostics = check_templates(site, theme);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let routes = Routes::new(site.config.base_url.clone());
    theme.register_pages(site_view::page_links(site, &routes));
    let theme = &*theme;
    let site_view = site_view::site_view(site, &routes);
    let mut base = Context::new();
    base.insert("site", &site_view);
    base.insert("service", &None::<ServiceView>);
    let cache_remember = cache.remember;
    let env_key = if cache_remember {
        fingerprint(&(
            serde_json::to_string(&site_view).unwrap_or_default(),
            &site.link_targets,
            &site.drafts,
            theme.fingerprint,
            minify,
        ))
    } else {
        0
    };
    let previous = std::mem::take(cache);
    let status_rows = site_view::status_rows(site, &routes);
    let status_parts = site_view::split_status(&status_rows, &routes);
    let part_paths: Vec<String> = status_parts.iter().map(|p| p.path.clone()).collect();
    diagnostics.extend(outputs::check(site, theme, &part_paths));
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    let municipalities_key = if cache_remember {
        fingerprint(&site.municipalities)
    } else {
        0
    };
    let r = Renderer {
        site,
        theme,
        routes,
        highlighter,
        site_view,
        base,
        minify,
        env_key,
        previous: &previous,
        rendered: AtomicUsize::new(0),
        status_rows,
        status_parts,
        municipalities_key,
        keyed: cache_remember,
        sink,
        minifier: crate::output::minify::Minifier::new(),
    };
    let jobs = r.jobs();
    let copied = r.copied_files();
    let dirs = r.output_dirs(&jobs, &copied);
    // The output folders are created while the Markdown is rendered.
    let (generic, services) = std::thread::scope(|scope| {
        scope.spawn(|| sink.prepare_dirs(&dirs));
        (r.generic_bodies(), r.service_bodies())
    });
    let renders = generic.values().map(|b| &b.rendered).chain(
        services
            .iter()
            .flat_map(|s| s.step_renders.iter().chain([&s.body])),
    );
    for rendered in renders.clone() {
        diagnostics.extend(rendered.diagnostics.iter().cloned());
    }
    let anchors = anchor_map(&generic, &services);
    diagnostics.extend(
        renders
            .flat_map(|r| &r.links)
            .filter_map(|l| check_anchor(l, &anchors)),
    );
    if diagnostics.has_errors() {
        return Err(diagnostics.sorted());
    }
    drop(anchors);
    // Kept for the next build only when remembering; otherwise each body is
    // freed as soon as its page is rendered, which lowers the peak memory.
    let kept: HashMap<String, Arc<Body>> = if cache_remember {
        generic
            .iter()
            .map(|(k, b)| (k.clone(), b.clone()))
            .collect()
    } else {
        HashMap::new()
    };
    let (files, pages) = r.output_files(jobs, copied, generic, &services)?;
    let rendered = r.rendered.load(Ordering::Relaxed);
    *cache = if cache_remember {
        RenderCache {
            bodies: kept,
            services: services
                .iter()
                .map(|s| (s.source.clone(), s.clone()))
                .collect(),
            pages,
            rendered,
            remember: true,
        }
    } else {
        RenderCache {
            rendered,
            ..RenderCache::default()
        }
    };
    Ok((files, diagnostics.sorted()))
}

/// What the last render produced, for the preview: a body or page whose
/// inputs hash the same is taken from here instead of rendered again.
#[derive(Default)]
pub struct RenderCache {
    bodies: HashMap<String, Arc<Body>>,
    services: HashMap<String, Arc<ServiceBodies>>,
    pages: HashMap<String, (u64, OutputFile)>,
    /// Pages the last render actually rendered (not reused).
    pub rendered: usize,
    /// Keep this render's results for the next one (the preview).
    pub remember: bool,
}

impl RenderCache {
    pub fn remembering() -> Self {
        RenderCache {
            remember: true,
            ..RenderCache::default()
        }
    }
}

/// Each page's `template:` must name a page template (`.html`, not a
/// shortcode) of the theme. Required templates cannot be missing: the
/// embedded theme has them all, and a theme on disk is laid over it.
fn check_templates(site: &Site, theme: &Theme) -> Diagnostics {
    let mut d = Diagnostics::new();
    let is_page_template = |n: &str| n.ends_with(".html") && !n.starts_with("shortcodes/");
    for page in site.all_pages() {
        let Some(name) = &page.meta.template else {
            continue;
        };
        if is_page_template(name) && theme.has_template(name) {
            continue;
        }
        let names = theme.template_names();
        let pages: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| is_page_template(n))
            .collect();
        let mut hint = format!("Vorhanden sind: {}.", pages.join(", "));
        if let Some(best) = closest(name, pages.iter().copied()) {
            hint = format!("Meinten Sie „{best}“? {hint}");
        }
        d.push(
            Diagnostic::error(
                "unknown-template",
                &page.body.file,
                page.meta.template_position,
                format!("Das Template „{name}“ gibt es im Theme nicht."),
            )
            .with_hint(hint),
        );
    }
    d
}

impl Renderer<'_> {
    /// A fingerprint for the cache, or 0 when nothing is remembered.
    fn key(&self, compute: impl FnOnce() -> u64) -> u64 {
        if self.keyed {
            compute()
        } else {
            0
        }
    }

    fn env(&self) -> MarkdownEnv<'_> {
        MarkdownEnv {
            site: self.site,
            routes: &self.routes,
            theme: self.theme,
            base: &self.base,
            service: None,
        }
    }

    /// Home, plain pages and steps, each on its own page with its own ids.
    fn generic_bodies(&self) -> BTreeMap<String, Arc<Body>> {
        let env = self.env();
        let pages: Vec<&Page> = std::iter::once(&self.site.home)
            .chain(&self.site.pages)
            .chain(self.site.steps.iter().map(|s| &s.page))
            .collect();
        pages
            .par_iter()
            .map(|page| {
                let key = self.key(|| {
                    fingerprint(&(
                        self.env_key,
                        page.body.text(),
                        page.body.lines_before,
                        &page.body.file,
                    ))
                });
                if let Some(body) = self
                    .previous
                    .bodies
                    .get(&page.source)
                    .filter(|b| b.key == key)
                {
                    return (page.source.clone(), body.clone());
                }
                let mut ids = IdRegistry::with_reserved(&RESERVED_IDS);
                let rendered = markdown::render(&page.body, &env, self.highlighter, &mut ids, 0);
                let body = Body {
                    key,
                    rendered,
                    ids: ids.ids().to_vec(),
                };
                (page.source.clone(), Arc::new(body))
            })
            .collect()
    }

    fn service_bodies(&self) -> Vec<Arc<ServiceBodies>> {
        self.site
            .services
            .par_iter()
            .zip(self.site_view.services.par_iter())
            .map(|(service, view)| {
                let view = site_view::with_users(view.clone(), self.site, &self.routes);
                let key = self.key(|| {
                    let steps: Vec<(&str, &str)> = self
                        .site
                        .steps
                        .iter()
                        .map(|s| (s.page.body.text(), s.page.meta.title.as_str()))
                        .collect();
                    fingerprint(&(
                        self.env_key,
                        serde_json::to_string(&view).unwrap_or_default(),
                        service.page.body.text(),
                        steps,
                    ))
                });
                match self
                    .previous
                    .services
                    .get(&service.page.source)
                    .filter(|b| b.key == key)
                {
                    Some(cached) => cached.clone(),
                    None => Arc::new(self.service_body(service, view, key)),
                }
            })
            .collect()
    }

    fn service_body(
        &self,
        service: &crate::model::Service,
        mut view: ServiceView,
        key: u64,
    ) -> ServiceBodies {
        let env_view = view.clone();
        let env = MarkdownEnv {
            service: Some(&env_view),
            ..self.env()
        };
        let mut ids = IdRegistry::with_reserved(&RESERVED_IDS);
        let mut steps = Vec::new();
        let mut step_renders = Vec::new();
        for step in &self.site.steps {
            let id = ids.unique(&step.slug);
            let rendered = markdown::render(&step.page.body, &env, self.highlighter, &mut ids, 1);
            steps.push(RenderedStep {
                number: step.number,
                title: step.page.meta.title.clone(),
                id,
                content: rendered.html.clone(),
            });
            step_renders.push(rendered);
        }
        let body = markdown::render(&service.page.body, &env, self.highlighter, &mut ids, 0);
        view.content = body.html.clone();
        ServiceBodies {
            key,
            source: service.page.source.clone(),
            view,
            steps,
            body,
            ids: ids.ids().to_vec(),
            step_renders,
        }
    }
}

/// Source path → heading ids of the page it becomes.
fn anchor_map<'a>(
    generic: &'a BTreeMap<String, Arc<Body>>,
    services: &'a [Arc<ServiceBodies>],
) -> BTreeMap<&'a str, &'a [String]> {
    let mut map: BTreeMap<&str, &[String]> = generic
        .iter()
        .map(|(k, b)| (k.as_str(), b.ids.as_slice()))
        .collect();
    for s in services {
        map.insert(s.source.as_str(), &s.ids);
    }
    map
}

fn check_anchor(link: &LinkRef, anchors: &BTreeMap<&str, &[String]>) -> Option<Diagnostic> {
    let anchor = link.anchor.as_deref()?;
    let ids = anchors.get(link.target.as_str())?;
    if ids.iter().any(|i| i == anchor) {
        return None;
    }
    let hint = match closest(anchor, ids.iter().map(String::as_str)) {
        Some(best) => format!("Meinten Sie „#{best}“? Anker entstehen aus Überschriften; eigene Anker schreiben Sie als „## Titel {{#anker}}“."),
        None if ids.is_empty() => "Die Zielseite hat keine Überschriften mit Anker.".into(),
        None => format!("Vorhandene Anker: {}.", ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")),
    };
    Some(
        Diagnostic::error(
            "broken-anchor",
            &link.file,
            link.position,
            format!(
                "Den Anker „#{anchor}“ gibt es in „@/{}“ nicht.",
                link.target
            ),
        )
        .with_hint(hint),
    )
}
