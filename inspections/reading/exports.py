"""The open-data exports: each header beside the rows it names, one definition for CSV, JSON Lines and the API.

Codes are those of DATA.md; dates are ISO, truncated to their known precision, so an export never
states a day we do not know. Rows are produced lazily from `.iterator()`, so a download of every trust
streams in chunks instead of building the file in memory.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from inspections.domain.dates import iso_partial_date
from inspections.models import Finding, Rating, Scope, Source, Trust

RATINGS_HEADER = (
    "provider_id", "trust", "published", "visit_start", "visit_end", "scope", "scope_name",
    "key_question", "rating", "previous_rating", "source",
)  # fmt: skip
FINDINGS_HEADER = (
    "provider_id", "trust", "inspection", "published", "kind", "theme", "subject", "summary", "sources",
)  # fmt: skip

#: Rows fetched per database round trip when streaming; prefetches run once per chunk.
CHUNK_SIZE = 2000
SOURCE_CODES = Prefetch("sources", queryset=Source.objects.only("code").order_by("code"))


def ratings_for_export(trust: Trust | None = None) -> QuerySet[Rating]:
    """Ratings of one trust (or of every trust, by provider id), in the order the per-trust CSV has always used."""
    ratings = Rating.objects.with_context().prefetch_related(SOURCE_CODES)
    if trust is not None:
        return ratings.filter(inspection__trust=trust).in_display_order()
    by_trust = ratings.in_display_order()
    return by_trust.order_by("inspection__trust__provider_id", *by_trust.query.order_by)


def rating_record(rating: Rating) -> dict[str, str]:
    """One rating as an export row keyed by RATINGS_HEADER."""
    inspection, trust = rating.inspection, rating.inspection.trust
    return {
        "provider_id": trust.provider_id,
        "trust": trust.name,
        "published": inspection.published_iso,
        "visit_start": iso_partial_date(inspection.visit_start, inspection.visit_start_precision),
        "visit_end": iso_partial_date(inspection.visit_end, inspection.visit_end_precision),
        "scope": rating.scope,
        "scope_name": trust.name if rating.scope == Scope.TRUST else rating.subject_name,
        "key_question": rating.key_question,
        "rating": rating.value,
        "previous_rating": rating.previous_value,
        "source": "; ".join(source.code for source in rating.sources.all()),
    }


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
    inspection = finding.inspection
    return {
        "provider_id": inspection.trust.provider_id,
        "trust": inspection.trust.name,
        "inspection": inspection.title,
        "published": inspection.published_iso,
        "kind": finding.kind,
        "theme": finding.theme,
        "subject": finding.subject_name,
        "summary": finding.summary,
        "sources": "; ".join(source.code for source in finding.sources.all()),
    }


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], records: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    header = tuple(header)
    yield writer.writerow(header)
    for record in records:
        yield writer.writerow([record[name] for name in header])


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def streamed(queryset: QuerySet, to_record) -> Iterator[dict]:
    return (to_record(row) for row in queryset.iterator(chunk_size=CHUNK_SIZE))
