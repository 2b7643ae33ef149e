//! Typed view structs handed to templates: what each page template and
//! shortcode sees, documented for theme authors in `themes/mitnutzung/README.md`;
//! [`build`] makes them from the model.

pub(crate) mod build;
pub(crate) mod form;
pub(crate) mod news;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Date, Status};
use crate::routes::SourcePath;

/// A date for templates: `iso` for `<time datetime>`, `de` for reading.
/// The two texts are written straight into the template's value when the
/// view is serialized, so that no strings are made and dropped in between
/// (the whole country shows more than 500,000 dates).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateView(Date);

impl From<Date> for DateView {
    fn from(d: Date) -> Self {
        DateView(d)
    }
}

impl DateView {
    /// The date in ISO form (`2026-05-04`).
    pub(crate) fn iso(self) -> crate::model::DateText {
        self.0.iso_text()
    }
}

impl Serialize for DateView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut view = serializer.serialize_struct("DateView", 2)?;
        view.serialize_field("iso", self.0.iso_text().as_str())?;
        view.serialize_field("de", self.0.german_text().as_str())?;
        view.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    pub title: String,
    pub description: String,
    pub date: Option<DateView>,
    pub url: String,
    pub permalink: String,
    pub content: String,
    pub kind: &'static str,
    pub source: SourcePath,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepLink {
    pub number: u32,
    pub title: String,
    pub description: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LeikaView {
    pub key: String,
    pub name: String,
    pub directory_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DownloadView {
    pub url: String,
    pub file_name: String,
    pub file_type: String,
    pub size_bytes: u64,
    pub size_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContactView {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UserView {
    pub name: String,
    /// An example entry (`example: true`), not a real onboarding.
    pub example: bool,
    pub state: &'static str,
    pub url: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub since: DateView,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceView {
    pub id: String,
    pub title: String,
    pub topic: String,
    pub summary: String,
    pub url: String,
    pub mailbox: String,
    /// `yes`, `no` or `unknown` (no source says: the page says "noch zu klären").
    pub contact_form: &'static str,
    /// Confirmed keys only: an unconfirmed key is never shown as the service's.
    pub leikas: Vec<LeikaView>,
    /// No confirmed key yet.
    pub leikas_pending: bool,
    pub questionnaire: Option<DownloadView>,
    /// The form that fills the generated questionnaire
    /// (`/dienste/<id>/fragebogen/`); empty for a service without one.
    pub form_url: String,
    /// News items that name this service, newest first.
    pub news: Vec<NewsItemView>,
    /// The service's feed of its news and status changes.
    pub feed: FeedLink,
    pub contacts: Vec<ContactView>,
    /// The service's own body; filled only on its own page.
    pub content: String,
    /// Municipalities using the service; filled only on its own page, and
    /// only up to a readable number (then `users_by_state` counts them).
    pub users: Vec<UserView>,
    pub users_total: usize,
    /// How many of them are example entries.
    pub users_examples: usize,
    /// How many municipalities per Land use the service (own page only).
    pub users_by_state: Vec<StateCount>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StateCount {
    pub state: &'static str,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TopicView {
    pub name: String,
    pub services: Vec<ServiceView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusInfo {
    pub code: &'static str,
    pub label: &'static str,
    pub step: Option<u8>,
}

impl From<Status> for StatusInfo {
    fn from(s: Status) -> Self {
        StatusInfo {
            code: s.code(),
            label: s.label(),
            step: s.step(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServiceCounts {
    pub id: String,
    pub title: String,
    pub url: String,
    pub counts: Vec<usize>,
    pub total: usize,
    /// How many of `total` are example entries (`example: true`).
    pub examples: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusSummary {
    pub statuses: Vec<StatusInfo>,
    pub services: Vec<ServiceCounts>,
    pub totals: Vec<usize>,
    pub total: usize,
    /// Geometry of the stacked bar chart (SVG user units), computed at build time.
    pub chart: Chart,
}

/// A stacked bar chart: one bar per service, one segment per status.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    pub width: u32,
    pub height: u32,
    /// Where the bars start (left of it: the service names).
    pub bar_x: u32,
    pub rows: Vec<ChartRow>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartRow {
    pub title: String,
    pub total: usize,
    /// Top of the bar.
    pub y: u32,
    pub segments: Vec<ChartSegment>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChartSegment {
    pub status: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub x: f64,
    pub width: f64,
    /// Whether the count fits inside the segment as text.
    pub labelled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    /// The operator for the official-site header bar; empty when not set.
    pub operator: String,
    /// Whether the build writes a search index (`search` in `site.yaml`).
    pub search: bool,
    pub steps: Vec<StepLink>,
    pub services: Vec<ServiceView>,
    pub topics: Vec<TopicView>,
    pub contacts: BTreeMap<String, ContactView>,
    pub statuses: Vec<StatusInfo>,
    pub status_summary: StatusSummary,
    pub has_example_data: bool,
    /// True when there is status data and every municipality is an example:
    /// then one sentence says so instead of a badge per row.
    pub all_example_data: bool,
    /// "Stand der Daten": the newest date in the status data (never the
    /// build's clock, so that builds stay byte-identical); none without data.
    pub data_date: Option<DateView>,
    /// All 16 Länder in the order of their AGS code (01 Schleswig-Holstein …
    /// 16 Thüringen), each as `daten/laender.yaml` describes it or unknown.
    pub laender: Vec<LandView>,
    /// The Anbindungsfragebogen of `daten/fragebogen.yaml`; none without the file.
    pub questionnaire: Option<QuestionnaireView>,
    /// Every news item, newest first (the home page shows the first three).
    pub news: Vec<NewsItemView>,
    /// Whether every news item is an example.
    pub all_news_examples: bool,
    pub news_feed: FeedLink,
    pub status_feed: FeedLink,
}

/// The definition of the Anbindungsfragebogen (`daten/fragebogen.yaml`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuestionnaireView {
    pub title: String,
    /// The date of the definition.
    pub version: DateView,
    /// Empty without one.
    pub note: String,
    pub sections: Vec<QuestionnaireSection>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuestionnaireSection {
    pub id: String,
    pub title: String,
    pub fields: Vec<QuestionnaireField>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuestionnaireField {
    pub id: String,
    pub label: String,
    /// `text`, `multiline`, `email`, `url`, `phone`, `oe_id`, `ags`, `land`, `date`, `person`, `pvog_links`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The type in German (`E-Mail-Adresse`).
    pub type_label: &'static str,
    pub required: bool,
    pub repeat: bool,
    /// Empty without one.
    pub help: String,
    /// The condition's code (`contact_form`), empty without one.
    pub when: &'static str,
    /// The condition in German, empty without one.
    pub when_label: &'static str,
}

/// What the site knows of one Land (`daten/laender.yaml`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LandView {
    pub name: &'static str,
    /// The two-digit Land code of the AGS (`01` … `16`).
    pub code: &'static str,
    /// `yes`, `no`, `in_progress` or `unknown`.
    pub agreement: &'static str,
    /// `ja`, `nein`, `in Abstimmung` or `unbekannt`.
    pub agreement_label: &'static str,
    pub reuse_contact: Option<LandContactView>,
    pub editorial_office: Option<LandContactView>,
    /// The note as HTML phrasing content (no `<p>`); empty without one.
    pub note: String,
}

/// A contact place of a Land; `email` and `url` may be empty.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LandContactView {
    pub name: String,
    pub email: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RenderedStep {
    pub number: u32,
    pub title: String,
    pub id: String,
    pub content: String,
}

/// One row of the public status table (and of `status.csv` / `status.json`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusRow {
    pub state: &'static str,
    pub municipality: String,
    pub municipality_id: String,
    pub municipality_url: String,
    pub ags: String,
    pub service: String,
    pub service_title: String,
    pub service_url: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub step: Option<u8>,
    /// Position of the status in the guide's order (1 = preparation), for sorting.
    pub order: usize,
    /// The badge variant the theme shows (`success`, `warning`, `info`).
    pub tone: &'static str,
    pub since: DateView,
    pub example: bool,
}

/// What `status.html` gets as `status`. It borrows the rows, parts and
/// summary from the plan and the site view: the whole country has 100,000
/// rows, and each status page would otherwise copy its share first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusTable<'a> {
    /// The rows of this page: all of them, or one part when the table is split.
    pub rows: &'a [StatusRow],
    pub states: Vec<&'static str>,
    pub summary: &'a StatusSummary,
    /// All rows of the site (the open data has them all).
    pub total_rows: usize,
    /// When the table is too large for one page: its parts, by Land (empty otherwise).
    pub parts: Vec<&'a StatusPart>,
    /// The part this page shows (null on `/status/`).
    pub part: Option<&'a StatusPart>,
    pub previous: Option<&'a StatusPart>,
    pub next: Option<&'a StatusPart>,
}

/// One page of a status table split by Land (large Länder in several pages).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusPart {
    pub state: &'static str,
    /// e.g. "Bayern" or "Bayern, Teil 2 von 3".
    pub label: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct HistoryEntry {
    pub status: &'static str,
    pub status_label: &'static str,
    pub since: DateView,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MunicipalityService {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: &'static str,
    pub status_label: &'static str,
    /// The badge variant (`success`, `warning` or `info`), as in [`StatusRow`].
    pub tone: &'static str,
    pub since: DateView,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MunicipalityView {
    pub id: String,
    pub name: String,
    pub state: &'static str,
    pub ags: String,
    pub url: String,
    pub example: bool,
    pub services: Vec<MunicipalityService>,
    /// What the site knows of the municipality's Land.
    pub land: LandView,
}

/// What `sitemap.xml` gets: every page of the site, sorted by URL.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct SitemapView {
    pub urls: Vec<SitemapUrl>,
}

/// One page in the sitemap: its absolute URL and, for a Markdown page with
/// a `date:`, that date (ISO).
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// What `robots.txt` gets.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RobotsView {
    /// Absolute URL of `sitemap.xml`.
    pub sitemap: String,
}

/// The form of one service's Anbindungsfragebogen (`/dienste/<id>/fragebogen/`):
/// every input of the service's questionnaire layout, by section, and the
/// data its script works from.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormView {
    pub service_id: String,
    pub service_title: String,
    pub service_url: String,
    /// The definition's title (`Anbindungsfragebogen`).
    pub title: String,
    /// The date of the definition.
    pub version: DateView,
    /// Empty without one.
    pub note: String,
    pub sections: Vec<FormSection>,
    /// The 16 Länder, in the order of their AGS codes.
    pub laender: Vec<&'static str>,
    /// The service's generated XLSX (none when it could not be written).
    pub download: Option<DownloadView>,
    pub mailbox: String,
    /// `mailto:` the service mailbox, with the subject (percent-encoded).
    pub mailto: String,
    /// The subject of that mail, before the Kommune is known.
    pub mail_subject: String,
    /// JSON for the script (rules, inputs with their cells, the PVOG sheet),
    /// safe inside `<script type="application/json">` (`<` is `\u003c`).
    pub data: String,
}

/// One section of the questionnaire, with its inputs in order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormSection {
    pub id: String,
    pub title: String,
    pub items: Vec<FormItem>,
}

/// One thing in a section: an input, a person (a group of inputs) or the
/// PVOG table. Templates tell them apart by `item`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub(crate) enum FormItem {
    Input(FormInput),
    Person(FormPerson),
    Pvog(FormPvog),
}

/// One input: a cell of the workbook.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormInput {
    /// The cell's defined name (`fachlich.1.email`).
    pub name: String,
    /// The HTML id (`f_fachlich_1_email`).
    pub id: String,
    /// The full label (`Kontaktperson fachlich 1: E-Mail`).
    pub label: String,
    /// The label inside its group (`E-Mail`; the full label elsewhere).
    pub short_label: String,
    /// The value kind's code (`email`).
    pub kind: &'static str,
    /// `input`, `textarea` or `select`.
    pub control: &'static str,
    /// The `type` of an `<input>` (`text`, `email`, `url`, `tel`, `date`).
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    /// How a value must look (the rule's hint); empty for free text.
    pub hint: String,
    /// The definition's help text; empty without one.
    pub help: String,
    /// The condition's note while the service's answer is open; empty otherwise.
    pub condition: String,
    /// The cell on the sheet `Fragebogen` (`B6`).
    pub cell: String,
    pub max_len: usize,
}

/// One person (a field of type `person`, or one slot of a repeated one).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormPerson {
    /// The name the parts share (`fachlich.1`).
    pub group: String,
    pub id: String,
    pub legend: String,
    /// 1 for the first (or only) person of a field.
    pub slot: usize,
    /// One of the slots of a repeated field (`repeat: true`).
    pub repeat: bool,
    /// A further slot of a repeated field: shown when asked for (with JavaScript).
    pub extra: bool,
    /// The field's label, for the button that adds the next slot.
    pub field_label: String,
    /// Name and e-mail address must be given.
    pub required: bool,
    pub help: String,
    pub condition: String,
    pub inputs: Vec<FormInput>,
}

/// The PVOG table: one row per LeiKa key and Kommune.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormPvog {
    pub id: String,
    pub label: String,
    pub required: bool,
    /// The sheet (`PVOG-Links`) and the Excel row of the first data row.
    pub sheet: &'static str,
    pub first_row: u32,
    /// How many rows the sheet holds.
    pub max_rows: u32,
    pub columns: Vec<FormColumn>,
    /// The rows the page starts with: one per confirmed LeiKa key (with key
    /// and name filled in), at least one.
    pub rows: Vec<FormPvogRow>,
}

/// One column of the PVOG table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormColumn {
    pub label: String,
    pub kind: &'static str,
    /// The column on the sheet (`A` … `F`).
    pub letter: String,
    pub input_type: &'static str,
    /// Must be filled in a row that is used.
    pub required: bool,
    pub hint: String,
    pub max_len: usize,
}

/// One row of the PVOG table as the page starts with it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormPvogRow {
    /// 1-based.
    pub number: usize,
    /// One value per column (empty where nothing is prefilled).
    pub values: Vec<String>,
}

/// A news item as lists and its own page show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NewsItemView {
    pub title: String,
    pub description: String,
    pub url: String,
    pub date: DateView,
    /// Example content, labelled as such.
    pub example: bool,
    /// The services it belongs to.
    pub services: Vec<PageLink>,
}

/// A feed a page offers, for autodiscovery and the visible link.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeedLink {
    pub title: String,
    pub url: String,
}

/// One page of the news list (`/aktuelles/`, `/aktuelles/seite/2/`, …).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NewsListView {
    pub items: Vec<NewsItemView>,
    /// 1-based number of this page, and how many there are.
    pub number: usize,
    pub count: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageNumberLink>,
}

