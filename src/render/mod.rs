//! Rendering, as plain stages the pipeline calls in order:
//! [`plan::plan`] (every output file with its one producer) →
//! [`bodies::body`] (Markdown → HTML) → [`pages::pages`] (templates → the
//! sink, each page scanned for the link check as it is finished). The pages
//! stage asks for each job's body right before its page, so that bodies do
//! not all live at once. The stages share the read-only [`Inputs`]; none of
//! them keeps anything between builds.

mod bodies;
mod collisions;
mod env;
mod files;
mod pages;
mod plan;

use tera::Context;

pub(crate) use bodies::{
    body, page_body, service_bodies, Body, BodyMakers, JobBody, ServiceBodies,
};
pub(crate) use files::sitemap;
pub(crate) use pages::{page, pages, FinishedPage};
pub(crate) use plan::{plan, PageJob, Plan, Role};

use crate::highlight::Highlighter;
use crate::model::Site;
use crate::questionnaire::GeneratedWorkbook;
use crate::routes::Routes;
use crate::templates::views::{self, ServiceView, SiteView};
use crate::templates::Theme;
use env::MarkdownEnv;

/// What every stage reads: the site, its theme and the values derived once.
pub(crate) struct Inputs<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub routes: Routes,
    pub highlighter: &'a Highlighter,
    /// The `site` value templates see.
    pub site_view: SiteView,
    /// A template context holding `site` (and no service).
    pub base: Context,
    pub minify: bool,
    /// The services' generated questionnaires (made before the views, which
    /// show their sizes).
    pub workbooks: &'a [GeneratedWorkbook],
    minifier: crate::output::minify::Minifier,
}

/// Give the theme the functions that look things up in the site (`get_page`).
pub(crate) fn register_functions(theme: &mut Theme, site: &Site) {
    let routes = Routes::new(site.config.base_url.clone());
    theme.register_pages(views::build::page_links(site, &routes));
}

impl<'a> Inputs<'a> {
    pub(crate) fn new(
        site: &'a Site,
        theme: &'a Theme,
        highlighter: &'a Highlighter,
        minify: bool,
        workbooks: &'a [GeneratedWorkbook],
    ) -> Self {
        let routes = Routes::new(site.config.base_url.clone());
        let site_view = views::build::site_view(site, &routes, workbooks);
        let mut base = Context::new();
        base.insert("site", &site_view);
        base.insert("service", &None::<ServiceView>);
        Inputs {
            site,
            theme,
            routes,
            highlighter,
            site_view,
            base,
            minify,
            workbooks,
            minifier: crate::output::minify::Minifier::new(),
        }
    }

    /// The view of one service (by index) with the municipalities that use it.
    pub(crate) fn service_view(&self, index: usize) -> ServiceView {
        let view = self.site_view.services[index].clone();
        views::build::with_users(view, self.site, &self.routes)
    }

    fn markdown_env<'e>(&'e self, service: Option<&'e ServiceView>) -> MarkdownEnv<'e> {
        MarkdownEnv {
            site: self.site,
            routes: &self.routes,
            theme: self.theme,
            base: &self.base,
            service,
        }
    }
}
