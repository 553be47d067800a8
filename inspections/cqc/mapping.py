"""One provider's CQC JSON as plain records: the trust, its sites, reports with their documents, ratings,
assessments, and the problems met on the way.

Pure functions, no database. A provider is refused (CqcDataError) only when it cannot be identified:
no providerId matching the one asked for, or no name. Everything else that cannot be read is skipped,
cut or kept as "not rated", and said as a `UnreadPart` (see `body_reader`); the rest imports. Rating rules are
in `stated_ratings`, assessments in `assessments`; docs/decisions/0007-national-import-from-cqc.md has the why.

Addresses: CQC gives `reportUri` and `documentUri` relative (`/reports/<linkId>`,
`/reports/<linkId>/Use%20of%20Resources`); CQC's Syndication documentation says to prefix them with
`https://api.cqc.org.uk/public/v1` to download the report, so that is the base they are resolved
against (the keyed API host would need a key readers do not have).
"""

import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.encoding import iri_to_uri
from django.utils.text import slugify

from inspections.cqc.assessments import read_assessments
from inspections.cqc.body_reader import Reader
from inspections.cqc.client import ID_PATTERN
from inspections.cqc.errors import CqcDataError
from inspections.cqc.mapped import (
    AreaRecord,
    DocumentRecord,
    LocationRecord,
    ProviderRecords,
    Registration,
    RelationshipRecord,
    ReportRecord,
    TrustRecord,
    UnreadPart,
)
from inspections.cqc.stated_ratings import AREA_ID_LIMIT, LINK_LIMIT, BodyRatings, ProviderContext, resolve
from inspections.cqc.vocabulary import trust_kind
from inspections.domain.addresses import cqc_page, on_cqc_site
from inspections.domain.subjects import TRUST, at_location

REPORT_BASE = "https://api.cqc.org.uk/public/v1"
URL_LIMIT = 500
NAME_LIMIT, PLACE_LIMIT, ADDRESS_LIMIT, POSTCODE_LIMIT = 200, 100, 300, 12
_valid_url = URLValidator(schemes=["https"])


def absolute_address(uri: str) -> str | None:
    """A CQC report or document address made absolute (see the module docstring); None if it is not one of CQC's."""
    uri = uri.strip()
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https") or (parts.netloc and not parts.scheme):
        url = f"https://{parts.netloc}{uri.split(parts.netloc, 1)[1]}"  # always over TLS
        if not on_cqc_site(url):
            return None
    elif parts.scheme:
        return None
    else:
        url = f"{REPORT_BASE}/{uri.lstrip('/')}"
    url = iri_to_uri(url.replace(" ", "%20"))
    try:
        _valid_url(url)
    except ValidationError:
        return None
    return url if len(url) <= URL_LIMIT else None


def inspection_slugs(reports: dict[str, datetime.date]) -> dict[str, str]:
    """The slug the importer gives each report's inspection: its date and the end of its link id, longer when
    two reports of one day would share it. Same-day reports are ordered by it (`domain.standing.report_order`)."""
    slugs, taken = {}, set()
    for link_id, day in sorted(reports.items(), key=lambda item: (item[1], item[0])):
        key = slugify(link_id) or "report"
        for length in (8, 16, 38):
            slug = f"{day.isoformat()}-{key[-length:]}"
            if slug not in taken:
                break
        else:
            slug = f"{day.isoformat()}-{len(taken)}"
        taken.add(slug)
        slugs[link_id] = slug
    return slugs


def _address(reader: Reader, body: dict) -> str:
    """The street lines only: the town and postcode have fields of their own (pages join the three)."""
    lines = [reader.text(body, key) for key in ("postalAddressLine1", "postalAddressLine2")]
    address = ", ".join(line for line in lines if line)
    if len(address) > ADDRESS_LIMIT:
        reader.problem(
            "postalAddressLine1", address, f"the street lines are longer than {ADDRESS_LIMIT} characters; left out"
        )
        return ""
    return address


def _registration(reader: Reader, body: dict) -> Registration:
    latitude = reader.number(body, "onspdLatitude", low=-90, high=90)
    longitude = reader.number(body, "onspdLongitude", low=-180, high=180)
    if (latitude is None) != (longitude is None):
        reader.problem(
            "onspdLatitude",
            [body.get("onspdLatitude"), body.get("onspdLongitude")],
            "latitude and longitude are not both given; neither stored",
        )
        latitude = longitude = None
    return Registration(
        status=reader.text(body, "registrationStatus", limit=30),
        deregistered=reader.date(body.get("deregistrationDate"), field="deregistrationDate"),
        latitude=latitude,
        longitude=longitude,
    )


def _place(reader: Reader, body: dict) -> dict:
    return {
        "region": reader.text(body, "region", limit=PLACE_LIMIT),
        "town": reader.text(body, "postalAddressTownCity", limit=PLACE_LIMIT),
        "postcode": reader.text(body, "postalCode", limit=POSTCODE_LIMIT),
        "address": _address(reader, body),
        "registration": _registration(reader, body),
    }


