"""The import loop: each provider fetched, mapped and written on its own, failures collected, not fatal."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError

from inspections.cqc.errors import CqcAuthError, CqcError
from inspections.cqc.importer import ImportResult, import_provider
from inspections.cqc.mapping import map_provider

NHS_TYPE = "NHS Healthcare Organisation"


@dataclass
class RunSummary:
    """Results of the providers that imported, failures by provider id, and providers skipped on purpose."""

    results: list[ImportResult] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def run_import(
    *,
    feed,
    provider_ids: Iterable[str],
    nhs_only: bool = False,
    on_provider: Callable[[str], None] = lambda provider_id: None,
) -> RunSummary:
    """Import each provider in its own transaction; a refused API key stops the run (every request would fail)."""
    summary = RunSummary()
    for provider_id in provider_ids:
        try:
            data = feed.fetch(provider_id)
            if nhs_only and data.provider.get("type") != NHS_TYPE:
                summary.skipped[provider_id] = f"type is {data.provider.get('type')!r}, not {NHS_TYPE!r}"
                continue
            records = map_provider(provider_id, data.provider, data.locations)
            summary.results.append(import_provider(records=records, retrieved=data.retrieved))
        except CqcAuthError:
            raise
        except CqcError as error:
            summary.failures[provider_id] = str(error)
        except DatabaseError as error:  # a constraint the checks before writing did not foresee; rolled back
            summary.failures[provider_id] = f"provider {provider_id}: the database refused the data ({error})"
        finally:
            on_provider(provider_id)
    return summary
