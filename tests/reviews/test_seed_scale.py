"""manage.py seed_scale at a tiny size: what it makes, that the same seed makes the same data, and that it
refuses production and a second run."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from returns.models import FinancialYear, IndicatorActual, ProjectUpdate, Return
from reviews.models import AnnexVersion, BoroughRollUp, ColumnCommentary, Decision, RollUpCell

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_scale", boroughs=3, years=2, skip_checks=True, stdout=StringIO(), **options)


def rows(queryset):
    return sorted(queryset, key=str)


def fingerprint():
    """Everything that varies with the seed, without primary keys or timestamps."""
    returns = Return.objects.filter(borough__slug__startswith="scale-")
    return {
        "returns": rows(returns.values_list("borough__slug", "period__year__label", "period__quarter", "status")),
        "updates": rows(
            ProjectUpdate.objects.filter(return_of__in=returns).values_list(
                "return_of__borough__slug", "return_of__period__quarter", "project__name", "spend", "rag_override"
            )
        ),
        "actuals": rows(
            IndicatorActual.objects.filter(update__return_of__in=returns).values_list(
                "update__project__name", "indicator__name", "value"
            )
        ),
        "commentary": rows(
            ColumnCommentary.objects.filter(borough__slug__startswith="scale-").values_list(
                "borough__slug", "period__quarter", "column__key", "rag", "visibility"
            )
        ),
        "cells": RollUpCell.objects.filter(rollup__borough__slug__startswith="scale-").count(),
    }


def test_makes_boroughs_years_returns_reviews_rollups_and_one_published_annex():
    seed()
    returns = Return.objects.filter(borough__slug__startswith="scale-")
    labels = sorted(set(returns.values_list("period__year__label", flat=True)))
    assert len(labels) == 2
    past, current = labels
    # Every quarter of the past year, and the current year's quarters that have opened.
    assert returns.filter(period__year__label=past).count() == 3 * 4
    assert returns.filter(period__year__label=current).count() % 3 == 0
    statuses = set(returns.values_list("status", flat=True))
    assert Return.Status.ACCEPTED in statuses
    assert len(statuses) >= 2
    # Each borough funds 9 to 15 projects a year, and every return reports on each of them.
    assert ProjectUpdate.objects.filter(return_of__in=returns).count() >= 9 * returns.count()
    assert IndicatorActual.objects.filter(update__return_of__in=returns).exists()
    assert ColumnCommentary.objects.filter(borough__slug__startswith="scale-", visibility="opcc").exists()
    assert ColumnCommentary.objects.filter(borough__slug__startswith="scale-", visibility="shared").exists()
    assert Decision.objects.filter(return_of__in=returns, kind=Decision.Kind.ACCEPT).exists()
    # Both years' roll-ups, made by annex_start; the previous year's annex is published and the year closed.
    assert BoroughRollUp.objects.filter(borough__slug__startswith="scale-").count() == 3 * 2
    assert RollUpCell.objects.filter(rollup__borough__slug__startswith="scale-", row__isnull=False).exists()
    published = AnnexVersion.objects.get()
    assert published.annex.financial_year.label == past
    assert FinancialYear.objects.get(label=past).is_closed
    assert not FinancialYear.objects.get(label=current).is_closed
    # History rows, so the History tabs read tables of a realistic size; and real snapshots for the open year.
    assert Return.history.filter(id__in=returns.values("pk")).count() == returns.count()
    assert returns.filter(period__year__label=current, status__in=Return.FROZEN, snapshot__isnull=False).exists()


def test_the_same_seed_makes_the_same_data_and_another_seed_other_data():
    prints = []
    for seed_value in (7, 7, 8):
        with transaction.atomic():
            seed(seed=seed_value)
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert all(prints[0][key] for key in ("returns", "updates", "actuals", "commentary", "cells"))
    assert prints[0] != prints[2]


def test_refuses_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not allowed"):
        seed()
    assert not Return.objects.exists()


def test_refuses_a_second_run():
    seed()
    with pytest.raises(CommandError, match="already has seed_scale data"):
        seed()


def test_no_history_option_skips_the_history_rows():
    seed(no_history=True)
    assert Return.objects.filter(borough__slug__startswith="scale-").exists()
    assert not Return.history.exists()
    assert not ProjectUpdate.history.exists()
