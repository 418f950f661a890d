"""Date and time filters in GOV.UK style (boroughs/formats.py). Built in (settings TEMPLATES "builtins"), so every
template has them without a {% load %}."""

from django import template

from boroughs import formats

register = template.Library()

register.filter("govuk_date", formats.govuk_date, is_safe=True)
register.filter("govuk_time", formats.govuk_time, is_safe=True)
register.filter("govuk_datetime", formats.govuk_datetime, is_safe=True)
