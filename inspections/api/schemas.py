"""The API's shapes, built from the models (`ModelSchema`) or from the export's columns, so a field is
defined once: a new column of ratings.csv is a new field of `RatingRow` with no edit here.

Dates are ISO strings to their known precision ('2019-02' for February 2019). Where a rating stands now,
`since` is the report that set it (the first of its unbroken run) and `last_confirmed` the latest report
that set or restated it, both from `domain.standing`, the one rule the pages use.
"""

from typing import Literal

from ninja import Field, ModelSchema, Schema
from pydantic import create_model, field_validator

from inspections.domain.codes import TrustKind
from inspections.domain.dates import iso_partial_date
from inspections.domain.standing import RatingEvent, Standing
from inspections.models import Finding, Inspection, Location, Source, Statement, Trust
from inspections.reading import exports, filters


class ErrorOut(Schema):
    detail: str | list = Field(description="What was wrong with the request.")


def answers(ok) -> dict:
    """The documented responses of an endpoint: its data, or an error in the same JSON shape."""
    return {200: ok, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}


def event_date(event: RatingEvent | None) -> str | None:
    return iso_partial_date(event.published, event.published_precision) if event else None


SEARCH_MAX_LENGTH = filters.TrustFilter.base_filters["q"].extra["max_length"]
# "" is "any", as the home page's form sends it.
KindCode = Literal[("", *TrustKind.values)]
RatingCode = Literal[("", *(code for code, _ in filters.RATING_CHOICES))]


class TrustQuery(Schema):
    """The home page's search and filters (reading/filters.TrustFilter), by the same names and codes."""

    # No NUL: the site refuses it in any address with 400 (cqc_site/middleware.py), so the schema says so too.
    q: str = Field(
        "",
        max_length=SEARCH_MAX_LENGTH,
        pattern=r"^[^\x00]*$",
        description="Words, each found in a trust's or one of its hospitals' names, CQC ids, town or postcode "
        "(case, accents, apostrophes, full stops and hyphens do not matter).",
    )
    kind: KindCode | None = Field(None, description="Kind of trust (empty: any).")
    region: str | None = Field(
        None,
        max_length=100,
        pattern=r"^[^\x00]*$",
        description="CQC region, e.g. Midlands, as the trusts' `region` says; one no trust held is in lists none.",
    )
    rating: RatingCode | None = Field(
        None,
        description=f"Current overall rating; '{filters.NO_RATING}' for trusts with none on the scale (empty: any).",
    )

    @field_validator("kind", "region", "rating", mode="before")
    @classmethod
    def empty_is_any(cls, value):
        """An empty value means no filter, as on the home page's form."""
        return value or None


class TrustSummary(ModelSchema):
    """A trust as the trust list shows it, with the overall rating that stands now."""

    current_overall: str | None = Field(description="Rating code, or null when none on the scale is held.")
    since: str | None = Field(description="When the current overall rating began: the report that set it.")
    last_confirmed: str | None = Field(description="The latest report that set or restated it.")
    last_published: str = Field(description="Latest report publication date held.")
    inspection_count: int
    url: str

    class Meta:
        model = Trust
        fields = ["provider_id", "slug", "name", "kind", "region"]

    @staticmethod
    def resolve_current_overall(trust) -> str | None:
        return trust.standing.value if trust.standing else None

    @staticmethod
    def resolve_since(trust) -> str | None:
        return event_date(trust.standing.since) if trust.standing else None

    @staticmethod
    def resolve_last_confirmed(trust) -> str | None:
        return event_date(trust.standing.confirmed) if trust.standing else None

    @staticmethod
    def resolve_last_published(trust) -> str:
        return iso_partial_date(trust.last_published, trust.last_published_precision or "day")

    @staticmethod
    def resolve_url(trust) -> str:
        return trust.get_absolute_url()


class CurrentRating(Schema):
    """One cell of the trust's current ratings grid."""

    scope: str
    scope_name: str
    key_question: str
    rating: str = Field(description="The rating that stands, or an entry off the scale where none on it is held.")
    since: str | None = Field(description="When the rating began (null for an entry off the scale).")
    last_confirmed: str | None = Field(description="The latest report that set or restated it.")
    published: str = Field(description="The report this entry comes from (for a rating, the last to confirm it).")
    inspection_url: str


def current_rating(scope_name: str, cell: RatingEvent, stood: Standing | None) -> dict:
    return {
        "scope": cell.subject.scope,
        "scope_name": scope_name,
        "key_question": cell.key_question,
        "rating": cell.value,
        "since": event_date(stood.since) if stood else None,
        "last_confirmed": event_date(stood.confirmed) if stood else None,
        "published": event_date(cell) or "",
        "inspection_url": cell.inspection_url,
    }


