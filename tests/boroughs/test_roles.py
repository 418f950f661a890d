from django.contrib.auth.models import Group

from boroughs.roles import CSP_OFFICER, OPCC_ADMIN, OPCC_REVIEWER, ROLE_PERMISSIONS, opcc_staff, sync_roles


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
