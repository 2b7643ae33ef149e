//! The site's non-HTML outputs — `status.csv`, `status.json`, `sitemap.xml`,
//! `robots.txt`.

use serde::Serialize;

use crate::routes::{self, Routes};
use crate::templates::views::StatusRow;

/// One row of the open status data; field order is the column order.
#[derive(Debug, Serialize)]
pub struct StatusRecord<'a> {
    pub state: &'a str,
    pub municipality: &'a str,
    pub municipality_id: &'a str,
    pub ags: &'a str,
    pub service: &'a str,
    pub service_title: &'a str,
    pub status: &'a str,
    pub status_label: &'a str,
    pub since: &'a str,
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
            since: &r.since.iso,
            example: r.example,
        }
    }
}

/// RFC 4180 CSV, UTF-8, header row first.
pub fn status_csv(records: &[StatusRecord]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(true)
        .from_writer(Vec::new());
    if records.is_empty() {
        let header = [
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
        writer
            .write_record(header)
            .expect("writing CSV to memory cannot fail");
    }
    for r in records {
        writer
            .serialize(r)
            .expect("writing CSV to memory cannot fail");
    }
    writer
        .into_inner()
        .expect("flushing CSV to memory cannot fail")
}

#[derive(Serialize)]
struct StatusDocument<'a> {
    rows: &'a [StatusRecord<'a>],
}

/// `{"rows": [...]}`, pretty-printed with a final newline.
pub fn status_json(records: &[StatusRecord]) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&StatusDocument { rows: records })
        .expect("status rows serialize");
    out.push(b'\n');
    out
}

pub struct SitemapEntry {
    pub url: String,
    pub lastmod: Option<String>,
}

pub fn sitemap(entries: &[SitemapEntry]) -> Vec<u8> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for e in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&xml_escape(&e.url));
        xml.push_str("</loc>\n");
        if let Some(date) = &e.lastmod {
            xml.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn robots(routes: &Routes) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        routes.permalink(routes::SITEMAP)
    )
    .into_bytes()
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
            since: "2026-05-04",
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
    fn json_has_rows() {
        let v: serde_json::Value = serde_json::from_slice(&status_json(&[record("Gera")])).unwrap();
        assert_eq!(v["rows"][0]["ags"], "16052000");
    }
}
