"""Ratings: one key question at one level, as set by one report, with the passages that support it."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from inspections.domain.codes import KeyQuestion, Origin, Scope, codes
from inspections.domain.rating_levels import RatingValue
from inspections.domain.subjects import Subject, subject_name, subject_of
from inspections.models.base import Citation, NaturalKeyManager, editor_note_field, passage_kind_check
from inspections.models.inspections import Inspection, check_location_belongs_to_inspection_trust
from inspections.models.sources import Source
from inspections.models.trusts import CoreService, Location


class RatingQuerySet(models.QuerySet):
    def with_context(self):
        """Everything a page or export shows beside a rating, in one query."""
        return self.select_related("inspection", "inspection__trust", "service", "location")

    def in_display_order(self):
        """Whole trust first, then services, then locations; key questions in CQC's order."""
        scope_rank = models.Case(
            *[models.When(scope=code, then=rank) for rank, code in enumerate(Scope.values)],
            output_field=models.IntegerField(),
        )
        question_rank = models.Case(
            *[models.When(key_question=code, then=rank) for rank, code in enumerate(KeyQuestion.values)],
            output_field=models.IntegerField(),
        )
        return self.order_by(
            F("inspection__published").asc(nulls_last=True),
            "inspection__slug",
            scope_rank,
            "service__name",
            "location__name",
            question_rank,
        )


class RatingManager(NaturalKeyManager.from_queryset(RatingQuerySet)):
    key_fields = ("inspection", "key_question", "scope", "service", "location")

    def get_by_natural_key(
        self,
        provider_id,
        inspection_slug,
        key_question,
        scope,
        service_slug,
        location_slug,
    ):
        return self.get(
            inspection__trust__provider_id=provider_id,
            inspection__slug=inspection_slug,
            key_question=key_question,
            scope=scope,
            **({"service__slug": service_slug} if service_slug else {"service__isnull": True}),
            **({"location__slug": location_slug} if location_slug else {"location__isnull": True}),
        )


class Rating(models.Model):
    """One key question's rating at one level, as set by one inspection report."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="ratings")
    key_question = models.CharField(max_length=40, choices=KeyQuestion.choices)
    scope = models.CharField("level", max_length=10, choices=Scope.choices)
    service = models.ForeignKey(
        CoreService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
        help_text="Required for a core-service rating.",
    )
    # RESTRICT, not PROTECT: a location's ratings may go with their inspection, e.g. when a whole trust is deleted.
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="ratings",
        help_text="Required for a location rating; optional for a core service rated at one location.",
    )
    value = models.CharField("rating", max_length=24, choices=RatingValue.choices)
    previous_value = models.CharField(
        "previous rating",
        max_length=24,
        choices=RatingValue.choices,
        blank=True,
        help_text="Only where a source states the change.",
    )
    note = models.TextField(
        blank=True,
        help_text="Caveats shown to readers, in plain words, e.g. why a value did not change.",
    )
    editor_note = editor_note_field()
    sources = models.ManyToManyField(Source, through="RatingSource", related_name="ratings")
    inherited_from = models.CharField(
        max_length=20,
        blank=True,
        help_text="CQC's id of the site whose report set this rating, where CQC's data carries it over to this site "
        "(a site taken over in an NHS transfer); blank for the site's own ratings.",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CURATED)

    objects = RatingManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["scope", "key_question"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_question__in=codes(KeyQuestion)),
                name="rating_key_question_valid",
            ),
            models.CheckConstraint(condition=Q(value__in=codes(RatingValue)), name="rating_value_valid"),
            models.CheckConstraint(
                condition=Q(previous_value="") | Q(previous_value__in=codes(RatingValue)),
                name="rating_previous_value_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(scope=Scope.TRUST, service__isnull=True, location__isnull=True)
                    | Q(scope=Scope.SERVICE, service__isnull=False)
                    | Q(
                        scope=Scope.LOCATION,
                        service__isnull=True,
                        location__isnull=False,
                    )
                ),
                name="rating_scope_matches_subject",
                violation_error_message=(
                    "A trust rating names no service or location; a core-service rating names a service; "
                    "a location rating names a location and no service."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(previous_value=F("value")) | ~Q(note=""),
                name="rating_unchanged_previous_needs_note",
                violation_error_message="A previous rating equal to the new one needs a note saying so.",
            ),
            models.UniqueConstraint(
                fields=["inspection", "key_question"],
                condition=Q(scope=Scope.TRUST),
                name="rating_unique_trust_level",
                violation_error_message="This inspection already has a whole-trust rating for this key question.",
            ),
            models.UniqueConstraint(
                fields=["inspection", "key_question", "service"],
                condition=Q(scope=Scope.SERVICE, location__isnull=True),
                name="rating_unique_service_level",
                violation_error_message="This inspection already rates this core service for this key question.",
            ),
            models.UniqueConstraint(
                fields=["inspection", "key_question", "service", "location"],
                condition=Q(scope=Scope.SERVICE, location__isnull=False),
                name="rating_unique_service_at_location",
                violation_error_message="This inspection already rates this core service here for this key question.",
            ),
            models.UniqueConstraint(
                fields=["inspection", "key_question", "location"],
                condition=Q(scope=Scope.LOCATION),
                name="rating_unique_location_level",
                violation_error_message="This inspection already has a rating of this location for this key question.",
            ),
        ]

    def __str__(self):
        return f"{self.subject_name}: {self.get_key_question_display()} {self.get_value_display()}"

    def natural_key(self):
        return self.inspection.natural_key() + (
            self.key_question,
            self.scope,
            self.service.slug if self.service_id else "",
            self.location.slug if self.location_id else "",
        )

    natural_key.dependencies = [
        "inspections.inspection",
        "inspections.coreservice",
        "inspections.location",
    ]

    def clean(self):
        check_location_belongs_to_inspection_trust(self)

    @property
    def subject(self) -> Subject:
        """What is rated, as a value (service and location by slug)."""
        return subject_of(
            self.scope, self.service.slug if self.service_id else "", self.location.slug if self.location_id else ""
        )

    @property
    def subject_name(self) -> str:
        """What is rated, in words: the trust, a core service (at a location), or a location."""
        return subject_name(
            self.scope, self.service.name if self.service_id else "", self.location.name if self.location_id else ""
        )


class RatingSource(Citation):
    """A rating's citation of a source, with its supporting passage."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="citations")
    history = HistoricalRecords()

    class Meta:
        db_table = "inspections_rating_sources"  # the table the plain many-to-many relation had
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "source"], name="rating_source_unique"),
            passage_kind_check(),
        ]
