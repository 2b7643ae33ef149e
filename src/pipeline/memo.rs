//! The preview's memory between builds, in one place: [`BuildCache`] keeps
//! what one build read, parsed and rendered, and hands the render stages
//! functions that reuse a result whose inputs did not change. The stages
//! themselves know nothing of it; the fingerprints here name what each
//! result depends on.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tera::Context;

use crate::content::{SourceFile, TextResult, TextStamp};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fingerprint::{fingerprint, Fingerprint};
use crate::fs::FsError;
use crate::highlight::Highlighter;
use crate::model::parsers::{PlainPage, ServicePage};
use crate::model::{Municipality, MunicipalityContext, Page, Parsed, Service};
use crate::render::{self, Body, FinishedPage, Inputs, JobBody, PageJob, Plan, ServiceBodies};
use crate::routes::{self, OutputPath};
use crate::templates::views::{ServiceView, SitemapView};
use crate::templates::{CompiledTemplates, Theme, ThemeSources};

/// Results of one kind by name (source or output path), with the
/// fingerprint of their inputs: this build's, and the last build's to reuse.
/// Names are shared (`Arc<str>`), so that a name met again is not copied.
pub(super) struct Memo<T> {
    last: foldhash::HashMap<Arc<str>, (Fingerprint, T)>,
    this: Mutex<foldhash::HashMap<Arc<str>, (Fingerprint, T)>>,
    remember: bool,
    misses: AtomicUsize,
}

impl<T: Clone> Memo<T> {
    fn new(remember: bool) -> Self {
        Memo {
            last: foldhash::HashMap::default(),
            this: Mutex::new(foldhash::HashMap::default()),
            remember,
            misses: AtomicUsize::new(0),
        }
    }

    /// The last build's result for `name` if its fingerprint is the same,
    /// else a new one (remembered for the next build). Without memory,
    /// nothing is fingerprinted.
    pub(super) fn get_or<E>(
        &self,
        name: &str,
        inputs: impl FnOnce() -> Fingerprint,
        compute: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if !self.remember {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return compute();
        }
        let key = inputs();
        let last = self.last.get_key_value(name);
        let value = match last {
            Some((_, (old, value))) if *old == key => value.clone(),
            _ => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                compute()?
            }
        };
        let name = last.map_or_else(|| Arc::from(name), |(name, _)| name.clone());
        if let Ok(mut this) = self.this.lock() {
            this.insert(name, (key, value.clone()));
        }
        Ok(value)
    }

    /// Count a result computed without asking the memo (its inputs cannot be fingerprinted).
    fn computed_apart(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }

    /// The fingerprint this build gave the result `name`, if it has one.
    fn fingerprint_of(&self, name: &str) -> Option<Fingerprint> {
        let this = self.this.lock().ok()?;
        this.get(name).map(|(key, _)| *key)
    }

    /// End a build: what it kept is what the next one may reuse.
    fn finish(&mut self) -> usize {
        let this = std::mem::take(self.this.get_mut().unwrap_or_else(|e| e.into_inner()));
        self.last = this;
        self.misses.swap(0, Ordering::Relaxed)
    }
}

/// What one build keeps for the next, so that the preview re-reads,
/// re-parses and re-renders only what changed. `build` starts with an
/// empty one that keeps nothing.
pub struct BuildCache {
    texts: Memo<TextResult>,
    plain_pages: Memo<Arc<Parsed<PlainPage>>>,
    service_pages: Memo<Arc<Parsed<ServicePage>>>,
    municipalities: Memo<Arc<Parsed<Municipality>>>,
    bodies: Memo<Arc<Body>>,
    services: Memo<Arc<ServiceBodies>>,
    pages: Memo<Arc<FinishedPage>>,
    /// The theme's compiled templates (one entry).
    templates: Memo<Arc<CompiledTemplates>>,
    /// `sitemap.xml` (one entry): a page's edit rarely changes it, and
    /// rendering thousands of URLs through the template is not cheap.
    sitemap: Memo<Arc<[u8]>>,
    /// Files the last build read from disk, parsed and rendered (not reused).
    read: usize,
    parsed: usize,
    rendered: usize,
    compiled: usize,
    pub(super) highlighter: Highlighter,
}

impl Default for BuildCache {
    fn default() -> Self {
        BuildCache::new(false)
    }
}

impl BuildCache {
    /// A cache that keeps what each build read, parsed and rendered for the
    /// next (the preview). `default()` keeps nothing, so a one-off build
    /// holds less memory.
    pub fn remembering() -> Self {
        BuildCache::new(true)
    }

