"""The board's forms: move one candidate, move several, add one to a vacancy's pipeline."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils import timezone

from candidates.forms import CVFieldMixin, PublicForm, SingleLineField, cv_field
from candidates.models import Candidate

from . import working_days
from .models import EmailTemplate, PipelineEntry, RejectionReason, Stage

QUICK_FOLLOW_UPS = (1, 3, 5)  # working days
SOURCES = [
    (value, label)
    for value, label in PipelineEntry.Source.choices
    if value != PipelineEntry.Source.APPLICATION
]


def short_date(day):
    return f"{day:%a} {day.day} {day:%b}"


def quick_follow_up_choices(today):
    return [("", "No follow-up")] + [
        (
            str(days),
            f"In {days} working day{'s' if days > 1 else ''} "
            f"({short_date(working_days.after(today, days))})",
        )
        for days in QUICK_FOLLOW_UPS
    ]


class ReasonMixin:
    """A reason is asked for by the stage: required where it needs one, dropped elsewhere."""

    def clean_reason_for_stage(self, cleaned):
        stage, reason = cleaned.get("stage"), cleaned.get("reason")
        if stage is None:
            return
        if not stage.needs_reason:
            cleaned["reason"] = None
        elif reason is None:
            self.add_error("reason", f"Moving to {stage} needs a reason: choose one.")


class MoveForm(ReasonMixin, forms.Form):
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.in_order(),
        error_messages={"required": "Choose the stage to move them to."},
    )
    reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.filter(is_active=True), required=False
    )
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    follow_up_in = forms.TypedChoiceField(choices=[], coerce=int, required=False, empty_value=None)
    follow_up_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    follow_up = SingleLineField(required=False, max_length=200)

    def __init__(self, *args, entry, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.today = today or timezone.localdate()
        self.fields["follow_up_in"].choices = quick_follow_up_choices(self.today)

    def clean(self):
        cleaned = super().clean()
        self.clean_reason_for_stage(cleaned)
        stage = cleaned.get("stage")
        if stage is not None and stage.pk == self.entry.stage_id:
            self.add_error("stage", f"{self.entry.candidate} is already at {stage}.")
        # A date typed in wins over a quick choice.
        due = cleaned.get("follow_up_on")
        if due is None and cleaned.get("follow_up_in"):
            due = working_days.after(self.today, cleaned["follow_up_in"])
        if due is not None and due < self.today:
            self.add_error("follow_up_on", "A follow-up cannot be due in the past.")
        if due is None and cleaned.get("follow_up") and "follow_up_on" not in self.errors:
            self.add_error("follow_up_in", "Say when to follow up, or leave “To do” empty.")
        cleaned["due_on"] = due
        return cleaned


class BulkForm(ReasonMixin, forms.Form):
    entries = forms.ModelMultipleChoiceField(
        queryset=PipelineEntry.objects.none(),
        error_messages={"required": "Tick the candidates to move first."},
    )
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.in_order(),
        error_messages={"required": "Choose the stage to move them to."},
    )
    reason = forms.ModelChoiceField(
        queryset=RejectionReason.objects.filter(is_active=True), required=False
    )
    template = forms.ModelChoiceField(
        label="Email",
        queryset=EmailTemplate.objects.for_purpose(EmailTemplate.Purpose.REJECTION),
        required=False,
        empty_label="No email",
    )
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = (
            PipelineEntry.objects.on_vacancy(vacancy).select_related("candidate").order_by("pk")
        )

    def clean(self):
        cleaned = super().clean()
        self.clean_reason_for_stage(cleaned)
        stage = cleaned.get("stage")
        if cleaned.get("template") and stage and stage.role != Stage.Role.REJECTED:
            self.add_error("template", "A rejection email goes only with a move to Rejected.")
        return cleaned


class ExistingCandidateForm(forms.Form):
    candidate = forms.ModelChoiceField(
        queryset=Candidate.objects.all(),
        widget=AutocompleteSelect(PipelineEntry._meta.get_field("candidate"), admin.site),
        error_messages={"required": "Choose a candidate."},
    )
    source = forms.ChoiceField(choices=SOURCES, initial=PipelineEntry.Source.DATABASE)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))


class NewCandidateForm(CVFieldMixin, forms.Form):
    name = SingleLineField(max_length=150)
    email = forms.EmailField(max_length=254)
    phone = SingleLineField(max_length=40, required=False)
    cv = cv_field(required=False)
    source = forms.ChoiceField(choices=SOURCES)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))

    clean_phone = PublicForm.clean_phone

    def __init__(self, *args, oversized=(), extra_uploads=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = set(oversized)
        self.extra_uploads = extra_uploads
        self.fields["cv"].label = "CV (optional)"
