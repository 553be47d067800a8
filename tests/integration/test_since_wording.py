"""One wording for a rating that stands, from one rule (domain.standing): since when it has stood and when a report
last confirmed it, in the headline, the grid's cells, the compare page's cells and the trust list (issue 18).

LPT's whole-trust overall rating has been Requires improvement since the report of July 2015 and was last confirmed
by the report of February 2022; before, the grid and compare page said only "set February 2022".
"""

import re

import pytest
from django.template import engines
from django.urls import reverse

from inspections.domain.codes import KeyQuestion
from inspections.domain.standing import standing
from inspections.domain.subjects import TRUST
from inspections.models import Trust
from inspections.reading import selectors

pytestmark = pytest.mark.django_db

LPT = "leicestershire-partnership"
LPT_OVERALL = "since July 2015, last confirmed February 2022"
LPT_REPORTS = [f"/trusts/{LPT}/inspections/2015-07/", f"/trusts/{LPT}/inspections/2022-02/"]
LRI = "/trusts/university-hospitals-leicester/locations/leicester-royal-infirmary/"


def first_cell(html: str, table_class: str, label: str) -> str:
    """The first cell of the first table of `table_class` whose data-label is `label`."""
    table = re.search(rf'<table class="[^"]*\b{table_class}\b[^"]*">.*?</table>', html, flags=re.S).group(0)
    return re.search(rf'<td[^>]*data-label="{re.escape(label)}"[^>]*>(.*?)</td>', table, flags=re.S).group(1)


def visible_text(html: str) -> str:
    """The words as a reader sees them (tags dropped without adding spaces, so "2015</a>," stays "2015,")."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_trust_page_headline_and_grid_say_since_and_last_confirmed_alike(client, curated_readonly):
    html = client.get(reverse("inspections:trust", args=[LPT])).content.decode()
    lede = re.search(r'<p class="lede">(.*?)</p>', html, flags=re.S).group(1)
    assert f"Rated Requires improvement overall {LPT_OVERALL};" in visible_text(lede)
    cell = first_cell(html, "ratings-grid", "Overall")
    assert visible_text(cell).startswith(f"Requires improvement {LPT_OVERALL}")
    assert "set " not in visible_text(cell)
    assert links(cell)[:2] == LPT_REPORTS  # each date opens the report it names


def test_compare_cells_say_since_and_last_confirmed_as_the_trust_page(client, curated_readonly):
    response = client.get(reverse("inspections:compare"), {"trust": [LPT, "university-hospitals-leicester"]})
    cell = first_cell(response.content.decode(), "compare-grid", "Leicestershire Partnership NHS Trust")
    assert visible_text(cell) == f"Requires improvement {LPT_OVERALL}"
    assert links(cell) == LPT_REPORTS


def test_hospital_page_headline_and_grid_agree(client, curated_readonly):
    html = client.get(LRI).content.decode()
    lede = visible_text(re.search(r'<p class="lede">(.*?)</p>', html, flags=re.S).group(1))
    words = re.search(r"overall (since [A-Z][a-z]+ \d{4}(, last confirmed [A-Z][a-z]+ \d{4})?)", lede).group(1)
    assert visible_text(first_cell(html, "ratings-grid", "Overall")).startswith(f"Requires improvement {words}")


def test_trust_list_row_says_since_and_last_confirmed_when_given_the_standing(client, curated_readonly):
    """The trust list's rows (the view passes each trust's overall Standing as `standings`) use the same words."""
    trust = selectors.trusts_with_current_overall().get(slug=LPT)
    events = selectors.rating_events(Trust.objects.get(slug=LPT))
    stood = standing(e for e in events if e.subject == TRUST and e.key_question == KeyQuestion.OVERALL)
    template = engines["jinja2"].env.get_template("_partials/trust_rows.jinja")
    row = template.render(trusts=[trust], matched={}, standings={trust.pk: stood}, empty_text="")
    assert visible_text(first_cell(f'<table class="trust-table">{row}</table>', "trust-table",
                                   "Current overall rating")) == f"Requires improvement {LPT_OVERALL}"  # fmt: skip
