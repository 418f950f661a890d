"""Demo data for `manage.py seed_demo`: the real 2015-16 annex, and the 2026-27 Q1 returns reviewed.

Never called in production: the production settings refuse seed_demo.
"""

from pathlib import Path

from django.contrib.auth import get_user_model

from returns.models import FinancialYear, Return

from .annex.importer import load
from .models import Annex, AnnexColumn, ColumnCommentary, FlagType, Visibility
from .reference import ensure_flag_types
from .services import review as services
from .services.annex import annex_import
from .services.exports import export_request_once

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


# Judgements like those the OPCC wrote in the 2015-16 annex.
SHARED = {
    "alignment": "Clear links to the Plan's priorities on domestic abuse and young people.",
    "performance": (
        "Referrals are on track.\n\n- 82 of 131 referrals engaged regularly\n- Spend is in line with the profile"
    ),
    "community": "Good reach through road shows and social media.",
}
OPCC_ONLY = "Check whether these outcomes are also reported against the PCC's victims grant."
SEND_BACK = "walsall"
# More evidence-quality flags, open and already resolved, of several types, so the board view's map and the
# annex's performance summary have something to show: borough -> (flag type, on a column key or a project
# (None), resolved?).
MORE_FLAGS = {
    "birmingham": [("outcomes-not-quantified", None, True), ("double-counting", None, False)],
    "coventry": [("data-late", "marketing", True)],
    "dudley": [("outputs-only", None, False), ("outcomes-not-quantified", None, True)],
    "sandwell": [("no-information", "community", True)],
    "solihull": [("outcomes-not-quantified", None, False)],
    "wolverhampton": [("outputs-only", None, True), ("data-late", "marketing", False)],
}


def seed_reviews():
    """Accept most submitted Q1 returns, send one back, and leave open flags. Safe to run again."""
    reviewer = get_user_model().objects.filter(username="reviewer").first()
    year = FinancialYear.objects.filter(label=FinancialYear.label_for_start(2026)).first()
    if reviewer is None or year is None:
        return "no reviews (no reviewer or no 2026-27 returns)"
    ensure_flag_types(FlagType)
    columns = {c.key: c for c in AnnexColumn.ensure_for_year(year)}
    returns = Return.objects.filter(period__year=year, period__quarter=1, status=Return.Status.SUBMITTED)
    returns = list(returns.select_related("borough", "period").order_by("borough__name"))
    if not returns:
        return "no reviews (no submitted Q1 returns)"
    send_back = next((r for r in returns if r.borough.slug == SEND_BACK), returns[-1])
    for return_ in returns:
        _comment(return_, columns, reviewer)
        if return_ == send_back:
            services.flag_raise(
                return_=return_,
                flag_type=FlagType.objects.get(key="no-impact-assessment"),
                column=columns["performance"],
                note="There is no impact assessment or outcomes given for Local Delivery Group activity.",
                visibility=Visibility.SHARED,
                by=reviewer,
            )
            services.return_request_changes(
                return_=return_,
                by=reviewer,
                reason="Detailed outcomes not provided. Please add the outcomes for each project.",
                sections=["projects"],
            )
            continue
        if return_.borough.slug in ("coventry", "dudley"):
            services.flag_raise(
                return_=return_,
                flag_type=FlagType.objects.get(key="alignment-not-stated"),
                column=columns["alignment"],
                note="Few links are made to the PCC Police and Crime Plan.",
                visibility=Visibility.SHARED,
                by=reviewer,
            )
        _more_flags(return_, columns, reviewer)
        services.return_accept(return_=return_, by=reviewer)
    return f"{len(returns)} Q1 returns reviewed"


def _more_flags(return_, columns, reviewer):
    """Runs once per return: seed_demo reviews a submitted return only once (it is accepted afterwards)."""
    update = return_.project_updates.select_related("project").order_by("project__name").first()
    for key, column_key, resolved in MORE_FLAGS.get(return_.borough.slug, []):
        column = columns.get(column_key) if column_key else None
        if column is None and update is None:
            continue
        flag = services.flag_raise(
            return_=return_,
            flag_type=FlagType.objects.get(key=key),
            column=column,
            project=None if column else update.project,
            note="Raised for the demo.",
            visibility=Visibility.SHARED,
            by=reviewer,
        )
        if resolved:
            services.flag_resolve(flag=flag, by=reviewer, resolution="The partnership sent the evidence.")


def _comment(return_, columns, reviewer):
    for key, text in SHARED.items():
        if (
            key in columns
            and not ColumnCommentary.objects.filter(
                borough=return_.borough, period=return_.period, column=columns[key]
            ).exists()
        ):
            services.column_commentary_save(
                return_=return_,
                column=columns[key],
                text=text,
                rag="green" if key != "performance" else "amber",
                visibility=Visibility.SHARED,
                expected_version=0,
                by=reviewer,
            )
    if (
        "marketing" in columns
        and not ColumnCommentary.objects.filter(
            borough=return_.borough, period=return_.period, column=columns["marketing"]
        ).exists()
    ):
        services.column_commentary_save(
            return_=return_,
            column=columns["marketing"],
            text=OPCC_ONLY,
            rag="",
            visibility=Visibility.OPCC_ONLY,
            expected_version=0,
            by=reviewer,
        )
