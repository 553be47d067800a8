"""Checking a record before it is written, in Python, so a bulk write is validated without a query per row.

`problems()` is what every writer asks of a record it plans: its fields, its `clean()` and its check
constraints. Django's `Model.validate_constraints()` asks the database once per constraint and row; for a few
hundred fixture records that is thousands of queries. The conditions our models use are simple
(`exact`, `in`, `isnull`, comparisons, `F()` on the same row), so they are evaluated here with SQL's
three-valued logic: a CHECK passes unless its condition is false, and a conditional unique
constraint covers a row only where its condition is true. A condition using anything else falls
back to Django's own per-row check, so nothing is ever skipped.
"""

import copy
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

COMPARISONS = {
    "exact": lambda value, other: value == other,
    "gt": lambda value, other: value > other,
    "gte": lambda value, other: value >= other,
    "lt": lambda value, other: value < other,
    "lte": lambda value, other: value <= other,
}


class Unsupported(Exception):
    """A condition this module cannot evaluate; the caller asks the database instead."""


def _column_value(instance: models.Model, name: str):
    try:
        return getattr(instance, instance._meta.get_field(name).attname)
    except Exception as error:  # a related lookup (a__b) or an unknown name
        raise Unsupported(name) from error


def _lookup_holds(instance: models.Model, key: str, expected: Any) -> bool | None:
    name, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    value = _column_value(instance, name)
    if isinstance(expected, F):
        expected = _column_value(instance, expected.name)
    elif hasattr(expected, "resolve_expression"):
        raise Unsupported(key)
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if lookup == "exact" and expected is None:
        return value is None
    if value is None or expected is None:
        return None  # SQL: a comparison with NULL is unknown
    if lookup == "in":
        return value in expected
    if lookup in COMPARISONS:
        return COMPARISONS[lookup](value, expected)
    raise Unsupported(key)


def q_holds(condition: Q, instance: models.Model) -> bool | None:
    """True, False or None (SQL's unknown) for a `Q` condition evaluated on one unsaved row."""
    results = [
        q_holds(child, instance) if isinstance(child, Q) else _lookup_holds(instance, *child)
        for child in condition.children
    ]
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    if condition.negated and result is not None:
        result = not result
    return result


def _first_field(condition: Q) -> str:
    for child in condition.children:
        name = _first_field(child) if isinstance(child, Q) else child[0].split("__")[0]
        if name:
            return name
    return ""


def check_constraint_problems(instance: models.Model) -> list[tuple[str, str]]:
    """(field, message) for every CheckConstraint of the model that this row breaks."""
    problems = []
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        try:
            broken = q_holds(constraint.condition, instance) is False
        except Unsupported:
            try:
                constraint.validate(type(instance), instance)
                broken = False
            except ValidationError:
                broken = True
        if broken:
            problems.append((_first_field(constraint.condition) or "-", constraint.get_violation_error_message()))
    return problems


def unique_specs(model: type[models.Model]) -> list[tuple[tuple[str, ...], Q | None, str]]:
    """(attnames, condition, message) for every unique field and unique constraint of the model."""
    specs = []
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key:
            message = f"another {model._meta.verbose_name} already has this {field.verbose_name}"
            specs.append(((field.attname,), None, message))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            names = tuple(model._meta.get_field(name).attname for name in constraint.fields)
            message = constraint.violation_error_message or f"another row already has these {', '.join(names)}"
            if message == constraint.default_violation_error_message:
                message = f"another {model._meta.verbose_name} already has these {', '.join(constraint.fields)}"
            specs.append((names, constraint.condition, message))
    return specs


def unique_clashes(model: type[models.Model], rows: Iterable[tuple[Any, models.Model]]) -> list[tuple]:
    """(owner, field, message, other_owner) for each row that repeats an earlier row's unique values.

    `rows` pairs an owner (whatever the caller uses to name a row) with an instance; earlier rows win,
    so pass the rows already stored first. NULLs never clash, as in SQL.
    """
    rows = list(rows)
    clashes = []
    for names, condition, message in unique_specs(model):
        seen = {}
        for owner, instance in rows:
            values = tuple(getattr(instance, name) for name in names)
            if None in values or (condition is not None and q_holds(condition, instance) is not True):
                continue
            if values in seen:
                clashes.append((owner, names[-1].removesuffix("_id"), message, seen[values]))
            else:
                seen[values] = owner
    return clashes


def problems(
    instance: models.Model, values: dict | None = None, *, exclude: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(field, message) for what would make `instance` (with `values` set, when given) invalid: its fields, then
    `clean()`, then its check constraints, each stage only when the one before it passed ('-' names the whole
    record). Foreign keys in `exclude` are not looked up, so no query is needed.

    A stored row whose values would not change is not checked again (a second import checks nothing).
    """
    if values and instance.pk is not None and all(getattr(instance, name) == value for name, value in values.items()):
        return []
    candidate = copy.copy(instance) if values else instance
    for name, value in (values or {}).items():
        setattr(candidate, name, value)
    for check in (lambda: candidate.clean_fields(exclude=list(exclude)), candidate.clean):
        try:
            check()
        except ValidationError as error:
            return [
                ("-" if name == "__all__" else name, " ".join(messages))
                for name, messages in error.message_dict.items()
            ]
    return check_constraint_problems(candidate)
