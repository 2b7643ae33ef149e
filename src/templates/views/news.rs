//! Views of the news ("Aktuelles": items, the paginated list, feed links)
//! and of the A–Z index on `/suche/` (every service, step, news item, page
//! and keyword by initial letter; the municipalities by Land).

use std::collections::BTreeMap;

use super::build::StatusPartDef;
use super::{
    DateView, FeedLink, IndexEntry, IndexLand, IndexLetter, IndexView, NewsItemView, NewsListView,
    PageLink, PageNumberLink,
};
use crate::model::{News, Site};
use crate::routes::{self, Routes};

/// News items a list page shows.
pub(crate) const NEWS_PER_PAGE: usize = 10;
/// A Land with more municipalities than this links to its status page in
/// the index instead of listing them (so that no page grows past 1 MB).
pub(crate) const INDEX_MUNICIPALITIES_PER_LAND: usize = 200;

pub(crate) fn news_item(site: &Site, routes: &Routes, news: &News) -> NewsItemView {
    let services = (news.services.iter())
        .filter_map(|id| site.services.iter().find(|s| &s.id == id))
        .map(|s| PageLink {
            title: s.page.meta.title.clone(),
            url: routes.url(&s.page.path),
        })
        .collect();
    NewsItemView {
        title: news.page.meta.title.clone(),
        description: news.page.meta.description.clone(),
        url: routes.url(&news.page.path),
        date: DateView::from(news.date),
        example: news.example,
        services,
    }
}

/// How many list pages the news take (at least one, which may be empty).
pub(crate) fn news_pages(site: &Site) -> usize {
    site.news.len().div_ceil(NEWS_PER_PAGE).max(1)
}

/// The site path of list page `index` (0-based).
pub(crate) fn news_list_path(index: usize) -> routes::SitePath {
    if index == 0 {
        routes::fixed(routes::NEWS)
    } else {
        routes::news_page(index + 1)
    }
}

/// List page `index` (0-based) of the news, newest first.
pub(crate) fn news_list(site: &Site, routes: &Routes, index: usize) -> NewsListView {
    let count = news_pages(site);
    let url = |i: usize| routes.url(&news_list_path(i));
    let items = (site
        .news
        .iter()
        .skip(index * NEWS_PER_PAGE)
        .take(NEWS_PER_PAGE))
    .map(|n| news_item(site, routes, n))
    .collect();
    NewsListView {
        items,
        number: index + 1,
        count,
        previous: index.checked_sub(1).map(url),
        next: (index + 1 < count).then(|| url(index + 1)),
        pages: (0..count)
            .map(|i| PageNumberLink {
                number: i + 1,
                url: url(i),
                current: i == index,
            })
            .collect(),
    }
}

pub(crate) fn news_feed(routes: &Routes) -> FeedLink {
    FeedLink {
        title: "Aktuelles".into(),
        url: routes.url(&routes::fixed(routes::NEWS_FEED)),
    }
}

pub(crate) fn status_feed(routes: &Routes) -> FeedLink {
    FeedLink {
        title: "Stand der Anbindung: Änderungen".into(),
        url: routes.url(&routes::fixed(routes::STATUS_FEED)),
    }
}

pub(crate) fn service_feed(routes: &Routes, id: &str, title: &str) -> FeedLink {
    FeedLink {
        title: format!("{title}: Aktuelles und Stand der Anbindung"),
        url: routes.url(&routes::service_feed(id)),
    }
}

/// The A–Z index: every entry once per term and address, by letter.
pub(crate) fn index(site: &Site, routes: &Routes, parts: &[StatusPartDef]) -> IndexView {
    let entry = |term: &str, page: &crate::model::Page, kind| IndexEntry {
        term: term.to_string(),
        url: routes.url(&page.path),
        kind,
        page: String::new(),
    };
    let mut entries: Vec<IndexEntry> = Vec::new();
    entries.extend(
        site.services
            .iter()
            .map(|s| entry(&s.page.meta.title, &s.page, "Dienst")),
    );
    entries.extend(
        site.steps
            .iter()
            .map(|s| entry(&s.page.meta.title, &s.page, "Schritt")),
    );
    entries.extend(
        site.news
            .iter()
            .map(|n| entry(&n.page.meta.title, &n.page, "Aktuelles")),
    );
    entries.extend(site.pages.iter().map(|p| entry(&p.meta.title, p, "Seite")));
    for page in site.all_pages() {
        entries.extend(page.meta.keywords.iter().map(|k| IndexEntry {
            page: page.meta.title.clone(),
            ..entry(k, page, "Stichwort")
        }));
    }
    IndexView {
        letters: letters(entries),
        laender: laender(site, routes, parts),
    }
}