    fn new(remember: bool) -> Self {
        BuildCache {
            texts: Memo::new(remember),
            plain_pages: Memo::new(remember),
            service_pages: Memo::new(remember),
            municipalities: Memo::new(remember),
            bodies: Memo::new(remember),
            services: Memo::new(remember),
            pages: Memo::new(remember),
            templates: Memo::new(remember),
            sitemap: Memo::new(remember),
            read: 0,
            parsed: 0,
            rendered: 0,
            compiled: 0,
            highlighter: Highlighter::new(),
        }
    }

    /// Text files the last build read from disk rather than reused.
    pub fn read(&self) -> usize {
        self.read
    }

    /// Files the last build parsed rather than reused.
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// Pages the last build rendered rather than reused.
    pub fn rendered(&self) -> usize {
        self.rendered
    }

    /// Whether the last build compiled the theme's templates (1) rather
    /// than reused them (0).
    pub fn compiled(&self) -> usize {
        self.compiled
    }

    /// The loader's text reader: a file whose size and modification time
    /// are those of the last build is not read again.
    pub(super) fn text_reader(
        &self,
    ) -> impl Fn(
        TextStamp,
        &mut dyn FnMut() -> Result<TextResult, FsError>,
    ) -> Result<TextResult, FsError>
           + Sync
           + '_ {
        move |stamp: TextStamp, read: &mut dyn FnMut() -> Result<TextResult, FsError>| {
            let Some(modified) = stamp.modified else {
                self.texts.computed_apart();
                return read();
            };
            let inputs = || fingerprint(&(modified, stamp.len));
            self.texts.get_or(stamp.rel, inputs, read)
        }
    }

    /// The model's per-file parsers: a file whose text (and, for a
    /// municipality, whose context) is that of the last build is not parsed again.
    #[allow(clippy::type_complexity)]
    pub(super) fn parsers(
        &self,
    ) -> (
        impl Fn(&SourceFile) -> Parsed<PlainPage> + Sync + '_,
        impl Fn(&SourceFile) -> Parsed<ServicePage> + Sync + '_,
        impl Fn(&SourceFile, MunicipalityContext) -> Parsed<Municipality> + Sync + '_,
    ) {
        use crate::model::parsers::{parse_municipality, parse_page, parse_service};
        let page =
            |f: &SourceFile| parse_once(&self.plain_pages, f, f.fingerprint, || parse_page(f));
        let service =
            |f: &SourceFile| parse_once(&self.service_pages, f, f.fingerprint, || parse_service(f));
        let municipality = |f: &SourceFile, context: MunicipalityContext| {
            let inputs = (f.fingerprint, context.service_ids, context.today);
            parse_once(&self.municipalities, f, inputs, || {
                parse_municipality(f, context)
            })
        };
        (page, service, municipality)
    }

    /// End a build's loading: keep what it read and parsed for the next.
    pub(super) fn finish_loading(&mut self) {
        self.read = self.texts.finish();
        self.parsed =
            self.plain_pages.finish() + self.service_pages.finish() + self.municipalities.finish();
    }

    /// The theme of `sources`, its templates compiled again only when they
    /// (or the layer each comes from) changed since the last build.
    pub(super) fn theme(&self, sources: ThemeSources) -> Result<Theme, Diagnostics> {
        let compiled = self.templates.get_or(
            "",
            || sources.templates_fingerprint(),
            || sources.compile_templates().map(Arc::new),
        );
        Theme::assemble(sources, compiled.map(Arc::unwrap_or_clone))
    }

    /// The sitemap maker that reuses the last build's `sitemap.xml` while
    /// its URLs and the theme are the same.
    pub(super) fn sitemap_maker<'m>(
        &'m self,
        inputs: &'m Inputs,
    ) -> impl Fn(&SitemapView) -> Result<Arc<[u8]>, Diagnostic> + Sync + 'm {
        move |view: &SitemapView| {
            self.sitemap.get_or(
                routes::SITEMAP,
                || fingerprint(&(inputs.theme.fingerprint, view)),
                || render::sitemap(inputs.theme, view),
            )
        }
    }

    /// End a build's rendering: keep its results for the next.
    pub(super) fn finish(&mut self) {
        self.compiled = self.templates.finish();
        self.sitemap.finish();
        self.bodies.finish();
        self.services.finish();
        self.rendered = self.pages.finish();
    }

    /// Fingerprint of what every page depends on: site data, link targets, theme, outputs.
    pub(super) fn site_key(&self, inputs: &Inputs, plan: &Plan) -> Fingerprint {
        if !self.pages.remember {
            return 0;
        }
        let mut outputs: Vec<&OutputPath> = plan.outputs.iter().collect();
        outputs.sort_unstable();
        let site = inputs.site;
        // Titles and keywords of every page make the A–Z index.
        let index: Vec<(&String, &Vec<String>)> = (site.all_pages())
            .map(|p| (&p.meta.title, &p.meta.keywords))
            .collect();
        fingerprint(&(
            serde_json::to_string(&inputs.site_view).unwrap_or_default(),
            index,
            &site.link_targets,
            &site.drafts,
            &site.with_errors,
            inputs.theme.fingerprint,
            inputs.minify,
            outputs,
        ))
    }

    /// Body makers that reuse the last build's bodies.
    pub(super) fn body_makers<'m>(
        &'m self,
        inputs: &'m Inputs,
        site_key: Fingerprint,
    ) -> (
        impl Fn(&Page) -> Arc<Body> + Sync + 'm,
        impl Fn(&Service, ServiceView) -> Arc<ServiceBodies> + Sync + 'm,
    ) {
        let page = move |page: &Page| {
            let computed = self.bodies.get_or(
                &page.source,
                || body_key(site_key, page),
                || Ok::<_, ()>(Arc::new(render::page_body(inputs, page))),
            );
            computed.unwrap_or_else(|()| unreachable!("a body is always rendered"))
        };
        let service = move |service: &Service, view: ServiceView| {
            let computed = self.services.get_or(
                &service.page.source,
                || service_key(site_key, inputs, service, &view),
                || {
                    Ok::<_, ()>(Arc::new(render::service_bodies(
                        inputs,
                        service,
                        view.clone(),
                    )))
                },
            );
            computed.unwrap_or_else(|()| unreachable!("service bodies are always rendered"))
        };
        (page, service)
    }

    /// The page maker that reuses the last build's pages.
    pub(super) fn page_maker<'m>(
        &'m self,
        inputs: &'m Inputs,
        plan: &'m Plan,
        site_key: Fingerprint,
    ) -> impl Fn(&PageJob, &JobBody, &mut Context) -> Result<Arc<FinishedPage>, Diagnostic> + Sync + 'm
    {
        let municipalities = if self.pages.remember {
            fingerprint(&inputs.site.municipalities)
        } else {
            0
        };
        move |job: &PageJob, body: &JobBody, ctx: &mut Context| {
            self.pages.get_or(
                &plan.path(inputs.site, job),
                || {
                    page_key(
                        (site_key, municipalities),
                        job,
                        self.body_key_of(inputs, job),
                    )
                },
                || render::page(inputs, plan, job, body, ctx).map(Arc::new),
            )
        }
    }

    /// The fingerprint of the inputs of a job's body (0 for a job without one).
    fn body_key_of(&self, inputs: &Inputs, job: &PageJob) -> Fingerprint {
        let found = match job {
            PageJob::Markdown { page, .. } => self.bodies.fingerprint_of(&page.source),
            PageJob::Service(i) => {
                let source = &inputs.site.services[*i].page.source;
                self.services.fingerprint_of(source)
            }
            _ => None,
        };
        found.unwrap_or(0)
    }
}

