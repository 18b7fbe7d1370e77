import uuid

import phonenumbers
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import format_html

from jobs.models import Sector

from . import held_cvs
from .models import JobAlert
from .storage import STORAGE_ERRORS
from .uploads import CV_EXTENSIONS, too_large_message, validate_cv

MESSAGE_MAX_LENGTH = 5000
ONE_FILE_ONLY = "Please attach one file only: your CV."


class SingleLineField(forms.CharField):
    """Text for one line: any line break or run of spaces becomes one space.

    What goes in these fields reaches email headers (a subject, a display name), where a
    line break would be refused or, worse, read as another header.
    """

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


def consent_label():
    return format_html(
        'I agree to the <a href="{}">privacy notice</a>: {} may keep these details to reply to me.',
        reverse("candidates:privacy"),
        settings.AGENCY["NAME"],
    )


class PublicForm(forms.Form):
    """What every public form shares: a honeypot, a one-time submission id, consent."""

    name = SingleLineField(
        label="Your name",
        max_length=150,
        error_messages={"required": "Please tell us your name."},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Please enter your email address."},
    )
    phone = SingleLineField(
        label="Phone (optional)",
        max_length=40,
        required=False,
        help_text="A UK number, or an international one starting with +.",
    )
    # Hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput)
    consent = forms.BooleanField(
        error_messages={"required": "Please agree to the privacy notice so we can contact you."},
    )

    asks_consent = True
    # Where the error summary sends a visitor for an error about the form as a whole.
    non_field_error_field = None

    def __init__(self, *args, oversized=(), extra_uploads=0, visitor="", **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = set(oversized)
        self.extra_uploads = extra_uploads
        self.visitor = visitor
        if self.asks_consent:
            self.fields["consent"].label = consent_label()
        else:
            del self.fields["consent"]
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())
        hidden = ["website", "submission_id", "link"]
        self.order_fields([*self.field_order_first(), "consent", *hidden])  # absent ones skipped

    def field_order_first(self):
        return ["name", "email", "phone"]

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def error_summary(self):
        """(id of the field to correct, message) for each error, in the order of the form.

        An error about the form as a whole goes with the field that can put it right; a
        hidden field's (a tampered submission id) with the first field.
        """
        visible = self.visible_fields()
        if not visible:
            return []
        target = self.non_field_error_field or visible[0].name
        errors = {field.name: list(field.errors) for field in visible}
        errors[target] = [*self.non_field_errors(), *errors[target]]
        errors[visible[0].name] += [e for field in self.hidden_fields() for e in field.errors]
        return [(field_id(field), error) for field in visible for error in errors[field.name]]

    def clean(self):
        cleaned = super().clean()
        if self.extra_uploads and "cv" not in self.fields:
            raise forms.ValidationError(ONE_FILE_ONLY)
        return cleaned

    def clean_name(self):
        if not self.cleaned_data["name"]:
            raise forms.ValidationError("Please tell us your name.")
        return self.cleaned_data["name"]

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, "GB")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                "Please enter a valid phone number, e.g. 020 7946 0000 or +33 1 23 45 67 89."
            )
        fmt = phonenumbers.PhoneNumberFormat
        style = fmt.NATIONAL if number.country_code == 44 else fmt.INTERNATIONAL
        return phonenumbers.format_number(number, style)


def field_id(bound_field):
    """The id of the control to move to: a radio group's first button."""
    if isinstance(bound_field.field.widget, forms.RadioSelect):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


class CVFieldMixin:
    """The CV field, and the CV held from this visitor's last try (candidates.held_cvs)."""

    held_cv = None
    held_cv_refused = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        token = self.data.get(held_cvs.FIELD, "") if self.is_bound else ""
        if not token or self.files.get("cv") or getattr(self, "visitor", None) is None:
            return  # a new file replaces the held one; staff forms hold none
        try:
            self.show_held_cv(held_cvs.find(token, self.visitor))
        except held_cvs.HeldCVRefused as refusal:
            self.held_cv_refused = str(refusal)

    def show_held_cv(self, held):
        """The form offers the held CV in place of a new one (a new one still replaces it)."""
        self.held_cv = held
        self.fields["cv"].required = False
        self.fields["cv"].label = "A different CV"

    def clean_cv(self):
        if self.extra_uploads:
            # The upload handler skipped the others, and Django closed the first file then.
            raise forms.ValidationError(ONE_FILE_ONLY)
        if "cv" in self.oversized:
            raise forms.ValidationError(too_large_message())
        cv = self.cleaned_data.get("cv")
        if not cv and self.held_cv_refused:
            raise forms.ValidationError(self.held_cv_refused)
        if not cv and self.held_cv:
            try:
                cv = held_cvs.read(self.held_cv)
            except held_cvs.HeldCVRefused as refusal:
                self.held_cv = None
                raise forms.ValidationError(str(refusal)) from refusal
        if cv:
            validate_cv(cv)
        return cv

    @property
    def cv_is_held(self):
        """The valid CV this form carries was held from the visitor's last try."""
        return self.held_cv is not None and not self.files.get("cv")


