"""Nothing that depends on the clock or on the data is decided when a module is imported.

A queryset, default or choice list built in a class body keeps the moment of import: a job
published after the server started could not be chosen until the process restarted.
"""

import datetime
import importlib
import pkgutil

from django import forms

OUR_APPS = ("accounts", "candidates", "jobs", "recruitment")


def import_everything():
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".tests" in module.name or ".migrations" in module.name:
                continue
            if module.name.startswith(("recruitment.wsgi", "recruitment.asgi")):
                continue
            importlib.import_module(module.name)


def subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from subclasses(subclass)


def our_forms():
    import_everything()
    return sorted(
        {form for form in subclasses(forms.BaseForm) if form.__module__.startswith(OUR_APPS)},
        key=lambda form: f"{form.__module__}.{form.__qualname__}",
    )


def is_moment(value):
    return isinstance(value, datetime.date | datetime.datetime | datetime.time)


def compared_values(node):
    """Every value a query's WHERE clause compares with, as Python gave it."""
    for child in getattr(node, "children", ()):
        if hasattr(child, "rhs"):
            yield child.rhs
        yield from compared_values(child)


def test_no_form_field_offers_choices_frozen_at_import():
    frozen = []
    found = our_forms()
    assert len(found) > 5  # the walk found our forms
    for form in found:
        for name, field in form.base_fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if any(is_moment(value) for value in compared_values(queryset.query.where)):
                frozen.append(f"{form.__module__}.{form.__qualname__}.{name}")
    assert frozen == [], "build these querysets in the form's __init__: " + ", ".join(frozen)