def _areas(reader: Reader, body: dict, *, site: bool) -> tuple[AreaRecord, ...]:
    """A body's inspection areas (its core services, by CQC's id and name, with their status there); a site's also
    say when a superseded one ended and what replaced it (a provider's, in CQC's schema, do not)."""
    found: dict[str, AreaRecord] = {}
    for path, item in reader.items(body, "inspectionAreas"):
        area_id = reader.text(item, "inspectionAreaId", field=f"{path}.inspectionAreaId")
        if not area_id or len(area_id) > AREA_ID_LIMIT:
            reader.problem(f"{path}.inspectionAreaId", item.get("inspectionAreaId"), "no usable area id; left out")
            continue
        successors = [
            reader.text({"id": name}, "id", field=f"{path}.{key}[]")
            for key in (("supersededBy", "latestGloballySupersededBy") if site else ())
            for name in (item.get(key) if isinstance(item.get(key), list) else [])
        ]
        status = reader.text(item, "status", field=f"{path}.status", limit=50, cut=True)
        superseded = site and status.casefold() == "superseded"
        found.setdefault(
            area_id,
            AreaRecord(
                area_id=area_id,
                name=reader.text(item, "inspectionAreaName", field=f"{path}.inspectionAreaName", limit=200, cut=True),
                status=status,
                end_date=reader.date(item.get("endDate"), field=f"{path}.endDate") if superseded else None,
                superseded_by=next((name for name in successors if name and len(name) <= AREA_ID_LIMIT), "")
                if superseded
                else "",
            ),
        )
    return tuple(found.values())


def _relationships(reader: Reader, body: dict) -> tuple[RelationshipRecord, ...]:
    found: dict[tuple[str, str], RelationshipRecord] = {}
    for path, item in reader.items(body, "relationships"):
        related = reader.text(item, "relatedLocationId", field=f"{path}.relatedLocationId")
        kind = reader.text(item, "type", field=f"{path}.type", limit=100, cut=True)
        if not ID_PATTERN.match(related) or not kind:
            reader.problem(path, item, "no related location id or type; this relationship not stored")
            continue
        name = reader.text(item, "relatedLocationName", field=f"{path}.relatedLocationName", limit=200, cut=True)
        reason = reader.text(item, "reason", field=f"{path}.reason", limit=200, cut=True)
        found.setdefault((related, kind), RelationshipRecord(related, name, kind, reason))
    return tuple(found.values())


class _Reports:
    """The reports of every body, by link id (the first body to list one keeps it)."""

    def __init__(self):
        self.found: dict[str, dict] = {}

    def read(self, reader: Reader, body: dict, record_id: str, *, provider: bool) -> dict[str, datetime.date]:
        """Reads a body's reports; their link ids and dates, for its ratings to be placed at."""
        dates = {}
        for path, entry in reader.items(body, "reports"):
            link_id = reader.text(entry, "linkId", field=f"{path}.linkId")
            if not link_id or len(link_id) > LINK_LIMIT:
                reader.problem(f"{path}.linkId", entry.get("linkId"), "no usable report id; this report not stored")
                continue
            published = reader.date(entry.get("reportDate"), field=f"{path}.reportDate", missing_ok=False)
            if published is None:
                continue
            dates[link_id] = published
            if link_id in self.found:
                continue
            self.found[link_id] = self._report(reader, entry, path, link_id, published, record_id, provider=provider)
        return dates

    @staticmethod
    def _report(reader, entry, path, link_id, published, record_id, *, provider) -> dict:
        first_visit = reader.date(entry.get("firstVisitDate"), field=f"{path}.firstVisitDate")
        if first_visit and first_visit > published:
            reader.problem(
                f"{path}.firstVisitDate",
                entry.get("firstVisitDate"),
                f"after the report's publication ({published}); visit date not stored",
            )
            first_visit = None
        uri = reader.text(entry, "reportUri", field=f"{path}.reportUri")
        report_url = absolute_address(uri) if uri else None
        if uri and report_url is None:
            reader.problem(f"{path}.reportUri", uri, "not an address on cqc.org.uk; the reports page linked instead")
        documents = {}
        for doc_path, item in reader.items(entry, "relatedDocuments", field=f"{path}.relatedDocuments"):
            doc_uri = reader.text(item, "documentUri", field=f"{doc_path}.documentUri")
            url = absolute_address(doc_uri) if doc_uri else None
            if url is None:
                reader.problem(
                    f"{doc_path}.documentUri",
                    item.get("documentUri"),
                    "no address on cqc.org.uk; this document not stored",
                )
                continue
            kind = reader.text(item, "documentType", field=f"{doc_path}.documentType", limit=100, cut=True)
            documents.setdefault(url, DocumentRecord(url, kind))
        return {
            "published": published,
            "record_id": record_id,
            "report_url": report_url or f"{cqc_page(record_id, provider=provider)}/reports",
            "report_type": reader.text(entry, "reportType", field=f"{path}.reportType", limit=100, cut=True),
            "first_visit": first_visit,
            "documents": tuple(documents.values()),
        }


