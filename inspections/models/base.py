"""Pieces the models share: constraint builders, natural-key managers, citations and editor notes."""

import functools
from urllib.parse import quote

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from inspections.domain.codes import PassageKind, codes
from inspections.domain.dates import DatePrecision

PRECISION_CODES = [code for code, _ in DatePrecision.choices]


@functools.cache
def sources_page_url() -> str:
    """The sources page, reversed once: every source's own page is under it, at /sources/CODE/."""
    return reverse("inspections:sources")


@functools.cache
def _url_parts(name: str, count: int) -> tuple[str, ...]:
    """The pieces of a URL pattern between its arguments, found by reversing it once with markers."""
    markers = [f"zzarg{index}zz" for index in range(count)]
    url, parts = reverse(name, args=markers), []
    for marker in markers:
        before, url = url.split(marker, 1)
        parts.append(before)
    return (*parts, url)


def fast_url(name: str, *slugs: str) -> str:
    """What `reverse(name, args=slugs)` gives for slug arguments (URL-safe as they are), at a fraction of its cost:
    a list of 25 trusts with their sites, or a page of ratings, asks for hundreds of addresses."""
    parts = _url_parts(name, len(slugs))
    return "".join(part + slug for part, slug in zip(parts, slugs, strict=False)) + parts[-1]


def source_url(code: str, page: str = "") -> str:
    """A source's own page, /sources/CODE/ (so any code, e.g. from a download, can be looked up);
    `page` (sources_page_url()) saves reversing the sources page again per link."""
    return f"{page or sources_page_url()}{quote(code, safe='')}/"


def precision_check(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}_precision__in": PRECISION_CODES}),
        name=f"%(app_label)s_%(class)s_{field}_precision_valid",
    )


def not_before_check(later: str, earlier: str, *, name: str, message: str) -> models.CheckConstraint:
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


def passage_kind_check() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(passage_kind__in=codes(PassageKind)), name="%(app_label)s_%(class)s_passage_kind_valid"
    )


def editor_note_field() -> models.TextField:
    return models.TextField(
        blank=True,
        help_text="Working note for editors only (research caveats, doubts); never shown on public pages.",
    )


class NaturalKeyManager(models.Manager):
    """A manager that says which fields make its model's natural key (`key_fields`), in the order
    `natural_key()` gives them; a foreign key stands for its target's natural key, as in Django's fixtures.
    The fixture loader matches records to rows by these fields."""

    key_fields: tuple[str, ...] = ()


class SlugNaturalKeyManager(NaturalKeyManager):
    """Natural key is one unique field."""

    key_fields = ("slug",)

    def get_by_natural_key(self, key):
        return self.get(**{self.key_fields[0]: key})


class TrustChildManager(NaturalKeyManager):
    key_fields = ("trust", "slug")

    def get_by_natural_key(self, provider_id, slug):
        return self.get(trust__provider_id=provider_id, slug=slug)


class InspectionChildManager(NaturalKeyManager):
    key_fields = ("inspection", "ref")

    def get_by_natural_key(self, provider_id, inspection_slug, ref):
        return self.get(
            inspection__trust__provider_id=provider_id,
            inspection__slug=inspection_slug,
            ref=ref,
        )


class Citation(models.Model):
    """One record's citation of a source, with the short verbatim passage that supports it.

    Concrete subclasses are the `through` tables of `Rating.sources`, `Finding.sources` and
    `Statement.sources`; they keep the tables Django created for those relations before passages existed.
    """

    source = models.ForeignKey("inspections.Source", on_delete=models.PROTECT)
    passage = models.TextField(
        blank=True,
        help_text="A sentence or two, verbatim from the text we hold for the source, that supports the fact.",
    )
    passage_kind = models.CharField(
        max_length=5,
        choices=PassageKind.choices,
        default=PassageKind.NOTE,
        help_text="The source's own words (copied from the article we hold), or our note of the source (copied "
        "from our research notes); readers see a quote only for the first.",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.source.code}: {self.passage[:60]}"
