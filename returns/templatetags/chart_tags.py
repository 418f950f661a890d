"""`{% chart_figure chart %}`: a Chart (returns/charts) as the figure templates/charts/_chart.html describes.

Written in Python rather than as that template's body: a return page shows a figure per indicator (three dozen at
national scale), and the template engine took a tenth of the page's time for them. templates/charts/_chart.html
calls this, so every page still includes it as before.
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def chart_figure(context, chart, compact=False, context_label=""):
    def text(value):
        return render_value_in_context(value, context)

    key = text(chart.key)
    classes = (
        "app-chart" + (f" {chart.css_class}" if chart.css_class else "") + (" app-chart--compact" if compact else "")
    )
    # An outline (no drawing yet: the reviewer's return page draws on opening) is no image until one is put in.
    image = f' role="img" aria-labelledby="chart-{key}-title chart-{key}-summary"' if chart.svg else ""
    head = "".join(f'<th scope="col" class="govuk-table__header">{text(cell)}</th>' for cell in chart.table_head)
    rows = "".join(
        '<tr class="govuk-table__row">'
        + "".join(
            f'<th scope="row" class="govuk-table__header">{text(cell)}</th>'
            if index == 0
            else f'<td class="govuk-table__cell">{text(cell)}</td>'
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in chart.table_rows
    )
    title = text(chart.title)
    region = title + (f" ({text(context_label)})" if context_label else "")
    return mark_safe(
        f'<figure class="{conditional_escape(classes)}" id="chart-{key}">\n'
        '  <figcaption class="app-chart__caption">\n'
        f'    <span class="govuk-heading-s govuk-!-margin-bottom-1 app-chart__title" id="chart-{key}-title">'
        f"{title}</span>\n"
        f'    <span class="govuk-body app-chart__summary" id="chart-{key}-summary">{text(chart.summary)}</span>\n'
        "  </figcaption>\n"
        "  \n"
        f'  <div class="app-chart__image"{image}>{text(chart.svg)}</div>\n'
        '  <details class="govuk-details govuk-!-margin-bottom-2 app-chart__data">\n'
        '    <summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
        f"{title}: the figures as a table</span></summary>\n"
        '    <div class="govuk-details__text app-table-scroll" tabindex="0" role="region" '
        f'aria-label="{region}: figures">\n'
        f'      <table class="govuk-table govuk-!-margin-bottom-0" id="chart-{key}-table">\n'
        f'        <thead class="govuk-table__head"><tr class="govuk-table__row">{head}</tr></thead>\n'
        '        <tbody class="govuk-table__body">\n'
        f"          {rows}\n"
        "        </tbody>\n"
        "      </table>\n"
        "    </div>\n"
        "  </details>\n"
        "</figure>\n"
    )
