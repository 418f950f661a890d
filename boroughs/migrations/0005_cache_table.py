from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The sign-in throttles and used two-step codes are kept in the database cache (settings.CACHES), shared
    # by every app server; `migrate` makes its table so that no deployment step can be forgotten.
    # createcachetable skips tables that exist and caches that are not in the database.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("boroughs", "0004_opcc_contact_and_sent_notifications")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
