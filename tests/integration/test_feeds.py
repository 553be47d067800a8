"""The Atom feeds: parsed as Atom with the standard library, entries newest first, each naming the trust and the
ratings its report set and linking to the inspection; the data version as ETag; linked from the trust page."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from inspections.changes.version import data_version
from tests.factories import InspectionFactory, RatingFactory
from tests.national_data import four_trusts

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
REPORTS = "/feeds/reports/"
ANVIL = "/trusts/fictional-anvil/feed/"


def parse_atom(response, content_type="application/atom+xml; charset=utf-8") -> ET.Element:
    """The feed's root, after checking what RFC 4287 requires of a feed and each of its entries."""
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    feed = ET.fromstring(response.content)  # noqa: S314 (the site's own answer, in a test)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text, required
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "NHS trust inspection histories"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{required}").text, required
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)  # RFC 3339
        if entry.find(f"{DC}date") is None:  # the date as far as it is known (W3C-DTF), where one is
            assert "publication date not in our sources" in entry.find(f"{ATOM}summary").text
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    return feed


def entries(feed) -> list[dict]:
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "published": published.text if (published := entry.find(f"{ATOM}published")) is not None else None,
            "updated": entry.find(f"{ATOM}updated").text,
            "date": date.text if (date := entry.find(f"{DC}date")) is not None else None,
            "summary": entry.find(f"{ATOM}summary").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_reports_feed_lists_reports_newest_first_naming_trust_and_what_each_set(client, db):
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
        "/trusts/fictional-dale/inspections/undated/",
    ]  # a report with no date at all, which nothing places, comes last: it is never the newest
    dated = [entry["date"] for entry in found[:-1]]
    assert dated == sorted(dated, reverse=True)
    anvil_2018 = found[3]
    assert anvil_2018["title"] == "Fictional Anvil NHS Trust: Requires improvement overall, Safe Inadequate"
    assert anvil_2018["summary"] == (
        "Fictional report 2018-06 (report published 1 June 2018). Whole trust: Overall Requires improvement, "
        "Safe Inadequate. Also 1 rating of hospitals, sites and core services."
    )
    assert (anvil_2018["published"], anvil_2018["date"]) == ("2018-06-01T00:00:00+00:00", "2018-06-01")
    assert found[0]["title"] == "Fictional Anvil NHS Trust: no ratings set"  # off the scale only: not "rated"
    assert found[-1]["title"] == "Fictional Dale NHS Trust: Outstanding overall"
    assert "(publication date not in our sources)" in found[-1]["summary"]
    for entry in found:
        assert client.get(entry["link"]).status_code == 200


def test_an_undated_report_is_in_the_feed_at_its_visit_saying_its_date_is_not_held(client, db):
    trusts = four_trusts()
    visited = InspectionFactory(
        trust=trusts["anvil"], slug="2021-03-visit", title="Fictional visit, March 2021", published=None,
        visit_start=datetime.date(2021, 3, 1), visit_start_precision="month", visit_end=None,
    )  # fmt: skip
    RatingFactory(inspection=visited, value="inadequate")
    newest = entries(parse_atom(client.get(REPORTS)))[0]
    assert newest["link"].endswith("/inspections/2021-03-visit/")
    assert newest["title"] == "Fictional Anvil NHS Trust: Inadequate overall"
    assert newest["published"] is None  # no day is known, so no <published> pretends to one
    assert newest["date"] == "2021-03"  # the month of its visit, as far as it is known
    assert newest["summary"].startswith(
        "Fictional visit, March 2021 (visited March 2021; publication date not in our sources)."
    )
    assert newest["updated"] == visited.arrived_at.replace(microsecond=0).isoformat()  # when it arrived here


def test_a_report_published_in_a_known_month_is_given_to_the_month(client, db):
    trusts = four_trusts()
    InspectionFactory(
        trust=trusts["cedar"], slug="2021-02", title="Fictional report of February",
        published=datetime.date(2021, 2, 1), published_precision="month", visit_start=None, visit_end=None,
    )  # fmt: skip
    newest = entries(parse_atom(client.get(REPORTS)))[0]
    assert newest["title"] == "Fictional Cedar NHS Trust: no ratings set"
    assert (newest["published"], newest["date"]) == (None, "2021-02")  # not the 1st at midnight
    assert not newest["updated"].startswith("2021-02-01")
    assert "(report published February 2021)" in newest["summary"]


def test_a_browser_gets_the_feed_styled_as_a_page_and_a_reader_gets_atom(client, db):
    four_trusts()
    reader = client.get(REPORTS, headers={"accept": "application/atom+xml, application/xml;q=0.9"})
    browser = client.get(REPORTS, headers={"accept": "text/html,application/xhtml+xml,application/xml;q=0.9"})
    parse_atom(reader)
    parse_atom(browser, content_type="application/xml; charset=utf-8")  # Chromium shows atom+xml as plain text
    assert browser.content == reader.content
    assert (
        browser.content.decode()
        .splitlines()[1]
        .startswith(
            '<?xml-stylesheet type="text/xsl" href="/static/inspections/feed.xsl"?><feed xml:lang="en-gb" '
            'xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        )
    )
    for response in (reader, browser):
        assert "Accept" in response["Vary"]
    assert reader["ETag"] != browser["ETag"]  # two copies, stored apart


def test_a_trusts_feed_holds_its_own_reports_only(client, db):
    four_trusts()
    feed = parse_atom(client.get(ANVIL))
    assert feed.find(f"{ATOM}title").text == "New CQC reports on Fictional Anvil NHS Trust"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/trusts/fictional-anvil/"
    assert [entry["title"] for entry in entries(feed)] == [
        "Fictional Anvil NHS Trust: no ratings set",
        "Fictional Anvil NHS Trust: Requires improvement overall, Safe Inadequate",
        "Fictional Anvil NHS Trust: Good overall",
    ]
    assert entries(parse_atom(client.get("/trusts/fictional-cedar/feed/"))) == []  # no report yet: valid, empty


def test_a_new_report_appears_first_and_changes_the_etag(client, db):
    trusts = four_trusts()
    before = client.get(REPORTS)
    assert before["ETag"].startswith(f'W/"{data_version()[:16]}-')  # the data version and the page
    assert client.get(REPORTS, headers={"if-none-match": before["ETag"]}).status_code == 304
    anvil = client.get(ANVIL)["ETag"]
    assert anvil != before["ETag"]
    assert client.get(ANVIL, headers={"if-none-match": anvil}).status_code == 304
    # As an import would add it: a report newer than any held.
    inspection = InspectionFactory(trust=trusts["dale"], slug="2021-05", published=datetime.date(2021, 5, 4),
                                   visit_start=None, visit_end=None)  # fmt: skip
    RatingFactory(inspection=inspection, value="good")
    after = client.get(REPORTS, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert entries(parse_atom(after))[0]["title"] == "Fictional Dale NHS Trust: Good overall"


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
