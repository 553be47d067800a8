"""Open data: the /data/ page, each trust's CSV and the whole-dataset downloads (CSV and JSON Lines)."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from inspections.models import Trust
from inspections.reading import exports
from inspections.web.views import not_found


@require_safe
def trust_ratings_csv(request, trust_slug):
    trust = Trust.objects.filter(slug=trust_slug).first()
    if trust is None:
        return not_found(request, f"We hold no trust with the address “{trust_slug}”.")
    records = exports.streamed(exports.ratings_for_export(trust), exports.rating_record)
    return _download(exports.csv_lines(exports.RATINGS_HEADER, records), f"{trust.provider_id}-ratings.csv")


#: Whole-dataset downloads: (queryset builder, row builder, header) by name.
DATASETS = {
    "ratings": (exports.ratings_for_export, exports.rating_record, exports.RATINGS_HEADER),
    "findings": (exports.findings_for_export, exports.finding_record, exports.FINDINGS_HEADER),
}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def _download(lines, filename: str) -> StreamingHttpResponse:
    """A streamed attachment: rows are written as they are read, never gathered in memory."""
    extension = filename.rsplit(".", 1)[1]
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def dataset_download(request, dataset, extension):
    queryset, to_record, header = DATASETS[dataset]
    records = exports.streamed(queryset(), to_record)
    lines = exports.csv_lines(header, records) if extension == "csv" else exports.jsonl_lines(records)
    return _download(lines, f"{dataset}.{extension}")


@require_safe
def data(request):
    context = {
        "downloads": [
            {"dataset": dataset, "extension": extension, "url": reverse(f"inspections:{dataset}_{extension}")}
            for dataset in DATASETS
            for extension in CONTENT_TYPES
        ],
        "ratings_header": exports.RATINGS_HEADER,
        "findings_header": exports.FINDINGS_HEADER,
    }
    return render(request, "inspections/data.html", context)
