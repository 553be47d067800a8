"""The sources pages: every source a page at a time, by trust and kind, and each source at /sources/CODE/,
so any code in a download or a link can be looked up."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from inspections.reading import filters, selectors
from inspections.reading.selectors.sources import source_page, source_trusts
from inspections.web.page_cache import cached_page, list_page, no_query
from inspections.web.views import not_found

SOURCES_PER_PAGE = 50


@require_safe
@cached_page(list_page)
def source_list(request):
    source_filter = filters.SourceFilter(
        request.GET or None, queryset=selectors.sources_with_support(), trusts=source_trusts()
    )
    page = filters.page_of(source_filter.qs, request.GET, SOURCES_PER_PAGE)
    context = {
        "filter": source_filter,
        "is_filtered": source_filter.is_filtered,
        "page": page,
        "sources": page.object_list,
        "match_count": page.paginator.count,
        "pagination": filters.pagination(request.GET, page),
        "kinds": selectors.source_kind_guide(),
        "cqc_attribution": selectors.from_cqc_data(page.object_list),
    }
    return render(request, "inspections/source_list.html", context)


@require_safe
@cached_page(no_query)
def source_detail(request, code):
    found = source_page(code)
    if found is None:
        return not_found(request, f"We hold no source with the code “{code}”.")
    context = {"page": found, "source": found.source, "cqc_attribution": selectors.from_cqc_data([found.source])}
    return render(request, "inspections/source_detail.html", context)
