"""Every word traceable: the rules for quotes, passages and public wording, in one place.

A *passage* is the sentence or two a citation holds, verbatim, from the source it cites. A *quote* is
any span in double quotation marks (straight or curly) in text readers see. The rules:

- a quote in a rating note, finding or statement lies inside the passage of a source it cites;
  a quote in an inspection, trust, location, leadership or source text (which cite without
  passages) lies inside the full text we hold for a source it cites;
- every passage lies inside the text we hold for its source: the article in `shared/seeds/` for
  the five starting articles (`Source.seed_file`), else the research notes `shared/research/facts.md`;
- public pages use none of the research words in `BANNED_PUBLIC_TERMS`.

"Inside" means a substring after `normalise` on both sides. The text functions are pure; the
`*_problems` functions walk the stored records and return `Problem`s naming record and field.
`manage.py check_traceability` runs them; the tests in tests/integration/test_traceability.py too.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

from inspections.domain.codes import PassageKind
from inspections.models import Finding, Inspection, Leadership, Location, Rating, Source, Statement, Trust

QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]+)[\"\u201d]")
CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

#: Research vocabulary that must never reach a public page (matched case-insensitively, as whole words,
#: with or without a plural s). Editors' working notes stay in the admin.
BANNED_PUBLIC_TERMS = (
    "seed",
    "reworded seed",
    "dossier",
    "register",
    "aggregator",
    "weak source",
    "machine-reworded",
    "working note",
    "GitHub",
    "starting article",
    "our excerpt",
    # Guesses from research: a page says what its sources say, or that they say nothing (issue 28).
    "probably",
    "presumably",
    "which suggests",
    "may be from",
    "wording implies",
    "unverified",
)
#: Everyday phrases that contain a banned word but are the sources' own words, not research vocabulary.
ALLOWED_PHRASES = ("risk register",)
ALLOWED_PATTERN = re.compile("|".join(rf"\b{re.escape(phrase)}s?\b" for phrase in ALLOWED_PHRASES), re.IGNORECASE)
BANNED_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(term) for term in BANNED_PUBLIC_TERMS) + r")s?(?![\w-])", re.IGNORECASE
)

#: Text fields readers see, per model. Editor notes are never among them.
PUBLIC_TEXT_FIELDS = {
    Rating: ("note",),
    Finding: ("summary",),
    Statement: ("summary", "role", "organisation"),
    Inspection: ("title", "scope", "summary", "discrepancy_note"),
    Trust: ("services_summary", "history"),
    Location: ("description",),
    Leadership: ("note",),
    Source: ("title",),
}
CITES_WITH_PASSAGES = (Rating, Finding, Statement)


def normalise(text: str) -> str:
    """The form in which passages and quotes are compared: no markdown **, straight quotes, single spaces."""
    return re.sub(r"\s+", " ", text.replace("**", "").translate(CURLY)).strip()


def quoted_spans(text: str) -> list[str]:
    """Every span in double quotation marks, straight or curly, without its marks."""
    return QUOTE.findall(text or "")


def unsupported_quotes(text: str, supports: Iterable[str]) -> list[str]:
    """The quotes in `text` that lie inside none of `supports`."""
    haystacks = [normalise(support) for support in supports]
    return [quote for quote in quoted_spans(text) if not any(normalise(quote) in h for h in haystacks)]


def is_verbatim(passage: str, text: str) -> bool:
    """True when `passage` is a span of `text`, once both are normalised (`text` may be normalised already)."""
    return bool(passage.strip()) and normalise(passage) in normalise(text)


def banned_terms(text: str) -> list[str]:
    """The research words `text` uses, as written there (leaving out ALLOWED_PHRASES)."""
    return [match.group(0) for match in BANNED_PATTERN.finditer(ALLOWED_PATTERN.sub(" ", text))]


class _VisibleText(HTMLParser):
    """Collects what a reader sees or hears: text outside scripts and styles, and title/alt/aria-label values."""

    SKIP = {"script", "style", "template"}
    SPOKEN = {"title", "alt", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.parts.extend(value for name, value in attrs if name in self.SPOKEN and value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return normalise(" ".join(parser.parts))


# --- The texts we hold for sources ------------------------------------------------------------------------


def shared_folder() -> Path:
    """The team's shared folder beside the repository (../shared), where the articles and research notes live."""
    return Path(settings.BASE_DIR).parent / "shared"


