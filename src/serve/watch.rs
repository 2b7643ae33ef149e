//! Watching `content/` and the site's `themes/` with notify, debounced so that
//! one save — or a `git checkout` of many files, or an editor's write-to-temp
//! and rename — causes one rebuild. Reads (the build's own) are ignored.
//!
//! The debouncing is written here rather than taken from notify's debouncer
//! crates because those drop the event kind, and without it the build's own
//! file reads (inotify `OPEN`) would trigger endless rebuilds.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the files must be quiet before a rebuild starts.
pub const QUIET: Duration = Duration::from_millis(20);

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _watcher: RecommendedWatcher,
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

/// Watch the site's sources; `on_change` runs on the watcher's own thread
/// once per burst of changes, with the paths that changed.
pub fn start(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<Watcher> {
    let (tx, rx) = mpsc::channel::<Event>();
    let mut watcher =
        notify::recommended_watcher(move |result: notify::Result<Event>| match result {
            Ok(event) if is_change(&event) => {
                let _ = tx.send(event);
            }
            Ok(_) => {}
            Err(e) => eprintln!("Warnung: Beobachten der Dateien gestört: {e}"),
        })?;
    for folder in ["content", "themes"] {
        let path = root.join(folder);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut paths = first.paths;
            while let Ok(more) = rx.recv_timeout(QUIET) {
                paths.extend(more.paths);
            }
            paths.sort();
            paths.dedup();
            on_change(paths);
        }
    });
    Ok(Watcher { _watcher: watcher })
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
}
