"""The Jinja2 environment for the partials a page repeats hundreds of times (the grid, charts, shares, trust list rows).

Markup lives in the `*.jinja` templates beside the Django ones, autoescaped; Django templates include them with
`{% jinja "name" key=value %}` (web/templatetags/jinja_parts.py). Jinja2 renders a large trust's grid and chart tables
several times faster than Django's template language, which is why they are not Django templates.
"""

import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment

from inspections.domain.dates import format_partial_date
from inspections.domain.rating_levels import LEVELS, ON_SCALE_LEVELS, RATING_WORDS
from inspections.reading.citations import cited_links
from inspections.reading.selectors import closed_words


def _dumps(value, **kwargs) -> str:
    """What `json_script` encodes with (keys in the figure's own order; Jinja's `tojson` escapes <, > and &)."""
    return json.dumps(value, cls=DjangoJSONEncoder, **kwargs)


def _remembered(env: Environment, template: str, macro: str, key: Callable) -> Callable:
    """A macro of `template` whose output is kept by `key` of its arguments: a large trust's page asks for the same
    source links and badges hundreds of times. The key holds everything the output depends on, so a kept output
    is never stale, whatever the data version."""
    kept: dict = {}

    def call(*args):
        found = kept.get(k := key(*args))
        if found is None:
            if len(kept) > 20_000:
                kept.clear()
            found = kept[k] = getattr(env.get_template(template).module, macro)(*args)
        return found

    return call


def _sources_key(sources) -> tuple:
    return tuple((source.code, source.publisher, source.title, source.published) for source in sources)


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 (Django's backend turns autoescape on unless told otherwise)
    env.policies["json.dumps_function"] = _dumps
    env.policies["json.dumps_kwargs"] = {}
    env.globals.update(
        source_links=_remembered(env, "_partials/sources.jinja", "links", _sources_key),
        rating_badge=_remembered(env, "_partials/badge.jinja", "badge", lambda code, word: (code, word)),
        url=lambda name, *args: reverse(name, args=args),
        static=static,
        cited_links=cited_links,
        levels=LEVELS,
        scale_levels=ON_SCALE_LEVELS,
        rating_words=RATING_WORDS,
        partial_date=format_partial_date,
        closed_words=closed_words,
    )
    return env
