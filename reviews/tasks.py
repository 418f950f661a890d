"""Building annex exports on the background worker."""

import logging

from django.tasks import task

from .annex.assembly import assemble, assemble_version
from .exports import export
from .models import AnnexExport

log = logging.getLogger(__name__)


@task
def build_annex_export(export_id):
    """Render one queued AnnexExport with the ordinary exporters and store the file.

    A failure is written on the export, so its page can say what went wrong, and then raised again so
    the worker records the task as failed too (and moves on to the next one).
    """
    job = AnnexExport.objects.select_related("annex__financial_year", "version").get(pk=export_id)
    # Guarded: a task delivered twice (or an export already failed) raises here rather than building again.
    job.start()
    try:
        if job.version_id:
            job.version.annex = job.annex
            assembled = assemble_version(job.version)
        else:
            assembled = assemble(job.annex)
        content, content_type, filename = export(assembled, job.format)
        job.finish(content=content, filename=filename, content_type=content_type)
    except Exception as error:
        log.exception("Annex export %s failed", export_id)
        job.fail(error=f"{type(error).__name__}: {error}")
        raise
    return {"status": job.status, "size": job.size}
