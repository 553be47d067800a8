"""The national picture as plain data: every trust held, the share at each overall rating now and at the end of each
year (all trusts, by kind, by region), where each trust and site is with the rating that stands there now, and the
latest reports across all trusts (which the Atom feeds read too).

Shares count each trust with the whole-trust overall rating in force on the day, by the one rule for which rating
stands (`domain.standing`, through `comparison.shares_on`), and a trust CQC has deregistered in none from the day it
closed; the map's colours use the same rule (`standing`) and show only what is open. Each read is a fixed number of
queries whatever the number of trusts (said in each docstring).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from inspections.domain.codes import KeyQuestion, Origin, Scope, TrustKind
from inspections.domain.dates import format_partial_date
from inspections.domain.rating_levels import RATING_WORDS, is_on_scale
from inspections.domain.standing import RatingEvent, bare_event, standing
from inspections.domain.subjects import at_location
from inspections.models import Inspection, Location, Rating, Trust
from inspections.models.inspections import inspection_url
from inspections.models.trusts import OPEN
from inspections.reading.comparison import (
    REGISTER_FIELDS,
    Shares,
    closing_dates,
    overall_events_by_trust,
    shares_on,
)
from inspections.reading.selectors.counting import count_of
from inspections.reading.selectors.sites import closed_words_of

NOW = "Now"
UNKNOWN_REGION = "Region not known"
LATEST_REPORTS = 20
QUESTION_ORDER = {code: index for index, code in enumerate(KeyQuestion.values)}
QUESTION_LABELS = dict(KeyQuestion.choices)


@dataclass(frozen=True)
class GroupShares:
    """One group of trusts (all, a kind, a region): how many are held, and the shares at the end of each year,
    oldest first, then now (labelled "Now")."""

    name: str
    total: int
    points: list[tuple[str, Shares]]

    @property
    def now(self) -> Shares:
        return self.points[-1][1]

    @property
    def first(self) -> tuple[str, Shares]:
        """The earliest year's end with any trust of the group rated, or now when none was."""
        return next(((label, shares) for label, shares in self.points if shares.rated), self.points[-1])


@dataclass(frozen=True)
class Place:
    """A trust or a site as the map shows it: where it is and the overall rating that stands there now."""

    name: str
    url: str
    latitude: float | None
    longitude: float | None
    rating: str  # the code of the overall rating that stands now; "" when none on the scale is held
    since: str  # e.g. "since July 2019, last confirmed May 2023"; "" when no rating stands
    region: str = ""
    trust_name: str = ""  # for a site: the trust that runs it
    closed: str = ""  # "Closed: deregistered 31 March 2021" for a trust CQC has deregistered, else ""

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def on_map(self) -> bool:
        """The map shows what is open now, by the rating that stands there: a closed trust's last rating does not."""
        return self.has_coordinates and not self.closed

    @property
    def map_words(self) -> str:
        """Whether the table's trust is on the map, and if not, why."""
        if self.on_map:
            return "Yes"
        return "No: closed" if self.closed else "No coordinates"

    @property
    def rating_text(self) -> str:
        """'Good, since July 2019', 'No overall rating on the scale yet' or, for a closed trust, its closing."""
        if self.closed:
            return self.closed
        return f"{RATING_WORDS[self.rating]}, {self.since}" if self.rating else "No overall rating on the scale yet"


