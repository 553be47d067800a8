"""What one provider's CQC JSON says, as plain frozen records, with what of it could not be read.

`mapping.map_provider` builds a `ProviderRecords`; the importer writes it. A subject's `location` is
CQC's location id here (the importer turns it into the stored location).
"""

import datetime
from dataclasses import dataclass, field

from inspections.domain.subjects import Subject


@dataclass(frozen=True)
class UnreadPart:
    """A part of CQC's data that could not be read as it stands: skipped, or kept as "not rated" or blank.

    Stored as an `ImportProblem` of the trust (replaced at each import of it) and printed as a warning.
    """

    record: str  # "provider ZZ1" or "provider ZZ1, location ZZ1AA"
    file: str  # "providers/ZZ1.json": where the body is kept in a snapshot
    field: str  # "historicRatings[2].reportDate"
    value: str  # the value as CQC gives it, shortened ("" when the field is missing)
    message: str  # what was done with it

    @property
    def where(self) -> str:
        """The record, file, field and value: where it happened, as listings say it."""
        value = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        place = f"{self.record} ({self.file})" if self.file else self.record
        return f"{place}, {self.field} = {value!r}"

    def __str__(self):
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Registration:
    """What CQC's register says of a trust or a site besides its name and address."""

    status: str = ""
    deregistered: datetime.date | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class AreaRecord:
    """One of CQC's inspection areas of a site or trust: a core service by CQC's id and name, its status there, and
    for a superseded one when it ended and which area replaced it."""

    area_id: str  # "npimaternity"
    name: str  # "Maternity"; "" where CQC's data gives none
    status: str = ""  # "Active (Rated)", "Active (Not rated)", "Superseded"
    end_date: datetime.date | None = None
    superseded_by: str = ""  # the area id that replaced it there


@dataclass(frozen=True)
class TrustRecord:
    provider_id: str
    name: str
    kind: str
    region: str
    town: str
    postcode: str
    address: str
    registration: Registration = Registration()
    areas: tuple[AreaRecord, ...] = ()  # the provider's own inspection areas (core services rated trust-wide)


@dataclass(frozen=True)
class RelationshipRecord:
    """A link CQC's data gives from a site to another, e.g. `HSCA Predecessor` (the site it replaced)."""

    related_id: str
    related_name: str
    kind: str
    reason: str


@dataclass(frozen=True)
class LocationRecord:
    location_id: str
    name: str
    region: str
    town: str
    postcode: str
    address: str
    registration: Registration = Registration()
    relationships: tuple[RelationshipRecord, ...] = ()
    areas: tuple[AreaRecord, ...] = ()


@dataclass(frozen=True)
class DocumentRecord:
    """A document CQC publishes with a report, at an absolute address."""

    url: str
    kind: str


@dataclass(frozen=True)
class ReportRecord:
    """One CQC report; `record_id` is the provider or location whose page lists it, `slug` the inspection's key."""

    link_id: str
    published: datetime.date
    record_id: str
    slug: str
    report_url: str = ""
    report_type: str = ""
    first_visit: datetime.date | None = None
    documents: tuple[DocumentRecord, ...] = ()
    inherited_from: str = ""  # a report on a predecessor, whose ratings this record's body inherited: its CQC id


@dataclass(frozen=True)
class RatingRecord:
    """One rating to store; its subject's location is CQC's location id (the importer finds the stored location)."""

    report_link_id: str
    subject: Subject
    service_name: str  # the core service's name as CQC gives it, where the subject is a service
    key_question: str
    value: str
    previous_value: str
    note: str
    passage: str
    record_id: str
    service_area_id: str = ""  # CQC's inspection area id of the service, where CQC's data names it by one
    inherited_from: str = ""  # CQC's id of the site (or trust) whose report set it, where that is another's


@dataclass(frozen=True)
class StatementRecord:
    """A quality statement under a key question, scored 1 to 4 (None when CQC's score could not be read)."""

    statement_id: int
    name: str
    points: int | None


@dataclass(frozen=True)
class ScoreRecord:
    key_question: str
    rating: str
    percentage: int | None
    statements: tuple[StatementRecord, ...] = ()


@dataclass(frozen=True)
class AssessmentRecord:
    """One assessment plan's result under CQC's newer framework, for the provider or one of its sites."""

    record_id: str
    plan_id: str
    title: str
    group_name: str
    status: str
    assessed: datetime.date | None
    published: datetime.datetime | None
    rating: str
    scores: tuple[ScoreRecord, ...] = ()


@dataclass(frozen=True)
class Notice:
    """Something read as it stands but worth saying (a word off the scale, a report another trust holds): what it
    is, the same words each time it happens, and where."""

    message: str  # "'Insufficient evidence to rate' is off the rating scale; kept as insufficient_evidence"
    where: str  # "RK950, service 'npioutpatients' at RK950, Effective, report ed8f0a32-..."

    def __str__(self):
        return f"{self.where}: {self.message}"


def by_kind(found, *, shown: int = 3) -> list[str]:
    """Each kind of notice or problem once, with how often and where it first happened: one line a kind (the same
    message), not hundreds (`shown` places, then how many more)."""
    kinds: dict[str, list] = {}
    for item in found:
        kinds.setdefault(item.message, []).append(item)
    lines = []
    for message, items in kinds.items():
        if len(items) == 1:
            lines.append(str(items[0]))
            continue
        more = f"; and {len(items) - shown} more" if len(items) > shown else ""
        places = "; ".join(item.where for item in items[:shown])
        lines.append(f"{message}: {len(items)} times, at {places}{more} (each listed with -v 2)")
    return lines


@dataclass
class ProviderRecords:
    trust: TrustRecord
    locations: list[LocationRecord] = field(default_factory=list)
    reports: dict[str, ReportRecord] = field(default_factory=dict)
    ratings: list[RatingRecord] = field(default_factory=list)
    assessments: list[AssessmentRecord] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)  # read, but worth saying (a word off the scale)
    problems: list[UnreadPart] = field(default_factory=list)  # could not be read as it stands
