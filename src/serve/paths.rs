//! Turning a request path into the key of a built file, refusing everything
//! that is not plainly a path inside the site: `..` and `.` segments (also
//! percent-encoded), encoded slashes and backslashes, NUL, and anything that
//! does not decode to UTF-8. The preview serves only files of the built site
//! held in memory, so a refused or unknown path is simply "not found".

use percent_encoding::percent_decode_str;

use crate::routes::{self, OutputPath};

/// What a request path names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The key of a built file, e.g. `dienste/index.html` or `status.csv`.
    File(OutputPath),
    /// A folder without its trailing slash: redirect to this path.
    AddSlash(String),
    /// Refused or malformed.
    Invalid,
}

/// Resolve the path part of a request URI (without query) against a base path like `/` or `/portal/`.
pub(crate) fn lookup(raw_path: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Lookup {
    let Some(rest) = raw_path
        .strip_prefix(base_path)
        .or_else(|| (raw_path.to_string() + "/" == base_path).then_some(""))
    else {
        return Lookup::Invalid;
    };
    let mut segments = Vec::new();
    for raw_segment in rest.split('/') {
        let Ok(segment) = percent_decode_str(raw_segment).decode_utf8() else {
            return Lookup::Invalid;
        };
        let bad = segment == ".."
            || segment == "."
            || segment.contains(['/', '\\', '\0'])
            || segment.contains(':');
        if bad {
            return Lookup::Invalid;
        }
        segments.push(segment.into_owned());
    }
    if segments.iter().rev().skip(1).any(String::is_empty) {
        return Lookup::Invalid;
    }
    let key = segments.join("/");
    let file = routes::output_file(&routes::site_path_of_request(key.clone()));
    if key.is_empty() || key.ends_with('/') || exists(&file) {
        return Lookup::File(file);
    }
    let folder = routes::output_file(&routes::site_path_of_request(format!("{key}/")));
    if exists(&folder) {
        return Lookup::AddSlash(format!("{raw_path}/"));
    }
    Lookup::File(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(key: &str) -> bool {
        [
            "index.html",
            "dienste/index.html",
            "status.csv",
            "css/site.css",
        ]
        .contains(&key)
    }

    #[test]
    fn ordinary_paths() {
        assert_eq!(lookup("/", "/", site), Lookup::File("index.html".into()));
        assert_eq!(
            lookup("/dienste/", "/", site),
            Lookup::File("dienste/index.html".into())
        );
        assert_eq!(
            lookup("/dienste", "/", site),
            Lookup::AddSlash("/dienste/".into())
        );
        assert_eq!(
            lookup("/status.csv", "/", site),
            Lookup::File("status.csv".into())
        );
        assert_eq!(lookup("/fehlt", "/", site), Lookup::File("fehlt".into()));
        assert_eq!(
            lookup("/portal/css/site.css", "/portal/", site),
            Lookup::File("css/site.css".into())
        );
        assert_eq!(
            lookup("/portal", "/portal/", site),
            Lookup::File("index.html".into())
        );
    }

    #[test]
    fn umlauts_decode() {
        assert_eq!(
            lookup("/d%C3%BCsseldorf/", "/", site),
            Lookup::File("düsseldorf/index.html".into())
        );
    }

    #[test]
    fn traversal_and_tricks_are_refused() {
        for path in [
            "/../content/site.yaml",
            "/%2e%2e/content/site.yaml",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/dienste/..%2fcontent",
            "/dienste%2f..%2f..%2fetc/passwd",
            "/..\\content",
            "/%5c..%5ccontent",
            "/./index.html",
            "/a//b",
            "/%00",
            "/%ff",
            "/C:/windows",
        ] {
            assert_eq!(lookup(path, "/", site), Lookup::Invalid, "{path}");
        }
        assert_eq!(lookup("/other/", "/portal/", site), Lookup::Invalid);
    }
}
