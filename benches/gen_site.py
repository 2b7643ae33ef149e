#!/usr/bin/env python3
"""Deterministic generator of synthetic sites in the mitnutzung site format.

    python3 benches/gen_site.py --pages 10000 --out /tmp/site-10k
    python3 benches/gen_site.py --pages 10000 --page-kb 7.5 --out /tmp/site-75mb

writes a complete site — the bundled site's content/ (home, four steps, two
services, data, mandatory pages) without its municipalities — plus N plain
pages of German guidance text under content/seiten/: headings, lists, a
table, internal links, and a fenced XML block in every tenth page (about
2.5 KB each). With --page-kb K every page is filled up with further sections
(headings, numbered and plain lists, tables, links to other pages and their
headings, one more fenced XML block in every fifth page) to about K kilobytes
(1 KB = 1,000 bytes of UTF-8): 10,000 pages of 7.5 KB make 75 MB. The same
arguments always give the same bytes; without --page-kb the output is what it
was before the option existed.

The site has `search: false` (the speed targets are measured without the
search index; benches/search_cost.py measures what it adds) unless
`--search on` is given.
"""
import argparse
import os
import random
import shutil

WORDS = (
    "Antrag Kommune Onlinedienst Beistandschaft Jugendamt Verwaltung Fragebogen Funktionspostfach "
    "Leistung Schlüssel Eintragung Landesredaktion Betrieb Anbindung Datenschutzerklärung "
    "Zuständigkeit Erziehung Hilfe Familie Kind Portalverbund Organisationseinheit Testumgebung "
    "Ansprechperson Vereinbarung Nachnutzung Bürgerinnen Bürger dDatabox Zugang Prüfung Einrichtung"
).split()


def sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences=5):
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def section(rng, i, k):
    """One further section of page i: a heading, text, a list, a table or XML, links."""
    target = rng.randrange(0, i + 1)
    parts = [
        f"## Einzelheiten {k}: {rng.choice(WORDS)} und {rng.choice(WORDS)}",
        "",
        paragraph(rng, rng.randint(3, 5)),
        "",
    ]
    kind = k % 3
    if kind == 0:
        parts += [f"{n}. " + sentence(rng, 9) for n in range(1, 5)] + [""]
    elif kind == 1:
        parts += ["| Schritt | Zuständig | Frist |", "| --- | --- | --- |"]
        parts += [f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} | {rng.randint(2, 30)} Tage |" for _ in range(4)] + [""]
    else:
        parts += ["- " + sentence(rng, 7) for _ in range(3)] + [""]
    parts += [
        f"### Hinweise zu Abschnitt {k}",
        "",
        f"Siehe [Seite {target}](@/seiten/seite-{target:05d}.md#ueberblick) und den [Überblick](#ueberblick). " + sentence(rng, 12),
        "",
    ]
    if k == 4 and i % 5 == 0:  # some XML: one more block in every fifth page
        parts += ["```xml", f"<vorgang nr=\"{i}-{k}\">", f"  <kommune>{rng.choice(WORDS)}</kommune>",
                  f"  <frist tage=\"{rng.randint(2, 30)}\"/>", "</vorgang>", "```", ""]
    return "\n".join(parts)


def filled(rng, i, text, page_kb):
    """The page grown by further sections until it is about page_kb kilobytes."""
    target = int(page_kb * 1000)
    sections = []
    size = len(text.encode("utf-8"))
    k = 1
    while size < target:
        extra = section(rng, i, k) + "\n"
        if size + len(extra.encode("utf-8")) - target > target - size:
            break  # stopping here is closer to the target than one more section
        sections.append(extra)
        size += len(extra.encode("utf-8"))
        k += 1
    return text + "\n" + "".join(sections) if sections else text


def page(rng, i):
    parts = [
        "---",
        f"title: Hinweise zur Anbindung {i}",
        f"description: Synthetische Seite {i} für den Leistungsvergleich",
        "---",
        f"## Überblick {{#ueberblick}}",
        "",
        paragraph(rng),
        "",
        "- " + sentence(rng, 8),
        "- " + sentence(rng, 8),
        "- " + sentence(rng, 8),
        "",
        "## Schritte im Einzelnen",
        "",
        paragraph(rng),
        "",
        "| Angabe | Beispiel |",
        "| --- | --- |",
        f"| Organisationseinheit | L100012.OE.{225060530 + i} |",
        f"| Postfach | antraege-{i}@kommune.example |",
        "",
        f"Mehr dazu in [Schritt 2](@/schritte/02-informationen-hinterlegen.md#pvog) und auf [Seite {(i + 1) % 10_000_000}](@/seiten/seite-{(i + 1):05d}.md).",
        "",
        "## Häufige Fragen",
        "",
        paragraph(rng, 4),
        "",
    ]
    if i % 10 == 0:
        parts += ["```xml", f"<antrag id=\"{i}\">", "  <leistung>99072002077000</leistung>", "</antrag>", "```", ""]
    return "\n".join(parts)


