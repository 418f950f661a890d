"""Reading an annex JSON file (format in reviews/README.md) into checked, plain data.

Validation collects every problem with its path in the file, so one run shows them all; the
writing is done by reviews.services.annex_import, only once the whole file is good.
"""

import json
import re
from dataclasses import dataclass

from boroughs.text import control_characters

from . import text as celltext

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_TEXT = 20000
MAX_NAME = 200


class AnnexFileError(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    heading: str


@dataclass(frozen=True)
class RowSpec:
    project: str
    cells: dict


@dataclass(frozen=True)
class BoroughSpec:
    name: str
    annual: dict
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class AnnexSpec:
    label: str
    title: str
    introduction: str
    financial_year: str
    columns: tuple[ColumnSpec, ...]
    boroughs: tuple[BoroughSpec, ...]


def load(raw):
    """Parse and check the file's bytes or text. Raises AnnexFileError listing every problem."""
    try:
        data = json.loads(raw)
    except UnicodeDecodeError as error:
        raise AnnexFileError([f"(file): not UTF-8 text ({error.reason} at byte {error.start})"]) from None
    except json.JSONDecodeError as error:
        raise AnnexFileError(
            [f"(file): not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"]
        ) from None
    return validate(data)


def validate(data):
    problems = []
    checker = _Checker(problems)
    spec = checker.annex(data)
    if problems:
        raise AnnexFileError(problems)
    return spec


class _Checker:
    def __init__(self, problems):
        self.problems = problems

    def problem(self, path, message):
        self.problems.append(f"{path}: {message}")

    def text(self, value, path, *, required=False, max_length=MAX_TEXT, single_line=False):
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.problem(path, "expected text")
            return ""
        if required and not value.strip():
            self.problem(path, "must not be empty")
        if len(value) > max_length:
            self.problem(path, f"too long ({len(value)} characters, at most {max_length})")
        if single_line and "\n" in value:
            self.problem(path, "must be on one line")
        found = control_characters(value)
        if found:
            self.problem(path, f"contains control characters: {', '.join(found)}")
        return value.strip() if single_line else celltext.normalise(value)

    def obj(self, value, path, *, allowed, required=()):
        if not isinstance(value, dict):
            self.problem(path, "expected an object")
            return None
        for key in value:
            if key not in allowed:
                self.problem(f"{path}.{key}" if path != "(file)" else key, "unknown field")
        for key in required:
            if key not in value:
                self.problem(f"{path}.{key}" if path != "(file)" else key, "required")
        return value

    def annex(self, data):
        top = self.obj(
            data,
            "(file)",
            allowed={"label", "title", "introduction", "financial_year", "columns", "boroughs", "notes"},
            required=("financial_year", "title", "columns", "boroughs"),
        )
        if top is None:
            return None
        label = self.text(top.get("label", "Annex 1"), "label", required=True, max_length=50, single_line=True)
        title = self.text(top.get("title"), "title", required="title" in top, max_length=300, single_line=True)
        introduction = self.text(top.get("introduction"), "introduction")
        year = top.get("financial_year")
        if "financial_year" in top and not (isinstance(year, str) and _is_year_label(year)):
            self.problem("financial_year", 'expected a financial year like "2015-16"')
        notes = top.get("notes")
        if notes is not None and not (isinstance(notes, list) and all(isinstance(n, str) for n in notes)):
            self.problem("notes", "expected a list of text")
        columns = self.columns(top.get("columns"))
        keys = [c.key for c in columns]
        boroughs = self.boroughs(top.get("boroughs"), keys)
        return AnnexSpec(label, title, introduction, year, tuple(columns), tuple(boroughs))

    def columns(self, value):
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.problem("columns", "expected a list of at least one column")
            return []
        columns, seen = [], set()
        for index, item in enumerate(value):
            path = f"columns[{index}]"
            if self.obj(item, path, allowed={"key", "heading"}, required=("key", "heading")) is None:
                continue
            key = item.get("key")
            if not (isinstance(key, str) and KEY_PATTERN.match(key)):
                self.problem(f"{path}.key", "expected a short name of lower-case letters, digits, - or _")
                continue
            if key in seen:
                self.problem(f"{path}.key", f'"{key}" is used by another column')
                continue
            seen.add(key)
            heading = self.text(
                item.get("heading"), f"{path}.heading", required=True, max_length=200, single_line=True
            )
            columns.append(ColumnSpec(key, heading))
        return columns

    def cells(self, value, path, keys):
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, "expected an object of column key to text")
            return {}
        cells = {}
        for key, text in value.items():
            if key not in keys:
                self.problem(f"{path}.{key}", f'unknown column "{key}" (the columns are {", ".join(keys)})')
                continue
            cells[key] = self.text(text, f"{path}.{key}")
        return cells

    def boroughs(self, value, keys):
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.problem("boroughs", "expected a list of at least one borough")
            return []
        boroughs, seen = [], set()
        for index, item in enumerate(value):
            path = f"boroughs[{index}]"
            if self.obj(item, path, allowed={"name", "annual", "rows"}, required=("name", "rows")) is None:
                continue
            name = self.text(
                item.get("name"), f"{path}.name", required="name" in item, max_length=100, single_line=True
            )
            if name and name.lower() in seen:
                self.problem(f"{path}.name", f'"{name}" appears twice')
            seen.add(name.lower())
            annual = self.cells(item.get("annual"), f"{path}.annual", keys)
            rows = []
            raw_rows = item.get("rows")
            if "rows" in item and not isinstance(raw_rows, list):
                self.problem(f"{path}.rows", "expected a list of rows")
                raw_rows = []
            for row_index, row in enumerate(raw_rows or []):
                row_path = f"{path}.rows[{row_index}]"
                if self.obj(row, row_path, allowed={"project", "cells"}, required=("cells",)) is None:
                    continue
                project = self.text(row.get("project"), f"{row_path}.project", max_length=MAX_NAME, single_line=True)
                rows.append(RowSpec(project, self.cells(row.get("cells"), f"{row_path}.cells", keys)))
            boroughs.append(BoroughSpec(name, annual, tuple(rows)))
        return boroughs


def _is_year_label(label):
    start, _, end = label.partition("-")
    return (
        len(start) == 4 and len(end) == 2 and start.isdigit() and end.isdigit() and (int(start) + 1) % 100 == int(end)
    )
