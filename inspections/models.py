"""CQC inspection histories: trusts, their inspections, ratings, findings, and sources.

Every rating, finding and statement cites at least one `Source`, so a reader can check it.
Dates that sources give only to a month or year carry a precision (see `partial_dates`).
"""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from .partial_dates import DatePrecision, format_partial_date, iso_partial_date, period_end

PRECISION_CODES = [code for code, _ in DatePrecision.choices]


@functools.cache
def sources_page_url() -> str:
    """Reversed once: every source link on a page points into this one page."""
    return reverse("inspections:sources")


class KeyQuestion(models.TextChoices):
    OVERALL = "overall", "Overall"
    SAFE = "safe", "Safe"
    EFFECTIVE = "effective", "Effective"
    CARING = "caring", "Caring"
    RESPONSIVE = "responsive", "Responsive"
    WELL_LED = "well_led", "Well-led"


class RatingValue(models.TextChoices):
    """The four-point scale, best first, then states that are not on the scale."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_RATED = "not_rated", "Not rated"
    NOT_INSPECTED = "not_inspected", "Not inspected (earlier rating stands)"
    SUSPENDED = "suspended", "Rating suspended or under appeal"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", "Insufficient evidence to rate"


#: Position on the ordinal scale (higher is better); states off the scale are absent.
SCALE_POSITION = {
    RatingValue.INADEQUATE: 1,
    RatingValue.REQUIRES_IMPROVEMENT: 2,
    RatingValue.GOOD: 3,
    RatingValue.OUTSTANDING: 4,
}


class Scope(models.TextChoices):
    TRUST = "trust", "Whole trust"
    SERVICE = "service", "Core service"
    LOCATION = "location", "Location"


def _codes(choices) -> list[str]:
    return [code for code, _ in choices.choices]


def _precision_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}_precision__in": PRECISION_CODES}),
        name=f"%(app_label)s_%(class)s_{field}_precision_valid",
    )


def _not_before_check(later: str, earlier: str, *, name: str, message: str) -> models.CheckConstraint:
    """`later` is not before `earlier`, checked by the database when `later` is known to the day.

    A date known only to a month or year is stored as the period's first day, so the database
    would wrongly refuse "February 2019" for a visit on 10 February 2019; `Inspection.clean()`
    checks those against the end of the period instead.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | ~Q(**{f"{later}_precision": DatePrecision.DAY})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
        violation_error_message=message,
    )


class SlugNaturalKeyManager(models.Manager):
    """Natural key is one unique field (`key_field`)."""

    key_field = "slug"

    def get_by_natural_key(self, key):
        return self.get(**{self.key_field: key})


class SourceManager(SlugNaturalKeyManager):
    key_field = "code"


class TrustManager(SlugNaturalKeyManager):
    key_field = "provider_id"


class TrustChildManager(models.Manager):
    def get_by_natural_key(self, provider_id, slug):
        return self.get(trust__provider_id=provider_id, slug=slug)


class LeadershipManager(models.Manager):
    def get_by_natural_key(self, provider_id, person_slug, role):
        return self.get(trust__provider_id=provider_id, person__slug=person_slug, role=role)


class InspectionChildManager(models.Manager):
    def get_by_natural_key(self, provider_id, inspection_slug, ref):
        return self.get(
            inspection__trust__provider_id=provider_id,
            inspection__slug=inspection_slug,
            ref=ref,
        )


class Source(models.Model):
    """A document that states facts: one of the seed articles or a register entry."""

    code = models.CharField(max_length=40, unique=True, help_text="Register id, e.g. SEED-003 or L-QR-2015.")
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=400)
    published = models.DateField(null=True, blank=True)
    published_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    url = models.URLField(max_length=500, blank=True)
    seed_file = models.CharField(
        max_length=100,
        blank=True,
        help_text="File name in shared/seeds/ when this is a seed article.",
    )
    note = models.TextField(blank=True, help_text="Caveats on reliability, e.g. a machine-reworded copy.")

    objects = SourceManager()

    class Meta:
        ordering = ["code"]
        constraints = [_precision_check("published")]

    def __str__(self):
        return f"{self.code}: {self.title}"

    def natural_key(self):
        return (self.code,)

    @property
    def is_seed(self) -> bool:
        return bool(self.seed_file)

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision)

    def get_absolute_url(self):
        return f"{sources_page_url()}#source-{self.code}"


class TrustKind(models.TextChoices):
    MENTAL_HEALTH_COMMUNITY = (
        "mental_health_community",
        "Mental health and community trust",
    )
    ACUTE = "acute", "Acute hospital trust"


