//! Atomic, deterministic writing of a rendered site: everything goes into a
//! temporary sibling of the output folder, which is swapped in only when all
//! files are written; a failure leaves the previous output untouched, and a
//! success leaves no stale files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::fs::{self, FsError};

/// What a file of the output holds.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Shared, so that the preview's caches hand pages around without copying.
    Bytes(Arc<[u8]>),
    /// Copied byte for byte from this path.
    Copy(PathBuf),
    Static(&'static [u8]),
}

/// One file of the output, at a `/`-separated path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(Arc::from(bytes.into())),
        }
    }
}

/// Why an output folder was not replaced.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Io(#[from] FsError),
    #[error("Der Ausgabeordner {0} ist nicht leer und enthält keine frühere Ausgabe (index.html fehlt); er wird nicht überschrieben.")]
    NotAnOutputFolder(PathBuf),
    #[error("Der Ausgabeordner {0} darf nicht der Site-Ordner selbst sein oder ihn enthalten.")]
    ContainsSite(PathBuf),
}

/// Check that replacing `output` cannot destroy anything but an earlier build.
pub fn check_target(output: &Path, root: &Path) -> Result<(), OutputError> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out, root_abs) = (absolute(output), absolute(root));
    if root_abs.starts_with(&out)
        || out.starts_with(root_abs.join("content"))
        || out.starts_with(root_abs.join("themes"))
    {
        return Err(OutputError::ContainsSite(output.to_path_buf()));
    }
    if fs::is_non_empty_dir(output)? && !output.join("index.html").is_file() {
        return Err(OutputError::NotAnOutputFolder(output.to_path_buf()));
    }
    Ok(())
}

/// Where the render stage hands each finished file, as soon as it is ready.
pub trait Sink: Sync {
    /// Take one finished file. A sink that keeps files in memory hands it
    /// back; one that writes it out returns `None`.
    fn accept(&self, file: OutputFile) -> Option<OutputFile>;

    /// Folders (`/`-separated, relative) that files will be written to, known
    /// before the files are: a sink on disk may create them ahead.
    fn prepare_dirs(&self, _dirs: &[String]) {}
}

/// Keeps every file in memory (the preview, `check`, tests).
pub struct Memory;

impl Sink for Memory {
    fn accept(&self, file: OutputFile) -> Option<OutputFile> {
        Some(file)
    }
}

/// A temporary sibling of the output folder that files are written into as
/// they are rendered; [`Staging::commit`] swaps it in, dropping it removes it.
pub struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    written: AtomicUsize,
    /// Set when a write failed; later files are not written.
    failed: AtomicBool,
    /// The first write that failed.
    failure: Mutex<Option<FsError>>,
}

impl Staging {
    /// Create the staging folder beside `output` (and `output`'s parent).
    pub fn create(output: &Path) -> Result<Self, OutputError> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.neu-"))
            .tempdir_in(&parent)
            .map_err(|source| FsError {
                path: parent.clone(),
                source,
            })?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            parent,
            name,
            written: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            failure: Mutex::new(None),
        })
    }

    /// Swap the staging folder in, unless a write failed.
    pub fn commit(self) -> Result<usize, OutputError> {
        let failure = self
            .failure
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(e) = failure {
            return Err(e.into());
        }
        let written = self.written.into_inner();
        swap_in(self.dir, &self.output, &self.parent, &self.name)?;
        Ok(written)
    }
}

impl Sink for Staging {
    fn accept(&self, file: OutputFile) -> Option<OutputFile> {
        if self.failed.load(Ordering::Relaxed) {
            return None;
        }
        match write_one(self.dir.path(), &file) {
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                self.failed.store(true, Ordering::Relaxed);
                if let Ok(mut failure) = self.failure.lock() {
                    failure.get_or_insert(e);
                }
            }
        }
        None
    }

    /// Create the folders one after another: parallel `mkdir`s in one parent
    /// folder only wait for each other's lock on it.
    fn prepare_dirs(&self, dirs: &[String]) {
        for dir in dirs {
            // A folder that fails here is created (or reported) on write.
            let _ = std::fs::create_dir(self.dir.path().join(dir));
        }
    }
}

/// Write `files` to `output`, replacing what was there only on complete success.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::create(output)?;
    files.par_iter().for_each(|f| {
        staging.accept(f.clone());
    });
    staging.commit().map(|_| ())
}

/// Write one file; its folder is created only when it is missing.
fn write_one(dir: &Path, file: &OutputFile) -> Result<(), FsError> {
    let target = dir.join(&file.path);
    let attempt = || match &file.contents {
        Contents::Bytes(bytes) => std::fs::write(&target, bytes),
        Contents::Static(bytes) => std::fs::write(&target, bytes),
        Contents::Copy(from) => fs::copy_regular(from, &target),
    };
    match attempt() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && needs_parent(&target) => {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            attempt().map_err(|source| error_path(file, &target, source))
        }
        result => result.map_err(|source| error_path(file, &target, source)),
    }
}

/// Whether a write failed because the target's folder is missing (and not its source).
fn needs_parent(target: &Path) -> bool {
    target.parent().is_some_and(|p| !p.is_dir())
}

/// A failed copy names its source when that is what is missing.
fn error_path(file: &OutputFile, target: &Path, source: std::io::Error) -> FsError {
    let path = match &file.contents {
        Contents::Copy(from) if !from.is_file() || from.is_symlink() => from.clone(),
        _ => target.to_path_buf(),
    };
    FsError { path, source }
}

/// Move the finished staging folder into place. On Linux the two folders are
/// exchanged in one step (renameat2 RENAME_EXCHANGE), so `output` never goes
/// missing; elsewhere, or where the file system cannot, the old output is moved
/// aside first. The old output is removed afterwards.
fn swap_in(
    staging: tempfile::TempDir,
    output: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), OutputError> {
    let staged = staging.keep();
    set_dir_permissions(&staged);
    if output.is_dir() && exchange(&staged, output).is_ok() {
        fs::remove_dir_all(&staged)?;
        return Ok(());
    }
    let old = if output.exists() {
        let old = parent.join(format!(".{name}.alt-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&old);
        fs::rename(output, &old)?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = fs::rename(&staged, output) {
        if let Some(old) = &old {
            let _ = fs::rename(old, output);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(e.into());
    }
    if let Some(old) = old {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Temporary folders are created private (0700); a published folder is world-readable.
#[cfg(unix)]
fn set_dir_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

#[cfg(not(unix))]
fn set_dir_permissions(_dir: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_output_and_leaves_no_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &[
                OutputFile::bytes("index.html", "a"),
                OutputFile::bytes("alt/index.html", "x"),
            ],
        )
        .unwrap();
        write_atomically(&out, &[OutputFile::bytes("index.html", "b")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "b"
        );
        assert!(!out.join("alt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn failure_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[OutputFile::bytes("index.html", "a")]).unwrap();
        let bad = OutputFile {
            path: "x".into(),
            contents: Contents::Copy(dir.path().join("missing")),
        };
        assert!(write_atomically(&out, &[OutputFile::bytes("index.html", "b"), bad]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "a"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_folders_that_are_not_builds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert!(matches!(
            check_target(dir.path(), Path::new("/elsewhere")),
            Err(OutputError::NotAnOutputFolder(_))
        ));
        assert!(matches!(
            check_target(Path::new("/a"), Path::new("/a/b")),
            Err(OutputError::ContainsSite(_))
        ));
    }
}
