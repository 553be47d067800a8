"""Our schema of what the import reads, proven against CQC's published schemas and against the mapping itself."""

import json

import jsonschema_rs
import pytest

from inspections.cqc.mapping import map_provider
from tests.cqc.drawn import PUBLISHED, ROOT, SCHEMA, full_document, recorded, schema_paths

SAMPLE = ROOT / "tests" / "data" / "cqc_sample"


def validator(kind: str):
    return jsonschema_rs.validator_for({**SCHEMA, "$ref": f"#/$defs/{kind}"})


def test_our_schema_is_a_json_schema():
    jsonschema_rs.meta.validate(SCHEMA)


@pytest.mark.parametrize("kind", ["provider", "location"])
def test_every_field_we_read_is_in_cqc_published_schema_with_a_compatible_type(kind):
    published = PUBLISHED[kind]
    ours = schema_paths(kind)
    assert len(ours) > 60
    missing = sorted(path for path in ours if path not in published)
    assert missing == []
    clashing = {
        path: (sorted(types), published[path])
        for path, types in ours.items()
        if published[path] != "untyped" and not types <= set(published[path].split("|"))
    }
    assert clashing == {}


def test_the_mapping_reads_no_field_our_schema_leaves_out():
    """Every key the mapping asks a body for, over a document holding every field of our schema, is in it."""
    provider_reads, location_reads = set(), set()
    provider = recorded(full_document(SCHEMA["$defs"]["provider"]), "", provider_reads)
    location = recorded(full_document(SCHEMA["$defs"]["location"]), "", location_reads)
    provider["locationIds"] = [location["locationId"]]
    records = map_provider(provider["providerId"], provider, {location["locationId"]: location})
    assert records.ratings
    assert records.assessments
    assert sorted(provider_reads - set(schema_paths("provider"))) == []
    assert sorted(location_reads - set(schema_paths("location"))) == []
    assert len(provider_reads) > 50


@pytest.mark.parametrize(
    "path", sorted([*SAMPLE.rglob("providers/*.json"), *SAMPLE.rglob("locations/*.json")]), ids=lambda p: p.name
)
def test_the_sample_snapshot_is_valid_against_our_schema(path):
    errors = list(validator(path.parent.name.removesuffix("s")).iter_errors(json.loads(path.read_text())))
    assert [error.message for error in errors] == []
