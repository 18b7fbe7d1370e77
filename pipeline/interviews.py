"""Consultants schedule, change and cancel interviews, and record how they went.

Every change is a POST answered by a redirect and a message; bad input answers 400 with the
form as typed. An interview overlapping another of the same candidate is a warning: the
form says which, and goes ahead once "Schedule it anyway" is ticked.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import scheduling
from .board import board_url
from .models import Interview, PipelineEntry, RejectionReason

TIME_ZONES = [
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Dubai",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Australia/Sydney",
]
LENGTHS = [(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1½ hours")]
LENGTHS += [(120, "2 hours"), (180, "3 hours"), (240, "4 hours")]


def allow(request, action):
    if not request.user.has_perm(f"pipeline.{action}_interview"):
        raise PermissionDenied


class InterviewForm(forms.Form):
    round = forms.ChoiceField(choices=Interview.Round.choices)
    # Browsers' date and time inputs take ISO values, whatever the site's locale.
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.TypedChoiceField(label="Length", choices=LENGTHS, coerce=int, initial=60)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(zone, zone) for zone in TIME_ZONES],
        initial="Europe/London",
        help_text="The date and time above are in this zone; invitations show it.",
    )
    location = forms.CharField(
        label="Place", max_length=300, required=False, help_text="An address, or “Video call”."
    )
    video_url = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https"
    )
    interviewers = forms.CharField(max_length=300, required=False, help_text="Names and roles.")
    candidate_notes = forms.CharField(
        label="Notes for the candidate",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text="In the candidate's invitation only.",
    )
    contacts = forms.ModelMultipleChoiceField(
        label="Invite from the client",
        queryset=PipelineEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    overlap_ok = forms.BooleanField(
        label="Schedule it anyway", required=False, widget=forms.CheckboxInput
    )
    sequence = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, entry, interview=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry, self.interview = entry, interview
        self.fields["contacts"].queryset = entry.vacancy.client.contacts.order_by("name")
        self.fields["contacts"].label_from_instance = lambda contact: (
            f"{contact.name}, {contact.email}"
            if contact.email
            else f"{contact.name} (no email address)"
        )
        self.overlaps = []

    def clean(self):
        cleaned = super().clean()
        for contact in cleaned.get("contacts") or ():
            if not contact.email:
                self.add_error(
                    "contacts",
                    f"{contact.name} has no email address: add one on the client's page, "
                    "or leave them unticked.",
                )
        if not cleaned.get("location") and not cleaned.get("video_url"):
            self.add_error("location", "Give a place, a video link, or both.")
        if None in (cleaned.get("date"), cleaned.get("start"), cleaned.get("minutes")):
            return cleaned
        zone = ZoneInfo(cleaned.get("time_zone") or "Europe/London")
        naive = datetime.combine(cleaned["date"], cleaned["start"])
        starts_at = naive.replace(tzinfo=zone)
        if starts_at.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
            self.add_error("start", "That time does not exist that day: the clocks go forward.")
            return cleaned
        if starts_at <= timezone.now():
            self.add_error("date", "That time has passed: choose a time still to come.")
            return cleaned
        cleaned["starts_at"] = starts_at
        cleaned["ends_at"] = starts_at + timedelta(minutes=cleaned["minutes"])
        overlapping = Interview.objects.overlapping(
            self.entry.candidate, cleaned["starts_at"], cleaned["ends_at"]
        ).select_related("entry__vacancy")
        if self.interview is not None:
            overlapping = overlapping.exclude(pk=self.interview.pk)
        self.overlaps = list(overlapping)
        if self.overlaps and not cleaned.get("overlap_ok"):
            clash = self.overlaps[0]
            self.add_error(
                "overlap_ok",
                f"{self.entry.candidate} already has an interview then: "
                f"{clash.get_round_display()} for {clash.entry.vacancy.title}, "
                f"{scheduling.when(clash)}. Tick “Schedule it anyway” if that is right.",
            )
        return cleaned

    def details(self):
        data = self.cleaned_data
        names = ["round", "starts_at", "ends_at", "time_zone", "location", "video_url"]
        names += ["interviewers", "candidate_notes"]
        return {name: data[name] for name in names}


def initial_for(interview):
    local = interview.starts_at.astimezone(ZoneInfo(interview.time_zone))
    return {
        "round": interview.round,
        "date": local.date(),
        "start": local.time().replace(second=0, microsecond=0),
        "minutes": interview.minutes,
        "time_zone": interview.time_zone,
        "location": interview.location,
        "video_url": interview.video_url,
        "interviewers": interview.interviewers,
        "candidate_notes": interview.candidate_notes,
        "contacts": list(interview.contacts.all()),
        "sequence": interview.sequence,
    }


def page(request, model_admin, template, title, status=200, **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Interview._meta,
        "title": title,
        **context,
    }
    return TemplateResponse(request, f"admin/pipeline/{template}", context, status=status)


def entries():
    return PipelineEntry.objects.select_related(
        "candidate", "stage", "vacancy__client", "vacancy__consultant"
    )


@require_http_methods(["GET", "HEAD", "POST"])
def schedule(request, model_admin, entry_id):
    allow(request, "add")
    entry = get_object_or_404(entries(), pk=entry_id)
    form = InterviewForm(request.POST or None, entry=entry)
    if request.method == "POST" and form.is_valid():
        if entry.candidate.anonymised_at:
            form.add_error(None, "This candidate's details were removed: nobody can be invited.")
        else:
            interview = scheduling.schedule(
                entry, by=request.user, contacts=form.cleaned_data["contacts"], **form.details()
            )
            messages.success(
                request,
                f"Interview scheduled for {scheduling.when(interview)}: "
                "the invitations are in the outbox.",
            )
            return HttpResponseRedirect(board_url(entry.vacancy, entry))
    return page(
        request,
        model_admin,
        "interview_form.html",
        f"Schedule an interview: {entry.candidate}, {entry.vacancy.title}",
        status=400 if form.errors else 200,
        form=form,
        entry=entry,
        interviews=entry.interviews.order_by("starts_at"),
    )


def scheduled_or_404(pk):
    interview = get_object_or_404(Interview.objects.select_related("entry"), pk=pk)
    entry = entries().get(pk=interview.entry_id)
    interview.entry = entry
    return interview


@require_http_methods(["GET", "HEAD", "POST"])
def reschedule(request, model_admin, pk):
    allow(request, "change")
    interview = scheduled_or_404(pk)
    entry = interview.entry
    if not interview.is_scheduled:
        messages.error(request, "Only a scheduled interview can be changed.")
        return HttpResponseRedirect(reverse("admin:pipeline_interview_change", args=[pk]))
    form = InterviewForm(
        request.POST or None, entry=entry, interview=interview, initial=initial_for(interview)
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.reschedule(
                interview,
                seen_sequence=form.cleaned_data["sequence"],
                by=request.user,
                contacts=list(form.cleaned_data["contacts"]),
                **form.details(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Interview changed: everyone invited is sent the update.")
            return HttpResponseRedirect(board_url(entry.vacancy, entry))
    return page(
        request,
        model_admin,
        "interview_form.html",
        f"Change the interview: {entry.candidate}, {entry.vacancy.title}",
        status=400 if form.errors else 200,
        form=form,
        entry=entry,
        interview=interview,
    )


class CancelForm(forms.Form):
    sequence = forms.IntegerField(widget=forms.HiddenInput)


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, model_admin, pk):
    allow(request, "change")
    interview = scheduled_or_404(pk)
    form = CancelForm(request.POST or None, initial={"sequence": interview.sequence})
    error = ""
    if not interview.is_scheduled:
        error = "This interview is not scheduled any more."
    elif request.method == "POST" and form.is_valid():
        try:
            scheduling.cancel(
                interview, seen_sequence=form.cleaned_data["sequence"], by=request.user
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "Interview cancelled: everyone invited is told.")
            return HttpResponseRedirect(board_url(interview.entry.vacancy, interview.entry))
    bad = request.method == "POST" and (bool(error) or not form.is_valid())
    return page(
        request,
        model_admin,
        "interview_cancel.html",
        "Cancel this interview?",
        status=400 if bad else 200,
        form=form,
        interview=interview,
        when=scheduling.when(interview),
        error=error,
    )


class OutcomeForm(forms.Form):
    candidate_feedback = forms.CharField(
        label="The candidate's feedback",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
    )
    client_feedback = forms.CharField(
        label="The client's feedback",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
    )
    outcome = forms.ChoiceField(choices=Interview.Outcome.choices, widget=forms.RadioSelect)
    reason = forms.ModelChoiceField(
        label="Reason (if not taken further)",
        queryset=RejectionReason.objects.filter(is_active=True),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Interview.Outcome.REJECTED and not cleaned.get("reason"):
            self.add_error("reason", "Say why they are not taken further.")
        return cleaned


@require_http_methods(["GET", "HEAD", "POST"])
def outcome(request, model_admin, pk):
    allow(request, "change")
    interview = scheduled_or_404(pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheduling.record_outcome(interview, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Outcome recorded: {interview.get_outcome_display()}.")
            return HttpResponseRedirect(board_url(interview.entry.vacancy, interview.entry))
    return page(
        request,
        model_admin,
        "interview_outcome.html",
        f"How did it go? {interview.entry.candidate}, {interview.get_round_display()}",
        status=400 if form.errors else 200,
        form=form,
        interview=interview,
        when=scheduling.when(interview),
    )
