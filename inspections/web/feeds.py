"""Atom feeds of new reports (Django's syndication framework): across all trusts, and for each trust.

Entries are the latest reports held, newest first (reading.national.latest_reports, as the national page lists them:
a report whose publication date is not in our sources by its visit), so reports brought in by an import appear
without more work. Each entry's title is the trust and what the report set ("...: Requires improvement overall, Safe
Inadequate", or "no ratings set"); it links to the inspection's page. Both are served from the page cache
(web/page_cache.py): a reader that sends the ETag back in If-None-Match gets 304 until the data changes.

Dates to their precision (RFC 4287 has date-times only): `<published>` is given only for a report published on a
known day (midnight UTC of that day: CQC publishes days, not times); every entry carries `<dc:date>` with the date as
far as it is known (W3C-DTF allows "2019-02" or "2019"; an undated report's is the month of its visit), and its
summary says it in words ("published February 2019", "visited May 2025; publication date not in our sources").
`<updated>` (required) is the publication day where it is known, else when the report arrived in our database,
a true instant rather than a first of the month standing in for a day.

In a browser the feed is a readable page: an `<?xml-stylesheet?>` names /static/inspections/feed.xsl, which lays
it out and says how to subscribe; feed readers ignore it. Chromium shows `application/atom+xml` as plain text and
applies no stylesheet, so a request whose Accept names text/html (a browser opening the address) is answered as
`application/xml`, the same bytes; feed readers get Atom's own type. The two are stored apart (`Vary: Accept`).
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from inspections.domain.dates import DatePrecision
from inspections.models import Trust
from inspections.reading.national import ReportEntry, latest_reports
from inspections.web.page_cache import cached_page, no_query

FEED_ENTRIES = 50
SITE_NAME = "NHS trust inspection histories"
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
FEED_STYLESHEET = "inspections/feed.xsl"


class ReportsAtom(Atom1Feed):
    """Atom with the browser's stylesheet named before the root element and a `dc:date` on each entry."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.processingInstruction("xml-stylesheet", f'type="text/xsl" href="{static(FEED_STYLESHEET)}"')
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("date_iso"):
            handler.addQuickElement("dc:date", item["date_iso"])


def _day(entry: ReportEntry) -> datetime.datetime | None:
    """Midnight UTC of the publication day, for a report published on a known day; else None."""
    if entry.published is None or entry.precision != DatePrecision.DAY:
        return None
    return datetime.datetime.combine(entry.published, datetime.time(), tzinfo=datetime.UTC)


def summary(entry: ReportEntry) -> str:
    """'Fictional report 2018-06 (report published 1 June 2018). Whole trust: ...'; an undated report says so."""
    when = f"report published {entry.published_display}" if entry.published else entry.when[0].lower() + entry.when[1:]
    return f"{entry.title} ({when}). {entry.ratings_text}"


class ReportsFeed(Feed):
    feed_type = ReportsAtom
    title = "New CQC reports on NHS trusts"
    subtitle = "Each new Care Quality Commission report on an NHS trust we hold, with the ratings it set."
    author_name = SITE_NAME

    def link(self):
        return reverse("inspections:national")

    def items(self):
        return latest_reports(FEED_ENTRIES)

    def item_title(self, entry: ReportEntry) -> str:
        return entry.headline

    def item_description(self, entry: ReportEntry) -> str:
        return summary(entry)

    def item_link(self, entry: ReportEntry) -> str:
        return entry.url

    def item_pubdate(self, entry: ReportEntry) -> datetime.datetime | None:
        return _day(entry)

    def item_updateddate(self, entry: ReportEntry) -> datetime.datetime:
        return _day(entry) or entry.arrived_at.replace(microsecond=0)

    def item_extra_kwargs(self, entry: ReportEntry) -> dict:
        return {"date_iso": entry.date_iso}


class TrustReportsFeed(ReportsFeed):
    def get_object(self, request, trust_slug):
        return get_object_or_404(Trust, slug=trust_slug)

    def title(self, trust: Trust) -> str:
        return f"New CQC reports on {trust.name}"

    def subtitle(self, trust: Trust) -> str:
        return f"Each new Care Quality Commission report on {trust.name}, with the ratings it set."

    def link(self, trust: Trust) -> str:
        return trust.get_absolute_url()

    def items(self, trust: Trust):
        return latest_reports(FEED_ENTRIES, trust=trust)


BROWSER_TYPE = "application/xml; charset=utf-8"


def _opened_in_a_browser(request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


def _copy(request, *args, **kwargs) -> str | None:
    """The page cache's name of the copy asked for: the browser's or the feed reader's (`no_query` otherwise)."""
    if no_query(request) is None:
        return None
    return "browser" if _opened_in_a_browser(request) else "reader"


def _typed_for_browsers(feed: Feed):
    """The feed's answer, typed so a browser applies its stylesheet when a browser asks (see the module's note)."""

    def view(request, *args, **kwargs):
        response = feed(request, *args, **kwargs)
        if _opened_in_a_browser(request):
            response["Content-Type"] = BROWSER_TYPE
        return response

    return view


reports_feed = require_safe(vary_on_headers("Accept")(cached_page(_copy)(_typed_for_browsers(ReportsFeed()))))
trust_feed = require_safe(vary_on_headers("Accept")(cached_page(_copy)(_typed_for_browsers(TrustReportsFeed()))))
