//! Atomic, deterministic writing of a rendered site: everything goes into a
//! temporary sibling of the output folder, which is swapped in only when all
//! files are written; a failure leaves the previous output untouched, and a
//! success leaves no stale files. Which folders may be replaced is decided in
//! [`target`]; the lock, the removal of leftovers and signals in [`lock`].

mod lock;
pub mod minify;
mod plain;
mod reuse;
mod tags;
mod target;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::fs::{self, FsError};
use crate::routes::OutputPath;
pub use lock::{interrupt, Interrupted};
pub use target::{check_target, resolve, MARKER, MARKER_TEXT};

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
    pub path: OutputPath,
    pub contents: Contents,
}

impl OutputFile {
    pub fn bytes(path: OutputPath, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path,
            contents: Contents::Bytes(Arc::from(bytes.into())),
        }
    }
}

/// Why an output folder was not replaced.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Io(#[from] FsError),
    #[error("Der Ausgabeordner {} ist nicht leer und enthält keine Ausgabe von mitnutzung (die Datei .mitnutzung-build fehlt); er wird nicht ersetzt.\n  Hinweis: Ist es die Ausgabe einer älteren Version von mitnutzung, leeren Sie den Ordner einmal von Hand; sonst geben Sie mit --output einen anderen Ordner an.", .0.display())]
    NotAnOutputFolder(PathBuf),
    #[error("Der Ausgabeordner {} ist der Site-Ordner selbst oder enthält ihn; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen eigenen Ordner an, z. B. {}.", .out.display(), .suggestion.display())]
    ContainsSite { out: PathBuf, suggestion: PathBuf },
    #[error("Der Ausgabeordner {} liegt in {}, bei den Quellen der Site; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen Ordner außerhalb von content/ und themes/ an, z. B. {}.", .out.display(), .sources.display(), .suggestion.display())]
    InSources {
        out: PathBuf,
        sources: PathBuf,
        suggestion: PathBuf,
    },
    #[error("Der Ausgabeordner {} ist ein symbolischer Link; er wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output den Ordner selbst an, nicht einen Link darauf.", .0.display())]
    Symlink(PathBuf),
    #[error("{} ist eine Datei, kein Ordner; sie wird nicht ersetzt.\n  Hinweis: Geben Sie mit --output einen neuen Ordner oder eine frühere Ausgabe von mitnutzung an.", .0.display())]
    NotAFolder(PathBuf),
    #[error("Ein anderer Build schreibt gerade nach {} (Sperrdatei {}); dieser Build ändert nichts.\n  Hinweis: Starten Sie den Build erneut, wenn der andere fertig ist.", .out.display(), .lock.display())]
    Busy { out: PathBuf, lock: PathBuf },
    #[error("Der Build wurde abgebrochen; die vorige Ausgabe bleibt unverändert.")]
    Interrupted,
}

impl OutputError {
    /// Whether the output folder given cannot be used (exit 2), rather than
    /// writing it failed.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, OutputError::Io(_) | OutputError::Interrupted)
    }
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
/// It holds the output's lock from its creation until it is gone.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    written: AtomicUsize,
    /// The previous output, whose unchanged files are hard-linked.
    previous: Option<reuse::Previous>,
    /// Files taken from the previous output.
    reused: AtomicUsize,
    /// Set when a write failed; later files are not written.
    failed: AtomicBool,
    /// The first write that failed.
    failure: Mutex<Option<FsError>>,
    /// What earlier builds left and could not be removed.
    left_over: Vec<LeftOver>,
    /// Whether `dir` is gone (swapped in or removed).
    done: bool,
    _lock: lock::BuildLock,
}

/// A staging folder swapped in: the new site is live.
#[derive(Debug)]
pub struct Committed {
    /// Files written (the marker not counted).
    pub files: usize,
    /// Of these, files unchanged since the previous build, hard-linked from it.
    pub reused: usize,
    /// Old copies that could not be removed; the next build tries again.
    pub left_over: Vec<LeftOver>,
}

/// A folder of an earlier build that could not be removed, and why.
#[derive(Debug)]
pub struct LeftOver {
    pub dir: PathBuf,
    pub error: FsError,
}

