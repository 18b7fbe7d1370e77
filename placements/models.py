"""Placements: an accepted offer becomes a fee (or a contract's margin), shared by consultants.

Every amount is pounds and pence, rounded once by the rule in placements/money.py.
"""

import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, private_storage
from jobs.models import Client, Consultant, Vacancy
from pipeline.models import FollowUp, PipelineEntry, Stage
from recruitment.locking.models import VersionedModel

from . import money

PERCENT = {"max_digits": 5, "decimal_places": 2}
AMOUNT = {"max_digits": 12, "decimal_places": 2}


def percent_between_0_and_100(name):
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100})


def validate_rebate_schedule(text):
    money.parse_rebate_schedule(text)


def random_terms_name(instance, filename):
    """A random name: the file's own name may say more than the storage needs to know."""
    return f"terms/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


class TermsOfBusiness(VersionedModel):
    """A client's terms of business with the agency: what a placement with them starts from."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="terms")
    fee_percent = models.DecimalField(
        "fee (% of salary)",
        **PERCENT,
        default=Decimal("20.00"),
        help_text="Permanent placements: the fee as a percentage of the first year's salary.",
    )
    rebate_schedule = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_rebate_schedule],
        help_text="Weeks:percent of the fee refunded if the candidate leaves within that many "
        "weeks of starting, shortest first. “4:100, 8:50, 12:0”: all of it within 4 weeks, "
        "half within 8, nothing after. Empty: no rebate.",
    )
    payment_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days the client has to pay an invoice."
    )
    document = models.FileField(
        "terms document",
        upload_to=random_terms_name,
        storage=private_storage,
        blank=True,
        help_text="The signed terms (PDF, Word, ODT, RTF or text). Staff only.",
    )
    document_name = models.CharField(max_length=255, blank=True, editable=False)
    agreed_on = models.DateField(null=True, blank=True, help_text="When the client agreed them.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "terms of business"
        verbose_name_plural = "terms of business"
        ordering = ["client__name"]
        constraints = [
            models.CheckConstraint(
                condition=percent_between_0_and_100("fee_percent"),
                name="terms_fee_percent_0_to_100",
                violation_error_message="A fee percentage is between 0 and 100.",
            )
        ]

    def __str__(self):
        return f"Terms of business: {self.client}"

    @property
    def rebate_bands(self):
        return money.parse_rebate_schedule(self.rebate_schedule)


class PlacementKind(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    CONTRACT = "contract", "Contract"


class RateUnit(models.TextChoices):
    HOUR = "hour", "per hour"
    DAY = "day", "per day"


class IR35Status(models.TextChoices):
    INSIDE = "inside", "Inside IR35"
    OUTSIDE = "outside", "Outside IR35"


class InvoiceStatus(models.TextChoices):
    TO_INVOICE = "to_invoice", "To invoice"
    INVOICED = "invoiced", "Invoiced"
    PAID = "paid", "Paid"
    CREDITED = "credited", "Credited (rebate)"


class Channel(models.TextChoices):
    """Where a candidate on a pipeline came from: their application's source, or how a
    consultant found them (PipelineEntry.source). The keys of both never overlap."""

    DIRECT = "direct", "Applied: the site (search or direct)"
    FEED = "feed", "Applied: a job board (our feed)"
    LINK = "link", "Applied: a consultant's personal link"
    DATABASE = "database", "Sourced: our database"
    REFERRAL = "referral", "Sourced: referral"
    JOB_BOARD = "job_board", "Sourced: a job board"
    SOCIAL = "social", "Sourced: social media"
    HEADHUNT = "headhunt", "Sourced: headhunted"
    OTHER = "other", "Sourced: other"

    @classmethod
    def applied(cls):
        return [cls.DIRECT, cls.FEED, cls.LINK]


def channel_of(entry):
    if entry.source == PipelineEntry.Source.APPLICATION:
        source = entry.enquiry.source if entry.enquiry_id else Channel.DIRECT
        return source if source in Channel.values else Channel.DIRECT
    return entry.source if entry.source in Channel.values else Channel.OTHER


class PlacementQuerySet(models.QuerySet):
    def permanent(self):
        return self.filter(kind=PlacementKind.PERMANENT)

    def to_invoice(self):
        return self.permanent().filter(invoice_status=InvoiceStatus.TO_INVOICE)

    def due_for_invoice(self, today=None):
        """To invoice, and started: what the invoice export lists."""
        return self.to_invoice().filter(start_date__lte=today or timezone.localdate())

    def placed_between(self, start, end):
        """Recorded in the period (local dates, both included)."""
        return self.filter(placed_on__gte=start, placed_on__lte=end)

    def visible_to(self, user):
        """Everyone's for those who see the team's numbers; else the ones they share in."""
        if user.has_perm("placements.view_team_numbers"):
            return self
        return self.filter(
            Q(splits__consultant__user=user) | Q(vacancy__consultant__user=user)
        ).distinct()


class Placement(VersionedModel):
    """A candidate placed in a vacancy: the figures, who shares the fee, and its invoicing.

    Personal data (the candidate) is staff only; the figures outlive the candidate's erasure.
    """

    Kind = PlacementKind
    RateUnit = RateUnit
    IR35 = IR35Status
    InvoiceStatus = InvoiceStatus
    Channel = Channel

    entry = models.OneToOneField(
        PipelineEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement",
        help_text="The pipeline entry it closed.",
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="placements")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="placements")
    kind = models.CharField(max_length=10, choices=PlacementKind.choices)
    channel = models.CharField(
        max_length=10,
        choices=Channel.choices,
        help_text="Where the candidate came from, as recorded when placed.",
    )
    link_sender = models.ForeignKey(
        Consultant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The consultant whose personal link the application came through.",
    )
    applied_at = models.DateTimeField(
        null=True, blank=True, help_text="When the candidate joined the vacancy's pipeline."
    )
    offer_accepted_on = models.DateField()
    start_date = models.DateField()
    placed_at = models.DateTimeField(default=timezone.now)
    placed_on = models.DateField(
        default=timezone.localdate, help_text="The day it was recorded: the report counts it then."
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_days = models.PositiveSmallIntegerField(default=30)
    notes = models.TextField(blank=True, help_text="Staff only.")

    # Permanent
    salary = models.DecimalField(**AMOUNT, null=True, blank=True, help_text="A year, in £.")
    fee_percent = models.DecimalField(
        "fee (% of salary)",
        **PERCENT,
        null=True,
        blank=True,
        help_text="Empty for a fixed fee.",
    )
    fee = models.DecimalField(**AMOUNT, null=True, blank=True)
    rebate_schedule = models.CharField(
        max_length=100, blank=True, validators=[validate_rebate_schedule]
    )
    left_on = models.DateField(
        null=True, blank=True, help_text="The candidate's last day, if they left early."
    )
    credit = models.DecimalField(
        **AMOUNT, null=True, blank=True, help_text="The fee refunded under the rebate schedule."
    )

    # Contract
    rate_unit = models.CharField(max_length=4, choices=RateUnit.choices, blank=True)
    pay_rate = models.DecimalField(**AMOUNT, null=True, blank=True)
    charge_rate = models.DecimalField(**AMOUNT, null=True, blank=True)
    units_per_week = models.DecimalField(
        "hours or days a week", max_digits=5, decimal_places=2, null=True, blank=True
    )
    expected_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    margin_per_week = models.DecimalField(**AMOUNT, null=True, blank=True)
    expected_margin = models.DecimalField(
        "margin over the expected length", **AMOUNT, null=True, blank=True
    )
    ir35_status = models.CharField(
        "IR35 status", max_length=7, choices=IR35Status.choices, blank=True
    )
    ir35_determined_on = models.DateField(
        "status determination statement dated", null=True, blank=True
    )

    # Invoicing (permanent placements: contracts are billed from timesheets)
    invoice_status = models.CharField(max_length=10, choices=InvoiceStatus.choices, blank=True)
    invoice_number = models.CharField(max_length=50, blank=True)
    invoiced_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    credited_on = models.DateField(null=True, blank=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        permissions = [("view_team_numbers", "Can see the agency's numbers for every consultant")]
        indexes = [
            models.Index(fields=["placed_on"], name="placement_placed_on"),
            models.Index(fields=["invoice_status", "start_date"], name="placement_to_invoice"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "vacancy"],
                name="placement_once_per_candidate_and_vacancy",
                violation_error_message="This candidate is already placed in this vacancy.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PlacementKind.values), name="placement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="placement_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_date__gte=F("offer_accepted_on")),
                name="placement_starts_after_the_offer",
                violation_error_message="The start date is before the offer was accepted.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("start_date")),
                name="placement_leaves_after_starting",
                violation_error_message="The last day is before the start date.",
            ),
            models.CheckConstraint(
                condition=percent_between_0_and_100("fee_percent"),
                name="placement_fee_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=PlacementKind.PERMANENT,
                        salary__isnull=False,
                        salary__gte=0,
                        fee__isnull=False,
                        fee__gte=0,
                        rate_unit="",
                        pay_rate__isnull=True,
                        charge_rate__isnull=True,
                        units_per_week__isnull=True,
                        expected_weeks__isnull=True,
                        margin_per_week__isnull=True,
                        expected_margin__isnull=True,
                        ir35_status="",
                        ir35_determined_on__isnull=True,
                        invoice_status__in=InvoiceStatus.values,
                    )
                    & (
                        Q(credit__isnull=True)
                        | Q(credit__isnull=False, credit__gte=0, credit__lte=F("fee"))
                    )
                )
                | Q(
                    kind=PlacementKind.CONTRACT,
                    salary__isnull=True,
                    fee_percent__isnull=True,
                    fee__isnull=True,
                    rebate_schedule="",
                    credit__isnull=True,
                    rate_unit__in=RateUnit.values,
                    pay_rate__isnull=False,
                    pay_rate__gte=0,
                    charge_rate__isnull=False,
                    charge_rate__gte=0,
                    units_per_week__isnull=False,
                    units_per_week__gt=0,
                    expected_weeks__isnull=False,
                    expected_weeks__gt=0,
                    margin_per_week__isnull=False,
                    expected_margin__isnull=False,
                    ir35_status__in=IR35Status.values,
                    ir35_determined_on__isnull=False,
                    invoice_status="",
                ),
                name="placement_figures_match_its_kind",
                violation_error_message="A permanent placement has a salary and fee (and may "
                "have a rebate); a contract has rates, an IR35 status and no rebate.",
            ),
            models.CheckConstraint(
                condition=Q(invoice_status__in=["", InvoiceStatus.TO_INVOICE])
                | Q(invoiced_on__isnull=False)
                | Q(invoice_status=InvoiceStatus.CREDITED),
                name="placement_invoiced_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(invoice_status=InvoiceStatus.PAID) | Q(paid_on__isnull=False),
                name="placement_paid_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(invoice_status=InvoiceStatus.CREDITED)
                | Q(credit__isnull=False, credit__gt=0, credited_on__isnull=False),
                name="placement_credited_has_a_credit",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.vacancy.title}"

    def get_absolute_url(self):
        return reverse("admin:placements_placement_change", args=[self.pk])

    @property
    def reference(self):
        return f"PL-{self.pk:06d}" if self.pk else "PL-new"

    @property
    def is_permanent(self):
        return self.kind == PlacementKind.PERMANENT

    @property
    def value(self):
        """What the consultants share: the fee, or a contract's expected margin."""
        return self.fee if self.is_permanent else self.expected_margin

    @property
    def net_fee(self):
        if not self.is_permanent:
            return None
        return self.fee - (self.credit or 0)

    @property
    def has_negative_margin(self):
        return not self.is_permanent and self.expected_margin < 0

    @property
    def margin_per_unit(self):
        if self.is_permanent:
            return None
        return self.charge_rate - self.pay_rate

    @property
    def rebate_bands(self):
        return money.parse_rebate_schedule(self.rebate_schedule)

    @property
    def due_on(self):
        return self.invoiced_on + timedelta(days=self.payment_days) if self.invoiced_on else None

    def invoice_amount(self):
        """What an invoice raised now would ask for: the fee, less any rebate already due."""
        return self.net_fee

    def check_invoicing(self, *allowed):
        if not self.is_permanent:
            raise ValidationError(
                "A contract placement is billed from timesheets, not invoiced here."
            )
        if self.invoice_status not in allowed:
            raise ValidationError(
                f"This placement is “{self.get_invoice_status_display()}”: that cannot be done now."
            )

    def mark_invoiced(self, number, on):
        self.check_invoicing(InvoiceStatus.TO_INVOICE)
        if not number.strip():
            raise ValidationError("An invoice needs its number.")
        self.invoice_status = InvoiceStatus.INVOICED
        self.invoice_number, self.invoiced_on = number.strip(), on
        self.save(update_fields=["invoice_status", "invoice_number", "invoiced_on"])

    def mark_paid(self, on):
        self.check_invoicing(InvoiceStatus.INVOICED)
        if on < self.invoiced_on:
            raise ValidationError("It cannot be paid before it was invoiced.")
        self.invoice_status, self.paid_on = InvoiceStatus.PAID, on
        self.save(update_fields=["invoice_status", "paid_on"])


