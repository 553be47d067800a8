"""Trusts, the sites they run, the core services CQC rates, and the people named in trust roles."""

import datetime

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from inspections.domain.addresses import cqc_page
from inspections.domain.codes import Origin, TrustKind, codes, label
from inspections.domain.words import search_form
from inspections.models.base import (
    NaturalKeyManager,
    SlugNaturalKeyManager,
    TrustChildManager,
    editor_note_field,
    fast_url,
)
from inspections.models.sources import Source

DEREGISTERED = "deregistered"  # CQC's registration status for a closed trust or site (any case)
SUPERSEDED = "superseded"  # CQC's status of an inspection area another has replaced at a site (any case)
OPEN = Q(deregistration_date__isnull=True) & ~Q(registration_status__iexact=DEREGISTERED)  # a queryset's open ones


class Registered(models.Model):
    """What CQC's register says of a trust or a site: whether it is still registered, and where it is."""

    registration_status = models.CharField(
        max_length=30, blank=True, help_text="CQC's registration status, e.g. Registered or Deregistered."
    )
    deregistration_date = models.DateField(null=True, blank=True, help_text="When CQC deregistered it, if it has.")
    latitude = models.FloatField(null=True, blank=True, help_text="CQC's latitude for its postcode (ONS).")
    longitude = models.FloatField(null=True, blank=True, help_text="CQC's longitude for its postcode (ONS).")
    search_text = models.TextField(
        blank=True, editable=False, help_text="Names, towns and postcode in search form (domain/words.py)."
    )

    class Meta:
        abstract = True

    @property
    def is_closed(self) -> bool:
        return self.closed_on(self.deregistration_date, self.registration_status, datetime.date.max) is not None

    @staticmethod
    def closed_on(
        deregistration_date: datetime.date | None, registration_status: str, today: datetime.date
    ) -> datetime.date | None:
        """When a trust or site stopped counting as open: its deregistration date; today where CQC's data says
        deregistered without a date (so it is left out now but still counted in the past); None while registered."""
        if deregistration_date is not None:
            return deregistration_date
        return today if registration_status.casefold() == DEREGISTERED else None

    def search_fields(self) -> list[str]:
        raise NotImplementedError

    def before_write(self) -> None:
        """Keep derived columns in step; every writer calls it (save(), and the bulk writers for their rows)."""
        self.search_text = search_form(" ".join(part for part in self.search_fields() if part))

    def save(self, *args, **kwargs):
        self.before_write()
        super().save(*args, **kwargs)


class TrustManager(SlugNaturalKeyManager):
    key_fields = ("provider_id",)


class LeadershipManager(NaturalKeyManager):
    key_fields = ("trust", "person", "role")

    def get_by_natural_key(self, provider_id, person_slug, role):
        return self.get(trust__provider_id=provider_id, person__slug=person_slug, role=role)


class Trust(Registered):
    Kind = TrustKind

    provider_id = models.CharField(
        max_length=20,
        unique=True,
        help_text="CQC provider id (= NHS organisation code).",
    )
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    region = models.CharField(max_length=100, blank=True, help_text="CQC region, e.g. Midlands.")
    address = models.CharField(max_length=300, blank=True, help_text="Street lines; town and postcode apart.")
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    services_summary = models.TextField(blank=True, help_text="What the trust runs, in our words.")
    history = models.TextField(blank=True, help_text="Founding and merger history, in our words.")
    sources = models.ManyToManyField(Source, blank=True, related_name="trusts")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CURATED)

    objects = TrustManager()
    changes = HistoricalRecords(m2m_fields=["sources"])  # `history` is the trust's founding history above

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=codes(TrustKind)), name="trust_kind_valid")]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.provider_id,)

    def get_absolute_url(self):
        return fast_url("inspections:trust", self.slug)

    @property
    def kind_label(self) -> str:
        return label(TrustKind, self.kind)

    @property
    def cqc_page_url(self) -> str:
        """The trust's page on CQC's website, from its provider id."""
        return cqc_page(self.provider_id, provider=True)

    def search_fields(self) -> list[str]:
        return [self.name, self.short_name, self.provider_id, self.town, self.postcode, self.postcode.replace(" ", "")]


