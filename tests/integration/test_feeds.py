"""The Atom feeds: parsed as Atom with the standard library, entries newest first, each naming the trust and the
ratings its report set and linking to the inspection; the data version as ETag; linked from the trust page."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from inspections.changes.version import data_version
from tests.factories import InspectionFactory, RatingFactory
from tests.national_data import four_trusts

ATOM = "{http://www.w3.org/2005/Atom}"
REPORTS = "/feeds/reports/"
ANVIL = "/trusts/fictional-anvil/feed/"


def parse_atom(response) -> ET.Element:
    """The feed's root, after checking what RFC 4287 requires of a feed and each of its entries."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 (the site's own answer, in a test)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text, required
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "NHS trust inspection histories"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "published", "summary"):
            assert entry.find(f"{ATOM}{required}").text, required
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)  # RFC 3339
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    return feed


def entries(feed) -> list[dict]:
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "published": entry.find(f"{ATOM}published").text[:10],
            "summary": entry.find(f"{ATOM}summary").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_reports_feed_lists_dated_reports_newest_first_naming_trust_and_ratings(client, db):
    four_trusts()
    found = entries(parse_atom(client.get(REPORTS)))
    assert [entry["link"].removeprefix("http://testserver") for entry in found] == [
        "/trusts/fictional-anvil/inspections/2020-05/",
        "/trusts/fictional-brook/inspections/2019-02-b/",
        "/trusts/fictional-brook/inspections/2019-02-a/",
        "/trusts/fictional-anvil/inspections/2018-06/",
        "/trusts/fictional-brook/inspections/2017-07/",
        "/trusts/fictional-anvil/inspections/2016-03/",
        "/trusts/fictional-dale/inspections/2015-01/",
    ]  # the undated report cannot be placed, so it is not "new"
    assert [entry["published"] for entry in found] == sorted((entry["published"] for entry in found), reverse=True)
    anvil_2018 = found[3]
    assert anvil_2018["title"] == "Fictional Anvil NHS Trust rated Requires improvement overall"
    assert anvil_2018["summary"] == (
        "Fictional report 2018-06 (report published 1 June 2018). Whole trust: Overall Requires improvement, "
        "Safe Inadequate. Also 1 rating of hospitals, sites and core services."
    )
    for entry in found:
        assert client.get(entry["link"]).status_code == 200


def test_a_trusts_feed_holds_its_own_reports_only(client, db):
    four_trusts()
    feed = parse_atom(client.get(ANVIL))
    assert feed.find(f"{ATOM}title").text == "New CQC reports on Fictional Anvil NHS Trust"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/trusts/fictional-anvil/"
    assert [entry["title"] for entry in entries(feed)] == [
        "Fictional Anvil NHS Trust: new report",
        "Fictional Anvil NHS Trust rated Requires improvement overall",
        "Fictional Anvil NHS Trust rated Good overall",
    ]
    assert entries(parse_atom(client.get("/trusts/fictional-cedar/feed/"))) == []  # no report yet: valid, empty


def test_a_new_report_appears_first_and_changes_the_etag(client, db):
    trusts = four_trusts()
    before = client.get(REPORTS)
    assert before["ETag"] == f'"{data_version()}"'
    assert client.get(REPORTS, headers={"if-none-match": before["ETag"]}).status_code == 304
    assert client.get(ANVIL, headers={"if-none-match": before["ETag"]}).status_code == 304
    # As an import would add it: a report newer than any held.
    inspection = InspectionFactory(trust=trusts["dale"], slug="2021-05", published=datetime.date(2021, 5, 4),
                                   visit_start=None, visit_end=None)  # fmt: skip
    RatingFactory(inspection=inspection, value="good")
    after = client.get(REPORTS, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert entries(parse_atom(after))[0]["title"] == "Fictional Dale NHS Trust rated Good overall"


@pytest.mark.parametrize("etag", [None, "*"])
def test_the_feed_of_a_trust_not_held_is_a_404(client, db, etag):
    headers = {"if-none-match": etag} if etag else {}
    assert client.get("/trusts/fictional-nobody/feed/", headers=headers).status_code == 404


def test_feeds_only_answer_reads(client, db):
    assert client.post(REPORTS).status_code == 405
    assert client.head(REPORTS).status_code == 200


def test_the_trust_page_offers_its_feed_to_browsers_and_readers(client, db):
    four_trusts()
    content = client.get("/trusts/fictional-anvil/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="New reports on Fictional Anvil NHS Trust (Atom feed)"'
        f' href="{ANVIL}">'
    ) in content
    assert f'<a href="{ANVIL}">Follow this trust (Atom feed)</a>: add this address to a feed reader' in content
