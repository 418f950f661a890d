"""The quarterly review, under /review/. Every URL here is OPCC-only: officers get 404."""

from django.urls import path

from .views import review_board, review_commentary, review_decisions, review_grid, review_return, review_rollup

app_name = "review"

urlpatterns = [
    path("", review_grid.grid, name="grid"),
    path("returns/<int:pk>/", review_return.review_return, name="return"),
    path("returns/<int:pk>/submitted/<int:decision_pk>/", review_return.submitted_version, name="submitted_version"),
    path("returns/<int:pk>/columns/<slug:key>/", review_commentary.column_commentary, name="column_commentary"),
    path(
        "returns/<int:pk>/projects/<int:project_pk>/", review_commentary.project_commentary, name="project_commentary"
    ),
    path("returns/<int:pk>/flags/add/", review_commentary.flag_new, name="flag_add"),
    path("flags/<int:pk>/resolve/", review_commentary.flag_resolve, name="flag_resolve"),
    path("returns/<int:pk>/request-changes/", review_decisions.request_changes, name="request_changes"),
    path("returns/<int:pk>/accept/", review_decisions.accept, name="accept"),
    path("returns/<int:pk>/reopen/", review_decisions.reopen, name="reopen"),
    path("roll-up/<slug:slug>/<str:year>/", review_rollup.rollup, name="rollup"),
    path("roll-up/<slug:slug>/<str:year>/start/", review_rollup.rollup_start, name="rollup_start"),
    path("roll-up/<slug:slug>/<str:year>/cells/<int:cell_pk>/", review_rollup.cell_edit, name="rollup_cell"),
    path("roll-up/<slug:slug>/<str:year>/rows/<int:row_pk>/move/", review_rollup.row_move, name="rollup_row_move"),
    path("roll-up/<slug:slug>/<str:year>/rows/<int:row_pk>/hide/", review_rollup.row_hide, name="rollup_row_hide"),
    path("roll-up/<slug:slug>/<str:year>/rows/<int:row_pk>/show/", review_rollup.row_show, name="rollup_row_show"),
    path("evidence-quality/", review_board.evidence_quality, name="evidence_quality"),
    path("themes/", review_board.thematic, name="thematic"),
]
