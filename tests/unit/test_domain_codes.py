"""`codes.label`: the words of a code as Django's get_FOO_display() gives them, from a table built once."""

import pytest

from inspections.domain.codes import FindingKind, FindingTheme, SourceKind, TrustKind, label
from inspections.models import Finding, Source, Trust


@pytest.mark.parametrize("choices", [FindingKind, FindingTheme, SourceKind, TrustKind])
def test_every_code_has_the_words_django_gives_it(choices):
    assert [label(choices, code) for code in choices.values] == list(choices.labels)


def test_a_code_that_is_none_of_the_choices_is_shown_as_it_is():
    assert label(TrustKind, "not-a-kind") == "not-a-kind"


def test_the_models_labels_agree_with_get_display():
    finding = Finding(kind=FindingKind.values[0], theme=FindingTheme.values[-1])
    source, trust = Source(kind=SourceKind.values[-1]), Trust(kind="odd")
    assert (finding.kind_label, finding.theme_label) == (finding.get_kind_display(), finding.get_theme_display())
    assert source.kind_label == source.get_kind_display()
    assert trust.kind_label == trust.get_kind_display() == "odd"
