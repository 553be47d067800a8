"""CQC inspection histories: trusts, their inspections, ratings, findings, and sources.

Every rating, finding and statement cites at least one `Source`, with the short passage that
supports it, so a reader can check it. Dates that sources give only to a month or year carry a
precision (see `domain.dates`). Every model keeps its change history (django-simple-history).
"""

from inspections.domain.codes import (
    FindingKind,
    FindingTheme,
    InspectionType,
    KeyQuestion,
    Origin,
    PassageKind,
    Scope,
    SourceKind,
    TrustKind,
    VisitNotice,
)
from inspections.domain.rating_levels import SCALE_POSITION, RatingValue
from inspections.models.assessments import Assessment, AssessmentScore, QualityStatementScore
from inspections.models.base import Citation, source_url, sources_page_url
from inspections.models.disagreements import Disagreement
from inspections.models.findings import Finding, FindingSource, Statement, StatementSource
from inspections.models.inspections import (
    PUBLISHED_ORDER_ERROR,
    VISIT_ORDER_ERROR,
    Inspection,
    InspectionQuerySet,
    ReportDocument,
    inspection_url,
)
from inspections.models.ratings import Rating, RatingQuerySet, RatingSource
from inspections.models.records import Deletion, ImportProblem, LoadedRecord, RefreshRun
from inspections.models.sources import Source
from inspections.models.trusts import (
    CoreService,
    InspectionArea,
    Leadership,
    Location,
    LocationMove,
    LocationRelationship,
    Person,
    Trust,
)

__all__ = [
    "Assessment",
    "AssessmentScore",
    "ImportProblem",
    "InspectionArea",
    "LocationMove",
    "LocationRelationship",
    "PassageKind",
    "QualityStatementScore",
    "RefreshRun",
    "ReportDocument",
    "PUBLISHED_ORDER_ERROR",
    "SCALE_POSITION",
    "VISIT_ORDER_ERROR",
    "Citation",
    "CoreService",
    "Deletion",
    "Disagreement",
    "Finding",
    "FindingKind",
    "FindingSource",
    "FindingTheme",
    "Inspection",
    "InspectionQuerySet",
    "InspectionType",
    "KeyQuestion",
    "Leadership",
    "LoadedRecord",
    "Location",
    "Origin",
    "Person",
    "Rating",
    "RatingQuerySet",
    "RatingSource",
    "RatingValue",
    "Scope",
    "Source",
    "SourceKind",
    "Statement",
    "StatementSource",
    "Trust",
    "TrustKind",
    "VisitNotice",
    "inspection_url",
    "source_url",
    "sources_page_url",
]
