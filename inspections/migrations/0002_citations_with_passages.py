"""Citations get a passage: the plain many-to-many tables of rating, finding and statement sources become
explicit `through` models over the same tables (no data moves), then gain a `passage` column.
Source.note becomes `editor_note` (a working note for editors, never shown to readers)."""

import django.db.models.deletion
from django.db import migrations, models

OWNERS = (("rating", "Rating", "RatingSource"), ("finding", "Finding", "FindingSource"),
          ("statement", "Statement", "StatementSource"))  # fmt: skip


def _state_operations(owner: str, owner_model: str, through: str) -> list:
    return [
        migrations.CreateModel(
            name=through,
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (owner, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="citations",
                                          to=f"inspections.{owner_model.lower()}")),
                ("source", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to="inspections.source")),
            ],
            options={"db_table": f"inspections_{owner}_sources", "ordering": ["id"]},
        ),
        migrations.AlterField(
            model_name=owner,
            name="sources",
            field=models.ManyToManyField(related_name=f"{owner}s", through=f"inspections.{through}",
                                         to="inspections.source"),
        ),
    ]  # fmt: skip


def _passage_operations(owner: str, through: str) -> list:
    return [
        migrations.AddField(
            model_name=through.lower(),
            name="passage",
            field=models.TextField(
                blank=True, default="", help_text="A sentence or two, verbatim from the source, that supports the fact."
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name=through.lower(),
            constraint=models.UniqueConstraint(fields=(owner, "source"), name=f"{owner}_source_unique"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                op for owner, model, through in OWNERS for op in _state_operations(owner, model, through)
            ],
            database_operations=[],
        ),
        *[op for owner, _, through in OWNERS for op in _passage_operations(owner, through)],
        migrations.RenameField(model_name="source", old_name="note", new_name="editor_note"),
    ]
