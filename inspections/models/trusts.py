"""Trusts, the sites they run, the core services CQC rates, and the people named in trust roles."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from inspections.domain.codes import Origin, TrustKind, codes
from inspections.models.base import SlugNaturalKeyManager, TrustChildManager, editor_note_field
from inspections.models.sources import Source


class TrustManager(SlugNaturalKeyManager):
    key_field = "provider_id"


class LeadershipManager(models.Manager):
    def get_by_natural_key(self, provider_id, person_slug, role):
        return self.get(trust__provider_id=provider_id, person__slug=person_slug, role=role)


class Trust(models.Model):
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
        return reverse("inspections:trust", args=[self.slug])


class CoreService(models.Model):
    """A CQC core service, e.g. 'Urgent and emergency care'; shared by all trusts."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

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
        return reverse("inspections:location", args=[self.trust.slug, self.slug])


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
