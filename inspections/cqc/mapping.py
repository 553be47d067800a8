"""One provider's CQC JSON as plain records: the trust, its locations, reports and ratings.

Pure functions, no database. Rules (see docs/decisions/0007-national-import-from-cqc.md):
- One report per `reportLinkId`; its publication date is CQC's `reportDate`.
- A current key-question rating carries its own `reportDate`/`reportLinkId`: when that is an
  earlier report, the rating was set there and carried forward, so it is stored once, against
  that report, and never again at the later date.
- `historicRatings` list, for each past report, the ratings in force after it. An overall rating
  is stored at every report; a key-question or service rating only where it differs from the one
  already in force (otherwise it was carried forward or confirmed, which the history cannot tell
  apart and the timeline shows the same way). The previous value is the one stored before it.
- Rating words off CQC's four-point scale are kept as our non-scale codes with a warning; an
  unknown word becomes `not_rated` with a warning quoting it. Nothing is dropped silently.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.text import slugify

from inspections.cqc.client import check_id
from inspections.cqc.errors import CqcDataError
from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import RatingValue
from inspections.domain.subjects import TRUST, Subject, at_location

SCALE_WORDS = {
    "outstanding": RatingValue.OUTSTANDING,
    "good": RatingValue.GOOD,
    "requires improvement": RatingValue.REQUIRES_IMPROVEMENT,
    "inadequate": RatingValue.INADEQUATE,
}
OFF_SCALE_WORDS = {
    "no rating": RatingValue.NOT_RATED,
    "not rated": RatingValue.NOT_RATED,
    "insufficient evidence to rate": RatingValue.INSUFFICIENT_EVIDENCE,
    "insufficient evidence": RatingValue.INSUFFICIENT_EVIDENCE,
    "rating suspended": RatingValue.SUSPENDED,
    "suspended": RatingValue.SUSPENDED,
    "rating under appeal": RatingValue.SUSPENDED,
    "not inspected": RatingValue.NOT_INSPECTED,
}
QUESTION_NAMES = {
    "overall": KeyQuestion.OVERALL,
    "safe": KeyQuestion.SAFE,
    "effective": KeyQuestion.EFFECTIVE,
    "caring": KeyQuestion.CARING,
    "responsive": KeyQuestion.RESPONSIVE,
    "well-led": KeyQuestion.WELL_LED,
    "well led": KeyQuestion.WELL_LED,
}
#: Words in a provider's inspection categories, most specific first; the first match decides the kind.
KIND_WORDS = [
    ("ambulance", "ambulance"),
    ("mental health", "mental_health"),
    ("community", "community"),
    ("acute", "acute"),
    ("hospital", "acute"),
]
SAME_AS_BEFORE = "Same rating as before; CQC's data gives this report as setting it."


@dataclass(frozen=True)
class TrustRecord:
    provider_id: str
    name: str
    kind: str
    region: str
    town: str
    postcode: str
    address: str


@dataclass(frozen=True)
class LocationRecord:
    location_id: str
    name: str
    region: str
    town: str
    postcode: str
    address: str


@dataclass(frozen=True)
class ReportRecord:
    """One CQC report; `record_id` is the provider or location whose page lists it."""

    link_id: str
    published: datetime.date
    record_id: str
    report_uri: str = ""
    report_type: str = ""
    first_visit: datetime.date | None = None


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


@dataclass
class ProviderRecords:
    trust: TrustRecord
    locations: list[LocationRecord] = field(default_factory=list)
    reports: dict[str, ReportRecord] = field(default_factory=dict)
    ratings: list[RatingRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Stated:
    """One rating as a JSON block states it, before the carry-forward rule is applied."""

    link_id: str
    published: datetime.date
    subject: Subject
    service_name: str
    key_question: str
    word: str
    explicit: bool
    record_id: str


def _text(body: dict, key: str) -> str:
    value = body.get(key)
    return value.strip() if isinstance(value, str) else ""


def _date(value, *, record: str, what: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        raise CqcDataError(f"{what} is {value!r}, not a date (YYYY-MM-DD)", record=record) from None


def _list(body: dict, key: str, *, record: str) -> list:
    value = body.get(key) or []
    if not isinstance(value, list):
        raise CqcDataError(f"'{key}' is not a list", record=record)
    return value


def _object(value, *, record: str, what: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CqcDataError(f"{what} is not an object", record=record)
    return value


def rating_value(word: str, *, where: str, warnings: list[str]) -> tuple[str, str]:
    """Our code for CQC's rating word, and a note when the word is off the four-point scale."""
    key = " ".join(str(word).lower().split())
    if key in SCALE_WORDS:
        return SCALE_WORDS[key], ""
    if key in OFF_SCALE_WORDS:
        code = OFF_SCALE_WORDS[key]
        warnings.append(f"{where}: {word!r} is off the rating scale; kept as {code}")
        return code, f'CQC gives "{word}".'
    warnings.append(f"{where}: unknown rating word {word!r}; kept as not_rated with the word in the note")
    return RatingValue.NOT_RATED, f'CQC gives "{word}", a word we do not know.'


