//! Watching the site's sources with notify: the site root itself, not
//! recursively (to see `content/` and `themes/` appear, vanish or be moved
//! away), and those two folders recursively, without following symbolic
//! links. When one of them is deleted and created again (`git checkout`,
//! `rsync --delete`), its watch is armed again; when it is moved away, its
//! watch goes with it and the moved copy is no longer followed. Nothing else
//! in the root (`target/`, `public/`, `node_modules/`) is watched.
//!
//! Changes are debounced so that one save — or a `git checkout` of many
//! files, or an editor's write-to-temp and rename — causes one rebuild. Reads
//! (the build's own) are ignored. The debouncing is written here rather than
//! taken from notify's debouncer crates because those drop the event kind,
//! and without it the build's own file reads (inotify `OPEN`) would trigger
//! endless rebuilds.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, Weak};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Config, Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the files must be quiet before a rebuild starts.
pub(super) const QUIET: Duration = Duration::from_millis(20);

/// The folders below the site root that the build reads.
const SOURCES: [&str; 2] = ["content", "themes"];

/// A running watcher; dropping it stops watching.
pub(super) struct Watcher {
    _watcher: Arc<Mutex<RecommendedWatcher>>,
}

/// Whether an event can change what the build reads.
fn is_change(event: &Event) -> bool {
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(notify::event::ModifyKind::Metadata(
            notify::event::MetadataKind::AccessTime,
        )) => false,
        _ => true,
    }
}

/// The watched source folders of a site, by absolute path.
struct Sources {
    folders: Vec<PathBuf>,
}

impl Sources {
    fn new(root: &Path) -> Sources {
        Sources {
            folders: SOURCES.iter().map(|f| root.join(f)).collect(),
        }
    }

    /// Whether a changed path is one the build reads (inside a source folder, or the folder itself).
    fn concerns(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| path.starts_with(f))
    }

    /// Whether a source folder itself appeared, vanished or moved.
    fn is_folder(&self, path: &Path) -> bool {
        self.folders.iter().any(|f| path == f)
    }

    /// Watch each source folder that exists now, afresh (a recreated folder is a new one).
    fn arm(&self, watcher: &mut RecommendedWatcher) {
        for folder in &self.folders {
            let _ = watcher.unwatch(folder);
            if folder.is_dir() {
                if let Err(e) = watcher.watch(folder, RecursiveMode::Recursive) {
                    eprintln!(
                        "Warnung: {} kann nicht beobachtet werden: {e}",
                        folder.display()
                    );
                }
            }
        }
    }
}

/// Watch the site's sources; `on_change` runs on the watcher's own thread
/// once per burst of changes, with the paths that changed.
pub(super) fn start(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Watcher> {
    let root = std::path::absolute(root).map_err(notify::Error::io)?;
    let (tx, rx) = mpsc::channel::<Event>();
    let handler = move |result: notify::Result<Event>| match result {
        Ok(event) if is_change(&event) => {
            let _ = tx.send(event);
        }
        Ok(_) => {}
        Err(e) => eprintln!("Warnung: Beobachten der Dateien gestört: {e}"),
    };
    let config = Config::default().with_follow_symlinks(false);
    let mut watcher = RecommendedWatcher::new(handler, config)?;
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    let sources = Sources::new(&root);
    sources.arm(&mut watcher);
    let watcher = Arc::new(Mutex::new(watcher));
    let weak = Arc::downgrade(&watcher);
    std::thread::spawn(move || debounce(&rx, &sources, &weak, on_change));
    Ok(Watcher { _watcher: watcher })
}

/// Collect bursts of events; re-arm when a source folder itself changed; report the rest.
fn debounce(
    rx: &mpsc::Receiver<Event>,
    sources: &Sources,
    watcher: &Weak<Mutex<RecommendedWatcher>>,
    on_change: impl Fn(Vec<PathBuf>),
) {
    while let Ok(first) = rx.recv() {
        let mut paths = first.paths;
        while let Ok(more) = rx.recv_timeout(QUIET) {
            paths.extend(more.paths);
        }
        paths.retain(|p| sources.concerns(p));
        if paths.is_empty() {
            continue;
        }
        if paths.iter().any(|p| sources.is_folder(p)) {
            let Some(watcher) = watcher.upgrade() else {
                return;
            };
            sources.arm(&mut watcher.lock().expect("watcher lock"));
        }
        paths.sort();
        paths.dedup();
        on_change(paths);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_changes() {
        let read = Event::new(EventKind::Access(AccessKind::Open(AccessMode::Any)));
        let closed_after_write =
            Event::new(EventKind::Access(AccessKind::Close(AccessMode::Write)));
        let renamed = Event::new(EventKind::Modify(notify::event::ModifyKind::Name(
            notify::event::RenameMode::Both,
        )));
        assert!(!is_change(&read));
        assert!(is_change(&closed_after_write));
        assert!(is_change(&renamed));
    }

    #[test]
    fn only_the_source_folders_concern_the_build() {
        let sources = Sources::new(Path::new("/site"));
        assert!(sources.concerns(Path::new("/site/content/index.md")));
        assert!(sources.concerns(Path::new("/site/themes")));
        assert!(sources.is_folder(Path::new("/site/content")));
        assert!(!sources.is_folder(Path::new("/site/content/index.md")));
        for other in [
            "/site/public",
            "/site/target/x",
            "/site/node_modules",
            "/site/contents",
        ] {
            assert!(!sources.concerns(Path::new(other)), "{other}");
        }
    }
}
