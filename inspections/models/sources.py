"""Sources: the documents every fact cites."""

from django.db import models
from simple_history.models import HistoricalRecords

from inspections.domain.addresses import copy_elsewhere
from inspections.domain.codes import Origin, SourceKind, codes, label
from inspections.domain.dates import DatePrecision, format_partial_date
from inspections.models.base import SlugNaturalKeyManager, editor_note_field, precision_check, source_url


class SourceManager(SlugNaturalKeyManager):
    key_fields = ("code",)


class Source(models.Model):
    """A document that states facts: one of the starting articles, a register entry, or a CQC data record."""

    Kind = SourceKind

    code = models.CharField(max_length=40, unique=True, help_text="Register id, e.g. SEED-003 or L-QR-2015.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=400)
    published = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    url = models.URLField(max_length=500, blank=True)
    retrieved = models.DateField(null=True, blank=True, help_text="When we fetched it (CQC data records).")
    seed_file = models.CharField(
        max_length=100,
        blank=True,
        help_text="File name in shared/seeds/ when this is one of the five starting articles.",
    )
    editor_note = editor_note_field()
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CURATED)

    objects = SourceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            precision_check("published"),
            models.CheckConstraint(condition=models.Q(kind__in=codes(SourceKind)), name="source_kind_valid"),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    def natural_key(self):
        return (self.code,)

    @property
    def is_seed(self) -> bool:
        return bool(self.seed_file)

    @property
    def kind_label(self) -> str:
        return label(SourceKind, self.kind)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision)

    @property
    def copy_note(self) -> str:
        """For a CQC document held on another site, what it is and where ("a copy of CQC's report, on
        vdocuments.mx"); empty otherwise."""
        return copy_elsewhere(self.kind, self.url)

    def get_absolute_url(self):
        return source_url(self.code)
