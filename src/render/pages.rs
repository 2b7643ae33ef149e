//! The third render stage: each page job and its body → a finished page,
//! handed to the sink as soon as it is done, together with the copied and
//! generated files. A job's body is made (by the function the caller hands
//! in) right before its page and dropped right after, so a build on disk
//! holds neither every body nor every page. Each page is scanned for the
//! link check before it is minified. Each page is computed by a function the
//! caller hands in; [`page`] is the plain one.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::bodies::{JobBody, ServiceBodies};
use super::files::{self, SitemapMaker};
use super::plan::{Listing, PageJob, Plan};
use super::Inputs;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Position};
use crate::links::{self, PageScan};
use crate::markdown::nesting::{self, TooDeep, MAX_PAGE_DEPTH};
use crate::model::Page;
use crate::output::{OutputFile, Sink};
use crate::routes::{self, OutputPath, SitePath, SourcePath};
use crate::templates::views::{self, PageView, StatusPart, StatusTable};

/// One finished HTML page and what the link check keeps of it.
#[derive(Debug, Clone)]
pub(crate) struct FinishedPage {
    pub file: OutputFile,
    pub scan: PageScan,
}

/// How each page is computed: `page` itself, or reusing an earlier build's.
/// The context is lent to the page, holding `site`; a page adds its own keys.
pub(crate) type PageMaker<'m> =
    dyn Fn(&PageJob, &JobBody, &mut Context) -> Result<Arc<FinishedPage>, Diagnostic> + Sync + 'm;

/// How each job's body is made: [`super::body`] with the body makers.
pub(crate) type BodyOf<'m> = dyn Fn(&PageJob) -> JobBody + Sync + 'm;

/// What the pages stage hands on.
pub(crate) struct RenderedPages {
    /// The files the sink handed back (all of them in memory, none on disk), by path.
    pub files: Vec<OutputFile>,
    /// Every HTML page, for the link check.
    pub scans: Vec<PageScan>,
    /// Template errors.
    pub diagnostics: Diagnostics,
}

