# A submitted return keeps what it reported (Return.snapshot); projects, indicators and match funding
# get the optimistic-locking version every other editable row has (boroughs.locking.Versioned).

from django.db import migrations, models


def version_field():
    return models.PositiveIntegerField(default=1, editable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0006_versioned_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="return",
            name="snapshot",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        *[
            migrations.AddField(model_name=model, name="version", field=version_field())
            for model in (
                "project",
                "historicalproject",
                "indicator",
                "historicalindicator",
                "matchfunding",
                "historicalmatchfunding",
            )
        ],
    ]
