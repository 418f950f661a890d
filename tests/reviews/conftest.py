"""Fixtures for the annex: the project's own copy of the 2015-16 annex, imported."""

import copy
import json

import pytest

from reviews.annex.importer import validate
from reviews.demo import DEMO_ANNEX
from reviews.models import Annex
from reviews.services import annex_import

COLUMN_KEYS = ["alignment", "performance", "innovation", "community", "marketing"]


@pytest.fixture(scope="session")
def seed_json():
    return json.loads(DEMO_ANNEX.read_text(encoding="utf-8"))


@pytest.fixture
def seed_data(seed_json):
    """A copy each test may change."""
    return copy.deepcopy(seed_json)


@pytest.fixture
def annex_2015(west_midlands, seed_json):
    annex_import(spec=validate(seed_json))
    return Annex.objects.select_related("financial_year").get(financial_year__label="2015-16")


def printed_cells(seed):
    """(borough index, row index, column index, text) for every non-empty cell of an annex file."""
    for b, borough in enumerate(seed["boroughs"]):
        for r, row in enumerate(borough["rows"]):
            for c, key in enumerate(COLUMN_KEYS):
                text = row["cells"].get(key, "")
                if text.strip():
                    yield b, r, c, text


def words(text):
    """Text as a reader sees it: list markers dropped, whitespace collapsed."""
    lines = [line[2:] if line.startswith("- ") else line for line in text.split("\n")]
    return " ".join(" ".join(lines).split())
