"""Rendering cell text as HTML, and the preview's edit links. Every piece of text is escaped here before it is
wrapped in markup."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
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


@dataclass(frozen=True)
class EditableRow:
    """A row of the preview with the roll-up's links for it, each ending in ?from=annex."""

    row: object  # reviews.annex.assembly.Row
    cells: tuple  # (cell, its edit link or "") in column order
    move_url: str
    visibility_url: str


class _Link:
    """A roll-up URL reversed once for a borough, then given each id: a borough has hundreds of links."""

    def __init__(self, name, slug, year):
        url = reverse(name, args=[slug, year, 0])
        # The id is the URL's last number, so the last "/0/" is the one to fill in.
        self.head, _, self.tail = url.rpartition("/0/")

    def __call__(self, pk):
        return f"{self.head}/{pk}/{self.tail}?from=annex"


@register.simple_tag
def editable_rows(section, year):
    """Every row of a borough's section (annual first, hidden ones too) with its edit, move and hide links."""
    cell_link = _Link("reviews:rollup_cell", section.slug, year)
    move_link = _Link("reviews:rollup_row_move", section.slug, year)
    visibility_link = _Link("reviews:rollup_row_visibility", section.slug, year)
    rows = []
    for row in section.all_rows:
        cells = tuple((cell, cell_link(cell.cell_id) if cell.cell_id else "") for cell in row.cells)
        annual = row.is_annual
        rows.append(
            EditableRow(
                row=row,
                cells=cells,
                move_url="" if annual else move_link(row.row_id),
                visibility_url="" if annual else visibility_link(row.row_id),
            )
        )
    return rows