def trust_kind(provider: dict) -> str:
    """Our trust kind from the words of CQC's inspection categories ("other" when none match)."""
    names = [
        str(category.get("name", "")).lower()
        for category in provider.get("inspectionCategories") or []
        if isinstance(category, dict)
    ]
    mental_health = any("mental health" in name for name in names)
    if mental_health and any("community" in name and "mental health" not in name for name in names):
        return "mental_health_community"
    return next((kind for word, kind in KIND_WORDS if any(word in name for name in names)), "other")


def _address(body: dict) -> str:
    """The street lines only: the town and postcode have fields of their own (pages join the three)."""
    parts = [_text(body, key) for key in ("postalAddressLine1", "postalAddressLine2")]
    return ", ".join(part for part in parts if part)


def _reports(body: dict, record_id: str, *, record: str) -> list[ReportRecord]:
    reports = []
    for entry in _list(body, "reports", record=record):
        entry = _object(entry, record=record, what="a report")
        link_id = _text(entry, "linkId")
        if not link_id:
            raise CqcDataError("a report has no linkId", record=record)
        first_visit = entry.get("firstVisitDate")
        reports.append(
            ReportRecord(
                link_id=link_id,
                published=_date(entry.get("reportDate"), record=record, what=f"report {link_id} reportDate"),
                record_id=record_id,
                report_uri=_text(entry, "reportUri"),
                report_type=_text(entry, "reportType"),
                first_visit=_date(first_visit, record=record, what=f"report {link_id} firstVisitDate")
                if first_visit
                else None,
            )
        )
    return reports


def _stated_block(
    block: dict, *, link_id, published, subject, record_id, record, explicit, service_name=""
) -> list[_Stated]:
    """The overall rating of a block and its key questions (which may carry their own report)."""
    stated = []
    if _text(block, "rating"):
        stated.append(_Stated(link_id, published, subject, service_name, "Overall", _text(block, "rating"), True,
                              record_id))  # fmt: skip
    for item in _list(block, "keyQuestionRatings", record=record):
        item = _object(item, record=record, what="a key-question rating")
        if not _text(item, "rating"):
            continue
        own_link = _text(item, "reportLinkId") or link_id
        dated = bool(item.get("reportDate"))
        own_date = _date(item["reportDate"], record=record, what="reportDate") if dated else published
        # Only a key question that carries its own report date is known to have been set by that report.
        stated.append(_Stated(own_link, own_date, subject, service_name, _text(item, "name"), _text(item, "rating"),
                              explicit and dated, record_id))  # fmt: skip
    return stated


def _stated_ratings(body: dict, *, record_id: str, scope_subject: Subject, record: str) -> list[_Stated]:
    """Every rating a provider or location body states: current and historic, own and per service."""

    def service(name: str) -> Subject:
        return Subject(Scope.SERVICE, service=slugify(name)[:50], location=scope_subject.location)

    stated = []
    current = _object(body.get("currentRatings"), record=record, what="currentRatings")
    overall = _object(current.get("overall"), record=record, what="currentRatings.overall")
    if overall:
        link_id = _text(overall, "reportLinkId")
        if not link_id or not overall.get("reportDate"):
            raise CqcDataError("currentRatings.overall has no reportLinkId or reportDate", record=record)
        published = _date(overall["reportDate"], record=record, what="currentRatings.overall.reportDate")
        stated += _stated_block(overall, link_id=link_id, published=published, subject=scope_subject,
                                record_id=record_id, record=record, explicit=True)  # fmt: skip
    for block in _list(current, "serviceRatings", record=record):
        block = _object(block, record=record, what="a service rating")
        link_id, name = _text(block, "reportLinkId"), _text(block, "name")
        if not (link_id and name and block.get("reportDate")):
            raise CqcDataError("a current service rating has no name, reportLinkId or reportDate", record=record)
        published = _date(block["reportDate"], record=record, what=f"service {name!r} reportDate")
        stated += _stated_block(block, link_id=link_id, published=published, subject=service(name), service_name=name,
                                record_id=record_id, record=record, explicit=True)  # fmt: skip
    for entry in _list(body, "historicRatings", record=record):
        entry = _object(entry, record=record, what="a historic rating")
        link_id = _text(entry, "reportLinkId")
        if not link_id or not entry.get("reportDate"):
            raise CqcDataError("a historic rating has no reportLinkId or reportDate", record=record)
        published = _date(entry["reportDate"], record=record, what=f"historic rating {link_id} reportDate")
        own = _object(entry.get("overall"), record=record, what="historicRatings[].overall")
        stated += _stated_block(own, link_id=link_id, published=published, subject=scope_subject,
                                record_id=record_id, record=record, explicit=False)  # fmt: skip
        for block in _list(entry, "serviceRatings", record=record):
            block = _object(block, record=record, what="a historic service rating")
            if not _text(block, "name"):
                raise CqcDataError(f"a service rating of historic report {link_id} has no name", record=record)
            for item in _stated_block(block, link_id=link_id, published=published, subject=service(block["name"]),
                                      service_name=block["name"],
                                      record_id=record_id, record=record, explicit=False):  # fmt: skip
                # A historic service's overall is no more certain to be re-rated than its key questions.
                stated.append(item if item.key_question != "Overall" else _replace_explicit(item, False))
    return stated