impl Staging {
    /// Take the output's lock, remove what died builds left, and create the
    /// staging folder (with the marker) beside `output`, creating `output`'s
    /// parent if needed.
    pub fn create(output: &Path) -> Result<Self, OutputError> {
        let output = target::resolve(output)?.path;
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let build_lock = lock::acquire(&parent, &name, &output)?;
        let left_over = match build_lock.exclusive {
            true => lock::remove_leftovers(&parent, &name),
            false => Vec::new(),
        };
        let dir = make_staging_dir(&parent, &name)?;
        let previous = reuse::Previous::of(&output, &dir);
        Ok(Staging {
            dir,
            output,
            parent,
            name,
            written: AtomicUsize::new(0),
            previous,
            reused: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            failure: Mutex::new(None),
            left_over,
            done: false,
            _lock: build_lock,
        })
    }

    /// Swap the staging folder in, unless a write failed.
    pub fn commit(self) -> Result<Committed, OutputError> {
        self.commit_with(lock::remove_build_dir)
    }

    /// [`Staging::commit`] with the removal of the old copy given (tests fail it).
    fn commit_with(
        mut self,
        remove: impl Fn(&Path) -> Result<(), FsError>,
    ) -> Result<Committed, OutputError> {
        let failure = self
            .failure
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(e) = failure {
            return Err(e.into());
        }
        let dir = self.dir.clone();
        let old = lock::unless_interrupted(&dir, || {
            swap_in(&self.dir, &self.output, &self.parent, &self.name)
        })?;
        self.done = true;
        let mut left_over = std::mem::take(&mut self.left_over);
        if let Some(old) = old {
            if let Err(error) = remove(&old) {
                left_over.push(LeftOver { dir: old, error });
            }
        }
        Ok(Committed {
            files: *self.written.get_mut(),
            reused: *self.reused.get_mut(),
            left_over,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            lock::unregister(&self.dir);
            let _ = lock::remove_build_dir(&self.dir);
        }
    }
}

/// A new, private folder `.<name>.neu-XXXXXX` in `parent` holding the marker.
fn make_staging_dir(parent: &Path, name: &str) -> Result<PathBuf, OutputError> {
    let make = || {
        (tempfile::Builder::new().prefix(&format!(".{name}.neu-")))
            .tempdir_in(parent)
            .map(tempfile::TempDir::keep)
    };
    let dir = lock::make_registered(make).map_err(|source| FsError {
        path: parent.to_path_buf(),
        source,
    })?;
    if let Err(source) = std::fs::write(dir.join(MARKER), MARKER_TEXT) {
        lock::unregister(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        return Err(FsError { path: dir, source }.into());
    }
    Ok(dir)
}

impl Sink for Staging {
    fn accept(&self, file: OutputFile) -> Option<OutputFile> {
        if self.failed.load(Ordering::Relaxed) || lock::interrupted() {
            return None;
        }
        match write_one(&self.dir, &file, self.previous.as_ref()) {
            Ok(reused) => {
                self.written.fetch_add(1, Ordering::Relaxed);
                self.reused
                    .fetch_add(usize::from(reused), Ordering::Relaxed);
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
            let _ = std::fs::create_dir(self.dir.join(dir));
        }
    }
}

/// Write `files` to `output`, replacing what was there only on complete success.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> Result<Committed, OutputError> {
    let staging = Staging::create(output)?;
    files.par_iter().for_each(|f| {
        staging.accept(f.clone());
    });
    staging.commit()
}

/// Write one file, or link its unchanged copy from `previous`; its folder
/// is created only when it is missing. `Ok(true)`: linked.
fn write_one(
    dir: &Path,
    file: &OutputFile,
    previous: Option<&reuse::Previous>,
) -> Result<bool, FsError> {
    let target = dir.join(&file.path);
    let attempt = || {
        let bytes: Option<&[u8]> = match &file.contents {
            Contents::Bytes(bytes) => Some(bytes),
            Contents::Static(bytes) => Some(bytes),
            Contents::Copy(_) => None,
        };
        if let (Some(previous), Some(bytes)) = (previous, bytes) {
            if previous.link_if_unchanged(&file.path, bytes, &target) {
                return Ok(true);
            }
        }
        match &file.contents {
            Contents::Bytes(bytes) => std::fs::write(&target, bytes),
            Contents::Static(bytes) => std::fs::write(&target, bytes),
            Contents::Copy(from) => fs::copy_regular(from, &target),
        }
        .map(|()| false)
    };
    match attempt() {
        // The folder may be missing, or being made by `prepare_dirs` just now.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if needs_parent(&target) {
                create_below(dir, &file.path)?;
            }
            attempt().map_err(|source| error_path(file, &target, source))
        }
        result => result.map_err(|source| error_path(file, &target, source)),
    }
}

