//! The validated domain model of a site. A value in the model is valid: the
//! [`build`] stage turns raw files into these types and returns every problem
//! at once; rendering never has to check content again.

mod build;
#[cfg(test)]
pub(crate) use build::tests::valid_site;
mod data;
mod laender;
mod news;
mod pages;
pub mod parsers;
mod questionnaire;
pub mod values;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use build::{build, build_with, BuildOptions};
pub use laender::{Agreement, LandContact, LandEntry, Note};
pub use parsers::{MunicipalityContext, Parsed, Parsers};
pub use questionnaire::{Condition, Field, FieldType, Questionnaire, Section};
pub use values::{Ags, Date, DateText, Email, Land, LeikaKey, Phone, Status, WebUrl};

use crate::config::SiteConfig;
use crate::content::AssetFile;
use crate::diagnostics::Position;
use crate::fingerprint::{fingerprint, Fingerprint};
use crate::routes::{SitePath, SourcePath};

/// Front matter common to every Markdown page.
#[derive(Debug, Clone, Default, Hash)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub date: Option<Date>,
    pub weight: i64,
    pub template: Option<String>,
    /// Where `template:` stands, for "template not found".
    pub template_position: Position,
    /// Old URLs that redirect here.
    pub aliases: Vec<Alias>,
    /// Terms for the A–Z index, as written (trimmed, each once).
    pub keywords: Vec<String>,
}

/// An old URL that redirects to a page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    /// The site path it is written to, normalised (see `routes::alias`).
    pub path: SitePath,
    /// As written in the front matter, for messages.
    pub written: String,
    /// Where it stands in the front matter.
    pub position: Position,
}

/// A Markdown body with the place it starts in its file.
#[derive(Debug, Clone)]
pub struct MarkdownBody {
    /// Path relative to the site root, for diagnostics.
    pub file: PathBuf,
    /// The whole file, shared with the loaded source (not copied).
    pub source: Arc<String>,
    /// Where the body starts in `source` (after the front matter).
    pub start: usize,
    /// File lines before the body (front matter and its `---` lines).
    pub lines_before: usize,
    /// The fingerprint of `source`, so that the preview need not hash it again.
    pub fingerprint: Fingerprint,
}

impl MarkdownBody {
    /// A body that is a whole text of its own.
    pub fn new(file: impl Into<PathBuf>, text: &str, lines_before: usize) -> Self {
        MarkdownBody {
            file: file.into(),
            source: Arc::new(text.to_string()),
            start: 0,
            lines_before,
            fingerprint: fingerprint(&text),
        }
    }

    /// The Markdown text of the body.
    pub fn text(&self) -> &str {
        &self.source[self.start..]
    }
}

/// A Markdown page: home, plain page, step or service.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to `content/`, `/`-separated: how links (`@/…`) name it.
    pub source: SourcePath,
    pub meta: PageMeta,
    pub body: MarkdownBody,
    pub path: SitePath,
}

/// One step of the guide: `schritte/NN-slug.md`.
#[derive(Debug, Clone)]
pub struct Step {
    pub number: u32,
    pub slug: String,
    pub page: Page,
}

/// One online service: `dienste/<id>.md`.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub page: Page,
    pub topic: String,
    pub summary: String,
    pub leikas: Vec<LeikaKey>,
    /// The questionnaire download: a file the service names, or generated.
    pub questionnaire: Option<QuestionnaireFile>,
    pub mailbox: Email,
    pub contacts: Vec<String>,
    /// Whether citizens get a contact form; `None` while no source says.
    pub contact_form: Option<bool>,
}

/// Where a service's questionnaire comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QuestionnaireFile {
    /// A file under `content/` that the service names in `questionnaire:`.
    Own(String),
    /// Generated from `daten/fragebogen.yaml`; the path as links name it
    /// (`downloads/anbindungsfragebogen-<id>.xlsx`).
    Generated(String),
}

impl QuestionnaireFile {
    /// The path as `@/` links name it.
    pub fn rel(&self) -> &str {
        match self {
            QuestionnaireFile::Own(rel) | QuestionnaireFile::Generated(rel) => rel,
        }
    }
}

/// A dated news item: `aktuelles/YYYY-MM-DD-slug.md`, at `/aktuelles/<slug>/`.
#[derive(Debug, Clone)]
pub struct News {
    /// The date of the file name (the front matter's `date:` agrees).
    pub date: Date,
    pub slug: String,
    /// Services it belongs to (shown on their pages and in their feeds).
    pub services: Vec<String>,
    /// An example, labelled as such wherever it is shown.
    pub example: bool,
    pub page: Page,
}

/// An entry of `daten/leikas.yaml`.
#[derive(Debug, Clone)]
pub struct Leika {
    pub key: LeikaKey,
    pub name: String,
    /// False for keys not yet confirmed (e.g. the guide's example).
    pub confirmed: bool,
}

