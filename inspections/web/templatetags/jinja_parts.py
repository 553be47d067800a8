"""{% jinja %} and {% jinja_macro %}: a Django template includes a Jinja2 partial (see inspections/web/jinja.py)."""

from functools import cache

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@cache
def _environment():
    return engines["jinja2"].env


@register.simple_tag
def jinja(template_name: str, **context) -> SafeString:
    """The Jinja2 template `template_name` rendered with `context` (only what is passed: a partial's inputs are
    explicit)."""
    return mark_safe(_environment().get_template(template_name).render(context))  # noqa: S308 (Jinja2 autoescapes every value)


@register.simple_tag
def jinja_macro(name: str, macro: str, *args):
    """One macro of the Jinja2 template `name`, called with `args` (the template's module is built once). Its
    Markup is escaped markup already, which Django keeps as it is (it has __html__)."""
    return getattr(_environment().get_template(name).module, macro)(*args)
