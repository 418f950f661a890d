"""The benchmark's bare view exists only in the bench URLconf (config.settings.bench), never in the service's."""

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from config import urls_bench


def test_the_service_has_no_bare_view():
    with pytest.raises(Resolver404):
        resolve("/bench/bare/")


def test_the_bench_urlconf_adds_only_the_bare_view_to_the_service():
    assert resolve("/bench/bare/", urlconf="config.urls_bench").url_name == "bench_bare"
    assert resolve("/review/", urlconf="config.urls_bench").view_name == "reviews:grid"


@pytest.mark.urls("config.urls_bench")
def test_the_bare_view_answers_through_the_middleware(client, rita):
    assert Client().get("/bench/bare/").status_code == 302  # sign-in first, like every page
    client.force_login(rita)
    response = client.get("/bench/bare/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
    assert urls_bench.urlpatterns[0].name == "bench_bare"