/// An entry of `daten/kontakte.yaml`.
#[derive(Debug, Clone)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub email: Email,
    pub phone: Option<Phone>,
    pub url: Option<WebUrl>,
}

/// A status a municipality reached with a service, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusChange {
    pub status: Status,
    pub since: Date,
}

/// A municipality's onboarding of one service.
#[derive(Debug, Clone, Hash)]
pub struct Usage {
    pub service: String,
    pub current: StatusChange,
    /// Earlier statuses, oldest first (without the current one).
    pub history: Vec<StatusChange>,
}

/// A reusing authority: `kommunen/<id>.yaml`. Its `internal` block is never read.
#[derive(Debug, Clone, Hash)]
pub struct Municipality {
    pub id: String,
    /// Path under `content/`, e.g. `kommunen/gera.yaml` (or `.yml`).
    pub source: SourcePath,
    pub name: String,
    pub land: Land,
    pub ags: Option<Ags>,
    pub oe_id: Option<String>,
    pub example: bool,
    /// In the order of the site's services.
    pub usages: Vec<Usage>,
}

/// The whole validated site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub home: Page,
    /// Plain pages, sorted by source path.
    pub pages: Vec<Page>,
    /// Steps, in order of their number.
    pub steps: Vec<Step>,
    /// Services, by weight then title.
    pub services: Vec<Service>,
    /// News items (`aktuelles/`), newest first.
    pub news: Vec<News>,
    /// Municipalities, by Land then name.
    pub municipalities: Vec<Municipality>,
    pub leikas: BTreeMap<LeikaKey, Leika>,
    pub contacts: BTreeMap<String, Contact>,
    /// Files published as-is, sorted by path.
    pub assets: Vec<AssetFile>,
    /// Every source path that `@/` links may name, with its site path.
    pub link_targets: BTreeMap<SourcePath, SitePath>,
    /// Source paths of drafts left out of this build (for clearer link errors).
    pub drafts: Vec<SourcePath>,
    /// Source paths (`dienste/x.md`, `kommunen/y.yaml`) of files left out
    /// for errors of their own: the build fails, but everything else is
    /// still rendered and checked, and links to these are not reported again.
    pub with_errors: Vec<SourcePath>,
    /// Ids of contacts whose entries have errors of their own (left out of `contacts`).
    pub contacts_with_errors: Vec<String>,
    /// What `daten/laender.yaml` says, for the Länder it lists (see [`Site::land_entry`]).
    pub laender: BTreeMap<Land, LandEntry>,
    /// The Anbindungsfragebogen of `daten/fragebogen.yaml`; none without the file or with errors in it.
    pub questionnaire: Option<Questionnaire>,
}

/// JSON Schemas of the files editors write, by the file name they are saved under
/// (`mitnutzung schema`); generated from the same types the build reads.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    let value =
        |schema: schemars::Schema| serde_json::to_value(schema).expect("a schema serializes");
    vec![
        ("site.schema.json", crate::config::schema()),
        (
            "page.schema.json",
            value(schemars::schema_for!(pages::RawPageMeta)),
        ),
        (
            "service.schema.json",
            value(schemars::schema_for!(pages::RawServiceMeta)),
        ),
        (
            "news.schema.json",
            value(schemars::schema_for!(news::RawNewsMeta)),
        ),
        (
            "municipality.schema.json",
            value(schemars::schema_for!(data::RawMunicipality)),
        ),
        (
            "leikas.schema.json",
            value(schemars::schema_for!(Vec<data::RawLeika>)),
        ),
        (
            "kontakte.schema.json",
            value(schemars::schema_for!(Vec<data::RawContact>)),
        ),
        (
            "laender.schema.json",
            value(schemars::schema_for!(Vec<laender::RawLand>)),
        ),
        (
            "fragebogen.schema.json",
            value(schemars::schema_for!(questionnaire::RawQuestionnaire)),
        ),
    ]
}

impl Site {
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// What the site knows of `land`: its entry in `laender.yaml`, or unknown.
    pub fn land_entry(&self, land: Land) -> LandEntry {
        (self.laender.get(&land).cloned()).unwrap_or_else(|| LandEntry::unknown(land))
    }

    pub fn asset(&self, rel: &str) -> Option<&AssetFile> {
        self.assets
            .binary_search_by(|a| a.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.assets[i])
    }

    /// The site paths that the files left out for their errors would have had.
    pub fn paths_with_errors(&self) -> impl Iterator<Item = SitePath> + '_ {
        self.with_errors.iter().map(crate::routes::page_of_source)
    }

    /// Every Markdown page of the site with its role.
    pub fn all_pages(&self) -> impl Iterator<Item = &Page> {
        std::iter::once(&self.home)
            .chain(&self.pages)
            .chain(self.steps.iter().map(|s| &s.page))
            .chain(self.services.iter().map(|s| &s.page))
            .chain(self.news.iter().map(|n| &n.page))
    }
}
