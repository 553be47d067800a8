"""Every word traceable: quotes lie inside a cited passage, passages lie inside the text we hold for their source.

The rules live in inspections/curation/traceability.py. The real-data tests load fixtures/ (`curated_readonly`);
the passage test also needs the team's shared folder beside the repository (../shared, as in CI).
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from inspections.curation import traceability
from inspections.curation.traceability import SourceTexts, normalise, quoted_spans, unsupported_quotes
from inspections.models import Citation, Finding, Rating, Source, Statement
from tests.factories import FindingFactory, InspectionFactory, SourceFactory, StatementFactory, TrustFactory

# --- The text rules --------------------------------------------------------------------------------------


def test_normalise_reads_curly_quotes_as_straight_drops_bold_and_collapses_spaces():
    assert normalise("  **Safe:**\n\u201cInadequate\u201d,  it\u2019s  ") == 'Safe: "Inadequate", it\'s'


def test_quoted_spans_finds_straight_and_curly_double_quotes_not_apostrophes():
    text = "Staff were \"caring\" and \u201cwell led\u201d; the trust's board was 'new'."
    assert quoted_spans(text) == ["caring", "well led"]


def test_a_quote_inside_a_passage_is_supported_whatever_its_quote_marks_and_spacing():
    passage = "Inspectors found the wards \u201cclean and\n well  maintained\u201d overall."
    assert unsupported_quotes('Wards were "clean and well maintained".', [passage]) == []
    assert unsupported_quotes("Wards were \u201cwell maintained\u201d.", [passage]) == []


def test_an_invented_quote_is_unsupported():
    passage = "Inspectors found the wards clean and well maintained."
    assert unsupported_quotes('The chief executive called it "a fair judgement".', [passage]) == ["a fair judgement"]
    assert unsupported_quotes('Wards were "clean".', []) == ["clean"]


def test_is_verbatim_needs_the_whole_passage_as_one_span():
    text = "The trust was rated good. Safety requires improvement."
    assert traceability.is_verbatim("rated  good. Safety", text)
    assert not traceability.is_verbatim("rated good. Safety is good", text)
    assert not traceability.is_verbatim("   ", text)


# --- The same rules on stored records (fictional data) ---------------------------------------------------


def cite(record, source, passage, kind="note"):
    values = {record._meta.model_name: record, "source": source, "passage": passage, "passage_kind": kind}
    record.citations.model.objects.create(**values)


@pytest.fixture
def fictional(db):
    """A fictional trust whose finding and statement each cite one passage."""
    trust = TrustFactory(provider_id="X9T", slug="fictional-valley", name="Fictional Valley NHS Trust")
    article = SourceFactory(code="X9-NEWS", kind="local_news", seed_file="x9_article.txt")
    notes = SourceFactory(code="X9-CQC", kind="cqc_news")
    inspection = InspectionFactory(trust=trust, slug="2015-07", sources=[notes])
    finding = FindingFactory(inspection=inspection, summary='Wards were "clean and tidy".', sources=[])
    finding.citations.all().delete()
    cite(finding, article, "The wards were clean and tidy, inspectors said.", kind="quote")
    statement = StatementFactory(inspection=inspection, summary="Said the trust would act.", sources=[])
    statement.citations.all().delete()
    cite(statement, notes, "The trust said it would act on every finding.")
    return {"finding": finding, "statement": statement, "inspection": inspection}


@pytest.fixture
def shared(tmp_path):
    """A stand-in for ../shared: one article and the research notes."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "research").mkdir()
    (tmp_path / "seeds" / "x9_article.txt").write_text("Headline\n\nThe wards were clean and tidy,\ninspectors said.")
    (tmp_path / "research" / "facts.md").write_text(
        "- **2015**: The trust said it would act on every finding. [X9-CQC]\n"
        "- Inspection covered \u201call wards\u201d."
    )
    return SourceTexts.load(tmp_path)


def test_stored_quotes_in_cited_passages_pass(fictional, shared):
    assert traceability.quote_problems(None) == []
    assert traceability.quote_problems(shared) == []


def test_planted_invented_quote_in_a_statement_is_named_by_record_and_field(fictional):
    statement = fictional["statement"]
    statement.summary = 'Called the report "a fair judgement".'
    statement.save()
    problems = traceability.quote_problems(None)
    assert [str(problem) for problem in problems] == [
        'Statement X9T/2015-07/jane-doe, summary: quote "a fair judgement" is not in a passage of a source it cites'
    ]


def test_a_quote_in_another_records_passage_does_not_count(fictional):
    """Support must come from the record's own citations, not from anything stored."""
    finding = fictional["finding"]
    finding.summary = 'The trust said it would "act on every finding".'  # the statement's passage, not the finding's
    finding.save()
    assert [problem.field for problem in traceability.quote_problems(None)] == ["summary"]


def test_quotes_in_records_without_passages_are_checked_against_their_sources_text(fictional, shared):
    inspection = fictional["inspection"]
    inspection.scope = 'It covered "all wards".'
    inspection.save()
    assert traceability.quote_problems(shared) == []
    inspection.scope = 'It covered "every ward and clinic".'
    inspection.save()
    assert [(p.record, p.field) for p in traceability.quote_problems(shared)] == [("Inspection X9T/2015-07", "scope")]
    assert traceability.quote_problems(None) == [], "without the shared folder only passage-holding records are read"


