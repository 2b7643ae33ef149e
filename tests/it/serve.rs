//! `mitnutzung serve` as editors use it: started on port 0 against a fixture
//! site in a temp dir, edited on disk, polled over HTTP. Raw HTTP over TCP so
//! that traversal attempts reach the server exactly as written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

type Log = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A running preview server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    /// What the server printed on stdout so far.
    log: Log,
    /// What the server printed on stderr so far.
    errors: Log,
}

/// Collect the lines of a pipe in the background.
fn collect(lines: impl Iterator<Item = std::io::Result<String>> + Send + 'static) -> Log {
    let log = Log::default();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    log
}

impl Server {
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let errors = collect(BufReader::new(child.stderr.take().unwrap()).lines());
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut before = Vec::new();
        let port = loop {
            let line = lines.next().expect("serve printed its URL").unwrap();
            if let Some(rest) = line.strip_prefix("Vorschau: http://127.0.0.1:") {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
            before.push(line);
        };
        let log = collect(lines);
        log.lock().unwrap().splice(0..0, before);
        Server {
            child,
            port,
            log,
            errors,
        }
    }

    /// How many stderr lines so far contain `text`.
    fn errors_containing(&self, text: &str) -> usize {
        self.errors
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(text))
            .count()
    }

    /// A GET with the given `Host` header; the status.
    fn status_for_host(&self, host: &str) -> u16 {
        self.raw(format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
            .0
    }

    /// Wait until the server printed a line containing `text`.
    fn wait_for_log(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(line) = self.log.lock().unwrap().iter().find(|l| l.contains(text)) {
                return line.clone();
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "never printed {text:?}: {:?}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until the server printed `n` lines containing `text`; the
    /// position of the `n`th in the log.
    fn wait_for_nth_log(&self, text: &str, n: usize) -> usize {
        let start = Instant::now();
        loop {
            let log = self.log.lock().unwrap();
            let mut hits = log.iter().enumerate().filter(|(_, l)| l.contains(text));
            if let Some((at, _)) = hits.nth(n - 1) {
                return at;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "never printed {text:?} {n} times: {log:?}"
            );
            drop(log);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Send raw request bytes; return (status, headers, body).
    fn raw(&self, request: &[u8]) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        self.raw(
            format!(
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
                self.port
            )
            .as_bytes(),
        )
    }

    /// Poll a page until `check` holds on its body (edits take a moment to show).
    fn wait_for(&self, path: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, _, body) = self.get(path);
            if check(&body) {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "{path} never changed as expected; last body:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serves_the_site_with_reload_script_and_never_writes_public() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let (status, head, body) = server.get("/impressum/");
    assert_eq!(status, 200);
    assert!(head
        .to_lowercase()
        .contains("content-type: text/html; charset=utf-8"));
    assert!(!head.to_lowercase().contains("access-control-allow-origin"));
    assert!(
        body.contains("Betrieben von der Testbehörde.")
            && body.contains("/__mitnutzung/livereload.js")
    );
    let (status, head, _) = server.get("/status.csv");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: text/csv"));
    let (status, head, _) = server.get("/dienste");
    assert_eq!(status, 308);
    assert!(head.contains("location: /dienste/") || head.contains("Location: /dienste/"));
    let (status, _, body) = server.get("/gibt-es-nicht/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Seite nicht gefunden"),
        "the site's own 404 page"
    );
    assert!(
        !site.path().join("public").exists(),
        "serve must not write public/"
    );
}

#[test]
fn an_edit_shows_up_and_a_broken_edit_keeps_the_last_good_page() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let page = site.path().join("content/impressum.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Testbehörde", "Neuen Testbehörde")).unwrap();
    server.wait_for("/impressum/", |b| b.contains("Neuen Testbehörde"));

    std::fs::write(
        &page,
        "---\ntitle: Impressum\n---\nKaputt [x](@/fehlt.md)\n",
    )
    .unwrap();
    let body = server.wait_for("/impressum/", |b| b.contains("mitnutzung-fehler"));
    assert!(body.contains("Neuen Testbehörde"), "last good build stays");
    assert!(
        body.contains(
            "content/impressum.md:4:8: Fehler[broken-link]: Der Link zeigt auf „@/fehlt.md“"
        ),
        "{body}"
    );
    let other = server.get("/dienste/alpha/").2;
    assert!(
        other.contains("mitnutzung-fehler"),
        "the overlay is on every page"
    );

    std::fs::write(&page, "---\ntitle: Impressum\n---\nRepariert.\n").unwrap();
    let body = server.wait_for("/impressum/", |b| b.contains("Repariert."));
    assert!(
        !body.contains("mitnutzung-fehler"),
        "fixing clears the overlay"
    );
}

#[test]
fn a_rebuild_rereads_reparses_and_rerenders_only_what_changed() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let first = server.wait_for_log("Gebaut in ");
    assert!(
        first.ends_with("(12 gelesen, 9 geparst, 15 gerendert): 50 Dateien geändert."),
        "{first}"
    );
    let page = site.path().join("content/impressum.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Testbehörde", "Geänderten Testbehörde")).unwrap();
    let second = server.wait_for_log("(1 gelesen, 1 geparst, 1 gerendert): 1 Datei geändert.");
    assert!(second.starts_with("Neu gebaut in "), "{second}");
    std::fs::write(
        &page,
        text.replace("Testbehörde", "Geänderten Testbehörde") + "\n\n",
    )
    .unwrap();
    // The body's text changed (not its HTML): the page is rendered again, and its file is the same.
    server.wait_for_log("(1 gelesen, 1 geparst, 1 gerendert): 0 Dateien geändert.");
}

