"""The export benchmark's memory figure (reviews/bench/exports.py `_measured`): the peak memory of the process and
its children (PSS), since the annex PDF is to be rendered in parts by a process pool."""

import os
import subprocess
import sys
import time

import pytest

from reviews.bench import exports

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")

MIB = 2**20
ALLOCATE = "import time; held = b'x' * ({mib} * 2**20); time.sleep({seconds})"  # b'x' * n touches every page


@pytest.fixture(autouse=True)
def untraced(monkeypatch):
    # The second, traced run of work() measures nothing these tests look at; skipping it keeps them fast.
    monkeypatch.setattr(exports, "TRACE_UNDER_SECONDS", 0)


def test_memory_of_a_grandchild_process_is_counted():
    # A child that starts the allocating process, as a forkserver starts a pool's workers: the walk is recursive.
    allocate = ALLOCATE.format(mib=80, seconds=0.5)
    starter = f"import subprocess, sys; subprocess.run([sys.executable, '-I', '-c', {allocate!r}], check=True)"

    def work():
        subprocess.run([sys.executable, "-I", "-c", starter], check=True)

    got = exports._measured(work)

    assert got["rss_delta_mib"] >= 60
    assert got["seconds"] >= 0.5


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of fork:DeprecationWarning")
def test_pages_a_forked_child_shares_with_its_parent_are_counted_once():
    ballast = b"y" * (100 * MIB)  # already resident in the parent before the work: not part of the figure

    def work():
        pid = os.fork()
        if pid == 0:
            try:
                held = b"x" * (40 * MIB)
                time.sleep(0.3)
                del held
            finally:
                os._exit(0)
        os.waitpid(pid, 0)

    got = exports._measured(work)

    # Summing RSS would count the ballast again in the child (140 MiB or more); PSS splits it between the two.
    assert 30 <= got["rss_delta_mib"] < 100
    assert len(ballast) == 100 * MIB


def test_a_spike_in_the_parent_between_samples_is_not_lost(monkeypatch):
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pytest.skip("/proc/self/clear_refs is not writable here, so the parent's own peak cannot be reset")
    # No sample falls inside the work: only the parent's own peak (VmHWM) can see the allocation.
    monkeypatch.setattr(exports, "SAMPLE_SECONDS", 60)

    got = exports._measured(lambda: len(b"x" * (80 * MIB)))

    assert got["rss_delta_mib"] >= 60
