"""WeasyPrint runs for the annex PDF: each a Job (HTML, extra CSS, PDF variant), in this process or in children.

The annex's parts are laid out in children (write_all), its sample footer (footer.py) in this process.
"""

import gc
import multiprocessing
import multiprocessing.connection
from functools import cache
from pathlib import Path
from typing import NamedTuple

from weasyprint import CSS, HTML

# The variant that tags the PDF and writes the XMP metadata (dc:title, the PDF/UA identification) beside the Info.
PDF_VARIANT = "pdf/ua-1"
PRINT_CSS = Path(__file__).with_name("annex_pdf.css")
# A child's message to the parent starts with one of these.
OK, FAILED = b"+", b"!"
CHILD_GC_THRESHOLD = 100_000  # allocations between a child's collections (Python's default: 2,000)


class Job(NamedTuple):
    html: str
    css: str  # added after annex_pdf.css
    variant: str | None = PDF_VARIANT


def write(job):
    """The job's PDF (bytes). No base_url and a fetcher that refuses, for the HTML and the CSS alike: text from a
    cell can never fetch a file or URL (and WeasyPrint's own fetcher, built for every stylesheet given without
    one, costs a TLS set-up each time)."""
    stylesheets = [_print_css(), CSS(string=job.css, url_fetcher=_refuse)]
    return HTML(string=job.html, url_fetcher=_refuse).write_pdf(stylesheets=stylesheets, pdf_variant=job.variant)


@cache
def _print_css():
    """annex_pdf.css, parsed once per process (the children inherit it)."""
    return CSS(filename=str(PRINT_CSS), url_fetcher=_refuse)


def write_all(jobs, *, processes):
    """Each job's PDF, in order: in this process, or by up to `processes` forked children at a time.

    A child per job, forked from this (single) thread, starts with WeasyPrint and its fonts already loaded (the
    warm-up below) and shares the parent's memory; it lays out one job's HTML, sends the PDF back, never touches
    the database, and ends, so its memory goes back with it. The parent's objects are frozen out of the children's
    garbage collection first, or each collection in a child would touch, and so copy, every page of the parent's.
    (Not multiprocessing.Pool: its helper threads would be running while it forks.)
    """
    if processes <= 1 or len(jobs) == 1:
        return [write(job) for job in jobs]
    # Fonts, Pango and the print CSS loaded once, here, rather than in every child.
    write(Job('<html lang="en-GB"><p>.</p></html>', ""))
    gc.freeze()
    try:
        return _run(jobs, workers=min(processes, len(jobs)))
    finally:
        gc.unfreeze()


def _run(jobs, *, workers):
    """Run the jobs, largest first (so that a long one does not start last and hold up the rest), but never two
    big ones at once: a big job (more than twice the median's HTML: the appendix's sections) holds two or three
    times a borough part's memory, and two together were the export's peak."""
    context = multiprocessing.get_context("fork")
    sizes = [len(job.html) for job in jobs]
    big_above = 2 * sorted(sizes)[len(sizes) // 2]
    waiting = sorted(range(len(jobs)), key=lambda i: sizes[i], reverse=True)
    running, done = {}, {}  # running: {receiving end: (job index, process)}
    try:
        while waiting or running:
            big_running = any(sizes[i] > big_above for i, _ in running.values())
            for i in list(waiting):
                if len(running) >= workers:
                    break
                if sizes[i] > big_above and big_running:
                    continue
                waiting.remove(i)
                receiving, sending = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(jobs[i], sending), daemon=True)
                process.start()
                sending.close()
                running[receiving] = (i, process)
                big_running = big_running or sizes[i] > big_above
            for receiving in multiprocessing.connection.wait(list(running)):
                i, process = running.pop(receiving)
                done[i] = _result(receiving, process, i)
    finally:
        # Only after a part failed: the others still running are stopped, their pipes closed.
        for receiving, (_, process) in running.items():
            process.kill()
            process.join()
            receiving.close()
    return [done[i] for i in range(len(jobs))]


def _child(job, sending):
    # A child lives for one part: its garbage is collected rarely (the layout's boxes are alive until the end
    # anyway, and every collection walks them all: a sixth of the evidence map's time at the default thresholds).
    gc.set_threshold(CHILD_GC_THRESHOLD, 20, 100)
    try:
        sending.send_bytes(OK + write(job))
    except BaseException as error:  # reported to the parent, which raises it as the export's failure
        sending.send_bytes(FAILED + f"{type(error).__name__}: {error}".encode())
    finally:
        sending.close()


def _result(receiving, process, index):
    try:
        message = receiving.recv_bytes()
    except EOFError:
        message = FAILED + b"it ended without a result"
    finally:
        receiving.close()
        process.join()
    if message.startswith(FAILED):
        detail = message[len(FAILED) :].decode(errors="replace")
        raise RuntimeError(f"Part {index + 1} of the PDF failed: {detail} (exit code {process.exitcode})")
    return message[len(OK) :]


def _refuse(url, *args, **kwargs):
    raise ValueError(f"The annex PDF loads no resources ({url})")
