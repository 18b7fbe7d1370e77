from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import csrf_protect_m
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from candidates.models import Candidate
from jobs.models import Vacancy
from recruitment.admin_tools import DefaultChoiceFilter, RecordAdmin

from . import board, desk, privacy, shortlists, templating
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
    change_form_template = "admin/pipeline/desk_entry_form.html"  # "Send an email", "Follow up"

    def has_add_permission(self, request):
        return False  # candidates join by applying, or by "Add a candidate" on the board

    def has_change_permission(self, request, obj=None):
        return False  # stages change by moves, which are logged; the board makes them


@admin.register(StageMove)
class StageMoveAdmin(RecordAdmin):
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
                "<int:vacancy_id>/send-cvs/", view(shortlists.send), name="pipeline_board_send_cvs"
            ),
            path(
                "<int:vacancy_id>/agreement/<int:entry_id>/",
                view(shortlists.agree),
                name="pipeline_board_agreement",
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


class PreviewWithForm(forms.Form):
    """Whose details fill a template's preview: sample values unless a candidate or a job is
    named (typed, not picked from a list: it works without JavaScript and lists nobody)."""

    candidate = forms.EmailField(
        label="Candidate's email",
        required=False,
        help_text="Empty: a sample name.",
    )
    vacancy = forms.CharField(
        label="Job reference",
        required=False,
        max_length=30,
        help_text=f"e.g. {Vacancy.reference_for(42)}. Empty: a sample job.",
    )

    def clean_candidate(self):
        email = self.cleaned_data["candidate"]
        if not email:
            return None
        candidate = Candidate.objects.by_email(email).first()
        if candidate is None:
            raise forms.ValidationError("No candidate has that email address.")
        return candidate

    def clean_vacancy(self):
        reference = self.cleaned_data["vacancy"].strip()
        if not reference:
            return None
        vacancy = Vacancy.objects.filter(reference__iexact=reference).first()
        if vacancy is None:
            raise forms.ValidationError("No job has that reference.")
        return vacancy


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "purpose", "subject", "is_active")
    list_filter = ("purpose", "is_active")
    search_fields = ("name", "subject")
    change_form_template = "admin/pipeline/desk_template_form.html"  # the preview

    def get_urls(self):
        view = self.admin_site.admin_view
        send = path("send/<int:candidate_pk>/", view(desk.send_email), name="pipeline_send_email")
        return [send, *super().get_urls()]

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self.preview_view(request, object_id, form_url)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        preview_with = context.setdefault("preview_with", PreviewWithForm(prefix="preview"))
        context["media"] = context["media"] + preview_with.media
        context["placeholders"] = {
            templating.shown(name): meaning for name, meaning in templating.PLACEHOLDERS.items()
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request, object_id, form_url):
        """The change form again, as typed and not saved, with the email it would make."""
        obj = None
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
        else:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        fieldsets = self.get_fieldsets(request, obj)
        ModelForm = self.get_form(
            request, obj, change=obj is not None, fields=flatten_fieldsets(fieldsets)
        )
        form = ModelForm(request.POST, instance=obj)
        preview_with = PreviewWithForm(request.POST, prefix="preview")
        preview = None
        if form.is_valid() and preview_with.is_valid():
            chosen = preview_with.cleaned_data
            records = desk.sample_records(desk.profile_of(request.user))
            records["candidate"] = chosen["candidate"] or records["candidate"]
            records["vacancy"] = chosen["vacancy"] or records["vacancy"]
            subject, body = form.instance.render(**records)
            preview = {"subject": subject, "body": body}
        admin_form = helpers.AdminForm(
            form,
            list(fieldsets),
            self.get_prepopulated_fields(request, obj),
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{'Change' if obj else 'Add'} {self.opts.verbose_name}",
            "subtitle": str(obj) if obj else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            "preview_with": preview_with,
            "preview": preview,
        }
        response = self.render_change_form(
            request, context, add=obj is None, change=obj is not None, obj=obj, form_url=form_url
        )
        if preview is None:
            response.status_code = 400
        return response


class DueFilter(DefaultChoiceFilter):
    """Opens on what is still to do."""

    title = "due"
    default_choice = "open"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("open", "Still to do"),
            ("today", "Due today"),
            ("overdue", "Overdue"),
            ("done", "Done"),
            ("all", "All"),
        ]

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


from . import admin_introductions  # noqa: E402, F401 - registers CVs sent and interviews
