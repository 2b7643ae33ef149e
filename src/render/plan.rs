//! The first render stage: the model and the theme → the [`Plan`], every
//! file of the output with the one thing that produces it. Collisions
//! (two producers of one file) and missing templates are found here, before
//! anything is rendered; the plan also knows every output path (for the link
//! check) and every folder (created while the Markdown is rendered).

use std::collections::BTreeSet;

use super::collisions;
use crate::diagnostics::{did_you_mean, suggestion_then, Code, Diagnostic, Diagnostics};
use crate::links::OutputPaths;
use crate::model::{Municipality, Page, Site};
use crate::output::{Contents, OutputFile};
use crate::questionnaire::GeneratedWorkbook;
use crate::routes::{self, OutputPath, Routes, SitePath};
use crate::templates::views::build::{self as site_view, StatusPartDef};
use crate::templates::views::news as news_view;
use crate::templates::views::StatusRow;
use crate::templates::{StaticFile, Theme};

/// What one HTML page of the output shows.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageJob<'a> {
    /// A Markdown page in its role.
    Markdown {
        page: &'a Page,
        role: Role,
    },
    /// A service page (index into the site's services): its steps and body.
    Service(usize),
    /// A page the generator writes from the site's data alone.
    Listing(Listing),
    /// One part of a status table split by Land (index into the parts).
    StatusPart(usize),
    Municipality(&'a Municipality),
    /// The form of a service's generated questionnaire (index into the
    /// site's services): `/dienste/<id>/fragebogen/`.
    Form(usize),
    /// A page of the news list (0-based: `/aktuelles/`, `/aktuelles/seite/2/`, …).
    NewsList(usize),
    /// An old address that redirects to a page.
    Alias {
        from: &'a SitePath,
        to: &'a Page,
    },
}

/// The role of a Markdown page: it picks the default template and the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    Home,
    Plain,
    /// A step (index into the site's steps).
    Step(usize),
    /// A news item (index into the site's news).
    News(usize),
}

impl Role {
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Role::Home => "home",
            Role::Plain => "page",
            Role::Step(_) => "step",
            Role::News(_) => "news",
        }
    }

    pub(crate) fn default_template(self) -> &'static str {
        match self {
            Role::Home => "index.html",
            Role::Plain => "page.html",
            Role::Step(_) => "step.html",
            Role::News(_) => "news.html",
        }
    }
}

/// The generated pages, with their address, template and German title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Listing {
    Steps,
    Services,
    Status,
    Search,
    NotFound,
}

impl Listing {
    pub(crate) const ALL: [Listing; 5] = [
        Listing::Steps,
        Listing::Services,
        Listing::Status,
        Listing::Search,
        Listing::NotFound,
    ];

    pub(crate) fn path(self) -> &'static str {
        match self {
            Listing::Steps => routes::STEPS,
            Listing::Services => routes::SERVICES,
            Listing::Status => routes::STATUS,
            Listing::Search => routes::SEARCH,
            Listing::NotFound => routes::NOT_FOUND,
        }
    }

    pub(crate) fn template(self) -> &'static str {
        match self {
            Listing::Steps => "steps.html",
            Listing::Services => "services.html",
            Listing::Status => "status.html",
            Listing::Search => "suche.html",
            Listing::NotFound => "404.html",
        }
    }

    /// The `page.kind` templates see.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Listing::Steps => "steps",
            Listing::Services => "services",
            Listing::Status => "status",
            Listing::Search => "search",
            Listing::NotFound => "not_found",
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            Listing::Steps => "Schritt für Schritt zum Onlinedienst",
            Listing::Services => "Onlinedienste",
            Listing::Status => "Stand der Anbindung",
            Listing::Search => "Suche und Stichwortverzeichnis",
            Listing::NotFound => "Seite nicht gefunden",
        }
    }

    pub(crate) fn description(self) -> &'static str {
        match self {
            Listing::Steps => "Die Schritte, mit denen Ihre Kommune einen Onlinedienst nachnutzt.",
            Listing::Services => {
                "Die Onlinedienste, die Kommunen nachnutzen können, nach Themenfeld."
            }
            Listing::Status => {
                "Welche Kommunen welche Onlinedienste nachnutzen und wie weit sie sind."
            }
            Listing::Search => "Alle Dienste, Schritte, Meldungen, Kommunen und Stichwörter von A bis Z, und die Suche.",
            Listing::NotFound => "Unter dieser Adresse gibt es keine Seite.",
        }
    }
}

/// The status table: every row once, and its parts when it is split by Land.
pub(crate) struct StatusPlan {
    pub rows: Vec<StatusRow>,
    pub parts: Vec<StatusPartDef>,
}

