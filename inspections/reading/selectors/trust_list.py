"""The trust list: each trust with the overall rating that stands now, its last report and its count of inspections."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from inspections.domain.codes import KeyQuestion, Origin, Scope
from inspections.domain.rating_levels import ON_SCALE, SCALE_POSITION
from inspections.domain.standing import RatingEvent, Standing, standing
from inspections.domain.subjects import TRUST, subject_name
from inspections.models import Inspection, Location, Rating, Trust, inspection_url
from inspections.reading.selectors.counting import count_of


def trusts_with_current_overall() -> QuerySet[Trust]:
    """Trusts annotated with current overall rating (value, scale position, date set), last report and count.

    The current overall value is `domain.standing`'s rule in SQL, for filtering and sorting: the latest report
    (by publication date, then slug) that set one on the scale. tests/integration/test_overall_in_sql.py holds
    it to `overall_standings()` on random histories. Pages show when it began and was last confirmed from
    `overall_standings()`, never from this annotation.

    Every annotation is its own subquery and none is an aggregate: with no GROUP BY, a page ordered by
    name reads the name index and runs the subqueries for the rows it shows only, and a count leaves out
    the annotations no filter uses. (A CASE over the value subquery would run that subquery once per WHEN.)
    """
    latest_overall = (
        Rating.objects.filter(
            inspection__trust=OuterRef("pk"),
            scope=Scope.TRUST,
            key_question=KeyQuestion.OVERALL,
            value__in=ON_SCALE,
            inspection__published__isnull=False,
        ).order_by("-inspection__published", "-inspection__slug")  # same-day reports: as the grid, last slug wins
    )
    position = Case(
        *[When(value=code, then=Value(position)) for code, position in SCALE_POSITION.items()],
        output_field=IntegerField(),
    )
    latest_report = Inspection.objects.filter(trust=OuterRef("pk"), published__isnull=False).order_by(
        "-published", "-slug"
    )
    return Trust.objects.annotate(
        current_overall=Subquery(latest_overall.values("value")[:1]),
        current_overall_published=Subquery(latest_overall.values("inspection__published")[:1]),
        current_overall_precision=Subquery(latest_overall.values("inspection__published_precision")[:1]),
        current_overall_position=Coalesce(
            Subquery(latest_overall.annotate(position=position).values("position")[:1]), Value(0)
        ),
        last_published=Subquery(latest_report.values("published")[:1]),
        last_published_precision=Subquery(latest_report.values("published_precision")[:1]),
        inspection_count=count_of(Inspection.objects, "trust"),
    ).order_by("name")


OVERALL_ROW = (
    "inspection__trust_id",
    "inspection__trust__slug",
    "value",
    "previous_value",
    "note",
    "origin",
    "inspection__slug",
    "inspection__title",
    "inspection__published",
    "inspection__published_precision",
)


def overall_standings(trust_ids: Iterable[int]) -> dict[int, Standing]:
    """The Standing of each trust's whole-trust overall rating (since when, last confirmed when), by trust id,
    from `domain.standing` (one query); trusts with no overall rating on the scale are left out.

    The events carry no sources (`sources=()`): a list showing the rating links the trust, not each source.
    """
    ratings = Rating.objects.filter(
        inspection__trust_id__in=list(trust_ids), scope=Scope.TRUST, key_question=KeyQuestion.OVERALL
    )
    events: dict[int, list[RatingEvent]] = defaultdict(list)
    name = subject_name(Scope.TRUST, "", "")
    for (
        trust_id,
        trust_slug,
        value,
        previous,
        note,
        origin,
        slug,
        title,
        published,
        precision,
    ) in ratings.order_by().values_list(*OVERALL_ROW):
        events[trust_id].append(
            RatingEvent(
                subject=TRUST,
                subject_name=name,
                key_question=KeyQuestion.OVERALL,
                value=value,
                previous_value=previous,
                published=published,
                published_precision=precision,
                inspection_slug=slug,
                inspection_title=title,
                inspection_url=inspection_url(trust_slug, slug),
                sources=(),
                note=note,
                origin=origin,
            )
        )
    found = {trust_id: standing(history) for trust_id, history in events.items()}
    return {trust_id: stood for trust_id, stood in found.items() if stood is not None}


def trust_regions() -> list[str]:
    """The CQC regions of the trusts held, in order, for the region filter."""
    return list(Trust.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct())


def from_cqc_data(records) -> bool:
    """Whether any record shown came from CQC's public data, whose licence asks for the attribution."""
    return any(record.origin == Origin.CQC_API for record in records)


def list_shows_cqc_data(trusts: list[Trust], locations: list[Location]) -> bool:
    """Whether the trust list shows CQC data: an imported trust or location, or (one query) an imported
    report or rating of a listed trust, which the current rating, report date and count come from."""
    if from_cqc_data([*trusts, *locations]):
        return True
    imported = Q(inspections__origin=Origin.CQC_API) | Q(inspections__ratings__origin=Origin.CQC_API)
    return Trust.objects.filter(imported, pk__in=[trust.pk for trust in trusts]).exists()
