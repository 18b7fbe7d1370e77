"""Small pieces every app's admin shares."""

from django.contrib import admin


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
