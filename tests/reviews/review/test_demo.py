from django.core.management import call_command

from returns.models import Return
from reviews.models import ColumnCommentary, Decision, Flag


def test_demo_has_reviews_in_progress_and_is_idempotent(db):
    call_command("seed_demo", "--quiet-logins")
    counts = (Decision.objects.count(), Flag.objects.count(), ColumnCommentary.objects.count())
    call_command("seed_demo", "--quiet-logins")
    assert (Decision.objects.count(), Flag.objects.count(), ColumnCommentary.objects.count()) == counts
    q1 = Return.objects.filter(period__year__label="2026-27", period__quarter=1)
    assert q1.filter(status=Return.Status.ACCEPTED).count() >= 3
    assert q1.filter(status=Return.Status.CHANGES_REQUESTED).count() == 1
    assert Flag.objects.open().count() >= 2
    assert ColumnCommentary.objects.filter(visibility="opcc").exists()
