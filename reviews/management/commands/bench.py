"""`manage.py bench` (`make bench`): every key page's cost on the loaded data, the exports, and throughput.

Run under config.settings.bench against a throw-away PostgreSQL database (the Makefile makes one, with the demo
and then seed_scale). Prints, for every key page: the query count, median and p95 in process (the test client,
signed in as the page's persona), then req/s, p50 and p99 under gunicorn (2 workers) and wrk (16 connections),
and each page's share of a bare view measured just before it in the same run (in `--rounds` rounds: the round
with the median share is reported, with the lowest and highest shares); then each annex export's time and memory.
`--json` keeps the figures and `--compare` prints two runs side by side. It changes nothing but sessions.
"""

import json
import math
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config.startup import freeze_what_is_loaded
from reviews.bench import exports, load
from reviews.bench.pages import client_for, key_pages, time_board, time_page
from reviews.bench.stats import fmt, median_round, share, table


class Command(BaseCommand):
    help = "Benchmark the key pages, the annex exports and throughput on the loaded data (config.settings.bench)."

    def add_arguments(self, parser):
        parser.add_argument("--label", default="data", help="A name for this data set in the output.")
        parser.add_argument("--runs", type=int, default=15, help="Timed requests per page in process.")
        parser.add_argument("--budget", type=float, default=15.0, help="Seconds per page in process (≥ 3 runs).")
        parser.add_argument("--seconds", type=int, default=5, help="wrk's duration per page.")
        parser.add_argument(
            "--max-seconds", type=int, default=60, help="wrk's longest run, for a page of several seconds."
        )
        parser.add_argument(
            "--rounds", type=int, default=3, help="Rounds under load; each page's median-share round is reported."
        )
        parser.add_argument("--no-load", action="store_true", help="Skip gunicorn and wrk.")
        parser.add_argument("--no-exports", action="store_true", help="Skip the export and import measurements.")
        parser.add_argument("--json", type=Path, help="Write the figures here too.")
        parser.add_argument("--compare", type=Path, nargs=2, metavar="JSON", help="Print two runs side by side.")
        parser.add_argument("--child", nargs="+", help=argparse_hidden())

    def handle(self, *args, **options):
        if options["child"]:
            return self.child(*options["child"])
        if options["compare"]:
            return self.compare(*options["compare"])
        if settings.ROOT_URLCONF != "config.urls_bench":
            raise CommandError("Run it with DJANGO_SETTINGS_MODULE=config.settings.bench (see `make bench`).")
        result = {"label": options["label"], "database": connection.vendor, "notes": [], "load": os.getloadavg()}
        result["counts"] = self.counts()
        self.say(
            f"\n== {options['label']}: {result['counts']['boroughs']} boroughs, {result['counts']['returns']:,} "
            f"returns, {result['counts']['updates']:,} project updates, database {connection.vendor}"
        )
        pages, users, notes = key_pages()
        freeze_what_is_loaded()  # as config/wsgi.py does in each app server
        result["notes"] += notes
        result["pages"] = self.in_process(pages, users, options)
        if options["no_load"]:
            result["notes"].append("throughput skipped (--no-load)")
        elif load.wrk_missing():
            result["notes"].append("throughput skipped: wrk is not installed (apt-get install wrk)")
        else:
            result["bare"] = self.throughput(
                pages, users, result["pages"], options["seconds"], options["max_seconds"], options["rounds"]
            )
        self.say(self.pages_table(result))
        result["board"] = time_board()
        if result["board"]:
            b = result["board"]
            self.say(
                f"  board view figures and charts worked out afresh (a cold cache), {b['year']}, {b['boroughs']} "
                f"boroughs: {b['worked_out_s']:.2f} s; the annex appendix rendered from scratch: "
                f"{b['appendix_s']:.2f} s ({b['appendix_kib']:,} KiB)"
            )
        if not options["no_exports"]:
            result["exports"], result["import"] = self.exports(result)
        result["load_after"] = os.getloadavg()
        result["notes"].append(
            "machine load average (1 min) {:.1f} before, {:.1f} after".format(
                result["load"][0], result["load_after"][0]
            )
        )
        for note in result["notes"]:
            self.say(f"note: {note}")
        if options["json"]:
            options["json"].parent.mkdir(parents=True, exist_ok=True)
            options["json"].write_text(json.dumps(result, indent=2))

    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def counts(self):
        from boroughs.models import Borough
        from returns.models import IndicatorActual, ProjectUpdate, Return
        from reviews.models import RollUpCell

        return {
            "boroughs": Borough.objects.count(),
            "returns": Return.objects.count(),
            "updates": ProjectUpdate.objects.count(),
            "actuals": IndicatorActual.objects.count(),
            "cells": RollUpCell.objects.count(),
        }

    def in_process(self, pages, users, options):
        clients, figures = {}, {}
        for page in pages:
            user = users.get(page.persona)
            if user is None:
                figures[page.name] = {"status": f"no {page.persona}"}
                continue
            client = clients.setdefault(page.persona, client_for(user))
            figures[page.name] = {
                "url": page.url,
                "persona": page.persona,
                **time_page(client, page.url, runs=options["runs"], budget=options["budget"]),
            }
            got = figures[page.name]
            self.say(
                f"  {page.name:<24} {got['status']!s:>4} {fmt(got.get('queries')):>5} queries, "
                f"median {fmt(got.get('median'))} ms, p95 {fmt(got.get('p95'))} ms ({page.url})"
            )
        return figures

    def throughput(self, pages, users, figures, seconds, max_seconds, rounds):
        cookies = {persona: load.session_cookies(user) for persona, user in users.items() if user}
        bare_runs = []
        with load.gunicorn() as base:
            loaded = []
            for page in pages:
                got = figures[page.name]
                if got.get("status") != 200:
                    continue
                status = load.check(base, page.url, cookies[page.persona][0])
                if status != 200:
                    got["load_status"] = status
                    continue
                loaded.append(page)
            # Every page once a round, the rounds one after another: a slow spell of a shared machine (its speed
            # moves by a sixth within minutes) falls on one round of several pages, not on every round of one.
            for number in range(1, rounds + 1):
                for page in loaded:
                    got = figures[page.name]
                    # The bare view just before each page: on a shared machine the floor moves, so each page is
                    # compared with the floor of its own moment.
                    bare = load.hammer(base, "/bench/bare/", cookies["reviewer"], seconds=min(seconds, 3))
                    bare_runs.append(bare)
                    # A slow page gets long enough for its requests to finish: 16 connections queue on 2 workers,
                    # so one round of them takes about 8 times the page's own time.
                    duration = max(seconds, min(max_seconds, math.ceil(1.5 * 8 * got["median"] / 1000)))
                    measured = load.hammer(base, page.url, cookies[page.persona], seconds=duration)
                    one = {**measured, "seconds": duration, "bare_rps": bare["rps"]}
                    one["share"] = share(measured["rps"], bare["rps"])
                    got.setdefault("load_rounds", []).append(one)
                    which = f" (round {number})" if rounds > 1 else ""
                    self.say(
                        f"  {page.name:<24} {fmt(one['rps'], '.1f')} req/s, p50 {fmt(one['p50'])} ms, "
                        f"p99 {fmt(one['p99'])} ms ({one['requests']} requests in {duration} s, "
                        f"{one['bad']} not 2xx/3xx, {one['errors']} socket errors or timeouts); "
                        f"bare view just before: {fmt(bare['rps'])} req/s{which}"
                    )
        for page in loaded:
            got = figures[page.name]
            # The round with the median share is reported whole; every round's failures are counted.
            chosen, got["share_low"], got["share_high"] = median_round(got["load_rounds"])
            chosen = chosen or got["load_rounds"][0]
            got.update({f"load_{key}": chosen[key] for key in ("rps", "p50", "p99", "requests", "seconds")})
            got["load_bad"] = sum(one["bad"] for one in got["load_rounds"])
            got["load_errors"] = sum(one["errors"] for one in got["load_rounds"])
            got["bare_rps"], got["share"] = chosen["bare_rps"], chosen["share"]
        measured = [b for b in bare_runs if b["rps"]]
        if not measured:
            return {}
        # The bare view's figures for the table: its median run.
        bare = sorted(measured, key=lambda b: b["rps"])[len(measured) // 2]
        return bare

    @staticmethod
    def share_text(got):
        """ "7.3%", or with several rounds "7.3% (6.0–7.8)": the reported round's share, the lowest and highest."""
        if got.get("share") is None:
            return "–"
        low, high = got.get("share_low"), got.get("share_high")
        spread = f" ({low:.1f}–{high:.1f})" if low is not None and len(got.get("load_rounds", ())) > 1 else ""
        return f"{got['share']:.1f}%{spread}"

    @staticmethod
    def pages_table(result):
        bare = result.get("bare") or {}
        rows = [
            [
                name,
                got.get("persona", ""),
                fmt(got.get("queries")),
                fmt(got.get("median"), ".1f"),
                fmt(got.get("p95"), ".1f"),
                fmt(got.get("load_rps"), ".1f"),
                fmt(got.get("load_p50"), ".0f"),
                fmt(got.get("load_p99"), ".0f"),
                Command.share_text(got),
            ]
            for name, got in result["pages"].items()
        ]
        rows.append(
            [
                "Bare view (median run)",
                "reviewer",
                "",
                "",
                "",
                fmt(bare.get("rps"), ".1f"),
                fmt(bare.get("p50"), ".0f"),
                fmt(bare.get("p99"), ".0f"),
                "100%" if bare.get("rps") else "",
            ]
        )
        headers = [
            *("Page", "As", "Queries", "Median ms", "p95 ms", "req/s", "p50 ms", "p99 ms"),
            "Share of bare (range)",
        ]
        return f"\n{result['label']}\n\n" + table(headers, rows) + "\n"

    def exports(self, result):
        from django.db.models import Count

        from reviews.models import Annex

        annex = (
            Annex.objects.annotate(boroughs=Count("financial_year__rollups"))
            .select_related("financial_year")
            .order_by("-boroughs", "-financial_year__start_date")
            .first()
        )
        figures = []
        if annex is None:
            result["notes"].append("no annex: exports skipped")
        else:
            for fmt_ in exports.FORMATS:
                got = {
                    "format": fmt_,
                    "year": annex.financial_year.label,
                    "boroughs": annex.boroughs,
                    **exports.measure_in_child("export", fmt_, annex.financial_year.label),
                }
                figures.append(got)
                self.say(f"  export {fmt_}: {got}")
        imported = None
        if exports.reading_available():
            imported = exports.measure_in_child("import")
            self.say(f"  import of {exports.IMPORT_ROWS:,} rows: {imported}")
        else:
            result["notes"].append("returns/imports/reading.py (issue 14) is not there yet: import parsing skipped")
        rows = [
            [
                f["format"].upper(),
                f["year"],
                f["boroughs"],
                fmt(f["seconds"], ".2f"),
                fmt(f["rss_delta_mib"], ".0f"),
                fmt(f["traced_peak_mib"], ".1f"),
                f["kib"],
            ]
            for f in figures
            if "error" not in f
        ]
        if rows:
            headers = [
                "Export",
                "Year",
                "Boroughs",
                "Seconds",
                "Peak memory of the process and its children (PSS), MiB",
                "tracemalloc peak MiB",
                "KiB",
            ]
            self.say("\n" + table(headers, rows) + "\n")
        for f in figures:
            if "error" in f:
                result["notes"].append(f"export failed: {f['error']}")
        return figures, imported

    def child(self, kind, *args):
        got = exports.child_export(*args) if kind == "export" else exports.child_import()
        self.stdout.write(json.dumps(got))

    def compare(self, first, second):
        a, b = json.loads(first.read_text()), json.loads(second.read_text())
        names = list(dict.fromkeys([*a["pages"], *b["pages"]]))
        rows = []
        for name in names:
            x, y = a["pages"].get(name, {}), b["pages"].get(name, {})
            rows.append(
                [name]
                + [
                    f"{fmt(x.get(k), spec)} → {fmt(y.get(k), spec)}"
                    for k, spec in (
                        ("queries", ".0f"),
                        ("median", ".1f"),
                        ("p95", ".1f"),
                        ("load_rps", ".1f"),
                        ("load_p50", ".0f"),
                        ("load_p99", ".0f"),
                        ("share", ".1f"),
                    )
                ]
            )
        rows.append(
            [
                "Bare view (median run)",
                "",
                "",
                "",
                f"{fmt(a.get('bare', {}).get('rps'), '.1f')} → {fmt(b.get('bare', {}).get('rps'), '.1f')}",
                "",
                "",
                "",
            ]
        )
        headers = ["Page", "Queries", "Median ms", "p95 ms", "req/s", "p50 ms", "p99 ms", "Share of bare %"]
        self.say(f"\n{a['label']} → {b['label']}\n\n" + table(headers, rows))
        ex_rows = []
        for f in a.get("exports", []) + b.get("exports", []):
            if "error" in f:
                failed = f"failed: {' '.join(f['error']) if isinstance(f['error'], list) else f['error']}"[:120]
                ex_rows.append([f.get("format", "?").upper(), f.get("boroughs", "?"), failed, "", "", ""])
            else:
                ex_rows.append(
                    [
                        f["format"].upper(),
                        f["boroughs"],
                        fmt(f["seconds"], ".2f"),
                        fmt(f["rss_delta_mib"], ".0f"),
                        fmt(f["traced_peak_mib"], ".1f"),
                        f["kib"],
                    ]
                )
        if ex_rows:
            headers = [
                "Export",
                "Boroughs",
                "Seconds",
                "Peak memory of the process and its children (PSS), MiB",
                "tracemalloc peak MiB",
                "KiB",
            ]
            self.say("\n" + table(headers, ex_rows))
        for r in (a, b):
            if r.get("board"):
                x = r["board"]
                self.say(
                    f"\n{r['label']}: board view worked out afresh for {x['boroughs']} boroughs "
                    f"{x['worked_out_s']:.2f} s; annex appendix rendered {x['appendix_s']:.2f} s"
                )
        for r in (a, b):
            for run in (r.get("import") or {}).get("runs", []):
                self.say(
                    f"\n{r['label']}: parsing a {run['rows']:,}-row workbook ({run['kib']} KiB): "
                    f"{fmt(run['seconds'], '.2f')} s, peak memory of the process and its children (PSS) "
                    f"{fmt(run['rss_delta_mib'])} MiB, tracemalloc peak "
                    f"{fmt(run['traced_peak_mib'], '.1f')} MiB; {run['outcome']}"
                )
            if (r.get("import") or {}).get("error"):
                self.say(f"{r['label']}: import parsing failed: {r['import']['error']}")
            for note in r.get("notes", []):
                self.say(f"{r['label']}: note: {note}")


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
