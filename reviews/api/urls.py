"""/api/: the resources (a DRF router) and the OpenAPI schema, in the `api:` namespace.

The schema is public: it describes the shape of the data and holds none of it, and tools that build clients
from it can fetch it before they have a token. Every resource needs a token.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import schema, views  # noqa: F401  (schema registers the bearer token's description)

app_name = "api"

router = SimpleRouter()
router.register("years", views.YearViewSet, basename="year")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("boroughs", views.BoroughViewSet, basename="borough")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("returns", views.ReturnViewSet, basename="return")
router.register("flags", views.FlagViewSet, basename="flag")
router.register("annex-versions", views.AnnexVersionViewSet, basename="annex-version")

urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    *router.urls,
]
