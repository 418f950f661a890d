"""Tabular views of the assembled annex shared by the XLSX and CSV exports.

DATA_SHEETS lists the analysts' data sheets. Each is (name, function(annex) -> (header, rows)); later
features (indicators, quarterly actuals, RAG, flags) add theirs here once their data is in the
assembled annex, and both exports pick them up.
"""

# Spreadsheet programs treat a cell starting with these as a formula (or a prompt to start one).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_text(cell):
    """A cell as one spreadsheet value, in the reviewers' own plain-text form (blank lines, "- " items)."""
    return cell.display_text


def annex_layout(annex, section):
    """One borough's table as printed: the column headings, then a row per printed row."""
    header = [column.heading for column in annex.columns]
    return header, [[cell_text(cell) for cell in row.cells] for row in section.printed_rows]


def annex_rows(annex):
    """Every printed row of every borough, one line each, for the CSV and the 'Annex rows' sheet."""
    header = ["Borough", "Row", "Project", *[column.heading for column in annex.columns]]
    rows = []
    for section in annex.boroughs:
        for row in section.printed_rows:
            # The Row column holds numbers only (analysts sort and filter on it): the annual row has none.
            position, project = (None, row.label) if row.is_annual else (row.position, row.project_name)
            rows.append([section.name, position, project, *[cell_text(cell) for cell in row.cells]])
    return header, rows


def projects(annex):
    header = ["Borough", "Project", "Delivery partner", "Status", "Row", "In the annex", "Reason hidden"]
    rows = []
    for section in annex.boroughs:
        for row in section.rows:
            rows.append(
                [
                    section.name,
                    row.project_name,
                    row.delivery_partner,
                    row.project_status,
                    row.position,
                    "No" if row.hidden else "Yes",
                    row.hidden_reason,
                ]
            )
    return header, rows


DATA_SHEETS = [
    ("Annex rows", annex_rows),
    ("Projects", projects),
]
