"""factory_boy factories with explicit, readable defaults; tests override what they assert on."""

import datetime

import factory

from inspections import models
from inspections.domain import codes
from inspections.domain.rating_levels import RatingValue


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-{n:03d}")
    publisher = "Care Quality Commission"
    title = factory.LazyAttribute(lambda o: f"Test source {o.code}")
    published = datetime.date(2015, 7, 10)


class CitedFactory(factory.django.DjangoModelFactory):
    """A record that must cite a source: it cites TEST-SRC unless the test passes `sources=[...]`."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or [SourceFactory(code="TEST-SRC")])


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Trust
        django_get_or_create = ("provider_id",)

    provider_id = "TST"
    slug = "test-trust"
    name = "Test NHS Trust"
    short_name = "TST"
    kind = codes.TrustKind.MENTAL_HEALTH_COMMUNITY


class CoreServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CoreService
        django_get_or_create = ("slug",)

    slug = "acute-wards"
    name = "Acute wards for adults of working age and psychiatric intensive care units"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Location

    trust = factory.SubFactory(TrustFactory)
    slug = "general-hospital"
    name = "General Hospital"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person
        django_get_or_create = ("slug",)

    slug = "jane-doe"
    name = "Jane Doe"


class InspectionFactory(CitedFactory):
    class Meta:
        model = models.Inspection
        skip_postgeneration_save = True

    trust = factory.SubFactory(TrustFactory)
    slug = factory.Sequence(lambda n: f"inspection-{n}")
    title = factory.LazyAttribute(lambda o: f"Inspection {o.slug}")
    inspection_type = codes.InspectionType.COMPREHENSIVE
    visit_start = datetime.date(2015, 3, 9)
    visit_end = datetime.date(2015, 3, 13)
    published = datetime.date(2015, 7, 10)
    scope = "All core services."


class RatingFactory(CitedFactory):
    class Meta:
        model = models.Rating
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    key_question = codes.KeyQuestion.OVERALL
    scope = codes.Scope.TRUST
    value = RatingValue.REQUIRES_IMPROVEMENT


class FindingFactory(CitedFactory):
    class Meta:
        model = models.Finding
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    ref = factory.Sequence(lambda n: f"finding-{n}")
    kind = codes.FindingKind.CONCERN
    theme = codes.FindingTheme.STAFFING
    summary = "Too few nurses on night shifts."


class StatementFactory(CitedFactory):
    class Meta:
        model = models.Statement
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    ref = "jane-doe"
    person = factory.SubFactory(PersonFactory)
    role = "Chief executive"
    organisation = "Test NHS Trust"
    summary = "Said the trust had more to do."
