# The data version as one row (issue 31). Numbered 0012: 0011 is the alerts branch; the merge sets the chain.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0011_alerts_and_arrivals"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                (
                    "version",
                    models.CharField(help_text="A random value, replaced by every change to the data.", max_length=32),
                ),
                ("changed_at", models.DateTimeField(help_text="When the data last changed (pages' Last-Modified).")),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="dataversion_one_row")],
            },
        ),
    ]
