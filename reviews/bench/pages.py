"""The key pages, who opens them, and their in-process timings (the Django test client, signed in).

The objects are chosen from whatever data is loaded (the demo, or the demo plus seed_scale), always the
heaviest of their kind: the draft with the most projects, the frozen return with the most, the year's
annex with the most boroughs, so the same command measures both data sets.
"""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER
from returns.models import FinancialYear, PlanPriority, ReportingPeriod, Return
from reviews.charts import ANNEX_CHART_BOROUGHS, board_charts
from reviews.models import Annex, BoroughRollUp
from reviews.selectors.board import board_view_data

from .stats import median, percentile


@dataclass
class Page:
    name: str
    persona: str  # "officer", "reviewer" or "admin"
    url: str


def personas():
    """The first reviewer who is not an admin, the first admin: the demo's `reviewer` and `opcc.admin`."""
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    return {
        "reviewer": users.filter(groups__name=OPCC_REVIEWER).exclude(groups__name=OPCC_ADMIN).first(),
        "admin": users.filter(groups__name=OPCC_ADMIN).first(),
    }


def officer_of(borough):
    """An officer of this borough only, as the officer's pages are meant."""
    officers = get_user_model().objects.filter(is_active=True, groups__name=CSP_OFFICER, memberships__borough=borough)
    return officers.annotate(boroughs=Count("memberships")).order_by("boroughs", "pk").first()


def key_pages():
    """([Page], {persona: user}, [notes]): every key page that exists with this data, and why any is missing."""
    users, pages, notes = personas(), [], []
    year = FinancialYear.current()
    with_updates = Return.objects.annotate(n=Count("project_updates")).select_related("borough", "period__year")
    draft = with_updates.filter(status=Return.Status.DRAFT).order_by("-period__start_date", "-n", "pk").first()
    if draft:
        users["officer"] = officer_of(draft.borough)
        pages += [
            Page("Officer task list", "officer", reverse("return_detail", args=[draft.pk])),
            Page("Check answers", "officer", reverse("return_check", args=[draft.pk])),
        ]
    else:
        notes.append("no draft return: officer pages skipped")
    pages.append(Page("Reviewer grid", "reviewer", reverse("reviews:grid")))
    frozen = (
        with_updates.filter(status__in=Return.FROZEN, snapshot__isnull=False)
        .order_by("-period__start_date", "-n", "pk")
        .first()
    )
    if frozen:
        pages += [
            Page("Reviewer return page", "reviewer", reverse("reviews:return", args=[frozen.pk])),
            Page("History tab", "reviewer", reverse("reviews:return_history", args=[frozen.pk])),
        ]
    else:
        notes.append("no submitted return with a snapshot: reviewer return page and History tab skipped")
    annex = (
        Annex.objects.annotate(boroughs=Count("financial_year__rollups"))
        .select_related("financial_year")
        .order_by("-boroughs", "-financial_year__start_date")
        .first()
    )
    if annex:
        label = annex.financial_year.label
        rollup = (
            BoroughRollUp.objects.filter(financial_year=annex.financial_year)
            .annotate(n=Count("rows"))
            .select_related("borough")
            .order_by("-n", "borough__name")
            .first()
        )
        if rollup:
            pages.append(
                Page("Roll-up page", "reviewer", reverse("reviews:rollup", args=[rollup.borough.slug, label]))
            )
        pages.append(Page("Annex preview", "reviewer", reverse("reviews:annex_preview", args=[label])))
    else:
        notes.append("no annex: roll-up page and annex preview skipped")
    # The year's priority with the most projects (with seed_scale, one of its plan's, not the demo plan's).
    priority = (
        PlanPriority.objects.for_year(year).annotate(n=Count("projects")).order_by("-n", "pk").first()
        if year
        else None
    )
    if priority:
        pages.append(Page("Thematic view", "reviewer", f"{reverse('reviews:thematic')}?priority={priority.pk}"))
    else:
        notes.append("no open year with a plan: thematic view skipped")
    pages += [
        Page("Search ?q=domestic", "reviewer", f"{reverse('reviews:search')}?q=domestic"),
        Page("Annex list", "reviewer", reverse("reviews:annex_list")),
    ]
    period = ReportingPeriod.objects.filter(year=year).order_by("-quarter").first() if year else None
    if period:
        pages.append(Page("Period page", "admin", reverse("period_edit", args=[period.pk])))
    else:
        notes.append("no open year: period page skipped")
    try:
        pages.append(Page("Board view", "reviewer", reverse("reviews:board")))
    except NoReverseMatch:
        notes.append("no URL named reviews:board (issue 13's board view) yet: skipped")
    return pages, users, notes


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def time_page(client, url, *, runs, budget):
    """Status, query count, median and p95 in ms: one counted request (which also warms the caches), then up to
    `runs` timed ones: at least three, and no more once `budget` seconds are spent (the slow pages at scale)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # Read now: the captured list is a view of the connection's log, which the next request clears.
    queries = len(captured)
    if response.status_code != 200:
        return {"status": response.status_code}
    timings, started = [], time.perf_counter()
    while len(timings) < runs and (len(timings) < 3 or time.perf_counter() - started < budget):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "status": 200,
        "queries": queries,
        "median": median(timings),
        "p95": percentile(timings, 95),
        "runs": len(timings),
        "bytes": len(response.content),
    }


def time_board(*, runs=3):
    """The board view's figures and charts worked out afresh (what a cold cache costs), and the annex appendix
    rendered from them (figures, charts and HTML), for the year with the most boroughs: median seconds of `runs`."""
    annex = Annex.objects.annotate(boroughs=Count("financial_year__rollups")).order_by("-boroughs").first()
    year = annex.financial_year if annex else FinancialYear.objects.order_by("-start_date").first()
    if year is None:
        return None
    worked, rendered = [], []
    for _ in range(runs):
        start = time.perf_counter()
        data = board_view_data(year=year)
        charts = board_charts(data, prefix="appendix", most=ANNEX_CHART_BOROUGHS)
        worked.append(time.perf_counter() - start)
        html = render_to_string("reviews/board/_appendix.html", {"board": data, "charts": charts})
        rendered.append(time.perf_counter() - start)
    return {
        "year": year.label,
        "boroughs": len(data.evidence),
        "worked_out_s": median(worked),
        "appendix_s": median(rendered),
        "appendix_kib": len(html) // 1024,
    }
