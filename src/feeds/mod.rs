//! Atom feeds (RFC 4287, written by `atom_syndication`): the status changes
//! of the municipalities (every `history` entry and every current status),
//! for the whole site and per service. Ids are `tag:` URIs from the host of
//! `site.yaml`'s `base_url`, so they stay the same under a preview address;
//! every date comes from the content, never from the clock; the author is
//! the site's `operator` (or its title).

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};

use crate::model::{Date, Site, Status};
use crate::routes::{self, Routes, SitePath};

/// The date part of every `tag:` id (RFC 4151): the year the feeds began.
/// It must never change, or every reader sees every entry anew.
const TAG_DATE: &str = "2026";
/// The newest entries a feed lists.
pub(crate) const FEED_ENTRIES: usize = 50;

/// One entry, before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeedEntry {
    /// The specific part of the `tag:` id, e.g. `status/gera/beistandschaft/live/2026-05-04`.
    pub tag: String,
    pub title: String,
    /// The page the entry is about.
    pub page: SitePath,
    pub date: Date,
    pub summary: String,
    pub example: bool,
}

/// One feed: what it is, where it is published, and its entries.
#[derive(Debug, Clone)]
pub(crate) struct FeedSpec {
    pub tag: String,
    pub title: String,
    pub path: SitePath,
    /// The page the feed belongs to.
    pub page: SitePath,
    pub entries: Vec<FeedEntry>,
}

/// Where the feeds are published: news, status changes, one per service.
pub(crate) fn feed_paths(site: &Site) -> Vec<SitePath> {
    let fixed = [routes::NEWS_FEED, routes::STATUS_FEED].map(routes::fixed);
    (fixed.into_iter())
        .chain(site.services.iter().map(|s| routes::service_feed(&s.id)))
        .collect()
}

/// Every feed of the site, in the order of [`feed_paths`].
pub(crate) fn site_feeds(site: &Site) -> Vec<FeedSpec> {
    let title = &site.config.title;
    let mut feeds = vec![
        FeedSpec {
            tag: "aktuelles".into(),
            title: format!("{title}: Aktuelles"),
            path: routes::fixed(routes::NEWS_FEED),
            page: routes::fixed(routes::NEWS),
            entries: site.news.iter().map(news_entry).collect(),
        },
        FeedSpec {
            tag: "status".into(),
            title: format!("{title}: Stand der Anbindung"),
            path: routes::fixed(routes::STATUS_FEED),
            page: routes::fixed(routes::STATUS),
            entries: status_entries(site, None),
        },
    ];
    for service in &site.services {
        let news = (site.news.iter())
            .filter(|n| n.services.contains(&service.id))
            .map(news_entry);
        let mut entries: Vec<FeedEntry> = news
            .chain(status_entries(site, Some(&service.id)))
            .collect();
        entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.tag.cmp(&b.tag)));
        feeds.push(FeedSpec {
            tag: format!("dienste/{}", service.id),
            title: format!(
                "{}: Aktuelles und Stand der Anbindung",
                service.page.meta.title
            ),
            path: routes::service_feed(&service.id),
            page: service.page.path.clone(),
            entries,
        });
    }
    feeds
}

fn news_entry(news: &crate::model::News) -> FeedEntry {
    let meta = &news.page.meta;
    let example = if news.example {
        " (Beispielmeldung)"
    } else {
        ""
    };
    let summary = if meta.description.is_empty() {
        &meta.title
    } else {
        &meta.description
    };
    FeedEntry {
        tag: format!("aktuelles/{}", news.slug),
        title: format!("{}{example}", meta.title),
        page: news.page.path.clone(),
        date: news.date,
        summary: format!("{summary}{example}"),
        example: news.example,
    }
}

/// One status change before it is put into words.
type Change<'a> = (
    Date,
    &'a crate::model::Municipality,
    &'a str,
    &'a str,
    Status,
);

/// The newest [`FEED_ENTRIES`] of the statuses municipalities have had for a
/// service (for `service`, or for all), newest first; ties by their id
/// (municipality, then service). Only those are put into words: a
/// whole-country site has hundreds of thousands of changes.
pub(crate) fn status_entries(site: &Site, service: Option<&str>) -> Vec<FeedEntry> {
    let mut changes: Vec<Change> = Vec::new();
    for m in &site.municipalities {
        for usage in m
            .usages
            .iter()
            .filter(|u| service.is_none_or(|s| s == u.service))
        {
            let Some(title) = site.services.iter().find(|s| s.id == usage.service) else {
                continue;
            };
            let title = title.page.meta.title.as_str();
            for change in usage.history.iter().chain([&usage.current]) {
                changes.push((change.since, m, title, &usage.service, change.status));
            }
        }
    }
    let mut entries: Vec<FeedEntry> = (newest(changes).into_iter())
        .map(|(since, m, title, service, status)| status_entry(m, title, service, status, since))
        .collect();
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.tag.cmp(&b.tag)));
    entries.truncate(FEED_ENTRIES);
    entries
}

