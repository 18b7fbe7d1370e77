"""Interviews: when, where, with whom; their calendar identity; feedback and outcome."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from jobs.models import ClientContact

from .core import PipelineEntry, RejectionReason


class InterviewRound(models.TextChoices):
    FIRST = "first", "1st interview"
    SECOND = "second", "2nd interview"
    FINAL = "final", "Final interview"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    HELD = "held", "Held: feedback recorded"


class InterviewOutcome(models.TextChoices):
    NEXT_ROUND = "next_round", "Another round: they stay at the interview stage"
    OFFER = "offer", "Offer"
    REJECTED = "rejected", "Not taken further"
    WITHDRAWN = "withdrawn", "The candidate withdrew"


class InterviewQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=InterviewStatus.SCHEDULED)

    def starting_between(self, start, end):
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def of_consultant(self, consultant):
        return self.filter(entry__vacancy__consultant=consultant)

    def overlapping(self, candidate, starts_at, ends_at):
        """Scheduled for the same candidate at a time that overlaps this one."""
        return self.scheduled().filter(
            entry__candidate=candidate, starts_at__lt=ends_at, ends_at__gt=starts_at
        )

    def reminder_due(self, now=None):
        """Scheduled, starting within a day, and not yet reminded for this start time."""
        now = now or timezone.now()
        return (
            self.scheduled()
            .filter(starts_at__gt=now, starts_at__lte=now + settings.INTERVIEW_REMINDER_BEFORE)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("starts_at")))
        )


def new_uid():
    """The interview's iCalendar UID: the same in every invitation, update and cancellation."""
    return f"{uuid.uuid4()}@interviews.{settings.SITE_URL.partition('://')[2] or 'localhost'}"


class Interview(models.Model):
    """An interview on a pipeline. Times are aware; `time_zone` is what invitations show."""

    Round = InterviewRound
    Status = InterviewStatus
    Outcome = InterviewOutcome

    entry = models.ForeignKey(PipelineEntry, on_delete=models.CASCADE, related_name="interviews")
    round = models.CharField(max_length=6, choices=InterviewRound.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="Europe/London")
    location = models.CharField(
        "place", max_length=300, blank=True, help_text="An address, or “Video call”."
    )
    video_url = models.URLField("video link", max_length=500, blank=True)
    interviewers = models.CharField(max_length=300, blank=True, help_text="Names and roles.")
    candidate_notes = models.TextField(
        "notes for the candidate", blank=True, help_text="In the candidate's invitation."
    )
    contacts = models.ManyToManyField(
        ClientContact,
        blank=True,
        related_name="interviews",
        help_text="The client's people who get the invitation.",
    )
    uid = models.CharField(max_length=200, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: one more at every reschedule or cancellation."
    )
    status = models.CharField(
        max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    reminded_for = models.DateTimeField(
        null=True, blank=True, help_text="The start time the day-before reminder went out for."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    candidate_feedback = models.TextField("the candidate's feedback", blank=True)
    client_feedback = models.TextField("the client's feedback", blank=True)
    outcome = models.CharField(max_length=10, choices=InterviewOutcome.choices, blank=True)
    outcome_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="interview_when"),
            models.Index(fields=["entry", "starts_at"], name="interview_entry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(round__in=InterviewRound.values), name="interview_round_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InterviewStatus.values), name="interview_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=InterviewOutcome.values),
                name="interview_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="interview_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return f"{self.get_round_display()}: {self.entry}"

    @property
    def minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_over(self):
        return self.ends_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.status == InterviewStatus.SCHEDULED

    def reschedule(self, **changes):
        """New time or details: every invitation goes again, one SEQUENCE higher."""
        for name, value in changes.items():
            setattr(self, name, value)
        self.sequence += 1
        self.save()

    def cancel(self):
        self.status, self.cancelled_at = InterviewStatus.CANCELLED, timezone.now()
        self.sequence += 1
        self.save(update_fields=["status", "cancelled_at", "sequence"])

    def record_outcome(self, *, outcome, reason, candidate_feedback, client_feedback, by):
        self.status = InterviewStatus.HELD
        self.outcome, self.outcome_reason = outcome, reason
        self.candidate_feedback, self.client_feedback = candidate_feedback, client_feedback
        self.outcome_recorded_at, self.outcome_recorded_by = timezone.now(), by
        self.save()
