"""Spreadsheet imports: an officer's quarter (quarter.py) and an OPCC admin's year of projects (projects.py).

Both follow one shape: upload → a SpreadsheetImport row holding the file → a preview built by reading it again
(nothing applied) → confirm, which applies every row in one transaction through the same services as the forms,
or nothing. `reading.py` opens a workbook safely (type from content, size cap, formulas refused, rows bounded).
"""
