"""Atom feeds of new reports (Django's syndication framework): across all trusts, and for each trust.

Entries are the latest reports with a known publication date, newest first (reading.national.latest_reports, as the
national page lists them), so reports brought in by an import appear without more work. Each names the trust and the
ratings the report set, and links to the inspection's page. The data version is the ETag: a reader that sends it
back in If-None-Match gets 304 until the data changes.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import etag, require_safe

from inspections.changes.version import data_version
from inspections.models import Trust
from inspections.reading.national import ReportEntry, latest_reports

FEED_ENTRIES = 50
SITE_NAME = "NHS trust inspection histories"


def _published(entry: ReportEntry) -> datetime.datetime:
    """Midnight UTC of the publication day (CQC publishes dates, not times)."""
    return datetime.datetime.combine(entry.published, datetime.time(), tzinfo=datetime.UTC)


class ReportsFeed(Feed):
    feed_type = Atom1Feed
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
        return f"{entry.title} (report published {entry.published_display}). {entry.ratings_text}"

    def item_link(self, entry: ReportEntry) -> str:
        return entry.url

    def item_pubdate(self, entry: ReportEntry) -> datetime.datetime:
        return _published(entry)

    def item_updateddate(self, entry: ReportEntry) -> datetime.datetime:
        return _published(entry)


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


def _trust_version(request, trust_slug):
    """No ETag for a trust we do not hold, so its feed answers 404, never 304."""
    return data_version() if Trust.objects.filter(slug=trust_slug).exists() else None


reports_feed = require_safe(etag(lambda request: data_version())(ReportsFeed()))
trust_feed = require_safe(etag(_trust_version)(TrustReportsFeed()))