def cv_field(required):
    accept = ",".join(CV_EXTENSIONS)
    return forms.FileField(
        label="Your CV" if required else "Your CV (optional)",
        required=required,
        error_messages={"required": "Please attach your CV."},
        help_text=(
            f"PDF, Word, ODT, RTF or plain text, up to "
            f"{settings.CV_MAX_UPLOAD_SIZE // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": accept}),
    )


def message_field(label, required):
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": "Please write your message."},
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class EnquiryForm(CVFieldMixin, PublicForm):
    """An application (with a CV) or a quick question (without) about one job.

    For a candidate signed in to their space (candidates.space) it offers their current CV,
    `saved_cv`, ticked: they apply in one step, or attach a different one.
    """

    message = message_field("Your message or question", required=False)
    cv = cv_field(required=False)
    # The consultant's personal link this form was opened from, if any.
    link = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    non_field_error_field = "message"

    def __init__(self, *args, saved_cv=None, **kwargs):
        self.saved_cv = saved_cv
        super().__init__(*args, **kwargs)
        if saved_cv is not None:
            self.fields["use_saved_cv"] = forms.BooleanField(
                required=False,
                initial=True,
                label=f"Send my CV on file: {saved_cv.download_name}",
                help_text="Or attach a different one below: it is sent instead.",
            )
            self.fields["cv"].label = "A different CV (optional)"
            self.order_fields(
                [*self.field_order_first(), "consent", "website", "submission_id", "link"]
            )

    def field_order_first(self):
        if self.saved_cv is not None:
            return ["name", "email", "phone", "message", "use_saved_cv", "cv"]
        return ["name", "email", "phone", "message", "cv"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("cv") and cleaned.get("use_saved_cv") and self.saved_cv:
            cleaned["cv"] = self.read_saved_cv()
        if not cleaned.get("message") and not cleaned.get("cv") and "cv" not in self.oversized:
            raise forms.ValidationError("Please attach your CV or write us a message.")
        return cleaned

    def read_saved_cv(self):
        """The candidate's CV on file as an upload, checked again like any CV; None if it
        cannot be read (the form then asks for one)."""
        version = self.saved_cv
        try:
            with version.file.open("rb") as file:
                upload = SimpleUploadedFile(version.download_name, file.read())
            validate_cv(upload)
        except (*STORAGE_ERRORS, forms.ValidationError):
            self.add_error("use_saved_cv", "We could not read your CV on file: please attach it.")
            return None
        return upload


class SpeculativeCVForm(CVFieldMixin, PublicForm):
    sector = forms.ModelChoiceField(
        queryset=Sector.objects.all(),
        required=False,
        empty_label="Any sector",
        label="The sector you work in (optional)",
    )
    message = message_field("Anything we should know? (optional)", required=False)
    cv = cv_field(required=True)

    def field_order_first(self):
        return ["name", "email", "phone", "sector", "message", "cv"]


class ContactForm(PublicForm):
    message = message_field("Your message", required=True)

    def field_order_first(self):
        return ["name", "email", "phone", "message"]


class EmployerForm(PublicForm):
    company = SingleLineField(
        label="Company",
        max_length=200,
        error_messages={"required": "Please tell us your company's name."},
    )
    message = message_field("The role, or how we can help", required=True)

    def field_order_first(self):
        return ["name", "company", "email", "phone", "message"]


class JobAlertForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)
    frequency = forms.ChoiceField(
        label="How often",
        choices=JobAlert.Frequency.choices,
        initial=JobAlert.Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    search = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    website = PublicForm.base_fields["website"]

    is_spam = PublicForm.is_spam


class AlertFrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often", choices=JobAlert.Frequency.choices, widget=forms.RadioSelect
    )


class PrivacyRequestForm(PublicForm):
    """A candidate asks for their data, or for it to be erased (no consent needed: it's law)."""

    asks_consent = False
    request = forms.ChoiceField(
        label="What would you like?",
        choices=[
            ("access", "A copy of the data you hold about me"),
            ("erasure", "Erase my data"),
            ("correction", "Correct my data"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what you would like."},
    )
    message = message_field("Anything that helps us find your records (optional)", required=False)

    def field_order_first(self):
        return ["request", "name", "email", "phone", "message"]

    def clean(self):
        cleaned = super().clean()
        if "request" in cleaned:
            label = dict(self.fields["request"].choices)[cleaned["request"]]
            cleaned["message"] = f"Request: {label}\n\n{cleaned.get('message', '')}".strip()
        return cleaned
