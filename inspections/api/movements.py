"""The API's national figures (issue 29): movements of trusts' and sites' overall ratings and the age of the rating in
force, the rows of /national/movements.csv, ages.csv, site_movements.csv and site_ages.csv, paged like every list.

They are the figures /national/ shows, built once per data version (`publishing.national_figures`): a page of them
reads no rows, only the data version.
"""

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import create_model

from inspections.api.pagination import PageNumbers
from inspections.api.schemas import answers
from inspections.api.versioned import READ, revalidated
from inspections.publishing.national_figures import national_figures
from inspections.reading.national_movements import (
    AGES_HEADER,
    MOVEMENTS_HEADER,
    SITE_AGES_HEADER,
    SITE_MOVEMENTS_HEADER,
)

router = Router(tags=["national"])


class Records:
    """The figures' rows as a list the pagination slices: only a page's rows are turned into records."""

    def __init__(self, found: list):
        self.found = found

    def __len__(self) -> int:
        return len(self.found)

    def __getitem__(self, window: slice) -> list[dict]:
        return [item.record for item in self.found[window]]


#: What each column of the four files holds (the /data/ page says the same in prose).
COLUMNS = {
    "provider_id": "CQC's provider id of the trust.",
    "trust": "The trust's name.",
    "location_id": "CQC's location id of the hospital or site.",
    "site": "The hospital's or site's name.",
    "kind": "Kind of trust (a site's is its trust's), as /trusts filters it.",
    "region": "CQC's region; empty where our data does not give it.",
    "from_rating": "The overall rating in force before the report (a rating code).",
    "from_published": "When the report that set or last restated it was published, to its known precision.",
    "to_rating": "The overall rating the report set or restated.",
    "to_published": "When the report was published, to its known precision.",
    "change": "improved, unchanged or declined.",
    "steps": "Steps up the scale (negative: down), e.g. 2 from Requires improvement to Outstanding.",
    "inspection": "The report's inspection slug, as in ratings.csv.",
    "rating": "The overall rating in force (a rating code).",
    "since": "When the report that set it (the first of its unbroken run) was published.",
    "last_confirmed": "When the latest report that set or restated it was published.",
    "years_since": "Years from `since` to `data_as_of`, to two places.",
    "years_since_confirmed": "Years from `last_confirmed` to `data_as_of`, to two places.",
    "data_as_of": "The day ages are counted to: the latest publication date held.",
}


def row_schema(name: str, doc: str, header: tuple[str, ...]) -> type[Schema]:
    """One row of a national file, field for field in the file's order."""
    fields = {column: (str, Field(description=COLUMNS[column])) for column in header}
    return create_model(name, __base__=Schema, __doc__=doc, **fields)


MovementRow = row_schema(
    "MovementRow", "A later rated report's move of a trust's whole-trust overall rating.", MOVEMENTS_HEADER
)
AgeRow = row_schema("AgeRow", "How old the overall rating in force at an open trust is.", AGES_HEADER)
SiteMovementRow = row_schema(
    "SiteMovementRow", "A later rated report's move of a site's own overall rating.", SITE_MOVEMENTS_HEADER
)
SiteAgeRow = row_schema("SiteAgeRow", "How old the overall rating in force at an open site is.", SITE_AGES_HEADER)


@router.api_operation(
    READ,
    "/national/movements",
    response=answers(list[MovementRow]),
    summary="Movements of trusts' overall ratings, as in national/movements.csv",
)
@revalidated
@paginate(PageNumbers)
def list_movements(request):
    return Records(national_figures().trusts.movements)


@router.api_operation(
    READ,
    "/national/ages",
    response=answers(list[AgeRow]),
    summary="The age of each open trust's overall rating, as in national/ages.csv",
)
@revalidated
@paginate(PageNumbers)
def list_ages(request):
    return Records(national_figures().trusts.ages)


@router.api_operation(
    READ,
    "/national/site-movements",
    response=answers(list[SiteMovementRow]),
    summary="Movements of hospitals' and sites' own overall ratings, as in national/site_movements.csv",
)
@revalidated
@paginate(PageNumbers)
def list_site_movements(request):
    return Records(national_figures().sites.movements)


@router.api_operation(
    READ,
    "/national/site-ages",
    response=answers(list[SiteAgeRow]),
    summary="The age of each open hospital's or site's overall rating, as in national/site_ages.csv",
)
@revalidated
@paginate(PageNumbers)
def list_site_ages(request):
    return Records(national_figures().sites.ages)
