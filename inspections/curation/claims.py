"""Claims that say more than their passages: the part of "every word traceable" that a program can check.

A rating note, finding or statement says only what the passages it cites say. Three kinds of overreach can be
found without reading for meaning:

- a note that says a rating stands, improved or fell must cite a passage that says so, or (for a rating) be
  shown by the rating itself: its stated previous value and its value;
- every number in the text must appear in one of its passages, except the year of a source it cites or of its
  own inspection (which a reader sees beside it);
- every core service or site named in the text must be named in one of its passages (or, for a rating note, be
  what the rating is about, or be named in its inspection's title, as in "this maternity inspection").

`ALLOWED_TERMS` lists the few phrases of CQC's own vocabulary that contain a number or a service's name without
claiming anything, and `SHORT_NAMES` the abbreviations our research notes use for names (both reviewed by hand;
keep them short).
"""

import re
from collections.abc import Iterable

from inspections.curation.traceability import Problem, normalise, record_label
from inspections.domain.rating_levels import SCALE_POSITION
from inspections.models import CoreService, Finding, Location, Rating, Statement

#: Phrases that hold a number or a service name as part of CQC's or the law's own names, not as a claim.
ALLOWED_TERMS = (
    "requires improvement",  # a rating, not a claim that something improved
    "section 29a",  # the Health and Social Care Act 2008's warning notice
    "section 31",  # ... and its urgent conditions
    "health and social care act 2008",
    "regulation",  # "regulation 12" and the like name the law broken
)
ALLOWED = re.compile("|".join(re.escape(term) + (r" ?\d*" if term == "regulation" else "") for term in ALLOWED_TERMS))
NUMBER = re.compile(r"\d+")
#: Names as our research notes abbreviate them.
SHORT_NAMES = {
    "urgent and emergency care": ("uec",),
    "leicester royal infirmary": ("lri",),
    "leicester general hospital": ("lgh",),
    "specialist community mental health services for children and young people": ("community camhs",),
}

#: A claim about how a rating moved, and the words a passage may use to say the same.
MOVES = {
    "stands": (
        re.compile(r"\b(stands?|stood|remains?|remained|stays?)\b"),
        ("stand", "stood", "remain", "still", "stay"),  # not "unchanged": the notes use it of a value restated
    ),
    "improved": (
        re.compile(r"\b(improved|improving|rose|raised|upgraded|up from)\b"),
        ("improv", "up from", "rose", "raised", "upgrad", "better", "moved from", "to good", "to outstanding"),
    ),
    "fell": (
        re.compile(r"\b(fell|fallen|dropped|declined|worsened|downgraded|down from)\b"),
        ("fell", "fall", "drop", "down", "declin", "wors", "downgrad", "lower", "previous", "was good", "from good"),
    ),
}


def _plain(text: str) -> str:
    return ALLOWED.sub(" ", normalise(text).lower())


def moved_by_the_rating(rating: Rating, claim: str) -> bool:
    """Whether the rating's own stated previous value and value show the claimed move."""
    before, after = SCALE_POSITION.get(rating.previous_value), SCALE_POSITION.get(rating.value)
    if claim == "stands":
        return rating.previous_value == rating.value and bool(rating.previous_value)
    if before is None or after is None:
        return False
    return after > before if claim == "improved" else after < before


def claim_problems_in(text: str, passages: Iterable[str], names: Iterable[str], *, years=(), context="", rating=None):
    """(message) for each claim in `text` its passages do not support. `names` are the services and sites a text
    could name, longest first; `years` those it may give without a passage (its sources', its inspection's);
    `context` words that may name a service without claiming it (the rating's subject, the inspection's title)."""
    said = _plain(text)
    support = " ".join(_plain(passage) for passage in passages)
    for claim, (pattern, words) in MOVES.items():
        supported = any(word in support for word in words) or (rating and moved_by_the_rating(rating, claim))
        if pattern.search(said) and not supported:
            yield f'says a rating "{claim}", which no passage it cites says'
    given = set(NUMBER.findall(support)) | {str(year) for year in years}
    for number in sorted(set(NUMBER.findall(said)) - given, key=int):
        yield f"gives the number {number}, which no passage it cites gives"
    context = _plain(context)
    for name in names:
        key = name.lower()
        found = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
        if not found.search(said):
            continue
        said = found.sub(" ", said)  # a longer name is not named again by a shorter one inside it
        if not any(form in support or form in context for form in (key, *SHORT_NAMES.get(key, ()))):
            yield f'names "{name}", which no passage it cites names'


TEXTS = {Rating: "note", Finding: "summary", Statement: "summary"}


def claim_problems() -> list[Problem]:
    """Every rating note, finding and statement whose words say more than its passages (see the module docstring)."""
    names = sorted(
        {*CoreService.objects.values_list("name", flat=True), *Location.objects.values_list("name", flat=True)},
        key=len,
        reverse=True,
    )
    problems = []
    for model, field in TEXTS.items():
        records = model.objects.select_related("inspection").prefetch_related("citations__source").order_by("pk")
        if model is Rating:
            records = records.select_related("service", "location")
        for record in records:
            text = getattr(record, field)
            if not text.strip():
                continue
            citations = list(record.citations.all())
            inspection = record.inspection
            dates = [citation.source.published for citation in citations]
            dates += [inspection.published, inspection.visit_start, inspection.visit_end]
            rating = record if model is Rating else None
            context = f"{inspection.title} {rating.subject_name}" if rating else ""  # findings: passages only
            for message in claim_problems_in(
                text,
                [citation.passage for citation in citations],
                names,
                years={date.year for date in dates if date},
                context=context,
                rating=rating,
            ):
                problems.append(Problem(record_label(record), field, message))
    return problems
