"""The seven West Midlands Community Safety Partnerships. Names stay editable in the admin."""

from django.db import migrations

from boroughs.reference import ensure_west_midlands


def seed(apps, schema_editor):
    ensure_west_midlands(apps.get_model("boroughs", "Borough"))


class Migration(migrations.Migration):
    dependencies = [("boroughs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
