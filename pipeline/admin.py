from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path

from . import board, privacy
from .models import (
    Board,
    EmailTemplate,
    FollowUp,
    PipelineEntry,
    PrivacyNotice,
    RejectionReason,
    Stage,
    StageMove,
    Suppression,
)


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

    def lookup_allowed(self, lookup, value, request=None):
        # A vacancy's (or candidate's) page links to its whole log.
        if lookup in ("entry__vacancy__id__exact", "entry__candidate__id__exact"):
            return True
        return super().lookup_allowed(lookup, value, request)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    """Each vacancy's board, add-a-candidate and bulk pages (see pipeline/board.py).

    Not listed on the admin's index: boards are opened from their vacancy.
    """

    def get_model_perms(self, request):
        return {}

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(
                lambda request, **kwargs: function(request, self, **kwargs)
            )

        return [
            path("<int:vacancy_id>/", view(board.board), name="pipeline_board"),
            path(
                "<int:vacancy_id>/move/<int:entry_id>/",
                view(board.move),
                name="pipeline_board_move",
            ),
            path("<int:vacancy_id>/bulk/", view(board.bulk), name="pipeline_board_bulk"),
            path(
                "<int:vacancy_id>/add-candidate/",
                view(board.add),
                name="pipeline_board_add_candidate",
            ),
            path(
                "", self.admin_site.admin_view(self.to_vacancies), name="pipeline_board_changelist"
            ),
        ]

    def to_vacancies(self, request):
        return redirect("admin:jobs_vacancy_changelist")


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """People who objected, by a keyed hash of their address: search by the address."""

    list_display = ("created_at", "reason", "email_hash")
    list_filter = ("reason",)
    search_fields = ("email_hash",)
    search_help_text = "Type a whole email address to see whether it is suppressed."
    readonly_fields = ("email_hash", "reason", "created_at")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(email_hash=privacy.email_hash(search_term)), False

    def has_add_permission(self, request):
        return False  # an address is suppressed by its owner objecting

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "candidate", "sent_by", "objected_at")
    list_filter = ("sent_at", "objected_at")
    list_select_related = ("candidate", "sent_by")
    search_fields = ("candidate__name", "candidate__email")
    readonly_fields = ("candidate", "sent_at", "sent_by", "objected_at")
    exclude = ("token",)

    def has_add_permission(self, request):
        return False  # sent when a consultant adds someone new on a board

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "purpose", "subject", "is_active")
    list_filter = ("purpose", "is_active")
    search_fields = ("name", "subject")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("description", "owner", "due_on", "candidate", "entry", "done_at")
    list_filter = ("done_at", "due_on")
    list_select_related = ("owner", "candidate", "entry__candidate", "entry__vacancy")
    autocomplete_fields = ("candidate",)
    raw_id_fields = ("entry",)
