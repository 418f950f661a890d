"""Every URL of the reviews app, in one namespace: `reviews:`.

Review, roll-up and annex URLs are OPCC-only (officers get 404); search and a return's History tab are
open to officers, scoped to their own boroughs.
"""

from django.urls import include, path

from .views import annex, board, changes, data, exports, history, opendata, review, rollup
from .views import bulk as bulk_views
from .views import years as year_views

app_name = "reviews"

review_urls = [
    path("", review.grid, name="grid"),
    path("returns/<int:pk>/", review.review_return, name="return"),
    path("returns/<int:pk>/submitted/<int:decision_pk>/", review.submitted_version, name="submitted_version"),
    path("returns/<int:pk>/changes/", changes.return_changes, name="return_changes"),
    path("returns/<int:pk>/charts/<int:project_pk>/", review.return_project_charts, name="return_project_charts"),
    path("returns/<int:pk>/columns/<slug:key>/", review.column_commentary, name="column_commentary"),
    path("returns/<int:pk>/projects/<int:project_pk>/", review.project_commentary, name="project_commentary"),
    path("returns/<int:pk>/flags/add/", review.flag_new, name="flag_add"),
    path("flags/<int:pk>/resolve/", review.flag_resolve, name="flag_resolve"),
    path("returns/<int:pk>/request-changes/", review.request_changes, name="request_changes"),
    path("returns/<int:pk>/accept/", review.accept, name="accept"),
    path("returns/<int:pk>/reopen/", review.reopen, name="reopen"),
    path("roll-up/<slug:slug>/<str:year>/", rollup.rollup, name="rollup"),
    path("roll-up/<slug:slug>/<str:year>/start/", rollup.rollup_start, name="rollup_start"),
    path("roll-up/<slug:slug>/<str:year>/history/", history.rollup_history_view, name="rollup_history"),
    # The one place the roll-up's cells and rows are edited; the annex preview links here with ?from=annex.
    path("roll-up/<slug:slug>/<str:year>/cells/<int:cell_pk>/", rollup.cell_edit, name="rollup_cell"),
    path("roll-up/<slug:slug>/<str:year>/rows/<int:row_pk>/move/", rollup.row_move, name="rollup_row_move"),
    path(
        "roll-up/<slug:slug>/<str:year>/rows/<int:row_pk>/visibility/",
        rollup.row_visibility,
        name="rollup_row_visibility",
    ),
    path("board/", board.board_view, name="board"),
    path("evidence-quality/", board.evidence_quality, name="evidence_quality"),
    path("themes/", board.thematic, name="thematic"),
    # Bulk work from the grid (reviews/views/bulk.py): choose, confirm, then all or nothing.
    path("bulk/accept/", bulk_views.bulk_accept, name="bulk_accept"),
    path("bulk/remind/", bulk_views.bulk_remind, name="bulk_remind"),
    path("bulk/resolve/", bulk_views.bulk_resolve, name="bulk_resolve"),
]

annex_urls = [
    path("", annex.annex_list, name="annex_list"),
    # Before the "<str:year>/" patterns, which would otherwise read "exports" as a year.
    path("exports/<int:pk>/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/status.json", exports.export_status_json, name="export_status_json"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    # The year's data for analysts (reviews/data): the page, the files, and a large year's files from the worker.
    path("data-exports/<int:pk>/", data.year_data_export_status, name="year_data_export_status"),
    path("data-exports/<int:pk>/status.json", data.year_data_export_status_json, name="year_data_export_status_json"),
    path("data-exports/<int:pk>/download/", data.year_data_export_download, name="year_data_export_download"),
    path("<str:year>/data/", data.year_data, name="year_data"),
    path("<str:year>/data/<slug:fmt>/", data.year_data_download, name="year_data_download"),
    path("<str:year>/data/<slug:fmt>/prepare/", data.year_data_prepare, name="year_data_prepare"),
    path("<str:year>/", annex.annex_preview, name="annex_preview"),
    path("<str:year>/start/", annex.annex_start, name="annex_start"),
    path("<str:year>/details/", annex.details_edit, name="details_edit"),
    path("<str:year>/publish/", annex.publish, name="publish"),
    path("<str:year>/versions/", annex.version_list, name="version_list"),
    path("<str:year>/versions/<int:number>/", annex.version_detail, name="version_detail"),
    path("<str:year>/versions/<int:number>/diff/", annex.version_diff, name="version_diff"),
    path("<str:year>/versions/<int:number>/<slug:fmt>/", annex.export_version, name="export_version"),
    path("<str:year>/export/<slug:fmt>/", annex.export_draft, name="export_draft"),
    path(
        "<str:year>/versions/<int:number>/<slug:fmt>/prepare/",
        exports.export_prepare_version,
        name="export_prepare_version",
    ),
    path("<str:year>/export/<slug:fmt>/prepare/", exports.export_prepare_draft, name="export_prepare_draft"),
]

urlpatterns = [
    path("review/", include(review_urls)),
    path("annex/", include(annex_urls)),
    path("search/", board.search, name="search"),
    # Beside the years page (returns app), which links here: closing needs the year's annex published.
    path("years/<str:year>/close/", year_views.year_close, name="year_close"),
    # Beside the return's own URLs (returns app), for its officers too.
    path("returns/<int:pk>/history/", history.return_history_view, name="return_history"),
    # Public: the published years' grants in the 360Giving Data Standard (reviews/opendata).
    path("open-data/", opendata.open_data, name="open_data"),
    path("open-data/<str:year>/grants.json", opendata.grants_json, name="grants_json"),
    path("open-data/<str:year>/grants.csv", opendata.grants_csv, name="grants_csv"),
]
