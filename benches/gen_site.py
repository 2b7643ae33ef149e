#!/usr/bin/env python3
"""Deterministic generator of synthetic sites in the mitnutzung site format.

    python3 benches/gen_site.py --pages 10000 --out /tmp/site-10k

writes a complete site — the bundled site's content/ (home, four steps, two
services, data, mandatory pages) without its municipalities — plus N plain pages of German guidance text under
content/seiten/: headings, lists, a table, internal links, and a fenced XML
block in every tenth page. The same arguments always give the same bytes.
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


def skeleton(out):
    """The bundled site's content (steps, services, data, pages), without its municipalities."""
    here = os.path.dirname(os.path.abspath(__file__))
    content = os.path.join(here, "..", "content")
    shutil.copytree(content, os.path.join(out, "content"), ignore=shutil.ignore_patterns("kommunen"))
    os.makedirs(os.path.join(out, "content", "kommunen"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    skeleton(args.out)
    folder = os.path.join(args.out, "content", "seiten")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(args.seed)
    for i in range(args.pages):
        with open(os.path.join(folder, f"seite-{i:05d}.md"), "w", encoding="utf-8") as f:
            f.write(page(rng, i))
    # the last page links to the first, so every link resolves
    last = os.path.join(folder, f"seite-{args.pages - 1:05d}.md")
    with open(last, encoding="utf-8") as f:
        text = f.read()
    with open(last, "w", encoding="utf-8") as f:
        f.write(text.replace(f"seite-{args.pages:05d}.md", "seite-00000.md"))
    print(f"{args.pages} Seiten nach {args.out} geschrieben")


if __name__ == "__main__":
    main()