/// Render every page into `sink`, with the copied and generated files.
pub(crate) fn pages(
    inputs: &Inputs,
    plan: &Plan,
    body_of: &BodyOf,
    make: &PageMaker,
    make_sitemap: &SitemapMaker,
    sink: &dyn Sink,
) -> RenderedPages {
    let (results, others) = rayon::join(
        || render_jobs(inputs, plan, body_of, make, sink),
        || other_files(inputs, plan, make_sitemap, sink),
    );
    let (others, generated_errors) = others;
    let mut files: BTreeMap<OutputPath, OutputFile> =
        others.into_iter().map(|f| (f.path.clone(), f)).collect();
    let mut scans = Vec::with_capacity(results.len());
    let mut diagnostics = Diagnostics::from_iter(generated_errors);
    for result in results {
        match result {
            Ok((file, scan)) => {
                files.extend(file.map(|f| (f.path.clone(), f)));
                scans.push(scan);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    RenderedPages {
        files: files.into_values().collect(),
        scans,
        diagnostics,
    }
}

/// Every job's page, in the plan's order, each handed to `sink` as soon as
/// it is done. Each job is its own piece of work, so that a worker that is
/// done takes over pages from one still busy: pages differ in cost by a
/// factor of several hundred (a part of the status table against a short
/// step page). A context holding the site data is lent to each page, which
/// adds its own keys and takes them out again.
fn render_jobs(
    inputs: &Inputs,
    plan: &Plan,
    body_of: &BodyOf,
    make: &PageMaker,
    sink: &dyn Sink,
) -> Vec<Result<(Option<OutputFile>, PageScan), Diagnostic>> {
    let contexts = ContextPool::new(&inputs.base);
    let mut results: Vec<(usize, Result<_, Diagnostic>)> = (costly_first(&plan.jobs))
        .par_iter()
        .with_max_len(1)
        .map(|&i| {
            let job = &plan.jobs[i];
            let body = body_of(job);
            let page = contexts.with(|ctx| make(job, &body, ctx));
            drop(body);
            let page = page.map(|page| {
                let page = Arc::try_unwrap(page).unwrap_or_else(|shared| (*shared).clone());
                (sink.accept(page.file), page.scan)
            });
            (i, page)
        })
        .collect();
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

/// The jobs' indices, the pages that list the whole site first (the
/// listings, such as the A–Z index, and the parts of the status table): a
/// page that takes hundreds of times as long as most is best begun early, so
/// that the build does not end with one worker rendering it while the others
/// have nothing left to do. Each group keeps the plan's order.
fn costly_first(jobs: &[PageJob]) -> Vec<usize> {
    let costly = |job: &PageJob| matches!(job, PageJob::Listing(_) | PageJob::StatusPart(_));
    let (mut order, rest): (Vec<usize>, Vec<usize>) =
        (0..jobs.len()).partition(|&i| costly(&jobs[i]));
    order.extend(rest);
    order
}

/// Copied and generated files, handed to the sink. No two outputs share a
/// path (checked in the plan) except a site file over a theme file, and the
/// site file comes later, so it wins.
fn other_files(
    inputs: &Inputs,
    plan: &Plan,
    make_sitemap: &SitemapMaker,
    sink: &dyn Sink,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let (generated, errors) = files::generated(inputs, plan, make_sitemap);
    let mut all: BTreeMap<OutputPath, OutputFile> = BTreeMap::new();
    for file in plan.copied.iter().cloned().chain(generated) {
        all.insert(file.path.clone(), file);
    }
    let all: Vec<OutputFile> = all.into_values().collect();
    let handed_back = all.into_par_iter().filter_map(|f| sink.accept(f)).collect();
    (handed_back, errors)
}

/// Render one page: template, link scan, minification.
pub(crate) fn page(
    inputs: &Inputs,
    plan: &Plan,
    job: &PageJob,
    body: &JobBody,
    ctx: &mut Context,
) -> Result<FinishedPage, Diagnostic> {
    let mut ctx = PageContext::new(ctx, &inputs.base);
    let view = Views { inputs, plan };
    let template = view.fill(job, body, &mut ctx);
    ctx.insert("feeds", &view.feeds(job));
    let path = plan.path(inputs.site, job);
    let html = inputs.theme.render_bytes(&template, ctx.context())?;
    let output = routes::output_file(&path);
    let written: Vec<_> = body.links().collect();
    let base = inputs.site.config.base_url.path();
    let targets = links::Targets {
        outputs: &plan.outputs,
        urls: &plan.urls,
        base,
    };
    let scan = links::scan(&output, &html, &written, &targets);
    let bytes = match finish(inputs, html) {
        Ok(bytes) => bytes,
        // Reported at the Markdown line where the nesting starts; the run fails.
        Err(html) if body_too_deep(body) => html,
        Err(_) => return Err(too_deep(inputs, job, &path, &template)),
    };
    Ok(FinishedPage {
        file: OutputFile::bytes(output, bytes),
        scan,
    })
}

/// The page's bytes, minified when the site asks for it; `Err` for a
/// page nested too deeply to be minified (also when it is not minified),
/// handing the page back.
fn finish(inputs: &Inputs, html: Vec<u8>) -> Result<Vec<u8>, Vec<u8>> {
    let checked: Result<Vec<u8>, TooDeep> = if inputs.minify {
        inputs.minifier.minify(&html)
    } else {
        nesting::check_page(&html).map(|()| Vec::new())
    };
    match checked {
        Ok(minified) if inputs.minify => Ok(minified),
        Ok(_) => Ok(html),
        Err(_) => Err(html),
    }
}

/// Whether the page's Markdown itself nests too deeply (already an error there).
fn body_too_deep(body: &JobBody) -> bool {
    body.renders()
        .iter()
        .any(|r| r.diagnostics.iter().any(|d| d.code == Code::TooDeep))
}

/// A page (template and body together) nests more elements than can be
/// minified; checked whether or not the site is minified, so that
/// `check` and `build` agree.
fn too_deep(inputs: &Inputs, job: &PageJob, path: &SitePath, template: &str) -> Diagnostic {
    let site = inputs.site;
    let file = routes::theme_path(&site.config.theme, &format!("templates/{template}"));
    let url = inputs.routes.url(path);
    let source = match job {
        PageJob::Markdown { page, .. } => Some(page.body.file.display().to_string()),
        PageJob::Service(index) => Some(site.services[*index].page.body.file.display().to_string()),
        _ => None,
    };
    let with = source
        .map(|s| format!(" und den Shortcodes in {s}"))
        .unwrap_or_default();
    Diagnostic::error(
        Code::TooDeep,
        file,
        Position::START,
        format!("Die Seite {url} verschachtelt mehr als {MAX_PAGE_DEPTH} HTML-Elemente ineinander; so tief kann sie nicht verarbeitet werden."),
    )
    .with_hint(format!("Prüfen Sie im Template „{template}“{with} Schleifen und Makros, die Elemente öffnen, und schließen Sie jedes Element wieder (z. B. mit </div>)."))
}

/// The typed views a page's template sees.
struct Views<'v> {
    inputs: &'v Inputs<'v>,
    plan: &'v Plan<'v>,
}

impl Views<'_> {
    /// Put the page's views into `ctx`; returns the template to render.
    fn fill(&self, job: &PageJob, body: &JobBody, ctx: &mut PageContext) -> String {
        let inputs = self.inputs;
        match (job, body) {
            (PageJob::Markdown { page, role }, JobBody::Page(body)) => {
                ctx.insert(
                    "page",
                    &self.page_view(page, role.kind(), &body.rendered.html),
                );
                match role {
                    super::Role::Step(i) => ctx.insert("step", &inputs.site_view.steps[*i]),
                    super::Role::News(i) => ctx.insert("news", &inputs.site_view.news[*i]),
                    _ => {}
                }
                template_of(inputs.theme, page, role.default_template())
            }
            (PageJob::Service(index), JobBody::Service(bodies)) => {
                self.service(&inputs.site.services[*index].page, bodies, ctx)
            }
            (PageJob::Listing(listing), _) => {
                let page = self.generated_view(
                    &routes::fixed(listing.path()),
                    listing.kind(),
                    listing.title(),
                    listing.description(),
                );
                ctx.insert("page", &page);
                match listing {
                    Listing::Status => ctx.insert("status", &self.status_table(None)),
                    Listing::Search => ctx.insert("index", &self.index()),
                    _ => {}
                }
                listing.template().to_string()
            }
            (PageJob::StatusPart(i), _) => self.status_part(*i, ctx),
            (PageJob::Municipality(m), _) => {
                let path = routes::municipality(&m.id);
                let view = views::build::municipality_view(inputs.site, &inputs.routes, m);
                let description = format!(
                    "Stand der Anbindung von {} ({}) an die Onlinedienste.",
                    m.name,
                    m.land.name()
                );
                let page = self.generated_view(&path, "municipality", &m.name, "");
                ctx.insert(
                    "page",
                    &PageView {
                        description,
                        ..page
                    },
                );
                ctx.insert("municipality", &view);
                "municipality.html".to_string()
            }
            (PageJob::Form(index), _) => self.form(*index, ctx),
            (PageJob::NewsList(index), _) => self.news_list(*index, ctx),
            (PageJob::Alias { to, .. }, _) => {
                ctx.insert("page", &self.page_view(to, "alias", ""));
                ctx.insert("redirect_to", &inputs.routes.permalink(&to.path));
                "alias.html".to_string()
            }
            (PageJob::Markdown { .. } | PageJob::Service(_), _) => {
                unreachable!("the bodies stage gives every Markdown job its body")
            }
        }
    }

    fn service(&self, page: &Page, s: &ServiceBodies, ctx: &mut PageContext) -> String {
        ctx.insert("page", &self.page_view(page, "service", &s.body.html));
        ctx.insert("service", &s.view);
        ctx.insert("steps", &s.steps);
        template_of(self.inputs.theme, page, "service.html")
    }

    /// The form of a service's questionnaire.
    fn form(&self, index: usize, ctx: &mut PageContext) -> String {
        let site = self.inputs.site;
        let service = &site.services[index];
        let view = &self.inputs.site_view.services[index];
        let path = routes::questionnaire_form(&service.id);
        let title = format!("Anbindungsfragebogen online ausfüllen: {}", view.title);
        let description = format!(
            "Alle Angaben für die Anbindung an den Onlinedienst {}: als Formular, als Liste zum Drucken und als Excel-Datei.",
            view.title
        );
        let page = self.generated_view(&path, "form", &title, &description);
        ctx.insert("page", &page);
        ctx.insert("service", view);
        if let Some(layout) = crate::questionnaire::service_layout(site, service) {
            let form =
                views::form::form_view(&layout, view.url.clone(), view.questionnaire.clone());
            ctx.insert("form", &form);
        }
        "fragebogen.html".to_string()
    }

    /// One page of the news list.
    fn news_list(&self, index: usize, ctx: &mut PageContext) -> String {
        let inputs = self.inputs;
        let list = views::news::news_list(inputs.site, &inputs.routes, index);
        let title = match list.count {
            1 => "Aktuelles".to_string(),
            n => format!("Aktuelles – Seite {} von {n}", index + 1),
        };
        let path = views::news::news_list_path(index);
        let description = "Meldungen des Mitnutzungsportals, die neueste zuerst.";
        ctx.insert(
            "page",
            &self.generated_view(&path, "news_list", &title, description),
        );
        ctx.insert("news_list", &list);
        "aktuelles.html".to_string()
    }

    /// The A–Z index of `/suche/`.
    fn index(&self) -> views::IndexView {
        let inputs = self.inputs;
        views::news::index(inputs.site, &inputs.routes, &self.plan.status.parts)
    }

    /// The feeds a page offers (autodiscovery and the visible link).
    fn feeds(&self, job: &PageJob) -> Vec<views::FeedLink> {
        let routes = &self.inputs.routes;
        let news = || views::news::news_feed(routes);
        let status = || views::news::status_feed(routes);
        match job {
            PageJob::Markdown { role, .. } => match role {
                super::Role::Home => vec![news(), status()],
                super::Role::News(_) => vec![news()],
                _ => Vec::new(),
            },
            PageJob::NewsList(_) => vec![news()],
            PageJob::Listing(Listing::Status) | PageJob::StatusPart(_) => vec![status()],
            PageJob::Municipality(_) => vec![status()],
            PageJob::Service(i) => {
                let s = &self.inputs.site_view.services[*i];
                vec![views::news::service_feed(routes, &s.id, &s.title)]
            }
            _ => Vec::new(),
        }
    }

    fn status_part(&self, i: usize, ctx: &mut PageContext) -> String {
        let part = &self.plan.status.parts[i];
        let title = format!("Stand der Anbindung: {}", part.view.label);
        let description = format!("Stand der Anbindung der Kommunen in {}.", part.view.state);
        let page = self.generated_view(&part.path, "status", &title, "");
        ctx.insert(
            "page",
            &PageView {
                description,
                ..page
            },
        );
        ctx.insert("status", &self.status_table(Some(i)));
        "status.html".to_string()
    }

    fn page_view(&self, page: &Page, kind: &'static str, content: &str) -> PageView {
        let routes = &self.inputs.routes;
        PageView {
            title: page.meta.title.clone(),
            description: page.meta.description.clone(),
            date: page.meta.date.map(Into::into),
            url: routes.url(&page.path),
            permalink: routes.permalink(&page.path),
            content: content.to_string(),
            kind,
            source: page.source.clone(),
        }
    }

    fn generated_view(
        &self,
        path: &SitePath,
        kind: &'static str,
        title: &str,
        description: &str,
    ) -> PageView {
        let routes = &self.inputs.routes;
        PageView {
            title: title.to_string(),
            description: description.to_string(),
            date: None,
            url: routes.url(path),
            permalink: routes.permalink(path),
            content: String::new(),
            kind,
            source: SourcePath::default(),
        }
    }

    /// The status table of `/status/` (`part: None`) or of one part of a split table.
    fn status_table(&self, part: Option<usize>) -> StatusTable<'_> {
        let status = &self.plan.status;
        let parts: Vec<&StatusPart> = status.parts.iter().map(|p| &p.view).collect();
        let rows = match part {
            Some(i) => &status.rows[status.parts[i].rows.clone()],
            None if parts.is_empty() => &status.rows[..],
            None => &[],
        };
        let mut states: Vec<&'static str> = rows.iter().map(|r| r.state).collect();
        states.sort_unstable();
        states.dedup();
        let neighbour = |i: Option<usize>| i.and_then(|i| parts.get(i)).copied();
        StatusTable {
            rows,
            states,
            summary: &self.inputs.site_view.status_summary,
            total_rows: status.rows.len(),
            part: part.map(|i| parts[i]),
            previous: neighbour(part.and_then(|i| i.checked_sub(1))),
            next: neighbour(part.map(|i| i + 1)),
            parts,
        }
    }
}

/// The page's `template:`, or the default for its role (also in place of a
/// template the theme lacks: that is reported by the plan, and the page is
/// still rendered so that its links are checked).
fn template_of(theme: &crate::templates::Theme, page: &Page, default: &str) -> String {
    match &page.meta.template {
        Some(name) if super::plan::is_page_template(name) && theme.has_template(name) => {
            name.clone()
        }
        _ => default.to_string(),
    }
}

/// Contexts holding the site data, lent to one page at a time: as many
/// are made (cloned from the base) as pages are rendered at once.
struct ContextPool<'a> {
    base: &'a Context,
    idle: std::sync::Mutex<Vec<Context>>,
}

