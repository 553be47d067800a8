"""Addresses of sources: CQC's own, how a copy elsewhere is named (one home for "is this on CQC's website?"),
and the redirect wrappers no source address may be.

A provider's or location's public page on CQC's website is at a stable address built from the id we hold
(`https://www.cqc.org.uk/provider/RWE`, `.../location/RWEAK`), so every trust and site with an id can link it
without an address in our sources. A CQC document held on another site (vdocuments.mx, careersdocbox.com) is
a copy: readers are told so and where, never shown it as CQC's own. A redirect wrapper
(`news.free-list.org/redirect.php?https://www.leicestermercury.co.uk/...`) hides where a source is: a curated
source gives the address it wraps.
"""

import re
from urllib.parse import unquote, urlsplit

from inspections.domain.codes import SourceKind

CQC_DOMAIN = "cqc.org.uk"

#: What a copy elsewhere is a copy of, by the kind of CQC source it is.
CQC_ORIGINALS = {
    SourceKind.CQC_REPORT: "CQC's report",
    SourceKind.CQC_NEWS: "CQC's press release",
    SourceKind.CQC_WEB: "CQC's web page",
    SourceKind.CQC_DATA: "CQC's data",
}


def cqc_page(record_id: str, *, provider: bool) -> str:
    """The provider's (trust's) or location's (site's) public page on CQC's website."""
    return f"https://www.{CQC_DOMAIN}/{'provider' if provider else 'location'}/{record_id}"


def host_of(url: str) -> str:
    """The address's host as readers know it: lower case, without a leading `www.`."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def on_cqc_site(url: str) -> bool:
    """Whether the address is on CQC's own website (cqc.org.uk or one of its subdomains)."""
    host = host_of(url)
    return host == CQC_DOMAIN or host.endswith(f".{CQC_DOMAIN}")


def copy_elsewhere(kind: str, url: str) -> str:
    """For a CQC document whose address is on another site, what it is ("a copy of CQC's report, on
    vdocuments.mx"); empty for an address on CQC's website, no address, or a source that is not CQC's."""
    original = CQC_ORIGINALS.get(kind)
    if not original or not url or on_cqc_site(url):
        return ""
    return f"a copy of {original}, on {host_of(url)}"


_WRAPPED = re.compile(r"(?:^|[=&])(https?(?::|%3A)(?:/|%2F){2}.+)", re.IGNORECASE)


def wrapped_address(url: str) -> str:
    """The address a redirect wrapper leads to (an address in the query of another, as
    `redirect.php?https://...` or `?url=https%3A%2F%2F...`); empty for an ordinary address."""
    found = _WRAPPED.search(urlsplit(url).query)
    return unquote(found.group(1)) if found else ""
