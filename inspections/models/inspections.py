"""Inspections: one CQC report each, with its dates, scope and what it covered."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from inspections.domain.addresses import copy_elsewhere
from inspections.domain.codes import InspectionType, Origin, SourceKind, VisitNotice, codes
from inspections.domain.dates import DatePrecision, format_partial_date, iso_partial_date, period_end
from inspections.models.base import TrustChildManager, editor_note_field, fast_url, not_before_check, precision_check
from inspections.models.sources import Source
from inspections.models.trusts import CoreService, Location, Trust


def inspection_url(trust_slug: str, slug: str) -> str:
    """An inspection's page, from the two slugs (for pages that read inspections as rows)."""
    return fast_url("inspections:inspection", trust_slug, slug)


#: The dates that place a report in time, the first one known winning: its publication, else the end of its visit
#: (the earliest it can have been published), else the visit's start. `published_order` sorts by them, `placed_on`
#: reads them.
PLACING_DATES = ("published", "visit_end", "visit_start")


class InspectionQuerySet(models.QuerySet):
    def published_order(self):
        """Oldest report first: by `PLACING_DATES`, so a report with no known publication date takes its place by its
        visit; one with neither comes last (`Inspection.order_key` is the same order for inspections already read)."""
        return self.order_by(
            Coalesce(*PLACING_DATES).asc(nulls_last=True),
            F("visit_start").asc(nulls_last=True),
            "slug",
            "pk",
        )

    def newest_first(self):
        """The latest report held first: `published_order` reversed, except that a report with no date at all, which
        nothing places, comes last here too (it is never "the latest"; `latest_report_held` says the same)."""
        return self.order_by(
            Coalesce(*PLACING_DATES).desc(nulls_last=True),
            F("visit_start").desc(nulls_first=True),
            "-slug",
            "-pk",
        )


class InspectionManager(TrustChildManager.from_queryset(InspectionQuerySet)):
    pass


VISIT_ORDER_ERROR = "The visit cannot end before it starts."
PUBLISHED_ORDER_ERROR = "A report cannot be published before the visit started."


