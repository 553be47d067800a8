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
