"""Opening a year (returns) gives it its annex columns (reviews), so reviewers can comment per column from Q1."""

from datetime import date

from returns.services.years import year_open
from reviews.models import AnnexColumn
from reviews.receivers import give_the_year_its_annex_columns


def test_opening_a_year_gives_it_the_standard_annex_columns(db, adam):
    opened = year_open(start_year=2026, decisions={}, by=adam, today=date(2026, 11, 28))
    columns = list(AnnexColumn.objects.for_year(opened.year))
    assert [c.key for c in columns] == ["alignment", "performance", "innovation", "community", "marketing"]
    assert columns[1].heading == "Performance: Impact and Risk Assessment"


def test_the_next_year_copies_the_columns_as_the_opcc_left_them(db, adam):
    first = year_open(start_year=2026, decisions={}, by=adam, today=date(2026, 11, 28)).year
    AnnexColumn.objects.filter(financial_year=first, key="marketing").update(heading="Working with the OPCC")
    second = year_open(start_year=2027, decisions={}, by=adam, today=date(2027, 5, 1)).year
    assert AnnexColumn.objects.for_year(second).get(key="marketing").heading == "Working with the OPCC"


def test_opening_an_open_year_again_adds_no_columns(db, adam):
    opened = year_open(start_year=2026, decisions={}, by=adam, today=date(2026, 11, 28))
    give_the_year_its_annex_columns(sender=None, year=opened.year)
    year_open(start_year=2026, decisions={}, by=adam, today=date(2026, 11, 28))
    assert AnnexColumn.objects.for_year(opened.year).count() == 5