/// The changes dated no earlier than the [`FEED_ENTRIES`]-th newest (all
/// changes of that date kept, so that ties are decided by the id).
fn newest(mut changes: Vec<Change>) -> Vec<Change> {
    if changes.len() <= FEED_ENTRIES {
        return changes;
    }
    let (_, nth, _) = changes.select_nth_unstable_by(FEED_ENTRIES - 1, |a, b| b.0.cmp(&a.0));
    let oldest_kept = nth.0;
    changes.retain(|c| c.0 >= oldest_kept);
    changes
}

fn status_entry(
    m: &crate::model::Municipality,
    service_title: &str,
    service: &str,
    status: Status,
    since: Date,
) -> FeedEntry {
    let example = if m.example { " (Beispieldaten)" } else { "" };
    FeedEntry {
        tag: format!(
            "status/{}/{service}/{}/{}",
            m.id,
            status.code(),
            since.iso()
        ),
        title: format!("{}: {service_title} – {}{example}", m.name, status.label()),
        page: routes::municipality(&m.id),
        date: since,
        summary: format!(
            "Seit {} steht {} ({}) beim Onlinedienst „{service_title}“ im Status „{}“.{example}",
            since.german(),
            m.name,
            m.land.name(),
            status.label()
        ),
        example: m.example,
    }
}

/// The newest date of the site's content (a page's `date`, a status's
/// `since`): the `updated` of a feed without entries. A site without any
/// date gets the first day of [`TAG_DATE`].
pub(crate) fn newest_content_date(site: &Site) -> Date {
    let pages = site.all_pages().filter_map(|p| p.meta.date);
    let statuses = (site.municipalities.iter())
        .flat_map(|m| &m.usages)
        .flat_map(|u| u.history.iter().chain([&u.current]))
        .map(|c| c.since);
    (pages.chain(statuses).max())
        .unwrap_or_else(|| Date::parse(&format!("{TAG_DATE}-01-01")).expect("a valid date"))
}

/// The feed's XML. `updated` is its newest entry's date, or `fallback` (the
/// newest date of the site's content) for a feed without entries.
pub(crate) fn atom(site: &Site, routes: &Routes, spec: &FeedSpec, fallback: Date) -> Vec<u8> {
    let entries: Vec<&FeedEntry> = spec.entries.iter().take(FEED_ENTRIES).collect();
    let updated = entries.first().map_or(fallback, |e| e.date);
    let author = Person {
        name: (site.config.operator.clone()).unwrap_or_else(|| site.config.title.clone()),
        ..Person::default()
    };
    let mut feed = Feed {
        title: Text::plain(&spec.title),
        id: tag(site, &spec.tag),
        updated: datetime(updated),
        authors: vec![author],
        links: vec![
            link(
                routes.permalink(&spec.path),
                "self",
                Some("application/atom+xml"),
            ),
            link(routes.permalink(&spec.page), "alternate", Some("text/html")),
        ],
        lang: Some(site.config.language.clone()),
        ..Feed::default()
    };
    feed.entries = entries.iter().map(|e| entry(site, routes, e)).collect();
    let mut out = feed.to_string().into_bytes();
    out.push(b'\n');
    out
}

fn entry(site: &Site, routes: &Routes, e: &FeedEntry) -> Entry {
    let categories = e.example.then(|| Category {
        term: "beispieldaten".into(),
        label: Some("Beispieldaten".into()),
        ..Category::default()
    });
    Entry {
        title: Text::plain(&e.title),
        id: tag(site, &e.tag),
        updated: datetime(e.date),
        links: vec![link(
            routes.permalink(&e.page),
            "alternate",
            Some("text/html"),
        )],
        summary: Some(Text::plain(&e.summary)),
        categories: categories.into_iter().collect(),
        ..Entry::default()
    }
}

fn link(href: String, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.into(),
        mime_type: mime_type.map(str::to_string),
        ..Link::default()
    }
}

/// `tag:host,2026:specific`.
fn tag(site: &Site, specific: &str) -> String {
    format!("tag:{},{TAG_DATE}:{specific}", site.config.feed_host)
}

