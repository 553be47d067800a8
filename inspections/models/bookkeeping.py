"""Bookkeeping of writes: which row each fixture record last wrote, and deletions kept so they can be undone."""

from django.conf import settings
from django.db import models


class LoadedRecord(models.Model):
    """What `load_curated` last wrote for one fixture record: the row (by pk) and the values it wrote.

    A reload compares a row with these values: a row that differs was edited after the load and is
    kept; a row that is gone was deleted after the load and is not brought back. Finding the row by
    pk, not by natural key, means a renamed slug never makes a second copy.
    """

    model = models.CharField(max_length=40, help_text="App label and model, e.g. inspections.rating.")
    natural_key = models.CharField(max_length=500, help_text="The record's natural key as the fixture gives it (JSON).")
    object_pk = models.BigIntegerField()
    values = models.JSONField(help_text="Field values, many-to-many ids and citations as the load wrote them.")
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["model", "natural_key"]
        constraints = [models.UniqueConstraint(fields=["model", "natural_key"], name="loadedrecord_unique_key")]

    def __str__(self):
        return f"{self.model} {self.natural_key} -> {self.object_pk}"


class Deletion(models.Model):
    """A trust or inspection deleted in the admin, with every row deleted with it, so the whole can be restored."""

    model = models.CharField(max_length=40)
    object_pk = models.BigIntegerField()
    label = models.CharField("deleted record", max_length=300)
    summary = models.CharField("deleted with it", max_length=300, blank=True)
    records = models.JSONField(help_text="The deleted rows, serialised with their primary keys, parents first.")
    deleted_at = models.DateTimeField(auto_now_add=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = "recently deleted record"
        verbose_name_plural = "recently deleted"

    def __str__(self):
        return self.label


class ImportProblem(models.Model):
    """A part of CQC's record the last import of a trust could not read: skipped, or kept as not rated.

    Replaced at each import of the trust, so the trust page can say plainly that part of CQC's record
    could not be read, and an editor can see which.
    """

    trust = models.ForeignKey("inspections.Trust", on_delete=models.CASCADE, related_name="import_problems")
    record = models.CharField(max_length=200, help_text='Where in CQC\'s data, e.g. "provider RT5, location RT5KF".')
    field = models.CharField(max_length=200, help_text="The field, e.g. historicRatings[2].reportDate.")
    value = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=300, help_text="What was done with it.")
    seen = models.DateField(help_text="The date of the CQC data it was found in.")

    class Meta:
        ordering = ["record", "field", "id"]

    def __str__(self):
        return f"{self.record}, {self.field}: {self.message}"


class RefreshRun(models.Model):
    """One run of `import_cqc`: what it asked CQC for, what it imported, and whether it finished."""

    bumps_data_version = False  # the import's own bookkeeping, on no public page: a run that changed nothing

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(max_length=20, help_text="changes, all NHS trusts, providers, or a snapshot.")
    changes_from = models.DateTimeField(null=True, blank=True, help_text="Start of the changes asked for.")
    changes_to = models.DateTimeField(null=True, blank=True, help_text="End of the changes asked for.")
    succeeded = models.BooleanField(default=False)
    providers_listed = models.PositiveIntegerField(default=0)
    providers_imported = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.mode} run at {self.started_at:%Y-%m-%d %H:%M}"
