"""Enquiries and applications from the site, and the refused posts we only count."""

import secrets
import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from jobs.models import Consultant, Sector, Vacancy
from outbox.models import Message, MessageState, latest_state, messages_about_outer_row
from recruitment.locking.models import VersionedModel
from recruitment.site import absolute_url

from ..storage import private_storage, random_cv_name
from .candidates import Candidate


def new_public_token():
    """For the thank-you page's address: unguessable, so nobody reads another's."""
    return secrets.token_urlsafe(24)


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


# What the outbox's messages about an enquiry are (Message.purpose).
NOTIFICATION_EMAIL = "enquiry.notification"
CONFIRMATION_EMAIL = "enquiry.confirmation"


def notification_emails(state=None):
    """The consultant notifications of the enquiry in the outer query, optionally in a state."""
    emails = messages_about_outer_row(Enquiry, NOTIFICATION_EMAIL)
    return emails.filter(state=state) if state else emails


class EnquiryQuerySet(models.QuerySet):
    def with_notification_state(self):
        return self.annotate(notification_email_state=latest_state(Enquiry, NOTIFICATION_EMAIL))

    def notification_unsent(self):
        """The consultant has not been emailed yet: still queued, or failed."""
        return self.filter(Exists(notification_emails().exclude(state=MessageState.SENT)))

    def notification_failed(self):
        return self.filter(Exists(notification_emails(MessageState.FAILED)))

    def notification_sent(self):
        return self.filter(Exists(notification_emails(MessageState.SENT)))

    def for_consultant_user(self, user):
        return self.filter(consultant__user=user)


class Enquiry(VersionedModel):
    """A message from the site: an application, a question, a CV, or an employer's enquiry.

    It keeps what was sent (details, consent, CV). The candidate record is made from the first
    enquiry from an address and after that changes only when staff copy an enquiry onto it.
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
    about_closed_job = models.BooleanField(
        "job had closed",
        default=False,
        help_text="Sent from the job's page opened before the job closed: kept, not refused.",
    )
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
    client_address = models.GenericIPAddressField(
        null=True,
        blank=True,
        help_text="Staff only: the address it was sent from. Cleared by retention and erasure.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    emails = GenericRelation(Message, content_type_field="about_type", object_id_field="about_id")

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["-created_at"]
        indexes = [
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
    def notification(self):
        """The outbox message that told the consultant (none for enquiries older than it)."""
        return self.emails.filter(purpose=NOTIFICATION_EMAIL).order_by("-pk").first()

    @property
    def notification_state(self):
        """sent, queued, failed, or "" when nothing is in the outbox for it."""
        notification = self.notification
        return notification.state if notification else ""

    def move_to(self, status):
        if status not in self.Status.values:
            raise ValueError(f"Unknown enquiry status {status!r}")
        self.status = status
        self.save(update_fields=["status"])


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
