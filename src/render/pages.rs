//! Templates → HTML pages: one job per output page, rendered in parallel and
//! collected in a fixed order; plus the site's data files and copied files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Context;

use super::{files, site_view, Body, Renderer, ServiceBodies};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::nesting::{self, TooDeep, MAX_PAGE_DEPTH};
use crate::model::cache::fingerprint;
use crate::model::{Municipality, Page};
use crate::output::{Contents, OutputFile};
use crate::routes;
use crate::templates::views::{PageView, SitemapUrl, StatusPart, StatusTable};
use crate::templates::StaticFile;

/// Rendered pages by output path, with the fingerprint of their inputs.
pub(super) type PageCache = HashMap<String, (u64, OutputFile)>;

/// One HTML page to render. Jobs are listed before the Markdown is rendered
/// (so that their folders can be created meanwhile); the bodies are filled in after.
pub(super) enum Job<'a> {
    Markdown {
        page: &'a Page,
        kind: &'static str,
        default_template: &'static str,
        body: Option<Arc<Body>>,
        step: Option<usize>,
    },
    Service {
        /// Index into the site's services.
        index: usize,
        bodies: Option<Arc<ServiceBodies>>,
    },
    Generated {
        path: &'static str,
        kind: &'static str,
        template: &'static str,
        title: &'static str,
        description: &'static str,
    },
    Municipality(&'a Municipality),
    /// One part of a status table split by Land (index into the parts).
    StatusPart(usize),
    Alias {
        from: &'a str,
        to: &'a Page,
    },
}

