from django.contrib import admin, messages
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from recruitment.admin_tools import DefaultChoiceFilter

from . import delivery
from .models import Message


def emails_about(obj):
    """The outbox's messages about a record, for its admin page: each linked, with its state."""
    rows = format_html_join(
        "",
        '<li><a href="{}">{}</a>: {}{}</li>',
        (
            (
                reverse("admin:outbox_message_change", args=[email.pk]),
                email.subject,
                email.get_state_display(),
                f" ({email.attempts} failed attempt(s): {email.last_error[:200]})"
                if email.last_error
                else "",
            )
            for email in Message.objects.about(obj).order_by("created_at", "pk")
        ),
    )
    return format_html("<ul>{}</ul>", rows) if rows else "None in the outbox."


def state_label(state):
    return Message.State(state).label if state else "—"


class StateFilter(DefaultChoiceFilter):
    """Opens on what needs attention: anything not yet sent."""

    title = "state"
    default_choice = "unsent"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("unsent", "Not sent yet"), *Message.State.choices, ("all", "All")]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.unsent()
        if self.value() in Message.State.values:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "purpose",
        "recipient",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error",
    )
    list_filter = (StateFilter, "purpose", "created_at")
    search_fields = ("recipient", "subject")
    search_help_text = "A whole email address, or words from the subject."
    readonly_fields = (
        "purpose",
        "about_link",
        "from_email",
        "to",
        "cc",
        "reply_to",
        "headers",
        "subject",
        "body_text",
        "body_html",
        "attachment_names",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    fieldsets = [
        (None, {"fields": ["state", "attempts", "next_attempt_at", "last_error", "sent_at"]}),
        ("What it is about", {"fields": ["purpose", "about_link", "created_at"]}),
        (
            "The email",
            {
                "fields": [
                    "from_email",
                    "to",
                    "cc",
                    "reply_to",
                    "subject",
                    "body_text",
                    "body_html",
                    "attachment_names",
                    "headers",
                ]
            },
        ),
    ]
    actions = ["send_again"]
    show_full_result_count = False

    def get_queryset(self, request):
        # The list shows the start of the error only; bodies stay in the database.
        return super().get_queryset(request).defer("body_text", "body_html")

    def has_add_permission(self, request):
        return False  # the site queues email; staff only read and resend

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Last error")
    def error(self, message):
        return message.last_error[:120]

    @admin.display(description="About")
    def about_link(self, message):
        if message.about_type_id is None:
            return "—"
        model = message.about_type.model_class()
        url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        label = f"{model._meta.verbose_name} #{message.about_id}"
        try:
            url = reverse(url_name, args=[message.about_id])
        except NoReverseMatch:  # not a model staff edit in the admin
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="Attachments")
    def attachment_names(self, message):
        return ", ".join(item["filename"] for item in message.attachments) or "—"

    @admin.action(description="Send again", permissions=["resend"])
    def send_again(self, request, queryset):
        count = delivery.send_again(queryset)
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)

    def has_resend_permission(self, request):
        return request.user.has_perm("outbox.resend_message")
