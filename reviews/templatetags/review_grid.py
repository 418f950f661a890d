"""The reviewers' grid's two tables' rows (templates/reviews/review/grid.html), drawn in Python.

At national scale a page of the grid has 50 boroughs: a summary row of seven cells and a row of four quarters
each. Through the template language each row cost some sixty variable lookups, tests and filters (about 3,000
a page), and the page's template took 20-25 ms of a 116 ms page at 307 boroughs; with a `format_html` per cell it
took 13 ms (each of its escapes goes through Django's lazy-string wrapper), and 10 ms as it is now, each row one
f-string, every value escaped by `html.escape`, which is what Django's `escape` calls; money through the
template's own `floatformat`.
Counts are printed as `str()` gives them: the service does not group digits (USE_THOUSAND_SEPARATOR is off),
so that is what the template's `localize` printed. tests/reviews/review/test_grid_summary.py holds the markup to the
template's.
"""

from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

register = template.Library()

OVERDUE_TAG = '<br><strong class="govuk-tag govuk-tag--red">Overdue</strong>'
NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'


def _spent(row):
    if row.share_spent is None:
        return "No allocation"
    spent, allocation = floatformat(row.forecast.spent_to_date, "2g"), floatformat(row.forecast.allocation, "2g")
    return f'{localize(row.share_spent)}%<br><span class="govuk-body-s">£{spent} of £{allocation}</span>'


def _forecast(row):
    tag = escape(row.tag)
    if row.flagged:
        tag = f'<strong class="govuk-tag {escape(row.tag_class)}">{tag}</strong>'
    if row.variance_text is None:
        return tag
    return f'{tag}<br><span class="govuk-body-s">{escape(capfirst(row.variance_text))}</span>'


def _summary_row(row):
    borough = row.borough
    return (
        f'<tr class="govuk-table__row" id="summary-{escape(borough.slug)}">'
        f'<th scope="row" class="govuk-table__header">{escape(borough.name)}<br>'
        f'<span class="govuk-body-s">{escape(row.cell.label)}</span></th>'
        f"{NUMERIC}{_spent(row)}</td>{NUMERIC}{row.red}</td>{NUMERIC}{row.amber}</td>{NUMERIC}{row.green}</td>"
        f"{NUMERIC}{row.open_flags}</td>{NUMERIC}{_forecast(row)}</td></tr>"
    )


@register.simple_tag
def grid_summary_rows(grid):
    """The current quarter's summary: a row per borough of the page, in the order asked for."""
    return mark_safe("\n".join(_summary_row(row) for row in grid.summary))


def _cell(cell, other):
    if not cell.shown:
        return other
    label = f'<strong class="{escape(cell.tag_class)}">{escape(cell.label)}</strong>'
    if cell.url:
        label = (
            f'<a class="govuk-link" href="{escape(cell.url)}">{label}'
            f'<span class="govuk-visually-hidden">{escape(cell.hidden)}</span></a>'
        )
    overdue = " app-review-grid__cell--overdue" if cell.overdue else ""
    chase = OVERDUE_TAG if cell.chase else ""
    flags = ""
    if cell.open_flags:
        plural = "" if cell.open_flags == 1 else "s"
        flags = f'<br><span class="govuk-body-s">{cell.open_flags} open flag{plural}</span>'
    return f'<td class="govuk-table__cell{overdue}">{label}{chase}{flags}</td>'


@register.simple_tag
def grid_rows(grid):
    """Boroughs × quarters: each borough's quarters shown (a cell the status filter hides says so) and its roll-up."""
    other = (
        '<td class="govuk-table__cell app-review-grid__cell--other">'
        f'<span class="govuk-visually-hidden">Not {escape(grid.status_label.lower())}</span></td>'
    )
    rows = []
    for row in grid.rows:
        name = escape(row.borough.name)
        cells = "".join(_cell(cell, other) for cell in row.cells)
        rows.append(
            f'<tr class="govuk-table__row" id="grid-{escape(row.borough.slug)}">'
            f'<th scope="row" class="govuk-table__header">{name}</th>{cells}'
            f'<td class="govuk-table__cell"><a class="govuk-link" href="{escape(row.rollup_url)}">Roll-up'
            f'<span class="govuk-visually-hidden"> for {name}</span></a></td></tr>'
        )
    return mark_safe("\n".join(rows))
