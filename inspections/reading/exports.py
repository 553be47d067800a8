"""The open-data exports: each column defined once, beside the value it takes, for CSV, JSON Lines and the API.

A column is a name, a one-line description (the API's schema is built from these, so a new column is one
edit here, plus its paragraph on /data/, which a test checks) and the function that reads it from a row.
Columns are only ever appended: existing names and their order never change.

Codes are those of DATA.md; dates are ISO, truncated to their known precision, so an export never states a
day we do not know. Rows are produced lazily from `.iterator()`, a chunk at a time, so a download of every
trust is never held in memory.
"""

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from inspections.domain.codes import Scope
from inspections.domain.dates import iso_partial_date
from inspections.domain.subjects import subject_name
from inspections.models import Finding, Rating, RatingSource, Source, Trust


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[object], str]


def _sources(record) -> str:
    return "; ".join(source.code for source in record.sources.all())


def _date(field: str) -> Callable[[dict], str]:
    return lambda row: iso_partial_date(row[field], row[f"{field}_precision"])


def _scope_name(row: dict) -> str:
    if row["scope"] == Scope.TRUST:
        return row["inspection__trust__name"]
    return subject_name(row["scope"], row["service__name"] or "", row["location__name"] or "")


#: Ratings are read as plain rows (`RATING_FIELDS`), not model instances: building five instances a rating was
#: most of the time a download of every trust took.
RATING_COLUMNS = (
    Column("provider_id", "CQC's provider id for the trust (the NHS organisation code).",
           lambda row: row["inspection__trust__provider_id"]),
    Column("trust", "The trust's name.", lambda row: row["inspection__trust__name"]),
    Column("published", "When the report was published (ISO, to its known precision; empty when not known).",
           _date("inspection__published")),
    Column("visit_start", "First day of the inspection visit, in the same form.", _date("inspection__visit_start")),
    Column("visit_end", "Last day of the inspection visit, in the same form.", _date("inspection__visit_end")),
    Column("scope", "The level rated: trust, service or location.", lambda row: row["scope"]),
    Column("scope_name", "What was rated, in words.", _scope_name),
    Column("key_question", "The key question's code, e.g. overall, safe, well_led.", lambda row: row["key_question"]),
    Column("rating", "The rating's code, e.g. good, requires_improvement, not_inspected.", lambda row: row["value"]),
    Column("previous_rating", "The rating before, where a source states it; empty otherwise.",
           lambda row: row["previous_value"]),
    Column("source", "Codes of the sources that state the rating, separated by '; ' (look one up at /sources/CODE/).",
           lambda row: "; ".join(row["source_codes"])),
    Column("inspection", "The inspection's slug, unique within the trust (its page: /trusts/TRUST/inspections/SLUG/).",
           lambda row: row["inspection__slug"]),
    Column("cqc_report_id", "CQC's id of the report (its reportLinkId); empty where we hold none.",
           lambda row: row["inspection__cqc_report_link_id"]),
    Column("location_id", "CQC's location id of the hospital or site rated; empty for ratings of the whole trust.",
           lambda row: row["location__cqc_location_id"] or ""),
    Column("service_area_id", "CQC's inspection area id of the core service rated (e.g. npimaternity, whose name is "
           "Maternity); empty for a trust or site, or where CQC's data does not name the service.",
           lambda row: row["service__cqc_area_id"] or ""),
    Column("inherited", "true where the rating is one a site inherited from a report on its predecessor (taken over "
           "in an NHS transfer), as CQC's ratings files mark it; false for the site's or trust's own.",
           lambda row: "true" if row["inherited_from"] else "false"),
    Column("inherited_from", "CQC's location id of the predecessor site whose report set an inherited rating; empty "
           "otherwise.", lambda row: row["inherited_from"]),
)  # fmt: skip
RATING_FIELDS = (
    "id",
    "scope",
    "key_question",
    "value",
    "previous_value",
    "inspection__slug",
    "inspection__cqc_report_link_id",
    "inspection__published",
    "inspection__published_precision",
    "inspection__visit_start",
    "inspection__visit_start_precision",
    "inspection__visit_end",
    "inspection__visit_end_precision",
    "inspection__trust__provider_id",
    "inspection__trust__name",
    "service__name",
    "location__name",
    "location__cqc_location_id",
    "service__cqc_area_id",
    "inherited_from",
)
FINDING_COLUMNS = (
    Column("provider_id", "CQC's provider id for the trust.", lambda f: f.inspection.trust.provider_id),
    Column("trust", "The trust's name.", lambda f: f.inspection.trust.name),
    Column("inspection", "The inspection's title.", lambda f: f.inspection.title),
    Column("published", "When its report was published, as in ratings.csv.", lambda f: f.inspection.published_iso),
    Column("kind", "What kind of finding, e.g. concern, required_action.", lambda f: f.kind),
    Column("theme", "What it is about, e.g. staffing, medicines.", lambda f: f.theme),
    Column("subject", "The core service and hospital it concerns; empty for the whole trust.",
           lambda f: f.subject_name),
    Column("summary", "The finding in our words; words in quotation marks are verbatim from a source.",
           lambda f: f.summary),
    Column("sources", "Codes of the sources it rests on, separated by '; '.", _sources),
    # Added after the nine above, which keep their names and order: joins ratings.csv on provider_id, inspection.
    Column("inspection_slug", "The inspection's slug, as in ratings.csv's inspection column (join the two files on "
           "provider_id and it).", lambda f: f.inspection.slug),
)  # fmt: skip
RATINGS_HEADER = tuple(column.name for column in RATING_COLUMNS)
FINDINGS_HEADER = tuple(column.name for column in FINDING_COLUMNS)

