"""The People pages can never grant superuser, staff or raw permissions, or any group but the three roles.

No form has such a field, no page renders such an input, and a tampered POST carrying them to every People
endpoint changes nothing: not the person's flags, not their permissions, not their groups.
"""

import inspect

import pytest
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail

from boroughs.people import forms as people_forms
from tests.conftest import PASSWORD

from .conftest import INVITE, PEOPLE, invitation_link, invite_data, person_url

FORBIDDEN_FIELDS = {"is_superuser", "is_staff", "user_permissions", "groups", "password", "is_active", "last_login"}


@pytest.fixture
def escalation(everything_group):
    """What a tamperer adds to every POST."""
    permission = Permission.objects.get(codename="change_user")
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": [str(permission.pk)],
        "groups": [str(everything_group.pk)],
    }


def assert_not_escalated(user, *, staff=False):
    user.refresh_from_db()
    assert not user.is_superuser
    assert user.is_staff is staff
    assert not user.user_permissions.exists()
    assert not user.groups.filter(name="Everything").exists()
    assert not user.has_perm("auth.change_user")


def test_no_people_form_class_has_such_a_field():
    classes = [
        cls
        for _, cls in inspect.getmembers(people_forms, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == people_forms.__name__
    ]
    assert len(classes) >= 6
    for cls in classes:
        assert not FORBIDDEN_FIELDS & set(cls.base_fields), cls


def test_no_people_page_renders_such_an_input(client, adam, olive, ivan, dora):
    client.force_login(adam)
    pages = [PEOPLE, INVITE, person_url(olive), person_url(olive, "account/"), person_url(dora, "account/")]
    pages += [person_url(olive, "two-step-verification/"), person_url(ivan, "invitation/")]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200
        for name in FORBIDDEN_FIELDS - {"password"}:
            assert f'name="{name}"' not in response.text, (path, name)
        form = response.context.get("form")
        if form is not None:
            assert not FORBIDDEN_FIELDS & set(form.fields), path
        # The only roles offered are the three.
        assert "Everything" not in response.text


def test_invitation_ignores_escalation(client, adam, dudley, escalation, django_capture_on_commit_callbacks):
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {**invite_data(boroughs=[dudley.pk]), **escalation})
    assert response.status_code == 302
    dee = get_user_model().objects.get(username="dee.dudley")
    assert_not_escalated(dee)
    assert set(dee.groups.values_list("name", flat=True)) == {"CSP officer"}


@pytest.mark.parametrize("role", ["officer", "reviewer", "admin"])
def test_role_change_ignores_escalation(client, adam, olive, birmingham, escalation, role):
    client.force_login(adam)
    boroughs = [birmingham.pk] if role == "officer" else []
    response = client.post(person_url(olive), {"role": role, "boroughs": boroughs, **escalation})
    assert response["Location"] == person_url(olive)
    assert_not_escalated(olive)
    assert set(olive.groups.values_list("name", flat=True)) == {
        {"officer": "CSP officer", "reviewer": "OPCC reviewer", "admin": "OPCC admin"}[role]
    }


def test_role_names_other_than_the_three_are_refused(client, adam, olive, everything_group):
    client.force_login(adam)
    for role in ["superuser", "staff", "Everything", str(everything_group.pk), "OPCC admin"]:
        response = client.post(person_url(olive), {"role": role})
        assert response.context["form"].errors["role"] == ["Select a role"]
    assert_not_escalated(olive)
    assert set(olive.groups.values_list("name", flat=True)) == {"CSP officer"}


def test_account_actions_ignore_escalation(client, adam, olive, ivan, escalation, django_capture_on_commit_callbacks):
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        for path in [
            person_url(olive, "two-step-verification/"),
            person_url(olive, "account/"),
            person_url(olive, "account/"),
            person_url(ivan, "invitation/"),
        ]:
            assert client.post(path, {"reason": "Checked", **escalation}).status_code == 302, path
    assert not Authenticator.objects.filter(user=olive).exists()  # the posts did what they were for
    for person in (olive, ivan):
        assert_not_escalated(person)
    assert set(olive.groups.values_list("name", flat=True)) == {"CSP officer"}
    assert set(ivan.groups.values_list("name", flat=True)) == {"OPCC reviewer"}


def test_setting_a_password_ignores_escalation(client, adam, dudley, escalation, django_capture_on_commit_callbacks):
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INVITE, invite_data(boroughs=[dudley.pk]))
    invitee = client.__class__()
    form_url = invitee.get(invitation_link(mail.outbox[0]))["Location"]
    data = {"password1": "dudley-partnership-2026", "password2": "dudley-partnership-2026", **escalation}
    assert invitee.post(form_url, data)["Location"] == "/accounts/login/"
    assert_not_escalated(get_user_model().objects.get(username="dee.dudley"))


def test_the_admin_cannot_escalate_themselves(client, adam, escalation):
    client.force_login(adam)
    assert client.post(person_url(adam), {"role": "admin", **escalation}).status_code == 403
    assert_not_escalated(adam, staff=True)  # the fixture's admin was made staff; nothing here changes it
    assert client.get("/admin/auth/user/")["Location"] == "/admin/login/?next=/admin/auth/user/"
    assert client.__class__().login(username="adam", password=PASSWORD)
