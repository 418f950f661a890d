"""One access helper per object: 403 without the permission, 404 outside the user's scope.

The annex is OPCC business. Anyone holding a role gets past the first check, so a CSP officer meets
the annex's scope (none for them) and gets 404, as for another borough's things; a signed-in user
with no role at all gets 403; a reviewer lacking a specific annex permission gets 403.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from boroughs.access import require_perm

from .models import Annex, AnnexExport, RollUpCell, RollUpRow


def require_annex_scope(user):
    """For pages about every annex (the list): the same 403/404 rule without a particular annex."""
    require_perm(user, "boroughs.view_borough")
    if Annex.objects.for_user(user).query.is_empty():
        raise Http404


def get_annex_for_user(user, year_label, *, perm="reviews.view_annex"):
    require_perm(user, "boroughs.view_borough")
    annex = get_object_or_404(
        Annex.objects.for_user(user).select_related("financial_year"), financial_year__label=year_label
    )
    require_perm(user, perm)
    return annex


def get_version_for_user(user, year_label, number, *, perm="reviews.view_annex"):
    annex = get_annex_for_user(user, year_label, perm=perm)
    version = get_object_or_404(annex.versions.select_related("published_by"), number=number)
    version.annex = annex
    return version


def get_cell_for_user(user, year_label, pk, *, perm="reviews.change_annex"):
    annex = get_annex_for_user(user, year_label, perm=perm)
    cell = get_object_or_404(
        RollUpCell.objects.for_annex(annex).select_related("rollup__borough", "row__project", "column"), pk=pk
    )
    return annex, cell


def get_row_for_user(user, year_label, pk, *, perm="reviews.change_annex"):
    annex = get_annex_for_user(user, year_label, perm=perm)
    row = get_object_or_404(RollUpRow.objects.for_annex(annex).select_related("rollup__borough", "project"), pk=pk)
    return annex, row


def get_export_for_user(user, pk, *, perm="reviews.view_annex"):
    """An export is seen by whoever may see its annex: OPCC staff, whoever asked for it."""
    require_perm(user, "boroughs.view_borough")
    export = get_object_or_404(
        AnnexExport.objects.for_user(user).select_related("annex__financial_year", "version", "requested_by"), pk=pk
    )
    require_perm(user, perm)
    return export
