"""`make bench`: time the exports of the 2015-16 annex and print the figures.

It runs in a throw-away in-memory database (the demo annex shipped with the app is imported into it),
so it never touches real data and needs no set-up.
"""

import logging
import resource
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.test.utils import setup_databases, teardown_databases

LIMITS = {"docx": 0.5, "pdf": 3.0}


class Command(BaseCommand):
    help = "Time the DOCX, PDF, XLSX and CSV exports of the seed annex (and fail if DOCX or PDF is too slow)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Runs per format; the median is reported.")

    def handle(self, *args, repeat, **options):
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            failures = self._bench(repeat)
        finally:
            teardown_databases(old, verbosity=0)
        if failures:
            raise SystemExit(1)

    def _bench(self, repeat):
        from boroughs.models import Borough
        from boroughs.reference import ensure_west_midlands
        from reviews.annex.assembly import assemble
        from reviews.demo import seed_annex
        from reviews.exports import FORMATS
        from reviews.models import Annex

        ensure_west_midlands(Borough)
        seed_annex()
        annex = Annex.objects.select_related("financial_year").get(financial_year__label="2015-16")
        start = time.perf_counter()
        assembled = assemble(annex)
        self.stdout.write(f"assemble 2015-16 annex: {time.perf_counter() - start:.3f} s")
        failures = []
        for fmt, module in FORMATS.items():
            module.render(assembled)  # warm up: imports, fonts
            timings = []
            for _ in range(repeat):
                start = time.perf_counter()
                content = module.render(assembled)
                timings.append(time.perf_counter() - start)
            tracemalloc.start()
            module.render(assembled)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            median = statistics.median(timings)
            limit = LIMITS.get(fmt)
            verdict = (
                ""
                if limit is None
                else (f" (limit {limit} s: ok)" if median < limit else f" (limit {limit} s: TOO SLOW)")
            )
            if limit is not None and median >= limit:
                failures.append(fmt)
            self.stdout.write(
                f"{fmt:>4} export: median {median:.3f} s, best {min(timings):.3f} s of {repeat}, "
                f"{len(content) // 1024} KiB, peak Python memory {peak / 2**20:.1f} MiB{verdict}"
            )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"process peak resident memory: {rss:.0f} MiB")
        return failures
