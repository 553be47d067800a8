"""The one way many rows are written at once: in batches, with a history record each, and the data version replaced.

The fixture loader, the CQC import and the undoing of a deletion all write through here, so every row they
write has a history record saying who wrote it (the command's change reason, or the editor) and when; derived
columns are kept in step (`before_write()`, e.g. the search form of names); and pages built before the write
are never served after it (bulk writes send no signals, so the data version is replaced here).
"""

import datetime
from collections.abc import Sequence
from functools import cache

from django.db import models
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history, get_history_model_for_model

from inspections.changes.version import bump_data_version

BATCH = 500


def _prepared(objs: Sequence[models.Model]) -> Sequence[models.Model]:
    for obj in objs:
        before_write = getattr(obj, "before_write", None)
        if before_write is not None:
            before_write()
    return objs


def _derived_fields(model: type[models.Model]) -> list[str]:
    """Columns `before_write()` keeps, written with any update of the row."""
    return ["search_text"] if hasattr(model, "before_write") else []


def _history_kwargs(reason: str, user, when: datetime.datetime | None) -> dict:
    kwargs = {"batch_size": BATCH, "default_change_reason": reason, "default_user": user}
    if when is not None:
        kwargs["default_date"] = when
    return kwargs


@cache
def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The model's history model, or None when it keeps none (looked up once: simple-history builds a manager on
    every lookup, about a millisecond each, and an import asks thousands of times)."""
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def has_history(model: type[models.Model]) -> bool:
    return history_model(model) is not None


def create(objs: Sequence[models.Model], model: type[models.Model], *, reason: str, user=None, when=None) -> None:
    """Insert `objs` (their pks are set), each with a history record when the model keeps history."""
    if not objs:
        return
    _prepared(objs)
    if has_history(model):
        bulk_create_with_history(list(objs), model, **_history_kwargs(reason, user, when))
    else:
        model._default_manager.bulk_create(objs, batch_size=BATCH)
    bump_data_version()


def update(
    objs: Sequence[models.Model], model: type[models.Model], fields: list[str], *, reason: str, user=None, when=None
) -> None:
    """Write `fields` of `objs`, each with a history record when the model keeps history."""
    if not objs:
        return
    _prepared(objs)
    fields = sorted({*fields, *_derived_fields(model)})
    if has_history(model):
        bulk_update_with_history(
            list(objs), model, fields, manager=model._default_manager, **_history_kwargs(reason, user, when)
        )
    else:
        model._default_manager.bulk_update(objs, fields, batch_size=BATCH)
    bump_data_version()


def insert_plain(objs: Sequence[models.Model], model: type[models.Model]) -> None:
    """Rows that keep no history of their own (plain links, history rows of links, bookkeeping), in batches."""
    if objs:
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        bump_data_version()


def update_plain(objs: Sequence[models.Model], model: type[models.Model], fields: list[str]) -> None:
    if objs:
        model._default_manager.bulk_update(objs, fields, batch_size=BATCH)
        bump_data_version()
