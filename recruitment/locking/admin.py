"""Admin mixins: a change page refuses to save over changes made since it was opened.

    class VacancyAdmin(VersionCheckedAdmin, admin.ModelAdmin): ...
    class ClientContactInline(VersionCheckedInline, admin.TabularInline): ...

The model must be a VersionedModel. Saves through model verbs and admin actions are never
refused; they move the version on, so a page opened before them is told what they changed.
"""

from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from .forms import OPENED, version_checked
from .models import EditConflict, VersionedModel

CONFLICT_ATTEMPTS = 3


def with_opened_version(fieldsets):
    """The fieldsets, with the hidden copy of the record as shown at the end of the first."""
    if OPENED in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], OPENED]}), *rest]


def require_versioned(model):
    if not issubclass(model, VersionedModel):
        raise ImproperlyConfigured(f"{model._meta.label} needs VersionedModel to be checked")


class VersionCheckedAdmin:
    def __init__(self, model, admin_site):
        require_versioned(model)
        super().__init__(model, admin_site)
        self.form = version_checked(self.form)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else with_opened_version(fieldsets)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        for _attempt in range(CONFLICT_ATTEMPTS):
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            except EditConflict:
                # Someone saved between this form's check and its write, and everything
                # this request wrote has been rolled back: the next pass finds their change
                # and shows it beside what was typed.
                continue
        return HttpResponse(
            "This record is being changed by others right now. Go back and save again.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )


class VersionCheckedInline:
    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        require_versioned(self.model)
        self.form = version_checked(self.form, parent_model=parent_model)

    def get_fieldsets(self, request, obj=None):
        return with_opened_version(super().get_fieldsets(request, obj))
