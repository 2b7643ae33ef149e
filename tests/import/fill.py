#!/usr/bin/env python3
"""Fill a generated questionnaire as Excel or LibreOffice would: with
openpyxl, a third-party writer, by the workbook's defined names.

    fill.py TEMPLATE.xlsx OUT.xlsx VALUES.json [MORE.json ...]

Later files change earlier ones: their "cells" and "sheet" replace single
values, "unset" lists defined names left empty, "pvog" replaces the
table, and "foreign": true writes an unrelated workbook instead.

VALUES.json: {"cells": {"kommune": "Gera", "ags": 16052000, ...},
              "pvog": [["99...", null, "Gera", "160520000000", "https://..."]],
              "sheet": {"Fragebogen!E1": "x"}}
A value {"date": "2026-12-02"} is written as a real date (a serial with a
date format), a number as a number, a text starting with "=" as a formula.
"""
import datetime
import json
import sys

import openpyxl


def value(v):
    if isinstance(v, dict) and "date" in v:
        return datetime.datetime.fromisoformat(v["date"])
    return v


def merged(paths):
    values = {"cells": {}, "sheet": {}, "pvog": []}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            more = json.load(f)
        values["cells"].update(more.get("cells", {}))
        values["sheet"].update(more.get("sheet", {}))
        for name in more.get("unset", []):
            values["cells"].pop(name, None)
        if "pvog" in more:
            values["pvog"] = more["pvog"]
        values["foreign"] = more.get("foreign", False)
    return values


def main(template, out, *paths):
    values = merged(paths)
    if values["foreign"]:
        wb = openpyxl.Workbook()
        wb.active["A1"] = "Haushaltsplan 2027"
        wb.save(out)
        return
    wb = openpyxl.load_workbook(template)
    for name, v in values.get("cells", {}).items():
        defined = wb.defined_names[name]
        for sheet, ref in defined.destinations:
            wb[sheet][ref.replace("$", "")] = value(v)
    for i, row in enumerate(values.get("pvog", [])):
        sheet, ref = next(wb.defined_names["pvog"].destinations)
        first = ref.replace("$", "").split(":")[0]
        start_row = int("".join(c for c in first if c.isdigit()))
        for j, v in enumerate(row):
            if v is not None:
                wb[sheet].cell(row=start_row + i, column=1 + j, value=value(v))
    for place, v in values.get("sheet", {}).items():
        sheet, ref = place.split("!")
        wb[sheet][ref] = value(v)
    wb.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