class CoreService(models.Model):
    """A CQC core service, e.g. 'Urgent and emergency care'; shared by all trusts.

    CQC's data names a core service by its inspection area id ("life", "npimaternity"), and gives the name readers
    know beside it ("End of life care", "Maternity"); an imported service keeps both, one service per area id.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    cqc_area_id = models.CharField(
        "CQC inspection area id",
        max_length=50,
        blank=True,
        help_text="CQC's id of this inspection area, e.g. npimaternity; blank where no CQC data names it.",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CURATED)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cqc_area_id"], condition=~Q(cqc_area_id=""), name="core_service_unique_cqc_area_id"
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Location(Registered):
    """A hospital or site the trust runs; acute trusts are rated per location."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="locations")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    cqc_location_id = models.CharField(max_length=20, blank=True, help_text="CQC location id where known, e.g. RWEAA.")
    description = models.TextField(blank=True)
    region = models.CharField(max_length=100, blank=True)
    address = models.CharField(max_length=300, blank=True, help_text="Street lines; town and postcode apart.")
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="locations")
    editor_note = editor_note_field()
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CURATED)

    objects = TrustChildManager()
    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["name"]
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

    def get_absolute_url(self):
        return fast_url("inspections:location", self.trust.slug, self.slug)

    @property
    def cqc_page_url(self) -> str:
        """The site's page on CQC's website, from its location id; empty when we hold no id."""
        return cqc_page(self.cqc_location_id, provider=False) if self.cqc_location_id else ""

    def search_fields(self) -> list[str]:
        postcode = self.postcode
        return [self.name, self.cqc_location_id, self.town, postcode, postcode.replace(" ", "")]


class LocationRelationship(models.Model):
    """A link CQC's data gives between two sites, e.g. the site this one replaced ("HSCA Predecessor")."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="relationships")
    related_cqc_id = models.CharField("related CQC location id", max_length=20)
    related_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=100, help_text="CQC's type of relationship, e.g. HSCA Predecessor.")
    reason = models.CharField(max_length=200, blank=True, help_text="CQC's reason, e.g. Change of provider.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CQC_API)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "related_name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "related_cqc_id", "kind"], name="relationship_unique"),
        ]

    def __str__(self):
        return f"{self.location}: {self.kind} {self.related_name or self.related_cqc_id}"


class InspectionArea(models.Model):
    """One core service of a site, or of the whole trust, as CQC's inspection areas list it: whether it is current
    there, and, once superseded, when it ended and which service replaced it (e.g. "Maternity and gynaecology",
    superseded by "Maternity" on 15 August 2018). The status is the site's: a service superseded at one site may
    still be current at another."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="inspection_areas")
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inspection_areas",
        help_text="Blank for the trust's own inspection areas (core services rated for the whole trust).",
    )
    service = models.ForeignKey(CoreService, on_delete=models.PROTECT, related_name="inspection_areas")
    status = models.CharField(
        max_length=50, blank=True, help_text='CQC\'s status, e.g. "Active (Rated)", "Active (Not rated)", "Superseded".'
    )
    end_date = models.DateField(null=True, blank=True, help_text="When CQC ended it there, once superseded.")
    superseded_by = models.ForeignKey(
        CoreService,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
        help_text="The core service that replaced it there.",
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.CQC_API)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "service"], condition=Q(location__isnull=False), name="inspection_area_unique_site"
            ),
            models.UniqueConstraint(
                fields=["trust", "service"], condition=Q(location__isnull=True), name="inspection_area_unique_trust"
            ),
        ]

    def __str__(self):
        return f"{self.location or self.trust}: {self.service} ({self.status or 'status not given'})"

    @property
    def is_superseded(self) -> bool:
        return self.status.casefold() == SUPERSEDED


class LocationMove(models.Model):
    """A site CQC's data now lists under another trust: it moved with its history, and its page says so."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="moves")
    from_provider_id = models.CharField(max_length=20)
    from_trust_name = models.CharField(max_length=200)
    to_provider_id = models.CharField(max_length=20)
    noticed = models.DateField(help_text="The date of the CQC data in which the move was first seen.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["noticed", "id"]

    def __str__(self):
        return f"{self.location}: {self.from_provider_id} to {self.to_provider_id}"


class Person(models.Model):
    """Someone quoted or named in a source (chief executive, chief inspector...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

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
    editor_note = editor_note_field()
    sources = models.ManyToManyField(Source, related_name="leaderships")

    objects = LeadershipManager()
    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["role", "first_stated_year"]
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