@dataclass(frozen=True)
class ReportEntry:
    """One published report, as the latest reports and the feeds list it: whose, when, and the ratings it set."""

    trust_name: str
    trust_url: str
    title: str
    url: str
    published: datetime.date
    published_display: str
    whole_trust: list[tuple[str, str, str]]  # (key question label, rating code, rating word), in CQC's order
    other_ratings: int  # ratings of hospitals, sites and core services set by the same report

    @property
    def overall(self) -> tuple[str, str] | None:
        """(code, word) of the whole-trust overall rating the report set, if it set one on the scale."""
        label = QUESTION_LABELS[KeyQuestion.OVERALL]
        found = ((code, word) for question, code, word in self.whole_trust if question == label and is_on_scale(code))
        return next(found, None)

    @property
    def headline(self) -> str:
        """E.g. 'Fictional Vale NHS Trust rated Good overall' or '... : new report'."""
        overall = self.overall
        return f"{self.trust_name} rated {overall[1]} overall" if overall else f"{self.trust_name}: new report"

    @property
    def ratings_text(self) -> str:
        """The ratings the report set, in words, e.g. 'Whole trust: Overall Good, Safe Requires improvement. Also
        12 ratings of hospitals, sites and core services.'"""
        parts = []
        if self.whole_trust:
            parts.append(
                "Whole trust: " + ", ".join(f"{question} {word}" for question, _, word in self.whole_trust) + "."
            )
        if self.other_ratings:
            plural = "rating" if self.other_ratings == 1 else "ratings"
            also = "Also " if self.whole_trust else ""
            parts.append(f"{also}{self.other_ratings} {plural} of hospitals, sites and core services.")
        return " ".join(parts) or "No ratings held for this report."


@dataclass(frozen=True)
class NationalPicture:
    """Everything /national/ shows."""

    today: datetime.date
    overall: GroupShares
    by_kind: list[GroupShares]
    by_region: list[GroupShares]
    trusts: list[Place]
    latest: list[ReportEntry] = field(default_factory=list)
    from_cqc_data: bool = False  # shows data from CQC's public API, whose licence asks for the attribution

    @property
    def trust_count(self) -> int:
        return self.overall.total

    @property
    def on_map(self) -> list[Place]:
        return [place for place in self.trusts if place.on_map]

    @property
    def closed(self) -> list[Place]:
        return [place for place in self.trusts if place.closed]

    @property
    def regions(self) -> list[tuple[str, list[Place]]]:
        """Every trust by region (regions in order, an unknown region last), each by name: the map's text twin."""
        grouped: dict[str, list[Place]] = defaultdict(list)
        for place in self.trusts:
            grouped[place.region or UNKNOWN_REGION].append(place)
        return sorted(grouped.items(), key=lambda item: (item[0] == UNKNOWN_REGION, item[0]))