/// Every file of the output and what produces it.
pub(crate) struct Plan<'a> {
    /// One job per HTML page, in a fixed order.
    pub jobs: Vec<PageJob<'a>>,
    pub status: StatusPlan,
    /// Theme static files and the files of `content/` (which win on a clash).
    pub copied: Vec<OutputFile>,
    /// Every output file's path.
    pub outputs: OutputPaths,
    /// Every output's URL (`/dienste/`, `/status.csv`), for the link check.
    pub urls: crate::links::Urls,
    /// Every folder pages and copied files go into, parents first.
    pub dirs: Vec<String>,
}

/// Plan the outputs; the errors are collisions and missing templates. The
/// plan is returned either way, so that the rest of the run can be checked.
pub(crate) fn plan<'a>(
    site: &'a Site,
    theme: &Theme,
    routes: &Routes,
    workbooks: &[GeneratedWorkbook],
) -> (Plan<'a>, Diagnostics) {
    let mut diagnostics = check_templates(site, theme);
    let rows = site_view::status_rows(site, routes);
    let parts = site_view::split_status(&rows, routes);
    let part_paths: Vec<SitePath> = (parts.iter().map(|p| p.path.clone()))
        .chain((0..news_view::news_pages(site)).map(news_view::news_list_path))
        .collect();
    let downloads: Vec<SitePath> = (workbooks.iter().map(|w| w.path.clone()))
        .chain(crate::feeds::feed_paths(site))
        .collect();
    // The collision check and the laying out of the files read the same
    // model and do not depend on each other: they run side by side.
    let (collisions, plan) = rayon::join(
        || collisions::check(site, theme, &part_paths, &downloads),
        || lay_out(site, theme, routes, StatusPlan { rows, parts }, &downloads),
    );
    diagnostics.extend(collisions);
    (plan, diagnostics)
}

/// Every file of the output with its producer, each claimed once.
fn lay_out<'a>(
    site: &'a Site,
    theme: &Theme,
    routes: &Routes,
    status: StatusPlan,
    downloads: &[SitePath],
) -> Plan<'a> {
    let parts = &status.parts;
    let copied = copied_files(site, theme, downloads);
    let jobs = without_collisions(jobs(site, parts.len()), site, parts, &copied);
    let page_paths: Vec<SitePath> = jobs.iter().map(|j| job_path(site, parts, j)).collect();
    let page_files: Vec<OutputPath> = page_paths.iter().map(routes::output_file).collect();
    let download_files: Vec<OutputPath> = downloads.iter().map(routes::output_file).collect();
    let dirs = folders(
        (page_files.iter())
            .chain(copied.iter().map(|f| &f.path))
            .chain(&download_files),
    );
    let file_paths: Vec<SitePath> = (copied.iter().map(|f| routes::site_path_of_output(&f.path)))
        .chain(super::files::GENERATED.map(routes::fixed))
        .chain(downloads.iter().cloned())
        .collect();
    let urls = (page_paths.iter().chain(&file_paths))
        .map(|p| routes.url(p))
        .collect();
    let outputs = (page_files.into_iter())
        .chain(file_paths.iter().map(routes::output_file))
        .collect();
    Plan {
        jobs,
        status,
        copied,
        outputs,
        urls,
        dirs,
    }
}

impl Plan<'_> {
    /// The site path a page job is written to.
    pub(crate) fn path(&self, site: &Site, job: &PageJob) -> SitePath {
        job_path(site, &self.status.parts, job)
    }
}

fn job_path(site: &Site, parts: &[StatusPartDef], job: &PageJob) -> SitePath {
    match job {
        PageJob::Markdown { page, .. } => page.path.clone(),
        PageJob::Service(index) => site.services[*index].page.path.clone(),
        PageJob::Listing(listing) => routes::fixed(listing.path()),
        PageJob::Municipality(m) => routes::municipality(&m.id),
        PageJob::Form(index) => routes::questionnaire_form(&site.services[*index].id),
        PageJob::StatusPart(i) => parts[*i].path.clone(),
        PageJob::NewsList(i) => news_view::news_list_path(*i),
        PageJob::Alias { from, .. } => (*from).clone(),
    }
}

fn jobs(site: &Site, status_parts: usize) -> Vec<PageJob<'_>> {
    let markdown = |page, role| PageJob::Markdown { page, role };
    let mut jobs = vec![markdown(&site.home, Role::Home)];
    jobs.extend(site.pages.iter().map(|p| markdown(p, Role::Plain)));
    jobs.extend((site.steps.iter().enumerate()).map(|(i, s)| markdown(&s.page, Role::Step(i))));
    jobs.extend((site.news.iter().enumerate()).map(|(i, n)| markdown(&n.page, Role::News(i))));
    jobs.extend((0..news_view::news_pages(site)).map(PageJob::NewsList));
    jobs.extend((0..site.services.len()).map(PageJob::Service));
    jobs.extend(form_services(site).map(PageJob::Form));
    jobs.extend(site.municipalities.iter().map(PageJob::Municipality));
    jobs.extend(Listing::ALL.map(PageJob::Listing));
    jobs.extend((0..status_parts).map(PageJob::StatusPart));
    for page in site.all_pages() {
        jobs.extend(page.meta.aliases.iter().map(|alias| PageJob::Alias {
            from: &alias.path,
            to: page,
        }));
    }
    jobs
}