def _replace_explicit(item: _Stated, explicit: bool) -> _Stated:
    return _Stated(item.link_id, item.published, item.subject, item.service_name, item.key_question, item.word,
                   explicit, item.record_id)  # fmt: skip


def _describe(subject: Subject) -> str:
    if subject.scope == Scope.SERVICE:
        return f"service {subject.service!r}" + (f" at {subject.location}" if subject.location else "")
    return f"location {subject.location}" if subject.scope == Scope.LOCATION else "whole trust"


def _resolve(stated: list[_Stated], warnings: list[str]) -> list[RatingRecord]:
    """The carry-forward rule: one rating per report that set it, each with the value it replaced."""
    by_line: dict[tuple[Subject, str], dict[str, _Stated]] = {}
    for item in stated:
        where = f"{item.record_id}, {_describe(item.subject)}"
        question = QUESTION_NAMES.get(" ".join(item.key_question.lower().split()))
        if question is None:
            warnings.append(f"{where}: unknown key question {item.key_question!r}; rating {item.word!r} not stored")
            continue
        line = by_line.setdefault((item.subject, question), {})
        earlier = line.get(item.link_id)
        if earlier is None or (item.explicit and not earlier.explicit):
            line[item.link_id] = item
    records = []
    for (subject, question), by_link in by_line.items():
        previous = ""
        for item in sorted(by_link.values(), key=lambda s: (s.published, not s.explicit, s.link_id)):
            where = f"{item.record_id}, {_describe(subject)}, {KeyQuestion(question).label}, report {item.link_id}"
            value, note = rating_value(item.word, where=where, warnings=warnings)
            if value == previous and not note:
                carried_or_overall = question == KeyQuestion.OVERALL and subject.scope != Scope.SERVICE
                if not (item.explicit or carried_or_overall):
                    continue
                note = SAME_AS_BEFORE
            passage = f'{KeyQuestion(question).label}: "{item.word}"'
            records.append(
                RatingRecord(
                    item.link_id, subject, item.service_name, question, value, previous, note, passage, item.record_id
                )
            )
            previous = value
    return records


def map_provider(provider_id: str, provider: dict, locations: dict[str, dict]) -> ProviderRecords:
    """Everything one provider's JSON says, as records; raises CqcDataError naming the record when it cannot."""
    record = f"provider {provider_id}"
    if _text(provider, "providerId") != provider_id:
        raise CqcDataError(
            f"body has providerId {provider.get('providerId')!r}, expected {provider_id!r}", record=record
        )
    name = _text(provider, "name")
    if not name:
        raise CqcDataError("provider has no name", record=record)
    trust = TrustRecord(
        provider_id=provider_id,
        name=name,
        kind=trust_kind(provider),
        region=_text(provider, "region"),
        town=_text(provider, "postalAddressTownCity"),
        postcode=_text(provider, "postalCode"),
        address=_address(provider),
    )
    result = ProviderRecords(trust)
    stated = _stated_ratings(provider, record_id=provider_id, scope_subject=TRUST, record=record)
    reports = _reports(provider, provider_id, record=record)
    for location_id, body in locations.items():
        location_record = f"{record}, location {location_id}"
        check_id(location_id, kind="location")
        if _text(body, "locationId") != location_id:
            raise CqcDataError(f"body has locationId {body.get('locationId')!r}", record=location_record)
        if body.get("providerId") not in (None, provider_id):
            raise CqcDataError(f"location belongs to provider {body.get('providerId')!r}", record=location_record)
        if not _text(body, "name"):
            raise CqcDataError("location has no name", record=location_record)
        result.locations.append(
            LocationRecord(
                location_id=location_id,
                name=_text(body, "name"),
                region=_text(body, "region"),
                town=_text(body, "postalAddressTownCity"),
                postcode=_text(body, "postalCode"),
                address=_address(body),
            )
        )
        subject = at_location(location_id)
        stated += _stated_ratings(body, record_id=location_id, scope_subject=subject, record=location_record)
        reports += _reports(body, location_id, record=location_record)
    for report in reports:
        result.reports.setdefault(report.link_id, report)
    for item in stated:
        # A rating may name a report missing from every reports list: it still has a date and an owner.
        result.reports.setdefault(item.link_id, ReportRecord(item.link_id, item.published, item.record_id))
    result.ratings = _resolve(stated, result.warnings)
    return result
