from tests.conftest import PASSWORD


def test_login_page_is_public_and_gov_uk_styled(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'class="govuk-input"' in response.text
    assert "Sign in to CSP Returns" in response.text


def test_signing_in_sends_an_officer_to_their_borough(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/boroughs/birmingham/"
    assert response.context["user"] == alice


def test_signing_in_honours_next(client, alice):
    response = client.post("/accounts/login/?next=/boroughs/", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == "/boroughs/"


def test_wrong_password_shows_error_summary_and_keeps_username(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Enter a correct username and password" in response.text
    assert 'value="alice"' in response.text
    assert response.context["user"].is_anonymous


def test_signed_in_user_visiting_login_is_sent_on(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/login/")["Location"] == "/"


def test_sign_out_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/boroughs/")["Location"].startswith("/accounts/login/")


def test_expired_session_explains_itself(client, db):
    response = client.get("/accounts/login/?expired=1&next=/boroughs/")
    assert "You were signed out because you had not done anything for a while" in response.text