def test_passages_verbatim_in_their_article_or_the_research_notes_pass(fictional, shared):
    assert traceability.passage_problems(shared) == []
    assert traceability.missing_passages() == []


def test_a_planted_passage_not_in_its_source_text_is_named(fictional, shared):
    citation = fictional["finding"].citations.get()
    citation.passage = "The wards were spotless, inspectors said."
    citation.save()
    (problem,) = traceability.passage_problems(shared)
    assert problem.record == "Finding X9T/2015-07/" + fictional["finding"].ref
    assert "X9-NEWS: quote passage is not verbatim in x9_article.txt" in problem.message


def test_a_passage_must_be_of_the_kind_of_text_it_is_found_in(fictional, shared):
    """The source's own words lie in its article; our note of a source lies in our research notes."""
    fictional["finding"].citations.update(passage_kind="note")  # the article's words, marked as our note
    (problem,) = traceability.passage_problems(shared)
    assert "X9-NEWS: note passage is not verbatim in the research notes" in problem.message
    fictional["finding"].citations.update(passage_kind="quote")
    fictional["statement"].citations.update(passage_kind="quote")  # our research note, marked as the source's words
    (problem,) = traceability.passage_problems(shared)
    assert "X9-CQC: marked as the source's own words, but we hold no article of it" in problem.message


def test_an_article_file_we_do_not_hold_is_named(fictional, shared):
    Source.objects.filter(code="X9-NEWS").update(seed_file="missing.txt")
    (problem,) = traceability.passage_problems(shared)
    assert "the article missing.txt is not in the shared folder" in problem.message


def test_a_citation_without_a_passage_is_named(fictional):
    fictional["statement"].citations.update(passage="")
    assert [str(p) for p in traceability.missing_passages()] == [
        "Statement X9T/2015-07/jane-doe, sources: X9-CQC has no passage"
    ]


def test_check_traceability_command_fails_on_a_planted_quote_and_passes_when_clean(fictional, shared, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("check_traceability", shared=tmp_path, stdout=out, stderr=err)  # `shared` wrote into tmp_path
    assert "Every passage and quote is traceable" in out.getvalue()
    statement = fictional["statement"]
    statement.summary = 'Called it "the best trust in England".'
    statement.save()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_traceability", shared=tmp_path, stdout=out, stderr=err)
    assert 'quote "the best trust in England" is not in a passage' in err.getvalue()


# --- The real fixtures ------------------------------------------------------------------------------------


def assert_quotes_supported(texts: SourceTexts | None) -> None:
    problems = traceability.quote_problems(texts)
    assert not problems, f"{len(problems)} unsupported quote(s):\n" + "\n".join(map(str, problems))


def test_the_real_data_check_fails_on_a_planted_invented_quote(curated_readonly):
    """The check below must be able to fail: plant an invented quote in a real finding and a real statement."""
    finding = Finding.objects.filter(citations__passage__gt="").first() or Finding.objects.first()
    finding.summary += ' Staff called it "the finest ward in England".'
    finding.save()
    with pytest.raises(AssertionError, match="the finest ward in England"):
        assert_quotes_supported(None)
    statement = Statement.objects.first()
    statement.summary = 'Said the report was "a fair judgement".'
    statement.save()
    with pytest.raises(AssertionError, match="a fair judgement"):
        assert_quotes_supported(None)


def test_real_quotes_lie_inside_cited_passages_or_source_text(curated_readonly):
    """Ratings, findings and statements always; inspections, trusts, locations, sources when ../shared is here."""
    assert_quotes_supported(SourceTexts.load())


def test_real_citations_each_hold_a_passage(curated_readonly):
    problems = traceability.missing_passages()
    assert not problems, f"{len(problems)} citation(s) without a passage:\n" + "\n".join(map(str, problems))


def test_real_passages_are_verbatim_in_the_text_we_hold(curated_readonly):
    texts = SourceTexts.load()
    if texts is None:
        pytest.skip(f"{traceability.shared_folder()} (the articles and research notes) is not beside the repository")
    problems = traceability.passage_problems(texts)
    assert not problems, f"{len(problems)} passage(s) not verbatim:\n" + "\n".join(map(str, problems))


def test_every_model_citing_with_passages_is_checked():
    """A new model citing with passages must join the rules, or its quotes would go unchecked."""
    citations = [model for model in apps.get_app_config("inspections").get_models() if issubclass(model, Citation)]
    citing = {
        f.related_model for model in citations for f in model._meta.fields if f.many_to_one and f.name != "source"
    }
    assert citing == set(traceability.CITES_WITH_PASSAGES) == {Rating, Finding, Statement}
    assert set(traceability.CITES_WITH_PASSAGES) <= set(traceability.PUBLIC_TEXT_FIELDS)


def test_real_notes_say_no_more_than_their_passages(curated_readonly):
    """No rating note, finding or statement claims a rating stands, improved or fell, gives a number or names a
    service or site that its passages do not (on the fixtures before issue 20 it named 34 records)."""
    from inspections.curation.claims import claim_problems

    assert [str(problem) for problem in claim_problems()] == []


def test_real_passages_are_of_the_kind_of_text_they_are_found_in(curated_readonly):
    from inspections.models import FindingSource, RatingSource, StatementSource

    kinds = {model: set(model.objects.values_list("passage_kind", "source__seed_file")) for model in
             (RatingSource, FindingSource, StatementSource)}  # fmt: skip
    for found in kinds.values():
        assert all((kind == "quote") == bool(seed_file) for kind, seed_file in found), found
