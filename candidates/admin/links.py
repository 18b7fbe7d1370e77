"""The consultants' side of personal links: send, copy, revoke or extend, and report."""

import re
from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from jobs.models import Vacancy
from outbox import delivery
from outbox.admin import emails_about, state_label
from outbox.models import Message, latest_state
from pipeline.privacy import refuse_suppressed
from recruitment.spreadsheets import csv_response

from .. import links
from ..models import Candidate, EnquiryLink, LinkMessage

EMAIL_SEPARATORS = re.compile(r"[\s,;]+")
PREVIEW_TOKEN = "each-recipient-gets-their-own"  # noqa: S105 - a placeholder in previews


def link_field(name):
    return EnquiryLink._meta.get_field(name)


class LiveVacancyChoices:
    """Offers the jobs live when the form is used.

    `live()` compares with the clock when it is called: a queryset given in the class body
    would keep the moment the module was imported, and refuse every job published since.
    """

    live_vacancy_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.live_vacancy_fields:
            self.fields[name].queryset = Vacancy.objects.live()


class SendLinksForm(LiveVacancyChoices, forms.Form):
    live_vacancy_fields = ("vacancies",)

    vacancies = forms.ModelMultipleChoiceField(
        queryset=Vacancy.objects.none(),
        widget=AutocompleteSelectMultiple(link_field("vacancy"), admin.site),
        help_text="Live jobs only. Each recipient gets a personal link to each.",
    )
    candidates = forms.ModelMultipleChoiceField(
        queryset=Candidate.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(link_field("candidate"), admin.site),
    )
    emails = forms.CharField(
        label="Or email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or more, separated by commas, spaces or new lines.",
    )
    note = forms.CharField(
        label="Personal note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_emails(self):
        addresses = [part for part in EMAIL_SEPARATORS.split(self.cleaned_data["emails"]) if part]
        for address in addresses:
            try:
                validate_email(address)
            except forms.ValidationError as error:
                raise forms.ValidationError(f"“{address}” is not an email address.") from error
        return addresses

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("candidates") and not cleaned.get("emails") and not self.errors:
            raise forms.ValidationError("Choose at least one candidate or type an email address.")
        chosen = [candidate.email for candidate in cleaned.get("candidates") or ()]
        refuse_suppressed(chosen + (cleaned.get("emails") or []))
        return cleaned


class CopyLinkForm(LiveVacancyChoices, forms.Form):
    live_vacancy_fields = ("vacancy",)

    vacancy = forms.ModelChoiceField(
        queryset=Vacancy.objects.none(),
        widget=AutocompleteSelect(link_field("vacancy"), admin.site),
    )
    candidate = forms.ModelChoiceField(
        queryset=Candidate.objects.all(),
        required=False,
        widget=AutocompleteSelect(link_field("candidate"), admin.site),
    )
    email = forms.EmailField(required=False, help_text="If they are not a candidate yet.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("candidate") and not cleaned.get("email") and not self.errors:
            raise forms.ValidationError("Choose a candidate or type an email address.")
        candidate = cleaned.get("candidate")
        refuse_suppressed([candidate.email if candidate else cleaned.get("email")])
        return cleaned


REPORT_GROUPS = {
    "vacancy": ("vacancy__reference", "vacancy__title"),
    "consultant": ("sender__name",),
    "candidate": ("email",),
}


def link_report(group):
    rows = (
        EnquiryLink.objects.values(*REPORT_GROUPS[group])
        .annotate(
            sent=Count("pk", distinct=True),
            opened=Count("pk", distinct=True, filter=Q(open_count__gt=0)),
            enquired=Count("pk", distinct=True, filter=Q(enquiries__isnull=False)),
        )
        .order_by("-sent", *REPORT_GROUPS[group])
    )
    for row in rows:
        row["label"] = " ".join(str(row[field]) for field in REPORT_GROUPS[group])
        row["conversion"] = f"{row['enquired'] / row['sent']:.0%}" if row["sent"] else "–"
    return rows


class EnquiryLinkAdmin(admin.ModelAdmin):
    list_display = (
        "vacancy",
        "email",
        "sender",
        "channel",
        "created_at",
        "expires_at",
        "state",
        "open_count",
        "first_opened_at",
        "enquiry_count",
    )
    list_filter = ("sender", "channel", "created_at")
    search_fields = ("email", "vacancy__title", "vacancy__reference", "candidate__name")
    list_select_related = ("vacancy", "sender")
    autocomplete_fields = ("vacancy", "candidate")
    readonly_fields = (
        "token",
        "url",
        "vacancy",
        "sender",
        "candidate",
        "email",
        "message",
        "channel",
        "created_at",
        "expires_at",
        "revoked_at",
        "first_opened_at",
        "last_opened_at",
        "open_count",
    )
    actions = ["revoke", "extend"]
    change_list_template = "admin/candidates/enquirylink/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enquiry_total=Count("enquiries"))

    def has_add_permission(self, request):
        return False  # links are made by "Send to candidates" or "Copy a link"

    @admin.display(description="Enquiries", ordering="enquiry_total")
    def enquiry_count(self, link):
        return link.enquiry_total

    @admin.display(description="State")
    def state(self, link):
        if link.revoked_at:
            return "revoked"
        if link.expires_at <= timezone.now():
            return "expired"
        return "opened" if link.open_count else "not opened"

    @admin.display(description="Link")
    def url(self, link):
        return link.url

    @admin.action(description="Revoke selected links", permissions=["change"])
    def revoke(self, request, queryset):
        for link in queryset:
            link.revoke()
        self.message_user(request, f"{len(queryset)} link(s) revoked.")

    @admin.action(description="Extend selected links by the usual period", permissions=["change"])
    def extend(self, request, queryset):
        for link in queryset:
            link.extend()
        self.message_user(request, f"{len(queryset)} link(s) extended.")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("send/", view(self.send_view), name="candidates_enquirylink_send"),
            path("copy/", view(self.copy_view), name="candidates_enquirylink_copy"),
            path("report/", view(self.report_view), name="candidates_enquirylink_report"),
            *super().get_urls(),
        ]

    def sender_or_refuse(self, request):
        if not self.has_view_permission(request) or not request.user.has_perm(
            "candidates.add_enquirylink"
        ):
            raise PermissionDenied
        return getattr(request.user, "consultant", None)

    def send_view(self, request):
        """Send one or more candidates a personal link to one or more jobs."""
        sender = self.sender_or_refuse(request)
        initial = {
            "vacancies": request.GET.getlist("vacancy"),
            "candidates": request.GET.getlist("candidate"),
        }
        form = SendLinksForm(request.POST or None, initial=initial)
        preview = None
        if request.method == "POST" and sender and form.is_valid():
            data = form.cleaned_data
            recipients = links.recipients_for(data["candidates"], data["emails"])
            if "_send" in request.POST:
                sent = links.send_links(
                    sender=sender,
                    vacancies=list(data["vacancies"]),
                    recipients=recipients,
                    note=data["note"],
                )
                self.message_user(
                    request,
                    f"{len(sent)} email(s) queued, each with personal links.",
                    messages.SUCCESS,
                )
                return redirect("admin:candidates_linkmessage_changelist")
            preview = self.preview(sender, recipients, data)
        return self.page(
            request, "send.html", "Send jobs to candidates", form, sender=sender, preview=preview
        )

    def page(self, request, template, title, form=None, **context):
        """One of our own admin pages, with what the admin's templates expect."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "media": self.media + (form.media if form else forms.Media()),
            "opts": self.model._meta,
            **context,
        }
        return TemplateResponse(request, f"admin/candidates/enquirylink/{template}", context)

    @staticmethod
    def preview(sender, recipients, data):
        email, candidate = recipients[0]
        message = LinkMessage(sender=sender, candidate=candidate, email=email, note=data["note"])
        sample = [
            EnquiryLink(vacancy=vacancy, sender=sender, email=email, token=PREVIEW_TOKEN)
            for vacancy in data["vacancies"]
        ]
        subject, body = links.render_email(message, sample)
        return {"to": [address for address, _ in recipients], "subject": subject, "body": body}

    def copy_view(self, request):
        """A personal link (and a ready mailto:) for a consultant's own mail client."""
        sender = self.sender_or_refuse(request)
        form = CopyLinkForm(request.POST or None, initial={"vacancy": request.GET.get("vacancy")})
        made = None
        if request.method == "POST" and sender and form.is_valid():
            data = form.cleaned_data
            candidate = data["candidate"]
            email = candidate.email if candidate else data["email"]
            made = links.copy_link(
                sender=sender, vacancy=data["vacancy"], email=email, candidate=candidate
            )
            subject = f"A job for you: {made.vacancy.title}"
            body = f"{made.vacancy.title}, {made.vacancy.location}\n\nRead it and apply: {made.url}"
            made.mailto = f"mailto:{email}?subject={quote(subject)}&body={quote(body)}"
        return self.page(
            request, "copy.html", "Copy a personal link", form, sender=sender, made=made
        )

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        group = request.GET.get("by", "vacancy")
        if group not in REPORT_GROUPS:
            group = "vacancy"
        rows = link_report(group)
        if request.GET.get("format") == "csv":
            return self.report_csv(group, rows)
        return self.page(
            request,
            "report.html",
            f"Personal links by {group}",
            rows=rows,
            group=group,
            groups=list(REPORT_GROUPS),
        )

    @staticmethod
    def report_csv(group, rows):
        return csv_response(
            f"links-by-{group}.csv",
            [group, "sent", "opened", "enquired", "conversion"],
            [
                [row["label"], row["sent"], row["opened"], row["enquired"], row["conversion"]]
                for row in rows
            ],
        )


class LinkMessageAdmin(admin.ModelAdmin):
    list_display = ("email", "sender", "created_at", "email_state")
    list_filter = ("sender", "created_at")
    search_fields = ("email", "candidate__name")
    list_select_related = ("sender",)
    readonly_fields = ("sender", "candidate", "email", "note", "created_at", "emails_sent")
    actions = ["send_again"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(email_state=latest_state(LinkMessage))

    def has_add_permission(self, request):
        return False

    @admin.display(description="Email")
    def email_state(self, message):
        return state_label(message.email_state)

    @admin.display(description="Emails (outbox)")
    def emails_sent(self, message):
        return emails_about(message)

    @admin.action(description="Send again", permissions=["change"])
    def send_again(self, request, queryset):
        count = delivery.send_again(Message.objects.about_any(queryset))
        self.message_user(request, f"{count} email(s) queued again.", messages.SUCCESS)
