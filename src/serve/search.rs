//! The preview's search index, rebuilt in the background after each rebuild:
//! the reload never waits for it. Until the new index is there, the preview
//! serves the previous one (carried over into each new snapshot), so the
//! search may lag behind the text by the time one index takes (README,
//! Performance). One worker thread; a rebuild that comes while it indexes
//! replaces the waiting job, so it never indexes a build that is already old.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Instant;

use super::snapshot::Snapshot;
use crate::output::OutputFile;
use crate::routes::BaseUrl;
use crate::search::{self, Page};

/// Where the finished index goes: the preview's current snapshot.
pub(crate) type Shared = Arc<RwLock<Arc<Snapshot>>>;

struct Job {
    generation: u64,
    pages: Vec<Page>,
}

/// The background indexer of one preview.
pub(crate) struct Reindex {
    base: BaseUrl,
    target: Shared,
    latest: AtomicU64,
    slot: Mutex<Option<Job>>,
    wake: Condvar,
}

impl Reindex {
    /// Start the worker thread; it runs as long as the preview.
    pub(crate) fn start(base: BaseUrl, target: Shared) -> Arc<Reindex> {
        let reindex = Arc::new(Reindex {
            base,
            target,
            latest: AtomicU64::new(0),
            slot: Mutex::new(None),
            wake: Condvar::new(),
        });
        let worker = reindex.clone();
        std::thread::Builder::new()
            .name("suchindex".into())
            .spawn(move || worker.work())
            .expect("a thread can be started");
        reindex
    }

    /// The marked pages of a build's files, to hand to [`Reindex::submit`].
    pub(crate) fn pages_of(files: &[OutputFile]) -> Vec<Page> {
        files.iter().filter_map(search::marked_page).collect()
    }

    /// Index these pages (of the snapshot just published) in the background.
    pub(crate) fn submit(&self, pages: Vec<Page>) {
        let generation = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(Job { generation, pages });
        self.wake.notify_one();
    }

    /// The site has no search (any more): drop a waiting job, and let no
    /// index that is being built now reach the preview.
    pub(crate) fn cancel(&self) {
        self.latest.fetch_add(1, Ordering::SeqCst);
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    fn work(&self) {
        loop {
            let job = {
                let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(job) = slot.take() {
                        break job;
                    }
                    slot = self.wake.wait(slot).unwrap_or_else(|e| e.into_inner());
                }
            };
            self.run(job);
        }
    }

    fn run(&self, job: Job) {
        let started = Instant::now();
        let count = job.pages.len();
        match search::index(job.pages, &self.base) {
            Ok(files) => {
                let mut target = self.target.write().unwrap_or_else(|e| e.into_inner());
                // A newer build is waiting: its own index replaces this one soon.
                if self.latest.load(Ordering::SeqCst) == job.generation {
                    *target = Arc::new(target.with_search_index(files));
                    println!(
                        "Suchindex neu gebaut in {} ms ({}).",
                        started.elapsed().as_millis(),
                        crate::diagnostics::count(count, "Seite", "Seiten")
                    );
                }
            }
            Err(e) => eprintln!("Fehler: {e}\nDie Vorschau zeigt weiter den letzten Suchindex."),
        }
    }
}
