"""The Django admin is for superusers only, and signs in through the service's throttled sign-in."""

from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

from .conftest import LOGIN


def change_user(client, user, **changes):
    """POST the admin's change form for `user`, as the admin's own form would send it."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **changes,
    }
    return client.post(f"/admin/auth/user/{user.pk}/change/", data)


def test_opcc_admin_cannot_use_the_admin(client, adam):
    client.force_login(adam)
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    # Signed in but not a superuser: refused, never shown a second sign-in form.
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.get("/admin/boroughs/borough/")["Location"] == "/admin/login/?next=/admin/boroughs/borough/"
    assert client.get("/admin/auth/user/")["Location"] == "/admin/login/?next=/admin/auth/user/"


def test_opcc_admin_cannot_make_anyone_a_superuser(client, adam, rita):
    client.force_login(adam)
    for user in (adam, rita):
        response = change_user(client, user, is_superuser="on", is_staff="on")
        assert response["Location"] == f"/admin/login/?next=/admin/auth/user/{user.pk}/change/"
        user.refresh_from_db()
        assert not user.is_superuser
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_superuser_still_manages_users(client, sam, rita):
    client.force_login(sam)
    assert client.get("/admin/").status_code == 200
    response = change_user(client, rita, is_superuser="on")
    assert response["Location"] == "/admin/auth/user/"
    rita.refresh_from_db()
    assert rita.is_superuser


def test_admin_sign_in_is_the_service_sign_in(client, sam):
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/")["Location"] == f"{LOGIN}?next=/admin/"
    response = client.post(f"{LOGIN}?next=/admin/", {"login": "sam", "password": PASSWORD})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_sign_in_form_checks_no_password(client, sam):
    # The admin's own form would be a second, unthrottled way to try passwords: a POST to it signs nobody in.
    response = client.post("/admin/login/?next=/admin/", {"username": "sam", "password": PASSWORD})
    assert response["Location"] == f"{LOGIN}?next=/admin/"
    assert "_auth_user_id" not in client.session


def test_ten_failed_admin_sign_ins_lock_the_superuser_out(client, sam):
    sign_in_path = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(10):
        client.post(sign_in_path, {"login": "sam", "password": "wrong"})
    response = client.post(sign_in_path, {"login": "sam", "password": PASSWORD})
    assert response.status_code == 200
    assert "You have tried to sign in too many times. Wait 15 minutes, then try again." in response.text
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