/// Parse `file` unless `memo` has its result for the same `inputs`. The
/// result is the model's to own: moved out when nothing else holds it (a
/// build that keeps nothing), else copied once from the memo's.
fn parse_once<T: Clone>(
    memo: &Memo<Arc<T>>,
    file: &SourceFile,
    inputs: impl std::hash::Hash,
    parse: impl FnOnce() -> T,
) -> T {
    let parsed = memo.get_or(
        &file.rel,
        || fingerprint(&inputs),
        || Ok::<_, ()>(Arc::new(parse())),
    );
    let parsed = parsed.unwrap_or_else(|()| unreachable!("parsing always gives a result"));
    Arc::unwrap_or_clone(parsed)
}

/// A body's inputs: the site key, its text (by its file's fingerprint and
/// where in the file it starts) and where it lies (for diagnostics).
fn body_key(site_key: Fingerprint, page: &Page) -> Fingerprint {
    let body = &page.body;
    let text = (body.fingerprint, body.start);
    let file = body.file.as_os_str();
    fingerprint(&(site_key, text, body.lines_before, file))
}

fn service_key(
    site_key: Fingerprint,
    inputs: &Inputs,
    service: &Service,
    view: &ServiceView,
) -> Fingerprint {
    let text = |b: &crate::model::MarkdownBody| (b.fingerprint, b.start);
    let steps: Vec<_> = (inputs.site.steps.iter())
        .map(|s| (text(&s.page.body), s.page.meta.title.as_str()))
        .collect();
    fingerprint(&(
        site_key,
        serde_json::to_string(view).unwrap_or_default(),
        text(&service.page.body),
        steps,
    ))
}

