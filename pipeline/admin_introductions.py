"""The admin side of CVs sent to clients and of interviews (imported by pipeline/admin.py)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from candidates.models import CVDownload
from candidates.storage import STORAGE_ERRORS
from candidates.uploads import too_large_message, validate_cv
from recruitment.admin_tools import StoresUploadsSafely
from recruitment.locking.admin import VersionCheckedAdmin
from recruitment.spreadsheets import csv_response

from . import interviews, shortlists
from .models import (
    Agreement,
    ClientProfile,
    Interview,
    Introduction,
    ReviewDownload,
    ReviewLink,
    Shortlist,
)


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("recorded_at", "candidate", "client", "how", "recorded_by")
    list_filter = ("how", ("client", admin.RelatedOnlyFieldListFilter), "recorded_at")
    list_select_related = ("candidate", "client", "recorded_by")
    search_fields = ("candidate__name", "candidate__email", "client__name")
    autocomplete_fields = ("candidate", "client")
    fields = ("candidate", "client", "how", "note", "recorded_by", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class ClientProfileForm(forms.ModelForm):
    oversized = frozenset()

    class Meta:
        model = ClientProfile
        fields = [
            "entry",
            "headline",
            "summary",
            "salary_expectation",
            "notice_period",
            "cv_source",
            "prepared_cv",
        ]
        widgets = {
            "cv_source": forms.RadioSelect,
            # No link to the file: CVs have no public address.
            "prepared_cv": forms.FileInput,
            "summary": forms.Textarea(attrs={"rows": 8, "cols": 80}),
        }

    def clean_prepared_cv(self):
        if "prepared_cv" in self.oversized:
            raise forms.ValidationError(too_large_message())
        upload = self.cleaned_data.get("prepared_cv")
        if isinstance(upload, UploadedFile):
            validate_cv(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        prepared = cleaned.get("prepared_cv") or self.instance.prepared_cv
        wanted = cleaned.get("cv_source") == ClientProfile.CVSource.PREPARED
        if wanted and not prepared and "prepared_cv" not in self.errors:
            self.add_error("prepared_cv", "Upload the prepared CV, or send their own.")
        return cleaned

    def save(self, commit=True):
        upload = self.cleaned_data.get("prepared_cv")
        if isinstance(upload, UploadedFile):
            self.instance.prepared_cv_original_name = upload.name[:255]
        return super().save(commit)


@admin.register(ClientProfile)
class ClientProfileAdmin(StoresUploadsSafely, VersionCheckedAdmin, admin.ModelAdmin):
    """What a client sees of a candidate: written from the "Send CVs" page of a board."""

    form = ClientProfileForm
    list_display = ("entry", "headline", "cv_source", "updated_at")
    list_select_related = ("entry__candidate", "entry__vacancy")
    search_fields = ("entry__candidate__name", "headline")
    raw_id_fields = ("entry",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        oversized = frozenset(getattr(request, "oversized_uploads", ()))
        return type(form.__name__, (form,), {"oversized": oversized})

    def get_readonly_fields(self, request, obj=None):
        return ("entry", "prepared_cv_file") if obj else ("prepared_cv_file",)

    def get_fields(self, request, obj=None):
        fields = list(ClientProfileForm.Meta.fields)
        return [*fields, "prepared_cv_file"]

    @admin.display(description="Prepared CV on file")
    def prepared_cv_file(self, profile):
        return profile.prepared_cv_original_name or "—"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        entry_id = request.GET.get("entry", "")
        if entry_id.isdigit():
            from .models import PipelineEntry

            entry = PipelineEntry.objects.select_related("candidate").filter(pk=entry_id).first()
            if entry is not None:
                initial.setdefault("headline", entry.candidate.current_title)
        return initial

    def back_to_send(self, obj):
        url = reverse("admin:pipeline_board_send_cvs", args=[obj.entry.vacancy_id])
        return HttpResponseRedirect(f"{url}#entry-{obj.entry_id}")

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, "Client profile saved.")
        return self.back_to_send(obj)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        self.message_user(request, "Client profile saved.")
        return self.back_to_send(obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Shortlist)
class ShortlistAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "vacancy", "consultant", "subject")
    list_select_related = ("vacancy", "consultant")
    list_filter = ("sent_at",)
    search_fields = ("vacancy__title", "vacancy__reference", "subject")


CSV_HEADER = [
    "Sent at",
    "Candidate",
    "Candidate number",
    "Client",
    "Contact",
    "Contact email",
    "Vacancy",
    "Vacancy reference",
    "CV file as sent",
    "CV SHA-256",
    "CV bytes",
    "Sent by",
    "Covering note subject",
    "Client's decision",
    "Decided at",
    "First answered at",
]


@admin.register(Introduction)
class IntroductionAdmin(ReadOnlyAdmin):
    """Every CV sent to a client: "when did we introduce X to Y, and with which CV?"."""

    list_display = (
        "sent_at",
        "candidate",
        "client",
        "contact_name",
        "vacancy",
        "cv_as_sent",
        "sha256_start",
        "decision",
        "first_response_at",
    )
    list_filter = (
        ("client", admin.RelatedOnlyFieldListFilter),
        "decision",
        "sent_at",
    )
    list_select_related = ("candidate", "client", "vacancy", "shortlist__sent_by")
    search_fields = ("candidate__name", "candidate__email", "client__name", "vacancy__reference")
    date_hierarchy = "sent_at"
    fields = (
        "sent_at",
        "candidate",
        "vacancy",
        "client",
        "contact_name",
        "contact_email",
        "cv_as_sent",
        "cv_sha256",
        "cv_size",
        "headline",
        "summary",
        "salary_expectation",
        "notice_period",
        "decision",
        "decision_reason",
        "decision_comment",
        "decided_at",
        "first_response_at",
        "shortlist",
    )
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("pipeline.view_introduction")

    @admin.display(description="CV as sent")
    def cv_as_sent(self, introduction):
        if not introduction.cv:
            return introduction.cv_original_name or "—"
        url = reverse("admin:pipeline_introduction_cv", args=[introduction.pk])
        return format_html('<a href="{}">{}</a>', url, introduction.cv_original_name or "CV")

    @admin.display(description="SHA-256")
    def sha256_start(self, introduction):
        return format_html(
            '<code title="{}">{}…</code>', introduction.cv_sha256, introduction.cv_sha256[:12]
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="pipeline_introduction_export"),
            path(
                "responses/",
                view(lambda request: shortlists.responses(request, self)),
                name="pipeline_introduction_responses",
            ),
            path("<int:pk>/cv/", view(self.cv_view), name="pipeline_introduction_cv"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The list as it is filtered, as CSV (cells a spreadsheet would run are kept text)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = (
            changelist.get_queryset(request)
            .select_related("candidate", "client", "vacancy", "shortlist__sent_by")
            .order_by("sent_at", "pk")
        )
        local = timezone.localtime
        return csv_response(
            f"introductions-{timezone.localdate():%Y-%m-%d}.csv",
            CSV_HEADER,
            (
                [
                    f"{local(row.sent_at):%Y-%m-%d %H:%M}",
                    row.candidate.name,
                    row.candidate_id,
                    row.client.name,
                    row.contact_name,
                    row.contact_email,
                    row.vacancy.title,
                    row.vacancy.reference,
                    row.cv_original_name,
                    row.cv_sha256,
                    row.cv_size,
                    str(row.shortlist.sent_by or ""),
                    row.shortlist.subject,
                    row.get_decision_display(),
                    f"{local(row.decided_at):%Y-%m-%d %H:%M}" if row.decided_at else "",
                    f"{local(row.first_response_at):%Y-%m-%d %H:%M}"
                    if row.first_response_at
                    else "",
                ]
                for row in rows
            ),
        )

    def cv_view(self, request, pk):
        """Our copy of the CV as sent, for staff who may see CVs: recorded like every download."""
        if not (
            self.has_view_permission(request) and request.user.has_perm("candidates.view_candidate")
        ):
            raise PermissionDenied
        introduction = get_object_or_404(Introduction.objects.select_related("candidate"), pk=pk)
        if not introduction.cv:
            raise Http404("No CV held")
        try:
            file = introduction.cv.open("rb")
        except STORAGE_ERRORS as error:
            raise Http404("The CV file cannot be found") from error
        CVDownload.objects.create(user=request.user, candidate=introduction.candidate)
        response = FileResponse(
            file, as_attachment=True, filename=introduction.cv_original_name or "cv"
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


@admin.register(ReviewLink)
class ReviewLinkAdmin(admin.ModelAdmin):
    list_display = (
        "vacancy",
        "contact",
        "created_at",
        "expires_at",
        "revoked_at",
        "open_count",
        "last_opened_at",
    )
    list_filter = ("created_at", "revoked_at")
    list_select_related = ("vacancy", "contact__client")
    search_fields = ("vacancy__title", "vacancy__reference", "contact__name", "contact__email")
    fields = (
        "vacancy",
        "contact",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "open_count",
        "first_opened_at",
        "last_opened_at",
    )
    readonly_fields = fields
    actions = ["revoke", "extend"]

    def has_add_permission(self, request):
        return False  # made by sending CVs

    @admin.action(description="Revoke the selected links", permissions=["change"])
    def revoke(self, request, queryset):
        links = list(queryset.filter(revoked_at__isnull=True))
        for link in links:
            link.revoke()
        self.message_user(request, f"{len(links)} link(s) revoked.")

    @admin.action(
        description="Make the selected links work for 30 more days", permissions=["change"]
    )
    def extend(self, request, queryset):
        for link in queryset:
            link.extend()
        self.message_user(request, f"{queryset.count()} link(s) extended.")


@admin.register(ReviewDownload)
class ReviewDownloadAdmin(ReadOnlyAdmin):
    list_display = ("downloaded_at", "introduction", "contact")
    list_select_related = ("introduction__candidate", "introduction__client", "link__contact")
    list_filter = ("downloaded_at",)

    @admin.display(description="Contact")
    def contact(self, download):
        return download.link.contact.name


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "candidate", "vacancy", "round", "status", "outcome")
    list_filter = ("status", "round", "outcome", "starts_at")
    list_select_related = ("entry__candidate", "entry__vacancy")
    search_fields = ("entry__candidate__name", "entry__vacancy__title", "entry__vacancy__reference")
    date_hierarchy = "starts_at"
    change_form_template = "admin/pipeline/interview_change_form.html"
    readonly_fields = (
        "entry",
        "round",
        "starts_at",
        "ends_at",
        "time_zone",
        "location",
        "video_url",
        "interviewers",
        "candidate_notes",
        "contacts",
        "status",
        "sequence",
        "uid",
        "reminded_for",
        "cancelled_at",
        "candidate_feedback",
        "client_feedback",
        "outcome",
        "outcome_reason",
        "outcome_recorded_at",
        "outcome_recorded_by",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # scheduled from a pipeline entry, so the invitations go

    @admin.display(description="Candidate", ordering="entry__candidate__name")
    def candidate(self, interview):
        return interview.entry.candidate

    @admin.display(description="Vacancy")
    def vacancy(self, interview):
        return interview.entry.vacancy

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(
                lambda request, **kwargs: function(request, self, **kwargs)
            )

        return [
            path(
                "schedule/<int:entry_id>/",
                view(interviews.schedule),
                name="pipeline_interview_schedule",
            ),
            path(
                "<int:pk>/reschedule/",
                view(interviews.reschedule),
                name="pipeline_interview_reschedule",
            ),
            path("<int:pk>/cancel/", view(interviews.cancel), name="pipeline_interview_cancel"),
            path("<int:pk>/outcome/", view(interviews.outcome), name="pipeline_interview_outcome"),
            *super().get_urls(),
        ]
