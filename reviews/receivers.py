"""Reactions to events of the apps below reviews (returns' signals), so that those apps never import this one."""

from .models import AnnexColumn


def give_the_year_its_annex_columns(sender, *, year, **kwargs):
    """Copy the previous year's annex columns (or the standard five) into a newly opened year."""
    AnnexColumn.ensure_for_year(year)
