"""Candidates: the people who apply, enquire or are found by consultants."""

from functools import cached_property

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from recruitment.locking.models import VersionedModel


class CandidateQuerySet(models.QuerySet):
    def by_email(self, email):
        return self.filter(email__iexact=email.strip())


class Candidate(VersionedModel):
    """A person looking for work. Personal data: staff only, never logged."""

    name = models.CharField(max_length=150)
    email = models.EmailField(help_text="One candidate per address, whatever its case.")
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=150, blank=True)
    current_title = models.CharField(max_length=150, blank=True)
    consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When they agreed to the privacy notice."
    )
    consent_version = models.CharField(max_length=20, blank=True)
    job_alerts = models.BooleanField(default=False)
    source = models.CharField(max_length=50, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when retention removed the personal data."
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]
        permissions = [
            ("export_candidate", "Can export a candidate's data (subject access)"),
            ("erase_candidate", "Can erase a candidate completely"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="candidate_unique_email_any_case")
        ]

    def __str__(self):
        # A job-alert subscriber who signed in to their space has not told us a name yet.
        return self.name or f"Candidate {self.pk} (no name yet)"

    @cached_property
    def current_cv(self):
        """The CV version the record shows (candidates.models.cvs), or None."""
        return self.cvs.current().defer("text").first()