/// A link of the pagination.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageNumberLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

/// The A–Z index ("Stichwortverzeichnis") of `/suche/`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexView {
    pub letters: Vec<IndexLetter>,
    /// The municipalities by Land (a Land with many links to its status page).
    pub laender: Vec<IndexLand>,
}

/// The entries of one initial letter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexLetter {
    /// `A` … `Z`, or `0–9` for entries starting with another character.
    pub letter: String,
    /// The anchor of the letter: `buchstabe-a`.
    pub id: String,
    pub entries: Vec<IndexEntry>,
}

/// One term of the index and where it is explained.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexEntry {
    pub term: String,
    pub url: String,
    /// What kind of page it leads to: Dienst, Schritt, Aktuelles, Seite, Stichwort.
    pub kind: &'static str,
    /// The page's title, when the term is a keyword of it.
    pub page: String,
}

/// The municipalities of one Land in the index.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexLand {
    pub state: &'static str,
    pub municipalities: Vec<PageLink>,
    pub count: usize,
    /// Set when there are too many to list: the Land's status page.
    pub status_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_view_is_an_object_of_its_iso_and_german_text() {
        let date = Date::parse("2026-05-04").unwrap();
        let value = serde_json::to_value(DateView::from(date)).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"iso": "2026-05-04", "de": "04.05.2026"})
        );
        assert_eq!(
            serde_json::to_string(&DateView::from(date).iso()).unwrap(),
            "\"2026-05-04\""
        );
    }
}