/// Midnight UTC of a content date.
fn datetime(date: Date) -> FixedDateTime {
    let text = format!("{}T00:00:00Z", date.iso());
    FixedDateTime::parse_from_rfc3339(&text).expect("an ISO date at midnight is RFC 3339")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn spec(entries: Vec<FeedEntry>) -> FeedSpec {
        FeedSpec {
            tag: "status".into(),
            title: "Stand der Anbindung <&>".into(),
            path: routes::fixed("status/atom.xml"),
            page: routes::fixed(routes::STATUS),
            entries,
        }
    }

    fn entry(tag: &str, day: &str) -> FeedEntry {
        FeedEntry {
            tag: tag.into(),
            title: format!("Gera & \"Co\": {tag}"),
            page: routes::municipality("gera"),
            date: date(day),
            summary: "<script>x</script>".into(),
            example: true,
        }
    }

    #[test]
    fn every_status_a_municipality_had_is_an_entry_newest_first() {
        let site = crate::model::valid_site();
        let entries = status_entries(&site, None);
        let shown: Vec<String> = entries
            .iter()
            .map(|e| format!("{} | {} | {}", e.tag, e.title, e.summary))
            .collect();
        assert_eq!(shown, ["status/musterstadt/alpha/live/2026-01-01 | Musterstadt: Alpha – Live | Seit 01.01.2026 steht Musterstadt (Bremen) beim Onlinedienst „Alpha“ im Status „Live“."]);
        assert!(status_entries(&site, Some("beta")).is_empty());
        assert_eq!(newest_content_date(&site), date("2026-01-01"));
    }

    /// Only the newest changes are put into words, and they are exactly the
    /// first [`FEED_ENTRIES`] of all changes put into words and sorted: many
    /// changes on the boundary's date, ids that are prefixes of others
    /// ("ort-1" and "ort-1-x", whose tags sort otherwise than the ids).
    #[test]
    fn the_newest_entries_are_those_of_all_changes_sorted() {
        let mut site = crate::model::valid_site();
        let first = site.municipalities[0].clone();
        site.municipalities.clear();
        for i in 0..120 {
            for id in [format!("ort-{i}"), format!("ort-{i}-x")] {
                let mut m = first.clone();
                m.id = id.clone();
                m.name = id;
                let usage = &mut m.usages[0];
                usage.current.since = date(if i % 3 == 0 {
                    "2026-03-01"
                } else {
                    "2026-02-01"
                });
                usage.history = vec![crate::model::StatusChange {
                    status: Status::Preparation,
                    since: date("2026-01-15"),
                }];
                site.municipalities.push(m);
            }
        }
        let mut all: Vec<FeedEntry> = Vec::new();
        for m in &site.municipalities {
            for u in &m.usages {
                for c in u.history.iter().chain([&u.current]) {
                    all.push(status_entry(m, "Alpha", &u.service, c.status, c.since));
                }
            }
        }
        all.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.tag.cmp(&b.tag)));
        all.truncate(FEED_ENTRIES);
        let entries = status_entries(&site, None);
        assert_eq!(entries.len(), FEED_ENTRIES);
        assert_eq!(entries, all);
        assert_eq!(status_entries(&site, Some("alpha")), all);
    }

    #[test]
    fn ids_dates_and_text_are_written_escaped_and_from_content() {
        let site = crate::model::valid_site();
        let routes = Routes::new(site.config.base_url.clone());
        let xml = String::from_utf8(atom(
            &site,
            &routes,
            &spec(vec![entry("a", "2026-05-04")]),
            date("2020-01-01"),
        ))
        .unwrap();
        assert!(
            xml.contains("<id>tag:test.example.de,2026:status</id>"),
            "{xml}"
        );
        assert!(
            xml.contains("<updated>2026-05-04T00:00:00+00:00</updated>"),
            "{xml}"
        );
        assert!(
            xml.contains("<title>Stand der Anbindung &lt;&amp;&gt;</title>"),
            "{xml}"
        );
        assert!(xml.contains("&lt;script&gt;x&lt;/script&gt;"), "{xml}");
        assert!(!xml.contains("<script>"));
        assert!(
            xml.contains("<category term=\"beispieldaten\" label=\"Beispieldaten\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("href=\"https://test.example.de/kommunen/gera/\""),
            "{xml}"
        );
    }

    #[test]
    fn an_empty_feed_is_updated_at_the_fallback_and_long_ones_are_cut() {
        let site = crate::model::valid_site();
        let routes = Routes::new(site.config.base_url.clone());
        let empty =
            String::from_utf8(atom(&site, &routes, &spec(vec![]), date("2026-03-01"))).unwrap();
        assert!(
            empty.contains("<updated>2026-03-01T00:00:00+00:00</updated>"),
            "{empty}"
        );
        let many: Vec<FeedEntry> = (0..60)
            .map(|i| entry(&format!("e{i}"), "2026-01-01"))
            .collect();
        let xml = String::from_utf8(atom(&site, &routes, &spec(many), date("2026-03-01"))).unwrap();
        assert_eq!(xml.matches("<entry>").count(), FEED_ENTRIES);
    }
}