class Trust(models.Model):
    Kind = TrustKind

    provider_id = models.CharField(
        max_length=10,
        unique=True,
        help_text="CQC provider id (= NHS organisation code).",
    )
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    services_summary = models.TextField(blank=True, help_text="What the trust runs, in our words.")
    history = models.TextField(blank=True, help_text="Founding and merger history, in our words.")
    sources = models.ManyToManyField(Source, blank=True, related_name="trusts")

    objects = TrustManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=_codes(TrustKind)), name="trust_kind_valid")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.provider_id,)

    def get_absolute_url(self):
        return reverse("inspections:trust", args=[self.slug])


class CoreService(models.Model):
    """A CQC core service, e.g. 'Urgent and emergency care'; shared by all trusts."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Location(models.Model):
    """A hospital or site the trust runs; acute trusts are rated per location."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="locations")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    cqc_location_id = models.CharField(max_length=12, blank=True, help_text="CQC location id where known, e.g. RWEAA.")
    description = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="locations")

    objects = TrustChildManager()

    class Meta:
        ordering = ["trust", "name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "slug"], name="location_unique_slug_per_trust"),
            models.UniqueConstraint(
                fields=["cqc_location_id"],
                condition=~Q(cqc_location_id=""),
                name="location_unique_cqc_id",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return self.trust.natural_key() + (self.slug,)

    natural_key.dependencies = ["inspections.trust"]


class Person(models.Model):
    """Someone quoted or named in a source (chief executive, chief inspector...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Leadership(models.Model):
    """A person named in a trust role (chief executive, chair) in sources of given years."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="leaders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=100)
    first_stated_year = models.PositiveSmallIntegerField(help_text="Earliest year a source names them in the role.")
    last_stated_year = models.PositiveSmallIntegerField(help_text="Latest year a source names them in the role.")
    note = models.CharField(max_length=300, blank=True)
    sources = models.ManyToManyField(Source, related_name="leaderships")

    objects = LeadershipManager()

    class Meta:
        ordering = ["trust", "role", "first_stated_year"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "person", "role"], name="leadership_unique_role"),
            models.CheckConstraint(
                condition=Q(last_stated_year__gte=F("first_stated_year")),
                name="leadership_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.role}"

    def natural_key(self):
        return self.trust.natural_key() + self.person.natural_key() + (self.role,)

    natural_key.dependencies = ["inspections.trust", "inspections.person"]


class InspectionQuerySet(models.QuerySet):
    def published_order(self):
        """Oldest report first; reports with no known publication date last."""
        return self.order_by(
            F("published").asc(nulls_last=True),
            F("visit_start").asc(nulls_last=True),
            "slug",
        )


class InspectionManager(TrustChildManager.from_queryset(InspectionQuerySet)):
    pass


class InspectionType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "Comprehensive"
    CORE_SERVICES = "core_services", "Core services"
    FOCUSED = "focused", "Focused"
    WELL_LED = "well_led", "Core services and well-led"
    FOLLOW_UP = "follow_up", "Follow-up of enforcement"
    OUTCOMES = "outcomes", "Outcomes (pre-2014 model, unrated)"


class VisitNotice(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    SHORT_NOTICE = "short_notice", "Short-notice announced"
    UNANNOUNCED = "unannounced", "Unannounced"
    NOT_STATED = "not_stated", "Not stated"


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
        blank=True, help_text="Where sources disagree: what each says and which we use."
    )
    sources = models.ManyToManyField(Source, related_name="inspections")

    objects = InspectionManager()

    class Meta:
        ordering = ["trust", F("published").asc(nulls_last=True), "slug"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "slug"], name="inspection_unique_slug_per_trust"),
            _not_before_check(
                "visit_end", "visit_start", name="inspection_visit_end_not_before_start", message=VISIT_ORDER_ERROR
            ),
            _not_before_check(
                "published", "visit_start", name="inspection_published_not_before_visit", message=PUBLISHED_ORDER_ERROR
            ),
            models.CheckConstraint(
                condition=Q(inspection_type__in=_codes(InspectionType)),
                name="inspection_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(notice__in=_codes(VisitNotice)),
                name="inspection_notice_valid",
            ),
            _precision_check("visit_start"),
            _precision_check("visit_end"),
            _precision_check("published"),
        ]

    def __str__(self):
        return f"{self.trust.short_name or self.trust.name}: {self.title}"

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
        return reverse("inspections:inspection", args=[self.trust.slug, self.slug])

    @property
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision)

    @property
    def published_iso(self) -> str:
        return iso_partial_date(self.published, self.published_precision)

    @property
    def visit_display(self) -> str:
        start = format_partial_date(self.visit_start, self.visit_start_precision)
        end = format_partial_date(self.visit_end, self.visit_end_precision)
        return f"{start} to {end}" if start and end and start != end else start or end


def _check_location_belongs_to_inspection_trust(child: models.Model) -> None:
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
            F("inspection__published").asc(nulls_last=True), "inspection__slug", scope_rank, "service__name",
            "location__name", question_rank,
        )  # fmt: skip


