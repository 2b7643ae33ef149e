//! Model → the view structs templates see: the site-wide `site` value, one
//! `ServiceView` per service, status rows and summaries, municipality views.

use std::collections::BTreeMap;

use crate::model::{
    Condition, Field, Land, LandContact, LandEntry, Municipality, Note, Questionnaire,
    QuestionnaireFile, Service, Site, Status,
};
use crate::questionnaire::GeneratedWorkbook;
use crate::routes::{self, Routes, SitePath, SourcePath};
use crate::templates::views::*;

/// The federal service directory entry of a LeiKa key.
pub(crate) fn directory_url(key: &str) -> String {
    format!("https://verwaltung.bund.de/leistungsverzeichnis/de/leistung/{key}")
}

/// "24 KB", "1,2 MB": sizes as German readers expect them.
pub(crate) fn size_label(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} Byte")
    } else if b < KB * KB {
        format!("{} KB", (b / KB).round().max(1.0))
    } else {
        format!("{:.1} MB", b / KB / KB).replace('.', ",")
    }
}

/// Upper-case extension as the file type, e.g. `XLSX`.
pub(crate) fn file_type(rel: &str) -> String {
    rel.rsplit_once('.')
        .map(|(_, e)| e.to_uppercase())
        .unwrap_or_else(|| "Datei".into())
}

pub(crate) fn site_view(site: &Site, routes: &Routes, workbooks: &[GeneratedWorkbook]) -> SiteView {
    let services: Vec<ServiceView> = site
        .services
        .iter()
        .map(|s| service_view(site, routes, s, workbooks))
        .collect();
    SiteView {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        language: site.config.language.clone(),
        base_url: routes.base().absolute().to_string(),
        base_path: routes.base().path().to_string(),
        operator: site.config.operator.clone().unwrap_or_default(),
        search: site.config.search,
        steps: step_links(site, routes),
        topics: topics(&services),
        services,
        contacts: site
            .contacts
            .values()
            .map(|c| (c.id.clone(), contact_view(c)))
            .collect(),
        statuses: Status::ALL.into_iter().map(StatusInfo::from).collect(),
        status_summary: status_summary(site, routes),
        has_example_data: site.municipalities.iter().any(|m| m.example),
        all_example_data: !site.municipalities.is_empty()
            && site.municipalities.iter().all(|m| m.example),
        data_date: data_date(site).map(DateView::from),
        laender: laender(site),
        questionnaire: site.questionnaire.as_ref().map(questionnaire_view),
        news: (site.news.iter())
            .map(|n| super::news::news_item(site, routes, n))
            .collect(),
        all_news_examples: !site.news.is_empty() && site.news.iter().all(|n| n.example),
        news_feed: super::news::news_feed(routes),
        status_feed: super::news::status_feed(routes),
    }
}

fn questionnaire_view(q: &Questionnaire) -> QuestionnaireView {
    let field = |f: &Field| QuestionnaireField {
        id: f.id.clone(),
        label: f.label.clone(),
        kind: f.kind.code(),
        type_label: f.kind.label(),
        required: f.required,
        repeat: f.repeat,
        help: f.help.clone().unwrap_or_default(),
        when: f.when.map_or("", Condition::code),
        when_label: f.when.map_or("", Condition::label),
    };
    QuestionnaireView {
        title: q.title.clone(),
        version: q.version.into(),
        note: q.note.clone().unwrap_or_default(),
        sections: (q.sections.iter())
            .map(|s| QuestionnaireSection {
                id: s.id.clone(),
                title: s.title.clone(),
                fields: s.fields.iter().map(field).collect(),
            })
            .collect(),
    }
}

/// Every Land, in the order of the AGS codes, known or not.
fn laender(site: &Site) -> Vec<LandView> {
    (crate::model::values::LAENDER.iter())
        .filter_map(|(code, _)| Land::from_code(code))
        .map(|land| land_view(&site.land_entry(land)))
        .collect()
}

fn land_view(entry: &LandEntry) -> LandView {
    let contact = |c: &LandContact| LandContactView {
        name: c.name.clone(),
        email: c.email.as_ref().map_or("", |e| e.as_str()).to_string(),
        url: c.url.as_ref().map_or("", |u| u.as_str()).to_string(),
    };
    LandView {
        name: entry.land.name(),
        code: entry.land.code(),
        agreement: entry.agreement.code(),
        agreement_label: entry.agreement.label(),
        reuse_contact: entry.reuse_contact.as_ref().map(contact),
        editorial_office: entry.editorial_office.as_ref().map(contact),
        note: entry.note.as_ref().map(Note::html).unwrap_or_default(),
    }
}

