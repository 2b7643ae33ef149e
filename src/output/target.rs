//! Which folder `build` may replace. The `--output` path is resolved as the
//! kernel will see it once its missing folders exist (`..` and symlinks), then
//! compared with the site's sources; an existing folder is taken for an
//! earlier build only when it holds the marker file every build writes.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::OutputError;
use crate::fs::FsError;

/// The file every build writes into its output (and its staging folder) so
/// that the next build recognises the folder as its own.
pub const MARKER: &str = ".mitnutzung-build";

/// The marker's contents: fixed, so that builds stay byte-identical.
pub const MARKER_TEXT: &str =
    "Erzeugt von mitnutzung; dieser Ordner wird bei jedem Build ersetzt.\n";

/// A path resolved against the current folder, without `.` and `..`, with
/// every existing symlink on the way replaced by its target.
#[derive(Debug)]
pub struct Resolved {
    pub path: PathBuf,
    /// Whether the last component was itself a symlink.
    pub last_was_symlink: bool,
}

/// Resolve `path` component by component: existing parts are canonicalized,
/// missing ones appended as they are, and `..` drops the last part, as it
/// will once the missing folders have been created.
pub fn resolve(path: &Path) -> Result<Resolved, FsError> {
    let at = |source| FsError {
        path: path.to_path_buf(),
        source,
    };
    let absolute = std::path::absolute(path).map_err(at)?;
    let mut out = PathBuf::new();
    let mut last_was_symlink = false;
    for component in absolute.components() {
        last_was_symlink = false;
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(name) => {
                out.push(name);
                match std::fs::symlink_metadata(&out) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        last_was_symlink = true;
                        out = std::fs::canonicalize(&out).map_err(at)?;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(at(e)),
                }
            }
        }
    }
    Ok(Resolved {
        path: out,
        last_was_symlink,
    })
}

/// Check that replacing `output` cannot destroy anything but an earlier
/// build; return the resolved output folder.
pub fn check_target(output: &Path, root: &Path) -> Result<PathBuf, OutputError> {
    let target = resolve(output)?;
    if target.last_was_symlink {
        return Err(OutputError::Symlink(
            std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf()),
        ));
    }
    let out = target.path;
    let root = resolve(root)?.path;
    let suggestion = root.join("public");
    if root.starts_with(&out) {
        return Err(OutputError::ContainsSite { out, suggestion });
    }
    for sources in ["content", "themes"] {
        let sources = resolve(&root.join(sources))?.path;
        if out.starts_with(&sources) {
            return Err(OutputError::InSources {
                out,
                sources,
                suggestion,
            });
        }
    }
    check_existing(out)
}

/// An existing output must be a folder: empty, or holding the marker.
fn check_existing(out: PathBuf) -> Result<PathBuf, OutputError> {
    let meta = match std::fs::symlink_metadata(&out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(source) => return Err(FsError { path: out, source }.into()),
    };
    if !meta.is_dir() {
        return Err(OutputError::NotAFolder(out));
    }
    if crate::fs::is_non_empty_dir(&out)? && !has_marker(&out) {
        return Err(OutputError::NotAnOutputFolder(out));
    }
    Ok(out)
}

/// Whether `dir` holds the marker file (a regular file, not a link).
pub(super) fn has_marker(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_dot_dot_through_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(base.join("a")).unwrap();
        let r = resolve(&base.join("missing/../a/new/../x")).unwrap();
        assert_eq!(r.path, base.join("a/x"));
        assert!(!r.last_was_symlink);
    }

    #[cfg(unix)]
    #[test]
    fn resolves_symlinks_on_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(base.join("real/sub")).unwrap();
        std::os::unix::fs::symlink(base.join("real"), base.join("link")).unwrap();
        let r = resolve(&base.join("link/sub/../out")).unwrap();
        assert_eq!(r.path, base.join("real/out"));
        let r = resolve(&base.join("link")).unwrap();
        assert_eq!(r.path, base.join("real"));
        assert!(r.last_was_symlink);
    }

    #[test]
    fn refuses_folders_that_are_not_builds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert!(matches!(
            check_target(dir.path(), Path::new("/elsewhere")),
            Err(OutputError::NotAnOutputFolder(_))
        ));
        std::fs::write(dir.path().join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_target(dir.path(), Path::new("/elsewhere")).is_ok());
        assert!(matches!(
            check_target(Path::new("/a"), Path::new("/a/b")),
            Err(OutputError::ContainsSite { .. })
        ));
        assert!(matches!(
            check_target(Path::new("/a/b/themes/x/../y"), Path::new("/a/b")),
            Err(OutputError::InSources { .. })
        ));
        assert!(check_target(Path::new("/a/b/public"), Path::new("/a/b")).is_ok());
    }
}
