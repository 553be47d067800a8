"""Answers that say which data they show: every GET and HEAD carries the data version as its ETag, and a
client that sends it back in If-None-Match gets 304 Not Modified, with no body and no query beyond reading
the version, until the data changes."""

from django.views.decorators.http import etag
from ninja.decorators import decorate_view

from inspections.changes.version import data_version

#: The methods of every read: HEAD answers as GET does, headers (ETag included) without the body.
READ = ["GET", "HEAD"]

revalidated = decorate_view(etag(lambda request, *args, **kwargs: data_version()))
