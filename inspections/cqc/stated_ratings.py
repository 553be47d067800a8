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
from dataclasses import dataclass

from django.utils.text import slugify

from inspections.cqc.body_reader import Reader
from inspections.cqc.mapped import RatingRecord
from inspections.cqc.vocabulary import Word, key_question, rating_value
from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.subjects import Subject

SAME_AS_BEFORE = "Same rating as before; CQC's data gives this report as setting it."
LINK_LIMIT = 64  # Inspection.cqc_report_link_id
SERVICE_NAME_LIMIT = 200  # CoreService.name
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


class BodyRatings:
    """Reads the ratings of one body (provider or location) against the reports that body lists."""

    def __init__(
        self, reader: Reader, *, record_id: str, subject: Subject, dates: dict[str, datetime.date], resources: bool
    ):
        self.reader = reader
        self.record_id = record_id
        self.subject = subject
        self.resources = resources  # use of resources is read for the whole trust only
        self.dates = dates  # the reports this body lists: link id -> publication date
        self.by_date: dict[datetime.date, list[str]] = {}
        for link_id, day in dates.items():
            self.by_date.setdefault(day, []).append(link_id)
        self.stated: list[Stated] = []

    def read(self, body: dict) -> list[Stated]:
        reader = self.reader
        current = reader.obj(body, "currentRatings")
        overall = reader.obj(current, "overall", field="currentRatings.overall")
        if overall:
            self._block(overall, "currentRatings.overall", self.subject, "", explicit=True, own_reports=True)
        for path, block in reader.items(current, "serviceRatings", field="currentRatings.serviceRatings"):
            service = self._service(block, path)
            if service:
                self._block(block, path, service, block["name"].strip(), explicit=True)
        for path, entry in reader.items(body, "historicRatings"):
            report = self._report_of(entry, path)
            if report is None:
                continue
            own = reader.obj(entry, "overall", field=f"{path}.overall")
            self._block(own, f"{path}.overall", self.subject, "", explicit=False, report=report)
            for service_path, block in reader.items(entry, "serviceRatings", field=f"{path}.serviceRatings"):
                service = self._service(block, service_path)
                if service:
                    self._block(block, service_path, service, block["name"].strip(), explicit=False, report=report)
        return self.stated

    def _service(self, block: dict, path: str) -> Subject | None:
        name = self.reader.text(block, "name", field=f"{path}.name", limit=SERVICE_NAME_LIMIT)
        if not slugify(name):
            self.reader.problem(f"{path}.name", block.get("name"), "no usable service name; its ratings not stored")
            return None
        return Subject(Scope.SERVICE, service=slugify(name)[:50], location=self.subject.location)

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
            same_day = self.by_date.get(day, []) if day else []
            if len(same_day) != 1:
                reader.problem(
                    f"{path}.reportLinkId",
                    block.get("reportLinkId"),
                    "names no report it can be placed at; its ratings here not stored",
                )
                return None
            link = same_day[0]
            reader.problem(
                f"{path}.reportLinkId",
                block.get("reportLinkId"),
                f"missing; its ratings stored at report {link}, the only one listed for {day}",
            )
        return link, day

    def _block(
        self,
        block: dict,
        path: str,
        subject: Subject,
        service_name: str,
        *,
        explicit: bool,
        report: tuple[str, datetime.date] | None = None,
        own_reports: bool = False,
    ) -> None:
        """The overall rating of a block, its key questions (which may name a report of their own) and its
        use of resources (whole trust only)."""
        reader = self.reader
        if report is None:
            report = self._report_of(block, path)
        if report is not None:
            # An overall rating is set by its report, except a historic service's, which may have carried forward.
            self._state(
                block,
                f"{path}.rating",
                "rating",
                report,
                subject,
                service_name,
                KeyQuestion.OVERALL,
                explicit=explicit or subject.scope != Scope.SERVICE,
            )
        for item_path, item in reader.items(block, "keyQuestionRatings", field=f"{path}.keyQuestionRatings"):
            name = reader.text(item, "name", field=f"{item_path}.name", limit=WORD_LIMIT, cut=True)
            if not isinstance(item.get("rating"), str) or not item["rating"].strip():
                continue
            question = key_question(name)
            if question is None or question in (KeyQuestion.OVERALL, *[q for _, q in RESOURCE_WORDS]):
                reader.problem(f"{item_path}.name", item.get("name"), "unknown key question; its rating not stored")
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
                    subject,
                    service_name,
                    question,
                    explicit=explicit and dated,
                )
        if subject == self.subject and "useOfResources" in block:
            self._resources(block["useOfResources"], f"{path}.useOfResources", report, explicit=explicit)

    def _resources(self, value, path: str, report, *, explicit: bool) -> None:
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
                        self.subject,
                        "",
                        KeyQuestion.USE_OF_RESOURCES,
                        explicit=False,
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
                    self.subject,
                    "",
                    question,
                    explicit=explicit and bool(value.get("reportDate")),
                )

    def _state(self, block, path, key, report, subject, service_name, question, *, explicit) -> None:
        word = self.reader.text(block, key, field=path, limit=WORD_LIMIT, cut=True)
        if word:
            link, day = report
            self.stated.append(
                Stated(link, day, subject, service_name, question, word, explicit, self.record_id, self.reader, path)
            )


def _describe(subject: Subject) -> str:
    if subject.scope == Scope.SERVICE:
        return f"service {subject.service!r}" + (f" at {subject.location}" if subject.location else "")
    return f"location {subject.location}" if subject.scope == Scope.LOCATION else "whole trust"


def resolve(stated: list[Stated], slugs: dict[str, str], warnings: list[str]) -> list[RatingRecord]:
    """The carry-forward rule: one rating per report that set it, each with the value it replaced.

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
        for item in sorted(by_link.values(), key=lambda s: (s.published, slugs.get(s.link_id, s.link_id))):
            value, note, kind = rating_value(item.word)
            if kind is Word.OFF_SCALE:
                warnings.append(
                    f"{item.record_id}, {_describe(subject)}, {label}, report {item.link_id}: "
                    f"{item.word!r} is off the rating scale; kept as {value}"
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
                )
            )
            previous = value
    return records
