"""The data version as one row in the database, so every process and server reads the same one."""

from django.db import models


class DataVersion(models.Model):
    """The one row saying which version of the record is current and when it last changed.

    Replaced (an UPDATE of this row) in the same transaction as every change, so the new version becomes
    visible to other processes exactly when the change does (`changes.version`). No history: it is
    bookkeeping, not a fact shown.
    """

    ONE = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONE)
    version = models.CharField(max_length=32, help_text="A random value, replaced by every change to the data.")
    changed_at = models.DateTimeField(help_text="When the data last changed (pages' Last-Modified).")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dataversion_one_row")]

    def __str__(self):
        return f"data version {self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
