"""The database survives two writers at once: the web server and the worker.

On SQLite (development) the test runs against a file database with the configured OPTIONS, because the
in-memory test database shares one cache between connections and never meets file locks. On PostgreSQL
(DATABASE_URL=postgres://…) it runs against the test database itself.
"""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection, connections, transaction
from django.db.utils import load_backend

from config.settings.base import SQLITE_OPTIONS, database

pytestmark = pytest.mark.django_db(transaction=True)

WRITES_PER_THREAD = 50
SCRATCH = "concurrency_scratch"


def _on_sqlite():
    return connection.vendor == "sqlite"


@pytest.fixture
def file_sqlite(tmp_path):
    """A second alias: a SQLite file database with the same settings as the default one.

    Each thread opens its own connection to it (as `connections` would), without registering it in
    DATABASES, where the test case would refuse connections from threads.
    """
    settings_dict = {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "scratch.sqlite3"),
        "OPTIONS": dict(connection.settings_dict["OPTIONS"]) if _on_sqlite() else dict(SQLITE_OPTIONS),
        "TEST": {"NAME": None},
    }
    opened = []

    def open_connection():
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, SCRATCH)
        connections[SCRATCH] = wrapper
        opened.append(wrapper)

    open_connection()
    yield open_connection
    opened[0].close()  # each thread closed its own
    del connections[SCRATCH]


@pytest.fixture
def writer(request):
    """(alias, a function that opens this thread's connection to it)."""
    if _on_sqlite():
        return SCRATCH, request.getfixturevalue("file_sqlite")
    return "default", lambda: None


def _execute(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@pytest.fixture
def probe(writer):
    alias, _ = writer
    key = "INTEGER PRIMARY KEY" if connections[alias].vendor == "sqlite" else "SERIAL PRIMARY KEY"
    _execute(alias, f"CREATE TABLE concurrency_probe (id {key}, writer VARCHAR(10), n INTEGER)")
    _execute(alias, "CREATE TABLE concurrency_counter (id INTEGER PRIMARY KEY, n INTEGER)")
    _execute(alias, "INSERT INTO concurrency_counter (id, n) VALUES (1, 0)")
    yield writer
    _execute(alias, "DROP TABLE concurrency_probe")
    _execute(alias, "DROP TABLE concurrency_counter")


def _write_many(writer, name, errors, start):
    alias, open_connection = writer
    try:
        open_connection()
        start.wait()
        for i in range(WRITES_PER_THREAD):
            # Read, then write, in one transaction: the shape that fails at once with "database is locked"
            # when SQLite begins transactions DEFERRED and only asks for the write lock half-way through.
            with transaction.atomic(using=alias):
                _execute(alias, "SELECT COUNT(*) FROM concurrency_probe")
                _execute(alias, "INSERT INTO concurrency_probe (writer, n) VALUES (%s, %s)", [name, i])
                _execute(alias, "UPDATE concurrency_counter SET n = n + 1 WHERE id = 1")
    except OperationalError as error:
        errors.append(f"{name}: {error}")
    finally:
        connections[alias].close()


def test_two_writers_at_once_never_hit_database_is_locked(probe):
    errors = []
    start = threading.Barrier(2)
    threads = [threading.Thread(target=_write_many, args=(probe, name, errors, start)) for name in ("web", "worker")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    alias, _ = probe
    rows = _execute(alias, "SELECT writer, COUNT(*) FROM concurrency_probe GROUP BY writer ORDER BY writer")
    assert [tuple(row) for row in rows] == [("web", WRITES_PER_THREAD), ("worker", WRITES_PER_THREAD)]
    assert _execute(alias, "SELECT n FROM concurrency_counter")[0][0] == 2 * WRITES_PER_THREAD


def test_sqlite_gets_wal_immediate_transactions_and_a_busy_timeout():
    options = database("sqlite:////tmp/csp-returns.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert "PRAGMA synchronous=NORMAL" in options["init_command"]
    # The URL may still say otherwise.
    assert database("sqlite:////tmp/csp-returns.sqlite3?timeout=5")["OPTIONS"]["timeout"] == 5
    # PostgreSQL takes none of them (it would refuse the unknown options).
    assert "transaction_mode" not in database("postgres://u@db.example/csp").get("OPTIONS", {})
    if _on_sqlite():
        # The database the tests (and `make run`) use has them.
        assert SQLITE_OPTIONS.items() <= connection.settings_dict["OPTIONS"].items()


def test_postgresql_runs_without_jit():
    assert database("postgres://u@db.example/csp")["OPTIONS"]["options"] == "-c jit=off"
    # The URL may still say otherwise.
    assert database("postgres://u@db.example/csp?options=-c%20work_mem%3D64MB")["OPTIONS"]["options"] == (
        "-c work_mem=64MB"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"


@pytest.mark.usefixtures("file_sqlite")
def test_a_sqlite_file_database_runs_in_wal_mode_with_the_busy_timeout():
    assert _execute(SCRATCH, "PRAGMA journal_mode")[0][0] == "wal"
    assert _execute(SCRATCH, "PRAGMA synchronous")[0][0] == 1  # NORMAL
    assert _execute(SCRATCH, "PRAGMA busy_timeout")[0][0] == 20_000


def test_postgresql_prepares_the_queries_it_runs_again():
    options = database("postgres://u@db.example/csp")["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 2
    if connection.vendor != "postgresql":
        return
    # The test database's connection has them too: a query run twice is prepared on the server, once.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        for n in (1, 2, 3):
            cursor.execute("SELECT %s::int AS prepared_probe", [n])
            assert cursor.fetchone()[0] == n
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%AS prepared_probe"])
        assert cursor.fetchone()[0] == 1


def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    options = database("postgres://u@db.example/csp")["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
    assert options["options"] == "-c jit=off"
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARED_STATEMENTS must be true or false"):
        database("postgres://u@db.example/csp")