class FeeSplitQuerySet(models.QuerySet):
    def totals(self):
        return self.aggregate(percent=Sum("percent"), amount=Sum("amount"))


class FeeSplit(models.Model):
    """A consultant's share of a placement's fee (or a contract's margin)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="splits")
    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="splits")
    percent = models.DecimalField(**PERCENT)
    amount = models.DecimalField(**AMOUNT, help_text="Their share of the fee or margin.")
    credit = models.DecimalField(
        **AMOUNT, default=Decimal("0.00"), help_text="Their share of a rebate."
    )

    objects = FeeSplitQuerySet.as_manager()

    class Meta:
        ordering = ["-percent", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "consultant"],
                name="fee_split_once_per_consultant",
                violation_error_message="A consultant has one share of a placement.",
            ),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100),
                name="fee_split_percent_above_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(credit__gte=0), name="fee_split_credit_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.consultant}: {self.percent} %"


class PlacedElsewhere(models.Model):
    """A note on another of the placed candidate's active pipeline entries: they are taken.

    Its owner also gets a follow-up on their desk.
    """

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="flags")
    entry = models.ForeignKey(
        PipelineEntry, on_delete=models.CASCADE, related_name="placed_elsewhere_notes"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "placed-elsewhere note"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "entry"], name="placed_elsewhere_once_per_entry"
            )
        ]

    def __str__(self):
        return self.note


# The agency's numbers: each day's pipeline activity, added up once the day is over, so a
# year's report reads a few hundred thousand small rows instead of a million stage moves.
# Days not yet rolled up are counted live from the stage log by the same code.


class NumbersRolledUp(models.Model):
    """How far the day figures go: every move before `until` is in them (one row)."""

    until = models.DateTimeField(null=True, help_text="Empty: nothing is rolled up yet.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "numbers rolled up"

    def __str__(self):
        return f"Rolled up until {self.until}"


class DayStageFigures(models.Model):
    """One day's moves into and out of a stage, on one consultant's vacancies."""

    day = models.DateField()
    consultant = models.ForeignKey(Consultant, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    arrived = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)
    stayed = models.DurationField(
        default=timedelta(0),
        help_text="Time spent in the stage by those who left it that day, added up.",
    )

    class Meta:
        verbose_name_plural = "day stage figures"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "consultant", "stage"], name="day_stage_figures_once"
            )
        ]

    def __str__(self):
        return f"{self.day}: {self.stage_id} on consultant {self.consultant_id}'s vacancies"


class DayChannelFigures(models.Model):
    """One day's candidates joining one consultant's vacancies from one channel."""

    day = models.DateField()
    consultant = models.ForeignKey(Consultant, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    applications = models.PositiveIntegerField(default=0)
    new_candidates = models.PositiveIntegerField(default=0)
    cvs_sent = models.PositiveIntegerField(default=0)
    interviews = models.PositiveIntegerField(default=0)
    offers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "day channel figures"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "consultant", "channel"], name="day_channel_figures_once"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="day_channel_figures_channel_valid"
            ),
        ]

    def __str__(self):
        return f"{self.day}: {self.channel} on consultant {self.consultant_id}'s vacancies"
