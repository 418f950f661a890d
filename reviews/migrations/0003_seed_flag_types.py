from django.db import migrations

from reviews.reference import ensure_flag_types


def seed(apps, schema_editor):
    ensure_flag_types(apps.get_model("reviews", "FlagType"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_review_workflow")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
