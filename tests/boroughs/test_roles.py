from django.contrib.auth.models import Group

from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER, ROLE_PERMISSIONS, opcc_staff, sync_roles
from tests.conftest import make_user


def test_every_role_group_exists_with_exactly_its_permissions(db):
    sync_roles()
    for name, labels in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(labels)


def test_roles_are_permissions_not_names(alice, rita, adam, charlie):
    assert alice.has_perm("boroughs.view_borough")
    assert not alice.has_perm("boroughs.view_all_boroughs")
    assert rita.has_perm("boroughs.view_all_boroughs")
    assert not rita.has_perm("boroughs.change_borough")
    assert adam.has_perm("boroughs.change_borough")
    assert not charlie.has_perm("boroughs.view_borough")
    assert {CSP_OFFICER, OPCC_REVIEWER, OPCC_ADMIN} <= set(Group.objects.values_list("name", flat=True))


def test_for_user_scopes_boroughs(alice, bob, rita, charlie, birmingham):
    from boroughs.models import Borough

    assert list(Borough.objects.for_user(alice)) == [birmingham]
    assert [b.slug for b in Borough.objects.for_user(bob)] == ["coventry"]
    assert Borough.objects.for_user(rita).count() == 7
    # charlie is linked to Birmingham: scope and permission are separate questions.
    assert list(Borough.objects.for_user(charlie)) == [birmingham]


def test_borough_scope_is_for_users_rule_on_other_rows_and_nothing_for_staff(alice, rita, birmingham, coventry):
    from django.contrib.auth.models import AnonymousUser

    from boroughs.models import borough_scope
    from returns.models import Project

    ours, theirs = (Project.objects.create(borough=b, name=f"{b.name} project") for b in (birmingham, coventry))
    gone = make_user("gone", role=CSP_OFFICER, boroughs=[birmingham], is_active=False)
    assert list(Project.objects.filter(borough_scope(alice))) == [ours]
    assert set(Project.objects.filter(borough_scope(rita))) == {ours, theirs}
    assert not Project.objects.filter(borough_scope(AnonymousUser())).exists()
    assert not Project.objects.filter(borough_scope(gone)).exists()
    # A reviewer's scope is no condition at all: no join to the boroughs in the SQL (the ordering aside).
    assert "boroughs_borough" not in str(Project.objects.for_user(rita).order_by().query)
    assert "boroughs_membership" in str(Project.objects.for_user(alice).order_by().query)
    # An officer's scope reads the memberships' borough ids alone, not the boroughs table around them.
    assert "boroughs_borough" not in str(Project.objects.for_user(alice).order_by().query)
    both = make_user("both", role=CSP_OFFICER, boroughs=[birmingham, coventry])
    assert set(Project.objects.filter(borough_scope(both))) == {ours, theirs}


def test_no_role_may_add_or_change_users(alice, rita, adam):
    # Changing a user includes making them a superuser: only superusers do that, in the Django admin.
    for user in (alice, rita, adam):
        assert not user.has_perm("auth.change_user")
        assert not user.has_perm("auth.add_user")
    for labels in ROLE_PERMISSIONS.values():
        assert "auth.change_user" not in labels
        assert "auth.add_user" not in labels


def test_opcc_staff_are_still_the_reviewers_and_admins(alice, rita, adam, charlie):
    assert set(opcc_staff()) == {rita, adam}


def _fresh(user):
    """The same person read again, as the next request would, with no permissions remembered."""
    return type(user).objects.get(pk=user.pk)


def test_permissions_come_from_the_groups_and_the_person_in_one_query(alice, django_assert_num_queries):
    from django.contrib.auth.models import Permission

    own = Permission.objects.get(content_type__app_label="boroughs", codename="view_all_boroughs")
    alice.user_permissions.add(own)
    alice = _fresh(alice)
    with django_assert_num_queries(1):
        held = alice.get_all_permissions()
    assert "boroughs.view_all_boroughs" in held  # her own
    assert "boroughs.view_borough" in held  # her group's
    assert "boroughs.change_borough" not in held  # neither
    assert alice.has_perm("boroughs.view_borough")
    assert alice.has_perm("boroughs.view_all_boroughs")


def test_a_role_taken_away_applies_at_the_next_request(alice):
    from django.contrib.auth.models import Group

    assert _fresh(alice).has_perm("boroughs.view_borough")
    alice.groups.remove(Group.objects.get(name=CSP_OFFICER))
    assert not _fresh(alice).has_perm("boroughs.view_borough")
    assert _fresh(alice).get_all_permissions() == set()


def test_a_superuser_holds_every_permission_and_an_inactive_person_none(alice):
    from django.contrib.auth.models import Permission

    alice.is_superuser = True
    alice.save()
    assert len(_fresh(alice).get_all_permissions()) == Permission.objects.count()
    alice.is_active = False
    alice.save()
    assert _fresh(alice).get_all_permissions() == set()
