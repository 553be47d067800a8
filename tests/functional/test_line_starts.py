"""No line of a public page starts with the punctuation that joins it to the line before (issue 28): a list of sources
in a grid cell wrapped so "; BBC News" began a line, and /sources/'s count line began ", showing 1 to 50"."""

import pytest

from .conftest import _new_page
from .pages import open_page, public_pages

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 812}}

# Text that begins with ";" or "," (after spaces) and is drawn below everything before it, so it opens a line. What
# came before is the nearest earlier sibling with a box, walking up to the parent when a node has none.
LINES_STARTING_WITH_JOINERS = r"""() => {
  const lastBox = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (!node.textContent.trim()) return null;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      return rects[rects.length - 1] || null;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const rects = [...node.getClientRects()].filter((r) => r.width > 0);
    return rects[rects.length - 1] || null;
  };
  const before = (node) => {
    for (let at = node; at && at !== document.body; at = at.parentNode) {
      for (let sibling = at.previousSibling; sibling; sibling = sibling.previousSibling) {
        const box = lastBox(sibling);
        if (box) return box;
      }
    }
    return null;
  };
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.search(/\S/);
    if (at < 0 || !';,'.includes(node.textContent[at]) || !node.parentElement.offsetParent) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    const mark = range.getBoundingClientRect();
    const previous = before(node);
    if (mark.height && previous && mark.top >= previous.bottom - 2) {
      found.push(node.parentElement.closest('td, th, p, li, h2, div').textContent.trim().slice(0, 80));
    }
  }
  return found;
}"""


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser, browser_log):
    context, page = _new_page(browser, browser_log, viewport=SIZES[request.param], is_mobile=request.param == "phone")
    yield request.param, page
    context.close()


def test_no_line_starts_with_a_joining_comma_or_semicolon(sized_page, browser_log, curated_data):
    size, page = sized_page
    problems = {}
    for public_page in public_pages():
        open_page(page, browser_log, public_page)
        if found := page.evaluate(LINES_STARTING_WITH_JOINERS):
            problems[public_page.path] = found
    assert problems == {}, f"{size}: {problems}"
    browser_log.assert_clean()
