"""What pages say of a trust's or a site's place in CQC's register: closed, what it replaced or was replaced by,
and a move from another trust. Each in a fixed number of queries (said in each docstring)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from inspections.domain.dates import DatePrecision, format_partial_date
from inspections.models import Location, LocationMove, LocationRelationship, Trust
from inspections.models.trusts import Registered

PREDECESSOR = "hsca predecessor"  # CQC's type on the new site, naming the site it replaced
SUCCESSOR = "hsca successor"  # the other way round, should CQC's data give it so


def closed_words(record: Registered) -> str:
    """'Closed: deregistered 31 March 2021' for a trust or site CQC has deregistered; '' while it is registered.

    No query. Lists and search results show it beside the name: a closed site stays findable.
    """
    return closed_words_of(record.deregistration_date, record.registration_status)


def closed_words_of(deregistration_date: datetime.date | None, registration_status: str) -> str:
    """`closed_words` from the two fields, for rows read as values (the national picture)."""
    if deregistration_date:
        return f"Closed: deregistered {format_partial_date(deregistration_date, DatePrecision.DAY)}"
    if Registered.closed_on(deregistration_date, registration_status, datetime.date.max):
        return "Closed: deregistered (date not given in CQC's data)"
    return ""


def closures(trust: Trust, locations) -> dict:
    """When each closed site (by slug), and the whole trust (by ""), was deregistered: ratings stop there (no query)."""
    found = {location.slug: location.deregistration_date for location in locations if location.deregistration_date}
    if trust.deregistration_date:
        found[""] = trust.deregistration_date
    return found


@dataclass(frozen=True)
class RelatedSite:
    """Another site CQC's data links to this one, in words for the page, linked when we hold it."""

    words: str  # "Replaced Fictional Old Mill Hospital", "Replaced by Fictional New Mill Hospital"
    name: str
    cqc_location_id: str
    url: str  # "" when the other site is not held here
    closed: str  # closed_words of the other site, "" when open or not held
    kind: str  # CQC's type, e.g. "HSCA Predecessor"
    reason: str  # CQC's reason, e.g. "Location moved"


def _words(kind: str, name: str, *, stated_here: bool) -> str:
    key = kind.casefold()
    if key == PREDECESSOR:
        return f"Replaced {name}" if stated_here else f"Replaced by {name}"
    if key == SUCCESSOR:
        return f"Replaced by {name}" if stated_here else f"Replaced {name}"
    return f"Linked in CQC's data ({kind}): {name}"


def site_relationships(location: Location) -> list[RelatedSite]:
    """The sites CQC's data links to this one, both ways: those its own record names, and those whose records
    name it (three queries at most: the links each way, then the sites held among those it names)."""
    stated = list(LocationRelationship.objects.filter(location=location).order_by("kind", "related_name", "pk"))
    naming = []
    if location.cqc_location_id:
        naming = list(
            LocationRelationship.objects.filter(related_cqc_id=location.cqc_location_id)
            .exclude(location=location)
            .select_related("location__trust")
            .order_by("kind", "location__name", "pk")
        )
    ids = [row.related_cqc_id for row in stated]
    held = {
        site.cqc_location_id: site for site in Location.objects.filter(cqc_location_id__in=ids).select_related("trust")
    }
    found = []
    for row in stated:
        site = held.get(row.related_cqc_id)
        name = site.name if site else row.related_name or row.related_cqc_id
        found.append(
            RelatedSite(
                _words(row.kind, name, stated_here=True),
                name,
                row.related_cqc_id,
                site.get_absolute_url() if site else "",
                closed_words(site) if site else "",
                row.kind,
                row.reason,
            )
        )
    seen = {(site.cqc_location_id, site.words) for site in found}
    for row in naming:
        site = row.location
        related = RelatedSite(
            _words(row.kind, site.name, stated_here=False),
            site.name,
            site.cqc_location_id,
            site.get_absolute_url(),
            closed_words(site),
            row.kind,
            row.reason,
        )
        if (related.cqc_location_id, related.words) not in seen:
            found.append(related)
    return found


@dataclass(frozen=True)
class SiteMove:
    """A site CQC's data now lists under this trust, which it listed under another before."""

    words: str  # "Moved here from Fictional Valley NHS Trust; CQC's data of 1 December 2026 first listed it here."
    from_name: str
    from_provider_id: str
    from_url: str  # the former trust's page, "" when that trust is not held
    noticed: str  # "1 December 2026"


def site_moves(location: Location) -> list[SiteMove]:
    """The moves of a site between trusts, oldest first (two queries)."""
    moves = list(LocationMove.objects.filter(location=location).order_by("noticed", "pk"))
    trusts = {t.provider_id: t for t in Trust.objects.filter(provider_id__in=[m.from_provider_id for m in moves])}
    found = []
    for move in moves:
        noticed = format_partial_date(move.noticed, DatePrecision.DAY)
        former = trusts.get(move.from_provider_id)
        found.append(
            SiteMove(
                f"Moved here from {move.from_trust_name}; CQC's data of {noticed} first listed it under this trust.",
                move.from_trust_name,
                move.from_provider_id,
                former.get_absolute_url() if former else "",
                noticed,
            )
        )
    return found


def sites_moved_away(trust: Trust) -> list[tuple[Location, str]]:
    """Sites that moved from this trust to another, with words for its page (one query)."""
    moves = LocationMove.objects.filter(Q(from_provider_id=trust.provider_id)).select_related("location__trust")
    found = []
    for move in moves.order_by("noticed", "pk"):
        site = move.location
        noticed = format_partial_date(move.noticed, DatePrecision.DAY)
        found.append((site, f"{site.name} moved to {site.trust.name}; CQC's data of {noticed} first listed it there."))
    return found
