"""History tabs. A return's history sits beside the return's own URLs, for its officers too."""

from django.urls import path

from .views import history

urlpatterns = [
    path("returns/<int:pk>/history/", history.return_history_view, name="return_history"),
    path("review/roll-up/<slug:slug>/<str:year>/history/", history.rollup_history_view, name="rollup_history"),
]
