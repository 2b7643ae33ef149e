#!/usr/bin/env python3
"""Repetition benchmark: is the work linear in what an editor repeats?

    cargo build --release
    python3 benches/repetition.py                 # 20,000 repetitions per case
    python3 benches/repetition.py --count 100000  # to see the growth

Each case lays one generated file over the test site `tests/fixtures/minimal`
in a temporary folder and times `mitnutzung build` and `mitnutzung check`:

- headings:   one page with N identical headings (ids `abschnitt`, `abschnitt-2`, …)
- shortcodes: one page with N `{{ contact(id="team") }}` calls, one per paragraph
- inline:     one page with N shortcode calls on a single line
- leikas:     `daten/leikas.yaml` with N copies of one entry (N - 1 errors)
- links:      one page with N `@/` links to an anchor of another page
- aliases:    one page with N different aliases (N redirect pages)
- same-alias: one page with the same alias N times

A case whose time grows with the square of N shows up here as many seconds;
linear work takes about a second for 20,000 repetitions on a laptop. This is a
measurement, not a test: it prints a table and always exits 0.
"""
import argparse
import os
import shutil
import subprocess
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FIXTURE = os.path.join(REPO, "tests", "fixtures", "minimal")

PAGE_HEAD = "---\ntitle: Wiederholung\ndescription: Eine Seite mit vielen Wiederholungen\n{extra}---\n"


def page(body, extra=""):
    return ("wiederholung.md", PAGE_HEAD.format(extra=extra) + body)


def headings(n):
    return [page("".join("## Abschnitt\n\nText.\n\n" for _ in range(n)))]


def shortcodes(n):
    return [page("".join('{{ contact(id="team") }}\n\n' for _ in range(n)))]


def inline(n):
    return [page(" ".join('{{ mailbox() }}' for _ in range(n)) + "\n")]


def leikas(n):
    entry = '- key: "99000000001000"\n  name: Alpha beantragen\n'
    rest = '- key: "99000000002000"\n  name: Beta beantragen\n  confirmed: false\n'
    return [(os.path.join("daten", "leikas.yaml"), entry * n + rest)]


def links(n):
    return [page("".join(f"[Link {i}](@/schritte/02-eintragen.md#pvog)\n\n" for i in range(n)))]


def aliases(n):
    listed = ", ".join(f'"/alt/seite-{i}/"' for i in range(n))
    return [page("Text.\n", extra=f"aliases: [{listed}]\n")]


def same_alias(n):
    listed = ", ".join('"/alt/gleich/"' for _ in range(n))
    return [page("Text.\n", extra=f"aliases: [{listed}]\n")]


CASES = [
    ("headings", headings),
    ("shortcodes", shortcodes),
    ("inline", inline),
    ("leikas", leikas),
    ("links", links),
    ("aliases", aliases),
    ("same-alias", same_alias),
]


def make_site(folder, files):
    shutil.copytree(os.path.join(FIXTURE, "content"), os.path.join(folder, "content"))
    for rel, text in files:
        with open(os.path.join(folder, "content", rel), "w", encoding="utf-8") as f:
            f.write(text)


def timed(cmd, timeout):
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"> {timeout} s", ""
    seconds = time.perf_counter() - start
    first = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return done.returncode, f"{seconds:.2f} s", first[0] if first else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000, help="repetitions per case")
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "release", "mitnutzung"))
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a run is given up")
    parser.add_argument("--only", help="run only the named case")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        parser.error(f"{args.binary} fehlt: erst cargo build --release")
    print(f"{args.count} Wiederholungen, {args.binary}")
    print(f"{'case':<12} {'command':<6} {'exit':>4} {'time':>10}  first line of stderr")
    for name, make in CASES:
        if args.only and name != args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"repetition-{name}-") as folder:
            make_site(folder, make(args.count))
            for command in ("build", "check"):
                cmd = [args.binary, command, "--root", folder]
                if command == "build":
                    cmd += ["--output", os.path.join(folder, "public")]
                code, seconds, first = timed(cmd, args.timeout)
                shown = "-" if code is None else str(code)
                print(f"{name:<12} {command:<6} {shown:>4} {seconds:>10}  {first[:70]}", flush=True)


if __name__ == "__main__":
    main()
