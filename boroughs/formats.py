"""The one way the service writes dates and times: GOV.UK style ("1 January 2027 at 8:06pm", "midday").

Django's own "a" format gives "p.m." and its en-GB DATETIME_FORMAT gives "1 Jan 2027, 8:06 p.m.", neither of which
is GOV.UK style, so every page, email and History entry formats through these functions (in templates through the
`govuk_date`, `govuk_time` and `govuk_datetime` filters, built in: boroughs/templatetags/govuk_dates.py).
Aware datetimes are shown in the service's time zone (Europe/London).
"""

from datetime import date, datetime

from django.utils import dateformat, timezone


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def govuk_date(value):
    """ "1 January 2027"; "" for nothing."""
    if not isinstance(value, date):
        return ""
    return dateformat.format(_local(value), "j F Y")


def govuk_time(value):
    """ "8:06pm", "9am", "midday", "midnight"; "" for nothing."""
    if not isinstance(value, datetime):
        return ""
    value = _local(value)
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_datetime(value):
    """ "1 January 2027 at 8:06pm"; a plain date is shown as a date; "" for nothing."""
    if isinstance(value, datetime):
        return f"{govuk_date(value)} at {govuk_time(value)}"
    return govuk_date(value)
