"""One access helper per object of the reviews app: 403 without the permission, 404 outside the scope.

The review is OPCC business. A signed-in user with no role gets 403; a CSP officer holds a role but
the review's scope is empty for them, so every review URL is 404 to them, as another borough's
return is; a reviewer lacking a narrower permission (reopen) gets 403. Writes about a borough also
refuse (403) a reviewer who is an officer of it: the self-review rule, reviews.permissions.is_officer_of.

The annex is OPCC business too. Anyone holding a role gets past the first check, so a CSP officer meets
the annex's scope (none for them) and gets 404, as for another borough's things; a signed-in user
with no role at all gets 403; a reviewer lacking a specific annex permission gets 403.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from boroughs.access import require_perm
from boroughs.models import Borough
from returns.models import FinancialYear, Return

from .models import Annex, AnnexExport, Decision, Flag, RollUpCell, RollUpRow, YearDataExport
from .permissions import is_officer_of

REVIEW = "reviews.review_return"
YEAR_LABEL = re.compile(r"\d{4}-\d{2}")
EDIT_ROLLUP = "reviews.change_annex"


def require_annex_scope(user):
    """For pages about every annex (the list): the same 403/404 rule without a particular annex."""
    require_perm(user, "boroughs.view_borough")
    if Annex.objects.for_user(user).query.is_empty():
        raise Http404


# Writes to a closed year's annex: its details and new versions. Reading and exporting stay open.
ANNEX_WRITES = frozenset({"reviews.change_annex", "reviews.publish_annex"})


def get_annex_for_user(user, year_label, *, perm="reviews.view_annex"):
    require_perm(user, "boroughs.view_borough")
    annex = get_object_or_404(
        Annex.objects.for_user(user).select_related("financial_year"), financial_year__label=year_label
    )
    require_perm(user, perm)
    if perm in ANNEX_WRITES and annex.financial_year.is_closed:
        raise PermissionDenied(f"{year_label} is closed, so its annex cannot be changed.")
    return annex


def get_year_for_annex_start(user, year_label):
    """The year whose annex an OPCC user starts: officers 404 (as for every annex), no edit permission 403."""
    require_annex_scope(user)
    require_perm(user, EDIT_ROLLUP)
    return get_object_or_404(FinancialYear, label=year_label)


def get_year_to_close(user, year_label):
    """Years are reference data: only an OPCC admin may close one (403 for officers and reviewers)."""
    require_perm(user, "returns.manage_years")
    return get_object_or_404(FinancialYear, label=year_label)


def get_version_for_user(user, year_label, number, *, perm="reviews.view_annex"):
    annex = get_annex_for_user(user, year_label, perm=perm)
    version = get_object_or_404(annex.versions.select_related("published_by"), number=number)
    version.annex = annex
    return version


def get_export_for_user(user, pk, *, perm="reviews.view_annex"):
    """An export is seen by whoever may see its annex: OPCC staff, whoever asked for it."""
    require_perm(user, "boroughs.view_borough")
    export = get_object_or_404(
        AnnexExport.objects.for_user(user).select_related("annex__financial_year", "version", "requested_by"), pk=pk
    )
    require_perm(user, perm)
    return export


def get_year_for_data(user, year_label):
    """A year's data for analysts (reviews/data): OPCC staff, as for the annex; it holds OPCC-only flags."""
    require_annex_scope(user)
    require_perm(user, "reviews.view_annex")
    require_perm(user, "reviews.view_opcc_only")
    return get_object_or_404(FinancialYear, label=year_label)


def get_year_data_export_for_user(user, pk):
    require_annex_scope(user)
    export = get_object_or_404(
        YearDataExport.objects.for_user(user).select_related("financial_year", "requested_by"), pk=pk
    )
    require_perm(user, "reviews.view_opcc_only")
    return export


# The quarterly review.


def require_review_scope(user):
    require_perm(user, "boroughs.view_borough")
    if not user.has_perm(REVIEW):
        raise Http404


def get_return_for_review(user, pk, *, perm=REVIEW):
    require_review_scope(user)
    returns = Return.objects.for_user(user).with_snapshot().select_related("borough", "period__year", "submitted_by")
    return_ = get_object_or_404(returns, pk=pk)
    require_perm(user, perm)
    return return_


def get_return_to_decide(user, pk, *, perm=REVIEW):
    """For writes: a reviewer may read their own borough's return but never judge it."""
    return_ = get_return_for_review(user, pk, perm=perm)
    if is_officer_of(user, return_.borough_id):
        raise PermissionDenied
    return return_


def get_decision_for_review(user, return_pk, pk):
    return_ = get_return_for_review(user, return_pk)
    decision = get_object_or_404(Decision.objects.for_user(user).select_related("by"), return_of=return_, pk=pk)
    return return_, decision


def get_flag_for_review(user, pk):
    require_review_scope(user)
    flags = Flag.objects.for_user(user).select_related("borough", "period", "flag_type", "column", "project")
    flag = get_object_or_404(flags, pk=pk)
    if is_officer_of(user, flag.borough_id):
        raise PermissionDenied
    return flag


def get_year_for_review(user, label=None):
    """The year asked for (404 if there is none), else the open year covering today: None if no year is open.

    A pure read: a page that finds no year says so and offers an admin the way to open one.
    """
    require_review_scope(user)
    if label:
        # Only a label shaped like "2026-27" reaches the database (a NUL byte would make PostgreSQL fail).
        if not YEAR_LABEL.fullmatch(label):
            raise Http404
        return get_object_or_404(FinancialYear, label=label)
    return FinancialYear.current()


def get_borough_for_review(user, slug):
    require_review_scope(user)
    return get_object_or_404(Borough.objects.for_user(user), slug=slug)


# The annual roll-up: read in the review's scope; every write (start, cell, move, hide, show) also
# needs the annex's edit permission and passes the self-review rule.


def may_edit_rollup(user, borough, year=None):
    """For pages that offer the edit links: the same rule the helpers below enforce."""
    if year is not None and year.is_closed:
        return False
    return user.has_perm(EDIT_ROLLUP) and not is_officer_of(user, borough.pk)


def get_rollup_scope_to_edit(user, slug, year_label):
    """The borough and year of a roll-up write: officers 404, no permission or own borough 403."""
    borough = get_borough_for_review(user, slug)
    year = get_object_or_404(FinancialYear, label=year_label)
    if not may_edit_rollup(user, borough):
        raise PermissionDenied
    if year.is_closed:
        raise PermissionDenied(f"{year.label} is closed, so its roll-ups cannot be changed.")
    return borough, year


def get_rollup_cell_to_edit(user, slug, year_label, pk):
    borough, year = get_rollup_scope_to_edit(user, slug, year_label)
    cells = RollUpCell.objects.select_related("rollup__borough", "rollup__financial_year", "column", "row__project")
    return get_object_or_404(cells, rollup__borough=borough, rollup__financial_year=year, pk=pk)


def get_rollup_row_to_edit(user, slug, year_label, pk):
    borough, year = get_rollup_scope_to_edit(user, slug, year_label)
    rows = RollUpRow.objects.select_related("rollup__borough", "rollup__financial_year", "project")
    return get_object_or_404(rows, rollup__borough=borough, rollup__financial_year=year, pk=pk)
