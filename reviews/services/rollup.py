"""Writes to the annual roll-up: starting it, its rows and cells. Keyword-only and atomic.

Every write a person makes (start, cell text, move, hide, show) first passes the self-review rule,
`refuse_own_borough`; the importer's writes (rollup_get_or_create, rollup_row_add) are nobody's.
"""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..models import AnnexColumn, BoroughRollUp, ReviewNotAllowed, RollUpCell, RollUpRow
from ..permissions import is_officer_of
from ..selectors.rollup import existing_project_ids, project_draft_texts


def refuse_own_borough(by, borough_id):
    """The self-review rule for the roll-up: an officer of a borough never writes its annex text."""
    if is_officer_of(by, borough_id):
        raise ReviewNotAllowed("You are an officer of this partnership, so you cannot edit its roll-up.")


def refuse_closed_year(year):
    """A closed year's roll-up is the record the board received: nobody changes it (reviews/services/years.py)."""
    if year.is_closed:
        raise ReviewNotAllowed(f"{year.label} is closed, so its roll-ups cannot be changed.")


@transaction.atomic
def rollup_get_or_create(*, borough, year, position=0):
    """A borough's roll-up for the year, with an (empty) annual cell for every column."""
    rollup, created = BoroughRollUp.objects.get_or_create(
        borough=borough, financial_year=year, defaults={"position": position}
    )
    have = set(rollup.cells.filter(row__isnull=True).values_list("column_id", flat=True))
    bulk_create_with_history(
        [
            RollUpCell(rollup=rollup, column=column, text="")
            for column in AnnexColumn.objects.for_year(year)
            if column.pk not in have
        ],
        RollUpCell,
    )
    return rollup, created


@transaction.atomic
def rollup_row_add(*, rollup, project=None, texts=None, by=None):
    """Append a project row, with a cell for every column of the year."""
    texts = texts or {}
    last = rollup.rows.order_by("-position").values_list("position", flat=True).first() or 0
    row = RollUpRow.objects.create(rollup=rollup, project=project, position=last + 1, updated_by=by)
    bulk_create_with_history(
        [
            RollUpCell(rollup=rollup, row=row, column=column, text=texts.get(column.key, ""), updated_by=by)
            for column in AnnexColumn.objects.for_year(rollup.financial_year)
        ],
        RollUpCell,
        default_user=by,
    )
    return row


@transaction.atomic
def cell_update(*, cell, text, expected_version, by):
    """Save a cell's text unless someone else saved it first (then EditConflict carries their version)."""
    refuse_own_borough(by, cell.rollup.borough_id)
    refuse_closed_year(cell.rollup.financial_year)
    return cell.save_text(text=text, expected_version=expected_version, by=by)


@transaction.atomic
def row_move(*, row, direction, by):
    """Swap the row with its neighbour above ("up") or below ("down"), renumbering the table 1..n.

    Not versioned: a move is always relative to where the row is now, so it cannot undo anyone's change.
    """
    refuse_own_borough(by, row.rollup.borough_id)
    refuse_closed_year(row.rollup.financial_year)
    rows = list(RollUpRow.objects.select_for_update().filter(rollup_id=row.rollup_id).order_by("position", "pk"))
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    now = timezone.now()
    for position, r in enumerate(rows, start=1):
        if r.position != position:
            # One save per moved row (not bulk_update) so each move is in the row's history.
            r.position, r.updated = position, now
            r.save(update_fields=["position", "updated"])
    return True


@transaction.atomic
def row_hide(*, row, reason, expected_version, by):
    refuse_own_borough(by, row.rollup.borough_id)
    refuse_closed_year(row.rollup.financial_year)
    return row.hide(reason=reason, expected_version=expected_version, by=by)


@transaction.atomic
def row_show(*, row, expected_version, by):
    refuse_own_borough(by, row.rollup.borough_id)
    refuse_closed_year(row.rollup.financial_year)
    return row.show(expected_version=expected_version, by=by)


@transaction.atomic
def rollup_start(*, borough, year, by):
    """Open a borough's roll-up for the year: its columns' annual cells and a row per reported project."""
    refuse_own_borough(by, borough.pk)
    refuse_closed_year(year)
    columns = AnnexColumn.ensure_for_year(year)
    rollup, _ = rollup_get_or_create(borough=borough, year=year)
    key_of_role = {c.role: c.key for c in columns if c.role}
    have = existing_project_ids(rollup)
    for project, texts in project_draft_texts(borough, year, by):
        if project.pk in have:
            continue
        by_key = {key_of_role[role]: text for role, text in texts.items() if role in key_of_role}
        rollup_row_add(rollup=rollup, project=project, texts=by_key, by=by)
    return rollup