class Inspection(models.Model):
    Type = InspectionType

    Notice = VisitNotice

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="inspections")
    slug = models.SlugField(help_text="Stable key within the trust, e.g. 2015-07 (publication year and month).")
    title = models.CharField(max_length=300)
    inspection_type = models.CharField("type", max_length=20, choices=Type.choices)
    notice = models.CharField(max_length=20, choices=Notice.choices, default=Notice.NOT_STATED)
    visit_start = models.DateField(null=True, blank=True)
    visit_start_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    visit_end = models.DateField(null=True, blank=True)
    visit_end_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    published = models.DateField(
        null=True,
        blank=True,
        help_text="Report publication date; the timeline places the report here.",
    )
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    scope = models.TextField(help_text="What the inspection covered, in our words.")
    services = models.ManyToManyField(CoreService, blank=True, related_name="inspections")
    locations = models.ManyToManyField(Location, blank=True, related_name="inspections")
    summary = models.TextField(blank=True, help_text="What the report found, in our words.")
    discrepancy_note = models.TextField(
        blank=True, help_text="Where sources disagree: what each says and which we use (shown to readers)."
    )
    editor_note = editor_note_field()
    cqc_report_link_id = models.CharField(
        "CQC report link id", max_length=64, blank=True, help_text="CQC's reportLinkId for this report, where known."
    )
    inherited_report_link_id = models.CharField(
        "inherited CQC report link id",
        max_length=64,
        blank=True,
        help_text="Only for ratings a site inherited from a report on its predecessor that this trust does not hold "
        "(another trust may): CQC's reportLinkId of that report. Blank for the trust's own reports.",
    )
    report_url = models.URLField("CQC report address", max_length=500, blank=True)
    sources = models.ManyToManyField(Source, related_name="inspections")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CURATED)
    arrived_at = models.DateTimeField(
        "arrived in our database",
        default=timezone.now,
        editable=False,
        db_index=True,
        help_text="When this report was added here (import, fixture load or admin), whatever its publication date: "
        "email alerts send the reports that arrived since a subscriber's last message.",
    )

    objects = InspectionManager()
    history = HistoricalRecords(m2m_fields=["sources", "services", "locations"])  # links are versioned too

    class Meta:
        ordering = [F("published").asc(nulls_last=True), "slug"]
        indexes = [
            # A trust's latest report first, as the trust list asks for it ("which rating stands now", last
            # report): each trust's subquery reads its first entries instead of sorting all its reports.
            models.Index(
                fields=["trust", "-published", "-slug"],
                condition=Q(published__isnull=False),
                name="inspection_latest_per_trust",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["trust", "slug"], name="inspection_unique_slug_per_trust"),
            models.UniqueConstraint(
                fields=["cqc_report_link_id"],
                condition=~Q(cqc_report_link_id=""),
                name="inspection_unique_cqc_report_link_id",
            ),
            models.UniqueConstraint(
                fields=["trust", "inherited_report_link_id"],
                condition=~Q(inherited_report_link_id=""),
                name="inspection_unique_inherited_report_per_trust",
            ),
            not_before_check(
                "visit_end", "visit_start", name="inspection_visit_end_not_before_start", message=VISIT_ORDER_ERROR
            ),
            not_before_check(
                "published", "visit_start", name="inspection_published_not_before_visit", message=PUBLISHED_ORDER_ERROR
            ),
            models.CheckConstraint(
                condition=Q(inspection_type__in=codes(InspectionType)), name="inspection_type_valid"
            ),
            models.CheckConstraint(condition=Q(notice__in=codes(VisitNotice)), name="inspection_notice_valid"),
            precision_check("visit_start"),
            precision_check("visit_end"),
            precision_check("published"),
        ]

    def __str__(self):
        return f"{self.trust.short_name or self.trust.name}: {self.title}"

    @property
    def report_copy_note(self) -> str:
        """What the report address is when it is not on CQC's website ("a copy of CQC's report, on ..."), else empty."""
        return copy_elsewhere(SourceKind.CQC_REPORT, self.report_url)

    def clean(self):
        """The date-order rules at coarse precision, which the database constraints leave to us."""
        errors = {}
        for later, earlier, message in (
            ("visit_end", "visit_start", VISIT_ORDER_ERROR),
            ("published", "visit_start", PUBLISHED_ORDER_ERROR),
        ):
            later_value, earlier_value = getattr(self, later), getattr(self, earlier)
            if not (later_value and earlier_value):
                continue
            if period_end(later_value, getattr(self, f"{later}_precision")) < earlier_value:
                errors[later] = message
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return self.trust.natural_key() + (self.slug,)

    natural_key.dependencies = ["inspections.trust"]

    def get_absolute_url(self):
        return inspection_url(self.trust.slug, self.slug)

    @property
    def is_inherited(self) -> bool:
        """Whether it holds only ratings a site inherited from a report on its predecessor (not a report of ours)."""
        return bool(self.inherited_report_link_id)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision)

    def order_key(self) -> tuple:
        """`published_order` in Python, for inspections already read (nulls last, as there)."""
        placed, visit_start = self.placed_on, self.visit_start
        return (
            (placed is None, placed[0] if placed else None),
            (visit_start is None, visit_start),
            self.slug,
            self.pk or 0,
        )

    @property
    def placed_on(self) -> tuple[datetime.date, str] | None:
        """(date, precision) that places the report in time, as `published_order` does: None when no date is held."""
        for name in PLACING_DATES:
            if (value := getattr(self, name)) is not None:
                return value, getattr(self, f"{name}_precision")
        return None

    @property
    def published_iso(self) -> str:
        return iso_partial_date(self.published, self.published_precision)

    @property
    def visit_display(self) -> str:
        start = format_partial_date(self.visit_start, self.visit_start_precision)
        end = format_partial_date(self.visit_end, self.visit_end_precision)
        return f"{start} to {end}" if start and end and start != end else start or end


class ReportDocument(models.Model):
    """A document CQC publishes with a report (its PDF), as CQC's data lists it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="documents")
    url = models.URLField("address", max_length=500)
    kind = models.CharField(max_length=100, blank=True, help_text="CQC's documentType, e.g. PDF.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CQC_API)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "url"], name="report_document_unique")]

    def __str__(self):
        return f"{self.inspection}: {self.kind or 'document'}"


def check_location_belongs_to_inspection_trust(child: models.Model) -> None:
    """A rating or finding may only name a location of the inspected trust.

    On the admin's "add inspection" page the inspection is not saved yet, so this reads the
    trust from the (unsaved) inspection object rather than from `inspection_id`.
    """
    if not child.location_id:
        return
    try:
        trust_id = child.inspection.trust_id
    except Inspection.DoesNotExist:
        return
    if trust_id and child.location.trust_id != trust_id:
        raise ValidationError({"location": "This location belongs to another trust than the inspection."})
