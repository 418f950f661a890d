"""Building annex exports and the analysts' year data on the background worker."""

import logging

from django.tasks import task

from .annex.assembly import assemble, assemble_version
from .data import build as year_data
from .exports import export
from .models import AnnexExport, YearDataExport

log = logging.getLogger(__name__)


@task
def build_annex_export(export_id):
    """Render one queued AnnexExport with the ordinary exporters and store the file."""
    job = AnnexExport.objects.select_related("annex__financial_year", "version").get(pk=export_id)

    def render():
        if job.version_id:
            job.version.annex = job.annex
            return export(assemble_version(job.version), job.format)
        return export(assemble(job.annex), job.format)

    return _build(job, render)


@task
def build_year_data_export(export_id):
    """Build one queued YearDataExport: the year's data for analysts, as its requester may see it."""
    job = YearDataExport.objects.select_related("financial_year", "requested_by").get(pk=export_id)
    return _build(job, lambda: year_data(job.financial_year, job.requested_by, job.format))


def _build(job, render):
    """Start the job, store what `render()` returns (bytes, content type, file name), or record why not.

    A failure is written on the job, so its page can say what went wrong, and then raised again so the
    worker records the task as failed too (and moves on to the next one).
    """
    # Guarded: a task delivered twice (or a job already failed) raises here rather than building again.
    job.start()
    try:
        content, content_type, filename = render()
        job.finish(content=content, filename=filename, content_type=content_type)
    except Exception as error:
        log.exception("%s %s failed", type(job).__name__, job.pk)
        job.fail(error=f"{type(error).__name__}: {error}")
        raise
    return {"status": job.status, "size": job.size}