/// Create the folders of `rel` below `dir`, but never `dir` itself: a staging
/// folder removed by a signal must not come back.
fn create_below(dir: &Path, rel: &str) -> Result<(), FsError> {
    let mut path = dir.to_path_buf();
    let mut parts = rel.split('/').filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            break;
        }
        path.push(part);
        match std::fs::create_dir(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(FsError { path, source: e });
            }
            _ => {}
        }
    }
    Ok(())
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

/// Move the finished staging folder into place and return where the old
/// output went. On Linux the two folders are exchanged in one step (renameat2
/// RENAME_EXCHANGE), so `output` never goes missing and the old output ends up
/// at `staged`; elsewhere, or where the file system cannot, the old output is
/// moved aside to `.<name>.alt-<pid>` first.
fn swap_in(
    staged: &Path,
    output: &Path,
    parent: &Path,
    name: &str,
) -> Result<Option<PathBuf>, OutputError> {
    set_dir_permissions(staged);
    if output.is_dir() && exchange(staged, output).is_ok() {
        return Ok(Some(staged.to_path_buf()));
    }
    let old = if output.exists() {
        let old = parent.join(format!(".{name}.alt-{}", std::process::id()));
        let _ = lock::remove_build_dir(&old);
        fs::rename(output, &old)?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = fs::rename(staged, output) {
        if let Some(old) = &old {
            let _ = fs::rename(old, output);
        }
        return Err(e.into());
    }
    Ok(old)
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
    fn files_written_while_their_folders_are_being_made_all_arrive() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::create(&out).unwrap();
        let dirs: Vec<String> = (0..2000).map(|i| format!("s{i}")).collect();
        std::thread::scope(|scope| {
            scope.spawn(|| staging.prepare_dirs(&dirs));
            for d in &dirs {
                let file = OutputFile::bytes(format!("{d}/index.html").as_str().into(), d.clone());
                assert!(staging.accept(file).is_none());
            }
        });
        assert_eq!(staging.commit().unwrap().files, 2000);
        assert_eq!(
            std::fs::read_to_string(out.join("s7/index.html")).unwrap(),
            "s7"
        );
    }

    #[test]
    fn replaces_output_and_leaves_no_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &[
                OutputFile::bytes("index.html".into(), "a"),
                OutputFile::bytes("alt/index.html".into(), "x"),
            ],
        )
        .unwrap();
        write_atomically(&out, &[OutputFile::bytes("index.html".into(), "b")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "b"
        );
        assert!(!out.join("alt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        let mut leftovers = leftovers;
        leftovers.sort();
        assert_eq!(leftovers, [".public.lock", "public"]);
    }

    #[test]
    fn failure_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[OutputFile::bytes("index.html".into(), "a")]).unwrap();
        let bad = OutputFile {
            path: "x".into(),
            contents: Contents::Copy(dir.path().join("missing")),
        };
        assert!(
            write_atomically(&out, &[OutputFile::bytes("index.html".into(), "b"), bad]).is_err()
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "a"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "public and its lock"
        );
    }

    #[test]
    fn every_output_carries_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[OutputFile::bytes("index.html".into(), "a")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            MARKER_TEXT
        );
    }

    #[test]
    fn a_failed_removal_of_the_old_copy_still_commits() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(&out, &[OutputFile::bytes("index.html".into(), "a")]).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.accept(OutputFile::bytes("index.html".into(), "b"));
        let committed = staging
            .commit_with(|p| {
                Err(FsError {
                    path: p.to_path_buf(),
                    source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
                })
            })
            .unwrap();
        assert_eq!(committed.files, 1);
        assert_eq!(committed.left_over.len(), 1);
        let old = committed.left_over[0].dir.clone();
        assert!(old.join(MARKER).is_file(), "{old:?} is the old copy");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "b"
        );
        // The next build removes the old copy.
        write_atomically(&out, &[OutputFile::bytes("index.html".into(), "c")]).unwrap();
        assert!(!old.exists());
    }
}