/// The newest date of any status change of any municipality.
fn data_date(site: &Site) -> Option<crate::model::Date> {
    (site.municipalities.iter())
        .flat_map(|m| &m.usages)
        .flat_map(|u| u.history.iter().chain([&u.current]))
        .map(|change| change.since)
        .max()
}

/// Title and URL of every Markdown page by source path, for `get_page()`.
pub(crate) fn page_links(site: &Site, routes: &Routes) -> BTreeMap<SourcePath, PageLink> {
    site.all_pages()
        .map(|p| {
            (
                p.source.clone(),
                PageLink {
                    title: p.meta.title.clone(),
                    url: routes.url(&p.path),
                },
            )
        })
        .collect()
}

pub(crate) fn step_links(site: &Site, routes: &Routes) -> Vec<StepLink> {
    site.steps
        .iter()
        .map(|s| StepLink {
            number: s.number,
            title: s.page.meta.title.clone(),
            description: s.page.meta.description.clone(),
            url: routes.url(&s.page.path),
        })
        .collect()
}

fn topics(services: &[ServiceView]) -> Vec<TopicView> {
    let mut topics: Vec<TopicView> = Vec::new();
    for service in services {
        match topics.iter_mut().find(|t| t.name == service.topic) {
            Some(topic) => topic.services.push(service.clone()),
            None => topics.push(TopicView {
                name: service.topic.clone(),
                services: vec![service.clone()],
            }),
        }
    }
    topics
}

fn contact_view(c: &crate::model::Contact) -> ContactView {
    ContactView {
        id: c.id.clone(),
        name: c.name.clone(),
        email: c.email.as_str().to_string(),
        phone: c
            .phone
            .as_ref()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        url: c
            .url
            .as_ref()
            .map(|u| u.as_str().to_string())
            .unwrap_or_default(),
    }
}

pub(crate) fn service_view(
    site: &Site,
    routes: &Routes,
    s: &Service,
    workbooks: &[GeneratedWorkbook],
) -> ServiceView {
    let leikas: Vec<LeikaView> = s
        .leikas
        .iter()
        .filter_map(|k| site.leikas.get(k))
        .filter(|l| l.confirmed)
        .map(|l| LeikaView {
            key: l.key.as_str().to_string(),
            name: l.name.clone(),
            directory_url: directory_url(l.key.as_str()),
        })
        .collect();
    ServiceView {
        id: s.id.clone(),
        title: s.page.meta.title.clone(),
        topic: s.topic.clone(),
        summary: s.summary.clone(),
        url: routes.url(&s.page.path),
        mailbox: s.mailbox.as_str().to_string(),
        contact_form: match s.contact_form {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        },
        leikas_pending: leikas.is_empty(),
        leikas,
        questionnaire: s.questionnaire.as_ref().and_then(|q| match q {
            QuestionnaireFile::Own(rel) => download_view(site, routes, rel),
            QuestionnaireFile::Generated(rel) => (workbooks.iter())
                .find(|w| w.service == s.id)
                .map(|w| generated_download_view(routes, rel, w.bytes.len() as u64)),
        }),
        form_url: if crate::questionnaire::service_layout(site, s).is_some() {
            routes.url(&routes::questionnaire_form(&s.id))
        } else {
            String::new()
        },
        news: (site.news.iter())
            .filter(|n| n.services.contains(&s.id))
            .map(|n| super::news::news_item(site, routes, n))
            .collect(),
        feed: super::news::service_feed(routes, &s.id, &s.page.meta.title),
        contacts: s
            .contacts
            .iter()
            .filter_map(|id| site.contacts.get(id))
            .map(contact_view)
            .collect(),
        content: String::new(),
        users: Vec::new(),
        users_total: 0,
        users_examples: 0,
        users_by_state: Vec::new(),
    }
}

fn download_view(site: &Site, routes: &Routes, rel: &str) -> Option<DownloadView> {
    let asset = site.asset(rel)?;
    Some(generated_download_view(routes, rel, asset.size))
}

/// A download of `size` bytes published at `rel`.
fn generated_download_view(routes: &Routes, rel: &str, size: u64) -> DownloadView {
    DownloadView {
        url: routes.url(&routes::asset(rel)),
        file_name: rel.rsplit('/').next().unwrap_or(rel).to_string(),
        file_type: file_type(rel),
        size_bytes: size,
        size_label: size_label(size),
    }
}

/// More municipalities than this make the service page list them per Land only.
pub(crate) const USERS_LISTED: usize = 200;

