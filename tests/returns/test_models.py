from datetime import date
from decimal import Decimal

import pytest

from returns.models import IllegalTransition, Indicator, Rag, Return, Risk


def test_quarters_follow_the_uk_financial_year(year):
    periods = year.ensure_periods()
    assert [(p.start_date, p.end_date) for p in periods] == [
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 3, 31)),
    ]
    assert [p.due_on for p in periods] == [date(2026, 7, 30), date(2026, 10, 30), date(2027, 1, 30), date(2027, 4, 30)]
    assert year.ensure_periods() == periods, "ensure_periods is idempotent"


class TestTransitions:
    def test_a_draft_can_be_submitted(self, draft, alice):
        draft.submit(by=alice)
        assert draft.status == Return.Status.SUBMITTED
        assert draft.submitted_by == alice
        assert draft.submitted_at is not None
        assert not draft.is_editable

    @pytest.mark.parametrize("status", [Return.Status.SUBMITTED, Return.Status.RESUBMITTED, Return.Status.ACCEPTED])
    def test_submitting_again_is_refused(self, draft, alice, status):
        draft.status = status
        with pytest.raises(IllegalTransition):
            draft.submit(by=alice)
        assert draft.status == status

    def test_changes_requested_is_editable_and_resubmits(self, draft, alice):
        draft.status = Return.Status.CHANGES_REQUESTED
        assert draft.is_editable
        draft.submit(by=alice)
        assert draft.status == Return.Status.RESUBMITTED

    def test_a_locked_return_refuses_edits(self, submitted):
        with pytest.raises(IllegalTransition):
            submitted.ensure_editable()


class TestRag:
    def indicator(self, unit=Indicator.Unit.COUNT, minimum=100, aspiration=140, higher=True):
        return Indicator(
            unit=unit,
            minimum_target=Decimal(minimum),
            aspirational_target=Decimal(aspiration),
            higher_is_better=higher,
        )

    @pytest.mark.parametrize(
        ("value", "rag"),
        [(Decimal(24), Rag.RED), (Decimal(25), Rag.AMBER), (Decimal(34), Rag.AMBER), (Decimal(35), Rag.GREEN)],
    )
    def test_cumulative_targets_are_pro_rata_for_the_quarter(self, value, rag):
        # After Q1, a quarter of the annual target is due: minimum 25, aspiration 35.
        assert self.indicator().rag_for(value, 1) == rag

    @pytest.mark.parametrize(("value", "rag"), [("29.9", Rag.RED), ("30", Rag.AMBER), ("45", Rag.GREEN)])
    def test_percentages_are_compared_as_they_stand(self, value, rag):
        indicator = self.indicator(Indicator.Unit.PERCENT, 30, 45)
        assert indicator.rag_for(Decimal(value), 3) == rag

    @pytest.mark.parametrize(("value", "rag"), [("36", Rag.RED), ("35", Rag.AMBER), ("30", Rag.GREEN)])
    def test_lower_is_better_inverts_the_comparison(self, value, rag):
        indicator = self.indicator(Indicator.Unit.PERCENT, 35, 30, higher=False)
        assert indicator.rag_for(Decimal(value), 2) == rag

    def test_no_value_no_rating(self):
        assert self.indicator().rag_for(None, 1) is None

    def test_a_project_is_as_green_as_its_weakest_indicator(self):
        assert Rag.worst([Rag.GREEN, Rag.AMBER, None]) == Rag.AMBER
        assert Rag.worst([Rag.GREEN, Rag.RED]) == Rag.RED
        assert Rag.worst([None]) is None

    def test_year_to_date_adds_counts_and_averages_percentages(self):
        assert self.indicator().year_to_date([Decimal(3), None, Decimal(4)]) == Decimal(7)
        assert self.indicator(Indicator.Unit.PERCENT).year_to_date([Decimal(50), Decimal(61)]) == Decimal("55.50")


@pytest.mark.parametrize(
    ("likelihood", "impact", "band"), [(1, 4, "Low"), (1, 5, "Medium"), (3, 4, "Medium"), (3, 5, "High")]
)
def test_risk_score_and_band(likelihood, impact, band):
    risk = Risk(likelihood=likelihood, impact=impact)
    assert risk.score == likelihood * impact
    assert risk.band == band
