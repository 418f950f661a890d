"""Issue 12: every key page makes the same number of queries at two sizes of data.

The pages, their objects and their personas are the benchmark's own (`reviews.bench.pages.key_pages`: the
heaviest draft, the latest frozen return with the most projects, the roll-up with the most rows, …), so what
is asserted here is what `make bench` measures. Each size is `seed_scale`'s synthetic data, rolled back
afterwards, with every state a page can meet (checked by `assert_mixed`): draft, submitted, changes requested
with its decision, resubmitted and accepted returns, a quarter not yet opened, a closed year, open and resolved
flags, roll-ups and a published annex version.

Each page is loaded once to warm what a process keeps (templates, the chart drawings), then counted with the
shared cache emptied, so the board view's kept figures cannot hide the work of building them.
"""

from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from returns.charts import pages as chart_pages
from returns.models import FinancialYear, Indicator, ReportingPeriod, Return
from reviews.bench.pages import key_pages
from reviews.models import AnnexVersion, BoroughRollUp, Decision, Flag

pytestmark = pytest.mark.django_db

SIZES = {"small": 5, "large": 12}  # boroughs; two years each
YEARS = 2
SEED = 3  # at both sizes its random mix has returns in every state and flags both open and resolved

KEY_PAGES = [
    "Officer task list",
    "Check answers",
    "Reviewer grid",
    "Reviewer return page",
    "History tab",
    "Roll-up page",
    "Annex preview",
    "Thematic view",
    "Search ?q=domestic",
    "Annex list",
    "Period page",
    "Board view",
]


def assert_mixed():
    """The data holds every state the key pages show differently."""
    statuses = set(Return.objects.values_list("status", flat=True))
    assert statuses >= set(Return.Status.values), statuses
    assert Decision.objects.filter(kind=Decision.Kind.REQUEST_CHANGES).exists()
    current = FinancialYear.current()
    assert current is not None
    # seed_scale files returns for the quarters begun by today: from January to March all four have begun.
    today = timezone.localdate()
    if today < current.start_date.replace(year=current.start_date.year + 1, month=1, day=1):
        assert current.periods.filter(start_date__gt=today).exists()  # a quarter not yet open, with no returns
    assert FinancialYear.objects.filter(closed_at__isnull=False).exists()
    assert ReportingPeriod.objects.filter(closed_at__isnull=False).exists()
    assert {Flag.Status.OPEN, Flag.Status.RESOLVED} <= set(Flag.objects.values_list("status", flat=True))
    assert BoroughRollUp.objects.exists()
    assert AnnexVersion.objects.exists()


def measure(boroughs):
    """{page name: (status code, queries)} with `boroughs` boroughs of seed_scale data, rolled back afterwards."""
    found = {}
    with transaction.atomic():
        call_command("seed_scale", boroughs=boroughs, years=YEARS, seed=SEED, skip_checks=True, stdout=StringIO())
        assert_mixed()
        pages, users, _notes = key_pages()
        for page in pages:
            # A page that fails fails its own test (status 500), not every page's.
            client = Client(raise_request_exception=False)
            client.force_login(users[page.persona])
            client.get(page.url)
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.url)
            found[page.name] = (response.status_code, len(captured))
        cache.clear()
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return {size: measure(boroughs) for size, boroughs in SIZES.items()}


@pytest.mark.parametrize("name", KEY_PAGES)
def test_the_same_number_of_queries_at_both_sizes(counts, name):
    small, large = counts["small"].get(name), counts["large"].get(name)
    assert small is not None, f"{name} is not among the benchmark's key pages"
    assert large is not None, f"{name} is not among the benchmark's key pages"
    assert small[0] == large[0] == 200
    assert small[1] == large[1], (
        f"{name}: {small[1]} queries with {SIZES['small']} boroughs, {large[1]} with {SIZES['large']}"
    )


def test_every_key_page_is_measured(counts):
    assert sorted(counts["small"]) == sorted(KEY_PAGES)
    assert sorted(counts["large"]) == sorted(KEY_PAGES)


# The reviewer's return page spends its time drawing its indicators' charts (returns/charts/pages.py): each is kept
# per process, keyed by everything it shows, so a figure or target that changes is drawn afresh.


@pytest.fixture
def drawn(monkeypatch):
    calls = []
    draw = chart_pages.indicator_chart

    def counting(indicator, **options):
        calls.append(indicator.pk)
        return draw(indicator, **options)

    monkeypatch.setattr(chart_pages, "indicator_chart", counting)
    return calls


def _indicator(pk):
    # Unsaved, like the ones a submitted return's snapshot gives; a pk no other test draws.
    return Indicator(pk=pk, name="Referrals received", minimum_target=D("100"), aspirational_target=D("150"))


def test_a_chart_is_drawn_once_for_the_same_figures(drawn):
    year = FinancialYear(pk=1, label="2026-27", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31))
    indicator = _indicator(990001)
    actuals = {(indicator.pk, year.pk): {1: D("30")}}
    first = chart_pages._trend(indicator, actuals, year, None, compact=True, this_quarter=(2, D("45")))
    again = chart_pages._trend(_indicator(990001), actuals, year, None, compact=True, this_quarter=(2, D("45")))
    assert again is first
    assert drawn == [990001]
    assert first.series["2026-27 year to date"] == [D("30"), D("75"), None, None]


def test_a_chart_is_drawn_afresh_when_a_figure_or_target_changes(drawn):
    year = FinancialYear(pk=1, label="2026-27", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31))
    indicator = _indicator(990002)
    actuals = {(indicator.pk, year.pk): {1: D("30")}}
    chart_pages._trend(indicator, actuals, year, None, compact=True, this_quarter=(2, D("45")))
    other_figure = chart_pages._trend(indicator, actuals, year, None, compact=True, this_quarter=(2, D("50")))
    assert other_figure.series["2026-27 year to date"] == [D("30"), D("80"), None, None]
    indicator.aspirational_target = D("400")
    other_target = chart_pages._trend(indicator, actuals, year, None, compact=True, this_quarter=(2, D("50")))
    assert other_target.series["Aspirational target"] != other_figure.series["Aspirational target"]
    wide = chart_pages._trend(indicator, actuals, year, None, compact=False, this_quarter=(2, D("50")))
    assert wide is not other_target
    assert drawn == [990002] * 4


def test_only_the_latest_charts_are_kept(drawn, monkeypatch):
    monkeypatch.setattr(chart_pages, "REMEMBERED_CHARTS", 2)
    year = FinancialYear(pk=1, label="2026-27", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31))
    for pk in (990003, 990004, 990005, 990003):
        chart_pages._trend(_indicator(pk), {}, year, None)
    assert drawn == [990003, 990004, 990005, 990003]  # 990003 was dropped to keep two
    assert len(chart_pages._charts) <= 2