#: Rows fetched per database round trip when streaming; prefetches run once per chunk.
CHUNK_SIZE = 2000
SOURCE_CODES = Prefetch("sources", queryset=Source.objects.only("code").order_by("code"))


def ratings_for_export(trust: Trust | None = None) -> QuerySet:
    """Ratings of one trust (or of every trust, by provider id) as rows of RATING_FIELDS, in the order the
    per-trust CSV has always used."""
    ratings = Rating.objects.all()
    if trust is not None:
        return ratings.filter(inspection__trust=trust).in_display_order().values(*RATING_FIELDS)
    by_trust = ratings.in_display_order()
    return by_trust.order_by("inspection__trust__provider_id", *by_trust.query.order_by).values(*RATING_FIELDS)


def rating_records(rows: list[dict]) -> list[dict[str, str]]:
    """Rows of `ratings_for_export()` as export records keyed by RATINGS_HEADER, with their sources (one query)."""
    codes: dict[int, list[str]] = defaultdict(list)
    cited = RatingSource.objects.filter(rating_id__in=[row["id"] for row in rows]).order_by("source__code")
    for rating_id, code in cited.values_list("rating_id", "source__code"):
        codes[rating_id].append(code)
    return [
        {column.name: column.value(row | {"source_codes": codes[row["id"]]}) for column in RATING_COLUMNS}
        for row in rows
    ]


def streamed_ratings(rows: QuerySet) -> Iterator[dict[str, str]]:
    """Every rating record of `rows`, read CHUNK_SIZE at a time (memory stays flat however many trusts)."""
    chunk: list[dict] = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from rating_records(chunk)
            chunk = []
    if chunk:
        yield from rating_records(chunk)


def findings_for_export(trust: Trust | None = None) -> QuerySet[Finding]:
    """Findings of one trust or of all, by trust, then report date, then the inspection's own order."""
    findings = Finding.objects.select_related("inspection__trust", "service", "location").prefetch_related(SOURCE_CODES)
    if trust is not None:
        findings = findings.filter(inspection__trust=trust)
    return findings.order_by(
        "inspection__trust__provider_id", "inspection__published", "inspection__slug", "kind", "ref"
    )


def finding_record(finding: Finding) -> dict[str, str]:
    """One finding as an export row keyed by FINDINGS_HEADER."""
    return {column.name: column.value(finding) for column in FINDING_COLUMNS}


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_writer():
    """A csv writer whose writerow() returns the line it wrote (one per use: writers keep state)."""
    return csv.writer(_Echo(), lineterminator="\n")


def csv_lines(header: Iterable[str], records: Iterable[dict]) -> Iterator[str]:
    writer = csv_writer()
    header = tuple(header)
    yield writer.writerow(header)
    for record in records:
        yield writer.writerow([record[name] for name in header])


def jsonl_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield jsonl_line(record)


def streamed(queryset: QuerySet, to_record) -> Iterator[dict]:
    return (to_record(row) for row in queryset.iterator(chunk_size=CHUNK_SIZE))