/// Everything a page's HTML depends on: the site key, the municipalities
/// (status tables), its job and the inputs of its body.
fn page_key(
    (site_key, municipalities): (Fingerprint, Fingerprint),
    job: &PageJob,
    body: Fingerprint,
) -> Fingerprint {
    let job = match job {
        PageJob::Markdown { page, role } => fingerprint(&(&page.meta, &page.path, role)),
        PageJob::Service(i) => fingerprint(&(1, i)),
        PageJob::Listing(listing) => fingerprint(&(listing, municipalities)),
        PageJob::StatusPart(i) => fingerprint(&(2, i, municipalities)),
        PageJob::Municipality(m) => fingerprint(m),
        PageJob::Form(i) => fingerprint(&(3, i)),
        PageJob::NewsList(i) => fingerprint(&(4, i)),
        PageJob::Alias { from, to } => fingerprint(&(from, &to.path)),
    };
    fingerprint(&(site_key, job, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One build's results for (name, input) items; the fingerprint is the input's length.
    fn build(memo: &mut Memo<String>, items: &[(&str, &str)]) -> (Vec<String>, usize) {
        let out = items
            .iter()
            .map(|(name, input)| {
                memo.get_or(
                    name,
                    || input.len() as u64,
                    || Ok::<_, ()>(input.to_uppercase()),
                )
                .unwrap()
            })
            .collect();
        (out, memo.finish())
    }

    #[test]
    fn a_result_is_reused_while_its_fingerprint_stays() {
        let mut memo = Memo::new(true);
        assert_eq!(build(&mut memo, &[("a", "eins"), ("b", "zwei")]).1, 2);
        // Same fingerprint: the remembered result, nothing computed.
        assert_eq!(
            build(&mut memo, &[("a", "xxxx"), ("b", "zwei")]),
            (vec!["EINS".into(), "ZWEI".into()], 0)
        );
        assert_eq!(
            build(&mut memo, &[("a", "drei!"), ("b", "zwei")]),
            (vec!["DREI!".into(), "ZWEI".into()], 1)
        );
        assert_eq!(memo.fingerprint_of("a"), None, "finish starts a new build");
    }

    #[test]
    fn without_memory_everything_is_computed_and_nothing_kept() {
        let mut memo = Memo::new(false);
        let out = memo.get_or(
            "a",
            || unreachable!("no fingerprint without memory"),
            || Ok::<_, ()>("x".to_string()),
        );
        assert_eq!(out, Ok("x".into()));
        assert_eq!(memo.finish(), 1);
        assert!(memo.last.is_empty());
    }

    #[test]
    fn a_failure_is_not_remembered() {
        let mut memo: Memo<String> = Memo::new(true);
        assert_eq!(memo.get_or("a", || 1, || Err("kaputt")), Err("kaputt"));
        memo.finish();
        let again = memo.get_or("a", || 1, || Ok::<_, &str>("gut".into()));
        assert_eq!(again, Ok("gut".into()));
    }

    /// Load a two-page site through `cache`; (files read, files parsed).
    fn load(root: &std::path::Path, cache: &mut BuildCache) -> (usize, usize) {
        let options = crate::model::BuildOptions::default();
        super::super::load_site_cached(root, &options, cache).expect("the site loads");
        (cache.read(), cache.parsed())
    }

    #[test]
    fn the_loader_and_the_parsers_reuse_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("schritte")).unwrap();
        std::fs::write(
            content.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\n",
        )
        .unwrap();
        std::fs::write(content.join("index.md"), "---\ntitle: A\n---\n").unwrap();
        let step = content.join("schritte/01-a.md");
        std::fs::write(&step, "---\ntitle: B\n---\n").unwrap();
        let mut cache = BuildCache::remembering();
        assert_eq!(load(dir.path(), &mut cache), (3, 2));
        assert_eq!(load(dir.path(), &mut cache), (0, 0));
        std::fs::write(&step, "---\ntitle: Neu und länger\n---\n").unwrap();
        assert_eq!(load(dir.path(), &mut cache), (1, 1));
        let mut once = BuildCache::default();
        assert_eq!(load(dir.path(), &mut once), (3, 2));
        assert_eq!(
            load(dir.path(), &mut once),
            (3, 2),
            "a one-off cache keeps nothing"
        );
    }

    /// A site with a home page only, in a new temporary folder; its `content/`.
    fn home_only() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(
            content.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\nsearch: false\n",
        )
        .unwrap();
        std::fs::write(content.join("index.md"), "---\ntitle: A\n---\n").unwrap();
        (dir, content)
    }

    /// The site of `root` rendered through `cache`: the bytes of its file `path`.
    fn rendered(root: &std::path::Path, cache: &mut BuildCache, path: &str) -> Arc<[u8]> {
        let options = crate::model::BuildOptions::default();
        let site = super::super::render_site_cached(root, &options, Some(false), cache)
            .expect("the site renders");
        let file = site.files.iter().find(|f| f.path.as_str() == path);
        match file.map(|f| &f.contents) {
            Some(crate::output::Contents::Bytes(bytes)) => bytes.clone(),
            _ => panic!("{path} is rendered"),
        }
    }

    /// The site's `404.html`, and whether the templates were compiled.
    fn render_404(root: &std::path::Path, cache: &mut BuildCache) -> (String, usize) {
        let page = rendered(root, cache, "404.html");
        (
            String::from_utf8_lossy(&page).into_owned(),
            cache.compiled(),
        )
    }

    #[test]
    fn the_theme_is_compiled_again_only_when_its_templates_change() {
        let (dir, _) = home_only();
        let templates = dir.path().join("themes/mitnutzung/templates");
        std::fs::create_dir_all(&templates).unwrap();
        let template = templates.join("404.html");
        std::fs::write(&template, "<p>EINS {{ site.title }}</p>").unwrap();
        let mut cache = BuildCache::remembering();
        assert_eq!(
            render_404(dir.path(), &mut cache),
            ("<p>EINS T</p>".into(), 1)
        );
        assert_eq!(
            render_404(dir.path(), &mut cache),
            ("<p>EINS T</p>".into(), 0)
        );
        std::fs::write(&template, "<p>ZWEI {{ site.title }}</p>").unwrap();
        assert_eq!(
            render_404(dir.path(), &mut cache),
            ("<p>ZWEI T</p>".into(), 1)
        );
        // A template added on disk that the embedded theme has too.
        std::fs::write(templates.join("alias.html"), "x").unwrap();
        assert_eq!(render_404(dir.path(), &mut cache).1, 1);
        // The template removed again: the embedded one is back.
        std::fs::remove_file(&template).unwrap();
        let (page, compiled) = render_404(dir.path(), &mut cache);
        assert!(
            page.contains("<!DOCTYPE html>") && !page.contains("ZWEI"),
            "{page}"
        );
        assert_eq!(compiled, 1);
        let mut once = BuildCache::default();
        assert_eq!(render_404(dir.path(), &mut once).1, 1);
        assert_eq!(
            render_404(dir.path(), &mut once).1,
            1,
            "a one-off cache keeps nothing"
        );
    }

    /// The site's `sitemap.xml`.
    fn sitemap(root: &std::path::Path, cache: &mut BuildCache) -> Arc<[u8]> {
        rendered(root, cache, "sitemap.xml")
    }

    #[test]
    fn the_sitemap_is_reused_only_while_its_urls_and_the_theme_stay() {
        let (dir, content) = home_only();
        let mut cache = BuildCache::remembering();
        let first = sitemap(dir.path(), &mut cache);
        let text = String::from_utf8_lossy(&first).into_owned();
        assert!(text.contains("<loc>https://example.org/</loc>") && !text.contains("/neu/"));
        // The home page's text changed, no URL did: the same bytes, not made again.
        std::fs::write(content.join("index.md"), "---\ntitle: A\n---\nText\n").unwrap();
        assert!(Arc::ptr_eq(&first, &sitemap(dir.path(), &mut cache)));
        std::fs::write(content.join("neu.md"), "---\ntitle: N\n---\n").unwrap();
        let added = String::from_utf8_lossy(&sitemap(dir.path(), &mut cache)).into_owned();
        assert!(
            added.contains("<loc>https://example.org/neu/</loc>"),
            "{added}"
        );
        std::fs::write(
            content.join("neu.md"),
            "---\ntitle: N\ndate: 2026-12-06\n---\n",
        )
        .unwrap();
        let dated = String::from_utf8_lossy(&sitemap(dir.path(), &mut cache)).into_owned();
        assert!(dated.contains("<lastmod>2026-12-06</lastmod>"), "{dated}");
        let templates = dir.path().join("themes/mitnutzung/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("sitemap.xml"), "{{ urls | length }} Seiten").unwrap();
        let themed = sitemap(dir.path(), &mut cache);
        assert_eq!(
            String::from_utf8_lossy(&themed),
            dated.matches("<url>").count().to_string() + " Seiten"
        );
    }
}
