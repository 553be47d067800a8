"""What pages show of CQC's record beyond ratings: each report's documents, the newer assessments with their
scores and quality statements, and the parts of CQC's record an import could not read. Each in a fixed number of
queries (said in each docstring)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from inspections.domain.codes import KeyQuestion
from inspections.domain.dates import DatePrecision, format_partial_date
from inspections.domain.rating_levels import RATING_WORDS
from inspections.models import Assessment, AssessmentScore, ImportProblem, Inspection, Location, ReportDocument, Trust

QUESTION_ORDER = {code: rank for rank, code in enumerate(KeyQuestion.values)}


@dataclass(frozen=True)
class DocumentLink:
    """A document CQC publishes with a report: its address and what to call the link."""

    url: str
    label: str  # CQC's document type, e.g. "Use of Resources"; "Document" when CQC gives none


def documents_by_inspection(inspections: list[Inspection]) -> dict[int, list[DocumentLink]]:
    """Each inspection's documents, by inspection id, in the order CQC lists them (one query)."""
    found: dict[int, list[DocumentLink]] = defaultdict(list)
    rows = ReportDocument.objects.filter(inspection__in=[i.pk for i in inspections]).order_by("inspection_id", "pk")
    for inspection_id, url, kind in rows.values_list("inspection_id", "url", "kind"):
        found[inspection_id].append(DocumentLink(url, kind or "Document"))
    return dict(found)


def inspection_documents(inspection: Inspection) -> list[DocumentLink]:
    """One inspection's documents (one query)."""
    return documents_by_inspection([inspection]).get(inspection.pk, [])


@dataclass(frozen=True)
class StatementScore:
    name: str
    points: int | None
    words: str  # "Learning culture: score 2", or "Learning culture: no score in CQC's data"


@dataclass(frozen=True)
class QuestionScore:
    key_question: str
    label: str  # "Safe"
    rating: str  # our code
    rating_label: str  # "Requires improvement"
    percentage: int | None
    words: str  # "Safe: Requires improvement, score 56%" (no score: "Safe: Good")
    statements: list[StatementScore] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentView:
    """One assessment under CQC's newer framework, as a page shows it."""

    title: str
    services: str  # CQC's service group, e.g. "Urgent and emergency care"
    status: str
    assessed: str  # "3 December 2024", "" when not given
    published: str  # "12 February 2025", "" when not given
    rating: str
    rating_label: str  # "" when CQC's data gives no overall rating for it
    location_name: str  # "" for the whole trust
    scores: list[QuestionScore] = field(default_factory=list)


def _view(assessment: Assessment) -> AssessmentView:
    scores = []
    for score in sorted(assessment.scores.all(), key=lambda s: QUESTION_ORDER.get(s.key_question, 99)):
        label, rating_label = KeyQuestion(score.key_question).label, RATING_WORDS[score.rating]
        percentage = f", score {score.percentage}%" if score.percentage is not None else ""
        statements = [
            StatementScore(
                s.name, s.points, f"{s.name}: score {s.points}" if s.points else f"{s.name}: no score in CQC's data"
            )
            for s in score.statements.all()
        ]
        scores.append(
            QuestionScore(
                score.key_question,
                label,
                score.rating,
                rating_label,
                score.percentage,
                f"{label}: {rating_label}{percentage}",
                statements,
            )
        )
    published = assessment.published.date() if assessment.published else None
    return AssessmentView(
        title=assessment.title,
        services=assessment.group_name,
        status=assessment.status,
        assessed=format_partial_date(assessment.assessed, DatePrecision.DAY),
        published=format_partial_date(published, DatePrecision.DAY),
        rating=assessment.rating,
        rating_label=RATING_WORDS[assessment.rating] if assessment.rating else "",
        location_name=assessment.location.name if assessment.location_id else "",
        scores=scores,
    )


def _assessments(queryset) -> list[AssessmentView]:
    statements = Prefetch("scores", queryset=AssessmentScore.objects.prefetch_related("statements"))
    rows = queryset.select_related("location").prefetch_related(statements).order_by("-assessed", "plan_id")
    return [_view(assessment) for assessment in rows]


def site_assessments(location: Location) -> list[AssessmentView]:
    """A site's assessments, latest first, with their scores and quality statements (three queries)."""
    return _assessments(Assessment.objects.filter(location=location))


def trust_assessments(trust: Trust) -> list[AssessmentView]:
    """The assessments of a trust and its sites, latest first, each saying which site (three queries)."""
    return _assessments(Assessment.objects.filter(trust=trust))


@dataclass(frozen=True)
class UnreadRecord:
    """The parts of CQC's record the last import of a trust could not read as they stood."""

    count: int
    words: str  # the plain sentence for the trust page; "" when there is nothing to say
    problems: list[ImportProblem] = field(default_factory=list)  # for editors: where, which field, what value


def unread_record(trust: Trust) -> UnreadRecord:
    """What the trust page says when part of CQC's record could not be read (one query)."""
    problems = list(ImportProblem.objects.filter(trust=trust).order_by("record", "field", "pk"))
    if not problems:
        return UnreadRecord(0, "")
    seen = format_partial_date(max(problem.seen for problem in problems), DatePrecision.DAY)
    parts = "1 part" if len(problems) == 1 else f"{len(problems)} parts"
    words = (
        f"Part of CQC's record for this trust could not be read when it was last imported (CQC's data of {seen}): "
        f"{parts} left out or kept as not rated."
    )
    return UnreadRecord(len(problems), words, problems)
