"""The OpenAPI schema: served at /api/schema/ without a token (it holds no data), valid OpenAPI 3."""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

RESOURCES = ["years", "periods", "boroughs", "projects", "indicators", "returns", "flags", "annex-versions"]


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_served_and_valid(schema):
    validate_schema(schema)  # raises on any departure from the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/{resource}/" in schema["paths"]


def test_it_describes_the_bearer_token_and_the_filters(schema):
    assert schema["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerToken"]["description"],
    }
    returns = schema["paths"]["/api/returns/"]["get"]
    assert returns["security"] == [{"bearerToken": []}]
    parameters = {p["name"]: p["schema"] for p in returns["parameters"]}
    assert set(parameters) == {"year", "borough", "status", "page", "page_size"}
    assert "changes_requested" in parameters["status"]["enum"]
    assert "post" not in schema["paths"]["/api/returns/"]


def test_yaml_by_default(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "CSP Returns API"


def test_spectacular_validates_it_with_no_warnings(tmp_path, db):
    # The command CI can run: --fail-on-warn makes any guess drf-spectacular had to make an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")
