"""Open data: the /data/ page, each trust's CSV (streamed) and the whole-dataset downloads (built once per
data version by `publishing.dataset_files`, then served as files)."""

import logging

from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from inspections.domain.codes import KeyQuestion, PassageKind
from inspections.domain.rating_levels import LEVELS
from inspections.models import Trust
from inspections.publishing import dataset_files
from inspections.reading import exports
from inspections.web.page_cache import cached_page, no_query
from inspections.web.views import not_found

logger = logging.getLogger(__name__)

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
BUILDING_RETRY_SECONDS = 15


@require_safe
def trust_ratings_csv(request, trust_slug):
    """One trust's ratings, streamed: small, and always read fresh."""
    trust = Trust.objects.filter(slug=trust_slug).first()
    if trust is None:
        return not_found(request, f"We hold no trust with the address “{trust_slug}”.")
    records = exports.streamed_ratings(exports.ratings_for_export(trust))
    response = StreamingHttpResponse(
        exports.csv_lines(exports.RATINGS_HEADER, records), content_type=CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = f'attachment; filename="{trust.provider_id}-ratings.csv"'
    return response


@require_safe
def dataset_download(request, dataset, extension, gzipped=False):
    """The whole dataset as a file of known length. `gzipped` is the `.gz` address; at the plain address a
    client that accepts gzip is sent the same file compressed (Content-Encoding), which it unpacks itself."""
    encoded = not gzipped and bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))
    try:
        built = dataset_files.open_built_file(dataset, extension, gzipped=gzipped or encoded)
    except dataset_files.StillBuilding:
        return _building(request, extension)
    tag = f'"{built.version}{"-gzip" if encoded else ""}"'
    unchanged = get_conditional_response(request, etag=tag, last_modified=int(built.modified))
    if unchanged is not None:
        built.file.close()
        return unchanged
    filename = f"{dataset}.{extension}" + (".gz" if gzipped else "")
    content_type = "application/gzip" if gzipped else CONTENT_TYPES[extension]
    if request.method == "HEAD":  # the headers alone: nothing to read or send
        built.file.close()
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(built.file, content_type=content_type, as_attachment=True, filename=filename)
    response["Content-Length"] = str(built.size)
    response["ETag"] = tag
    response["Last-Modified"] = http_date(built.modified)
    if encoded:
        response["Content-Encoding"] = "gzip"  # GZipMiddleware leaves an encoded answer alone
    if not gzipped:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _building(request, extension: str):
    """503 while another request builds the file: never a partial file. JSON for JSON clients."""
    logger.info("%s is being built; answered 503 with Retry-After", request.path)
    message = "The file is being prepared from the latest data. Please try again in a few seconds."
    if extension == "jsonl" or "json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "inspections/download_building.html", {"message": message}, status=503)
    response["Retry-After"] = str(BUILDING_RETRY_SECONDS)
    response._has_been_logged = True  # expected, and logged above: not an error for Django to log
    return response


@require_safe
@cached_page(no_query)
def data(request):
    context = {
        "downloads": [
            {
                "dataset": dataset,
                "extension": extension,
                "url": reverse(f"inspections:{dataset}_{extension}"),
                "gzip_url": reverse(f"inspections:{dataset}_{extension}_gz"),
            }
            for dataset in dataset_files.DATASETS
            for extension in dataset_files.EXTENSIONS
        ],
        "ratings_header": exports.RATINGS_HEADER,
        "findings_header": exports.FINDINGS_HEADER,
        "key_questions": KeyQuestion.choices,
        "rating_levels": LEVELS,
        "passage_kinds": PassageKind.choices,
    }
    return render(request, "inspections/data.html", context)
