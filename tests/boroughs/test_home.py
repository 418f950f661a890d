from tests.conftest import assert_redirects_to_login, make_user


def test_officer_lands_on_their_borough(client, alice):
    client.force_login(alice)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/boroughs/birmingham/"


def test_officer_of_several_boroughs_lands_on_the_list(client, birmingham, coventry):
    from boroughs.roles import CSP_OFFICER

    multi = make_user("multi", role=CSP_OFFICER, boroughs=[birmingham, coventry])
    client.force_login(multi)
    response = client.get("/")
    assert response["Location"] == "/boroughs/"


def test_opcc_staff_land_on_the_overview(client, rita):
    client.force_login(rita)
    response = client.get("/")
    assert response["Location"] == "/review/"


def test_user_without_a_role_is_refused(client, charlie):
    client.force_login(charlie)
    response = client.get("/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text


def test_anonymous_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get("/"), "/")
