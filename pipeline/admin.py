from datetime import timedelta

from django.contrib import admin
from django.db.models import Case, Value, When
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from . import desk
from .models import EmailTemplate, FollowUp, PipelineEntry, RejectionReason, Stage, StageMove


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "position",
        "role",
        "is_end",
        "needs_reason",
        "expected_days",
        "candidate_wording",
    )
    list_editable = ("position",)
    ordering = ("position", "pk")


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)


class StageMoveInline(admin.TabularInline):
    model = StageMove
    fields = ("moved_at", "from_stage", "to_stage", "actor", "moved_by", "reason", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("moved_at", "pk")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PipelineEntry)
class PipelineEntryAdmin(admin.ModelAdmin):
    list_display = ("candidate", "vacancy", "stage", "entered_stage_at", "source")
    list_filter = ("stage", "source")
    list_select_related = ("candidate", "vacancy", "stage")
    search_fields = ("candidate__name", "candidate__email", "vacancy__title", "vacancy__reference")
    autocomplete_fields = ("candidate", "vacancy")
    readonly_fields = ("stage", "entered_stage_at", "rejection_reason", "enquiry", "created_at")
    inlines = [StageMoveInline]

    def has_add_permission(self, request):
        return False  # candidates join by applying, or by "Add a candidate" on the board

    def has_change_permission(self, request, obj=None):
        return False  # stages change by moves, which are logged; the board makes them


@admin.register(StageMove)
class StageMoveAdmin(admin.ModelAdmin):
    """The stage log: read-only for everyone, whatever their permissions."""

    list_display = ("moved_at", "entry", "from_stage", "to_stage", "actor", "moved_by", "reason")
    list_filter = ("to_stage", "actor", "moved_at")
    list_select_related = (
        "entry__candidate",
        "entry__vacancy",
        "from_stage",
        "to_stage",
        "moved_by",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "purpose", "subject", "is_active")
    list_filter = ("purpose", "is_active")
    search_fields = ("name", "subject")


class DueFilter(admin.SimpleListFilter):
    """Opens on what is still to do."""

    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("open", "Still to do"),
            ("today", "Due today"),
            ("overdue", "Overdue"),
            ("done", "Done"),
            ("all", "All"),
        ]

    def value(self):
        return super().value() or "open"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        today = timezone.localdate()
        return {
            "open": lambda: queryset.open(),
            "today": lambda: queryset.open().filter(due_on=today),
            "overdue": lambda: queryset.overdue(today),
            "done": lambda: queryset.filter(done_at__isnull=False),
        }.get(self.value(), lambda: queryset)()


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("description", "owner", "due", "candidate", "entry", "done_at")
    list_filter = (DueFilter, ("owner", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("owner", "candidate", "entry__candidate", "entry__vacancy")
    search_fields = ("description", "candidate__name")
    autocomplete_fields = ("candidate",)
    raw_id_fields = ("entry",)
    fields = (
        "owner",
        "description",
        "due_on",
        "candidate",
        "entry",
        "created_by",
        "created_at",
        "done_at",
        "done_by",
    )
    readonly_fields = ("created_by", "created_at", "done_at", "done_by")
    actions = ["mark_done"]

    def get_ordering(self, request):
        # Mine and still to do first; the filter keeps the set small (open ones by default).
        mine = When(owner=request.user.pk, done_at__isnull=True, then=Value(0))
        return [Case(mine, default=Value(1)).asc(), "due_on", "pk"]

    def get_changeform_initial_data(self, request):
        tomorrow = timezone.localdate() + timedelta(days=1)
        initial = super().get_changeform_initial_data(request)
        return {"owner": request.user.pk, "due_on": tomorrow, **initial}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Due", ordering="due_on")
    def due(self, follow_up):
        if follow_up.is_overdue:
            return format_html("{} <strong>(overdue)</strong>", follow_up.due_on)
        return follow_up.due_on

    @admin.action(description="Mark selected follow-ups done", permissions=["change"])
    def mark_done(self, request, queryset):
        follow_ups = list(queryset.open())
        for follow_up in follow_ups:
            follow_up.complete(by=request.user)
        self.message_user(request, f"{len(follow_ups)} follow-up(s) marked done.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("quick-add/", view(desk.follow_up_add), name="pipeline_followup_quick_add"),
            path("<int:pk>/done/", view(desk.follow_up_done), name="pipeline_followup_done"),
            *super().get_urls(),
        ]