/// Fill a service view's municipalities for its own page.
pub(crate) fn with_users(mut view: ServiceView, site: &Site, routes: &Routes) -> ServiceView {
    let users = users(site, routes, &view.id);
    let mut by_state: Vec<StateCount> = Vec::new();
    for u in &users {
        match by_state.iter_mut().find(|c| c.state == u.state) {
            Some(c) => c.count += 1,
            None => by_state.push(StateCount {
                state: u.state,
                count: 1,
            }),
        }
    }
    view.users_total = users.len();
    view.users_examples = users.iter().filter(|u| u.example).count();
    view.users_by_state = by_state;
    view.users = if users.len() <= USERS_LISTED {
        users
    } else {
        Vec::new()
    };
    view
}

/// The municipalities using a service (only its own page shows them).
pub(crate) fn users(site: &Site, routes: &Routes, service: &str) -> Vec<UserView> {
    site.municipalities
        .iter()
        .filter_map(|m| {
            let u = m.usages.iter().find(|u| u.service == service)?;
            Some(UserView {
                name: m.name.clone(),
                example: m.example,
                state: m.land.name(),
                url: routes.url(&routes::municipality(&m.id)),
                status: u.current.status.code(),
                status_label: u.current.status.label(),
                since: u.current.since.into(),
            })
        })
        .collect()
}

pub(crate) fn status_summary(site: &Site, routes: &Routes) -> StatusSummary {
    let mut services = Vec::new();
    let mut totals = vec![0; Status::ALL.len()];
    for s in &site.services {
        let mut counts = vec![0; Status::ALL.len()];
        let mut examples = 0;
        for (m, u) in (site.municipalities.iter())
            .flat_map(|m| m.usages.iter().map(move |u| (m, u)))
            .filter(|(_, u)| u.service == s.id)
        {
            examples += usize::from(m.example);
            let i = Status::ALL
                .iter()
                .position(|x| *x == u.current.status)
                .unwrap_or(0);
            counts[i] += 1;
            totals[i] += 1;
        }
        let total = counts.iter().sum();
        services.push(ServiceCounts {
            id: s.id.clone(),
            title: s.page.meta.title.clone(),
            url: routes.url(&s.page.path),
            counts,
            total,
            examples,
        });
    }
    StatusSummary {
        statuses: Status::ALL.into_iter().map(StatusInfo::from).collect(),
        total: totals.iter().sum(),
        totals,
        chart: chart(&services),
        services,
    }
}

/// The chart is narrow (the service name stands above its bar) so that it
/// stays legible when scaled down to a 320 px screen.
const CHART_WIDTH: u32 = 400;
const CHART_LABELS: u32 = 0;
const CHART_ROW: u32 = 58;

/// Bars scaled to the service with the most municipalities.
fn chart(services: &[ServiceCounts]) -> Chart {
    let max = services.iter().map(|s| s.total).max().unwrap_or(0).max(1) as f64;
    let area = f64::from(CHART_WIDTH - CHART_LABELS - 2);
    let rows = services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut x = f64::from(CHART_LABELS);
            let segments = Status::ALL
                .iter()
                .zip(&s.counts)
                .filter(|(_, count)| **count > 0)
                .map(|(status, count)| {
                    let width = (*count as f64 / max * area * 10.0).round() / 10.0;
                    let segment = ChartSegment {
                        status: status.code(),
                        label: status.label(),
                        count: *count,
                        x,
                        width,
                        labelled: width >= 18.0,
                    };
                    x += width;
                    segment
                })
                .collect();
            ChartRow {
                title: s.title.clone(),
                total: s.total,
                y: i as u32 * CHART_ROW,
                segments,
            }
        })
        .collect();
    Chart {
        width: CHART_WIDTH,
        height: services.len() as u32 * CHART_ROW,
        bar_x: CHART_LABELS,
        rows,
    }
}

/// A status table with more rows than this is split into pages by Land.
pub(crate) const STATUS_ROWS_PER_PAGE: usize = 1000;

/// One page of a split status table: what templates see, where it goes, which rows.
#[derive(Debug, Clone)]
pub(crate) struct StatusPartDef {
    pub view: StatusPart,
    pub path: SitePath,
    pub rows: std::ops::Range<usize>,
}

