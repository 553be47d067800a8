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
    ("RWE", "2014-03", "trust", "", "", "overall", "requires_improvement", "", "U-HEFMA-2017"),
    ("RWE", "2014-03", "location", "", "glenfield-hospital", "overall", "good", "", "U-CQC-PR-2014"),
    ("RWE", "2014-03", S, "urgent-and-emergency-care", "glenfield-hospital", "overall", "requires_improvement", "",
     "U-QR-GH-2014"),
    ("RWE", "2017-01", "trust", "", "", "caring", "good", "", "U-CQC-PR-2017"),
    ("RWE", "2017-01", "location", "", "glenfield-hospital", "overall", "requires_improvement", "good",
     "U-HEFMA-2017"),
    ("RWE", "2017-01", S, "medical-care", "leicester-general-hospital", "safe", "requires_improvement", "",
     "U-CQC-LGH-SUM"),
    ("RWE", "2018-03", "trust", "", "", "effective", "good", "requires_improvement", "U-CQC-PR-2018"),
    ("RWE", "2018-03", "location", "", "st-marys-birth-centre", "well_led", "good", "", "U-CQC-SMBC-2018"),
    ("RWE", "2020-02", "trust", "", "", "overall", "good", "requires_improvement", "U-CQC-RWE-2020"),
    ("RWE", "2020-02", "trust", "", "", "well_led", "good", "requires_improvement", "U-CQC-RWE-2020"),
    ("RWE", "2020-02", S, "services-children-young-people", "leicester-royal-infirmary", "overall",
     "requires_improvement", "requires_improvement", "U-CQC-LRI-SUM-2023"),  # "unchanged", kept with a note
    ("RWE", "2022-08-lri-urgent-medical", S, "urgent-and-emergency-care", "leicester-royal-infirmary", "safe",
     "requires_improvement", "", "U-LM-2024"),
    ("RWE", "2022-08-lri-urgent-medical", S, "medical-care", "leicester-royal-infirmary", "overall",
     "requires_improvement", "", "U-HEFMA-2022"),
    ("RWE", "2022-11", "trust", "", "", "overall", "requires_improvement", "good", "U-CQC-PR-2022"),
    ("RWE", "2022-11", "location", "", "glenfield-hospital", "responsive", "requires_improvement", "good",
     "U-CQC-PR-2022"),
    ("RWE", "2022-11", S, "surgery", "glenfield-hospital", "overall", "requires_improvement", "", "U-CQC-GH-REP"),
    ("RWE", "2023-09-maternity", S, "maternity", "leicester-royal-infirmary", "safe", "inadequate",
     "requires_improvement", "U-CQC-PR-2023"),
    ("RWE", "2023-09-maternity", S, "maternity", "st-marys-birth-centre", "well_led", "requires_improvement",
     "good", "U-CQC-PR-2023"),
    ("RWE", "2023-09-maternity", S, "maternity", "leicester-general-hospital", "effective", "not_inspected", "",
     "U-CQC-PR-2023"),
    ("RWE", "2023-09-maternity", "trust", "", "", "overall", "not_inspected", "", "U-CQC-PR-2023"),  # "stays RI"
    ("RWE", "2024-06", S, "urgent-and-emergency-care", "leicester-royal-infirmary", "well_led", "good",
     "requires_improvement", "U-CQC-PR-2024"),
    ("RWE", "2024-06", S, "maternity", "leicester-general-hospital", "safe", "requires_improvement", "inadequate",
     "U-CQC-PR-2024"),
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
        ("RWE", "2014-03", datetime.date(2014, 3, 28), "day"),
        ("RWE", "2015-11-emergency-department", None, "day"),
        ("RWE", "2017-01", datetime.date(2017, 1, 26), "day"),
        ("RWE", "2020-02", datetime.date(2020, 2, 5), "day"),
        ("RWE", "2023-09-maternity", datetime.date(2023, 9, 20), "day"),
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


def test_uhl_history_covers_the_expected_reports(curated_readonly):
    years = set(Inspection.objects.filter(trust__provider_id="RWE", published__isnull=False)
                .values_list("published__year", flat=True))  # fmt: skip
    assert {2014, 2017, 2018, 2020, 2022, 2023, 2024} <= years


@pytest.mark.parametrize(
    ("provider", "slug", "both_sources"),
    [
        ("RWE", "2017-01", ("U-CQC-PR-2017", "U-HEFMA-2017")),  # 26 January vs 1 February 2017
        ("RWE", "2020-02", ("SEED-004", "U-CQC-RWE-2020")),  # seven core services vs six Good and three RI
    ],
)
def test_disagreeing_sources_are_named_in_the_inspection_note(curated_readonly, provider, slug, both_sources):
    """Readers get the disagreement in plain words; editors get the register ids behind it."""
    inspection = Inspection.objects.get(trust__provider_id=provider, slug=slug)
    assert inspection.discrepancy_note
    for code in both_sources:
        assert code in inspection.editor_note
        assert code not in inspection.discrepancy_note


# The second reader's fact check of December 2026 (issue 28): four small faults, mended as the sources support.


def test_a_passage_is_cited_to_the_source_the_dossier_tags_it_to(curated_readonly):
    """'(previous: Inadequate in 2015' is the dossier's note of SEED-003, not of L-LPT-2017a."""
    safe = Rating.objects.get(inspection__trust__provider_id="RT5", inspection__slug="2017-02", scope="trust",
                              key_question="safe")  # fmt: skip
    passages = dict(safe.citations.values_list("source__code", "passage"))
    assert "previous" not in passages["L-LPT-2017a"]
    assert "'Inadequate' for whether services are safe" in passages["SEED-003"]


def test_a_report_its_only_source_calls_both_comprehensive_and_focused_is_not_called_comprehensive(curated_readonly):
    inspection = Inspection.objects.get(trust__provider_id="RWE", slug="2017-01")
    assert inspection.inspection_type == "not_stated"
    assert "both as the trust's second inspection under CQC's comprehensive method and as a focused" in inspection.scope


def test_a_leaders_note_says_no_succession_the_sources_do_not(curated_readonly):
    from inspections.models import Leadership

    assert not Leadership.objects.filter(note__icontains="took over from").exists()


def test_a_leader_is_named_from_the_year_of_the_source_that_names_them(curated_readonly):
    from inspections.models import Leadership

    furlong = Leadership.objects.get(person__slug="andrew-furlong")
    (source,) = furlong.sources.all()
    assert (source.code, furlong.first_stated_year, furlong.last_stated_year) == ("U-BBC-2016", 2016, 2016)
