"""A sample of dossier facts per inspection: at least one rating for every rated inspection, with its source.

Facts from ../shared/research/facts.md; the source codes are its register ids.
"""

import datetime

import pytest

from inspections.models import Inspection, Rating

pytestmark = pytest.mark.django_db

S = "service"
# (provider, inspection, scope, service, location, key question, rating, stated previous, a supporting source)
DOSSIER_RATINGS = [
    ("RT5", "2015-07", "trust", "", "", "safe", "inadequate", "", "SEED-003"),
    ("RT5", "2017-02", S, "community-health-children-young-people-families", "", "caring", "outstanding", "",
     "L-LPT-2017a"),
    ("RT5", "2017-02", S, "community-mental-health-children-young-people", "", "overall", "inadequate", "",
     "L-CQC-PR-2018"),
    ("RT5", "2018-01", S, "community-mental-health-children-young-people", "", "overall", "requires_improvement",
     "inadequate", "L-CQC-PR-2018"),
    ("RT5", "2018-01", S, "community-health-services-adults", "", "overall", "good", "", "L-LPT-2018"),
    ("RT5", "2019-02", "trust", "", "", "well_led", "inadequate", "", "L-CQC-RT5-SUM"),
    ("RT5", "2019-02", S, "acute-wards-adults-working-age-picu", "", "overall", "inadequate", "", "L-MD-2019"),
    ("RT5", "2019-02", S, "community-mental-health-older-people", "", "overall", "good", "", "L-MD-2019"),
    ("RT5", "2022-02", "trust", "", "", "well_led", "requires_improvement", "inadequate", "L-LPT-2021"),
    ("RT5", "2022-02", S, "acute-wards-adults-working-age-picu", "", "safe", "inadequate", "inadequate",
     "L-BBC-2022a"),  # "still Inadequate": a stated no-change, kept with a note
    ("RT5", "2022-02", S, "long-stay-rehabilitation-wards", "", "overall", "requires_improvement", "inadequate",
     "L-CQC-RT5-SUM"),
    ("RT5", "2022-02-acute-wards-focused", S, "acute-wards-adults-working-age-picu", "", "safe",
     "requires_improvement", "inadequate", "L-CQC-PR-2022"),
    ("RT5", "2022-02-acute-wards-focused", S, "acute-wards-adults-working-age-picu", "", "responsive", "good",
     "requires_improvement", "L-CQC-PR-2022"),
    ("RT5", "2022-04-liaison", S, "mental-health-crisis-health-based-places-of-safety", "", "overall", "not_rated",
     "", "L-LPT-2022L"),
    ("RT5", "2024-05-acute-wards", S, "acute-wards-adults-working-age-picu", "", "effective", "good",
     "requires_improvement", "SEED-002"),
    ("RT5", "2024-05-community-adults", S, "community-health-services-adults", "", "well_led", "good",
     "requires_improvement", "L-CQC-PR-2024"),
    ("RT5", "2025-05-community-mental-health", S, "community-mental-health-adults-working-age", "", "overall",
     "requires_improvement", "", "L-LPT-2025"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("provider", "inspection", "scope", "service", "location", "question", "value", "previous", "source"),
    DOSSIER_RATINGS,
    ids=[f"{r[0]}-{r[1]}-{r[3] or r[4] or r[2]}-{r[5]}" for r in DOSSIER_RATINGS],
)
def test_dossier_rating_is_loaded_with_source(
    curated_readonly, provider, inspection, scope, service, location, question, value, previous, source
):
    rating = Rating.objects.get_by_natural_key(provider, inspection, question, scope, service, location)
    assert (rating.value, rating.previous_value) == (value, previous)
    assert source in {s.code for s in rating.sources.all()}


def test_every_rated_inspection_is_sampled(curated_readonly):
    rated = set(Inspection.objects.exclude(ratings=None).values_list("trust__provider_id", "slug"))
    sampled = {(row[0], row[1]) for row in DOSSIER_RATINGS}
    assert rated <= sampled, f"rated inspections without a dossier sample: {sorted(rated - sampled)}"


@pytest.mark.parametrize(
    ("provider", "slug", "published", "precision"),
    [
        ("RT5", "2015-07", datetime.date(2015, 7, 10), "day"),
        ("RT5", "2019-02", datetime.date(2019, 2, 1), "month"),
        ("RT5", "2022-02-acute-wards-focused", None, "day"),
        ("RT5", "2024-05-acute-wards", datetime.date(2024, 5, 30), "day"),
    ],
)
def test_publication_dates_and_precision_follow_the_dossier(curated_readonly, provider, slug, published, precision):
    inspection = Inspection.objects.get(trust__provider_id=provider, slug=slug)
    assert inspection.published == published
    if published:
        assert inspection.published_precision == precision


def test_lpt_history_covers_the_expected_reports(curated_readonly):
    years = set(Inspection.objects.filter(trust__provider_id="RT5", published__isnull=False)
                .values_list("published__year", flat=True))  # fmt: skip
    assert {2015, 2017, 2018, 2019, 2022, 2024} <= years
