from django.urls import path

from .views import annex, editing, exports

app_name = "reviews"

urlpatterns = [
    path("", annex.annex_list, name="annex_list"),
    # Before the "<str:year>/" patterns, which would otherwise read "exports" as a year.
    path("exports/<int:pk>/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/status.json", exports.export_status_json, name="export_status_json"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("<str:year>/", annex.annex_preview, name="annex_preview"),
    path("<str:year>/details/", editing.details_edit, name="details_edit"),
    path("<str:year>/cells/<int:pk>/", editing.cell_edit, name="cell_edit"),
    path("<str:year>/rows/<int:pk>/move/", editing.row_move_view, name="row_move"),
    path("<str:year>/rows/<int:pk>/visibility/", editing.row_visibility, name="row_visibility"),
    path("<str:year>/publish/", editing.publish, name="publish"),
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
