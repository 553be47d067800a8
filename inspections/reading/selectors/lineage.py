"""Where CQC's data says a rating's service or site came from: a core service CQC has superseded at its place (the
rating is history, shown on the successor's line of service), and a rating a site inherited from a report on its
predecessor (shown as CQC shows it, naming that predecessor). Both read only where the events hold CQC's data, so a
curated trust's pages ask nothing more; each in one query."""

from django.db.models import Q

from inspections.domain.codes import Origin, Scope
from inspections.domain.standing import Formerly, RatingEvent
from inspections.domain.subjects import Subject, service
from inspections.models import InspectionArea, Location, LocationRelationship
from inspections.models.trusts import SUPERSEDED


def _holds_cqc_data(events: list[RatingEvent]) -> bool:
    return any(event.origin == Origin.CQC_API for event in events)


def retire_superseded(events: list[RatingEvent], areas: Q) -> None:
    """Move the ratings of each service CQC has superseded at its place (the inspection areas `areas` selects) onto
    the line of the service that replaced it there (following a chain to its latest), marked `formerly`; a superseded
    service CQC names no successor for keeps its line, marked too. In place; one query, none without CQC's data."""
    if not _holds_cqc_data(events):
        return
    superseded = {
        (location or "", slug): (name, successor_slug, successor_name, ended)
        for location, slug, name, successor_slug, successor_name, ended in InspectionArea.objects.filter(
            areas, status__iexact=SUPERSEDED
        ).values_list(
            "location__slug",
            "service__slug",
            "service__name",
            "superseded_by__slug",
            "superseded_by__name",
            "end_date",
        )
    }
    if not superseded:
        return
    for event in events:
        subject = event.subject
        found = superseded.get((subject.location, subject.service)) if subject.scope == Scope.SERVICE else None
        if found is None:
            continue
        name, successor_slug, successor_name, ended = found
        latest_slug, latest_name, seen = successor_slug, successor_name, {subject.service}
        while latest_slug and latest_slug not in seen and (subject.location, latest_slug) in superseded:
            seen.add(latest_slug)
            _, next_slug, next_name, _ = superseded[(subject.location, latest_slug)]
            if not next_slug:
                break
            latest_slug, latest_name = next_slug, next_name
        event.formerly = Formerly(name=name, successor=latest_name or "", ended=ended)
        if latest_slug:
            at = event.subject_name[len(name) :] if event.subject_name.startswith(name) else ""
            event.subject = _successor(subject, latest_slug)
            event.subject_name = f"{latest_name}{at}"


def _successor(subject: Subject, slug: str) -> Subject:
    return service(slug, subject.location)


def name_predecessors(events: list[RatingEvent], locations: Q) -> None:
    """Turn each inherited rating's `inherited_from` (CQC's id of the predecessor site) into the words pages show:
    the site's name and its trust where we hold it ('Musgrove Park Hospital (Taunton and Somerset NHS Foundation
    Trust)'), else the name CQC's relationships give with its id. In place; two queries, none without
    inherited ratings. `locations` selects the sites (of the heir trust) whose relationships name their predecessors."""
    ids = {event.inherited_from for event in events if event.inherited_from}
    if not ids:
        return
    held = {
        cqc_id: f"{name} ({trust})"
        for cqc_id, name, trust in Location.objects.filter(cqc_location_id__in=ids).values_list(
            "cqc_location_id", "name", "trust__name"
        )
    }
    named = dict(
        LocationRelationship.objects.filter(location__in=Location.objects.filter(locations), related_cqc_id__in=ids)
        .exclude(related_name="")
        .values_list("related_cqc_id", "related_name")
    )
    words = {
        cqc_id: held.get(cqc_id) or (f"{named[cqc_id]} (CQC location {cqc_id})" if cqc_id in named else "")
        for cqc_id in ids
    }
    for event in events:
        if event.inherited_from:
            event.inherited_from = words[event.inherited_from] or f"CQC location {event.inherited_from}"