class TrustDetail(TrustSummary):
    services_summary: str
    current_ratings: list[CurrentRating]

    class Meta:
        model = Trust
        fields = ["provider_id", "slug", "name", "kind", "region", "services_summary"]


#: One row of ratings.csv, field for field (exports.RATING_COLUMNS).
RatingRow = create_model(
    "RatingRow",
    __base__=Schema,
    __doc__="One row of ratings.csv.",
    **{column.name: (str, Field(description=column.description)) for column in exports.RATING_COLUMNS},
)


class LocationOut(ModelSchema):
    url: str

    class Meta:
        model = Location
        fields = ["slug", "name", "cqc_location_id", "town", "postcode", "region"]

    @staticmethod
    def resolve_url(location) -> str:
        return location.get_absolute_url()


class SourceOut(ModelSchema):
    published: str = Field(description="When the source was published, to its known precision.")
    lookup_url: str = Field(description="This source's entry on the site's sources page.")

    class Meta:
        model = Source
        fields = ["code", "kind", "publisher", "title", "url"]

    @staticmethod
    def resolve_published(source) -> str:
        return iso_partial_date(source.published, source.published_precision)

    @staticmethod
    def resolve_lookup_url(source) -> str:
        return source.get_absolute_url()


class CitedPassage(Schema):
    """A record's citation of a source, with the passage that supports the record."""

    source: str = Field(description="The source's code, as listed by /sources.")
    passage: str = Field(description="The words that support the fact, verbatim from the text we hold.")
    passage_kind: str = Field(
        description="'quote': the source's own words (from the article we hold); 'note': our note of the "
        "source (from our research notes), not the source's words."
    )

    @staticmethod
    def resolve_source(citation) -> str:
        return citation.source.code


class FindingOut(ModelSchema):
    subject: str
    citations: list[CitedPassage]

    class Meta:
        model = Finding
        fields = ["ref", "kind", "theme", "summary"]

    @staticmethod
    def resolve_subject(finding) -> str:
        return finding.subject_name

    @staticmethod
    def resolve_citations(finding) -> list:
        return list(finding.citations.all())


class StatementOut(ModelSchema):
    person: str
    citations: list[CitedPassage]

    class Meta:
        model = Statement
        fields = ["role", "organisation", "summary"]

    @staticmethod
    def resolve_person(statement) -> str:
        return statement.person.name

    @staticmethod
    def resolve_citations(statement) -> list:
        return list(statement.citations.all())


class InspectionOut(ModelSchema):
    type: str = Field(description="Kind of inspection, e.g. comprehensive, focused.")
    published: str
    visit_start: str
    visit_end: str
    cqc_report_id: str = Field(description="CQC's id of the report, where held.")
    where_sources_disagree: str
    report_url: str
    url: str
    findings: list[FindingOut]
    statements: list[StatementOut]
    sources: list[str] = Field(description="Codes of the sources of the inspection.")

    class Meta:
        model = Inspection
        fields = ["slug", "title", "scope", "summary"]

    @staticmethod
    def resolve_type(inspection) -> str:
        return inspection.inspection_type

    @staticmethod
    def resolve_published(inspection) -> str:
        return inspection.published_iso

    @staticmethod
    def resolve_visit_start(inspection) -> str:
        return iso_partial_date(inspection.visit_start, inspection.visit_start_precision)

    @staticmethod
    def resolve_visit_end(inspection) -> str:
        return iso_partial_date(inspection.visit_end, inspection.visit_end_precision)

    @staticmethod
    def resolve_cqc_report_id(inspection) -> str:
        return inspection.cqc_report_link_id

    @staticmethod
    def resolve_where_sources_disagree(inspection) -> str:
        return inspection.discrepancy_note

    @staticmethod
    def resolve_url(inspection) -> str:
        return inspection.get_absolute_url()

    @staticmethod
    def resolve_findings(inspection) -> list:
        return list(inspection.findings.all())

    @staticmethod
    def resolve_statements(inspection) -> list:
        return list(inspection.statements.all())

    @staticmethod
    def resolve_sources(inspection) -> list[str]:
        return [source.code for source in inspection.sources.all()]


class IndexOut(Schema):
    title: str
    version: str
    resources: dict[str, str] = Field(description="Each resource and its address.")
    documentation: dict[str, str] = Field(description="The API's description and its browsable docs.")
    open_data: str = Field(description="The whole-dataset downloads and what each field means.")
