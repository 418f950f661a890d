"""Tells drf-spectacular how the API authenticates, so the OpenAPI schema describes the bearer token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "boroughs.accounts.api_auth.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made on your account page (/accounts/api-tokens/): Authorization: Bearer csp_…",
        }
