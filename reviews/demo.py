"""Demo data for `manage.py seed_demo`: the real 2015-16 annex, shipped with the app."""

from pathlib import Path

from django.contrib.auth import get_user_model

from .annex.importer import load
from .export_services import export_request_once
from .models import Annex
from .services import annex_import

DEMO_ANNEX = Path(__file__).resolve().parent / "demo_data" / "annex-2015-16.json"


def seed_annex():
    """Import the 2015-16 annex; a second run changes nothing."""
    return annex_import(spec=load(DEMO_ANNEX.read_bytes()))


def seed_annex_export():
    """Queue a PDF of the 2015-16 draft, asked for by the demo reviewer, so `make run` shows the worker at work.

    Idempotent: a PDF that is already waiting, being made or ready is kept (a failed one is tried again).
    The task is enqueued when seed_demo's transaction commits; the worker `make run` starts picks it up.
    """
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    annex = Annex.objects.filter(financial_year__label="2015-16").first()
    if reviewer is None or annex is None:
        return None
    return export_request_once(annex=annex, fmt="pdf", by=reviewer)
