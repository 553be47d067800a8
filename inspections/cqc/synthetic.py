"""Fictional NHS trusts written as a CQC snapshot, for benchmarks and tests only.

Every id starts "X9" and every name "Fictional", so nothing here can be mistaken for a real
trust; `make run` never loads it. The output is deterministic for a seed: about ten years of
history (to 2026), 3-6 provider reports per trust, 2-8 locations each with core services, and key
questions re-rated only at some reports (the rest carry forward, as at CQC); coordinates within
England, and for some trusts use of resources, a closed site and its successor, and assessments
(`synthetic_features`).
"""

import datetime
import json
import random
import uuid
from pathlib import Path

from inspections.cqc.snapshot import RETRIEVED_FILE
from inspections.cqc.synthetic_features import add_assessments, add_closed_site, add_coordinates, add_use_of_resources

WORDS = ["Valley", "Moor", "Downs", "Fen", "Vale", "Heath", "Weald", "Marsh", "Brook", "Ridge",
         "Holt", "Combe", "Carr", "Mere", "Wold", "Lea", "Scar", "Tor", "Dale", "Ness"]  # fmt: skip
REGIONS = ["East Midlands", "London", "North West", "South West", "West Midlands", "North East", "East"]
KEY_QUESTIONS = ["Safe", "Effective", "Caring", "Responsive", "Well-led"]
SCALE = ["Inadequate", "Requires improvement", "Good", "Outstanding"]
SERVICES = ["Urgent and emergency care", "Medical care (including older people's care)", "Surgery", "Critical care",
            "Maternity", "Services for children and young people", "End of life care", "Outpatients",
            "Diagnostic imaging", "Community health services for adults"]  # fmt: skip
CATEGORY = {"name": "Acute hospital - NHS non-specialist", "code": "X9", "primary": "true"}
RETRIEVED = datetime.date(2026, 11, 1)


def _link_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _next_value(rng: random.Random, value: str | None) -> str:
    if value is None:
        return rng.choices(SCALE, weights=[1, 4, 6, 1])[0]
    step = rng.choices([-1, 0, 1], weights=[1, 3, 2])[0]
    return SCALE[max(0, min(len(SCALE) - 1, SCALE.index(value) + step))]


class _Subject:
    """A rated thing (trust, location, service): what each report set, and what stood after it."""

    def __init__(self):
        self.history: list[tuple[dict, dict[str, str], set[str]]] = []  # (report, values in force, set here)

    def rate(self, rng: random.Random, report: dict, *, everything: bool) -> None:
        before = self.history[-1][1] if self.history else {}
        asked = set(KEY_QUESTIONS) if everything or not before else set(rng.sample(KEY_QUESTIONS, rng.randint(1, 4)))
        values = dict(before)
        for question in KEY_QUESTIONS:  # in a fixed order: a set's order varies with the process's hash seed
            if question in asked:
                values[question] = _next_value(rng, before.get(question))
        values["Overall"] = _next_value(rng, before.get("Overall"))
        self.history.append((report, values, asked | {"Overall"}))

    def current(self) -> dict:
        """The `currentRatings.overall` block: each key question dated by the report that set it."""
        report, values, _ = self.history[-1]
        set_by = {}
        for past_report, _values, asked in self.history:
            for question in asked:
                set_by[question] = past_report
        return {
            "rating": values["Overall"],
            "reportDate": report["reportDate"],
            "reportLinkId": report["linkId"],
            "keyQuestionRatings": [
                {
                    "name": q,
                    "rating": values[q],
                    "reportDate": set_by[q]["reportDate"],
                    "reportLinkId": set_by[q]["linkId"],
                }
                for q in KEY_QUESTIONS
            ],
        }

    def historic_overall(self, index: int) -> dict:
        _report, values, _ = self.history[index]
        return {
            "rating": values["Overall"],
            "keyQuestionRatings": [{"name": q, "rating": values[q]} for q in KEY_QUESTIONS],
        }


def _report(rng, day: datetime.date, report_type: str, location_ids=()) -> dict:
    link_id = _link_id(rng)
    return {
        "linkId": link_id,
        "reportDate": day.isoformat(),
        "reportUri": f"/reports/{link_id}",
        "reportType": report_type,
        "firstVisitDate": (day - datetime.timedelta(days=rng.randint(60, 150))).isoformat(),
        "inspectionLocations": [{"locationId": location_id} for location_id in location_ids],
    }


