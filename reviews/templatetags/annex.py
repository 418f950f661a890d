"""Rendering cell text as HTML. Every piece of text is escaped here before it is wrapped in markup."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _runs(runs):
    parts = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br>")
        parts.append(f"<strong>{text}</strong>" if run.bold else text)
    return "".join(parts)


@register.filter
def cell_html(blocks):
    """Paragraphs as <p> and "- " lists as <ul>, escaped. A filter, not an include: the annex has hundreds of cells."""
    html = []
    for block in blocks:
        if block.is_list:
            items = "".join(f"<li>{_runs(item.runs)}</li>" for item in block.items)
            html.append(f'<ul class="app-annex__list">{items}</ul>')
        else:
            html.append(f'<p class="app-annex__para">{_runs(block.runs)}</p>')
    return mark_safe("".join(html))
