"""Every rating the five seed articles state is loaded, with its value, stated previous value and seed citation."""

import pytest

from inspections.models import Rating

pytestmark = pytest.mark.django_db

# (seed, provider, inspection, scope, service, location, key question, rating, stated previous rating)
SEED_RATINGS = [
    ("SEED-003", "RT5", "2015-07", "trust", "", "", "overall", "requires_improvement", ""),
    ("SEED-003", "RT5", "2015-07", "trust", "", "", "safe", "inadequate", ""),
    ("SEED-003", "RT5", "2015-07", "trust", "", "", "effective", "requires_improvement", ""),
    ("SEED-003", "RT5", "2015-07", "trust", "", "", "caring", "good", ""),
    ("SEED-003", "RT5", "2015-07", "trust", "", "", "responsive", "requires_improvement", ""),
    ("SEED-003", "RT5", "2015-07", "trust", "", "", "well_led", "requires_improvement", ""),
    ("SEED-000", "RT5", "2015-07", "trust", "", "", "overall", "requires_improvement", ""),
    ("SEED-001", "RT5", "2017-02", "trust", "", "", "overall", "requires_improvement", ""),
    ("SEED-001", "RT5", "2017-02", "trust", "", "", "safe", "requires_improvement", "inadequate"),
    ("SEED-001", "RT5", "2017-02", "trust", "", "", "effective", "requires_improvement", ""),
    ("SEED-001", "RT5", "2017-02", "trust", "", "", "caring", "good", ""),
    ("SEED-001", "RT5", "2017-02", "trust", "", "", "responsive", "requires_improvement", ""),
    ("SEED-001", "RT5", "2017-02", "trust", "", "", "well_led", "requires_improvement", ""),
    ("SEED-002", "RT5", "2024-05-acute-wards", "service", "acute-wards-adults-working-age-picu", "", "overall",
     "requires_improvement", "requires_improvement"),
    ("SEED-002", "RT5", "2024-05-acute-wards", "service", "acute-wards-adults-working-age-picu", "", "effective",
     "good", "requires_improvement"),
    ("SEED-002", "RT5", "2024-05-acute-wards", "service", "acute-wards-adults-working-age-picu", "", "caring",
     "good", "requires_improvement"),
    ("SEED-002", "RT5", "2024-05-community-adults", "service", "community-health-services-adults", "", "overall",
     "good", ""),
    ("SEED-004", "RWE", "2020-02", "trust", "", "", "overall", "good", "requires_improvement"),
    ("SEED-004", "RWE", "2020-02", "trust", "", "", "safe", "requires_improvement", "requires_improvement"),
    ("SEED-004", "RWE", "2020-02", "trust", "", "", "effective", "good", "good"),
    ("SEED-004", "RWE", "2020-02", "trust", "", "", "caring", "good", ""),
    ("SEED-004", "RWE", "2020-02", "trust", "", "", "responsive", "good", "requires_improvement"),
    ("SEED-004", "RWE", "2020-02", "trust", "", "", "well_led", "good", "requires_improvement"),
    ("SEED-004", "RWE", "2020-02", "location", "", "glenfield-hospital", "overall", "requires_improvement", ""),
    ("SEED-004", "RWE", "2020-02", "location", "", "leicester-general-hospital", "overall", "requires_improvement",
     "requires_improvement"),
    ("SEED-004", "RWE", "2020-02", "location", "", "leicester-royal-infirmary", "overall", "requires_improvement",
     ""),
]  # fmt: skip


@pytest.mark.parametrize(
    ("seed", "provider", "inspection", "scope", "service", "location", "question", "value", "previous"),
    SEED_RATINGS,
    ids=[f"{row[0]}-{row[2]}-{row[4] or row[5] or row[3]}-{row[6]}" for row in SEED_RATINGS],
)
def test_seed_rating_is_loaded_and_cites_its_seed(
    curated_readonly, seed, provider, inspection, scope, service, location, question, value, previous
):
    rating = Rating.objects.get_by_natural_key(provider, inspection, question, scope, service, location)
    assert rating.value == value
    assert rating.previous_value == previous
    assert seed in {source.code for source in rating.sources.all()}


def test_every_seed_article_is_a_source_and_cited(curated_readonly):
    from inspections.models import Source

    seeds = Source.objects.exclude(seed_file="").order_by("code")
    present = {source.code for source in seeds}
    expected = {f"SEED-00{n}" for n in range(5)}
    assert expected <= present
    for source in seeds:
        cited = source.ratings.count() + source.findings.count() + source.statements.count()
        assert cited > 0, f"{source.code} supports nothing"


@pytest.mark.parametrize(
    ("provider", "inspection", "slug_person", "fragment"),
    [
        ("RT5", "2015-07", "peter-miller", "SEED-000"),
        ("RT5", "2017-02", "paul-lelliott", "SEED-001"),
        ("RT5", "2017-02", "jeffrey-worrall", "SEED-001"),
        ("RT5", "2024-05-acute-wards", "anne-scott", "SEED-002"),
        ("RT5", "2024-05-acute-wards", "angela-hillery", "SEED-002"),
        ("RWE", "2020-02", "john-adler", "SEED-004"),
        ("RWE", "2020-02", "ted-baker", "SEED-004"),
    ],
)
def test_people_quoted_in_seeds_are_recorded(curated_readonly, provider, inspection, slug_person, fragment):
    from inspections.models import Statement

    statement = Statement.objects.get(inspection__trust__provider_id=provider, inspection__slug=inspection,
                                      person__slug=slug_person)  # fmt: skip
    assert fragment in {source.code for source in statement.sources.all()}
