//! Links and anchors in the rendered pages — including those the theme's
//! templates write — must point at files and ids of the built site; files in
//! `content/downloads/` that no page links to are reported.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use crate::diagnostics::{Code, Diagnostic, Position};
use crate::model::Site;
use crate::output::{Contents, OutputFile};
use crate::routes;

/// One HTML page of the output: its links and its ids.
struct HtmlPage<'a> {
    key: &'a str,
    refs: Vec<String>,
    ids: HashSet<String>,
}

pub fn check(site: &Site, files: &[OutputFile]) -> Vec<Diagnostic> {
    let keys: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let pages: Vec<HtmlPage> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(html_page)
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = pages.iter().map(|p| (p.key, &p.ids)).collect();
    let sources = source_files(site);
    let base = site.config.base_url.path();
    let mut referenced = HashSet::new();
    let mut problems = BTreeSet::new();
    for page in &pages {
        for href in &page.refs {
            let (path, fragment) = href
                .split_once('#')
                .map_or((href.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                Some(page.key.to_string())
            } else {
                resolve(path, base)
            };
            let Some(target) = target else { continue };
            referenced.insert(target.clone());
            let problem = if !keys.contains(target.as_str()) {
                Some((
                    Code::BrokenLink,
                    format!(
                        "verlinkt auf „{href}“, diese Adresse gibt es in der gebauten Site nicht"
                    ),
                ))
            } else {
                fragment
                    .filter(|f| {
                        !f.is_empty()
                            && target.ends_with(".html")
                            && ids
                                .get(target.as_str())
                                .is_some_and(|set| !set.contains(*f))
                    })
                    .map(|f| {
                        (
                            Code::BrokenAnchor,
                            format!("verlinkt auf „{href}“, dort gibt es den Anker „#{f}“ nicht"),
                        )
                    })
            };
            if let Some((code, what)) = problem {
                problems.insert((page.key.to_string(), code, what));
            }
        }
    }
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .map(|(key, code, what)| link_problem(&sources, &site.config.theme, &key, code, &what))
        .collect();
    out.extend(orphans(site, &referenced));
    out
}

fn html_page(file: &OutputFile) -> Option<HtmlPage<'_>> {
    let Contents::Bytes(bytes) = &file.contents else {
        return None;
    };
    let html = std::str::from_utf8(bytes).ok()?;
    let refs = attribute_values(html, "href")
        .chain(attribute_values(html, "src"))
        .filter(|v| v.starts_with('/') && !v.starts_with("//") || v.starts_with('#'))
        .collect();
    let ids = attribute_values(html, "id").collect();
    Some(HtmlPage {
        key: &file.path,
        refs,
        ids,
    })
}

/// Values of a quoted attribute, e.g. every `href="…"`, with `&amp;` undone.
fn attribute_values<'h>(html: &'h str, attr: &str) -> impl Iterator<Item = String> + 'h {
    let needle = format!(" {attr}=\"");
    let starts: Vec<usize> = html
        .match_indices(&needle)
        .map(|(i, _)| i + needle.len())
        .collect();
    starts.into_iter().filter_map(move |start| {
        let rest = &html[start..];
        rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
    })
}

/// The output key a root-relative URL names, or `None` when it is outside the site.
fn resolve(path: &str, base: &str) -> Option<String> {
    let path = path.split('?').next().unwrap_or(path);
    let rel = match path.strip_prefix(base) {
        Some(rel) => rel.to_string(),
        None if format!("{path}/") == base => String::new(),
        None => return Some(format!("(außerhalb von {base}){path}")),
    };
    let decoded = percent_encoding::percent_decode_str(&rel)
        .decode_utf8_lossy()
        .into_owned();
    Some(routes::output_file(&decoded))
}

/// Output key of each Markdown page → its source file.
fn source_files(site: &Site) -> HashMap<String, PathBuf> {
    site.all_pages()
        .map(|p| (routes::output_file(&p.path), p.body.file.clone()))
        .collect()
}

fn link_problem(
    sources: &HashMap<String, PathBuf>,
    theme: &str,
    key: &str,
    code: Code,
    what: &str,
) -> Diagnostic {
    let url = format!("/{}", key.trim_end_matches("index.html"));
    match sources.get(key) {
        Some(file) => Diagnostic::error(code, file, Position::START, format!("Die Seite {url} {what}."))
            .with_hint("Steht der Link im Text, schreiben Sie ihn als @/datei.md, dann zeigt schon build die Zeile; sonst steht er im Template des Themes."),
        None => Diagnostic::error(code, format!("themes/{theme}/templates"), Position::START, format!("Die erzeugte Seite {url} {what}."))
            .with_hint("Der Link kommt aus einem Template des Themes; prüfen Sie die Templates."),
    }
}

/// Downloads that no page links to: forgotten files, or a link that was lost.
fn orphans(site: &Site, referenced: &HashSet<String>) -> Vec<Diagnostic> {
    site.assets
        .iter()
        .filter(|a| a.rel.starts_with("downloads/") && !referenced.contains(&routes::asset(&a.rel)))
        .map(|a| {
            Diagnostic::warning(Code::OrphanDownload, format!("content/{}", a.rel), Position::START, format!("Die Datei „{}“ wird von keiner Seite verlinkt.", a.rel))
                .with_hint("Verlinken Sie sie (z. B. als „questionnaire:“ eines Dienstes oder mit [Text](@/downloads/…)) oder löschen Sie sie.")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_to_output_keys() {
        assert_eq!(
            resolve("/dienste/", "/").as_deref(),
            Some("dienste/index.html")
        );
        assert_eq!(
            resolve("/portal/status.csv", "/portal/").as_deref(),
            Some("status.csv")
        );
        assert_eq!(
            resolve("/portal", "/portal/").as_deref(),
            Some("index.html")
        );
        assert_eq!(
            resolve("/d%C3%BCsseldorf/", "/").as_deref(),
            Some("düsseldorf/index.html")
        );
        assert!(resolve("/anders/", "/portal/")
            .unwrap()
            .starts_with("(außerhalb"));
    }

    #[test]
    fn attributes_are_read() {
        let html = r##"<a href="/a/">x</a><img src="/b.png"><h2 id="c">t</h2><a href="#c">y</a>"##;
        assert_eq!(
            attribute_values(html, "href").collect::<Vec<_>>(),
            ["/a/", "#c"]
        );
        assert_eq!(attribute_values(html, "id").collect::<Vec<_>>(), ["c"]);
    }
}
