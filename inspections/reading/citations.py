"""How a list of sources is linked under a fact: each by its publisher, told apart where one publisher repeats."""

from dataclasses import dataclass

from inspections.models import source_url


@dataclass(frozen=True)
class CitedLink:
    url: str
    title: str
    name: str


def link_names(sources) -> list[str]:
    """What each link says: the publisher, and where one publisher appears more than once in the list, the
    year it published (then a number), so no two links with the same words lead to different sources."""
    names = [source.publisher for source in sources]
    repeated = {name for name in names if names.count(name) > 1}
    if not repeated:
        return names
    dated = [
        f"{source.publisher}, {source.published.year}" if source.publisher in repeated and source.published else name
        for source, name in zip(sources, names, strict=True)
    ]
    seen: dict[str, int] = {}
    written = []
    for name in dated:
        seen[name] = seen.get(name, 0) + 1
        written.append(f"{name} ({seen[name]})" if dated.count(name) > 1 else name)
    return written


def cited_links(sources) -> list[CitedLink]:
    """The compact links into /sources/ for Source records or the CitedSource a rating event carries."""
    return [
        CitedLink(source_url(source.code), source.title, name)
        for source, name in zip(sources, link_names(sources), strict=True)
    ]
