"""The import loop: each provider fetched, mapped and written on its own, failures collected, not fatal."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError

from inspections.cqc.errors import CqcAuthError, CqcError
from inspections.cqc.import_context import IMPORT_REASON, ImportResult
from inspections.cqc.importer import import_provider
from inspections.cqc.mapping import map_provider

NHS_TYPE = "NHS Healthcare Organisation"
logger = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """Results of the providers that imported, failures by provider id, and providers skipped on purpose."""

    results: list[ImportResult] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)


def not_nhs(provider: dict) -> str:
    """Why a provider is not imported as an NHS trust ('' when it is one)."""
    kind = provider.get("type")
    return "" if kind == NHS_TYPE else f"type is {kind!r}, not {NHS_TYPE!r}"


def run_import(
    *,
    feed,
    provider_ids: Iterable[str],
    nhs_only: bool = False,
    reason: str = IMPORT_REASON,
    force: bool = False,
    on_provider: Callable[[str], None] = lambda provider_id: None,
) -> RunSummary:
    """Import each provider in its own transaction; a refused API key stops the run (every request would fail).

    Nothing else escapes: a provider that cannot be imported is named in `failures` with the reason.
    """
    summary = RunSummary()
    for provider_id in provider_ids:
        try:
            data = feed.fetch(provider_id, keep=not_nhs if nhs_only else None)
            if data.skipped:
                summary.skipped[provider_id] = data.skipped
                continue
            records = map_provider(
                provider_id, data.provider, data.locations, retrieved=data.retrieved, problems=data.problems
            )
            summary.results.append(
                import_provider(records=records, retrieved=data.retrieved, reason=reason, force=force)
            )
        except CqcAuthError:
            raise
        except CqcError as error:
            summary.failures[provider_id] = str(error)
        except DatabaseError as error:  # a constraint the checks before writing did not foresee; rolled back
            summary.failures[provider_id] = f"provider {provider_id}: the database refused the data ({error})"
        except Exception as error:  # a fault of ours: named, logged with its traceback, the other providers go on
            logger.exception("import of provider %s failed", provider_id)
            summary.failures[provider_id] = (
                f"provider {provider_id}: unexpected error ({type(error).__name__}: {error}); please report it"
            )
        finally:
            on_provider(provider_id)
    return summary
