"""Rating events for tests of the pure rules: every field given a plain default, so a test names only what matters."""

import datetime

from inspections.domain.standing import RatingEvent
from inspections.domain.subjects import TRUST, Subject


def rating_event(
    value: str,
    published: datetime.date | None,
    *,
    question: str = "safe",
    subject: Subject = TRUST,
    name: str = "Whole trust",
    slug: str = "",
    previous: str = "",
    precision: str = "day",
    title: str = "Report",
    url: str = "/r/",
    sources: tuple = (),
    note: str = "",
    origin: str = "",
    inherited_from: str = "",
) -> RatingEvent:
    """A RatingEvent; its inspection slug is the publication date unless given (same-day reports need their own)."""
    return RatingEvent(
        subject=subject,
        subject_name=name,
        key_question=question,
        value=value,
        previous_value=previous,
        published=published,
        published_precision=precision,
        inspection_slug=slug or (published.isoformat() if published else "undated"),
        inspection_title=title,
        inspection_url=url,
        sources=sources,
        note=note,
        origin=origin,
        inherited_from=inherited_from,
    )
