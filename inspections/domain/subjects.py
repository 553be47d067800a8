"""What a rating is about, as a value: the whole trust, a location, or a core service (trust-wide or at a location).

A `Subject` is compared, hashed and sorted as it is; nothing builds or parses it as a string. On the site its
`service` and `location` are slugs (unique within a trust); while the CQC importer maps a CQC document, its
`location` is CQC's location id, which the importer turns into the stored location when it writes.
"""

from typing import NamedTuple

from inspections.domain.codes import Scope

#: Levels in the order pages list them: the whole trust, then core services, then locations.
SCOPE_RANK = {code: rank for rank, code in enumerate(Scope.values)}
#: What a level is called beside a subject's name (the grid's row headers).
LEVEL_WORDS = {Scope.TRUST: "Trust", Scope.SERVICE: "Core service", Scope.LOCATION: "Location"}


class Subject(NamedTuple):
    """A tuple, not a dataclass: a large trust's page makes one per rating, and a tuple costs least to build."""

    scope: str
    service: str = ""  # the core service's key where scope is "service"
    location: str = ""  # the location's key where scope is "location", or where a core service was rated at one

    @property
    def is_trust(self) -> bool:
        return self.scope == Scope.TRUST

    @property
    def is_location(self) -> bool:
        return self.scope == Scope.LOCATION

    @property
    def is_service(self) -> bool:
        return self.scope == Scope.SERVICE

    @property
    def level_word(self) -> str:
        return LEVEL_WORDS[self.scope]

    @property
    def order(self) -> tuple:
        """Whole trust first, then services, then locations; by key within each."""
        return SCOPE_RANK[self.scope], self.service, self.location


TRUST = Subject(Scope.TRUST)


def at_location(location: str) -> Subject:
    return Subject(Scope.LOCATION, location=location)


def service(service: str, location: str = "") -> Subject:
    return Subject(Scope.SERVICE, service=service, location=location or "")


def subject_of(scope: str, service_key: str | None, location_key: str | None) -> Subject:
    """The subject of a stored rating's scope, service and location (keys, or None where it names none)."""
    if scope == Scope.TRUST:
        return TRUST
    if scope == Scope.LOCATION:
        return Subject(Scope.LOCATION, location=location_key or "")
    return Subject(Scope.SERVICE, service=service_key or "", location=location_key or "")


def subject_name(scope: str, service_name: str, location_name: str) -> str:
    """What is rated, in words: the whole trust, a core service (at a location), or a location."""
    if scope == Scope.SERVICE and service_name:
        return f"{service_name} at {location_name}" if location_name else service_name
    if scope == Scope.LOCATION and location_name:
        return location_name
    return "Whole trust"
