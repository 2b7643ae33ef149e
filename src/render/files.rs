//! The site's non-HTML outputs — `status.csv`, `status.json`, `sitemap.xml`
//! and `robots.txt` from the theme's templates of those names, and the
//! services' generated questionnaires.

use std::sync::Arc;

use serde::Serialize;

use super::plan::Plan;
use super::Inputs;
use crate::diagnostics::Diagnostic;
use crate::model::DateText;
use crate::output::{Contents, OutputFile};
use crate::routes::{self, Routes, SitePath};
use crate::templates::views::{RobotsView, SitemapUrl, SitemapView, StatusRow};
use crate::templates::Theme;

/// The files the generator writes besides the pages.
pub(super) const GENERATED: [&str; 5] = [
    routes::STATUS_CSV,
    routes::STATUS_JSON,
    routes::SITEMAP,
    routes::ROBOTS,
    routes::SYNTAX_CSS,
];

/// The generated files, in the order of [`GENERATED`]; a broken template of
/// the theme (`sitemap.xml`, `robots.txt`) is an error, and its file is left out.
pub(super) fn generated(
    inputs: &Inputs,
    plan: &Plan,
    make_sitemap: &SitemapMaker,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let records: Vec<StatusRecord> = plan.status.rows.iter().map(StatusRecord::from).collect();
    let highlight_theme = &inputs.site.config.highlight_theme;
    let mut urls = sitemap_urls(inputs, plan);
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    let sitemap = make_sitemap(&SitemapView { urls });
    let robots = robots(inputs.theme, &inputs.routes).map(Arc::from);
    let mut errors = Vec::new();
    let mut files = vec![
        OutputFile::bytes(
            routes::fixed_output(routes::STATUS_CSV),
            status_csv(&records),
        ),
        OutputFile::bytes(
            routes::fixed_output(routes::STATUS_JSON),
            status_json(&records),
        ),
    ];
    for (path, made) in [(routes::SITEMAP, sitemap), (routes::ROBOTS, robots)] {
        match made {
            Ok(bytes) => files.push(OutputFile {
                path: routes::fixed_output(path),
                contents: Contents::Bytes(bytes),
            }),
            Err(d) => errors.push(d),
        }
    }
    files.push(OutputFile::bytes(
        routes::fixed_output(routes::SYNTAX_CSS),
        crate::highlight::css(highlight_theme),
    ));
    files.extend(
        (inputs.workbooks.iter())
            .map(|w| OutputFile::bytes(routes::output_file(&w.path), w.bytes.clone())),
    );
    let newest = crate::feeds::newest_content_date(inputs.site);
    files.extend(crate::feeds::site_feeds(inputs.site).iter().map(|feed| {
        let xml = crate::feeds::atom(inputs.site, &inputs.routes, feed, newest);
        OutputFile::bytes(routes::output_file(&feed.path), xml)
    }));
    (files, errors)
}

/// Every page worth finding, sorted by URL.
fn sitemap_urls(inputs: &Inputs, plan: &Plan) -> Vec<SitemapUrl> {
    let (site, routes) = (inputs.site, &inputs.routes);
    let entry = |path: &SitePath, lastmod: Option<String>| SitemapUrl {
        loc: routes.permalink(path),
        lastmod,
    };
    let pages = site
        .all_pages()
        .map(|p| entry(&p.path, p.meta.date.map(|d| d.iso())));
    let parts = plan.status.parts.iter().map(|p| entry(&p.path, None));
    let generated = [
        routes::STEPS,
        routes::SERVICES,
        routes::STATUS,
        routes::SEARCH,
    ]
    .map(|p| entry(&routes::fixed(p), None));
    let news_lists = (0..crate::templates::views::news::news_pages(site))
        .map(|i| entry(&crate::templates::views::news::news_list_path(i), None));
    let municipalities = site
        .municipalities
        .iter()
        .map(|m| entry(&routes::municipality(&m.id), None));
    pages
        .chain(generated)
        .chain(news_lists)
        .chain(parts)
        .chain(municipalities)
        .collect()
}

/// One row of the open status data; field order is the column order.
#[derive(Debug, Serialize)]
pub(super) struct StatusRecord<'a> {
    pub state: &'a str,
    pub municipality: &'a str,
    pub municipality_id: &'a str,
    pub ags: &'a str,
    pub service: &'a str,
    pub service_title: &'a str,
    pub status: &'a str,
    pub status_label: &'a str,
    pub since: DateText,
    pub example: bool,
}

impl<'a> From<&'a StatusRow> for StatusRecord<'a> {
    fn from(r: &'a StatusRow) -> Self {
        StatusRecord {
            state: r.state,
            municipality: &r.municipality,
            municipality_id: &r.municipality_id,
            ags: &r.ags,
            service: &r.service,
            service_title: &r.service_title,
            status: r.status,
            status_label: r.status_label,
            since: r.since.iso(),
            example: r.example,
        }
    }
}

