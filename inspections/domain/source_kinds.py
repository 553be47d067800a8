"""Kinds of source, heaviest first: the order every list of sources follows, and what /sources/ tells readers.

`Source.kind` says what kind of publication a source is (SourceKind); this module says how much weight
each kind carries, in one place, so the ordering and the explanation cannot drift apart.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When

from inspections.domain.codes import SourceKind


@dataclass(frozen=True)
class KindGuide:
    kind: SourceKind
    meaning: str
    weight: str

    @property
    def label(self) -> str:
        return self.kind.label


#: Kinds of source by the weight their word carries, heaviest first: every list of sources follows this
#: order, and /sources/ explains it to readers in these words.
SOURCE_KIND_GUIDE = (
    KindGuide(
        SourceKind.CQC_REPORT,
        "The report CQC published on the inspection, or a copy of it.",
        "The most weight: the ratings and findings come from it.",
    ),
    KindGuide(
        SourceKind.CQC_NEWS, "CQC's announcement of a report, with its main ratings and findings.", "CQC's own words."
    ),
    KindGuide(SourceKind.CQC_WEB, "A page on CQC's website about the trust or one of its sites.", "CQC's own words."),
    KindGuide(SourceKind.CQC_DATA, "The ratings as CQC publishes them in its data.", "CQC's own words."),
    KindGuide(
        SourceKind.TRUST,
        "What the trust itself published about an inspection.",
        "Reliable for what the trust said; ratings are CQC's to give.",
    ),
    KindGuide(
        SourceKind.COUNCIL,
        "Minutes or papers of a council or other public body that discussed an inspection.",
        "Reliable for what was said at the meeting.",
    ),
    KindGuide(
        SourceKind.NATIONAL_NEWS,
        "A report by a national news outlet.",
        "Less weight than CQC's own words, which it usually reports.",
    ),
    KindGuide(
        SourceKind.LOCAL_NEWS,
        "A report by a local newspaper or news website.",
        "Less weight than CQC's own words, which it usually reports.",
    ),
    KindGuide(
        SourceKind.TRADE_PRESS,
        "A report in a publication for people who work in health services.",
        "Less weight than CQC's own words, which it usually reports.",
    ),
    KindGuide(
        SourceKind.SUMMARY_SITE,
        "A website that lists or summarises information about care providers.",
        "Little weight; where a fact rests on it alone, the text says so.",
    ),
    KindGuide(
        SourceKind.REWORDED_COPY,
        "A copy of a news story rewritten by software.",
        "The least weight: names and terms in it can differ from the original story.",
    ),
    KindGuide(
        SourceKind.OTHER,
        "Another kind of publication, such as a solicitor's summary or an encyclopedia article.",
        "Little weight on its own.",
    ),
)
KIND_RANK = {guide.kind.value: rank for rank, guide in enumerate(SOURCE_KIND_GUIDE)}


def by_weight(prefix: str = "") -> tuple:
    """Order sources as SOURCE_KIND_GUIDE does, then oldest first, then by code; `prefix` reaches them
    through a relation (e.g. "source__")."""
    rank = Case(
        *[When(**{f"{prefix}kind": kind}, then=Value(r)) for kind, r in KIND_RANK.items()],
        default=Value(len(KIND_RANK)),
        output_field=IntegerField(),
    )
    return rank, F(f"{prefix}published").asc(nulls_last=True), f"{prefix}code"


def weight_of(kind: str, published, code: str) -> tuple:
    """The order of `by_weight` as a sort key, for sources already read: a page that sorts the few sources it holds
    compiles no ORDER BY (its CASE costs about 1.5 ms a query). Codes compare by code point, as SQLite and
    PostgreSQL's C collation do (tests/integration/test_source_weight.py holds the two orders together)."""
    return (KIND_RANK.get(kind, len(KIND_RANK)), published is None, published or datetime.date.min, code)


def weight(source) -> tuple:
    """`weight_of` a Source."""
    return weight_of(source.kind, source.published, source.code)