/// Sorted as a German reader looks things up: umlauts as their base letter,
/// `ß` as `ss`, letter case ignored.
pub(crate) fn sort_key(term: &str) -> String {
    term.chars()
        .flat_map(|c| match c {
            'ä' | 'Ä' => "a".chars().collect::<Vec<_>>(),
            'ö' | 'Ö' => vec!['o'],
            'ü' | 'Ü' => vec!['u'],
            'ß' => vec!['s', 's'],
            c => c.to_lowercase().collect(),
        })
        .collect()
}

fn letters(mut entries: Vec<IndexEntry>) -> Vec<IndexLetter> {
    entries.sort_by(|a, b| {
        (sort_key(&a.term), &a.term, &a.url).cmp(&(sort_key(&b.term), &b.term, &b.url))
    });
    entries.dedup_by(|a, b| a.term == b.term && a.url == b.url);
    let mut groups: BTreeMap<String, Vec<IndexEntry>> = BTreeMap::new();
    for e in entries {
        let first = sort_key(&e.term).chars().next().unwrap_or('#');
        let letter = if first.is_ascii_lowercase() {
            first.to_ascii_uppercase().to_string()
        } else {
            "0–9".to_string()
        };
        groups.entry(letter).or_default().push(e);
    }
    // "0–9" sorts before the letters.
    (groups.into_iter())
        .map(|(letter, entries)| IndexLetter {
            id: format!(
                "buchstabe-{}",
                if letter == "0–9" {
                    "0-9".into()
                } else {
                    letter.to_lowercase()
                }
            ),
            letter,
            entries,
        })
        .collect()
}

fn laender(site: &Site, routes: &Routes, parts: &[StatusPartDef]) -> Vec<IndexLand> {
    let mut by_land: BTreeMap<&'static str, Vec<PageLink>> = BTreeMap::new();
    for m in &site.municipalities {
        by_land.entry(m.land.name()).or_default().push(PageLink {
            title: m.name.clone(),
            url: routes.url(&routes::municipality(&m.id)),
        });
    }
    let mut laender: Vec<IndexLand> = (by_land.into_iter())
        .map(|(state, mut municipalities)| {
            municipalities.sort_by_key(|l| sort_key(&l.title));
            let count = municipalities.len();
            let too_many = count > INDEX_MUNICIPALITIES_PER_LAND;
            let status_url = too_many.then(|| {
                let part = parts.iter().find(|p| p.view.state == state);
                routes.url(&part.map_or_else(|| routes::fixed(routes::STATUS), |p| p.path.clone()))
            });
            if too_many {
                municipalities.clear();
            }
            IndexLand {
                state,
                municipalities,
                count,
                status_url,
            }
        })
        .collect();
    laender.sort_by_key(|l| sort_key(l.state));
    laender
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_sort_as_in_a_german_index() {
        let mut terms = vec![
            "Zuständigkeit",
            "Übersicht",
            "ausfüllen",
            "Ärger",
            "Straße",
            "Strasse",
            "dDatabox",
            "4 Schritte",
        ];
        terms.sort_by_key(|t| sort_key(t));
        assert_eq!(
            terms,
            [
                "4 Schritte",
                "Ärger",
                "ausfüllen",
                "dDatabox",
                "Straße",
                "Strasse",
                "Übersicht",
                "Zuständigkeit"
            ]
        );
    }

    #[test]
    fn the_index_groups_by_letter_and_the_list_pages_by_ten() {
        let site = crate::model::valid_site();
        let routes = Routes::new(site.config.base_url.clone());
        let view = index(&site, &routes, &[]);
        let shown: Vec<String> = (view.letters.iter())
            .map(|l| {
                format!(
                    "{} {}: {}",
                    l.id,
                    l.letter,
                    l.entries
                        .iter()
                        .map(|e| format!("{} ({}, {})", e.term, e.kind, e.url))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                "buchstabe-a A: Alpha (Dienst, /dienste/alpha/)",
                "buchstabe-e E: Eintragen (Schritt, /schritte/eintragen/)",
                "buchstabe-i I: Impressum (Seite, /impressum/)",
                "buchstabe-v V: Vorbereiten (Schritt, /schritte/vorbereiten/)"
            ]
        );
        assert_eq!(view.laender.len(), 1);
        assert_eq!(
            (view.laender[0].state, view.laender[0].count),
            ("Bremen", 1)
        );
        let list = news_list(&site, &routes, 0);
        assert_eq!((list.number, list.count, list.items.len()), (1, 1, 0));
        assert!(list.previous.is_none() && list.next.is_none());
        assert_eq!(news_list_path(2).as_str(), "aktuelles/seite/3/");
    }
}
