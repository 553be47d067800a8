"""The rest of CQC's record for fictional trusts (see `synthetic`): coordinates within England, use of resources
with its report's document, a closed site and the site that replaced it, and assessments with scores.

Deterministic for the random generator given; every id stays "X9…" and every name "Fictional …".
"""

import datetime
import random

SCALE = ["Inadequate", "Requires improvement", "Good", "Outstanding"]
#: About the middle of each region used by `synthetic`, well inside England, so a jitter of a quarter degree stays in.
REGION_CENTRES = {
    "East Midlands": (52.83, -1.05),
    "London": (51.51, -0.12),
    "North West": (53.62, -2.55),
    "South West": (50.85, -3.35),
    "West Midlands": (52.45, -2.05),
    "North East": (54.85, -1.65),
    "East": (52.25, 0.55),
}
STATEMENTS = {
    "Safe": [
        (1, "Learning culture"),
        (3, "Safeguarding"),
        (5, "Safe environments"),
        (6, "Safe and effective staffing"),
    ],
    "Effective": [(9, "Assessing needs"), (13, "Monitoring and improving outcomes")],
    "Caring": [(15, "Kindness, compassion and dignity"), (16, "Treating people as individuals")],
    "Responsive": [(20, "Person-centred care"), (24, "Equity in access")],
    "Well-led": [(27, "Shared direction and culture"), (31, "Governance, management and sustainability")],
}
LATEST = datetime.date(2026, 10, 31)  # before the date the fictional snapshot was "fetched"


def _near(rng: random.Random, point: tuple[float, float], spread: float) -> tuple[float, float]:
    return round(point[0] + rng.uniform(-spread, spread), 4), round(point[1] + rng.uniform(-spread, spread), 4)


def add_coordinates(rng: random.Random, provider: dict, locations: list[dict], region: str) -> None:
    trust = _near(rng, REGION_CENTRES[region], 0.25)
    provider["onspdLatitude"], provider["onspdLongitude"] = trust
    for location in locations:
        location["onspdLatitude"], location["onspdLongitude"] = _near(rng, trust, 0.1)


def add_use_of_resources(rng: random.Random, provider: dict) -> None:
    """Use of resources at the trust's last report of 2017 to 2019 (when NHS trusts were rated on it), if any."""
    candidates = [r for r in provider["reports"] if "2017" <= r["reportDate"][:4] <= "2019"]
    if not candidates or rng.random() < 0.3:
        return
    report = max(candidates, key=lambda r: r["reportDate"])
    words = {
        "useOfResourcesRating": rng.choices(SCALE, weights=[1, 4, 5, 1])[0],
        "combinedQualityRating": rng.choices(SCALE, weights=[1, 4, 5, 1])[0],
    }
    provider["currentRatings"]["overall"]["useOfResources"] = {
        **words,
        "reportDate": report["reportDate"],
        "reportLinkId": report["linkId"],
    }
    for entry in provider["historicRatings"]:
        if entry["reportLinkId"] == report["linkId"]:
            entry["overall"]["useOfResources"] = dict(words)
    report["relatedDocuments"] = [
        {"documentUri": f"/reports/{report['linkId']}/Use%20of%20Resources", "documentType": "Use of Resources"}
    ]


def add_closed_site(rng: random.Random, provider: dict, locations: list[dict]) -> None:
    """Now and then the trust's last site closed after its last report, and a new site replaced it."""
    if len(locations) < 3 or rng.random() >= 0.25:
        return
    closed = locations[-1]
    last = max(datetime.date.fromisoformat(r["reportDate"]) for r in closed["reports"])
    closing = min(last + datetime.timedelta(days=rng.randint(90, 400)), LATEST)
    closed.update(registrationStatus="Deregistered", deregistrationDate=closing.isoformat())
    successor = {
        key: closed[key]
        for key in ("providerId", "organisationType", "type", "region", "inspectionCategories", "postalCode")
    }
    successor.update(
        locationId=f"{closed['locationId']}N",
        name=closed["name"].replace("Fictional ", "Fictional New ", 1),
        registrationStatus="Registered",
        registrationDate=(closing + datetime.timedelta(days=1)).isoformat(),
        postalAddressLine1="1 Fictional New Road",
        postalAddressTownCity=closed["postalAddressTownCity"],
        relationships=[
            {
                "relatedLocationId": closed["locationId"],
                "relatedLocationName": closed["name"],
                "type": "HSCA Predecessor",
                "reason": "Location moved",
            }
        ],
        currentRatings={},
        historicRatings=[],
        reports=[],
    )
    successor["onspdLatitude"], successor["onspdLongitude"] = _near(
        rng, (closed["onspdLatitude"], closed["onspdLongitude"]), 0.02
    )
    locations.append(successor)
    provider["locationIds"].append(successor["locationId"])


def add_assessments(rng: random.Random, locations: list[dict]) -> None:
    """Some open sites were assessed under CQC's newer framework in 2024 or 2025."""
    for location in locations:
        if location.get("registrationStatus") != "Registered" or rng.random() >= 0.15:
            continue
        assessed = datetime.date(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
        published = min(assessed + datetime.timedelta(days=rng.randint(30, 120)), LATEST)
        questions = []
        for question, statements in STATEMENTS.items():
            points = [rng.choices([1, 2, 3, 4], weights=[1, 3, 5, 1])[0] for _ in statements]
            percentage = round(100 * sum(points) / (4 * len(points)))
            rating = SCALE[0 if percentage < 39 else 1 if percentage < 63 else 2 if percentage < 88 else 3]
            questions.append(
                {
                    "name": question,
                    "rating": rating,
                    "percengtageScore": str(percentage),
                    "topicareas": [
                        {"qualityStatementId": i, "name": name, "qualityStatementscore": str(p)}
                        for (i, name), p in zip(statements, points, strict=True)
                    ],
                }
            )
        location["assessment"] = [
            {
                "assessmentPlanPublishedDateTime": f"{published.isoformat()}T09:00:00Z",
                "ratings": {
                    "asgRatings": [
                        {
                            "assessmentPlanId": f"X9-AP-{location['locationId']}",
                            "title": f"Assessment of {location['name']}",
                            "name": "Acute services",
                            "assessmentDate": assessed.isoformat(),
                            "assessmentPlanStatus": "Published",
                            "rating": rng.choices(SCALE, weights=[1, 4, 5, 1])[0],
                            "keyQuestionRatings": questions,
                        }
                    ]
                },
            }
        ]
