"""Demo data for `manage.py seed_demo`: the real 2015-16 annex, shipped with the app."""

from pathlib import Path

from .annex.importer import load
from .services import annex_import

DEMO_ANNEX = Path(__file__).resolve().parent / "demo_data" / "annex-2015-16.json"


def seed_annex():
    """Import the 2015-16 annex; a second run changes nothing."""
    return annex_import(spec=load(DEMO_ANNEX.read_bytes()))
