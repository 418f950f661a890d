"""Signals for the apps above `returns`, which may react to its events without `returns` importing them."""

from django.dispatch import Signal

# Sent inside year_open's transaction once a year's periods exist: `year` is the FinancialYear.
# The review app gives the year its annex columns here, so reviewers can comment from the first quarter.
year_opened = Signal()
