"""Job alerts: a saved search emailed as a digest, after a double opt-in."""

import secrets
from datetime import timedelta

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from outbox.models import Message


def new_alert_token():
    return secrets.token_urlsafe(24)


class JobAlertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def due(self, now=None):
        """Active alerts whose next digest is due: a day (or a week) after the last one."""
        now = now or timezone.now()
        # An hour's grace, so a daily run at a slightly earlier time still sends.
        daily = Q(frequency=JobAlertFrequency.DAILY, last_sent_at__lte=now - timedelta(hours=23))
        weekly = Q(
            frequency=JobAlertFrequency.WEEKLY,
            last_sent_at__lte=now - timedelta(days=7) + timedelta(hours=1),
        )
        return self.active().filter(Q(last_sent_at__isnull=True) | daily | weekly)


class JobAlertFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class JobAlert(models.Model):
    """A saved search emailed as a digest. Nothing is sent until the address is confirmed."""

    Frequency = JobAlertFrequency

    email = models.EmailField()
    search = models.JSONField(default=dict, blank=True, help_text="The job search's filters.")
    frequency = models.CharField(
        max_length=6, choices=JobAlertFrequency.choices, default=JobAlertFrequency.DAILY
    )
    token = models.CharField(max_length=64, unique=True, default=new_alert_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    jobs_since = models.DateTimeField(
        null=True, blank=True, help_text="The next digest lists jobs published after this."
    )
    emails = GenericRelation(Message, content_type_field="about_type", object_id_field="about_id")

    objects = JobAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=JobAlertFrequency.values),
                name="job_alert_frequency_valid",
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.describe()}"

    # Not get_absolute_url: the address is the subscriber's secret (see Enquiry.thanks_url).
    def manage_url(self):
        return reverse("candidates:alert_manage", kwargs={"token": self.token})

    def describe(self):
        parts = [f"“{self.search['q']}”"] if self.search.get("q") else []
        if self.search.get("near"):
            parts.append(f"within {self.search.get('within', '25')} miles of {self.search['near']}")
        parts += [
            f"{key.replace('_', ' ')}: {value}"
            for key, value in self.search.items()
            if key not in ("q", "sort", "near", "within")
        ]
        return ", ".join(parts) or "all new jobs"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def confirm(self):
        if self.confirmed_at is None:
            self.confirmed_at = self.jobs_since = timezone.now()
        self.unsubscribed_at = None
        self.save(update_fields=["confirmed_at", "jobs_since", "unsubscribed_at"])

    def unsubscribe(self):
        if self.unsubscribed_at is None:
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["unsubscribed_at"])

    def change_frequency(self, frequency):
        self.frequency = frequency
        self.save(update_fields=["frequency"])
