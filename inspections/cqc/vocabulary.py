"""CQC's words for ratings, key questions and kinds of trust, and our codes for them."""

import enum

from inspections.domain.codes import KeyQuestion
from inspections.domain.rating_levels import RatingValue

SCALE_WORDS = {
    "outstanding": RatingValue.OUTSTANDING,
    "good": RatingValue.GOOD,
    "requires improvement": RatingValue.REQUIRES_IMPROVEMENT,
    "inadequate": RatingValue.INADEQUATE,
}
OFF_SCALE_WORDS = {
    "inspected but not rated": RatingValue.INSPECTED_NOT_RATED,
    "no rating": RatingValue.NOT_RATED,
    "not rated": RatingValue.NOT_RATED,
    "no published rating": RatingValue.NOT_RATED,  # with a report; named by no report, it is no rating at all
    "no action": RatingValue.NOT_RATED,  # at sites inspected under other regimes: kept with CQC's words
    "insufficient evidence to rate": RatingValue.INSUFFICIENT_EVIDENCE,
    "insufficient evidence": RatingValue.INSUFFICIENT_EVIDENCE,
    "rating suspended": RatingValue.SUSPENDED,
    "suspended": RatingValue.SUSPENDED,
    "rating under appeal": RatingValue.SUSPENDED,
    "not inspected": RatingValue.NOT_INSPECTED,
}
QUESTION_NAMES = {
    "overall": KeyQuestion.OVERALL,
    "safe": KeyQuestion.SAFE,
    "effective": KeyQuestion.EFFECTIVE,
    "caring": KeyQuestion.CARING,
    "responsive": KeyQuestion.RESPONSIVE,
    "well-led": KeyQuestion.WELL_LED,
    "well led": KeyQuestion.WELL_LED,
    "use of resources": KeyQuestion.USE_OF_RESOURCES,
    "combined quality and use of resources": KeyQuestion.COMBINED,
}
#: Words in a provider's inspection categories, most specific first; the first match decides the kind.
KIND_WORDS = [
    ("ambulance", "ambulance"),
    ("mental health", "mental_health"),
    ("community", "community"),
    ("acute", "acute"),
    ("hospital", "acute"),
]


#: CQC's words for "there is no rating here": where they name no report, CQC states no rating at all, which is
#: silence, not a problem.
NO_RATING_WORDS = {"no published rating"}


class Word(enum.Enum):
    ON_SCALE = "on the scale"
    OFF_SCALE = "off the scale"
    UNKNOWN = "unknown"


def says_no_rating(word: str) -> bool:
    """Whether CQC's word says there is no rating (e.g. "No published rating")."""
    return _key(word) in NO_RATING_WORDS


def _key(word: str) -> str:
    return " ".join(str(word).lower().split())


def rating_value(word: str) -> tuple[str, str, Word]:
    """Our code for CQC's rating word, a note for readers when it is off the four-point scale, and which it was.

    An unknown word is kept as "not rated" with the word quoted in the note; the caller says so as a problem.
    """
    key = _key(word)
    if key in SCALE_WORDS:
        return SCALE_WORDS[key], "", Word.ON_SCALE
    if key in OFF_SCALE_WORDS:
        return OFF_SCALE_WORDS[key], f'CQC gives "{word}".', Word.OFF_SCALE
    return RatingValue.NOT_RATED, f'CQC gives "{word}", a word we do not know.', Word.UNKNOWN


def key_question(name: str) -> str | None:
    """Our code for CQC's name of a key question (or of a use of resources rating); None when unknown."""
    return QUESTION_NAMES.get(_key(name))


def trust_kind(provider: dict) -> str:
    """Our trust kind from the words of CQC's inspection categories ("other" when none match)."""
    categories = provider.get("inspectionCategories")
    names = [
        str(category.get("name", "")).lower()
        for category in (categories if isinstance(categories, list) else [])
        if isinstance(category, dict)
    ]
    mental_health = any("mental health" in name for name in names)
    if mental_health and any("community" in name and "mental health" not in name for name in names):
        return "mental_health_community"
    return next((kind for word, kind in KIND_WORDS if any(word in name for name in names)), "other")
