"""Thin views: each gathers one explicit context from selectors, charts and tables (never the ORM itself)."""

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from inspections.domain.codes import QUALITY_QUESTIONS, KeyQuestion, Origin, Scope
from inspections.domain.standing import standing, undated_reports
from inspections.domain.subjects import TRUST, at_location
from inspections.domain.timeline import Window, default_window
from inspections.publishing.kept_shares import peer_shares
from inspections.publishing.national_figures import national_figures
from inspections.reading import charts, comparison, filters, search, selectors
from inspections.reading.forms import cache_name, window_from_query
from inspections.reading.grid import folds, grid_without_filler
from inspections.reading.tables import TrustTable
from inspections.web.page_cache import cached_page, list_page, no_query
from inspections.web.rating_styles import rating_level_css

if TYPE_CHECKING:
    from inspections.models import Location


def not_found(request, message: str):
    """The site's own 404 page (also with DEBUG on, unlike Http404)."""
    return render(request, "404.html", {"message": message}, status=404)


def page_not_found(request, exception):
    return not_found(request, "There is no page at this address.")


@require_safe
@cached_page(list_page)
def trust_list(request):
    regions = selectors.trust_regions()
    trust_filter = filters.TrustFilter(
        request.GET or None, queryset=selectors.trusts_with_current_overall(), regions=regions
    )
    query = trust_filter.search_query
    # A search, unless sorted by a column, lists best matches first (search.best_first), as the API does.
    best_first = query and not request.GET.get("sort")
    trusts = search.best_first(trust_filter.qs, query, "name") if best_first else trust_filter.qs
    table = TrustTable(trusts, empty_text="No trust we hold matches this search.", order_by=() if best_first else None)
    RequestConfig(request, paginate=False).configure(table)
    filters.paginate_table(table, request.GET)
    shown = [row.record for row in table.page.object_list]
    table.matched_locations = search.locations_matching_by_trust(query, [trust.pk for trust in shown])
    context = {
        "table": table,
        "trusts": shown,
        "standings": selectors.overall_standings([trust.pk for trust in shown]),
        "filter": trust_filter,
        "show_region_filter": bool(regions),
        "query": query,
        "is_filtered": trust_filter.is_filtered,
        "match_count": table.paginator.count,
        "page": table.page,
        "pagination": filters.pagination(request.GET, table.page),
        "cqc_attribution": selectors.list_shows_cqc_data(
            shown, [location for found in table.matched_locations.values() for location in found]
        ),
    }
    return render(request, "inspections/trust_list.html", context)


def _window_name(request, *args, **kwargs) -> str | None:
    """The default view and the years 2015 to 2024 are stored (web/page_cache.py); any other window is built."""
    return cache_name(request.GET)


@require_safe
@cached_page(_window_name)
def trust_detail(request, trust_slug):
    return _trust_page(request, trust_slug, timezone.localdate())


def _window_choice(request, inspections, today):
    """The years to show: the default runs to the latest year with a report held, never ending before today's rating."""
    bounds = selectors.year_bounds(inspections)
    return window_from_query(
        request.GET,
        today=today,
        default=default_window(selectors.latest_report_year(inspections)),
        full_history=Window(*bounds) if bounds else None,
    )


def _trust_page(request, trust_slug, today):
    trust = selectors.trust_at(trust_slug)
    if trust is None:
        return not_found(request, f"We hold no trust with the address “{trust_slug}”.")
    inspections = selectors.trust_inspections(trust)
    citations = selectors.trust_citations(trust)
    events = selectors.trust_events(trust, inspections, citations)
    choice = _window_choice(request, inspections, today)
    window = choice.window
    grid = selectors.ratings_grid(events)
    facts = selectors.trust_facts(trust, citations)
    imported = selectors.from_cqc_data([trust, *inspections, *events])
    closures = selectors.closures(trust, [location for location, _ in facts.locations])
    context = {
        "trust": trust,
        "standing": standing(e for e in events if e.subject == TRUST and e.key_question == KeyQuestion.OVERALL),
        "facts": facts,
        "rating_age": national_figures().trusts.age_line(trust.pk),
        "latest_report": selectors.latest_report_held(inspections),
        "grid": grid,
        "grid_display": grid_without_filler(grid),
        "undated_reports": undated_reports(events),
        "window_choice": choice,
        "window": window,
        "trust_chart": charts.trust_timeline(events, window, closures),
        "subject_charts": [
            chart
            for chart in (
                charts.resources_timeline(events, window, closures),
                charts.subject_timeline(events, window, Scope.SERVICE, "Core services", closures),
                charts.subject_timeline(events, window, Scope.LOCATION, "Hospitals and sites", closures),
            )
            if chart
        ],
        "inspection_rows": selectors.inspection_rows(inspections),
        "findings_by_inspection": selectors.findings_by_inspection(trust, inspections, citations),
        "sources": citations.sources,
        "folded": {
            "locations": folds(facts.locations),
            "leaders": folds(facts.leaders),
            "sources": folds(citations.sources),
        },
        "peers": peer_shares(trust, range(window.from_year, window.to_year + 1), today),
        "cqc_attribution": imported,
        "closed": selectors.closed_words(trust),
        # Only CQC's data holds these (two queries), so a trust that holds none of it does not ask.
        "unread": selectors.unread_record(trust) if imported else None,
        "moved_away": selectors.sites_moved_away(trust) if imported else [],
    }
    return render(request, "inspections/trust_detail.html", context)


