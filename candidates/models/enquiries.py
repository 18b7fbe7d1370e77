"""Enquiries and applications from the site, and the refused posts we only count."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from jobs.models import Consultant, Sector, Vacancy
from recruitment.site import absolute_url

from ..storage import private_storage, random_cv_name
from .candidates import Candidate


def new_public_token():
    """For the thank-you page's address: unguessable, so nobody reads another's."""
    return secrets.token_urlsafe(24)


def backoff(attempts):
    """1, 2, 4… minutes after each failed attempt, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


class EnquiryStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWING = "reviewing", "Reviewing"
    SHORTLISTED = "shortlisted", "Shortlisted"
    SENT_TO_CLIENT = "sent_to_client", "Sent to client"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    PLACED = "placed", "Placed"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class EnquiryKind(models.TextChoices):
    APPLICATION = "application", "Application with CV"
    QUESTION = "question", "Question about a job"
    SPECULATIVE = "speculative", "Speculative CV"
    GENERAL = "general", "General enquiry"
    EMPLOYER = "employer", "Employer: vacancy or enquiry"
    PRIVACY = "privacy", "Privacy: access or erasure request"


class EnquirySource(models.TextChoices):
    DIRECT = "direct", "Direct (the site)"
    LINK = "link", "A consultant's link"
    FEED = "feed", "A feed or job board"


class EnquiryQuerySet(models.QuerySet):
    def notification_pending(self):
        return self.filter(notified_at__isnull=True)

    def undelivered(self):
        """The consultant's notification or the sender's confirmation is still to go."""
        return self.filter(Q(notified_at__isnull=True) | Q(confirmation_sent_at__isnull=True))

    def due_for_delivery(self, now=None):
        """Undelivered, not backing off or claimed by a worker, and not given up on."""
        now = now or timezone.now()
        return self.undelivered().filter(
            Q(notify_after__isnull=True) | Q(notify_after__lte=now),
            notify_attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
        )

    def for_consultant_user(self, user):
        return self.filter(consultant__user=user)


class Enquiry(models.Model):
    """A message from the site: an application, a question, a CV, or an employer's enquiry.

    The sender's details are kept as they were sent; the candidate record holds the latest.
    """

    Status = EnquiryStatus
    Kind = EnquiryKind
    Source = EnquirySource

    submission_id = models.UUIDField(
        unique=True,
        default=uuid.uuid4,
        editable=False,
        help_text="Sent with the form, so a second click or a refresh does not enquire twice.",
    )
    public_token = models.CharField(
        max_length=64, unique=True, editable=False, default=new_public_token
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    consent_version = models.CharField(
        max_length=20, blank=True, help_text="The privacy notice they agreed to with this enquiry."
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="enquiries", null=True, blank=True
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="enquiries", null=True, blank=True
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.SET_NULL, related_name="enquiries", null=True, blank=True
    )
    consultant = models.ForeignKey(
        Consultant,
        on_delete=models.SET_NULL,
        related_name="enquiries",
        null=True,
        blank=True,
        help_text="Who it was routed to. Empty: the agency's general inbox.",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    company = models.CharField(max_length=200, blank=True, help_text="Employers only.")
    message = models.TextField(blank=True)
    cv = models.FileField(
        "CV as sent", upload_to=random_cv_name, storage=private_storage, blank=True
    )
    cv_original_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DIRECT)
    link = models.ForeignKey(
        "EnquiryLink",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        help_text="The consultant's personal link it came through, if any.",
    )
    notify_email = models.EmailField(help_text="Where the notification goes.")
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_attempts = models.PositiveSmallIntegerField(default=0)
    notify_after = models.DateTimeField(
        null=True, blank=True, help_text="Not before this time: a failed send backs off."
    )
    notify_last_error = models.CharField(max_length=500, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    client_address = models.GenericIPAddressField(
        null=True,
        blank=True,
        help_text="Staff only: the address it was sent from. Cleared by retention and erasure.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["notified_at", "notify_after"], name="enquiry_pending"),
            models.Index(fields=["created_at"], name="enquiry_newest"),
            models.Index(fields=["consultant", "created_at"], name="enquiry_consultant_newest"),
            models.Index(Lower("email"), name="enquiry_email_lower"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EnquiryStatus.values), name="enquiry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EnquiryKind.values), name="enquiry_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=EnquirySource.values), name="enquiry_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["application", "question"]) | Q(vacancy__isnull=False),
                name="enquiry_about_a_job_has_a_vacancy",
            ),
        ]

    def __str__(self):
        about = self.vacancy.title if self.vacancy_id else self.get_kind_display()
        return f"{self.reference}: {self.name}, {about}"

    # No get_absolute_url: the admin's "view on site" would hand any staff member the
    # sender's private page (ids are sequential; the token is the secret).
    def thanks_url(self):
        return reverse("candidates:thanks", kwargs={"token": self.public_token})

    @property
    def reference(self):
        return f"ENQ-{self.pk:06d}" if self.pk else "ENQ-new"

    @property
    def admin_url(self):
        return absolute_url(reverse("admin:candidates_enquiry_change", args=[self.pk]))

    @property
    def cv_url(self):
        return absolute_url(reverse("candidates:cv_download", args=[self.pk]))

    @property
    def notification_state(self):
        if self.notified_at:
            return "sent"
        if self.notify_attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            return "failed"
        return "pending"

    def move_to(self, status):
        if status not in self.Status.values:
            raise ValueError(f"Unknown enquiry status {status!r}")
        self.status = status
        self.save(update_fields=["status"])

    def record_failed_notification(self, error):
        attempts = self.notify_attempts + 1
        delay = backoff(attempts)
        Enquiry.objects.filter(pk=self.pk).update(
            notify_attempts=attempts,
            notify_after=timezone.now() + delay,
            notify_last_error=str(error)[:500],
        )
        return delay

    def resend_notification(self):
        """Staff asked for it to go again: clear the state so the next run sends it."""
        self.notified_at = None
        self.notify_attempts = 0
        self.notify_after = None
        self.notify_last_error = ""
        self.save(
            update_fields=["notified_at", "notify_attempts", "notify_after", "notify_last_error"]
        )


class RejectedSubmission(models.Model):
    """Counts of public form posts refused as spam or over the rate limit; nothing else is kept."""

    day = models.DateField(default=timezone.localdate)
    form = models.CharField(max_length=30)
    reason = models.CharField(max_length=30)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "form", "reason"], name="rejected_one_row_a_day")
        ]

    def __str__(self):
        return f"{self.day} {self.form} {self.reason}: {self.count}"

    @classmethod
    def count_one(cls, form, reason):
        row, _ = cls.objects.get_or_create(day=timezone.localdate(), form=form, reason=reason)
        cls.objects.filter(pk=row.pk).update(count=models.F("count") + 1)