/// Split the rows (sorted by Land) into pages by Land, large Länder in several
/// pages of at most [`STATUS_ROWS_PER_PAGE`] rows; none when all fit on one page.
pub(crate) fn split_status(rows: &[StatusRow], routes: &Routes) -> Vec<StatusPartDef> {
    if rows.len() <= STATUS_ROWS_PER_PAGE {
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let state = rows[start].state;
        let end = start
            + rows[start..]
                .iter()
                .take_while(|r| r.state == state)
                .count();
        let pages = (end - start).div_ceil(STATUS_ROWS_PER_PAGE);
        for page in 0..pages {
            let from = start + page * STATUS_ROWS_PER_PAGE;
            let to = (from + STATUS_ROWS_PER_PAGE).min(end);
            let path = routes::status_part(&crate::slug::slugify(state), page + 1);
            let label = if pages == 1 {
                state.to_string()
            } else {
                format!("{state}, Teil {} von {pages}", page + 1)
            };
            let view = StatusPart {
                state,
                label,
                url: routes.url(&path),
                count: to - from,
            };
            parts.push(StatusPartDef {
                view,
                path,
                rows: from..to,
            });
        }
        start = end;
    }
    parts
}

/// One row per municipality and service, by Land, Kommune, then service order.
pub(crate) fn status_rows(site: &Site, routes: &Routes) -> Vec<StatusRow> {
    let titles: BTreeMap<&str, (&str, String)> = site
        .services
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                (s.page.meta.title.as_str(), routes.url(&s.page.path)),
            )
        })
        .collect();
    let mut rows = Vec::new();
    for m in &site.municipalities {
        for u in &m.usages {
            let Some((title, url)) = titles.get(u.service.as_str()) else {
                continue;
            };
            rows.push(StatusRow {
                state: m.land.name(),
                municipality: m.name.clone(),
                municipality_id: m.id.clone(),
                ags: m
                    .ags
                    .as_ref()
                    .map(|a| a.as_str().to_string())
                    .unwrap_or_default(),
                municipality_url: routes.url(&routes::municipality(&m.id)),
                service: u.service.clone(),
                service_title: title.to_string(),
                service_url: url.clone(),
                status: u.current.status.code(),
                status_label: u.current.status.label(),
                step: u.current.status.step(),
                order: Status::ALL
                    .iter()
                    .position(|s| *s == u.current.status)
                    .unwrap_or(0)
                    + 1,
                tone: tone(u.current.status),
                since: u.current.since.into(),
                example: m.example,
            });
        }
    }
    rows
}

/// The badge variant a status is shown with (`kern-badge--<tone>`), as
/// the macro `status_badge` in `macros.html` chooses it.
fn tone(status: Status) -> &'static str {
    match status {
        Status::Live => "success",
        Status::Paused => "warning",
        _ => "info",
    }
}

pub(crate) fn municipality_view(
    site: &Site,
    routes: &Routes,
    m: &Municipality,
) -> MunicipalityView {
    let services = m
        .usages
        .iter()
        .filter_map(|u| {
            let s = site.service(&u.service)?;
            let entry = |c: &crate::model::StatusChange| HistoryEntry {
                status: c.status.code(),
                status_label: c.status.label(),
                since: c.since.into(),
            };
            Some(MunicipalityService {
                id: s.id.clone(),
                title: s.page.meta.title.clone(),
                url: routes.url(&s.page.path),
                status: u.current.status.code(),
                status_label: u.current.status.label(),
                tone: tone(u.current.status),
                since: u.current.since.into(),
                history: u
                    .history
                    .iter()
                    .chain(std::iter::once(&u.current))
                    .map(entry)
                    .collect(),
            })
        })
        .collect();
    MunicipalityView {
        id: m.id.clone(),
        name: m.name.clone(),
        state: m.land.name(),
        ags: m
            .ags
            .as_ref()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        url: routes.url(&routes::municipality(&m.id)),
        example: m.example,
        services,
        land: land_view(&site.land_entry(m.land)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_bars_scale_to_the_largest_service() {
        let counts = |id: &str, counts: Vec<usize>| ServiceCounts {
            id: id.into(),
            title: id.into(),
            url: String::new(),
            total: counts.iter().sum(),
            counts,
            examples: 0,
        };
        let c = chart(&[
            counts("a", vec![2, 0, 0, 0, 2, 0]),
            counts("b", vec![0, 1, 0, 0, 0, 1]),
        ]);
        assert_eq!(c.rows[0].segments.len(), 2);
        assert_eq!(
            c.rows[0].segments[0].width + c.rows[0].segments[1].width,
            398.0
        );
        assert_eq!(c.rows[1].segments[1].x, 99.5);
        assert_eq!(c.rows[1].segments[1].status, "paused");
        assert_eq!(c.height, 116);
    }

    #[test]
    fn sizes_read_like_german() {
        assert_eq!(size_label(500), "500 Byte");
        assert_eq!(size_label(24 * 1024 + 100), "24 KB");
        assert_eq!(size_label(1_300_000), "1,2 MB");
        assert_eq!(file_type("downloads/a.xlsx"), "XLSX");
    }
}