#[test]
fn atomic_saves_by_rename_are_seen() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let tmp = site.path().join("content/.impressum.md.swp");
    std::fs::write(
        &tmp,
        "---\ntitle: Impressum\n---\nPer Umbenennen gespeichert.\n",
    )
    .unwrap();
    std::fs::rename(&tmp, site.path().join("content/impressum.md")).unwrap();
    server.wait_for("/impressum/", |b| b.contains("Per Umbenennen gespeichert."));
}

#[test]
fn traversal_and_source_requests_get_404() {
    let site = fixture_site("minimal");
    std::os::unix::fs::symlink("/etc", site.path().join("content/downloads/etc")).unwrap();
    let server = Server::start(site.path());
    for path in [
        "/../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/%2E%2E%2Fcontent%2Fsite.yaml",
        "/downloads/..%2f..%2fcontent/site.yaml",
        "/..%5ccontent%5csite.yaml",
        "/content/site.yaml",
        "/content/impressum.md",
        "/impressum.md",
        "/downloads/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
    ] {
        let (status, _, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("root:") && !body.contains("base_url"),
            "{path} leaked a file"
        );
    }
    let (status, _, _) = server.raw(format!("GET http://127.0.0.1:{}/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", server.port).as_bytes());
    assert!(
        status == 404 || status == 400 || status == 403,
        "absolute-form request: {status}"
    );
}

#[test]
fn a_download_replaced_by_a_link_is_never_served_through_it() {
    let site = fixture_site("minimal");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "GEHEIM-7f3a\n").unwrap();
    let download = site.path().join("content/downloads/fragebogen-alpha.xlsx");
    let original = String::from_utf8_lossy(&std::fs::read(&download).unwrap()).into_owned();
    let server = Server::start(site.path());
    let (status, _, body) = server.get("/downloads/fragebogen-alpha.xlsx");
    assert_eq!((status, &body), (200, &original));
    std::fs::remove_file(&download).unwrap();
    std::os::unix::fs::symlink(&secret, &download).unwrap();
    // The link is not followed, so the questionnaire is missing: the rebuild
    // fails and the last good build stays, with the download it had then.
    let page = server.wait_for("/", |b| b.contains("mitnutzung-fehler"));
    assert!(
        page.contains(
            "content/downloads/fragebogen-alpha.xlsx:1:1: Warnung[symlink-ignored]: Dies ist ein symbolischer Link."
        ),
        "{page}"
    );
    assert!(!page.contains("GEHEIM"), "{page}");
    for _ in 0..3 {
        let (status, _, body) = server.get("/downloads/fragebogen-alpha.xlsx");
        assert!(!body.contains("GEHEIM"), "served the link's target");
        assert_eq!((status, &body), (200, &original));
    }
}

#[test]
fn the_reload_channel_only_talks_to_its_own_pages() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let port = server.port;
    let evil_origin = format!("GET /__mitnutzung/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(server.raw(evil_origin.as_bytes()).0, 403);
    let rebinding =
        "GET /__mitnutzung/events HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n";
    assert_eq!(server.raw(rebinding.as_bytes()).0, 403);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET /__mitnutzung/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.contains(" 200 "), "{status}");
    let page = site.path().join("content/impressum.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Testbehörde", "Geänderten Testbehörde")).unwrap();
    let mut seen = String::new();
    while !seen.contains("data: ") {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        seen.push_str(&line);
    }
    assert!(seen.contains("event: reload"));
    assert!(
        seen.contains("\"paths\":[\"/impressum/\"]"),
        "only the changed page is reported: {seen}"
    );
}

