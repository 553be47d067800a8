"""CQC inspection histories: trusts, their inspections, ratings, findings, and sources.

Every rating, finding and statement cites at least one `Source`, with the short passage that
supports it, so a reader can check it. Dates that sources give only to a month or year carry a
precision (see `domain.dates`). The codes they use (key questions, kinds, rating values) are imported from
`inspections.domain` only. Every model keeps its change history (django-simple-history).
"""

from inspections.models.alerts import UNCONFIRMED_DAYS, AlertRun, Follow, FollowedTrust, Subscriber
from inspections.models.assessments import Assessment, AssessmentScore, QualityStatementScore
from inspections.models.base import Citation, source_url, sources_page_url
from inspections.models.bookkeeping import Deletion, ImportProblem, LoadedRecord, RefreshRun
from inspections.models.data_version import DataVersion
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
    "AlertRun",
    "Follow",
    "FollowedTrust",
    "Subscriber",
    "UNCONFIRMED_DAYS",
    "Assessment",
    "DataVersion",
    "AssessmentScore",
    "ImportProblem",
    "InspectionArea",
    "LocationMove",
    "LocationRelationship",
    "QualityStatementScore",
    "RefreshRun",
    "ReportDocument",
    "PUBLISHED_ORDER_ERROR",
    "VISIT_ORDER_ERROR",
    "Citation",
    "CoreService",
    "Deletion",
    "Disagreement",
    "Finding",
    "FindingSource",
    "Inspection",
    "InspectionQuerySet",
    "Leadership",
    "LoadedRecord",
    "Location",
    "Person",
    "Rating",
    "RatingQuerySet",
    "RatingSource",
    "Source",
    "Statement",
    "StatementSource",
    "Trust",
    "inspection_url",
    "source_url",
    "sources_page_url",
]
