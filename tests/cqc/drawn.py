"""Our schema of what the import reads (inspections/cqc/schema.json): its paths, and documents drawn from it.

A document is drawn field by field from the schema: every field may be missing; texts come from the schema's
CQC-like `examples` or are odd (empty, blank, very long, an impossible date, a word in other case, an unknown
word); lists hold up to three items drawn from small pools, so the same report id, date or site turns up twice.
"""

import json
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "inspections" / "cqc" / "schema.json").read_text())
PUBLISHED = json.loads((Path(__file__).with_name("cqc_published_paths.json")).read_text())

ODD_TEXT = [
    "",
    " ",
    "x" * 260,
    "Fictional \u00dcn\u00efc\u00f6d\u00e9 \u2713",
    "2019-02-30",
    "3023-01-01",
    "1999-12-31",
    "last spring",
    "20190620",
    "GOOD",
    "good ",
    "Well led",
    "Kind",
    "Under review",
    "1-23",
    "../x",
    "/reports/../../x",
    "https://elsewhere.example/x",
    "56.0",
    "101",
    "-1",
    "3.5",
]


def resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def types_of(node: dict) -> set[str]:
    kind = resolve(node).get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def schema_paths(kind: str) -> dict[str, set[str]]:
    """Every path our schema names for a provider or location body ('[]' for an array's items), with its types."""
    found: dict[str, set[str]] = {}

    def walk(node: dict, path: str) -> None:
        node = resolve(node)
        if path:
            found[path] = types_of(node)
        for name, child in node.get("properties", {}).items():
            walk(child, f"{path}.{name}" if path else name)
        if "items" in node:
            walk(node["items"], f"{path}[]")

    walk(SCHEMA["$defs"][kind], "")
    return found


MISSING = object()


def mostly(likely, unlikely, *, odds: int = 6):
    """`likely` about `odds` times in `odds` + 1, else `unlikely` (one_of would pick each about as often)."""
    return st.sampled_from([True] * odds + [False]).flatmap(lambda keep: likely if keep else unlikely)


def _text(node: dict):
    examples = node.get("examples") or []
    odd = st.sampled_from(ODD_TEXT)
    if not examples:
        return odd
    return mostly(st.sampled_from([e for e in examples if isinstance(e, str)]), odd, odds=4)


def strategy(node: dict):
    """Values valid against the schema node, CQC-like and odd."""
    node = resolve(node)
    options = []
    for kind in sorted(types_of(node)):
        if kind == "object":  # each field there most of the time, missing sometimes
            fields = {name: mostly(strategy(child), st.just(MISSING)) for name, child in node["properties"].items()}
            options.append(
                st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not MISSING})
            )
        elif kind == "array":
            options.append(st.lists(strategy(node["items"]), max_size=2))
        elif kind == "string":
            options.append(_text(node))
        elif kind == "number":
            numbers = [e for e in node.get("examples", []) if isinstance(e, int | float)]
            options.append(st.sampled_from(numbers) | st.floats(-500, 500, allow_nan=False, allow_infinity=False))
        elif kind == "integer":
            numbers = [e for e in node.get("examples", []) if isinstance(e, int)]
            options.append(st.sampled_from(numbers) | st.integers(-3, 10**12))
    return st.one_of(*options)


PROVIDER, LOCATION = strategy(SCHEMA["$defs"]["provider"]), strategy(SCHEMA["$defs"]["location"])  # built once


@st.composite
def provider_with_sites(draw, provider_id: str = "ZZ9"):
    """A provider body and the bodies of the sites it lists, mostly agreeing on their ids, sometimes not."""
    provider = draw(PROVIDER)
    if draw(mostly(st.just(True), st.just(False), odds=9)):
        provider["providerId"] = provider_id
    locations = {}
    ids = provider.get("locationIds")
    for location_id in ids if isinstance(ids, list) else []:
        if not isinstance(location_id, str) or location_id in locations:
            continue
        body = draw(LOCATION)
        if draw(mostly(st.just(True), st.just(False), odds=4)):
            body.update(locationId=location_id, providerId=provider_id)
        locations[location_id] = body
    return json.loads(json.dumps(provider)), json.loads(json.dumps(locations))  # as JSON would carry them


def full_document(node: dict):
    """One document holding every field the schema names (first example values; objects where a field may be either)."""
    node = resolve(node)
    kinds = types_of(node)
    if "object" in kinds:
        return {name: full_document(child) for name, child in node.get("properties", {}).items()}
    if "array" in kinds:
        return [full_document(node["items"])]
    examples = node.get("examples") or []
    if "string" in kinds:
        return next((e for e in examples if isinstance(e, str)), "Fictional")
    return next((e for e in examples if isinstance(e, int | float)), 1)


class Recorded(dict):
    """A JSON object that notes the path of every key read from it (get, [] and in), '[]' for list items."""

    def __init__(self, data: dict, path: str, reads: set[str]):
        super().__init__({key: recorded(value, f"{path}.{key}" if path else key, reads) for key, value in data.items()})
        self._path, self._reads = path, reads

    def _note(self, key) -> None:
        self._reads.add(f"{self._path}.{key}" if self._path else str(key))

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


def recorded(value, path: str, reads: set[str]):
    if isinstance(value, dict):
        return Recorded(value, path, reads)
    if isinstance(value, list):
        return [recorded(item, f"{path}[]", reads) for item in value]
    return value
