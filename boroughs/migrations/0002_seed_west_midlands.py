"""The seven West Midlands Community Safety Partnerships. Names stay editable in the admin."""

from django.db import migrations

WEST_MIDLANDS = [
    ("Birmingham", "birmingham", "Birmingham Community Safety Partnership", "E08000025"),
    ("Coventry", "coventry", "Coventry Community Safety Partnership", "E08000026"),
    ("Dudley", "dudley", "Safe and Sound, Dudley", "E08000027"),
    ("Sandwell", "sandwell", "Safer Sandwell Partnership", "E08000028"),
    ("Solihull", "solihull", "Safer Solihull Partnership", "E08000029"),
    ("Walsall", "walsall", "Walsall Community Safety Partnership", "E08000030"),
    ("Wolverhampton", "wolverhampton", "Safer Wolverhampton Partnership", "E08000031"),
]


def seed(apps, schema_editor):
    Borough = apps.get_model("boroughs", "Borough")
    for name, slug, partnership, code in WEST_MIDLANDS:
        Borough.objects.get_or_create(
            ons_code=code, defaults={"name": name, "slug": slug, "partnership_name": partnership}
        )


class Migration(migrations.Migration):
    dependencies = [("boroughs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
