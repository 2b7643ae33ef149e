#!/usr/bin/env python3
"""Read a generated Anbindungsfragebogen with openpyxl (a third-party reader)
and print what the Rust tests compare with the definition, as JSON:
sheets, defined names with their cells, each input cell's label, number
format, lock and data validation, the PVOG table and sheet protection.

    python3 tests/questionnaire/read_workbook.py FILE.xlsx
"""

import json
import sys

import openpyxl


def validations(ws):
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            first = rng.split(":")[0]
            found[first] = {
                "range": rng,
                "type": dv.type,
                "formula": dv.formula1,
                "formula2": dv.formula2,
                "title": dv.promptTitle,
                "prompt": dv.prompt,
                "error": dv.error,
                "error_style": dv.errorStyle,
            }
    return found


def main(path):
    wb = openpyxl.load_workbook(path)
    names = {}
    for name, dn in wb.defined_names.items():
        (sheet, ref), = list(dn.destinations)
        names[name] = {"sheet": sheet, "ref": ref.replace("$", "")}
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = {
            "protected": bool(ws.protection.sheet),
            "insert_rows_locked": bool(ws.protection.insertRows),
            "validations": validations(ws),
            "hidden_columns": sorted(k for k, d in ws.column_dimensions.items() if d.hidden),
        }
    main_ws = wb["Fragebogen"]
    inputs = {}
    for name, where in names.items():
        if where["sheet"] != "Fragebogen" or ":" in where["ref"]:
            continue
        cell = main_ws[where["ref"]]
        label = main_ws.cell(row=cell.row, column=1).value
        inputs[name] = {
            "cell": where["ref"],
            "label": label,
            "value": cell.value,
            "format": cell.number_format,
            "locked": cell.protection.locked,
        }
    pvog = []
    pvog_intro = None
    if "PVOG-Links" in wb.sheetnames:
        ws = wb["PVOG-Links"]
        pvog_intro = ws["A2"].value
        for row in ws.iter_rows(min_row=4, max_row=ws.max_row, values_only=True):
            pvog.append(list(row))
    props = wb.properties
    print(json.dumps({
        "sheets": wb.sheetnames,
        "names": names,
        "inputs": inputs,
        "pvog": pvog,
        "pvog_intro": pvog_intro,
        "label_locked": main_ws["A6"].protection.locked,
        "created": props.created.isoformat() if props.created else None,
        "creator": props.creator,
        "sheet_info": sheets,
        "notes": [r[0] for r in wb["Hinweise"].iter_rows(values_only=True) if r[0]],
    }, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
