#!/usr/bin/env python3
"""Erzeugt die Anbindungsfragebögen des Mitnutzungsportals als Excel-Arbeitsmappen.

    pip install openpyxl
    python3 scripts/make_questionnaires.py

Schreibt:
    content/downloads/anbindungsfragebogen-beistandschaft.xlsx
    content/downloads/anbindungsfragebogen-hilfen-zur-erziehung.xlsx

Die Ausgabe ist byte-genau reproduzierbar: feste Dokumenteigenschaften
(Ersteller, Erstellungs- und Änderungsdatum) und feste Zeitstempel der
Einträge im ZIP-Container. Zwei Läufe ergeben dieselben Dateien
(prüfen mit `sha256sum content/downloads/*.xlsx`).

Die Felder folgen der Anleitung „In 4 Schritten zum Online-Dienst“, Schritt 3
(siehe content/schritte/03-fragebogen-ausfuellen.md). Die LeiKa-Schlüssel hier
müssen zu `leikas:` in content/dienste/<id>.md passen.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

try:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.writer.excel import ExcelWriter
except ImportError:  # pragma: no cover - Hinweis für Redakteur:innen
    sys.exit("openpyxl fehlt: bitte zuerst `pip install openpyxl` ausführen.")

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "content" / "downloads"

FIXED_TIME = dt.datetime(2026, 11, 28, 0, 0, 0)
ZIP_TIME = (2026, 11, 28, 0, 0, 0)
CREATOR = "Betriebskoordination Bremen"
SHEET = "Anbindungsfragebogen"

# Zeilen für PVOG-Links: so viele Kommunen je LeiKa-Schlüssel sind vorbereitet.
KOMMUNEN_JE_LEIKA = 3

SERVICES = [
    {
        "file": "anbindungsfragebogen-beistandschaft.xlsx",
        "title": "Beistandschaft",
        "mailbox": "beistandschaft@betriebskoordination.bremen.de",
        "contact_form": True,
        # (Schlüssel, Hinweis). Der Schlüssel ist das Beispiel aus der Anleitung
        # und noch nicht bestätigt (daten/leikas.yaml: confirmed: false).
        "leikas": [("99072002077000", "Beispiel aus der Anleitung, noch zu bestätigen")],
        # Platzhalter für weitere, noch nicht bestätigte Schlüssel.
        "leika_placeholders": 1,
    },
    {
        "file": "anbindungsfragebogen-hilfen-zur-erziehung.xlsx",
        "title": "Hilfen zur Erziehung",
        "mailbox": "hze@betriebskoordination.bremen.de",
        "contact_form": False,
        "leikas": [],  # noch zu bestätigen
        "leika_placeholders": 2,
    },
]


def rows_for(service: dict) -> list[tuple[str, str]]:
    """Die Tabelle als (Art, Text): 'section' = Zwischenüberschrift, 'field' = Angabe."""
    rows: list[tuple[str, str]] = []

    rows.append(("section", "1. Angaben zur Behörde"))
    rows += [
        ("field", "Adressdaten Amt: Bezeichnung der Behörde"),
        ("field", "Adressdaten Amt: Straße und Hausnummer"),
        ("field", "Adressdaten Amt: Postleitzahl und Ort"),
        ("field", "Zuständigkeitsbereich (alle Kommunen, für die das Amt zuständig ist)"),
        ("field", "Logo (Dateiname der Logo-Datei Ihrer Behörde)"),
        ("field", "Link zur Datenschutzerklärung Ihrer Behörde"),
        ("field", "Organisationseinheit-ID (aus dem Redaktionssystem Ihres Landes)"),
    ]

    rows.append(("section", "2. E-Mail-Adressen (bitte Funktionspostfächer angeben)"))
    rows.append(("field", "E-Mail-Adresse für Anträge/Anfragen aus der dDatabox"))
    if service["contact_form"]:
        rows.append((
            "field",
            "E-Mail-Adresse zur Kontaktaufnahme (Kontaktformular; "
            "bei identischem Postfach dieselbe Adresse eintragen)",
        ))
    else:
        rows.append(("field", "E-Mail-Adresse zur Kontaktaufnahme"))

    rows.append(("section", "3. PVOG-Links zur eingetragenen Leistung (je LeiKa-Schlüssel und Kommune ein Link)"))
    leikas = [f"LeiKa {key} ({note})" for key, note in service["leikas"]]
    for n in range(1, service["leika_placeholders"] + 1):
        label = "weiterer LeiKa-Schlüssel" if service["leikas"] else f"LeiKa-Schlüssel {n}"
        leikas.append(f"{label} (Schlüssel noch zu bestätigen, bitte eintragen)")
    for leika in leikas:
        for k in range(1, KOMMUNEN_JE_LEIKA + 1):
            rows.append(("field", f"PVOG-Link: {leika}, Kommune {k} (Name der Kommune und Link)"))
    rows.append(("note", "Weitere Kommunen oder LeiKa-Schlüssel: bitte weitere Zeilen einfügen."))

    rows.append(("section", "4. Kontaktpersonen"))
    for role in ("fachlich", "technisch"):
        for item in ("Name", "E-Mail-Adresse", "Telefonnummer"):
            rows.append(("field", f"Kontaktperson {role}: {item}"))

    rows.append(("section", "5. Bemerkungen"))
    rows.append(("field", "Offene Punkte oder Hinweise (z. B. Angaben, die noch folgen)"))
    return rows


def build_workbook(service: dict) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET

    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    section_fill = PatternFill("solid", fgColor="F2F2F2")
    input_fill = PatternFill("solid", fgColor="FFFDE7")
    thin = Side(style="thin", color="A6A6A6")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws.column_dimensions["A"].width = 62
    ws.column_dimensions["B"].width = 58

    ws["A1"] = f"Anbindungsfragebogen: {service['title']}"
    ws["A1"].font = title_font
    ws.merge_cells("A1:B1")

    ws["A2"] = "Onlinedienst aus dem Themenfeld Familie & Kind (Freie Hansestadt Bremen)"
    ws.merge_cells("A2:B2")

    ws["A3"] = (
        "Bitte tragen Sie Ihre Angaben in die Spalte „Ihre Eingabe“ ein. "
        "Erläuterungen zu jeder Angabe finden Sie im Mitnutzungsportal unter "
        "Schritt 3 „Fragebogen ausfüllen“. Fehlt eine Angabe noch, vermerken Sie "
        "das bitte unter „Bemerkungen“. Fragen beantwortet das Postfach "
        f"{service['mailbox']}."
    )
    ws["A3"].alignment = wrap
    ws.merge_cells("A3:B3")
    ws.row_dimensions[3].height = 62

    header = 5
    for col, text in (("A", "Angabe"), ("B", "Ihre Eingabe")):
        cell = ws[f"{col}{header}"]
        cell.value = text
        cell.font = bold
        cell.fill = header_fill
        cell.border = box
        cell.alignment = wrap

    row = header
    for kind, text in rows_for(service):
        row += 1
        a, b = ws[f"A{row}"], ws[f"B{row}"]
        a.value = text
        a.alignment = wrap
        b.alignment = wrap
        a.border = box
        b.border = box
        if kind == "section":
            a.font = bold
            a.fill = section_fill
            b.fill = section_fill
        elif kind == "note":
            a.font = Font(italic=True)
        else:
            b.fill = input_fill

    ws.freeze_panes = f"A{header + 1}"
    ws.print_title_rows = f"{header}:{header}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    props = wb.properties
    props.creator = CREATOR
    props.lastModifiedBy = CREATOR
    props.title = f"Anbindungsfragebogen {service['title']}"
    props.subject = "Nachnutzung der Onlinedienste aus dem Themenfeld Familie & Kind"
    props.language = "de-DE"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Schreibt die Mappe ohne openpyxl.save_workbook (das setzt `modified` auf
    die aktuelle Zeit) und packt den ZIP-Container mit festen Zeitstempeln neu."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()

    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            dst.writestr(fixed, src.read(info.filename), compresslevel=9)
    return out.getvalue()


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for service in SERVICES:
        data = workbook_bytes(build_workbook(service))
        path = OUT_DIR / service["file"]
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data)} Bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
