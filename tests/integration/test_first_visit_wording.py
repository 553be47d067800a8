"""Smaller frictions of a first visit (issue 28, item 7): what a page says beside a rating that a later report did not
reassess, and a count line that reads as one."""

import pytest

from tests.html import squashed

pytestmark = pytest.mark.django_db


def test_use_of_resources_says_the_later_whole_trust_report_did_not_reassess_it(client, curated_readonly):
    content = client.get("/trusts/university-hospitals-leicester/").content.decode()
    resources = content.split('<h3 class="resources-heading">')[1].split("</ul>")[0]
    assert resources.count("Not reassessed in the later reports we hold on the whole trust (the latest of") == 2
    assert 'href="/trusts/university-hospitals-leicester/inspections/2022-11/">November 2022</a>).' in resources


def test_the_sources_count_line_starts_no_line_with_a_comma(client, curated_readonly):
    content = squashed(client.get("/sources/").content)
    assert '<span class="sub">showing 1 to 50</span>' in content


@pytest.mark.parametrize("path", ["/", "/national/", "/sources/", "/trusts/leicestershire-partnership/", "/no-such/"])
def test_every_page_links_the_api_and_its_docs_from_the_footer(client, curated_readonly, path):
    """Issue 28: the API was linked from no page header or footer."""
    footer = client.get(path).content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/api/v1/">JSON API</a> (<a href="/api/v1/docs">its documentation</a>)' in footer
