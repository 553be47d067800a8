"""The ratings a provider's or a location's body states, and the carry-forward rule that turns them into records.

Rules (docs/decisions/0007-national-import-from-cqc.md):
- A current key-question rating carries its own `reportDate`/`reportLinkId`: when that is an earlier
  report, the rating was set there and carried forward, so it is stored once, against that report.
- `historicRatings` list, for each past report, the ratings in force after it. An overall rating is
  stored at every report; a key-question, service or use of resources rating only where it differs
  from the one already in force. The previous value is the one stored before it, in the order the
  site gives reports (`domain.standing.report_order`: by date, then by the inspection's slug).
- Use of resources (`overall.useOfResources`: `useOfResourcesRating`, `combinedQualityRating`) is
  stored for the whole trust only, as key questions `use_of_resources` and `combined_quality_and_resources`.
- A rating that names no report it can be placed at is skipped, an unknown word is kept as "not rated"
  with the word quoted, each with a problem; words off the four-point scale are kept with a warning.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from inspections.cqc.body_reader import Reader
from inspections.cqc.mapped import Notice, RatingRecord
from inspections.cqc.vocabulary import Word, key_question, rating_value, says_no_rating
from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.standing import report_key
from inspections.domain.subjects import Subject

SAME_AS_BEFORE = "Same rating as before; CQC's data gives this report as setting it."
LINK_LIMIT = 64  # Inspection.cqc_report_link_id
SERVICE_NAME_LIMIT = 200  # CoreService.name
AREA_ID_LIMIT = 50  # CoreService.cqc_area_id
ID_LIMIT = 20  # Rating.inherited_from
#: CQC's inspection area ids are one lower-case word ("life", "npimaternity"); a service named otherwise is named by
#: its words (documents before CQC gave ids, or drawn from the schema).
AREA_ID = re.compile(r"^[a-z][a-z0-9_]*$")
UNNAMED_SUFFIX = " (CQC's code)"


def unnamed(area_id: str) -> str:
    """What a service CQC's data gives by its area id alone is called: its id, said to be CQC's code."""
    return f"{area_id}{UNNAMED_SUFFIX}"


WORD_LIMIT = 100
RESOURCE_WORDS = (
    ("useOfResourcesRating", KeyQuestion.USE_OF_RESOURCES),
    ("combinedQualityRating", KeyQuestion.COMBINED),
)


@dataclass(frozen=True)
class Stated:
    """One rating as a JSON block states it, before the carry-forward rule is applied."""

    link_id: str
    published: datetime.date
    subject: Subject
    service_name: str
    question: str
    word: str
    explicit: bool  # the block says this report set it (its own report date), not only that it stood after it
    record_id: str
    reader: Reader
    field: str
    area_id: str = ""  # CQC's inspection area id of the service
    organisation_id: str = ""  # the site or trust whose report set it, where CQC's data names another than the body


@dataclass
class ProviderContext:
    """What every body's ratings are read against: the provider's reports by day (a rating that names no report is
    placed at the one report of its day), CQC's names of its inspection areas, and the area ids named by no name
    (each said once)."""

    by_date: dict[datetime.date, set[str]] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)
    unnamed: set[str] = field(default_factory=set)


class BodyRatings:
    """Reads the ratings of one body (provider or location) against the reports that body lists."""

    def __init__(
        self,
        reader: Reader,
        *,
        record_id: str,
        subject: Subject,
        dates: dict[str, datetime.date],
        resources: bool,
        provider: ProviderContext | None = None,
        areas: dict[str, str] | None = None,
    ):
        self.reader = reader
        self.record_id = record_id
        self.subject = subject
        self.resources = resources  # use of resources is read for the whole trust only
        self.dates = dates  # the reports this body lists: link id -> publication date
        self.by_date: dict[datetime.date, list[str]] = {}
        for link_id, day in dates.items():
            self.by_date.setdefault(day, []).append(link_id)
        self.provider = provider or ProviderContext()
        self.areas = areas or {}  # this body's inspection areas: id -> CQC's name
        self.stated: list[Stated] = []

    def read(self, body: dict) -> list[Stated]:
        reader = self.reader
        current = reader.obj(body, "currentRatings")
        overall = reader.obj(current, "overall", field="currentRatings.overall")
        site = not self.resources  # CQC's schema names organisationId in a site's current ratings only
        if overall:
            own = self._organisation(overall, "currentRatings.overall", named=site)
            self._block(overall, "currentRatings.overall", self.subject, explicit=True, own_reports=True, by=own)
        for path, block in reader.items(current, "serviceRatings", field="currentRatings.serviceRatings"):
            service = self._service(block, path)
            if service:
                self._block(block, path, *service, explicit=True, by=self._organisation(block, path, named=site))
        for path, entry in reader.items(body, "historicRatings"):
            by = self._organisation(entry, path)
            report = self._report_of(entry, path)
            if report is None:
                continue
            own = reader.obj(entry, "overall", field=f"{path}.overall")
            self._block(own, f"{path}.overall", self.subject, explicit=False, report=report, by=by)
            for service_path, block in reader.items(entry, "serviceRatings", field=f"{path}.serviceRatings"):
                service = self._service(block, service_path)
                if service:
                    by_service = self._organisation(block, service_path, by, named=not site)
                    self._block(block, service_path, *service, explicit=False, report=report, by=by_service)
        return self.stated

    def _organisation(self, block: dict, path: str, inherited: str = "", *, named: bool = True) -> str:
        """The site or trust whose report a block's ratings come from, where CQC's data names another than this body
        (`organisationId`: ratings a site inherited from its predecessor); "" for the body's own. `named`: whether
        CQC's schema names the field in this block (current ratings of a site, historic entries, a provider's
        historic services)."""
        if not named:
            return "" if inherited == self.record_id else inherited
        found = self.reader.text(block, "organisationId", field=f"{path}.organisationId", limit=ID_LIMIT)
        found = found or inherited
        return "" if found == self.record_id else found

    def _service(self, block: dict, path: str) -> tuple[Subject, str, str] | None:
        """(subject, name, CQC's area id) of a service block: CQC names a service by its inspection area id, whose
        name the inspection areas give; a name in words (older or drawn documents) is the service's name."""
        name = self.reader.text(block, "name", field=f"{path}.name", limit=SERVICE_NAME_LIMIT)
        known = self.areas.get(name) or self.provider.area_names.get(name)
        if known is not None or (AREA_ID.match(name) and len(name) <= AREA_ID_LIMIT):
            if not known and name not in self.provider.unnamed:
                self.provider.unnamed.add(name)
                self.reader.problem(
                    f"{path}.name", name, "an inspection area id that no inspection area names; shown as CQC's code"
                )
            subject = Subject(Scope.SERVICE, service=name, location=self.subject.location)
            return subject, known or unnamed(name), name
        if not slugify(name):
            self.reader.problem(f"{path}.name", block.get("name"), "no usable service name; its ratings not stored")
            return None
        return Subject(Scope.SERVICE, service=slugify(name)[:50], location=self.subject.location), name, ""

    def _report_of(self, block: dict, path: str, inherited: tuple[str, datetime.date] | None = None):
        """(report link id, publication date) a block names, taking what it lacks from `inherited`; else None."""
        reader = self.reader
        link = reader.text(block, "reportLinkId", field=f"{path}.reportLinkId")
        day = reader.date(block.get("reportDate"), field=f"{path}.reportDate")
        if inherited and not link and (day is None or day == inherited[1]):
            return inherited
        if len(link) > LINK_LIMIT:
            reader.problem(f"{path}.reportLinkId", link, f"longer than {LINK_LIMIT} characters; its ratings not stored")
            return None
        if link and day is None:
            day = self.dates.get(link)
            if day is None:
                reader.problem(
                    f"{path}.reportDate",
                    block.get("reportDate"),
                    f"no date for report {link}; its ratings here not stored",
                )
                return None
        if not link:
            # Placed by its date: at this body's one report of that day, else the provider's one report of it.
            same_day = self.by_date.get(day, []) if day else []
            if not same_day and day:
                same_day = sorted(self.provider.by_date.get(day, ()))
            if len(same_day) != 1:
                reader.problem(
                    f"{path}.reportLinkId",
                    block.get("reportLinkId"),
                    "names no report it can be placed at; its ratings here not stored",
                )
                return None
            link = same_day[0]
        return link, day

    @staticmethod
    def _says_nothing(block: dict, *, with_questions: bool = True) -> bool:
        """A block whose every word says there is no rating ("No published rating") and that names no report:
        CQC states no rating at all, which is no problem."""
        words = [block.get("rating")]
        if with_questions:
            words += [item.get("rating") for item in block.get("keyQuestionRatings") or [] if isinstance(item, dict)]
        named = [word for word in words if isinstance(word, str) and word.strip()]
        return (
            bool(named)
            and all(says_no_rating(word) for word in named)
            and not block.get("reportLinkId")
            and not block.get("reportDate")
        )

    def _block(
        self,
        block: dict,
        path: str,
        subject: Subject,
        service_name: str = "",
        area_id: str = "",
        *,
        explicit: bool,
        by: str,
        report: tuple[str, datetime.date] | None = None,
        own_reports: bool = False,
    ) -> None:
        """The overall rating of a block, its key questions (which may name a report of their own) and its
        use of resources (whole trust only)."""
        reader = self.reader
        if report is None and self._says_nothing(block):
            return
        if report is None:
            report = self._report_of(block, path)
        line = (subject, service_name, area_id)
        if report is not None:
            # An overall rating is set by its report, except a historic service's, which may have carried forward.
            self._state(
                block,
                f"{path}.rating",
                "rating",
                report,
                line,
                KeyQuestion.OVERALL,
                explicit=explicit or subject.scope != Scope.SERVICE,
                by=by,
            )
        for item_path, item in reader.items(block, "keyQuestionRatings", field=f"{path}.keyQuestionRatings"):
            name = reader.text(item, "name", field=f"{item_path}.name", limit=WORD_LIMIT, cut=True)
            if not isinstance(item.get("rating"), str) or not item["rating"].strip():
                continue
            question = key_question(name)
            if question is None or question in (KeyQuestion.OVERALL, *[q for _, q in RESOURCE_WORDS]):
                reader.problem(f"{item_path}.name", item.get("name"), "unknown key question; its rating not stored")
                continue
            if own_reports and self._says_nothing(item, with_questions=False):
                continue
            # Only the current overall's key questions name a report of their own (the one that set them).
            dated = own_reports and bool(item.get("reportDate"))
            own = self._report_of(item, item_path, inherited=report) if own_reports else report
            if own is not None:
                self._state(
                    item,
                    f"{item_path}.rating",
                    "rating",
                    own,
                    line,
                    question,
                    explicit=explicit and dated,
                    by=self._organisation(item, item_path, by, named=not self.resources) if own_reports else by,
                )
        if subject == self.subject and "useOfResources" in block:
            self._resources(block["useOfResources"], f"{path}.useOfResources", report, explicit=explicit, by=by)

    def _resources(self, value, path: str, report, *, explicit: bool, by: str) -> None:
        reader = self.reader
        if not self.resources:
            if value:
                reader.problem(path, value, "use of resources is rated for a whole trust only; not stored for a site")
            return
        if isinstance(value, str):
            # The schema allows a bare text here (historic entries); read it only when it is a rating word.
            if value.strip() and rating_value(value)[2] is Word.ON_SCALE:
                if report is not None:
                    self._state(
                        {"word": value},
                        path,
                        "word",
                        report,
                        (self.subject, "", ""),
                        KeyQuestion.USE_OF_RESOURCES,
                        explicit=False,
                        by=by,
                    )
            elif value.strip():
                reader.problem(path, value, "a text, not a rating of use of resources; not stored")
            return
        if not isinstance(value, dict):
            if value is not None:
                reader.problem(path, value, "not an object; left out")
            return
        own = self._report_of(value, path, inherited=report) if explicit else report
        if own is None:
            return
        for key, question in RESOURCE_WORDS:
            if isinstance(value.get(key), str) and value[key].strip():
                self._state(
                    value,
                    f"{path}.{key}",
                    key,
                    own,
                    (self.subject, "", ""),
                    question,
                    explicit=explicit and bool(value.get("reportDate")),
                    by=by,
                )

    def _state(self, block, path, key, report, line, question, *, explicit, by) -> None:
        word = self.reader.text(block, key, field=path, limit=WORD_LIMIT, cut=True)
        if word:
            link, day = report
            subject, service_name, area_id = line
            self.stated.append(
                Stated(
                    link,
                    day,
                    subject,
                    service_name,
                    question,
                    word,
                    explicit,
                    self.record_id,
                    self.reader,
                    path,
                    area_id=area_id,
                    organisation_id=by,
                )
            )


def _describe(subject: Subject) -> str:
    if subject.scope == Scope.SERVICE:
        return f"service {subject.service!r}" + (f" at {subject.location}" if subject.location else "")
    return f"location {subject.location}" if subject.scope == Scope.LOCATION else "whole trust"


def resolve(stated: list[Stated], slugs: dict[str, str], warnings: list[Notice]) -> list[RatingRecord]:
    """The carry-forward rule: one rating per report that set it, each with the value it replaced (the rating on the
    scale in force before it: an entry off the scale replaces nothing).

    Reports are ordered as the site orders them: by publication date, then by the slug of the inspection
    the importer gives each report (`slugs`), so the previous values stored agree with what pages show.
    """
    by_line: dict[tuple[Subject, str], dict[str, Stated]] = {}
    for item in stated:
        line = by_line.setdefault((item.subject, item.question), {})
        earlier = line.get(item.link_id)
        if earlier is None or (item.explicit and not earlier.explicit):
            line[item.link_id] = item
        if (
            earlier is not None
            and earlier.word.casefold() != item.word.casefold()
            and earlier.explicit == item.explicit
        ):
            item.reader.problem(
                item.field,
                item.word,
                f"report {item.link_id} is given {earlier.word!r} elsewhere for the same rating; the first kept",
            )
    records = []
    for (subject, question), by_link in by_line.items():
        previous = ""
        label = KeyQuestion(question).label
        for item in sorted(by_link.values(), key=lambda s: report_key(s.published, slugs.get(s.link_id, s.link_id))):
            value, note, kind = rating_value(item.word)
            if kind is Word.OFF_SCALE:
                warnings.append(
                    Notice(
                        f"{item.word!r} is off the rating scale; kept as {value}",
                        f"{item.record_id}, {_describe(subject)}, {label}, report {item.link_id}",
                    )
                )
            elif kind is Word.UNKNOWN:
                item.reader.problem(
                    item.field, item.word, "unknown rating word; kept as not rated with the word in the note"
                )
            if value == previous and not note:
                carried_or_overall = question == KeyQuestion.OVERALL and subject.scope != Scope.SERVICE
                if not (item.explicit or carried_or_overall):
                    continue
                note = SAME_AS_BEFORE
            records.append(
                RatingRecord(
                    item.link_id,
                    subject,
                    item.service_name,
                    question,
                    value,
                    previous,
                    note,
                    f'{label}: "{item.word}"',
                    item.record_id,
                    service_area_id=item.area_id,
                    inherited_from=item.organisation_id,
                )
            )
            if kind is Word.ON_SCALE:
                previous = value
    return records
