from django.urls import path, register_converter

from .views import evidence, imports, periods, project_imports, projects, returns, sections, years


class LogConverter:
    regex = "risks|community|opcc"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LogConverter, "log")

urlpatterns = [
    path("boroughs/<slug:slug>/returns/", returns.borough_returns, name="borough_returns"),
    path("boroughs/<slug:slug>/returns/start/<int:period_pk>/", returns.return_start_view, name="return_start"),
    path("boroughs/<slug:slug>/projects/", projects.project_list, name="project_list"),
    path("boroughs/<slug:slug>/projects/add/", projects.project_add, name="project_add"),
    path("boroughs/<slug:slug>/projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("boroughs/<slug:slug>/projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("boroughs/<slug:slug>/projects/<int:pk>/indicators/add/", projects.indicator_form, name="indicator_add"),
    path(
        "boroughs/<slug:slug>/projects/<int:pk>/indicators/<int:indicator_pk>/",
        projects.indicator_form,
        name="indicator_edit",
    ),
    path("boroughs/<slug:slug>/projects/<int:pk>/funding/add/", projects.match_funding_add, name="match_funding_add"),
    path(
        "boroughs/<slug:slug>/projects/<int:pk>/funding/<int:funding_pk>/",
        projects.match_funding_edit,
        name="match_funding_edit",
    ),
    path(
        "boroughs/<slug:slug>/projects/<int:pk>/funding/<int:funding_pk>/remove/",
        projects.match_funding_remove,
        name="match_funding_remove",
    ),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
    path("returns/<int:pk>/alignment/", sections.alignment, name="return_alignment"),
    path("returns/<int:pk>/projects/<int:update_pk>/", sections.project_update, name="return_project"),
    path("returns/<int:pk>/evidence/", evidence.evidence_section, name="return_evidence"),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/download/", evidence.evidence_download, name="evidence_download"
    ),
    path("returns/<int:pk>/evidence/<int:evidence_pk>/remove/", evidence.evidence_delete, name="evidence_remove"),
    path("returns/<int:pk>/check/", returns.return_check, name="return_check"),
    path("returns/<int:pk>/print/", returns.return_print, name="return_print"),
    path("returns/<int:pk>/import/", imports.quarter_upload_view, name="return_import"),
    path("returns/<int:pk>/import/template/", imports.quarter_template_download, name="return_import_template"),
    path("returns/<int:pk>/import/<int:import_pk>/", imports.quarter_preview_view, name="return_import_preview"),
    path("returns/<int:pk>/<log:log>/", sections.log_section, name="return_log"),
    path("returns/<int:pk>/<log:log>/add/", sections.log_item, name="return_log_add"),
    path("returns/<int:pk>/<log:log>/<int:item_pk>/", sections.log_item, name="return_log_item"),
    path("returns/<int:pk>/<log:log>/<int:item_pk>/remove/", sections.log_item_remove, name="return_log_remove"),
    path("years/", years.year_list, name="year_list"),
    path("years/open/", years.year_open, name="year_open"),
    path("years/<str:year>/projects/import/", project_imports.projects_import, name="projects_import"),
    path(
        "years/<str:year>/projects/import/template/",
        project_imports.projects_import_template,
        name="projects_import_template",
    ),
    path(
        "years/<str:year>/projects/import/<uuid:uuid>/",
        project_imports.projects_import_preview,
        name="projects_import_preview",
    ),
    path("periods/<int:pk>/", periods.period_edit, name="period_edit"),
    path("periods/<int:pk>/extensions/add/", periods.extension_add, name="extension_add"),
    path("periods/<int:pk>/status/", periods.period_close_or_reopen, name="period_status"),
]
