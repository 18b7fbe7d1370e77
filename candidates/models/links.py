"""Consultants' personal links to jobs, and the emails that carry them."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from jobs.models import Consultant, Vacancy
from outbox.models import Message
from recruitment.site import absolute_url

from .candidates import Candidate


def new_link_token():
    """128 bits of randomness, short enough to read in an email: /j/<22 characters>/."""
    return secrets.token_urlsafe(16)


class LinkMessage(models.Model):
    """One email from a consultant to one recipient, carrying personal links to jobs."""

    sender = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="link_messages")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="link_messages"
    )
    email = models.EmailField()
    note = models.TextField(blank=True, help_text="The consultant's personal note.")
    created_at = models.DateTimeField(default=timezone.now)
    emails = GenericRelation(Message, content_type_field="about_type", object_id_field="about_id")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"To {self.email} from {self.sender}"

    @property
    def state(self):
        """The outbox's state of its email: queued, sent or failed."""
        email = self.emails.order_by("-pk").first()
        return email.state if email else ""


class EnquiryLinkQuerySet(models.QuerySet):
    def valid(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class EnquiryLinkChannel(models.TextChoices):
    EMAIL = "email", "Emailed by the site"
    COPIED = "copied", "Copied by the consultant"


class EnquiryLink(models.Model):
    """A consultant's personal link to a job for one candidate: opened? led to an enquiry?"""

    Channel = EnquiryLinkChannel

    token = models.CharField(max_length=32, unique=True, default=new_link_token, editable=False)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="links")
    sender = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="sent_links")
    candidate = models.ForeignKey(
        Candidate, on_delete=models.SET_NULL, null=True, blank=True, related_name="links"
    )
    email = models.EmailField(help_text="Who it was for.")
    message = models.ForeignKey(
        LinkMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    channel = models.CharField(
        max_length=6, choices=EnquiryLinkChannel.choices, default=EnquiryLinkChannel.EMAIL
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)

    objects = EnquiryLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=EnquiryLinkChannel.values),
                name="enquiry_link_channel_valid",
            )
        ]

    def __str__(self):
        return f"{self.vacancy.title} for {self.email}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + timedelta(days=settings.ENQUIRY_LINK_DAYS)
        super().save(*args, **kwargs)

    # Not get_absolute_url: the address is the candidate's secret (see Enquiry.thanks_url).
    def personal_url(self):
        return reverse("candidates:link", kwargs={"token": self.token})

    @property
    def url(self):
        return absolute_url(self.personal_url())

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    def record_open(self):
        """Count an open: an UPDATE with F(), so simultaneous opens all count."""
        now = timezone.now()
        EnquiryLink.objects.filter(pk=self.pk).update(
            open_count=models.F("open_count") + 1,
            last_opened_at=now,
            first_opened_at=Coalesce("first_opened_at", models.Value(now)),
        )

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def extend(self, days=None):
        days = days or settings.ENQUIRY_LINK_DAYS
        self.expires_at = max(self.expires_at, timezone.now()) + timedelta(days=days)
        self.revoked_at = None
        self.save(update_fields=["expires_at", "revoked_at"])
