from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from candidates.uploads import validate_cv
from jobs.models import Consultant

from . import services
from .models import FeeSplit, Placement, PlacementKind, TermsOfBusiness

# The browser's own date picker: it reads and sends ISO dates, whatever the site's language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlacementForm(forms.ModelForm):
    """What a consultant types when an offer is accepted; the service works out the rest."""

    class Meta:
        model = Placement
        fields = [
            "kind",
            "offer_accepted_on",
            "start_date",
            "payment_days",
            "salary",
            "fee_percent",
            "fee",
            "rebate_schedule",
            "rate_unit",
            "pay_rate",
            "charge_rate",
            "units_per_week",
            "expected_weeks",
            "ir35_status",
            "ir35_determined_on",
            "notes",
        ]
        labels = {
            "salary": "Base salary (£ a year)",
            "fee": "Fee (£)",
            "pay_rate": "Pay rate (£)",
            "charge_rate": "Charge rate (£)",
            "payment_days": "Payment terms (days)",
            "ir35_determined_on": "Date of the client's status determination statement",
        }
        help_texts = {
            "fee": "Leave empty to work it out from the percentage; give it alone for a fixed "
            "fee. Given with a percentage, the two must agree.",
            "rebate_schedule": TermsOfBusiness._meta.get_field("rebate_schedule").help_text
            + " Permanent placements only.",
            "rate_unit": "Contracts: the rates are per hour or per day.",
            "units_per_week": "Contracts: hours or days a week, as the rates.",
            "expected_weeks": "Contracts: how long the contract is expected to run.",
        }
        widgets = {
            "offer_accepted_on": DATE,
            "start_date": DATE,
            "ir35_determined_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in services.PERMANENT_FIELDS + services.CONTRACT_FIELDS:
            self.fields[name].required = False
        for name in ("salary", "fee", "pay_rate", "charge_rate"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        for name in ("units_per_week", "expected_weeks"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs["min"] = 1
        self.fields["fee_percent"].validators += [MinValueValidator(0), MaxValueValidator(100)]
        self.fields["kind"].widget = forms.RadioSelect(choices=PlacementKind.choices)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["start_date"] < data["offer_accepted_on"]:
            self.add_error("start_date", "The start date is before the offer was accepted.")
            return data
        try:
            services.figures(data["kind"], data)
        except ValidationError as error:
            self.add_error(None, error)  # by the field it names, if it names one
        return data


class SplitForm(forms.ModelForm):
    class Meta:
        model = FeeSplit
        fields = ["consultant", "percent"]
        labels = {"percent": "Share (%)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = Consultant.objects.filter(is_active=True)
        self.fields["consultant"].required = False
        self.fields["percent"].required = False
        self.fields["percent"].min_value = Decimal("0.01")


class BaseSplitFormSet(forms.BaseFormSet):
    def shares(self):
        return [
            (form.cleaned_data["consultant"], form.cleaned_data["percent"])
            for form in self.forms
            if form.cleaned_data.get("consultant") or form.cleaned_data.get("percent")
        ]

    def clean(self):
        if any(self.errors):
            return
        for form in self.forms:
            consultant, percent = (
                form.cleaned_data.get("consultant"),
                form.cleaned_data.get("percent"),
            )
            if bool(consultant) != (percent is not None):
                raise ValidationError("Each share needs both a consultant and a percentage.")
        services.check_splits(self.shares())


SplitFormSet = forms.formset_factory(SplitForm, formset=BaseSplitFormSet, extra=0, max_num=6)


def split_formset(data=None, *, consultant=None):
    initial = [{"consultant": consultant, "percent": Decimal(100)}] if consultant else []
    formset = SplitFormSet(data, initial=initial, prefix="split")
    formset.extra = 3 - len(initial)
    return formset


def placement_initial(entry):
    """What the form starts with: the client's terms, and the offer's date."""
    terms = TermsOfBusiness.objects.filter(client=entry.vacancy.client).first()
    contract = entry.vacancy.contract_type != entry.vacancy.ContractType.PERMANENT
    offered = services.latest_offer_date(entry) or timezone.localdate()
    initial = {
        "kind": PlacementKind.CONTRACT if contract else PlacementKind.PERMANENT,
        "offer_accepted_on": offered,
        "start_date": offered + timedelta(days=28),
        "payment_days": terms.payment_days if terms else 30,
    }
    if not contract:
        initial["fee_percent"] = terms.fee_percent if terms else Decimal("20.00")
        initial["rebate_schedule"] = terms.rebate_schedule if terms else ""
    return initial


class InvoicedForm(forms.Form):
    number = forms.CharField(label="Invoice number", max_length=50)
    on = forms.DateField(label="Invoice date", widget=DATE, initial=timezone.localdate)


class PaidForm(forms.Form):
    on = forms.DateField(label="Paid on", widget=DATE, initial=timezone.localdate)


class LeftEarlyForm(forms.Form):
    on = forms.DateField(
        label="Their last day",
        widget=DATE,
        help_text="The rebate is worked out from the client's schedule on this placement.",
    )


class PlacementChangeForm(forms.ModelForm):
    """The admin's own form for a recorded placement: its dates and notes, nothing else."""

    class Meta:
        model = Placement
        fields = ["start_date", "notes"]
        widgets = {"start_date": DATE}

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        placement = self.instance
        if start < placement.offer_accepted_on:
            raise ValidationError("The start date is before the offer was accepted.")
        if placement.left_on and start > placement.left_on:
            raise ValidationError("The start date is after their last day.")
        return start


class TermsForm(forms.ModelForm):
    class Meta:
        model = TermsOfBusiness
        fields = [
            "client",
            "fee_percent",
            "rebate_schedule",
            "payment_days",
            "document",
            "agreed_on",
        ]
        widgets = {"agreed_on": DATE}

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):  # a new upload
            try:
                validate_cv(document)
            except ValidationError as error:
                raise ValidationError(
                    "Upload the terms as a PDF, Word, ODT, RTF or text file whose content "
                    f"matches its name, at most {filesizeformat(settings.CV_MAX_UPLOAD_SIZE)}."
                ) from error
        return document


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise ValidationError("The period ends before it starts.")
        if start and end and (end - start).days > 366 * 5:
            raise ValidationError("Choose a period of at most five years.")
        return data
