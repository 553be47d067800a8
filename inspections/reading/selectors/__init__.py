"""Reads the pages need, each in a fixed number of queries, returning plain data.

A page's query count must not grow with the number of inspections or ratings, so related rows are read
in a few queries and grouped in Python. One module per page (or family of pages); everything a view or
export calls is here.
"""

from inspections.reading.selectors.addresses import inspection_at, location_at, trust_at, trust_choices
from inspections.reading.selectors.cqc_record import (
    documents_by_inspection,
    inspection_documents,
    site_assessments,
    trust_assessments,
    unread_record,
)
from inspections.reading.selectors.events import (
    GridRow,
    location_grid,
    rating_events,
    ratings_grid,
)
from inspections.reading.selectors.inspection_page import (
    InspectionDetail,
    ReportLink,
    citations_in_order,
    cqc_report_link,
    inspection_detail,
    publication_text,
)
from inspections.reading.selectors.sites import closed_words, closures, site_moves, site_relationships, sites_moved_away
from inspections.reading.selectors.sources import source_kind_guide, sources_with_support
from inspections.reading.selectors.trust_list import (
    from_cqc_data,
    list_shows_cqc_data,
    overall_standings,
    trust_regions,
    trusts_with_current_overall,
)
from inspections.reading.selectors.trust_page import (
    InspectionRow,
    LocationPage,
    TrustCitations,
    TrustFacts,
    findings_by_inspection,
    inspection_rows,
    latest_report_held,
    latest_report_year,
    location_record,
    trust_citations,
    trust_events,
    trust_facts,
    trust_inspections,
    year_bounds,
)

__all__ = [
    "inspection_at",
    "location_at",
    "trust_at",
    "trust_choices",
    "closures",
    "closed_words",
    "documents_by_inspection",
    "inspection_documents",
    "site_assessments",
    "site_moves",
    "site_relationships",
    "sites_moved_away",
    "trust_assessments",
    "unread_record",
    "GridRow",
    "InspectionDetail",
    "InspectionRow",
    "LocationPage",
    "ReportLink",
    "TrustCitations",
    "TrustFacts",
    "citations_in_order",
    "cqc_report_link",
    "findings_by_inspection",
    "from_cqc_data",
    "inspection_detail",
    "inspection_rows",
    "latest_report_held",
    "latest_report_year",
    "list_shows_cqc_data",
    "location_grid",
    "location_record",
    "overall_standings",
    "publication_text",
    "rating_events",
    "ratings_grid",
    "source_kind_guide",
    "sources_with_support",
    "trust_citations",
    "trust_events",
    "trust_facts",
    "trust_inspections",
    "trust_regions",
    "trusts_with_current_overall",
    "year_bounds",
]
