"""Refreshing from CQC's changes feed, and the record of every import run (`RefreshRun`).

`import_cqc --changes-since TIME` asks `GET /changes/provider` and `/changes/location` which records
changed between TIME and now, and re-imports the NHS trusts among them: a changed provider directly,
a changed location through its trust (the location is fetched to learn its `providerId`, and that
body is not fetched again). `--changes-since last` starts where the last successful refresh ended:
the end of a changes run, or the start of a full pass (`--all-nhs-trusts`), which took in every change
before it. A run succeeds when no provider failed; only then does it count as the last.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from inspections.cqc.client import CqcClient, timestamp
from inspections.cqc.errors import CqcAuthError, CqcError, CqcUnavailable
from inspections.models import Location, RefreshRun

CHANGES, ALL_NHS, PROVIDERS, SNAPSHOT = "changes", "all NHS trusts", "providers", "snapshot"


def is_nhs_form(record_id: str) -> bool:
    """NHS bodies' provider ids are NHS organisation codes (RT5), their sites' ids too (RT5KF); others are 1-..."""
    return not record_id.startswith("1-")


class SinceError(ValueError):
    """A --changes-since value that cannot be used, with a message saying what to give."""


def parse_since(value: str, *, now: datetime.datetime) -> datetime.datetime:
    """The start of the changes asked for: 'last', or a date or time (ISO 8601; UTC unless it says otherwise)."""
    if value.strip().lower() == "last":
        found = last_refresh_end()
        if found is None:
            raise SinceError(
                "no successful refresh is recorded yet: give a time (e.g. 2026-11-01T00:00:00Z) "
                "or run --all-nhs-trusts first"
            )
        return found
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise SinceError(f"{value!r} is not a date or time; give e.g. 2026-11-01T00:00:00Z, or 'last'") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    if moment >= now:
        raise SinceError(f"{timestamp(moment)} is not in the past")
    return moment


def last_refresh_end() -> datetime.datetime | None:
    """Where the last successful refresh left off: the end of its changes, or the start of a full pass."""
    run = (
        RefreshRun.objects.filter(succeeded=True, mode__in=[CHANGES, ALL_NHS], changes_to__isnull=False)
        .order_by("-changes_to")
        .first()
    )
    return run.changes_to if run else None


@dataclass
class Changed:
    """The NHS providers to re-import after a window of changes, and what could not be followed."""

    provider_ids: list[str] = field(default_factory=list)
    providers_changed: int = 0
    locations_changed: int = 0
    notes: list[str] = field(default_factory=list)


def changed_providers(client: CqcClient, feed, *, start: datetime.datetime, end: datetime.datetime) -> Changed:
    """The NHS providers whose records, or whose sites' records, CQC's data changed between start and end."""
    found = Changed()
    wanted = {}
    for provider_id in client.changes("provider", start=start, end=end):
        found.providers_changed += 1
        if is_nhs_form(provider_id):
            wanted[provider_id] = True
    location_ids = list(client.changes("location", start=start, end=end))
    found.locations_changed = len(location_ids)
    known = dict(
        Location.objects.filter(cqc_location_id__in=location_ids).values_list("cqc_location_id", "trust__provider_id")
    )
    for location_id in filter(is_nhs_form, location_ids):
        try:
            fetched = client.location(location_id)
        except (CqcAuthError, CqcUnavailable):
            raise
        except CqcError as error:
            if location_id in known:
                wanted[known[location_id]] = True
                found.notes.append(f"{error}; re-importing the trust that holds it ({known[location_id]})")
            else:
                found.notes.append(f"{error}; skipped")
            continue
        provider_id = fetched.body.get("providerId")
        if isinstance(provider_id, str) and provider_id.strip() and is_nhs_form(provider_id):
            feed.prefetched[location_id] = fetched
            wanted[provider_id.strip()] = True
    found.provider_ids = list(wanted)
    return found


def start_run(mode: str, *, started_at=None, changes_from=None, changes_to=None) -> RefreshRun:
    return RefreshRun.objects.create(
        started_at=started_at or timezone.now(), mode=mode, changes_from=changes_from, changes_to=changes_to
    )


def finish_run(run: RefreshRun, *, listed: int, imported: int, failures: int) -> None:
    run.finished_at = timezone.now()
    run.providers_listed, run.providers_imported, run.failures = listed, imported, failures
    run.succeeded = failures == 0
    run.save(update_fields=["finished_at", "providers_listed", "providers_imported", "failures", "succeeded"])
