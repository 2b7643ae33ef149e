//! Nothing left behind for long: one build at a time writes an output (an
//! exclusive `flock` on `.<name>.lock` beside it, held from before the staging
//! folder is made until the old copy is gone); the build that holds the lock
//! removes staging folders and old copies of earlier builds that died; and a
//! signal removes the staging folder of the build it interrupts.
//!
//! Signal handlers cannot be handed context, so the staging folders being
//! written by this process are kept in one process-wide list ([`ACTIVE`]) —
//! the one piece of global state of the crate.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::target::{has_marker, MARKER};
use super::{LeftOver, OutputError};
use crate::fs::FsError;

/// Staging folders being written by this process.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set once a signal asked this process to stop: no more writes, no swap.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exclusive lock of one output folder, released when dropped.
#[derive(Debug)]
pub(super) struct BuildLock {
    _file: File,
    /// Whether the platform has locks; without, stale folders are kept.
    pub exclusive: bool,
}

/// The lock file of the output `<parent>/<name>`.
pub(super) fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.lock"))
}

/// Take the lock of `output`, or fail at once if another build holds it.
pub(super) fn acquire(parent: &Path, name: &str, output: &Path) -> Result<BuildLock, OutputError> {
    let path = lock_path(parent, name);
    let at = |source| FsError {
        path: path.clone(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(at)?;
    match try_lock(&file).map_err(at)? {
        Some(false) => Err(OutputError::Busy {
            out: output.to_path_buf(),
            lock: path,
        }),
        locked => Ok(BuildLock {
            _file: file,
            exclusive: locked.is_some(),
        }),
    }
}

/// `Some(true)` locked, `Some(false)` held by another process, `None` no locks here.
#[cfg(unix)]
fn try_lock(file: &File) -> io::Result<Option<bool>> {
    use rustix::fs::{flock, FlockOperation};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(true)),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(Some(false)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> io::Result<Option<bool>> {
    Ok(None)
}

/// Whether `file_name` is a staging folder or old copy of the output `name`.
pub(super) fn is_leftover_name(file_name: &str, name: &str) -> bool {
    [".neu-", ".alt-"]
        .iter()
        .any(|kind| file_name.starts_with(&format!(".{name}{kind}")))
}

/// Remove what died builds of `<parent>/<name>` left: folders named like a
/// staging folder that carry the marker (or are empty). Call only while
/// holding the lock. Returns what could not be removed.
pub(super) fn remove_leftovers(parent: &Path, name: &str) -> Vec<LeftOver> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut failures = Vec::new();
    for entry in entries.flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || !is_leftover_name(&entry.file_name().to_string_lossy(), name) {
            continue;
        }
        let path = entry.path();
        if has_marker(&path) {
            if let Err(error) = remove_build_dir(&path) {
                failures.push(LeftOver { dir: path, error });
            }
        } else {
            // Only an empty one: a crash between creating it and writing the marker.
            let _ = std::fs::remove_dir(&path);
        }
    }
    failures
}

/// Remove a folder written by a build, its marker last, so that a removal
/// cut short still leaves a folder the next build recognises.
pub(super) fn remove_build_dir(dir: &Path) -> Result<(), FsError> {
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FsError { path, source }
    };
    let mut first_error = None;
    for entry in std::fs::read_dir(dir).map_err(at(dir))? {
        let entry = entry.map_err(at(dir))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let result = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
        if let Err(e) = result {
            first_error.get_or_insert(at(&path)(e));
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(at(dir)(e)),
        _ => {}
    }
    std::fs::remove_dir(dir).map_err(at(dir))
}

fn active() -> MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Make a staging folder with `make` and note it in one step, so that a
/// signal can never find a folder that exists but is not noted yet: a
/// signal that comes meanwhile waits for the note, then removes the folder.
pub(super) fn make_registered(make: impl FnOnce() -> io::Result<PathBuf>) -> io::Result<PathBuf> {
    let mut active = active();
    let dir = make()?;
    active.push(dir.clone());
    Ok(dir)
}

/// Forget a staging folder (swapped in or removed).
pub(super) fn unregister(dir: &Path) {
    active().retain(|d| d != dir);
}

/// Whether a signal asked this process to stop.
pub(super) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Run `swap` unless the build was interrupted, without a signal's cleanup
/// running at the same time; `dir` is forgotten afterwards either way.
pub(super) fn unless_interrupted<T>(
    dir: &Path,
    swap: impl FnOnce() -> Result<T, OutputError>,
) -> Result<T, OutputError> {
    let mut active = active();
    let result = if interrupted() {
        Err(OutputError::Interrupted)
    } else {
        swap()
    };
    active.retain(|d| d != dir);
    result
}

/// Held by the signal handler until the process exits: no build of this
/// process can swap its staging folder in any more.
pub struct Interrupted {
    _active: MutexGuard<'static, Vec<PathBuf>>,
    /// How many staging folders were removed.
    pub removed: usize,
}

/// Stop every build of this process: no more writes, and its staging folders
/// removed. Keep the returned guard until the process exits.
pub fn interrupt() -> Interrupted {
    INTERRUPTED.store(true, Ordering::Relaxed);
    let mut active = active();
    let removed = active.len();
    for dir in active.drain(..) {
        // Files still being written may appear while the folder is removed.
        for _ in 0..20 {
            if remove_build_dir(&dir).is_ok() || !dir.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    Interrupted {
        _active: active,
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_marked_or_empty_leftovers_of_the_same_output() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for name in [".public.neu-a", ".public.alt-1", ".other.neu-b"] {
            std::fs::create_dir_all(p.join(name).join("sub")).unwrap();
            std::fs::write(p.join(name).join(MARKER), "x").unwrap();
            std::fs::write(p.join(name).join("sub/f"), "x").unwrap();
        }
        std::fs::create_dir(p.join(".public.neu-empty")).unwrap();
        std::fs::create_dir(p.join(".public.neu-foreign")).unwrap();
        std::fs::write(p.join(".public.neu-foreign/f"), "x").unwrap();
        assert!(remove_leftovers(p, "public").is_empty());
        let mut left: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [".other.neu-b", ".public.neu-foreign"]);
    }

    #[test]
    fn a_held_lock_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), "public", &dir.path().join("public")).unwrap();
        // flock locks belong to the open file, so a second open conflicts.
        let second = acquire(dir.path(), "public", &dir.path().join("public"));
        if first.exclusive {
            assert!(matches!(second, Err(OutputError::Busy { .. })));
        }
        drop(first);
        assert!(acquire(dir.path(), "public", &dir.path().join("public")).is_ok());
    }
}