impl Renderer<'_> {
    /// Render every page and hand it to the sink, together with the copied
    /// and data files; returns what the sink handed back, in path order, and
    /// (when remembering) the pages with their input fingerprints.
    pub(super) fn output_files(
        &self,
        mut jobs: Vec<Job>,
        copied: Vec<OutputFile>,
        mut generic: BTreeMap<String, Arc<Body>>,
        services: &[Arc<ServiceBodies>],
    ) -> Result<(Vec<OutputFile>, PageCache), Diagnostics> {
        for job in &mut jobs {
            match job {
                Job::Markdown { page, body, .. } => *body = generic.remove(&page.source),
                Job::Service { index, bodies } => *bodies = services.get(*index).cloned(),
                _ => {}
            }
        }
        let (results, others) = rayon::join(
            || {
                jobs.into_par_iter()
                    // One context per worker holds the site data; each page adds
                    // its own keys for its render and takes them out again.
                    .map_init(
                        || self.base.clone(),
                        |ctx, job| {
                            let (key, file) = self.run_cached(&job, ctx)?;
                            Ok(self.sink.accept(file).map(|f| (key, f)))
                        },
                    )
                    .collect::<Vec<Result<_, Diagnostic>>>()
            },
            || self.other_files(copied),
        );
        let (others, mut errors) = others;
        let mut out: BTreeMap<String, OutputFile> =
            others.into_iter().map(|f| (f.path.clone(), f)).collect();
        let mut pages = PageCache::new();
        for result in results {
            match result {
                Ok(Some((key, file))) => {
                    if self.keyed {
                        pages.insert(file.path.clone(), (key, file.clone()));
                    }
                    out.insert(file.path.clone(), file);
                }
                Ok(None) => {}
                Err(d) => errors.push(d),
            }
        }
        if errors.has_errors() {
            return Err(errors.sorted());
        }
        Ok((out.into_values().collect(), pages))
    }

    /// Copied and data files, handed to the sink. No two outputs share a
    /// path (checked in `outputs`) except a site file over a theme file, and
    /// the site file comes later, so it wins.
    fn other_files(&self, copied: Vec<OutputFile>) -> (Vec<OutputFile>, Diagnostics) {
        let mut files: BTreeMap<String, OutputFile> = BTreeMap::new();
        let (data, errors) = self.data_files();
        for file in copied.into_iter().chain(data) {
            files.insert(file.path.clone(), file);
        }
        let files: Vec<OutputFile> = files.into_values().collect();
        let files = files
            .into_par_iter()
            .filter_map(|f| self.sink.accept(f))
            .collect();
        (files, errors)
    }

    /// Every folder of the output that pages and copied files go into,
    /// parents before children.
    pub(super) fn output_dirs(&self, jobs: &[Job], copied: &[OutputFile]) -> Vec<String> {
        let pages = jobs.iter().map(|j| routes::output_file(&self.job_path(j)));
        let copied = copied.iter().map(|f| f.path.clone());
        let mut dirs = BTreeSet::new();
        for file in pages.chain(copied) {
            let mut path = file.as_str();
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !dirs.insert(parent.to_string()) {
                    break;
                }
                path = parent;
            }
        }
        dirs.into_iter().collect()
    }

    /// Take the page from the last render when nothing it depends on changed.
    fn run_cached(&self, job: &Job, ctx: &mut Context) -> Result<(u64, OutputFile), Diagnostic> {
        let key = self.key(|| self.job_key(job));
        if self.keyed {
            let path = routes::output_file(&self.job_path(job));
            if let Some((_, file)) = self.previous.pages.get(&path).filter(|(k, _)| *k == key) {
                return Ok((key, file.clone()));
            }
        }
        self.rendered.fetch_add(1, Ordering::Relaxed);
        let mut ctx = PageContext::new(ctx, &self.base);
        self.run(job, &mut ctx).map(|file| (key, file))
    }

    fn job_path(&self, job: &Job) -> String {
        match job {
            Job::Markdown { page, .. } => page.path.clone(),
            Job::Service { index, .. } => routes::service(&self.site_view.services[*index].id),
            Job::Generated { path, .. } => path.to_string(),
            Job::Municipality(m) => routes::municipality(&m.id),
            Job::StatusPart(i) => self.status_parts[*i].path.clone(),
            Job::Alias { from, .. } => from.to_string(),
        }
    }

    /// Fingerprint of everything a page's HTML depends on.
    fn job_key(&self, job: &Job) -> u64 {
        let env = self.env_key;
        match job {
            Job::Markdown {
                page,
                kind,
                default_template,
                body,
                step,
            } => fingerprint(&(
                env,
                &page.meta,
                &page.path,
                body.as_ref().map(|b| b.key),
                step,
                kind,
                default_template,
            )),
            Job::Service { bodies, .. } => fingerprint(&(env, bodies.as_ref().map(|s| s.key))),
            Job::Generated { path, .. } => fingerprint(&(env, path, self.municipalities_key)),
            Job::StatusPart(i) => fingerprint(&(env, i, self.municipalities_key)),
            Job::Municipality(m) => fingerprint(&(env, m)),
            Job::Alias { from, to } => fingerprint(&(env, from, &to.path)),
        }
    }

    pub(super) fn jobs(&self) -> Vec<Job<'_>> {
        let site = self.site;
        let mut jobs = vec![Job::Markdown {
            page: &site.home,
            kind: "home",
            default_template: "index.html",
            body: None,
            step: None,
        }];
        jobs.extend(site.pages.iter().map(|p| Job::Markdown {
            page: p,
            kind: "page",
            default_template: "page.html",
            body: None,
            step: None,
        }));
        jobs.extend(site.steps.iter().enumerate().map(|(i, s)| Job::Markdown {
            page: &s.page,
            kind: "step",
            default_template: "step.html",
            body: None,
            step: Some(i),
        }));
        jobs.extend((0..site.services.len()).map(|index| Job::Service {
            index,
            bodies: None,
        }));
        jobs.extend(site.municipalities.iter().map(Job::Municipality));
        jobs.extend([
            Job::Generated {
                path: routes::STEPS,
                kind: "steps",
                template: "steps.html",
                title: "Schritt für Schritt zum Onlinedienst",
                description: "Die Schritte, mit denen Ihre Kommune einen Onlinedienst nachnutzt.",
            },
            Job::Generated {
                path: routes::SERVICES,
                kind: "services",
                template: "services.html",
                title: "Onlinedienste",
                description: "Die Onlinedienste, die Kommunen nachnutzen können, nach Themenfeld.",
            },
            Job::Generated {
                path: routes::STATUS,
                kind: "status",
                template: "status.html",
                title: "Stand der Anbindung",
                description:
                    "Welche Kommunen welche Onlinedienste nachnutzen und wie weit sie sind.",
            },
            Job::Generated {
                path: routes::NOT_FOUND,
                kind: "not_found",
                template: "404.html",
                title: "Seite nicht gefunden",
                description: "Unter dieser Adresse gibt es keine Seite.",
            },
        ]);
        jobs.extend((0..self.status_parts.len()).map(Job::StatusPart));
        for page in site.all_pages() {
            jobs.extend(page.meta.aliases.iter().map(|alias| Job::Alias {
                from: &alias.path,
                to: page,
            }));
        }
        jobs
    }

    fn run(&self, job: &Job, ctx: &mut PageContext) -> Result<OutputFile, Diagnostic> {
        let (path, template) = match job {
            Job::Markdown {
                page,
                kind,
                default_template,
                body,
                step,
            } => {
                let body = body
                    .as_ref()
                    .expect("bodies are filled in before rendering");
                ctx.insert("page", &self.page_view(page, kind, &body.rendered.html));
                if let Some(i) = step {
                    ctx.insert("step", &self.site_view.steps[*i]);
                }
                (
                    page.path.clone(),
                    page.meta
                        .template
                        .as_deref()
                        .unwrap_or(default_template)
                        .to_string(),
                )
            }
            Job::Service { bodies, .. } => self.service_context(
                bodies
                    .as_ref()
                    .expect("bodies are filled in before rendering"),
                ctx,
            ),
            Job::Generated {
                path,
                kind,
                template,
                title,
                description,
            } => {
                ctx.insert("page", &self.generated_view(path, kind, title, description));
                if *kind == "status" {
                    ctx.insert("status", &self.status_table(None));
                }
                (path.to_string(), template.to_string())
            }
            Job::StatusPart(i) => {
                let part = &self.status_parts[*i];
                let path = part.path.clone();
                let title = format!("Stand der Anbindung: {}", part.view.label);
                let description =
                    format!("Stand der Anbindung der Kommunen in {}.", part.view.state);
                ctx.insert(
                    "page",
                    &PageView {
                        description,
                        ..self.generated_view(&path, "status", &title, "")
                    },
                );
                ctx.insert("status", &self.status_table(Some(*i)));
                (path, "status.html".to_string())
            }
            Job::Municipality(m) => {
                let path = routes::municipality(&m.id);
                let view = site_view::municipality_view(self.site, &self.routes, m);
                let description = format!(
                    "Stand der Anbindung von {} ({}) an die Onlinedienste.",
                    m.name,
                    m.land.name()
                );
                ctx.insert(
                    "page",
                    &PageView {
                        description,
                        ..self.generated_view(&path, "municipality", &m.name, "")
                    },
                );
                ctx.insert("municipality", &view);
                (path, "municipality.html".to_string())
            }
            Job::Alias { from, to } => {
                ctx.insert("page", &self.page_view(to, "alias", ""));
                ctx.insert("redirect_to", &self.routes.permalink(&to.path));
                (from.to_string(), "alias.html".to_string())
            }
        };
        let html = self.theme.render(&template, ctx.context())?;
        let bytes = self
            .finish(html)
            .map_err(|_| self.too_deep(job, &path, &template))?;
        Ok(OutputFile::bytes(routes::output_file(&path), bytes))
    }

    /// A page (template and body together) nests more elements than can be
    /// minified; checked whether or not the site is minified, so that
    /// `check` and `build` agree.
    fn too_deep(&self, job: &Job, path: &str, template: &str) -> Diagnostic {
        let file = format!("themes/{}/templates/{template}", self.site.config.theme);
        let url = self.routes.url(path);
        let source = match job {
            Job::Markdown { page, .. } => Some(page.body.file.display().to_string()),
            Job::Service { index, .. } => self
                .site
                .services
                .get(*index)
                .map(|s| s.page.body.file.display().to_string()),
            _ => None,
        };
        let with = source
            .map(|s| format!(" und den Shortcodes in {s}"))
            .unwrap_or_default();
        Diagnostic::error(
            "too-deep",
            file,
            crate::diagnostics::Position::START,
            format!("Die Seite {url} verschachtelt mehr als {MAX_PAGE_DEPTH} HTML-Elemente ineinander; so tief kann sie nicht verarbeitet werden."),
        )
        .with_hint(format!("Prüfen Sie im Template „{template}“{with} Schleifen und Makros, die Elemente öffnen, und schließen Sie jedes Element wieder (z. B. mit </div>)."))
    }

    fn service_context(&self, s: &ServiceBodies, ctx: &mut PageContext) -> (String, String) {
        let page = &self
            .site
            .service(&s.view.id)
            .expect("service bodies come from site services")
            .page;
        ctx.insert("page", &self.page_view(page, "service", &s.body.html));
        ctx.insert("service", &s.view);
        ctx.insert("steps", &s.steps);
        (
            page.path.clone(),
            page.meta
                .template
                .clone()
                .unwrap_or_else(|| "service.html".into()),
        )
    }

    /// The page's bytes, minified when the site asks for it; `Err` for a
    /// page nested too deeply to be minified (also when it is not minified).
    fn finish(&self, html: String) -> Result<Vec<u8>, TooDeep> {
        if self.minify {
            self.minifier.minify(html.as_bytes())
        } else {
            nesting::check_page(html.as_bytes())?;
            Ok(html.into_bytes())
        }
    }

    fn page_view(&self, page: &Page, kind: &'static str, content: &str) -> PageView {
        PageView {
            title: page.meta.title.clone(),
            description: page.meta.description.clone(),
            date: page.meta.date.map(Into::into),
            url: self.routes.url(&page.path),
            permalink: self.routes.permalink(&page.path),
            content: content.to_string(),
            kind,
            source: page.source.clone(),
        }
    }

    fn generated_view(
        &self,
        path: &str,
        kind: &'static str,
        title: &str,
        description: &str,
    ) -> PageView {
        PageView {
            title: title.to_string(),
            description: description.to_string(),
            date: None,
            url: self.routes.url(path),
            permalink: self.routes.permalink(path),
            content: String::new(),
            kind,
            source: String::new(),
        }
    }

    /// The status table of `/status/` (`part: None`) or of one part of a split table.
    fn status_table(&self, part: Option<usize>) -> StatusTable {
        let parts: Vec<StatusPart> = self.status_parts.iter().map(|p| p.view.clone()).collect();
        let rows = match part {
            Some(i) => self.status_rows[self.status_parts[i].rows.clone()].to_vec(),
            None if parts.is_empty() => self.status_rows.clone(),
            None => Vec::new(),
        };
        let mut states: Vec<&'static str> = rows.iter().map(|r| r.state).collect();
        states.sort_unstable();
        states.dedup();
        let neighbour = |i: Option<usize>| i.and_then(|i| parts.get(i)).cloned();
        StatusTable {
            rows,
            states,
            summary: self.site_view.status_summary.clone(),
            total_rows: self.status_rows.len(),
            part: part.map(|i| parts[i].clone()),
            previous: neighbour(part.and_then(|i| i.checked_sub(1))),
            next: neighbour(part.map(|i| i + 1)),
            parts,
        }
    }

    /// Theme static files, then the site's own files (which win on a clash).
    pub(super) fn copied_files(&self) -> Vec<OutputFile> {
        let statics = self.theme.statics.iter().map(|f| match f {
            StaticFile::Disk { rel, path } => OutputFile {
                path: rel.clone(),
                contents: Contents::Copy(path.clone()),
            },
            StaticFile::Embedded { rel, bytes } => OutputFile {
                path: rel.clone(),
                contents: Contents::Static(bytes),
            },
        });
        let assets = self.site.assets.iter().map(|a| OutputFile {
            path: routes::asset(&a.rel),
            contents: Contents::Copy(a.absolute.clone()),
        });
        statics.chain(assets).collect()
    }

    fn data_files(&self) -> (Vec<OutputFile>, Diagnostics) {
        let rows = &self.status_rows;
        let records: Vec<files::StatusRecord> =
            rows.iter().map(files::StatusRecord::from).collect();
        let mut errors = Diagnostics::new();
        let mut templated = |path: &str, file: Result<Vec<u8>, Diagnostic>| {
            file.map(|bytes| OutputFile::bytes(path, bytes))
                .map_err(|d| errors.push(d))
                .ok()
        };
        let sitemap = templated(
            routes::SITEMAP,
            files::sitemap(self.theme, self.sitemap_urls()),
        );
        let robots = templated(routes::ROBOTS, files::robots(self.theme, &self.routes));
        let files = vec![
            OutputFile::bytes(routes::STATUS_CSV, files::status_csv(&records)),
            OutputFile::bytes(routes::STATUS_JSON, files::status_json(&records)),
            OutputFile::bytes(
                routes::SYNTAX_CSS,
                crate::markdown::highlight::css(&self.site.config.highlight_theme),
            ),
        ];
        (
            files.into_iter().chain(sitemap).chain(robots).collect(),
            errors,
        )
    }

    fn sitemap_urls(&self) -> Vec<SitemapUrl> {
        let site = self.site;
        let pages = site.all_pages().map(|p| SitemapUrl {
            loc: self.routes.permalink(&p.path),
            lastmod: p.meta.date.map(|d| d.iso()),
        });
        let parts = self.status_parts.iter().map(|p| SitemapUrl {
            loc: self.routes.permalink(&p.path),
            lastmod: None,
        });
        let generated = [routes::STEPS, routes::SERVICES, routes::STATUS]
            .into_iter()
            .map(|p| SitemapUrl {
                loc: self.routes.permalink(p),
                lastmod: None,
            });
        let municipalities = site.municipalities.iter().map(|m| SitemapUrl {
            loc: self.routes.permalink(&routes::municipality(&m.id)),
            lastmod: None,
        });
        pages
            .chain(generated)
            .chain(parts)
            .chain(municipalities)
            .collect()
    }
}

/// A worker's context lent to one page: the keys the page adds are taken out
/// (or set back to the site-wide value) when the page is done, so the site
/// data is shared by the worker's pages instead of copied for each.
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
