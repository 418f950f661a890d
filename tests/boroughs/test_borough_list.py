from tests.conftest import assert_redirects_to_login


def test_officer_sees_only_their_boroughs(client, alice, coventry):
    client.force_login(alice)
    response = client.get("/boroughs/")
    assert response.status_code == 200
    assert [b.slug for b in response.context["boroughs"]] == ["birmingham"]
    assert "Your partnerships" in response.text
    assert "Coventry" not in response.text


def test_officer_of_another_borough_does_not_see_birmingham(client, bob):
    client.force_login(bob)
    response = client.get("/boroughs/")
    assert [b.slug for b in response.context["boroughs"]] == ["coventry"]
    assert "Birmingham" not in response.text


def test_reviewer_sees_all_seven_partnerships(client, rita):
    client.force_login(rita)
    response = client.get("/boroughs/")
    assert response.status_code == 200
    for partnership in [
        "Birmingham Community Safety Partnership",
        "Coventry Community Safety Partnership",
        "Safe and Sound, Dudley",
        "Safer Sandwell Partnership",
        "Safer Solihull Partnership",
        "Walsall Community Safety Partnership",
        "Safer Wolverhampton Partnership",
    ]:
        assert partnership in response.text
    assert "All boroughs" in response.text


def test_user_without_permission_gets_403(client, charlie):
    client.force_login(charlie)
    assert client.get("/boroughs/").status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    assert_redirects_to_login(client.get("/boroughs/"), "/boroughs/")


def test_query_count_does_not_grow_with_boroughs(client, rita, django_assert_max_num_queries):
    from boroughs.models import Borough

    client.force_login(rita)
    client.get("/boroughs/")
    for n in range(30):
        Borough.objects.create(name=f"Extra {n}", slug=f"extra-{n}", partnership_name="X", ons_code=f"X{n:08d}")
    with django_assert_max_num_queries(8):
        response = client.get("/boroughs/")
    assert len(response.context["boroughs"]) == 37