# Gemeinden per Land (rounded, as of the 2020s), for a plausible "whole country".
LAENDER = [
    ("01", "Schleswig-Holstein", 1104), ("02", "Hamburg", 1), ("03", "Niedersachsen", 941),
    ("04", "Bremen", 2), ("05", "Nordrhein-Westfalen", 396), ("06", "Hessen", 421),
    ("07", "Rheinland-Pfalz", 2301), ("08", "Baden-Württemberg", 1101), ("09", "Bayern", 2056),
    ("10", "Saarland", 52), ("11", "Berlin", 1), ("12", "Brandenburg", 413),
    ("13", "Mecklenburg-Vorpommern", 726), ("14", "Sachsen", 418), ("15", "Sachsen-Anhalt", 218),
    ("16", "Thüringen", 605),
]
STATUSES = ["preparation", "information", "questionnaire", "commissioning", "live"]


def country(out, rng, services=10):
    """About 10,800 municipalities (every Gemeinde, with Land and a plausible AGS) x 10 services."""
    dienste = os.path.join(out, "content", "dienste")
    ids = ["beistandschaft", "hilfen-zur-erziehung"]
    for k in range(3, services + 1):
        ids.append(f"dienst-{k:02d}")
        with open(os.path.join(dienste, f"dienst-{k:02d}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\ntitle: Onlinedienst {k}\ntopic: Familie & Kind\nsummary: Synthetischer Dienst {k}.\n"
                    f"leikas: []\n"
                    f"mailbox: dienst-{k}@betriebskoordination.bremen.de\nweight: {k}\n---\n{paragraph(rng, 2)}\n")
    folder = os.path.join(out, "content", "kommunen")
    for code, land, count in LAENDER:
        for n in range(count):
            kreis, gemeinde = 1 + n // 120, 1 + n % 120
            lines = [f"name: Gemeinde {n + 1:04d} ({land})", f"state: {land}", f'ags: "{code}{n % 9}{kreis:02d}{gemeinde:03d}"', "example: true", "services:"]
            for sid in ids:
                steps = rng.randint(1, len(STATUSES))
                dates = sorted(f"20{rng.randint(24, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" for _ in range(steps))
                lines.append(f"  {sid}:")
                lines.append(f"    status: {STATUSES[steps - 1]}")
                lines.append(f"    since: {dates[-1]}")
                if steps > 1:
                    lines.append("    history:")
                    lines += [f"      - {{status: {STATUSES[i]}, since: {dates[i]}}}" for i in range(steps - 1)]
            with open(os.path.join(folder, f"{code}-{n + 1:04d}.yaml"), "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")


def skeleton(out):
    """The bundled site's content (steps, services, data, pages), without its municipalities."""
    here = os.path.dirname(os.path.abspath(__file__))
    content = os.path.join(here, "..", "content")
    shutil.copytree(content, os.path.join(out, "content"), ignore=shutil.ignore_patterns("kommunen"))
    os.makedirs(os.path.join(out, "content", "kommunen"))


def set_search(out, on):
    """`search:` in the site's site.yaml, replacing any the bundled one has."""
    path = os.path.join(out, "content", "site.yaml")
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if not l.startswith("search:")]
    lines.append(f"search: {'true' if on else 'false'}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--country", action="store_true", help="add ~10,800 municipalities x 10 services")
    parser.add_argument("--page-kb", type=float, default=None,
                        help="fill every page with further sections to about this size (e.g. 7.5); default: pages as they are (~2.5 KB)")
    parser.add_argument("--search", choices=["on", "off"], default="off",
                        help="the site's search index (default off: the speed targets are measured without it)")
    args = parser.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    skeleton(args.out)
    set_search(args.out, args.search == "on")
    folder = os.path.join(args.out, "content", "seiten")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(args.seed)
    for i in range(args.pages):
        text = page(rng, i)
        if args.page_kb:
            text = filled(rng, i, text, args.page_kb)
        with open(os.path.join(folder, f"seite-{i:05d}.md"), "w", encoding="utf-8") as f:
            f.write(text)
    if args.pages:
        # the last page links to the first, so every link resolves
        last = os.path.join(folder, f"seite-{args.pages - 1:05d}.md")
        with open(last, encoding="utf-8") as f:
            text = f.read()
        with open(last, "w", encoding="utf-8") as f:
            f.write(text.replace(f"seite-{args.pages:05d}.md", "seite-00000.md"))
    if args.country:
        country(args.out, rng)
    print(f"{args.pages} Seiten{' und das ganze Land' if args.country else ''} nach {args.out} geschrieben")


if __name__ == "__main__":
    main()
