"""The candidate's own space: sign-in links, signed-in devices, saved jobs, and what they did.

No passwords: a candidate signs in with a one-time link emailed to them. Links and device
keys are stored as SHA-256 hashes only, so a copy of the database signs nobody in.
"""

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from jobs.models import Vacancy

from .candidates import Candidate


def new_secret():
    """(the secret for the link or cookie, its hash for the database)."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class SignInRequest(models.Model):
    """An address typed on the sign-in page, kept only until the task worker has answered it.

    The page does the same work for every address (this row and a task naming it), so how long
    it takes tells nobody whether the address is ours; the worker decides and sends.
    """

    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Sign-in request {self.pk}"


class SignInLink(models.Model):
    """A one-time link that signs a candidate in: valid for minutes, used once."""

    candidate = models.ForeignKey(
        Candidate,
        on_delete=models.CASCADE,
        related_name="sign_in_links",
        null=True,
        blank=True,
        help_text="Empty for someone who has only subscribed to job alerts: their record is "
        "made when they sign in.",
    )
    email = models.EmailField(help_text="Where the link was sent.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Sign-in link {self.pk}"

    @property
    def is_usable(self):
        return self.used_at is None and self.expires_at > timezone.now()


class SpaceSessionQuerySet(models.QuerySet):
    def current(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class SpaceSession(models.Model):
    """One device a candidate signed in on: its cookie holds the key, we keep the hash."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="space_sessions"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = SpaceSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Signed-in device {self.pk} of candidate {self.candidate_id}"


class SavedJob(models.Model):
    """A job a candidate saved to come back to."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="saved_jobs")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="saved_job_once")
        ]

    def __str__(self):
        return f"Job {self.vacancy_id} saved by candidate {self.candidate_id}"


class SpaceAction(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT_EVERYWHERE = "signed_out_all", "Signed out on every device"
    WITHDREW = "withdrew", "Withdrew an application"
    DOWNLOADED_DATA = "downloaded", "Downloaded their data"
    ASKED_ERASURE = "asked_erasure", "Asked for their data to be erased"
    CHANGED_DETAILS = "details", "Changed their details"
    ADDED_CV = "added_cv", "Uploaded a CV"
    DELETED_CV = "deleted_cv", "Deleted a CV"
    ALERT = "alert", "Changed a job alert"
    PREFERENCES = "preferences", "Changed their communication preferences"
    SAVED_JOB = "saved_job", "Saved a job"
    UNSAVED_JOB = "unsaved_job", "Removed a saved job"


class SpaceActivity(models.Model):
    """What a candidate did in their space, for the consultant's timeline."""

    Action = SpaceAction

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="space_activity"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=16, choices=SpaceAction.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "candidate's own change"
        verbose_name_plural = "candidates' own changes"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["candidate", "at"], name="space_activity_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=SpaceAction.values), name="space_activity_action_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} (candidate {self.candidate_id})"