#[test]
fn a_stylesheet_edit_is_announced_as_css_only() {
    let site = fixture_site("minimal");
    copy_tree(&fixtures().join("custom-theme"), site.path());
    let server = Server::start(site.path());
    let port = server.port;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__mitnutzung/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    std::fs::write(
        site.path().join("themes/mitnutzung/static/eigen.css"),
        "body { color: navy; }\n",
    )
    .unwrap();
    let mut seen = String::new();
    while !seen.contains("data: ") {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        seen.push_str(&line);
    }
    assert!(
        seen.contains("{\"paths\":[\"/eigen.css\"],\"css_only\":true"),
        "{seen}"
    );
    assert_eq!(server.get("/eigen.css").2, "body { color: navy; }\n");
}

#[test]
fn malformed_requests_never_crash_the_server() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    for garbage in [
        &b"\x00\x01\x02garbage\r\n\r\n"[..],
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhallo",
        b"GET /%zz%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
        let _ = server.raw(garbage);
    }
    assert_eq!(server.get("/").0, 200, "still serving");
}

#[test]
fn ctrl_c_stops_it_cleanly_and_leaves_nothing_behind() {
    let site = fixture_site("minimal");
    let mut server = Server::start(site.path());
    assert_eq!(server.get("/").0, 200);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "serve did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    assert_eq!(
        files_below(site.path())
            .iter()
            .filter(|f| !f.starts_with("content/"))
            .count(),
        0
    );
}

