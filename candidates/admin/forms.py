"""The small forms on a candidate's page: a note, and a CV upload."""

from django import forms

from ..models import Note
from ..uploads import CV_EXTENSIONS, too_large_message, validate_cv


class NoteForm(forms.ModelForm):
    prefix = "note"  # the candidate's own form shares the page

    class Meta:
        model = Note
        fields = ["kind", "outcome", "entry", "text"]
        labels = {"kind": "What", "outcome": "How the call went", "text": "Note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        entries = candidate.pipeline_entries.select_related("vacancy").order_by("-created_at")
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda entry: str(entry.vacancy)
        self.fields["entry"].empty_label = "No particular job"
        self.fields["outcome"].choices = [("", "Not a call"), *Note.Outcome.choices]

    def clean(self):
        cleaned = super().clean()
        kind, outcome = cleaned.get("kind"), cleaned.get("outcome")
        if kind == Note.Kind.CALL and not outcome:
            self.add_error("outcome", "Say how the call went.")
        elif kind and kind != Note.Kind.CALL and outcome:
            self.add_error("outcome", "Only a call has an outcome.")
        elif not cleaned.get("text", "").strip() and kind != Note.Kind.CALL:
            self.add_error("text", "Write the note.")
        return cleaned


class CVUploadForm(forms.Form):
    prefix = "cv"

    file = forms.FileField(
        label="A new CV",
        help_text=f"{', '.join(ext[1:].upper() for ext in CV_EXTENSIONS)}; kept as a new version.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(CV_EXTENSIONS)}),
    )
    make_current = forms.BooleanField(
        label="Make it their current CV", required=False, initial=True
    )

    def __init__(self, *args, oversized=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = set(oversized)

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_cv(file)
        return file

    def full_clean(self):
        super().full_clean()
        if self.add_prefix("file") in self.oversized:  # skipped as it arrived: say why
            self.errors.pop("file", None)
            self.add_error("file", too_large_message())