def _location(rng, provider_id: str, trust_name: str, index: int, dates: list[datetime.date], region: str):
    location_id = f"{provider_id}{WORDS[index][:1]}{chr(65 + index)}"
    name = f"Fictional {WORDS[index]} Hospital ({trust_name.split()[1]})"
    subject, services = _Subject(), {name: _Subject() for name in rng.sample(SERVICES, rng.randint(2, 4))}
    reports = []
    for day in sorted(rng.sample(dates, rng.randint(1, min(3, len(dates))))):
        report = _report(rng, day, "Location", [location_id])
        reports.append(report)
        subject.rate(rng, report, everything=not reports[:-1])
        for service in services.values():
            if not service.history or rng.random() < 0.6:
                service.rate(rng, report, everything=not service.history)
    # Service history: each service's own reports; current is its latest.
    current = subject.current()
    historic = []
    for i, (report, _values, _asked) in enumerate(subject.history[:-1]):
        entry = {
            "reportDate": report["reportDate"],
            "reportLinkId": report["linkId"],
            "organisationId": location_id,
            "overall": subject.historic_overall(i),
            "serviceRatings": [],
        }
        for service_name, service in services.items():
            for j, (service_report, _v, _a) in enumerate(service.history[:-1]):
                if service_report is report:
                    entry["serviceRatings"].append({"name": service_name, **service.historic_overall(j)})
        historic.append(entry)
    service_ratings = []
    for service_name, service in services.items():
        block = service.current()
        service_ratings.append(
            {
                "name": service_name,
                "rating": block["rating"],
                "reportDate": block["reportDate"],
                "reportLinkId": block["reportLinkId"],
                "organisationId": location_id,
                "keyQuestionRatings": [
                    {"name": kq["name"], "rating": kq["rating"]} for kq in block["keyQuestionRatings"]
                ],
            }
        )
    return {
        "locationId": location_id,
        "providerId": provider_id,
        "organisationType": "Location",
        "type": "NHS Healthcare Organisation",
        "name": name,
        "registrationStatus": "Registered",
        "postalAddressLine1": f"{index + 1} Fictional Road",
        "postalAddressTownCity": f"{WORDS[index]}ton",
        "postalCode": f"ZZ{index + 1} {index + 1}ZZ",
        "region": region,
        "inspectionCategories": [CATEGORY],
        "currentRatings": {"overall": current, "serviceRatings": service_ratings, "reportDate": current["reportDate"]},
        "historicRatings": historic,
        "reports": list(reversed(reports)),
    }


def synthetic_trust(index: int, *, seed: int = 2026) -> tuple[dict, list[dict]]:
    """Provider body and location bodies of fictional trust number `index` (from 1)."""
    rng = random.Random(f"{seed}-{index}")
    provider_id = f"X9{index:03d}"
    name = f"Fictional {WORDS[index % 20]} {WORDS[(index // 20) % 20]} NHS Trust"
    if index >= 400:
        name = f"{name} {index}"
    region = REGIONS[index % len(REGIONS)]
    years = sorted(rng.sample(range(2015, 2027), rng.randint(3, 6)))
    dates = [datetime.date(year, rng.randint(1, 10 if year == 2026 else 12), rng.randint(1, 28)) for year in years]
    locations = [_location(rng, provider_id, name, i, dates, region) for i in range(rng.randint(2, 8))]
    trust, reports = _Subject(), []
    for day in dates:
        inspected = [
            loc["locationId"] for loc in locations if any(r["reportDate"] == day.isoformat() for r in loc["reports"])
        ]
        report = _report(rng, day, "Provider", inspected)
        reports.append(report)
        trust.rate(rng, report, everything=len(reports) == 1)
    historic = [
        {
            "reportDate": report["reportDate"],
            "reportLinkId": report["linkId"],
            "organisationId": provider_id,
            "overall": trust.historic_overall(i),
        }
        for i, (report, _v, _a) in enumerate(trust.history[:-1])
    ]
    provider = {
        "providerId": provider_id,
        "locationIds": [loc["locationId"] for loc in locations],
        "organisationType": "Provider",
        "ownershipType": "NHS Body",
        "type": "NHS Healthcare Organisation",
        "name": name,
        "registrationStatus": "Registered",
        "postalAddressLine1": "1 Fictional Way",
        "postalAddressTownCity": f"{WORDS[index % 20]}bury",
        "postalCode": f"ZZ9 {index % 10}ZZ",
        "region": region,
        "inspectionCategories": [CATEGORY],
        "lastReport": {"publicationDate": dates[-1].isoformat()},
        "currentRatings": {"overall": trust.current(), "reportDate": dates[-1].isoformat()},
        "historicRatings": list(reversed(historic)),
        "reports": list(reversed(reports)),
    }
    features = random.Random(f"{seed}-{index}-features")  # its own stream: a new feature never reshuffles the histories
    add_coordinates(features, provider, locations, region)
    add_use_of_resources(features, provider)
    add_closed_site(features, provider, locations)
    add_assessments(features, locations)
    return provider, locations


def write_snapshot(directory: Path, *, trusts: int, seed: int = 2026) -> int:
    """Writes `trusts` fictional providers and their locations; returns the number of files written."""
    directory = Path(directory)
    (directory / "providers").mkdir(parents=True, exist_ok=True)
    (directory / "locations").mkdir(parents=True, exist_ok=True)
    written, retrieved = 0, {}
    for index in range(1, trusts + 1):
        provider, locations = synthetic_trust(index, seed=seed)
        for kind, body, key in [("providers", provider, "providerId")] + [
            ("locations", b, "locationId") for b in locations
        ]:
            (directory / kind / f"{body[key]}.json").write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
            written += 1
        retrieved[provider["providerId"]] = RETRIEVED.isoformat()
    (directory / RETRIEVED_FILE).write_text(json.dumps(retrieved, indent=1) + "\n", encoding="utf-8")
    return written
