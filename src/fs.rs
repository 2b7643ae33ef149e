//! File helpers whose errors always name the path they were about.

use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure together with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct FsError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> FsError + '_ {
    move |source| FsError {
        path: path.to_path_buf(),
        source,
    }
}

/// Write a file, creating its parent folders first.
pub(crate) fn write(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, contents).map_err(at(path))
}

/// Open a file for reading only if `path` itself is a regular file, never
/// through a symbolic link: the path is looked at without following it, and
/// the opened file must be the very file looked at (same device and inode),
/// so a link swapped in between is refused too.
pub(crate) fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    let seen = std::fs::symlink_metadata(path)?;
    if seen.file_type().is_symlink() {
        return Err(io::Error::other(
            "ist ein symbolischer Link (Links werden nicht verfolgt)",
        ));
    }
    if !seen.is_file() {
        return Err(io::Error::other("ist keine gewöhnliche Datei"));
    }
    let file = std::fs::File::open(path)?;
    if !same_file(&seen, &file.metadata()?) {
        return Err(io::Error::other(
            "wurde beim Öffnen gegen eine andere Datei getauscht",
        ));
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    b.is_file() && a.len() == b.len()
}

/// Read a whole file with [`open_regular`]: never through a symbolic link.
pub(crate) fn read_regular(path: &Path) -> Result<Vec<u8>, FsError> {
    let mut file = open_regular(path).map_err(at(path))?;
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut file, &mut bytes).map_err(at(path))?;
    Ok(bytes)
}

/// Copy a file opened with [`open_regular`] to `to` (created or truncated).
pub(crate) fn copy_regular(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = open_regular(from)?;
    let mut target = std::fs::File::create(to)?;
    io::copy(&mut source, &mut target).map(|_| ())
}

pub(crate) fn create_dir_all(path: &Path) -> Result<(), FsError> {
    std::fs::create_dir_all(path).map_err(at(path))
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    std::fs::rename(from, to).map_err(at(from))
}

/// Whether a directory exists and has at least one entry.
pub(crate) fn is_non_empty_dir(path: &Path) -> Result<bool, FsError> {
    match std::fs::read_dir(path) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(at(path)(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let err = read_regular(Path::new("/nonexistent/mitnutzung.txt")).unwrap_err();
        assert!(err.to_string().starts_with("/nonexistent/mitnutzung.txt: "));
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_never_read_through() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, b"geheim").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        assert_eq!(read_regular(&secret).unwrap(), b"geheim");
        let err = read_regular(&link).unwrap_err();
        assert!(err.to_string().contains("symbolischer Link"), "{err}");
        assert!(copy_regular(&link, &dir.path().join("copy")).is_err());
        assert!(read_regular(dir.path()).is_err(), "a folder is no file");
    }

    #[test]
    fn write_creates_parents() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a/b/c.txt");
        write(&file, b"x").unwrap();
        assert_eq!(read_regular(&file).unwrap(), b"x");
    }
}
