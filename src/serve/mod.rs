//! `mitnutzung serve`: a live preview for editors. Builds the site into
//! memory (never over `public/`), serves it on loopback, rebuilds when
//! `content/` or `themes/` change, tells open tabs to reload, and keeps the
//! last good build on screen — with the errors over it — while an edit is broken.

pub(crate) mod hosts;
mod http;
pub(crate) mod livereload;
pub(crate) mod paths;
mod redact;
mod search;
pub(crate) mod snapshot;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diagnostics::{report, Diagnostics};
use crate::model::BuildOptions;
use crate::pipeline::{self, BuildCache, BuildError};
use crate::routes::BaseUrl;
use hosts::AllowedHosts;
use livereload::Change;
use snapshot::Snapshot;

/// What `serve` was asked to do.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    pub port: u16,
    pub drafts: bool,
    /// Further host names the preview answers (`--allow-host`), validated.
    pub allow_hosts: Vec<String>,
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ServeError {
    #[error("Die Vorschau kann {addr} nicht belegen: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("Die Dateien können nicht beobachtet werden: {0}")]
    Watch(#[from] notify::Error),
    #[error("Der Server ist ausgefallen: {0}")]
    Server(#[from] std::io::Error),
}

/// The preview's shared state: the last good build and the current errors.
pub(crate) struct Preview {
    root: PathBuf,
    options: BuildOptions,
    snapshot: search::Shared,
    /// Rebuilds the search index in the background after each rebuild.
    reindex: Arc<search::Reindex>,
    errors: RwLock<Option<Arc<str>>>,
    events: broadcast::Sender<String>,
    allowed_hosts: AllowedHosts,
    /// What the last build read, parsed and rendered; rebuilds reuse it.
    cache: Mutex<BuildCache>,
    /// The warnings last printed, so that unchanged ones are not repeated.
    warnings: Mutex<String>,
    /// Whether a build succeeded before (the next one is a rebuild).
    built: std::sync::atomic::AtomicBool,
}

impl Preview {
    fn new(options: &ServeOptions, addr: SocketAddr) -> Preview {
        let (root, drafts) = (&options.root, options.drafts);
        let base = BaseUrl::parse(&format!("http://{}/", host_of(addr)))
            .expect("a socket address makes a valid base URL");
        let allowed_hosts = AllowedHosts::new(addr, &options.allow_hosts);
        let snapshot: search::Shared = Arc::new(RwLock::new(Arc::new(Snapshot::default())));
        Preview {
            reindex: search::Reindex::start(base.clone(), snapshot.clone()),
            root: root.to_path_buf(),
            options: BuildOptions {
                today: None,
                drafts,
                base_url: Some(base),
            },
            snapshot,
            errors: RwLock::new(None),
            events: broadcast::channel(64).0,
            allowed_hosts,
            cache: Mutex::new(BuildCache::remembering()),
            warnings: Mutex::new(String::new()),
            built: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().expect("snapshot lock").clone()
    }

    pub(crate) fn errors(&self) -> Option<Arc<str>> {
        self.errors.read().expect("errors lock").clone()
    }

    /// Build the site in memory and publish the result to open tabs.
    pub(crate) fn rebuild(&self) {
        let started = Instant::now();
        let mut cache = self.cache.lock().expect("cache lock");
        let result =
            pipeline::render_site_cached(&self.root, &self.options, Some(false), &mut cache);
        let work = format!(
            "{} gelesen, {} geparst, {} gerendert",
            cache.read(),
            cache.parsed(),
            cache.rendered()
        );
        drop(cache);
        let change = match result {
            Ok(site) => self.publish(site, started, &work),
            Err(e) => self.reject(e),
        };
        if !change.is_empty() {
            let _ = self.events.send(change.to_json());
        }
    }

    /// Publish a good build, then (if the site has search) hand its pages to
    /// the background indexer: the reload never waits for the index.
    fn publish(&self, site: pipeline::InMemorySite, started: Instant, work: &str) -> Change {
        let pages = match site.search {
            true => search::Reindex::pages_of(&site.files),
            false => Vec::new(),
        };
        let before = self.snapshot();
        let (mut next, skipped) = Snapshot::from_output(site.files, &self.root, &before);
        if site.search {
            next.carry_search_index(&before);
        }
        for path in skipped {
            eprintln!("Warnung: {} wird nicht angezeigt: es ist keine gewöhnliche Datei mehr (z. B. ein symbolischer Link).", path.display());
        }
        let change = self.accept(next, &site.warnings, started, work);
        match site.search {
            true => self.reindex.submit(pages),
            false => self.reindex.cancel(),
        }
        change
    }

    fn accept(
        &self,
        next: Snapshot,
        warnings: &Diagnostics,
        started: Instant,
        work: &str,
    ) -> Change {
        let text = report(&self.root, warnings);
        let mut last = self.warnings.lock().expect("warnings lock");
        if *last != text && !text.is_empty() {
            eprintln!("{text}\n");
        }
        *last = text;
        let changed = next.changed_since(&self.snapshot());
        *self.snapshot.write().expect("snapshot lock") = Arc::new(next);
        let errors_changed = self.errors.write().expect("errors lock").take().is_some();
        // The first build is not a rebuild.
        let verb = match self.built.swap(true, std::sync::atomic::Ordering::Relaxed) {
            false => "Gebaut",
            true => "Neu gebaut",
        };
        println!(
            "{verb} in {} ms ({work}): {} geändert.",
            started.elapsed().as_millis(),
            crate::diagnostics::count(changed.len(), "Datei", "Dateien")
        );
        Change::new("/", &changed, errors_changed)
    }

    /// Keep the last good build; show the errors in the terminal and, without
    /// quoting internal lines, in the overlay.
    fn reject(&self, error: BuildError) -> Change {
        let (terminal, text): (String, Arc<str>) = match error {
            BuildError::Content(d) => (
                report(&self.root, &d),
                redact::browser_report(&self.root, &d).into(),
            ),
            other => (other.to_string(), other.to_string().into()),
        };
        eprintln!("{terminal}\n\nDie Vorschau zeigt weiter den letzten fehlerfreien Stand.");
        let mut errors = self.errors.write().expect("errors lock");
        let errors_changed = errors.as_deref() != Some(&*text);
        *errors = Some(text);
        Change::new("/", &[], errors_changed)
    }

    fn allowed_hosts(&self) -> &AllowedHosts {
        &self.allowed_hosts
    }
}

fn host_of(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

/// Run the preview until Ctrl-C.
pub(crate) fn run(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(serve(options));
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}

async fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let addr = SocketAddr::new(options.interface, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let bound = listener.local_addr()?;
    let preview = Arc::new(Preview::new(&options, bound));
    let first = preview.clone();
    tokio::task::spawn_blocking(move || first.rebuild())
        .await
        .map_err(std::io::Error::other)?;
    let watching = preview.clone();
    let _watcher = watch::start(&options.root, move |_paths| watching.rebuild())?;
    println!("Vorschau: http://{}/  (Strg+C beendet)", host_of(bound));
    if !options.interface.is_loopback() {
        eprintln!("Warnung: Die Vorschau lauscht auf {}: sie ist aus dem Netz erreichbar, nicht nur von diesem Rechner.", options.interface);
    }
    let app = http::router(preview);
    tokio::select! {
        result = axum::serve(listener, app) => result?,
        _ = tokio::signal::ctrl_c() => println!("\nVorschau beendet."),
    }
    Ok(())
}