def year_ends(first_year: int, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """(label, date) for the end of each year from `first_year` that has ended by `today`, then (NOW, today)."""
    ends = [(str(year), datetime.date(year, 12, 31)) for year in range(first_year, today.year + 1)]
    return [(label, day) for label, day in ends if day < today] + [(NOW, today)]


def _group(name: str, members: list[int], events: dict[int, list[RatingEvent]], closed_on: dict, points) -> GroupShares:
    held = {pk: events[pk] for pk in members if pk in events}
    closed = {pk: closed_on[pk] for pk in members if pk in closed_on}
    shares = shares_on(held, len(members), [day for _, day in points], closed)
    return GroupShares(name, len(members), [(label, found) for (label, _), found in zip(points, shares, strict=True)])


def _place(name: str, url: str, row: dict, events: list[RatingEvent], **extra) -> Place:
    """A trust or site with the rating that stands now; a closed one says so and shows none."""
    closed = closed_words_of(row["deregistration_date"], row["registration_status"])
    stands = None if closed else standing(events)
    return Place(
        name=name,
        url=url,
        latitude=row["latitude"],
        longitude=row["longitude"],
        rating=stands.value if stands else "",
        since=stands.words if stands else "",
        closed=closed,
        **extra,
    )


def national_picture(today: datetime.date, *, latest: int = LATEST_REPORTS) -> NationalPicture:
    """The whole picture on `today` (five queries at most: trusts, their whole-trust overall ratings, the latest reports
    and their whole-trust ratings, and, where no trust came from CQC's data, whether any report did)."""
    trusts = list(
        Trust.objects.order_by("name").values(
            "slug", "name", "kind", "region", "latitude", "longitude", "origin", *REGISTER_FIELDS
        )
    )
    events = overall_events_by_trust()
    closed_on = closing_dates(trusts, today)
    years = [event.published.year for found in events.values() for event in found if event.published]
    points = year_ends(min(years, default=today.year), today)
    everyone = [trust["pk"] for trust in trusts]
    kinds = [
        _group(label, members, events, closed_on, points)
        for code, label in TrustKind.choices
        if (members := [trust["pk"] for trust in trusts if trust["kind"] == code])
    ]
    regions = sorted({trust["region"] for trust in trusts}, key=lambda region: (not region, region))
    by_region = [
        _group(
            region or UNKNOWN_REGION,
            [trust["pk"] for trust in trusts if trust["region"] == region],
            events,
            closed_on,
            points,
        )
        for region in regions
    ]
    places = [
        _place(
            trust["name"],
            reverse("inspections:trust", args=[trust["slug"]]),
            trust,
            events.get(trust["pk"], []),
            region=trust["region"],
        )
        for trust in trusts
    ]
    return NationalPicture(
        today=today,
        overall=_group("All trusts", everyone, events, closed_on, points),
        by_kind=kinds,
        by_region=by_region,
        trusts=places,
        latest=latest_reports(latest),
        from_cqc_data=any(trust["origin"] == Origin.CQC_API for trust in trusts)
        or Inspection.objects.filter(origin=Origin.CQC_API).exists(),
    )


def site_places() -> list[Place]:
    """Every open hospital or site with coordinates, with the site's own overall rating that stands now (two
    queries). A closed site is left off: its last rating stands nowhere now."""
    sites = list(
        Location.objects.filter(OPEN, latitude__isnull=False, longitude__isnull=False)
        .order_by("name", "pk")
        .values("pk", "slug", "name", "latitude", "longitude", "trust__slug", "trust__name", *REGISTER_FIELDS[1:])
    )
    ratings = Rating.objects.filter(
        scope=Scope.LOCATION,
        key_question=KeyQuestion.OVERALL,
        location__latitude__isnull=False,
        location__longitude__isnull=False,
    ).values_list(
        "location_id",
        "location__slug",
        "value",
        "inspection__published",
        "inspection__published_precision",
        "inspection__slug",
    )
    events: dict[int, list[RatingEvent]] = defaultdict(list)
    for location_id, slug, value, published, precision, inspection_slug in ratings:
        event = bare_event(at_location(slug), KeyQuestion.OVERALL, value, published, precision, inspection_slug)
        events[location_id].append(event)
    return [
        _place(
            site["name"],
            reverse("inspections:location", args=[site["trust__slug"], site["slug"]]),
            site,
            events.get(site["pk"], []),
            trust_name=site["trust__name"],
        )
        for site in sites
    ]


def latest_reports(limit: int = LATEST_REPORTS, *, trust: Trust | None = None) -> list[ReportEntry]:
    """The `limit` latest reports with a known publication date (of one trust, or of all), newest first, each with
    the whole-trust ratings it set and a count of its other ratings (two queries)."""
    whole_trust = Prefetch("ratings", queryset=Rating.objects.filter(scope=Scope.TRUST), to_attr="whole_trust")
    inspections = (
        Inspection.objects.filter(published__isnull=False)
        .select_related("trust")
        .prefetch_related(whole_trust)
        .annotate(rating_total=count_of(Rating.objects, "inspection"))
        .order_by("-published", "-slug", "-pk")  # same-day reports: as the grid, the later slug is the later report
    )
    if trust is not None:
        inspections = inspections.filter(trust=trust)
    entries = []
    for inspection in inspections[:limit]:
        ratings = sorted(inspection.whole_trust, key=lambda rating: QUESTION_ORDER[rating.key_question])
        entries.append(
            ReportEntry(
                trust_name=inspection.trust.name,
                trust_url=inspection.trust.get_absolute_url(),
                title=inspection.title,
                url=inspection_url(inspection.trust.slug, inspection.slug),
                published=inspection.published,
                published_display=format_partial_date(inspection.published, inspection.published_precision),
                whole_trust=[
                    (QUESTION_LABELS[rating.key_question], rating.value, RATING_WORDS[rating.value])
                    for rating in ratings
                ],
                other_ratings=inspection.rating_total - len(ratings),
            )
        )
    return entries
