"""Full-text search vectors for the commentary on PostgreSQL, like returns' migration 0011_search_vectors (which
says why a stored generated column and not an expression index). reviews/selectors/search.py reads them."""

from django.db import migrations

VECTORS = [
    ("reviews_columncommentary", "coalesce(text, '')"),
    ("reviews_projectcommentary", "coalesce(text, '')"),
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite searches with icontains
    for table, text in VECTORS:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {text})) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_vector)")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _ in VECTORS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")  # drops its index too


class Migration(migrations.Migration):
    dependencies = [("reviews", "0009_year_data_exports")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
