"""Writes households.xls, the Excel 97-2003 fixture of tests/spreadsheets.rs (rust_xlsxwriter
writes only .xlsx, and the .ods fixtures are written by the tests themselves).

Run from this folder with `pip install xlwt` done: python3 make_xls.py
"""
import datetime

import xlwt

book = xlwt.Workbook(encoding="utf-8")

# A valid table: text ids, numeric coordinates, a Persian region, one id typed as a number.
sheet = book.add_sheet("households")
header = ["household_id", "lon", "lat", "households", "استان"]
for c, name in enumerate(header):
    sheet.write(0, c, name)
rows = [
    ("h1", 50.001, 36.201, 1, "قزوین"),
    ("h2", 50.002, 36.202, 2, "قزوین"),
    (3, 50.003, 36.203, 1, "زنجان"),
    ("h4", "۵۰٫۰۰۴", "36.204", "۱", "زنجان"),
]
for r, row in enumerate(rows, start=1):
    for c, value in enumerate(row):
        sheet.write(r, c, value)

# The same header with a merged data cell (a region written once for two rows) and a
# date where a latitude should be.
bad = book.add_sheet("merged")
for c, name in enumerate(header):
    bad.write(0, c, name)
bad.write(1, 0, "h1")
bad.write(1, 1, 50.001)
bad.write(1, 2, 36.201)
bad.write(1, 3, 1)
bad.write(2, 0, "h2")
bad.write(2, 1, 50.002)
bad.write(2, 2, datetime.date(1900, 2, 5), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
bad.write(2, 3, 1)
bad.write_merge(1, 2, 4, 4, "قزوین")

book.save("households.xls")
