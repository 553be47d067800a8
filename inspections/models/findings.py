"""Findings (what inspectors found or required) and statements (what named people said), with citations."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from inspections.domain.codes import FindingKind, FindingTheme, codes, label
from inspections.models.base import Citation, InspectionChildManager, passage_kind_check
from inspections.models.inspections import Inspection, check_location_belongs_to_inspection_trust
from inspections.models.sources import Source
from inspections.models.trusts import CoreService, Location, Person


class Finding(models.Model):
    """One thing inspectors found or required, summarised in our own words."""

    Kind = FindingKind

    Theme = FindingTheme

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    ref = models.SlugField(help_text="Stable key within the inspection.")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    theme = models.CharField(max_length=24, choices=Theme.choices)
    service = models.ForeignKey(
        CoreService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,  # like PROTECT, but a whole trust can still be deleted (and restored)
        related_name="findings",
    )
    summary = models.TextField(help_text="In our own words; quote at most a few words, in quotation marks.")
    sources = models.ManyToManyField(Source, through="FindingSource", related_name="findings")

    objects = InspectionChildManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "ref"], name="finding_unique_ref_per_inspection"),
            models.CheckConstraint(condition=Q(kind__in=codes(FindingKind)), name="finding_kind_valid"),
            models.CheckConstraint(condition=Q(theme__in=codes(FindingTheme)), name="finding_theme_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary[:60]}"

    @property
    def kind_label(self) -> str:
        return label(FindingKind, self.kind)

    @property
    def theme_label(self) -> str:
        return label(FindingTheme, self.theme)

    @property
    def subject_name(self) -> str:
        """Where the finding applies, e.g. "Maternity at Leicester General Hospital"; empty for the whole trust."""
        names = [part.name for part in (self.service, self.location) if part is not None]
        return " at ".join(names)

    def natural_key(self):
        return self.inspection.natural_key() + (self.ref,)

    natural_key.dependencies = ["inspections.inspection"]

    def clean(self):
        check_location_belongs_to_inspection_trust(self)


class Statement(models.Model):
    """What a named person said about an inspection, in one line."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="statements")
    ref = models.SlugField(help_text="Stable key within the inspection.")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="statements")
    role = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    summary = models.TextField(help_text="What they said, in our words; a few quoted words at most.")
    sources = models.ManyToManyField(Source, through="StatementSource", related_name="statements")

    objects = InspectionChildManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "ref"], name="statement_unique_ref_per_inspection"),
        ]

    def __str__(self):
        return f"{self.person}, {self.role}"

    def natural_key(self):
        return self.inspection.natural_key() + (self.ref,)

    natural_key.dependencies = ["inspections.inspection", "inspections.person"]


class FindingSource(Citation):
    """A finding's citation of a source, with its supporting passage."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="citations")
    history = HistoricalRecords()

    class Meta:
        db_table = "inspections_finding_sources"  # the table the plain many-to-many relation had
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "source"], name="finding_source_unique"),
            passage_kind_check(),
        ]


class StatementSource(Citation):
    """A statement's citation of a source, with its supporting passage."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="citations")
    history = HistoricalRecords()

    class Meta:
        db_table = "inspections_statement_sources"  # the table the plain many-to-many relation had
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "source"], name="statement_source_unique"),
            passage_kind_check(),
        ]
