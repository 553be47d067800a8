"""Tables fit their box (issue 28): every inspection page of both curated trusts shows its tables whole at 1366 px and
375 px, with no sideways scroll (the Note column was cut to a letter or two on 13 of 22 pages), and the level of a
rating takes at most three lines; on every public page type no cell's content spills out of its cell."""

import pytest

from inspections.models import Inspection

from .conftest import _new_page
from .pages import PublicPage, open_page, public_pages

pytestmark = pytest.mark.slow  # a sweep (README: make test runs it; -m 'not slow' skips it)

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 812}}

# Tables wider than the box they scroll in, ignoring those in a closed <details> (they have no width until opened).
OVERFLOWING_TABLES = """() => [...document.querySelectorAll('table')].filter((table) => table.offsetParent !== null)
  .map((table) => ({box: table.parentElement, caption: table.caption ? table.caption.textContent.trim() : ''}))
  .filter(({box}) => box.scrollWidth > box.clientWidth + 1)
  .map(({box, caption}) => `${caption}: ${box.scrollWidth}px in ${box.clientWidth}px`)"""

# Cells whose content reaches past the cell's own edges (text running under the next column); a header row kept for
# screen readers only (1px wide, clipped) is not shown.
SPILLING_CELLS = """() => [...document.querySelectorAll('td, th')]
  .filter((cell) => cell.offsetParent !== null && cell.closest('thead, tbody, table').getBoundingClientRect().width > 1)
  .filter((cell) => {
    const edge = cell.getBoundingClientRect();
    return [...cell.querySelectorAll('*')].some((part) => {
      const box = part.getBoundingClientRect();
      return box.width > 0 && (box.right > edge.right + 1 || box.left < edge.left - 1);
    });
  }).map((cell) => cell.textContent.trim().slice(0, 60))"""

# The most lines a rating's level (the row heading's text) takes in the report's table.
LEVEL_LINES = """() => Math.max(0, ...[...document.querySelectorAll('.rating-list tbody th')].map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set([...range.getClientRects()].map((line) => Math.round(line.top))).size;
}))"""


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser, browser_log):
    context, page = _new_page(browser, browser_log, viewport=SIZES[request.param], is_mobile=request.param == "phone")
    yield request.param, page
    context.close()


def test_every_inspection_page_shows_its_tables_whole(sized_page, browser_log, curated_data):
    size, page = sized_page
    paths = [inspection.get_absolute_url() for inspection in Inspection.objects.order_by("trust__slug", "slug")]
    assert len(paths) >= 20
    problems = {}
    for path in paths:
        open_page(page, browser_log, PublicPage(path))
        found = page.evaluate(OVERFLOWING_TABLES) + page.evaluate(SPILLING_CELLS)
        if size == "desktop" and page.evaluate(LEVEL_LINES) > 3:
            found.append(f"a level takes {page.evaluate(LEVEL_LINES)} lines")
        if found:
            problems[path] = found
    assert problems == {}, f"{size}: {problems}"
    browser_log.assert_clean()


def test_no_cell_spills_out_of_its_cell_on_any_public_page(sized_page, browser_log, curated_data):
    size, page = sized_page
    problems = {}
    for public_page in public_pages():
        open_page(page, browser_log, public_page)
        if spilled := page.evaluate(SPILLING_CELLS):
            problems[public_page.path] = spilled
    assert problems == {}, f"{size}: {problems}"
    browser_log.assert_clean()
