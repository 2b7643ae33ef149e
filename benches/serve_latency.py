#!/usr/bin/env python3
"""Edit -> page-updated latency of `mitnutzung serve`.

    cargo build --release
    python3 benches/serve_latency.py                      # the bundled site
    python3 benches/serve_latency.py --pages 10000        # a generated 10,000-page site
    python3 benches/serve_latency.py --pages 10000 --search off   # the same without search

With search on (the default of site.yaml), it also reports how long the
search index lags behind: from the moment the file is written until the
preview prints "Suchindex neu gebaut" (the index is built in the background
and never delays the reload). Each run waits for the index before the next
edit, so runs do not overlap.

Starts the preview on a free port, listens on its reload channel like a browser
tab, then edits one page N times. Each run measures from the moment the file is
written until the reload event for that page has arrived AND the served page
contains the new text. Prints min / median / max in milliseconds. The site
under test is a temporary copy; nothing in the repository is changed.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, ".."))


def http_get(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


class ReloadListener(threading.Thread):
    """Reads the SSE channel and remembers when each event arrived."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.events = []
        self.lock = threading.Lock()
        self.ready = threading.Event()

    def run(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.sendall(f"GET /__mitnutzung/events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
        buffer = b""
        while True:
            data = s.recv(65536)
            if not data:
                return
            self.ready.set()
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if line.startswith(b"data: "):
                    with self.lock:
                        self.events.append((time.perf_counter(), line[6:].decode()))

    def wait_for(self, path, since, timeout=10.0):
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                for t, data in self.events:
                    if t >= since and f'"{path}"' in data:
                        return t
            time.sleep(0.0005)
        raise TimeoutError(f"no reload event for {path}")


def prepare_site(args, workdir):
    root = os.path.join(workdir, "site")
    if args.pages:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", str(args.pages), "--search", args.search, "--out", root], check=True, stdout=subprocess.DEVNULL)
        return root, "content/seiten/seite-00042.md", "/seiten/seite-00042/"
    shutil.copytree(os.path.join(REPO, "content"), os.path.join(root, "content"))
    return root, "content/impressum.md", "/impressum/"


def set_search(root, on):
    path = os.path.join(root, "content", "site.yaml")
    text = re.sub(r"(?m)^search:.*\n", "", open(path, encoding="utf-8").read())
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + f"\nsearch: {'true' if on else 'false'}\n")


class LineListener(threading.Thread):
    """Reads the preview's stdout and remembers when each line arrived."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.lines = []
        self.lock = threading.Lock()

    def run(self):
        for line in self.stream:
            with self.lock:
                self.lines.append((time.perf_counter(), line))

    def wait_for(self, text, since, timeout=120.0):
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                for t, line in self.lines:
                    if t >= since and text in line:
                        return t
            time.sleep(0.001)
        raise TimeoutError(f"never printed {text!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="generate a site with this many pages (0: the bundled site)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--search", choices=["on", "off"], default="on")
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "mitnutzung"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        root, rel, url = prepare_site(args, workdir)
        search = args.search == "on"
        set_search(root, search)
        server = subprocess.Popen([args.binary, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = None
            for line in server.stdout:
                m = re.match(r"Vorschau: http://127\.0\.0\.1:(\d+)/", line)
                if m:
                    port = int(m.group(1))
                    break
            lines = LineListener(server.stdout)
            lines.start()
            if search:
                lines.wait_for("Suchindex neu gebaut", 0)
            listener = ReloadListener(port)
            listener.start()
            time.sleep(0.3)
            lags = []
            path = os.path.join(root, rel)
            original = open(path, encoding="utf-8").read()
            times = []
            for run in range(args.runs):
                marker = f"MESSLAUF-{run}-{time.time_ns()}"
                start = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original + f"\n\n{marker}\n")
                listener.wait_for(url, start)
                while marker not in http_get(port, url):
                    time.sleep(0.0005)
                times.append((time.perf_counter() - start) * 1000)
                if search:
                    lags.append((lines.wait_for("Suchindex neu gebaut", start) - start) * 1000)
                time.sleep(0.25)
        finally:
            server.terminate()
            server.wait()
    label = f"{args.pages} generated pages" if args.pages else "bundled site"
    print(f"serve edit->visible latency, {label}, search {args.search}, {args.runs} runs: "
          f"min {min(times):.0f} ms, median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    if search:
        print(f"search index lag after the edit, {label}, {args.runs} runs: "
              f"min {min(lags):.0f} ms, median {statistics.median(lags):.0f} ms, max {max(lags):.0f} ms")


if __name__ == "__main__":
    main()