const CSV_HEADER: [&str; 10] = [
    "state",
    "municipality",
    "municipality_id",
    "ags",
    "service",
    "service_title",
    "status",
    "status_label",
    "since",
    "example",
];

/// RFC 4180 CSV, UTF-8, header row first. A text cell that a spreadsheet
/// would take for a formula gets a leading `'` ([`csv_cell`]).
pub(super) fn status_csv(records: &[StatusRecord]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer
        .write_record(CSV_HEADER)
        .expect("writing CSV to memory cannot fail");
    for r in records {
        let example = if r.example { "true" } else { "false" };
        let cells = [
            r.state,
            r.municipality,
            r.municipality_id,
            r.ags,
            r.service,
            r.service_title,
            r.status,
            r.status_label,
            r.since.as_str(),
            example,
        ];
        for cell in cells {
            writer
                .write_field(csv_cell(cell).as_bytes())
                .expect("writing CSV to memory cannot fail");
        }
        writer
            .write_record(None::<&[u8]>)
            .expect("writing CSV to memory cannot fail");
    }
    writer
        .into_inner()
        .expect("flushing CSV to memory cannot fail")
}

/// Neutralise CSV formula injection (OWASP): a cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return is prefixed with `'`, so that
/// spreadsheets show it as text instead of evaluating it.
pub(super) fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

#[derive(Serialize)]
struct StatusDocument<'a> {
    rows: &'a [StatusRecord<'a>],
}

/// `{"rows": [...]}`, pretty-printed with a final newline.
pub(super) fn status_json(records: &[StatusRecord]) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&StatusDocument { rows: records })
        .expect("status rows serialize");
    out.push(b'\n');
    out
}

/// How `sitemap.xml` is made of its URLs (sorted): [`sitemap`] itself, or
/// reusing an earlier build's when the URLs and the theme are the same.
pub(crate) type SitemapMaker<'m> =
    dyn Fn(&SitemapView) -> Result<Arc<[u8]>, Diagnostic> + Sync + 'm;

/// `sitemap.xml`, from the theme's template of that name.
pub(crate) fn sitemap(theme: &Theme, view: &SitemapView) -> Result<Arc<[u8]>, Diagnostic> {
    Ok(theme
        .render_view(routes::SITEMAP, view)?
        .into_bytes()
        .into())
}

/// `robots.txt`, from the theme's template of that name.
pub(super) fn robots(theme: &Theme, routes: &Routes) -> Result<Vec<u8>, Diagnostic> {
    let view = RobotsView {
        sitemap: routes.permalink(&routes::fixed(routes::SITEMAP)),
    };
    Ok(theme.render_view(routes::ROBOTS, &view)?.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(municipality: &'a str) -> StatusRecord<'a> {
        StatusRecord {
            state: "Thüringen",
            municipality,
            municipality_id: "gera",
            ags: "16052000",
            service: "hze",
            service_title: "Hilfen zur Erziehung",
            status: "live",
            status_label: "Live",
            since: crate::model::Date::parse("2026-05-04").unwrap().iso_text(),
            example: true,
        }
    }

    #[test]
    fn csv_quotes_and_keeps_column_order() {
        let csv = String::from_utf8(status_csv(&[record("Gera, Stadt")])).unwrap();
        assert_eq!(csv, "state,municipality,municipality_id,ags,service,service_title,status,status_label,since,example\nThüringen,\"Gera, Stadt\",gera,16052000,hze,Hilfen zur Erziehung,live,Live,2026-05-04,true\n");
        let empty = String::from_utf8(status_csv(&[])).unwrap();
        assert!(empty.starts_with("state,municipality,"));
    }

    #[test]
    fn csv_neutralises_formulas_but_json_keeps_the_text() {
        let names = [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tTab",
            "\rCR",
            "Gera-Ost",
        ];
        let records: Vec<_> = names.iter().map(|n| record(n)).collect();
        let csv = String::from_utf8(status_csv(&records)).unwrap();
        let rows: Vec<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(",gera,").next().unwrap())
            .collect();
        assert_eq!(
            rows,
            [
                "Thüringen,\"'=HYPERLINK(\"\"x\"\")\"",
                "Thüringen,'+1",
                "Thüringen,'-2",
                "Thüringen,'@SUM(A1)",
                "Thüringen,'\tTab",
                "Thüringen,\"'\rCR\"",
                "Thüringen,Gera-Ost",
            ]
        );
        let json: serde_json::Value = serde_json::from_slice(&status_json(&records)).unwrap();
        for (row, name) in json["rows"].as_array().unwrap().iter().zip(names) {
            assert_eq!(row["municipality"], name);
        }
    }

    #[test]
    fn json_has_rows() {
        let v: serde_json::Value = serde_json::from_slice(&status_json(&[record("Gera")])).unwrap();
        assert_eq!(v["rows"][0]["ags"], "16052000");
    }
}