def _location(reader: Reader, provider_id: str, location_id: str, body: dict) -> LocationRecord | None:
    """The site a location body describes; None, with a problem, when it is not one of this provider's."""
    if not ID_PATTERN.match(location_id):
        reader.problem("locationIds", location_id, "not a CQC location id; this site not imported")
        return None
    if body.get("locationId") != location_id:
        reader.problem("locationId", body.get("locationId"), f"expected {location_id!r}; this site not imported")
        return None
    if body.get("providerId") not in (None, provider_id):
        reader.problem("providerId", body.get("providerId"), "another provider's site; not imported")
        return None
    name = reader.text(body, "name", limit=NAME_LIMIT, cut=True)
    if not name:
        reader.problem("name", body.get("name"), "a site with no name; not imported")
        return None
    return LocationRecord(
        location_id=location_id,
        name=name,
        relationships=_relationships(reader, body),
        areas=_areas(reader, body, site=True),
        **_place(reader, body),
    )


def map_provider(
    provider_id: str,
    provider: dict,
    locations: dict[str, dict],
    *,
    retrieved: datetime.date | None = None,
    problems: list[UnreadPart] | None = None,
) -> ProviderRecords:
    """Everything one provider's JSON says, as records; raises CqcDataError only when it cannot be identified.

    `problems` may hold what the feed met already (a site whose file is missing); they are kept with the rest.
    """
    record = f"provider {provider_id}"
    if not isinstance(provider.get("providerId"), str) or provider["providerId"].strip() != provider_id:
        raise CqcDataError(
            f"body has providerId {provider.get('providerId')!r}, expected {provider_id!r}", record=record
        )
    found = list(problems or [])
    latest = (retrieved or datetime.date.today()) + datetime.timedelta(days=366)
    reader = Reader(record=record, file=f"providers/{provider_id}.json", problems=found, latest=latest)
    name = reader.text(provider, "name", limit=NAME_LIMIT, cut=True)
    if not name:
        raise CqcDataError("provider has no name", record=record)
    trust_areas = _areas(reader, provider, site=False)
    context = ProviderContext(area_names={area.area_id: area.name for area in trust_areas if area.name})
    reports = _Reports()
    dates = reports.read(reader, provider, provider_id, provider=True)
    bodies = [
        (
            BodyRatings(
                reader,
                record_id=provider_id,
                subject=TRUST,
                dates=dates,
                resources=True,
                provider=context,
                areas={area.area_id: area.name for area in trust_areas if area.name},
            ),
            provider,
        )
    ]
    result = ProviderRecords(None, problems=found)  # the trust is known once its sites are (its kind may be theirs)
    result.assessments += read_assessments(reader, provider, record_id=provider_id)
    site_bodies = []
    for location_id, body in locations.items():
        site = Reader(
            record=f"{record}, location {location_id}",
            file=f"locations/{location_id}.json",
            problems=found,
            latest=latest,
        )
        location = _location(site, provider_id, location_id, body)
        if location is None:
            continue
        result.locations.append(location)
        site_bodies.append(body)
        dates = reports.read(site, body, location_id, provider=False)
        own_areas = {area.area_id: area.name for area in location.areas if area.name}
        context.area_names |= own_areas
        ratings = BodyRatings(
            site,
            record_id=location_id,
            subject=at_location(location_id),
            dates=dates,
            resources=False,
            provider=context,
            areas=own_areas,
        )
        bodies.append((ratings, body))
        result.assessments += read_assessments(site, body, record_id=location_id)
    kind = trust_kind(provider)
    if kind == "other":  # a provider that gives no inspection categories: the kind its sites give
        kind = next((site_kind for body in site_bodies if (site_kind := trust_kind(body)) != "other"), "other")
    result.trust = TrustRecord(
        provider_id=provider_id, name=name, kind=kind, areas=trust_areas, **_place(reader, provider)
    )
    for link_id, report in reports.found.items():
        context.by_date.setdefault(report["published"], set()).add(link_id)
    stated = [item for ratings, body in bodies for item in ratings.read(body)]
    published = {link_id: report["published"] for link_id, report in reports.found.items()}
    owners, inherited = {}, {}
    for item in stated:  # a rating may name a report missing from every reports list: it has a date and an owner
        if item.link_id not in reports.found:
            published.setdefault(item.link_id, item.published)
            owners.setdefault(item.link_id, item.record_id)
            if item.organisation_id:  # a report on the site's predecessor, whose ratings it inherited
                inherited.setdefault(item.link_id, item.organisation_id)
    slugs = inspection_slugs(published)
    for link_id, day in published.items():
        report = reports.found.get(link_id)
        if report is None:
            owner = owners[link_id]
            report = {
                "published": day,
                "record_id": owner,
                "report_url": f"{cqc_page(inherited.get(link_id, owner), provider=owner == provider_id)}/reports",
                "inherited_from": inherited.get(link_id, ""),
            }
        result.reports[link_id] = ReportRecord(link_id=link_id, slug=slugs[link_id], **report)
    result.ratings = resolve(stated, slugs, result.warnings)
    return result
