from django.db import migrations

from returns.reference import PLAN_2015_16, PRIORITIES_2015_16, ensure_plan


def seed(apps, schema_editor):
    ensure_plan(
        apps.get_model("returns", "Plan"),
        apps.get_model("returns", "PlanPriority"),
        apps.get_model("returns", "FinancialYear"),
        name=PLAN_2015_16,
        priorities=PRIORITIES_2015_16,
        year_start=2015,
    )


class Migration(migrations.Migration):
    dependencies = [("returns", "0002_quarterly_returns")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
