"""Annex exports (and, once it exists, the spreadsheet import's reading), each measured in a fresh process.

A fresh process makes the memory figures mean something. The memory figure is the peak memory of the process
and its children (PSS): while the work runs, a sampler thread adds up, every SAMPLE_SECONDS, the proportional set size
(/proc/<pid>/smaps_rollup) of this process and every process descended from it, and the figure is the highest
sum minus the sum just before the work. PSS, not RSS, because the PDF is rendered in parts by a process pool:
forked children share their parent's pages, and RSS would count each shared page once per process. A spike in
this process shorter than the sampling interval is not lost: its own resident-set peak is also reset just before
the work (Linux /proc/self/clear_refs), and the figure is never below how far that peak rose. The time comes from
that same untraced run; a second run under tracemalloc gives the peak of Python allocations (this process only).
DOCX and XLSX are built as the request builds them (assemble, then render); the PDF as the worker builds it: a
queued AnnexExport and the task function itself.
"""

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from io import BytesIO

from django.conf import settings

FORMATS = ("docx", "xlsx", "pdf")
IMPORT_ROWS = 10_000
CHILD_TIMEOUT = 600
# An export slower than this is not run a second time under tracemalloc (which would take two to three times
# as long again): its Python peak is then reported as unknown.
TRACE_UNDER_SECONDS = 60
# How often the process tree's memory is sampled while an export runs.
SAMPLE_SECONDS = 0.1
_PROC_CHILDREN = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")


def measure_in_child(kind, *args):
    """Run `manage.py bench --child KIND ARGS` and return the JSON it prints (or the error it died with)."""
    command = [sys.executable, "manage.py", "bench", "--child", kind, *map(str, args)]
    try:
        done = subprocess.run(
            command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False, timeout=CHILD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish in {CHILD_TIMEOUT} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]}


def _status_kib(field, pid="self"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _pss_kib(pid):
    """The process's proportional set size: a page shared by n processes counts 1/n in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass  # not readable here (permissions, or no smaps_rollup in this kernel): its RSS, an over-count, instead
    try:
        return _status_kib("VmRSS", pid)
    except OSError:
        return 0  # it has exited since it was listed


def _children(pid):
    """The pids of the process's children, from every one of its threads (a thread's children are its own)."""
    if not _PROC_CHILDREN:
        return _children_by_parent(pid)
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []  # it has exited since it was listed
    found = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as children:
                found += children.read().split()
        except OSError:
            pass  # that thread has exited since it was listed
    return found


def _children_by_parent(pid):
    """The slow way, for a kernel built without /proc/<pid>/task/<tid>/children: every process's parent."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    # The command name in brackets may hold spaces or brackets; the parent pid is after its end.
                    if stat.read().rpartition(")")[2].split()[1] == str(pid):
                        found.append(entry)
            except (OSError, IndexError):
                pass
    return found


def _tree_pss_kib():
    """PSS of this process and all its descendants, in KiB."""
    total, pending, seen = 0, [str(os.getpid())], set()
    while pending:
        pid = pending.pop()
        if pid not in seen:
            seen.add(pid)
            total += _pss_kib(pid)
            pending += _children(pid)
    return total


class _TreeSampler(threading.Thread):
    """Samples _tree_pss_kib() every SAMPLE_SECONDS until stopped (and once more then), keeping the highest."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, _tree_pss_kib())

    def stop(self):
        self._stop_event.set()
        self.join()
        self.peak = max(self.peak, _tree_pss_kib())
        return self.peak


def _measured(work):
    """(seconds, peak memory MiB of the process and its children (PSS), tracemalloc peak MiB) of work(): once
    untraced, once traced (if not too slow). The memory figure keeps its old key, rss_delta_mib, so that the JSON
    of earlier runs still compares."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # reset the peak resident size (VmHWM) to the current one
    except OSError:
        pass
    rss_before = _status_kib("VmRSS")
    tree_before = _tree_pss_kib()  # this process alone, unless it already has children
    sampler = _TreeSampler()
    sampler.start()
    start = time.perf_counter()
    try:
        work()
    finally:
        seconds = time.perf_counter() - start
        tree_peak = sampler.stop()
    own_peak = _status_kib("VmHWM") - rss_before
    delta = max(0, tree_peak - tree_before, own_peak) / 1024
    peak = None
    if seconds < TRACE_UNDER_SECONDS:
        tracemalloc.start()
        work()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"seconds": seconds, "rss_delta_mib": delta, "traced_peak_mib": peak}


def child_export(fmt, year):
    """One export of the year's annex, measured (runs in the child process)."""
    from django.contrib.auth import get_user_model

    from reviews.annex.assembly import assemble
    from reviews.exports import FORMATS as MODULES
    from reviews.exports import export
    from reviews.models import Annex, AnnexExport
    from reviews.tasks import build_annex_export

    annex = Annex.objects.select_related("financial_year").get(financial_year__label=year)
    boroughs = annex.financial_year.rollups.count()
    if fmt == "pdf":
        import weasyprint

        weasyprint.HTML(string="<p>warm-up: fonts and Pango</p>").write_pdf()  # not part of any one export
        user = get_user_model().objects.filter(is_active=True).order_by("pk").first()
        sizes = []

        def work():
            job = AnnexExport.objects.create(annex=annex, format="pdf", requested_by=user)
            build_annex_export.call(job.pk)
            job.refresh_from_db()
            sizes.append(job.size)
            job.file.delete(save=False)
            job.delete()
    else:
        MODULES[fmt]  # imported, as in a warm web process
        sizes = []

        def work():
            content, _, _ = export(assemble(annex), fmt)
            sizes.append(len(content))

    return {"format": fmt, "year": year, "boroughs": boroughs, **_measured(work), "kib": sizes[0] // 1024}


def reading_available():
    return importlib.util.find_spec("returns.imports.reading") is not None


def child_import(rows=IMPORT_ROWS):
    """Parsing generated workbooks with returns.imports.reading (issue 14): one of `rows` rows, and one of the
    most rows an import accepts (reading.MAX_ROWS) if that is fewer, since a longer sheet is refused mid-way."""
    from returns.imports import reading

    figures = {"rows": rows, "max_rows": getattr(reading, "MAX_ROWS", None), "runs": []}
    for n in sorted({rows, min(rows, figures["max_rows"] or rows)}):
        figures["runs"].append({"rows": n, **_parse(reading, n)})
    return figures


def _parse(reading, rows):
    from openpyxl import Workbook

    columns = {"project": "Project", "indicator": "Indicator", "value": "Value", "spend": "Spend", "notes": "Notes"}
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(list(columns.values()))
    for i in range(rows):
        sheet.append([f"Project {i % 40}", f"Indicator {i % 7}", i % 500, f"{(i * 37) % 90000}.50", "On track"])
    buffer = BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    outcome = []

    def work():
        upload = BytesIO(data)
        upload.name = "figures.xlsx"
        sheet = reading.open_sheet(upload, sheet_name="Figures")
        try:
            outcome.append(f"read {len(reading.read_rows(sheet, columns=columns)):,} rows")
        except reading.ImportFileError as error:
            outcome.append(f"refused: {str(error)[:80]}")
        finally:
            sheet.parent.close()

    return {"kib": len(data) // 1024, **_measured(work), "outcome": outcome[0]}