impl<'a> ContextPool<'a> {
    fn new(base: &'a Context) -> Self {
        ContextPool {
            base,
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Run `f` with a context no other page is using; it is returned to
    /// the pool afterwards (as the page left it: without its own keys).
    fn with<R>(&self, f: impl FnOnce(&mut Context) -> R) -> R {
        let taken = self.idle().pop();
        let mut ctx = taken.unwrap_or_else(|| self.base.clone());
        let result = f(&mut ctx);
        self.idle().push(ctx);
        result
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Context>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A pooled context lent to one page: the keys the page adds are taken out
/// (or set back to the site-wide value) when the page is done, so the site
/// data is shared by the pages that borrow the context instead of copied for each.
struct PageContext<'a> {
    ctx: &'a mut Context,
    base: &'a Context,
    added: Vec<&'static str>,
}

impl<'a> PageContext<'a> {
    fn new(ctx: &'a mut Context, base: &'a Context) -> Self {
        PageContext {
            ctx,
            base,
            added: Vec::new(),
        }
    }

    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.ctx.insert(key, value);
        self.added.push(key);
    }

    fn context(&self) -> &Context {
        self.ctx
    }
}

impl Drop for PageContext<'_> {
    fn drop(&mut self) {
        for key in self.added.drain(..) {
            match self.base.get(key) {
                Some(value) => self.ctx.insert(key, value),
                None => {
                    self.ctx.remove(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Context {
        let mut base = Context::new();
        base.insert("site", "Seite");
        base
    }

    #[test]
    fn a_context_is_lent_again_once_returned() {
        let base = base();
        let pool = ContextPool::new(&base);
        pool.with(|ctx| ctx.insert("marke", &1));
        let seen = pool.with(|ctx| ctx.get("marke").cloned());
        assert_eq!(seen, Some(tera::Value::from(1)));
        assert_eq!(pool.idle().len(), 1);
    }

    #[test]
    fn a_page_rendered_meanwhile_gets_its_own_context() {
        let base = base();
        let pool = ContextPool::new(&base);
        pool.with(|outer| {
            outer.insert("marke", &1);
            let inner = pool.with(|inner| inner.get("marke").cloned());
            assert_eq!(inner, None);
            assert_eq!(outer.get("site"), Some(&tera::Value::from("Seite")));
        });
        assert_eq!(pool.idle().len(), 2);
    }
}
