#!/usr/bin/env python3
"""Edit -> page-updated latency of `mitnutzung serve`.

    cargo build --release
    python3 benches/serve_latency.py                      # the bundled site
    python3 benches/serve_latency.py --pages 10000        # a generated 10,000-page site

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
        subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", str(args.pages), "--out", root], check=True, stdout=subprocess.DEVNULL)
        return root, "content/seiten/seite-00042.md", "/seiten/seite-00042/"
    shutil.copytree(os.path.join(REPO, "content"), os.path.join(root, "content"))
    return root, "content/impressum.md", "/impressum/"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=0, help="generate a site with this many pages (0: the bundled site)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "mitnutzung"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        root, rel, url = prepare_site(args, workdir)
        server = subprocess.Popen([args.binary, "serve", "--root", root, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = None
            for line in server.stdout:
                m = re.match(r"Vorschau: http://127\.0\.0\.1:(\d+)/", line)
                if m:
                    port = int(m.group(1))
                    break
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            listener = ReloadListener(port)
            listener.start()
            time.sleep(0.3)
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
                time.sleep(0.25)
        finally:
            server.terminate()
            server.wait()
    label = f"{args.pages} generated pages" if args.pages else "bundled site"
    print(f"serve edit->visible latency, {label}, {args.runs} runs: "
          f"min {min(times):.0f} ms, median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
