//! `mitnutzung serve` as editors use it: started on port 0 against a fixture
//! site in a temp dir, edited on disk, polled over HTTP. Raw HTTP over TCP so
//! that traversal attempts reach the server exactly as written.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A running preview server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    /// What the server printed on stdout so far.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mitnutzung"))
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = loop {
            let line = lines.next().expect("serve printed its URL").unwrap();
            if let Some(rest) = line.strip_prefix("Vorschau: http://127.0.0.1:") {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Server { child, port, log }
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
        body.contains("content/impressum.md:4:8: Der Link zeigt auf „@/fehlt.md“"),
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
    let page = site.path().join("content/impressum.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Testbehörde", "Geänderten Testbehörde")).unwrap();
    server.wait_for_log("(1 gelesen, 1 geparst, 1 gerendert): 1 Dateien geändert.");
    std::fs::write(
        &page,
        text.replace("Testbehörde", "Geänderten Testbehörde") + "\n\n",
    )
    .unwrap();
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
        status == 404 || status == 400,
        "absolute-form request: {status}"
    );
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
