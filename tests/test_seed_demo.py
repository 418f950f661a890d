from django.contrib.auth import get_user_model
from django.core.management import call_command

from boroughs.models import Borough, Membership


def test_seed_demo_is_idempotent_and_creates_the_demo_logins(db, capsys):
    call_command("seed_demo", "--password", "demo-pass-123")
    call_command("seed_demo", "--password", "demo-pass-123")
    out = capsys.readouterr().out
    assert "Demo logins (password for all: demo-pass-123)" in out

    users = get_user_model().objects
    expected = {f"officer.{b.slug}" for b in Borough.objects.all()} | {"officer.multi", "reviewer", "opcc.admin"}
    assert set(users.values_list("username", flat=True)) == expected
    assert Borough.objects.count() == 7
    assert Membership.objects.count() == 9

    multi = users.get(username="officer.multi")
    assert sorted(b.slug for b in Borough.objects.for_user(multi)) == ["dudley", "sandwell"]
    reviewer = users.get(username="reviewer")
    assert reviewer.has_perm("boroughs.view_all_boroughs")
    assert reviewer.check_password("demo-pass-123")
    admin = users.get(username="opcc.admin")
    assert admin.is_staff
    assert admin.has_perm("boroughs.change_borough")
    assert not users.filter(is_superuser=True).exists()
