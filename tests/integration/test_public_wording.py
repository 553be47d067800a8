"""Public pages speak to readers: no research vocabulary, no editors' working notes, no register codes as text.

The banned words are listed once, in inspections.curation.traceability.BANNED_PUBLIC_TERMS.
"""

import datetime
import re

import pytest
from django.urls import reverse

from inspections.curation.traceability import banned_terms, visible_text
from inspections.models import Inspection, Leadership, Source, Trust
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    LocationFactory,
    PersonFactory,
    RatingFactory,
    SourceFactory,
    StatementFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "EDITORS-ONLY"


def public_pages() -> list[str]:
    """Home, sources, accessibility, every trust, every inspection, and a 404."""
    pages = [reverse("inspections:trust_list"), reverse("inspections:sources"), reverse("inspections:accessibility")]
    pages += [trust.get_absolute_url() for trust in Trust.objects.all()]
    pages += [inspection.get_absolute_url() for inspection in Inspection.objects.select_related("trust")]
    return [*pages, "/no/such/page/"]


def wording_problems(client) -> list[str]:
    problems = []
    for url in public_pages():
        response = client.get(url)
        assert response.status_code == (404 if url == "/no/such/page/" else 200), url
        text = visible_text(response.content.decode())
        problems += [f"{url}: {term!r}" for term in banned_terms(text)]
        if MARKER in text:
            problems.append(f"{url}: an editor's note is shown")
    return problems


def codes_shown(client, urls) -> list[str]:
    """Source codes readers would see as text on `urls` (they belong in anchors only)."""
    codes = [
        re.compile(rf"(?<![\w-]){re.escape(code)}(?![\w-])") for code in Source.objects.values_list("code", flat=True)
    ]
    shown = []
    for url in urls:
        text = visible_text(client.get(url).content.decode())
        shown += [f"{url}: {code.pattern}" for code in codes if code.search(text)]
    return shown


def test_banned_terms_match_whole_words_in_any_case_and_plural():
    text = "Seeds, a DOSSIER, the register's entry; a Starting article; an aggregator; weak sources; GitHub."
    assert banned_terms(text) == ["Seeds", "DOSSIER", "register", "Starting article", "aggregator", "weak sources",
                                  "GitHub"]  # fmt: skip
    assert banned_terms("Registered seedlings; a reworded copy of a news story; SEED-003-like ids") == []
    assert banned_terms("The risk register did not show actions; risk registers; a register") == ["register"]


def test_visible_text_reads_text_and_spoken_attributes_not_scripts_or_addresses():
    html = (
        '<p title="Dossier title">Shown <a href="https://github.com/x">link</a></p>'
        '<script type="application/json">{"seed": 1}</script><img alt="register">'
    )
    assert visible_text(html) == "Dossier title Shown link register"


@pytest.fixture
def fictional_site(db):
    """A fictional trust with every kind of public record, each editor's note holding research words."""
    note = f"{MARKER}: seed dossier working note; weak source; aggregator on GitHub"
    source = SourceFactory(code="X9-NEWS", kind="local_news", publisher="Fictional Valley Gazette",
                           title="Hospital told to improve", editor_note=note)  # fmt: skip
    trust = TrustFactory(provider_id="X9T", slug="fictional-valley", name="Fictional Valley NHS Trust")
    trust.sources.set([source])
    location = LocationFactory(trust=trust, editor_note=note, description="The main hospital.")
    location.sources.set([source])
    Leadership.objects.create(trust=trust, person=PersonFactory(), role="Chief executive", first_stated_year=2015,
                              last_stated_year=2016, editor_note=note).sources.set([source])  # fmt: skip
    for slug, published in (("2015-07", datetime.date(2015, 7, 10)), ("undated", None)):
        inspection = InspectionFactory(trust=trust, slug=slug, published=published, editor_note=note, sources=[source])
        rating = RatingFactory(inspection=inspection, editor_note=note, note="Stated by the press release.",
                               sources=[source])  # fmt: skip
        rating.citations.update(passage="Rated requires improvement overall.")
        FindingFactory(inspection=inspection, sources=[source]).citations.update(passage="Too few nurses at night.")
        StatementFactory(inspection=inspection, sources=[source]).citations.update(passage="More to do, she said.")
    return trust


def test_every_public_page_template_speaks_plainly_and_hides_editor_notes(client, fictional_site):
    problems = wording_problems(client)
    assert not problems, "\n".join(problems)


def pages_citing_sources() -> list[str]:
    """Every page that cites sources: the sources page, each trust and its locations, each inspection."""
    urls = [reverse("inspections:sources")]
    for trust in Trust.objects.prefetch_related("locations"):
        urls += [trust.get_absolute_url(), *(location.get_absolute_url() for location in trust.locations.all())]
    return urls + [i.get_absolute_url() for i in Inspection.objects.select_related("trust")]


def test_no_page_shows_source_codes(client, fictional_site):
    assert codes_shown(client, pages_citing_sources()) == []


def test_the_wording_check_fails_on_a_planted_research_word(client, fictional_site):
    Inspection.objects.filter(slug="2015-07").update(discrepancy_note="An aggregator lists another date.")
    Source.objects.filter(code="X9-NEWS").update(title="Starting article: hospital told to improve")
    problems = wording_problems(client)
    assert "/trusts/fictional-valley/inspections/2015-07/: 'aggregator'" in problems
    assert "/sources/: 'Starting article'" in problems


def test_every_public_page_speaks_plainly_with_the_real_fixtures(client, curated_readonly):
    problems = wording_problems(client)
    assert not problems, f"{len(problems)} research word(s) on public pages:\n" + "\n".join(problems)


def test_no_page_shows_source_codes_with_the_real_fixtures(client, curated_readonly):
    shown = codes_shown(client, pages_citing_sources())
    assert shown == [], f"{len(shown)} code(s) shown as text:\n" + "\n".join(shown[:20])
