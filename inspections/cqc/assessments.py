"""Assessments under CQC's newer framework (`assessment[]`), as records.

Each `assessment[]` entry (published at `assessmentPlanPublishedDateTime`) holds `ratings.asgRatings[]`,
one per assessment plan (a group of services): its rating, its date and status, and per key question
a rating, a percentage score (spelled `percengtageScore` in CQC's schema, given as text) and the
quality statements (`topicareas[]`: `qualityStatementId`, `name`, `qualityStatementscore`, 1 to 4).
A score that is not a whole number in range is kept as nothing, with a problem; an entry with no plan
id, a key question we do not know, or a statement with no id or name is skipped, with a problem.
"""

import re

from inspections.cqc.body_reader import Reader
from inspections.cqc.mapped import AssessmentRecord, ScoreRecord, StatementRecord
from inspections.cqc.vocabulary import Word, key_question, rating_value
from inspections.domain.codes import KeyQuestion

PLAN_ID_LIMIT = 64
TEXT_LIMIT = 300
STATUS_LIMIT = 100
STATEMENT_ID_MAX = 2_147_483_647
SCORE = re.compile(r"^\s*(\d{1,3})(?:\.0+)?\s*%?\s*$")


def _whole(value, *, low: int, high: int) -> int | None:
    """A whole number from low to high, given as a number or as text ("56", "56%", "3.0"); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and SCORE.match(value):
        number = int(SCORE.match(value).group(1))
    else:
        return None
    return number if low <= number <= high else None


def _rating(reader: Reader, block: dict, path: str, *, blank_ok: bool) -> str:
    word = reader.text(block, "rating", field=f"{path}.rating", limit=100, cut=True)
    if not word:
        return "" if blank_ok else "not_rated"
    value, _note, kind = rating_value(word)
    if kind is Word.UNKNOWN:
        reader.problem(f"{path}.rating", word, "unknown rating word; kept as not rated")
    return value


def _statements(reader: Reader, block: dict, path: str) -> tuple[StatementRecord, ...]:
    found: dict[int, StatementRecord] = {}
    for item_path, item in reader.items(block, "topicareas", field=f"{path}.topicareas"):
        statement_id = _whole(item.get("qualityStatementId"), low=0, high=STATEMENT_ID_MAX)
        name = reader.text(item, "name", field=f"{item_path}.name", limit=TEXT_LIMIT, cut=True)
        if statement_id is None or not name:
            reader.problem(item_path, item.get("qualityStatementId"), "no quality statement id or name; skipped")
            continue
        if statement_id in found:
            reader.problem(f"{item_path}.qualityStatementId", statement_id, "given twice; the first kept")
            continue
        raw = item.get("qualityStatementscore")
        points = _whole(raw, low=1, high=4)
        if points is None and raw not in (None, ""):
            reader.problem(f"{item_path}.qualityStatementscore", raw, "not a score from 1 to 4; kept as no score")
        found[statement_id] = StatementRecord(statement_id, name, points)
    return tuple(found.values())


def _scores(reader: Reader, block: dict, path: str) -> tuple[ScoreRecord, ...]:
    found: dict[str, ScoreRecord] = {}
    for item_path, item in reader.items(block, "keyQuestionRatings", field=f"{path}.keyQuestionRatings"):
        question = key_question(reader.text(item, "name", field=f"{item_path}.name", limit=100, cut=True))
        if question is None or question == KeyQuestion.OVERALL:
            reader.problem(f"{item_path}.name", item.get("name"), "unknown key question; its scores not stored")
            continue
        if question in found:
            reader.problem(f"{item_path}.name", item.get("name"), "given twice; the first kept")
            continue
        raw = item.get("percengtageScore")
        percentage = _whole(raw, low=0, high=100)
        if percentage is None and raw not in (None, ""):
            reader.problem(f"{item_path}.percengtageScore", raw, "not a percentage from 0 to 100; kept as no score")
        found[question] = ScoreRecord(
            question, _rating(reader, item, item_path, blank_ok=False), percentage, _statements(reader, item, item_path)
        )
    return tuple(found.values())


def _either(reader: Reader, first: tuple[dict, str], second: tuple[dict, str], key: str, limit: int) -> str:
    """A text of the first block that gives it."""
    for block, path in (first, second):
        value = reader.text(block, key, field=f"{path}.{key}", limit=limit, cut=True)
        if value:
            return value
    return ""


def read_assessments(reader: Reader, body: dict, *, record_id: str) -> list[AssessmentRecord]:
    """Every assessment plan result a provider's or location's body gives (one per plan id)."""
    found: dict[str, AssessmentRecord] = {}
    for path, entry in reader.items(body, "assessment"):
        published = reader.moment(
            entry.get("assessmentPlanPublishedDateTime"), field=f"{path}.assessmentPlanPublishedDateTime"
        )
        ratings = reader.obj(entry, "ratings", field=f"{path}.ratings")
        for group_path, group in reader.items(ratings, "asgRatings", field=f"{path}.ratings.asgRatings"):
            plan_id = reader.text(group, "assessmentPlanId", field=f"{group_path}.assessmentPlanId")
            if not plan_id or len(plan_id) > PLAN_ID_LIMIT:
                reader.problem(
                    f"{group_path}.assessmentPlanId",
                    group.get("assessmentPlanId"),
                    "no usable assessment plan id; this assessment not stored",
                )
                continue
            if plan_id in found:
                reader.problem(f"{group_path}.assessmentPlanId", plan_id, "given twice; the first kept")
                continue
            # The plan's own date, title and status; the assessment's where the plan gives none.
            own = group if group.get("assessmentDate") else entry
            assessed = reader.date(
                own.get("assessmentDate"), field=f"{group_path if own is group else path}.assessmentDate"
            )
            found[plan_id] = AssessmentRecord(
                record_id=record_id,
                plan_id=plan_id,
                title=_either(reader, (group, group_path), (entry, path), "title", TEXT_LIMIT),
                group_name=reader.text(group, "name", field=f"{group_path}.name", limit=TEXT_LIMIT, cut=True),
                status=_either(reader, (group, group_path), (entry, path), "assessmentPlanStatus", STATUS_LIMIT),
                assessed=assessed,
                published=published,
                rating=_rating(reader, group, group_path, blank_ok=True),
                scores=_scores(reader, group, group_path),
            )
    return list(found.values())
