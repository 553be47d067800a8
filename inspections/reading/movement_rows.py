"""The rows the national movements and ages are built from (four queries, whatever the number of trusts), handed to
the pure rules of `domain.movements` and grouped as `national_movements.NationalFigures`.

Only dated overall ratings are read, of the whole trust or of a site, on the scale or not: `movements()` and
`standing()` decide what each is (an entry off the scale, or a site's inherited rating, is no movement). An undated
report can never be placed in time, so it takes no part, as everywhere else.
"""

import datetime
from collections import defaultdict

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.movements import Age, movements
from inspections.domain.standing import RatingEvent, bare_event, standing
from inspections.domain.subjects import TRUST, at_location
from inspections.models import Inspection, Location, Rating, Trust
from inspections.models.base import fast_url
from inspections.models.inspections import inspection_url
from inspections.reading.comparison import REGISTER_FIELDS, closing_dates
from inspections.reading.national_movements import SITES, TRUSTS, Aged, Figures, Moved, NationalFigures, Noun, Rated

TRUST_FIELDS = ("slug", "name", "provider_id", "kind", "region", *REGISTER_FIELDS)
SITE_FIELDS = ("slug", "name", "cqc_location_id", "region", "trust_id", *REGISTER_FIELDS)


def _overall_events() -> tuple[dict[int, list[RatingEvent]], dict[int, list[RatingEvent]]]:
    """Every dated overall rating of a whole trust (by trust) and of a site (by site), in one query, each with the
    address of its report (under the trust that published it)."""
    rows = Rating.objects.filter(
        scope__in=(Scope.TRUST, Scope.LOCATION), key_question=KeyQuestion.OVERALL, inspection__published__isnull=False
    ).values_list(
        "scope",
        "inspection__trust_id",
        "location_id",
        "value",
        "inspection__published",
        "inspection__published_precision",
        "inspection__slug",
        "inspection__trust__slug",
        "inherited_from",
    )
    by_trust, by_site = defaultdict(list), defaultdict(list)
    for scope, trust_id, site_id, value, published, precision, slug, trust_slug, inherited in rows:
        if scope == Scope.TRUST:
            event = bare_event(TRUST, KeyQuestion.OVERALL, value, published, precision, slug)
            by_trust[trust_id].append(event)
        else:
            event = bare_event(at_location(str(site_id)), KeyQuestion.OVERALL, value, published, precision, slug,
                               inherited_from=inherited)  # fmt: skip
            by_site[site_id].append(event)
        event.inspection_url = inspection_url(trust_slug, slug)
    return by_trust, by_site


def _figures(noun: Noun, subjects: list[Rated], events: dict, closed, as_of: datetime.date) -> Figures:
    found_movements, found_ages = [], []
    for rated in subjects:
        held = events.get(rated.pk, [])
        for movement in movements(held):
            found_movements.append(Moved(rated=rated, movement=movement, report_url=movement.after.inspection_url))
        stands = standing(held)
        if stands is not None and rated.pk not in closed:
            found_ages.append(Aged(rated=rated, age=Age(standing=stands, day=as_of)))
    return Figures(as_of=as_of, noun=noun, movements=found_movements, ages=found_ages)


def build_figures() -> NationalFigures:
    """Every trust's and site's movements and ages (four queries: trusts, sites, their overall ratings, the day)."""
    trusts = {row["pk"]: row for row in Trust.objects.order_by("provider_id").values(*TRUST_FIELDS)}
    sites = list(Location.objects.order_by("cqc_location_id", "name", "pk").values(*SITE_FIELDS))
    by_trust, by_site = _overall_events()
    latest = Inspection.objects.filter(published__isnull=False).order_by("-published").values_list("published")[:1]
    as_of = next((day for (day,) in latest), datetime.date.today())
    closed_trusts = closing_dates(list(trusts.values()), as_of)
    # A site is closed when CQC closed it, or the trust that runs it.
    closed_sites = closing_dates(sites, as_of).keys() | {
        site["pk"] for site in sites if site["trust_id"] in closed_trusts
    }
    trust_urls = {pk: fast_url("inspections:trust", trust["slug"]) for pk, trust in trusts.items()}
    rated_trusts = [
        Rated(pk=pk, provider_id=t["provider_id"], trust=t["name"], trust_url=trust_urls[pk], kind=t["kind"],
              region=t["region"])
        for pk, t in trusts.items()
    ]  # fmt: skip
    rated_sites = [
        Rated(pk=site["pk"], provider_id=trust["provider_id"], trust=trust["name"], trust_url=trust_urls[trust["pk"]],
              kind=trust["kind"], region=site["region"], location_id=site["cqc_location_id"], site=site["name"],
              site_url=fast_url("inspections:location", trust["slug"], site["slug"]))
        for site in sites
        for trust in (trusts[site["trust_id"]],)
    ]  # fmt: skip
    rated_sites.sort(key=lambda rated: (rated.provider_id, rated.location_id, rated.site))
    return NationalFigures(
        as_of=as_of,
        trusts=_figures(TRUSTS, rated_trusts, by_trust, closed_trusts, as_of),
        sites=_figures(SITES, rated_sites, by_site, closed_sites, as_of),
    )
