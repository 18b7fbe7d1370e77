from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from outbox import delivery
from outbox.admin import emails_about, state_label
from outbox.models import Message
from recruitment.admin_tools import DefaultChoiceFilter
from recruitment.locking.admin import VersionCheckedAdmin

from .. import services
from ..models import Enquiry
from .common import cv_link
from .filters import VacancyFilter
from .search import EnquirySearchMixin


class MineFilter(DefaultChoiceFilter):
    """A consultant sees their own enquiries first: the default, one click from everyone's.

    A filter rather than an ordering: "mine first" as a sort cannot use an index, and sorts
    every enquiry on each page view (2.4 s at 400,000 enquiries on SQLite).
    """

    title = "whose"
    parameter_name = "whose"

    def lookups(self, request, model_admin):
        return [("mine", "My enquiries"), ("all", "Everyone's")]

    def default(self, request):
        return "mine" if hasattr(request.user, "consultant") else "all"

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.for_consultant_user(request.user)
        return queryset


class NotificationFilter(admin.SimpleListFilter):
    title = "notification"
    parameter_name = "notification"

    def lookups(self, request, model_admin):
        return [("unsent", "Not yet sent"), ("failed", "Failed: needs you"), ("sent", "Sent")]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.notification_unsent()
        if self.value() == "failed":
            return queryset.notification_failed()
        if self.value() == "sent":
            return queryset.notification_sent()
        return queryset


def move_action(status):
    def action(modeladmin, request, queryset):
        for enquiry in queryset:
            enquiry.move_to(status.value)
        modeladmin.message_user(request, f"{len(queryset)} moved to {status.label}.")

    action.__name__ = f"move_to_{status.value}"
    return admin.action(description=f"Move to {status.label}", permissions=["change"])(action)


class EnquiryAdmin(VersionCheckedAdmin, EnquirySearchMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "created_at",
        "name",
        "kind",
        "vacancy",
        "status",
        "consultant",
        "source",
        "about_closed_job",
        "notification",
    )
    list_filter = (
        "status",
        MineFilter,
        "consultant",
        "kind",
        "source",
        "about_closed_job",
        NotificationFilter,
        VacancyFilter,
        "created_at",
    )
    list_select_related = ("vacancy", "consultant")
    search_fields = ("name", "company", "email", "phone")  # and references: EnquirySearchMixin
    # No date_hierarchy: its distinct-days query took 1.4 s at 400,000 enquiries; the
    # "created at" filter (today, past 7 days, this month, this year) is cheap.
    actions = [move_action(status) for status in Enquiry.Status] + ["resend_notification"]
    readonly_fields = (
        "reference",
        "created_at",
        "kind",
        "candidate",
        "vacancy",
        "about_closed_job",
        "sector",
        "consultant",
        "name",
        "email",
        "phone",
        "company",
        "message",
        "cv_file",
        "status",
        "source",
        "link",
        "notify_email",
        "emails_sent",
        "compared_with_candidate",
        "client_address",
    )
    fieldsets = [
        (None, {"fields": ["reference", "status", "kind", "created_at", "source"]}),
        (
            "From (as sent)",
            {
                "fields": [
                    "name",
                    "email",
                    "phone",
                    "company",
                    "candidate",
                    "compared_with_candidate",
                    "client_address",
                ]
            },
        ),
        (
            "About",
            {
                "fields": [
                    "vacancy",
                    "about_closed_job",
                    "sector",
                    "consultant",
                    "message",
                    "cv_file",
                    "link",
                ]
            },
        ),
        (
            "Notification",
            {
                "fields": ["notify_email", "emails_sent"],
            },
        ),
    ]

    ordering = ["-created_at"]
    show_full_result_count = False  # a second count of every enquiry on each search

    def has_add_permission(self, request):
        return False  # enquiries come from the site

    def get_queryset(self, request):
        return super().get_queryset(request).with_notification_state()

    @admin.display(description="Notification")
    def notification(self, enquiry):
        return state_label(enquiry.notification_email_state)

    @admin.display(description="Emails (outbox)")
    def emails_sent(self, enquiry):
        return emails_about(enquiry)

    @admin.display(description="CV as sent")
    def cv_file(self, enquiry):
        return cv_link("candidates:cv_download", enquiry)

    @admin.display(description="Compared with the candidate's record")
    def compared_with_candidate(self, enquiry):
        if enquiry.candidate_id is None:
            return "-"
        differences = services.differences_from_candidate(enquiry)
        if not differences:
            return "The same as the candidate's record."
        rows = format_html_join(
            "", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", differences
        )
        return format_html(
            "<table class='enquiry-differences'><thead><tr><th></th><th>As sent</th>"
            "<th>On the record</th></tr></thead><tbody>{}</tbody></table>"
            "<p>The record changes only when you copy an enquiry onto it: anyone who knows "
            "an address can send a form with it.</p>",
            rows,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        enquiry = self.get_object(request, object_id)
        differences = services.differences_from_candidate(enquiry) if enquiry else []
        extra_context = {**(extra_context or {}), "differs_from_candidate": bool(differences)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.update_candidate_view))
        return [
            path(
                "<int:pk>/update-candidate/",
                view,
                name="candidates_enquiry_update_candidate",
            ),
            *super().get_urls(),
        ]

    def update_candidate_view(self, request, pk):
        """Staff know the enquiry is the candidate's: its details and CV become the record."""
        enquiry = get_object_or_404(Enquiry.objects.select_related("candidate"), pk=pk)
        if enquiry.candidate is None:
            raise PermissionDenied
        if not (
            self.has_view_permission(request, enquiry)
            and request.user.has_perm("candidates.change_candidate")
        ):
            raise PermissionDenied
        services.update_candidate_from(enquiry)
        self.message_user(
            request,
            f"The candidate's record now has the details and CV sent with {enquiry.reference}.",
            messages.SUCCESS,
        )
        return redirect("admin:candidates_enquiry_change", enquiry.pk)

    @admin.action(description="Send its unsent emails again", permissions=["change"])
    def resend_notification(self, request, queryset):
        count = delivery.send_again(Message.objects.about_any(queryset))
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)

    def response_change(self, request, obj):
        status = request.POST.get("_move_to")
        if status in Enquiry.Status.values:
            obj.move_to(status)
            self.message_user(request, f"{obj.reference} moved to {obj.get_status_display()}.")
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class RejectedSubmissionAdmin(admin.ModelAdmin):
    list_display = ("day", "form", "reason", "count")
    list_filter = ("form", "reason")
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