#[test]
fn listening_beyond_loopback_warns() {
    let site = fixture_site("minimal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
        .args([
            "serve",
            "--root",
            site.path().to_str().unwrap(),
            "--port",
            "0",
            "--interface",
            "0.0.0.0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let warning = lines
        .find_map(|l| l.ok().filter(|l| l.starts_with("Warnung:")))
        .unwrap();
    assert!(warning.contains("aus dem Netz erreichbar"));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn every_request_must_name_this_preview_as_its_host() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(server.status_for_host(&host), 200, "{host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        assert_eq!(server.status_for_host(&host), 403, "{host}");
    }
    let (status, _, body) = server.raw(
        format!(
            "GET /status.csv HTTP/1.1\r\nHost: rebound.example:{port}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status, 403);
    assert_eq!(body, "Zugriff verweigert: Diese Vorschau antwortet nur unter ihrer eigenen Adresse (weitere Namen erlaubt „serve --allow-host NAME“).");
    let (status, _, _) = server.raw(b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 403, "no Host at all");
}

#[test]
fn allow_host_admits_further_names() {
    let site = fixture_site("minimal");
    let server = Server::start_with(
        site.path(),
        &[
            "--allow-host",
            "Vorschau.test",
            "--allow-host",
            "192.168.7.7",
        ],
    );
    let port = server.port;
    assert_eq!(
        server.status_for_host(&format!("vorschau.test:{port}")),
        200
    );
    assert_eq!(server.status_for_host(&format!("192.168.7.7:{port}")), 200);
    assert_eq!(server.status_for_host(&format!("andere.test:{port}")), 403);
    let run = mitnutzung(&["serve", "--allow-host", "rechner:8080"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("„rechner:8080“ ist kein Rechnername und keine IP-Adresse."),
        "{}",
        run.stderr
    );
}

#[test]
fn the_overlay_never_quotes_a_line_under_internal() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let file = site.path().join("content/kommunen/musterstadt.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("GEHEIMNOTIZ"))
        .unwrap()
        + 1;
    // A YAML syntax error on the line of the internal note.
    std::fs::write(
        &file,
        text.replace(
            "GEHEIMNOTIZ-4711",
            "GEHEIMNOTIZ-4711: Vertraulich 0170 1234567",
        ),
    )
    .unwrap();
    let page = server.wait_for("/", |b| b.contains("mitnutzung-fehler"));
    let at = format!("content/kommunen/musterstadt.yaml:{line}:");
    assert!(page.contains(&at), "the error is shown: {page}");
    assert!(!page.contains("GEHEIM"), "{page}");
    assert!(!page.contains("Vertraulich"), "{page}");
    assert!(!page.contains("0170"), "{page}");
}

#[test]
fn a_deleted_and_recreated_content_folder_is_followed() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let content = site.path().join("content");
    let backup = tempfile::tempdir().unwrap();
    copy_tree(&content, backup.path());
    std::fs::remove_dir_all(&content).unwrap();
    let page = server.wait_for("/", |b| b.contains("mitnutzung-fehler"));
    assert!(page.contains("gibt es keinen Ordner content/."), "{page}");
    copy_tree(backup.path(), &content);
    let page = content.join("impressum.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("Testbehörde", "Wiederhergestellten Testbehörde"),
    )
    .unwrap();
    let body = server.wait_for("/impressum/", |b| {
        b.contains("Wiederhergestellten Testbehörde")
    });
    assert!(!body.contains("mitnutzung-fehler"), "{body}");
    std::fs::write(
        &page,
        text.replace("Testbehörde", "Weiter beobachteten Testbehörde"),
    )
    .unwrap();
    server.wait_for("/impressum/", |b| {
        b.contains("Weiter beobachteten Testbehörde")
    });
}

#[test]
fn a_content_folder_moved_away_is_not_followed() {
    let site = fixture_site("minimal");
    let server = Server::start(site.path());
    let moved = site.path().join("anderswo");
    std::fs::rename(site.path().join("content"), &moved).unwrap();
    let kept = "Die Vorschau zeigt weiter den letzten fehlerfreien Stand.";
    server.wait_for("/", |b| b.contains("gibt es keinen Ordner content/."));
    let start = Instant::now();
    while server.errors_containing(kept) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no rebuild after the move"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let rebuilds = server.errors_containing(kept);
    let page = moved.join("impressum.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("Testbehörde", "Verschobenen Testbehörde"),
    )
    .unwrap();
    let body = server.get("/impressum/").2;
    assert!(!body.contains("Verschobenen"), "{body}");
    assert!(
        body.contains("Betrieben von der Testbehörde."),
        "the last good build stays"
    );
    // A barrier instead of a guess at how long a rebuild takes: rebuilds run
    // one after the other in the order of the events, so once the rebuild for
    // a new content/ has printed its line, a rebuild for the edit above (with
    // content/ still missing: one more failure) would have printed first. The
    // pause only keeps the two events out of one debounce window.
    std::thread::sleep(Duration::from_millis(200));
    let staged = site.path().join("neu");
    copy_tree(&moved, &staged);
    std::fs::rename(&staged, site.path().join("content")).unwrap();
    server.wait_for_log("Neu gebaut in ");
    assert_eq!(
        server.errors_containing(kept),
        rebuilds,
        "an edit of the moved folder caused a rebuild"
    );
    let body = server.get("/impressum/").2;
    assert!(
        body.contains("Betrieben von der Verschobenen Testbehörde."),
        "{body}"
    );
}

/// `minimal` with the `search` scenario (`search: true`) laid over it.
fn search_site() -> tempfile::TempDir {
    let site = fixture_site("minimal");
    apply_scenario(&fixtures().join("search"), site.path());
    site
}

const INDEX_BUILT: &str = "Suchindex neu gebaut in ";

#[test]
fn the_search_index_follows_each_rebuild_in_the_background() {
    let site = search_site();
    let server = Server::start(site.path());
    server.wait_for_nth_log(INDEX_BUILT, 1);
    let (status, head, first) = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(status, 200, "{head}");
    assert!(first.contains("\"de\""), "{first}");
    assert_eq!(server.get("/pagefind/pagefind.js").0, 200);

    let page = site.path().join("content/kooperation.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n\nDas Wort Zuständigkeitsfinder ist neu.\n"),
    )
    .unwrap();
    let reload = server.wait_for_nth_log("Neu gebaut in ", 1);
    // Until the new index is there, the last one is served: never a 404.
    assert_eq!(server.get("/pagefind/pagefind-entry.json").0, 200);
    let index = server.wait_for_nth_log(INDEX_BUILT, 2);
    assert!(reload < index, "the reload waited for the index");
    let line = &server.log.lock().unwrap()[index];
    assert!(line.ends_with("(9 Seiten)."), "{line}");
    let second = server.get("/pagefind/pagefind-entry.json").2;
    assert_ne!(first, second, "the index did not change with the text");
    // The same index as `build` writes for the edited site (the entry names
    // the index's hash).
    let out = site.path().join("out");
    let run = build(site.path(), &["--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(second, read(&out, "pagefind/pagefind-entry.json"));
}

#[test]
fn a_site_without_search_gets_no_index_in_the_preview() {
    let site = search_site();
    let server = Server::start(site.path());
    server.wait_for_nth_log(INDEX_BUILT, 1);
    let config = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("search: true", "search: false")).unwrap();
    server.wait_for_nth_log("Neu gebaut in ", 1);
    assert_eq!(server.get("/pagefind/pagefind-entry.json").0, 404);
    assert_eq!(server.get("/impressum/").0, 200);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        server.get("/pagefind/pagefind-entry.json").0,
        404,
        "a late index came back"
    );
    let log = server.log.lock().unwrap();
    assert_eq!(
        log.iter().filter(|l| l.contains(INDEX_BUILT)).count(),
        1,
        "{log:?}"
    );
}
