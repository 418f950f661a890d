from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", include("boroughs.urls")),
    path("", include("returns.urls")),
    path("accounts/", include("boroughs.accounts.urls")),
    path("people/", include("boroughs.people.urls")),
    path("", include("reviews.urls")),
    # The read-only API for analysts (token authentication; reviews/api/README.md).
    path("api/", include("reviews.api.urls")),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="pages/accessibility.html")),
        name="accessibility",
    ),
    path(
        "privacy/",
        login_not_required(TemplateView.as_view(template_name="pages/privacy.html")),
        name="privacy",
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "CSP Returns administration"
admin.site.site_title = "CSP Returns"
