//! The second render stage: Markdown → HTML, the body of one page job. The
//! pages stage asks for each job's body just before it fills the job's
//! template, so that a body lives only until its page is written. A
//! per-service page renders every step with that service in context, then
//! its own body, all with one set of heading ids. Each body is computed by a
//! function the caller hands in (the preview passes one that reuses
//! unchanged bodies); [`page_body`] and [`service_bodies`] are the plain ones.

use std::sync::Arc;

use super::env::MarkdownEnv;
use super::plan::PageJob;
use super::Inputs;
use crate::markdown::{self, LinkRef, Rendered};
use crate::model::{Page, Service};
use crate::slug::{IdRegistry, RESERVED_IDS};
use crate::templates::views::{RenderedStep, ServiceView};

/// A page's body, rendered on its own (home, plain pages, steps).
#[derive(Debug)]
pub(crate) struct Body {
    pub rendered: Rendered,
    /// Heading ids, in order (shared: the link check keeps them after the body is dropped).
    pub ids: Arc<[String]>,
}

/// A per-service page's Markdown: every step in the service's context, then its own body.
#[derive(Debug)]
pub(crate) struct ServiceBodies {
    pub view: ServiceView,
    pub steps: Vec<RenderedStep>,
    pub body: Rendered,
    /// Heading ids, in order (shared, as in [`Body`]).
    pub ids: Arc<[String]>,
    pub step_renders: Vec<Rendered>,
}

/// The Markdown of one page job, if it has any.
#[derive(Debug, Clone)]
pub(crate) enum JobBody {
    None,
    Page(Arc<Body>),
    Service(Arc<ServiceBodies>),
}

impl JobBody {
    /// Every rendered Markdown text of the page.
    pub(crate) fn renders(&self) -> Vec<&Rendered> {
        match self {
            JobBody::None => Vec::new(),
            JobBody::Page(body) => vec![&body.rendered],
            JobBody::Service(s) => s.step_renders.iter().chain([&s.body]).collect(),
        }
    }

    /// The links written in the page's Markdown.
    pub(crate) fn links(&self) -> impl Iterator<Item = &LinkRef> {
        self.renders().into_iter().flat_map(|r| &r.links)
    }
}

/// How each body is computed: plain, or reusing an earlier build's.
pub(crate) struct BodyMakers<'m> {
    pub page: &'m (dyn Fn(&Page) -> Arc<Body> + Sync),
    pub service: &'m (dyn Fn(&Service, ServiceView) -> Arc<ServiceBodies> + Sync),
}

/// The body of one job (none for a job without Markdown).
pub(crate) fn body(inputs: &Inputs, job: &PageJob, make: &BodyMakers) -> JobBody {
    match job {
        PageJob::Markdown { page, .. } => JobBody::Page((make.page)(page)),
        PageJob::Service(index) => {
            let service = &inputs.site.services[*index];
            JobBody::Service((make.service)(service, inputs.service_view(*index)))
        }
        _ => JobBody::None,
    }
}

/// A page's body with its own heading ids.
pub(crate) fn page_body(inputs: &Inputs, page: &Page) -> Body {
    let env = inputs.markdown_env(None);
    let mut ids = IdRegistry::with_reserved(&RESERVED_IDS);
    let rendered = markdown::render(&page.body, &env, inputs.highlighter, &mut ids, 0);
    Body {
        rendered,
        ids: ids.ids().into(),
    }
}

/// Every step in the service's context, then the service's own body.
pub(crate) fn service_bodies(
    inputs: &Inputs,
    service: &Service,
    mut view: ServiceView,
) -> ServiceBodies {
    let env_view = view.clone();
    let env: MarkdownEnv = inputs.markdown_env(Some(&env_view));
    let mut ids = IdRegistry::with_reserved(&RESERVED_IDS);
    let mut steps = Vec::new();
    let mut step_renders = Vec::new();
    for step in &inputs.site.steps {
        let id = ids.unique(&step.slug);
        let rendered = markdown::render(&step.page.body, &env, inputs.highlighter, &mut ids, 1);
        steps.push(RenderedStep {
            number: step.number,
            title: step.page.meta.title.clone(),
            id,
            content: rendered.html.clone(),
        });
        step_renders.push(rendered);
    }
    let body = markdown::render(&service.page.body, &env, inputs.highlighter, &mut ids, 0);
    view.content = body.html.clone();
    ServiceBodies {
        view,
        steps,
        body,
        ids: ids.ids().into(),
        step_renders,
    }
}
