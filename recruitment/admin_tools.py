"""Small pieces every app's admin shares."""

from django.contrib import admin

from .uploads import StoresUploadsFirst


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter that opens on a chosen default (not Django's "All"), shown selected.

    Set `default_choice`, or override `default()` when it depends on the request.
    """

    default_choice = None

    def __init__(self, request, params, model, model_admin):
        self.request = request
        super().__init__(request, params, model, model_admin)

    def default(self, request):
        return self.default_choice

    def value(self):
        return super().value() or self.default(self.request)

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class RecordAdmin(admin.ModelAdmin):
    """For records nobody edits or deletes in the admin: logs, audits, what was sent."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StoresUploadsSafely:
    """For admin pages with file fields: a storage that fails (a full disk, object storage out
    of reach) answers 503 with the form as it was typed and nothing saved, never a 500."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (StoresUploadsFirst, form), {})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        adminform = (getattr(response, "context_data", None) or {}).get("adminform")
        if adminform is not None and adminform.form.storage_failed:
            response.status_code = 503
            response["Retry-After"] = "120"
        return response
