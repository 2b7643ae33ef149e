//! Helpers for integration tests: fixture sites copied into temp dirs, the
//! real binary run on them, and readers for its output.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copy a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temp dir holding a copy of `tests/fixtures/<name>`.
pub fn fixture_site(name: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(name), dir.path());
    dir
}

/// Lay a scenario over a site: copy its `overlay/` tree on top, delete the
/// files its `remove.txt` lists (one path per line, relative to the site).
pub fn apply_scenario(scenario: &Path, root: &Path) {
    if scenario.join("overlay").is_dir() {
        copy_tree(&scenario.join("overlay"), root);
    }
    if let Ok(list) = std::fs::read_to_string(scenario.join("remove.txt")) {
        for rel in list.lines().filter(|l| !l.is_empty()) {
            std::fs::remove_file(root.join(rel)).unwrap();
        }
    }
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn mitnutzung(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `mitnutzung build --root DIR` plus extra arguments.
pub fn build(root: &Path, extra: &[&str]) -> Run {
    let root = root.to_str().unwrap();
    let mut args = vec!["build", "--root", root];
    args.extend_from_slice(extra);
    mitnutzung(&args)
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file below `dir`, relative, sorted.
pub fn files_below(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Values of one attribute (`href`, `src`, `id`) in an HTML text, unescaped for `&amp;`.
pub fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Every root-relative link and asset reference of every HTML page under
/// `public` must name an existing file, and a `#fragment` an existing id.
pub fn assert_internal_links_resolve(public: &Path, base_path: &str) {
    let pages: Vec<String> = files_below(public)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let refs = attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"));
        for target in refs.filter(|t| t.starts_with('/')) {
            let (path, fragment) = target
                .split_once('#')
                .map(|(p, f)| (p.to_string(), Some(f.to_string())))
                .unwrap_or((target.clone(), None));
            let Some(rel) = path.strip_prefix(base_path) else {
                problems.push(format!("{page}: {target} lies outside {base_path}"));
                continue;
            };
            let file = if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                rel.to_string()
            };
            let Ok(bytes) = std::fs::read(public.join(&file)) else {
                problems.push(format!("{page}: {target} → {file} missing"));
                continue;
            };
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let text = String::from_utf8_lossy(&bytes);
                if !attribute_values(&text, "id").contains(&id)
                    && !text.contains(&format!(" id={id} "))
                    && !text.contains(&format!(" id={id}>"))
                {
                    problems.push(format!("{page}: {target} → no id {id}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "broken internal links:\n{}",
        problems.join("\n")
    );
}

/// No staging folder of a build is left beside the output in `root` (the
/// output's lock file `.public.lock` stays on purpose).
pub fn assert_no_staging_dirs(root: &Path) {
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with(".public") || n == ".public.lock"),
        "staging folders left: {names:?}"
    );
}
