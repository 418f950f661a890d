"""The benchmark's pure parts: percentiles, reading wrk's report, and the tables it prints."""

import math
import re

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def percentile(values, p):
    """The p-th percentile (0–100) by the nearest-rank method: a value that was actually measured."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values):
    """The middle value (the mean of the two middle ones for an even count)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def to_ms(text):
    """wrk's '1.23ms', '850.00us', '2.01s', '1.00m' in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * UNITS[match[2]]


def parse_wrk(output):
    """Requests per second, p50 and p99 (ms), the request count and non-2xx/3xx and error counts."""
    result = {"rps": None, "p50": None, "p99": None, "requests": 0, "bad": 0, "errors": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(match[1])
    for label, key in (("50", "p50"), ("99", "p99")):
        if match := re.search(rf"^\s+{label}(?:\.000)?%\s+(\S+)\s*$", output, re.MULTILINE):
            result[key] = to_ms(match[1])
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = int(match[1])
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["bad"] = int(match[1])
    if not result["requests"]:
        # Nothing finished in time: wrk prints zeros, which are no measurement.
        result["p50"] = result["p99"] = None
    if match := re.search(r"Socket errors:\s+connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["errors"] = sum(int(n) for n in match.groups())
    return result


def share(page_rps, bare_rps):
    """A page's throughput as a percentage of the bare view's; None when either is unknown."""
    if not page_rps or not bare_rps:
        return None
    return 100 * page_rps / bare_rps


def median_round(rounds):
    """Of a page's rounds under load (dicts with a "share"), the one whose share is the median (the lower middle
    one for an even count), and the lowest and highest shares: (round, low, high), or (None, None, None) when no
    round has a share. One round's figures are reported whole, so its req/s, latencies and share agree."""
    measured = sorted((r for r in rounds if r.get("share") is not None), key=lambda r: r["share"])
    if not measured:
        return None, None, None
    return measured[(len(measured) - 1) // 2], measured[0]["share"], measured[-1]["share"]


def fmt(value, spec=".0f", empty="–"):
    return empty if value is None else format(value, spec)


def table(headers, rows):
    """A Markdown table (it reads well in a terminal too), numbers right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row, header=False):
        parts = [
            c.ljust(w) if i == 0 or header else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    return "\n".join([line(cells[0], header=True), rule, *(line(row) for row in cells[1:])])
