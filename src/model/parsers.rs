//! The per-file parse steps of the model, as values: [`Parsers`] names the
//! function that turns one Markdown or municipality file into its parsed
//! form with the diagnostics it found. [`Parsers::PLAIN`] parses every file;
//! the preview passes functions that reuse what an earlier build parsed
//! (`pipeline::BuildCache`). Cross-file checks run after these, on every build.

use super::data;
use super::pages::{
    parse_markdown, plain_meta, service_meta, ParsedPage, RawPageMeta, RawServiceMeta,
};
use super::{Date, Municipality};
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// A file's parsed form (none when it has errors of its own) with the
/// diagnostics that parsing it reported.
pub type Parsed<T> = (Option<T>, Vec<Diagnostic>);

/// A step page, the home page or another plain page.
pub type PlainPage = ParsedPage<RawPageMeta>;
/// A service page, with the service's own front matter.
pub type ServicePage = ParsedPage<RawServiceMeta>;

/// What a municipality file is checked against: the ids of every service
/// file (also one with errors or a draft) and, for `check`, today's date.
#[derive(Debug, Clone, Copy)]
pub struct MunicipalityContext<'a> {
    pub service_ids: &'a [&'a str],
    pub today: Option<Date>,
}

/// The functions that parse one file each; called in parallel.
#[derive(Clone, Copy)]
pub struct Parsers<'a> {
    pub page: &'a (dyn Fn(&SourceFile) -> Parsed<PlainPage> + Sync),
    pub service: &'a (dyn Fn(&SourceFile) -> Parsed<ServicePage> + Sync),
    pub municipality: &'a (dyn Fn(&SourceFile, MunicipalityContext) -> Parsed<Municipality> + Sync),
}

impl Parsers<'static> {
    /// Parse every file afresh.
    pub const PLAIN: Parsers<'static> = Parsers {
        page: &parse_page,
        service: &parse_service,
        municipality: &parse_municipality,
    };
}

/// Parse a step page, the home page or another plain page.
pub fn parse_page(file: &SourceFile) -> Parsed<PlainPage> {
    parse_alone(file, plain_meta)
}

/// Parse a service page.
pub fn parse_service(file: &SourceFile) -> Parsed<ServicePage> {
    parse_alone(file, service_meta)
}

/// Parse and check a municipality file.
pub fn parse_municipality(file: &SourceFile, context: MunicipalityContext) -> Parsed<Municipality> {
    let mut local = Diagnostics::new();
    let parsed = data::municipality(file, context.service_ids, context.today, &mut local);
    (parsed, local.into_iter().collect())
}

/// Parse one Markdown file on its own, keeping the diagnostics with the result.
fn parse_alone<M: serde::de::DeserializeOwned>(
    file: &SourceFile,
    meta_of: impl Fn(&M) -> RawPageMeta,
) -> Parsed<ParsedPage<M>> {
    let mut local = Diagnostics::new();
    let parsed = parse_markdown::<M>(file, &mut local, meta_of);
    (parsed, local.into_iter().collect())
}
