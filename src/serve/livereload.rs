//! Telling open browser tabs to reload: the change message sent over
//! Server-Sent Events, the small script injected into served pages (never into
//! `build` output), and the error overlay shown while the content is broken.

use serde::Serialize;

use crate::templates::escape_html;

/// The script served at [`SCRIPT_PATH`].
pub(crate) const SCRIPT: &str = include_str!("livereload.js");
pub(crate) const SCRIPT_PATH: &str = "/__mitnutzung/livereload.js";
pub(crate) const EVENTS_PATH: &str = "/__mitnutzung/events";

/// What changed in a rebuild, as the browser sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Change {
    /// URL paths of changed files: `/dienste/x/` for pages, `/css/site.css` for files.
    pub paths: Vec<String>,
    /// Only stylesheets changed: swap them without reloading.
    pub css_only: bool,
    /// The error overlay appeared or disappeared: every page reloads.
    pub errors_changed: bool,
}

impl Change {
    /// Build the message from changed output keys (`dienste/x/index.html`).
    pub(crate) fn new(base_path: &str, keys: &[String], errors_changed: bool) -> Change {
        let paths = keys.iter().map(|k| url_path(base_path, k)).collect();
        let css_only = !keys.is_empty() && keys.iter().all(|k| k.ends_with(".css"));
        Change {
            paths,
            css_only,
            errors_changed,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.errors_changed
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a change serializes")
    }
}

fn url_path(base_path: &str, key: &str) -> String {
    match key.strip_suffix("index.html") {
        Some(dir) => format!("{base_path}{dir}"),
        None => format!("{base_path}{key}"),
    }
}

/// Insert the reload script (and the error overlay, if any) before `</body>`.
pub(crate) fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(errors) = errors {
        extra.push_str(&overlay(errors));
    }
    extra.push_str(&format!("<script src=\"{SCRIPT_PATH}\"></script>"));
    let text = String::from_utf8_lossy(html);
    let at = text
        .to_ascii_lowercase()
        .rfind("</body>")
        .unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// A fixed box over the page listing the build errors.
fn overlay(errors: &str) -> String {
    format!(
        "<div id=\"mitnutzung-fehler\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#1b1b1b;border-top:4px solid #b00020;font:15px/1.45 system-ui,sans-serif;box-shadow:0 -4px 16px rgba(0,0,0,.25)\">\
<p style=\"margin:0 0 .5rem;font-weight:700\">Die letzte Änderung enthält Fehler. Angezeigt wird der letzte fehlerfreie Stand.</p>\
<pre style=\"margin:0;white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace\">{}</pre></div>",
        escape_html(errors)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_url_paths() {
        let c = Change::new(
            "/portal/",
            &[
                "dienste/x/index.html".into(),
                "index.html".into(),
                "status.csv".into(),
            ],
            false,
        );
        assert_eq!(
            c.paths,
            ["/portal/dienste/x/", "/portal/", "/portal/status.csv"]
        );
        assert!(!c.css_only);
        assert!(Change::new("/", &["css/site.css".into()], false).css_only);
        assert!(Change::new("/", &[], false).is_empty());
    }

    #[test]
    fn injects_before_body_end_and_escapes_errors() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></BODY></html>",
            Some("a <b> & c"),
        ))
        .unwrap();
        assert!(out.contains("a &lt;b&gt; &amp; c"));
        assert!(out.ends_with(&format!(
            "<script src=\"{SCRIPT_PATH}\"></script></BODY></html>"
        )));
    }
}
