"""CQC inspection histories: trusts, their inspections, ratings, findings, and sources.

Every rating, finding and statement cites at least one `Source`, with the short passage that
supports it, so a reader can check it. Dates that sources give only to a month or year carry a
precision (see `partial_dates`). Every model keeps its change history (django-simple-history).
"""

from .base import Citation, source_url, sources_page_url
from .choices import (
    SCALE_POSITION,
    FindingKind,
    FindingTheme,
    InspectionType,
    KeyQuestion,
    Origin,
    RatingValue,
    Scope,
    SourceKind,
    TrustKind,
    VisitNotice,
)
from .disagreements import Disagreement
from .findings import Finding, FindingSource, Statement, StatementSource
from .inspections import PUBLISHED_ORDER_ERROR, VISIT_ORDER_ERROR, Inspection, InspectionQuerySet, inspection_url
from .ratings import Rating, RatingQuerySet, RatingSource, rating_subject_name
from .records import Deletion, LoadedRecord
from .sources import Source
from .trusts import CoreService, Leadership, Location, Person, Trust

__all__ = [
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
    "rating_subject_name",
    "source_url",
    "sources_page_url",
]
