"""What UK GDPR asks us to keep a record of: who read which CV, who was erased."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .candidates import Candidate
from .cvs import CandidateCV
from .enquiries import Enquiry


class CVDownload(models.Model):
    """Who opened which CV, or downloaded all of a candidate's data, and when: every staff
    download is recorded."""

    class Kind(models.TextChoices):
        CV = "cv", "CV"
        EXPORT = "export", "All their data (export)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.CV)
    candidate = models.ForeignKey(Candidate, on_delete=models.SET_NULL, null=True, blank=True)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.SET_NULL, null=True, blank=True)
    cv = models.ForeignKey(
        CandidateCV, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="CV version"
    )
    downloaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-downloaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["cv", "export"]), name="cv_download_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} at {self.downloaded_at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """That a candidate was erased, when and by whom: the fact is kept, the data is not."""

    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    candidate_number = models.PositiveIntegerField(
        help_text="The erased candidate's record number."
    )
    enquiries = models.PositiveIntegerField(default=0)
    files = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self):
        return f"Candidate #{self.candidate_number} erased {self.erased_at:%Y-%m-%d}"
