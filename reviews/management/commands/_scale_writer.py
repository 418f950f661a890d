"""The fast writer behind seed_scale: rows straight into tables, history made by the database.

Django's bulk_create costs ~100 µs of Python per row here (model instances, per-field preparation, and
django-simple-history's bulk_history_create building a second instance per row); at ~2 million rows (the
live rows plus their history) that was over ten minutes on this 2-core machine. This writer gives each row
its primary key itself (so children can point at parents without RETURNING), sends the rows with COPY on
PostgreSQL (executemany elsewhere, e.g. the SQLite the tests use), makes each row's "+" history record with
one INSERT … SELECT from the live table, and finally moves the id sequences past the ids it used.
Only for a throw-away database nobody else writes to while it runs (seed_scale refuses production).
"""

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}


class Writer:
    def __init__(self, *, history):
        self.history = history
        self.counts = {}
        self.next_id = {}
        self.now = timezone.now()
        self.touched = []

    def _columns(self, model):
        fields = list(model._meta.concrete_fields)
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = self.now
            else:
                # Its default, or "" for a text field without one (as Django saves it), else None.
                defaults[f.attname] = f.get_default()
        return fields, defaults

    def ids(self, model, n):
        """n fresh primary keys for the model's table."""
        if model not in self.next_id:
            self.next_id[model] = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
            self.touched.append(model)
        start = self.next_id[model]
        self.next_id[model] += n
        return range(start, start + n)

    def insert(self, model, rows, *, history_user=None, history_date=None):
        """Write rows (dicts by attname, without "id") and return them with their ids set."""
        if not rows:
            return rows
        for row, pk in zip(rows, self.ids(model, len(rows)), strict=True):
            row[model._meta.pk.attname] = pk
        fields, defaults = self._columns(model)
        values = ([self._db(row.get(f.attname, defaults[f.attname])) for f in fields] for row in rows)
        table = connection.ops.quote_name(model._meta.db_table)
        columns = [connection.ops.quote_name(f.column) for f in fields]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(values))
        self._count(model, len(rows))
        if self.history and hasattr(model, "history"):
            self._history(model, rows[0]["id"], rows[-1]["id"], history_user, history_date or self.now)
        return rows

    def _history(self, model, first, last, user, when):
        """One "+" record per new row, copied from the live table by the database."""
        historical = model.history.model
        tracked = [f.column for f in historical._meta.concrete_fields if f.name not in HISTORY_FIELDS]
        q = connection.ops.quote_name
        columns = ", ".join(q(c) for c in tracked)
        sql = (
            f"INSERT INTO {q(historical._meta.db_table)} ({columns}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT {columns}, %s, %s, %s, %s FROM {q(model._meta.db_table)} "
            f"WHERE {q(model._meta.pk.column)} BETWEEN %s AND %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._db(when), "", "+", user.pk if user else None, first, last])
        self._count(historical, last - first + 1)

    def _count(self, model, n):
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n

    @staticmethod
    def _db(value):
        if connection.vendor != "postgresql" and hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, (list, dict)):
            import json

            return json.dumps(value)
        return value

    def finish(self):
        """Move every id sequence we wrote past the ids we chose."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