/// The services (by index) that get a form: those with a generated questionnaire.
pub(super) fn form_services(site: &Site) -> impl Iterator<Item = usize> + '_ {
    (site.services.iter().enumerate())
        .filter(|(_, s)| crate::questionnaire::service_layout(site, s).is_some())
        .map(|(i, _)| i)
}

/// The jobs that win their output file: a file claimed twice (an error
/// reported by `collisions`) is rendered once, from its first producer in
/// the order generated files, copied files, municipalities, pages, aliases,
/// so that the rest of the run is checked without echoes of the collision.
fn without_collisions<'a>(
    jobs: Vec<PageJob<'a>>,
    site: &Site,
    parts: &[StatusPartDef],
    copied: &[OutputFile],
) -> Vec<PageJob<'a>> {
    let rank = |job: &PageJob| match job {
        PageJob::Listing(_) | PageJob::StatusPart(_) | PageJob::NewsList(_) => 0,
        PageJob::Municipality(_) => 1,
        PageJob::Markdown { .. } | PageJob::Service(_) | PageJob::Form(_) => 2,
        PageJob::Alias { .. } => 3,
    };
    let mut claimed: std::collections::HashSet<String> = (super::files::GENERATED.iter())
        .map(|p| routes::output_key(&routes::fixed_output(p)))
        .chain(copied.iter().map(|f| routes::output_key(&f.path)))
        .collect();
    let mut keep = vec![false; jobs.len()];
    for level in 0..4 {
        for (i, job) in jobs.iter().enumerate().filter(|(_, j)| rank(j) == level) {
            let key = routes::output_key(&routes::output_file(&job_path(site, parts, job)));
            keep[i] = claimed.insert(key) || level == 0;
        }
    }
    (jobs.into_iter().zip(keep))
        .filter_map(|(job, keep)| keep.then_some(job))
        .collect()
}

/// Theme static files, then the site's own files (which win on a clash);
/// a file of `content/` where a generated download goes is left out (the
/// collision is an error).
fn copied_files(site: &Site, theme: &Theme, downloads: &[SitePath]) -> Vec<OutputFile> {
    let statics = theme.statics.iter().map(|f| match f {
        StaticFile::Disk { rel, path } => OutputFile {
            path: routes::output_file(&routes::theme_file(rel)),
            contents: Contents::Copy(path.clone()),
        },
        StaticFile::Embedded { rel, bytes } => OutputFile {
            path: routes::output_file(&routes::theme_file(rel)),
            contents: Contents::Static(bytes),
        },
    });
    let generated: std::collections::HashSet<String> = (downloads.iter())
        .map(|p| routes::output_key(&routes::output_file(p)))
        .collect();
    let assets = (site.assets.iter())
        .filter(|a| {
            !generated.contains(&routes::output_key(&routes::output_file(&routes::asset(
                &a.rel,
            ))))
        })
        .map(|a| OutputFile {
            path: routes::output_file(&routes::asset(&a.rel)),
            contents: Contents::Copy(a.absolute.clone()),
        });
    statics.chain(assets).collect()
}

/// Every folder the files go into, parents before children.
fn folders<'f>(files: impl Iterator<Item = &'f OutputPath>) -> Vec<String> {
    let mut dirs = BTreeSet::new();
    for file in files {
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

/// Each page's `template:` must name a page template (`.html`, not a
/// shortcode) of the theme. Required templates cannot be missing: the
/// embedded theme has them all, and a theme on disk is laid over it.
fn check_templates(site: &Site, theme: &Theme) -> Diagnostics {
    let mut d = Diagnostics::new();
    for page in site.all_pages() {
        let Some(name) = &page.meta.template else {
            continue;
        };
        if !(is_page_template(name) && theme.has_template(name)) {
            d.push(unknown_template(theme, page, name));
        }
    }
    d
}

pub(super) fn is_page_template(name: &str) -> bool {
    name.ends_with(".html") && !name.starts_with("shortcodes/")
}

fn unknown_template(theme: &Theme, page: &Page, name: &str) -> Diagnostic {
    let names = theme.template_names();
    let pages: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| is_page_template(n))
        .collect();
    let hint = suggestion_then(
        did_you_mean(name, pages.iter().copied()),
        format!("Vorhanden sind: {}.", pages.join(", ")),
    );
    Diagnostic::error(
        Code::UnknownTemplate,
        &page.body.file,
        page.meta.template_position,
        format!("Das Template „{name}“ gibt es im Theme nicht."),
    )
    .with_hint(hint)
}
