"""The page benchmark's pure parts (reviews/bench/stats.py): percentiles, wrk's report, shares and tables."""

import pytest

from reviews.bench.stats import median, median_round, parse_wrk, percentile, share, table, to_ms

WRK = """Running 5s test @ http://127.0.0.1:40123
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    45.12ms   10.01ms 120.00ms   80.00%
    Req/Sec   177.50     20.10   210.00     70.00%
  Latency Distribution
     50%   43.50ms
     75%   50.00ms
     90%   60.00ms
     99%    1.02s
  1775 requests in 5.01s, 20.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 2
Requests/sec:    354.29
Transfer/sec:      3.99MB
"""


def test_percentile_is_nearest_rank_of_measured_values():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 50) == 3
    assert percentile(values, 95) == 5
    assert percentile(values, 0) == 1
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([7.5], 99) == 7.5
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_median_of_odd_and_even_counts():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5


def test_wrk_durations_in_milliseconds():
    assert to_ms("850.00us") == pytest.approx(0.85)
    assert to_ms("43.50ms") == 43.5
    assert to_ms("1.02s") == pytest.approx(1020)
    assert to_ms("1.00m") == 60000
    with pytest.raises(ValueError, match="not a wrk duration"):
        to_ms("fast")


def test_parse_wrk_reads_throughput_latency_and_failures():
    assert parse_wrk(WRK) == {
        "rps": 354.29,
        "p50": 43.5,
        "p99": pytest.approx(1020),
        "requests": 1775,
        "bad": 2,
        "errors": 3,
    }


def test_parse_wrk_of_a_run_with_no_answers():
    got = parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")
    assert got["rps"] is None
    assert got["p50"] is None
    assert got["requests"] == 0


def test_share_of_the_bare_view():
    assert share(50, 200) == 25
    assert share(None, 200) is None
    assert share(50, 0) is None


def test_median_round_is_a_measured_round_with_the_spread_of_the_shares():
    rounds = [{"share": 7.6, "rps": 79}, {"share": 6.0, "rps": 70}, {"share": None}, {"share": 6.9, "rps": 78}]
    chosen, low, high = median_round(rounds)
    assert chosen == {"share": 6.9, "rps": 78}  # the round itself, so its req/s and share agree
    assert (low, high) == (6.0, 7.6)
    # An even count takes the lower middle: never a share better than half of the rounds measured.
    assert median_round([{"share": 8.0}, {"share": 6.0}])[0] == {"share": 6.0}
    assert median_round([{"share": None}]) == (None, None, None)
    assert median_round([]) == (None, None, None)


def test_table_is_markdown_with_numbers_right_aligned():
    text = table(["Page", "req/s"], [["Grid", "12.5"], ["Annex preview", "3"]])
    lines = text.splitlines()
    assert lines[0] == "| Page          | req/s |"
    assert lines[1] == "|---------------|------:|"
    assert lines[3] == "| Annex preview |     3 |"
