"""Thin views: each gathers one explicit context from selectors, charts and tables."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from . import charts, exports, selectors
from .models import Inspection, KeyQuestion, Trust
from .tables import InspectionTable, RatingTable, SourceTable, TrustTable
from .timeline import undated_reports


def not_found(request, message: str):
    """The site's own 404 page (also with DEBUG on, unlike Http404)."""
    return render(request, "404.html", {"message": message}, status=404)


def page_not_found(request, exception):
    return not_found(request, "There is no page at this address.")


@require_safe
def trust_list(request):
    table = TrustTable(selectors.trusts_with_current_overall())
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "inspections/trust_list.html", {"table": table})


@require_safe
def trust_detail(request, trust_slug):
    trust = Trust.objects.filter(slug=trust_slug).first()
    if trust is None:
        return not_found(request, f"We hold no trust with the address “{trust_slug}”.")
    today = timezone.localdate()
    window, window_ignored = charts.parse_window(request.GET, today)
    events = selectors.rating_events(trust)
    inspections = selectors.trust_inspections(trust)
    bounds = selectors.year_bounds(inspections)
    context = {
        "trust": trust,
        "facts": selectors.trust_facts(trust),
        "data_as_of": selectors.data_as_of(inspections),
        "key_questions": KeyQuestion.choices,
        "grid": selectors.ratings_grid(events),
        "undated_reports": undated_reports(events),
        "window": window,
        "window_ignored": window_ignored,
        "year_limits": (charts.EARLIEST_ALLOWED_YEAR, charts.latest_allowed_year(today)),
        "default_window": charts.DEFAULT_WINDOW,
        "full_history": charts.ChartWindow(*bounds) if bounds else None,
        "trust_chart": charts.trust_timeline(events, window),
        "subject_charts": [
            chart
            for chart in (
                charts.subject_timeline(events, window, "service", "Core services"),
                charts.subject_timeline(events, window, "location", "Hospitals and sites"),
            )
            if chart
        ],
        "inspection_table": InspectionTable(inspections),
        "findings_by_inspection": selectors.findings_by_inspection(trust, inspections),
        "sources": selectors.sources_cited_for_trust(trust),
    }
    return render(request, "inspections/trust_detail.html", context)


@require_safe
def inspection_detail(request, trust_slug, inspection_slug):
    inspection = Inspection.objects.select_related("trust").filter(trust__slug=trust_slug, slug=inspection_slug).first()
    if inspection is None:
        return not_found(request, "We hold no inspection at this address.")
    detail = selectors.inspection_detail(inspection)
    context = {
        "trust": inspection.trust,
        "inspection": inspection,
        "detail": detail,
        "rating_table": RatingTable(detail.ratings),
    }
    return render(request, "inspections/inspection_detail.html", context)


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


@require_safe
def source_list(request):
    table = SourceTable(selectors.sources_with_support())
    return render(request, "inspections/source_list.html", {"table": table})


@require_safe
def accessibility(request):
    return render(request, "inspections/accessibility.html", {})
