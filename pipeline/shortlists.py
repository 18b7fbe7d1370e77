"""Consultants send shortlisted candidates' CVs to a client, from the vacancy's board.

One page: each candidate's agreement to be put forward (recorded here if need be), their
client profile and the CV that would go; then the contacts, the covering note, a preview
of each email, and Send. Nothing is sent unless everything can be.
"""

import statistics

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jobs.models import Client

from . import introductions as service
from . import templating
from .board import board_url, vacancy_or_404
from .desk import profile_of
from .models import Agreement, ClientProfile, EmailTemplate, Introduction, PipelineEntry, Stage

SENDABLE_ROLES = (Stage.Role.SHORTLISTED, Stage.Role.CV_SENT, Stage.Role.INTERVIEW)


def allow(request, permission):
    if not request.user.has_perm(f"pipeline.{permission}"):
        raise PermissionDenied


def sendable(vacancy):
    """Entries whose CVs may go to the client: shortlisted, or sent already (to others)."""
    return (
        PipelineEntry.objects.on_vacancy(vacancy)
        .filter(stage__role__in=SENDABLE_ROLES)
        .select_related("candidate", "stage", "client_profile")
        .order_by("stage__position", "candidate__name", "pk")
    )


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["how", "note"]
        labels = {"how": "They agreed", "note": "Note"}
        widgets = {"note": forms.TextInput(attrs={"size": 40})}


class SendCVsForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.for_purpose(EmailTemplate.Purpose.CLIENT_CVS),
        required=False,
        widget=forms.HiddenInput,
    )
    entries = forms.ModelMultipleChoiceField(
        label="Candidates",
        queryset=PipelineEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the candidates whose CVs to send."},
    )
    contacts = forms.ModelMultipleChoiceField(
        label="To",
        queryset=PipelineEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the contacts to send them to."},
        help_text="Each contact gets their own email and their own review link.",
    )
    subject = forms.CharField(
        max_length=200, validators=[templating.check], widget=forms.TextInput(attrs={"size": 70})
    )
    note = forms.CharField(
        label="Covering note",
        max_length=5000,
        validators=[templating.check],
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="Plain text; the candidates and the review link follow it. Placeholders: "
        + ", ".join(map(templating.shown, templating.PLACEHOLDERS)),
    )

    def __init__(self, *args, vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        self.fields["entries"].queryset = sendable(vacancy)
        self.fields["entries"].label_from_instance = lambda entry: (
            f"{entry.candidate.name} ({entry.stage.name})"
        )
        self.fields["contacts"].queryset = vacancy.client.contacts.order_by("name")
        self.fields["contacts"].label_from_instance = lambda contact: (
            f"{contact.name}, {contact.email}"
            if contact.email
            else f"{contact.name} (no email address)"
        )

    def clean_note(self):
        return self.cleaned_data["note"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        entries, contacts = cleaned.get("entries"), cleaned.get("contacts")
        if entries and contacts:
            for problem in service.problems(list(entries), list(contacts), self.vacancy.client):
                self.add_error(None, problem)
        return cleaned


def first_template(request):
    """The covering note's starting text: the template asked for, or the first there is."""
    templates = EmailTemplate.objects.for_purpose(EmailTemplate.Purpose.CLIENT_CVS)
    asked = request.GET.get("template", "")
    if asked.isdigit():
        return templates.filter(pk=asked).first()
    return templates.first()


def previews(form, consultant):
    """Each contact's email as it will go."""
    data, vacancy = form.cleaned_data, form.vacancy
    shown = []
    for contact in data["contacts"]:
        values = templating.values_for(vacancy=vacancy, consultant=consultant, contact=contact)
        shown.append(
            {
                "contact": contact,
                "subject": templating.fill(data["subject"], values),
                "note": templating.fill(data["note"], values),
            }
        )
    return shown


def candidate_rows(vacancy):
    """What the page shows of each sendable candidate: agreement, profile, CV to go."""
    rows = []
    agreements = {
        agreement.candidate_id: agreement
        for agreement in Agreement.objects.filter(client=vacancy.client).select_related(
            "recorded_by"
        )
    }
    for entry in sendable(vacancy):
        cv = service.cv_to_send(entry)
        rows.append(
            {
                "entry": entry,
                "profile_url": profile_url(entry),
                "agreement": agreements.get(entry.candidate_id),
                "agreement_form": AgreementForm(prefix=f"a{entry.pk}"),
                "profile": service.profile_of(entry),
                "cv_name": cv[1] if cv else "",
            }
        )
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
def send(request, model_admin, vacancy_id):
    allow(request, "view_pipelineentry")
    vacancy = vacancy_or_404(vacancy_id)
    consultant = profile_of(request.user) or vacancy.consultant
    template = first_template(request)
    initial = {"template": template}
    if template:
        initial.update(subject=template.subject, note=template.body)
    posted = request.method == "POST"
    form = SendCVsForm(request.POST if posted else None, vacancy=vacancy, initial=initial)
    shown = None
    if posted:
        allow(request, "add_introduction")
        if form.is_valid():
            shown = previews(form, consultant)
            if "_send" in request.POST:
                if response := sent(request, form, vacancy, consultant):
                    return response
                shown = None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": PipelineEntry._meta,
        "title": f"Send CVs to {vacancy.client}",
        "vacancy": vacancy,
        "consultant": consultant,
        "rows": candidate_rows(vacancy),
        "form": form,
        "previews": shown,
        "templates": EmailTemplate.objects.for_purpose(EmailTemplate.Purpose.CLIENT_CVS),
        "template": template,
        "can_send": request.user.has_perm("pipeline.add_introduction"),
        "can_agree": request.user.has_perm("pipeline.add_agreement"),
    }
    status = 400 if form.errors else 200
    return TemplateResponse(request, "admin/pipeline/send_cvs.html", context, status=status)


def sent(request, form, vacancy, consultant):
    """Send, and the redirect to the board; None (the form given the reasons) if refused."""
    data = form.cleaned_data
    entries, contacts = list(data["entries"]), list(data["contacts"])
    try:
        service.send_cvs(
            vacancy=vacancy,
            entries=entries,
            contacts=contacts,
            subject=data["subject"],
            note=data["note"],
            template=data["template"],
            consultant=consultant,
            by=request.user,
        )
    except ValidationError as error:  # something changed since the page checked (a file gone)
        for message in error.messages:
            form.add_error(None, message)
        return None
    messages.success(
        request,
        f"{len(entries)} CV(s) sent to {len(contacts)} contact(s): each email is in the outbox, "
        "with its own review link.",
    )
    return HttpResponseRedirect(board_url(vacancy))


@require_POST
def agree(request, model_admin, vacancy_id, entry_id):
    """Record that a candidate agreed to be put forward to this vacancy's client."""
    allow(request, "add_agreement")
    vacancy = vacancy_or_404(vacancy_id)
    entry = get_object_or_404(PipelineEntry, pk=entry_id, vacancy=vacancy)
    form = AgreementForm(request.POST, prefix=f"a{entry.pk}")
    url = reverse("admin:pipeline_board_send_cvs", args=[vacancy.pk]) + f"#entry-{entry.pk}"
    if form.is_valid():
        service.record_agreement(
            candidate=entry.candidate,
            client=vacancy.client,
            how=form.cleaned_data["how"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, "Agreement to be put forward recorded.")
    else:
        messages.error(request, "Nothing was recorded: say how they agreed.")
    return HttpResponseRedirect(url)


# Introductions: how long clients take to answer -------------------------------------------


def in_words(duration):
    """A duration as a person says it: "2 days 3 h", "5 h 10 min", "40 min"."""
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days > 1 else ''} {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def response_times(introductions, key, label):
    """Rows per `key` (a field name): CVs sent, answered, waiting, median and slowest answer."""
    now = timezone.now()
    groups = {}
    for row in introductions.values(key, label, "sent_at", "first_response_at"):
        group = groups.setdefault(
            row[key], {"name": row[label], "sent": 0, "answered": [], "waiting": []}
        )
        group["sent"] += 1
        if row["first_response_at"]:
            group["answered"].append(row["first_response_at"] - row["sent_at"])
        else:
            group["waiting"].append(now - row["sent_at"])
    rows = []
    for pk, group in groups.items():
        answered = group["answered"]
        rows.append(
            {
                "pk": pk,
                "name": group["name"],
                "sent": group["sent"],
                "answered": len(answered),
                "waiting": len(group["waiting"]),
                "median": in_words(statistics.median(answered)) if answered else "—",
                "slowest": in_words(max(answered)) if answered else "—",
                "longest_waiting": in_words(max(group["waiting"])) if group["waiting"] else "—",
            }
        )
    return sorted(rows, key=lambda row: str(row["name"]).lower())


def responses(request, model_admin):
    """Per client, or per vacancy (of one client, or all): how fast CVs are answered."""
    allow(request, "view_introduction")
    introductions = Introduction.objects.all()
    client = None
    if (client_id := request.GET.get("client", "")).isdigit():
        client = get_object_or_404(Client, pk=client_id)
        introductions = introductions.filter(client=client)
    if (vacancy_id := request.GET.get("vacancy", "")).isdigit():
        introductions = introductions.filter(Q(vacancy_id=vacancy_id))
    by = "vacancy" if request.GET.get("by") == "vacancy" or client else "client"
    if by == "vacancy":
        rows = response_times(introductions, "vacancy", "vacancy__title")
    else:
        rows = response_times(introductions, "client", "client__name")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Introduction._meta,
        "title": f"How fast {client or 'clients'} answer CVs",
        "rows": rows,
        "by": by,
        "client": client,
    }
    return TemplateResponse(request, "admin/pipeline/responses.html", context)


def profile_url(entry):
    """The admin page for the entry's client profile: to change it, or to write it."""
    try:
        return reverse("admin:pipeline_clientprofile_change", args=[entry.client_profile.pk])
    except ClientProfile.DoesNotExist:
        return reverse("admin:pipeline_clientprofile_add") + f"?entry={entry.pk}"
