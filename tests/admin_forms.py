"""What the admin's change forms post, built from a saved record, for tests that edit as an editor would."""


def rating_fields(rating, **changes):
    """The rating change form as the admin posts it (its citations unchanged)."""
    data = {
        "inspection": rating.inspection_id,
        "key_question": rating.key_question,
        "scope": rating.scope,
        "service": rating.service_id or "",
        "location": rating.location_id or "",
        "value": rating.value,
        "previous_value": rating.previous_value,
        "note": rating.note,
        "editor_note": rating.editor_note,
    }
    citations = list(rating.citations.all())
    data |= {"citations-TOTAL_FORMS": len(citations), "citations-INITIAL_FORMS": len(citations)}
    data |= {"citations-MIN_NUM_FORMS": 1, "citations-MAX_NUM_FORMS": 1000}
    for row, citation in enumerate(citations):
        fields = {"id": citation.pk, "rating": rating.pk, "source": citation.source_id, "passage": citation.passage,
                  "passage_kind": citation.passage_kind}  # fmt: skip
        data |= {f"citations-{row}-{name}": value for name, value in fields.items()}
    return data | changes