class RatingManager(models.Manager.from_queryset(RatingQuerySet)):
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
    key_question = models.CharField(max_length=12, choices=KeyQuestion.choices)
    scope = models.CharField("level", max_length=10, choices=Scope.choices)
    service = models.ForeignKey(
        CoreService, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings",
        help_text="Required for a core-service rating.",
    )  # fmt: skip
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings",
        help_text="Required for a location rating; optional for a core service rated at one location.",
    )  # fmt: skip
    value = models.CharField("rating", max_length=24, choices=RatingValue.choices)
    previous_value = models.CharField(
        "previous rating", max_length=24, choices=RatingValue.choices, blank=True,
        help_text="Only where a source states the change.",
    )  # fmt: skip
    note = models.TextField(
        blank=True,
        help_text="Caveats, e.g. a single-source value or why it did not change.",
    )
    sources = models.ManyToManyField(Source, related_name="ratings")

    objects = RatingManager()

    class Meta:
        ordering = ["inspection", "scope", "service", "location", "key_question"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_question__in=_codes(KeyQuestion)),
                name="rating_key_question_valid",
            ),
            models.CheckConstraint(condition=Q(value__in=_codes(RatingValue)), name="rating_value_valid"),
            models.CheckConstraint(
                condition=Q(previous_value="") | Q(previous_value__in=_codes(RatingValue)),
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
        _check_location_belongs_to_inspection_trust(self)

    @property
    def subject_name(self) -> str:
        """What is rated: the trust, a core service (at a location), or a location."""
        if self.scope == Scope.SERVICE and self.service_id:
            return f"{self.service.name} at {self.location.name}" if self.location_id else self.service.name
        if self.scope == Scope.LOCATION and self.location_id:
            return self.location.name
        return "Whole trust"


class FindingKind(models.TextChoices):
    CONCERN = "concern", "Concern"
    REQUIRED_ACTION = "required_action", "Required action (must)"
    RECOMMENDATION = "recommendation", "Recommendation (should)"
    GOOD_PRACTICE = "good_practice", "Good practice"
    OUTSTANDING_PRACTICE = "outstanding_practice", "Outstanding practice"
    ENFORCEMENT = "enforcement", "Enforcement"


class FindingTheme(models.TextChoices):
    STAFFING = "staffing", "Staffing"
    SAFE_ENVIRONMENT = "safe_environment", "Safe environment and ligature risks"
    MEDICINES = "medicines", "Medicines"
    WAITING_TIMES = "waiting_times", "Waiting times and access"
    PRIVACY_DIGNITY = "privacy_dignity", "Privacy and dignity"
    TRAINING = "training", "Training"
    RECORDS = "records", "Records and care planning"
    LEADERSHIP = "leadership", "Leadership and governance"
    EQUIPMENT = "equipment", "Equipment"
    PATIENT_EXPERIENCE = "patient_experience", "Patient experience"
    INFECTION_CONTROL = "infection_control", "Infection control"
    SAFEGUARDING = "safeguarding", "Safeguarding and incidents"


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
        on_delete=models.PROTECT,
        related_name="findings",
    )
    summary = models.TextField(help_text="In our own words; quote at most a few words, in quotation marks.")
    sources = models.ManyToManyField(Source, related_name="findings")

    objects = InspectionChildManager()

    class Meta:
        ordering = ["inspection", "kind", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "ref"], name="finding_unique_ref_per_inspection"),
            models.CheckConstraint(condition=Q(kind__in=_codes(FindingKind)), name="finding_kind_valid"),
            models.CheckConstraint(condition=Q(theme__in=_codes(FindingTheme)), name="finding_theme_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary[:60]}"

    @property
    def subject_name(self) -> str:
        """Where the finding applies, e.g. "Maternity at Leicester General Hospital"; empty for the whole trust."""
        names = [part.name for part in (self.service, self.location) if part is not None]
        return " at ".join(names)

    def natural_key(self):
        return self.inspection.natural_key() + (self.ref,)

    natural_key.dependencies = ["inspections.inspection"]

    def clean(self):
        _check_location_belongs_to_inspection_trust(self)


class Statement(models.Model):
    """What a named person said about an inspection, in one line."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="statements")
    ref = models.SlugField(help_text="Stable key within the inspection.")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="statements")
    role = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    summary = models.TextField(help_text="What they said, in our words; a few quoted words at most.")
    sources = models.ManyToManyField(Source, related_name="statements")

    objects = InspectionChildManager()

    class Meta:
        ordering = ["inspection", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "ref"], name="statement_unique_ref_per_inspection"),
        ]

    def __str__(self):
        return f"{self.person}, {self.role}"

    def natural_key(self):
        return self.inspection.natural_key() + (self.ref,)

    natural_key.dependencies = ["inspections.inspection", "inspections.person"]