def location_charts(events, window: Window, location: "Location") -> list[charts.Chart]:
    """The location's own key questions as strips, then its core services as bands (to its closing, if it closed)."""
    title = f"{location.name}: ratings in force, {window.from_year} to {window.to_year}"
    closures = selectors.closures(location.trust, [location])
    own = charts.key_question_timeline(
        events, window, subject=at_location(location.slug), element_id="chart-location", title=title, closures=closures
    )
    services = charts.subject_timeline(events, window, Scope.SERVICE, f"Core services at {location.name}", closures)
    return [chart for chart in (own if own.summary and own.table else None, services) if chart]


@require_safe
@cached_page(_window_name)
def location_detail(request, trust_slug, location_slug):
    location = selectors.location_at(trust_slug, location_slug)
    if location is None:
        return not_found(request, "We hold no hospital or site at this address.")
    today = timezone.localdate()
    record = selectors.location_record(location)
    choice = _window_choice(request, record.inspections, today)
    grid = selectors.location_grid(record.events)
    grid_display = grid_without_filler(grid)
    own = [e for e in record.events if e.subject == at_location(location.slug)]
    context = {
        "trust": location.trust,
        "location": location,
        "address": [part for part in (location.address, location.town, location.postcode) if part],
        "standing": standing(e for e in own if e.key_question == KeyQuestion.OVERALL),
        "rating_age": national_figures().sites.age_line(location.pk),
        "latest_report": selectors.latest_report_held(record.inspections),
        "grid": grid,
        "grid_display": grid_display,
        "grid_groups": grid_display.grouped("this site", "core services rated here"),
        "undated_reports": undated_reports(record.events),
        "window_choice": choice,
        "window": choice.window,
        "charts": location_charts(record.events, choice.window, location),
        "inspection_rows": selectors.inspection_rows(record.inspections),
        # A column of CQC's reports only where some report's address is held (CQC's data gives one each).
        "report_column": any(inspection.report_url for inspection in record.inspections),
        "sources": record.sources,
        "cqc_attribution": record.from_cqc_data,
        "closed": selectors.closed_words(location),
        # Only CQC's data holds these (at most eight queries), so a site that holds none of it does not ask.
        "related": selectors.site_relationships(location) if record.from_cqc_data else [],
        "moves": selectors.site_moves(location) if record.from_cqc_data else [],
        "assessments": selectors.site_assessments(location) if record.from_cqc_data else [],
    }
    return render(request, "inspections/location_detail.html", context)


@require_safe
@cached_page(no_query)
def inspection_detail(request, trust_slug, inspection_slug):
    inspection = selectors.inspection_at(trust_slug, inspection_slug)
    if inspection is None:
        return not_found(request, "We hold no inspection at this address.")
    detail = selectors.inspection_detail(inspection)
    context = {
        "trust": inspection.trust,
        "inspection": inspection,
        "detail": detail,
        "documents": selectors.inspection_documents(inspection) if inspection.cqc_report_link_id else [],
        "cqc_attribution": inspection.origin == Origin.CQC_API
        or any(rating.origin == Origin.CQC_API for rating in detail.ratings),
    }
    return render(request, "inspections/inspection_detail.html", context)


@require_safe
def rating_level_styles(request):
    """The CSS custom properties of every rating level; its address carries the table's version, so browsers keep
    it for good."""
    response = HttpResponse(rating_level_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_safe
@cached_page(no_query)
def accessibility(request):
    return render(request, "inspections/accessibility.html", {})


def _compare_name(request, *args, **kwargs) -> str | None:
    """The picker alone, or the set of trusts asked for (in the order asked: it is the columns' order)."""
    slugs = request.GET.getlist("trust")
    if set(request.GET) - {"trust"} or len(slugs) > comparison.MAX_TRUSTS:
        return None
    return "compare:" + ",".join(slugs)


@require_safe
@cached_page(_compare_name)
def compare(request):
    """Two to four trusts side by side. With fewer chosen (say one, from its trust page), the picker;
    with a choice that cannot be used, the picker saying what was wrong, as a 400."""
    slugs = [slug for slug in request.GET.getlist("trust") if slug]
    form = comparison.CompareForm({"trust": slugs} if len(slugs) >= comparison.MIN_TRUSTS else None)
    trust_choices = selectors.trust_choices()
    context = {
        "form": form,
        "trust_choices": trust_choices,
        "pickers": [  # (number, the slug chosen there, the element's id)
            (number, (slugs + [""] * comparison.MAX_TRUSTS)[number - 1], f"compare-trust-{number}")
            for number in range(1, comparison.MAX_TRUSTS + 1)
        ],
    }
    if not form.is_bound:
        context["too_few"] = len(slugs) == 1  # from a trust page: say how many more, not an error
        return render(request, "inspections/compare.html", context)
    if not form.is_valid():
        return render(request, "inspections/compare.html", context, status=400)
    compared = comparison.compared_trusts(form.cleaned_data["trust"])
    choice = comparison.compare_window(compared, request.GET, today=timezone.localdate())
    window = choice.window
    context |= {
        "window_choice": choice,
        "window": window,
        "cqc_attribution": selectors.from_cqc_data([event for item in compared for event in item.events]),
        "compared": compared,
        "grid_rows": [
            (label, [item.cell(index) for item in compared])
            for index, (code, label) in enumerate(KeyQuestion.choices)
            if code in QUALITY_QUESTIONS or any(item.current[index] for item in compared)
        ],
        "charts": charts.compare_timelines([(item.trust.name, item.events) for item in compared], window),
    }
    return render(request, "inspections/compare.html", context)
