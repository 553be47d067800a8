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

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse

from inspections.domain.codes import KeyQuestion, Origin, Scope, TrustKind
from inspections.domain.dates import DatePrecision, iso_partial_date
from inspections.domain.rating_levels import RATING_WORDS, is_on_scale
from inspections.domain.standing import RatingEvent, bare_event, standing
from inspections.domain.subjects import at_location, subject_name
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
from inspections.reading.selectors.inspection_page import publication_text
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
    def rating_word(self) -> str:
        return RATING_WORDS[self.rating] if self.rating else ""

    @property
    def rating_text(self) -> str:
        """'Good, since July 2019', 'No overall rating on the scale yet' or, for a closed trust, its closing."""
        if self.closed:
            return self.closed
        return f"{RATING_WORDS[self.rating]}, {self.since}" if self.rating else "No overall rating on the scale yet"


Rated = tuple[str, str, str]  # (key question label, rating code, rating word)


def _ratings_phrase(ratings: list[Rated]) -> str:
    """'Requires improvement overall, Safe Inadequate': what a report set on the scale, overall first."""
    overall = QUESTION_LABELS[KeyQuestion.OVERALL]
    return ", ".join(f"{word} overall" if label == overall else f"{label} {word}" for label, _, word in ratings)


@dataclass(frozen=True)
class ReportEntry:
    """One report, as the latest reports and the feeds list it: whose, when, and the ratings it set. A report whose
    publication date is not in our sources is listed by its visit, as `Inspection.published_order` places it."""

    trust_name: str
    trust_url: str
    title: str
    url: str
    published: datetime.date | None
    published_display: str  # '30 May 2024', 'February 2019'; '' when the publication date is not in our sources
    when: str  # publication_text: '30 May 2024', 'Visited May 2025; publication date not in our sources'
    date_iso: str  # the date that places it, to its precision: '2024-05-30', '2019-02'; an undated one's visit month
    precision: str  # of `published` (DatePrecision)
    arrived_at: datetime.datetime  # when the report arrived in our database
    whole_trust: list[Rated]  # in CQC's order
    other_ratings: int  # ratings of hospitals, sites and core services set by the same report
    elsewhere: list[tuple[str, list[Rated]]] = field(default_factory=list)  # on the scale, by what was rated

    @property
    def overall(self) -> tuple[str, str] | None:
        """(code, word) of the whole-trust overall rating the report set, if it set one on the scale."""
        label = QUESTION_LABELS[KeyQuestion.OVERALL]
        found = ((code, word) for question, code, word in self.whole_trust if question == label and is_on_scale(code))
        return next(found, None)

    @property
    def ratings_set(self) -> str:
        """What the report set on the scale, in a line: 'Requires improvement overall, Safe Inadequate' for the whole
        trust; for one service or site, 'Maternity at Leicester General Hospital rated Good overall'; for several,
        '14 ratings of 5 hospitals, sites and core services'; else 'no ratings set'."""
        trust_wide = [rated for rated in self.whole_trust if is_on_scale(rated[1])]
        if trust_wide:
            return _ratings_phrase(trust_wide)
        if len(self.elsewhere) == 1:
            name, ratings = self.elsewhere[0]
            return f"{name} rated {_ratings_phrase(ratings)}"
        if self.elsewhere:
            count = sum(len(ratings) for _, ratings in self.elsewhere)
            return f"{count} ratings of {len(self.elsewhere)} hospitals, sites and core services"
        return "no ratings set"

    @property
    def headline(self) -> str:
        """The feed entry's title: the trust and what the report set, e.g. 'Fictional Vale NHS Trust: Good overall,
        Safe Requires improvement' or 'Fictional Vale NHS Trust: no ratings set'."""
        return f"{self.trust_name}: {self.ratings_set}"

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
class Coverage:
    """How many trusts we hold against the NHS trusts in England (settings.NHS_TRUSTS_IN_ENGLAND, with its source),
    and whether that is enough for shares and a map to mean anything (settings.NATIONAL_PICTURE_MIN_TRUSTS)."""

    held: int
    open: int
    in_england: int
    source: str
    threshold: int

    @property
    def too_few(self) -> bool:
        return self.held < self.threshold


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
    def coverage(self) -> Coverage:
        return Coverage(
            held=self.trust_count,
            open=sum(1 for place in self.trusts if not place.closed),
            in_england=settings.NHS_TRUSTS_IN_ENGLAND,
            source=settings.NHS_TRUSTS_IN_ENGLAND_SOURCE,
            threshold=settings.NATIONAL_PICTURE_MIN_TRUSTS,
        )

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
    """The `limit` latest reports held (of one trust, or of all), newest first by `Inspection.newest_first` (the one
    rule for the latest report held: an undated report by its visit), each with the ratings it set (two queries)."""
    ratings = Prefetch("ratings", queryset=Rating.objects.select_related("service", "location"), to_attr="ratings_held")
    inspections = Inspection.objects.newest_first().select_related("trust").prefetch_related(ratings)
    if trust is not None:
        inspections = inspections.filter(trust=trust)
    return [_entry(inspection) for inspection in inspections[:limit]]


def _entry(inspection: Inspection) -> ReportEntry:
    in_order = sorted(inspection.ratings_held, key=lambda rating: QUESTION_ORDER[rating.key_question])
    whole_trust = [rating for rating in in_order if rating.scope == Scope.TRUST]
    elsewhere: dict[str, list[Rated]] = defaultdict(list)
    for rating in in_order:
        if rating.scope != Scope.TRUST and is_on_scale(rating.value):
            service, location = rating.service, rating.location
            name = subject_name(rating.scope, service.name if service else "", location.name if location else "")
            elsewhere[name].append(_rated(rating))
    placed = inspection.placed_on
    if inspection.published or placed is None:
        date_iso = inspection.published_iso
    else:  # an undated report: the month (or year) of its visit
        date_iso = iso_partial_date(placed[0], DatePrecision.YEAR if placed[1] == DatePrecision.YEAR else "month")
    return ReportEntry(
        trust_name=inspection.trust.name,
        trust_url=inspection.trust.get_absolute_url(),
        title=inspection.title,
        url=inspection_url(inspection.trust.slug, inspection.slug),
        published=inspection.published,
        published_display=inspection.published_display,
        when=publication_text(inspection),
        date_iso=date_iso,
        precision=inspection.published_precision,
        arrived_at=inspection.arrived_at,
        whole_trust=[_rated(rating) for rating in whole_trust],
        other_ratings=len(in_order) - len(whole_trust),
        elsewhere=sorted(elsewhere.items()),
    )


def _rated(rating: Rating) -> Rated:
    return QUESTION_LABELS[rating.key_question], rating.value, RATING_WORDS[rating.value]
