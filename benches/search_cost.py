#!/usr/bin/env python3
"""What the search index (Pagefind) costs a build: the same generated site
built with `search: true` and with `search: false`, alternating, each run
into a fresh folder; prints medians of wall time and peak memory (max RSS of
the child, from wait4) and the difference.

    cargo build --release
    BENCH_DIR=/dev/shm python3 benches/search_cost.py --pages 1000 10000 --runs 5

The sites come from benches/gen_site.py (the same arguments give the same
bytes); `--page-kb K` is passed on to it.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024  # MB


def set_search(site, on):
    path = os.path.join(site, "content", "site.yaml")
    text = re.sub(r"(?m)^search:.*\n", "", open(path, encoding="utf-8").read())
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + f"\nsearch: {'true' if on else 'false'}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--page-kb", type=float)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "mitnutzung"))
    ap.add_argument("--work", default=os.environ.get("BENCH_DIR", "/dev/shm"))
    args = ap.parse_args()
    print(f"{'pages':>6} {'search':>6} {'wall s':>7} {'RSS MB':>7} {'files':>6}")
    for n in args.pages:
        site = os.path.join(args.work, f"search-cost-{n}")
        gen = [sys.executable, os.path.join(HERE, "gen_site.py"), "--pages", str(n), "--out", site]
        if args.page_kb:
            gen += ["--page-kb", str(args.page_kb)]
        subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(args.work, f"search-cost-{n}-out")
        results = {True: [], False: []}
        for _ in range(args.runs):
            for on in (False, True):
                set_search(site, on)
                shutil.rmtree(out, ignore_errors=True)
                results[on].append(run([args.bin, "build", "--root", site, "--output", out]))
        index = os.path.join(out, "pagefind")
        files = sum(len(f) for _, _, f in os.walk(index))
        med = {on: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r))
               for on, r in results.items()}
        for on in (False, True):
            print(f"{n:>6} {('on' if on else 'off'):>6} {med[on][0]:>7.2f} {med[on][1]:>7.0f} "
                  f"{(files if on else 0):>6}")
        print(f"{n:>6} {'cost':>6} {med[True][0] - med[False][0]:>+7.2f} "
              f"{med[True][1] - med[False][1]:>+7.0f}")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