@dataclass(frozen=True)
class SourceTexts:
    """The normalised text of each starting article (by file name) and of the research notes."""

    articles: dict[str, str]
    research_notes: str

    @classmethod
    def load(cls, folder: Path | None = None) -> "SourceTexts | None":
        """Read from `folder` (default ../shared); None when the folder does not hold them."""
        folder = folder or shared_folder()
        notes = folder / "research" / "facts.md"
        if not notes.is_file():
            return None
        articles = {path.name: normalise(path.read_text()) for path in (folder / "seeds").glob("*.txt")}
        return cls(articles=articles, research_notes=normalise(notes.read_text()))

    def for_source(self, source: Source) -> str | None:
        """The text a source's quotes come from: its article where it is one we hold, else our research notes;
        None for an article file we do not hold."""
        if source.seed_file:
            return self.articles.get(source.seed_file)
        return self.research_notes

    def for_passage(self, source: Source, kind: str) -> tuple[str | None, str]:
        """(the text a passage of this kind must lie in, what it is called): the source's own words lie in the
        article we hold for it; our note of a source lies in our research notes."""
        if kind == PassageKind.QUOTE:
            return self.articles.get(source.seed_file) if source.seed_file else None, source.seed_file or "no article"
        return self.research_notes, "the research notes"


# --- Stored records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    record: str
    field: str
    message: str

    def __str__(self):
        return f"{self.record}, {self.field}: {self.message}"


def record_label(record) -> str:
    key = record.natural_key() if hasattr(record, "natural_key") else (record.pk,)
    return f"{type(record).__name__} {'/'.join(str(part) for part in key if part)}"


def _records(model):
    related = {
        Rating: ("inspection__trust", "service", "location"),
        Finding: ("inspection__trust",),
        Statement: ("inspection__trust", "person"),
        Inspection: ("trust",),
        Location: ("trust",),
        Leadership: ("trust", "person"),
    }.get(model, ())
    records = model.objects.select_related(*related).order_by("pk")
    if model is Source:
        return records
    return records.prefetch_related("citations__source" if model in CITES_WITH_PASSAGES else "sources")


def quote_problems(texts: SourceTexts | None) -> list[Problem]:
    """Quotes that no passage (or, for records citing without passages, no source text) supports.

    Without `texts`, only the records with passages are checked: the others need the shared folder.
    """
    problems = []
    for model, fields in PUBLIC_TEXT_FIELDS.items():
        if model not in CITES_WITH_PASSAGES and texts is None:
            continue
        for record in _records(model):
            if model in CITES_WITH_PASSAGES:
                supports = [citation.passage for citation in record.citations.all()]
                where = "a passage of a source it cites"
            else:
                cited = [record] if model is Source else record.sources.all()
                supports = [text for source in cited if (text := texts.for_source(source))]
                where = "the text we hold for a source it cites"
            for name in fields:
                for quote in unsupported_quotes(getattr(record, name), supports):
                    problems.append(Problem(record_label(record), name, f'quote "{quote}" is not in {where}'))
    return problems


def missing_passages() -> list[Problem]:
    """Citations by ratings, findings and statements that hold no passage."""
    problems = []
    for model in CITES_WITH_PASSAGES:
        for record in _records(model):
            for citation in record.citations.all():
                if not citation.passage.strip():
                    problems.append(Problem(record_label(record), "sources", f"{citation.source.code} has no passage"))
    return problems


def passage_problems(texts: SourceTexts) -> list[Problem]:
    """Passages that are not verbatim in the text their kind says they come from: the source's own words in the
    article we hold for it, our note of a source in our research notes."""
    problems = []
    for model in CITES_WITH_PASSAGES:
        for record in _records(model):
            for citation in record.citations.all():
                if not citation.passage.strip():
                    continue
                source, kind = citation.source, citation.passage_kind
                text, where = texts.for_passage(source, kind)
                if kind == PassageKind.QUOTE and not source.seed_file:
                    message = f"{source.code}: marked as the source's own words, but we hold no article of it"
                elif text is None:
                    message = f"{source.code}: the article {source.seed_file} is not in the shared folder"
                elif not is_verbatim(citation.passage, text):
                    message = f"{source.code}: {kind} passage is not verbatim in {where}: {citation.passage[:80]!r}"
                else:
                    continue
                problems.append(Problem(record_label(record), "sources", message))
    return problems
