"""Every CV a candidate has sent or staff uploaded: kept as versions, one of them current."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..storage import private_storage, random_cv_name
from .candidates import Candidate
from .enquiries import Enquiry


class TextStatus(models.TextChoices):
    PENDING = "pending", "Being read"
    EXTRACTED = "extracted", "Text read"
    NO_TEXT = "no_text", "No text"
    FAILED = "failed", "Could not be read"


class CandidateCVQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def newest_first(self):
        return self.order_by("-uploaded_at", "-pk")

    def waiting_for_text(self):
        return self.filter(text_status=TextStatus.PENDING)


class CandidateCV(models.Model):
    """One CV file of a candidate, as it arrived: with an enquiry, or uploaded by staff.

    An enquiry's version is the enquiry's own stored file (never a second copy). The current
    version is what the candidate's record shows; it changes only by staff. The text is read
    in the background (candidates.tasks) and searched through a full-text index that the
    database keeps (candidates/cv_search.py).
    """

    TextStatus = TextStatus

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="cvs")
    file = models.FileField(upload_to=random_cv_name, storage=private_storage)
    original_name = models.CharField(
        max_length=255, blank=True, help_text="The file's name as sent: may hold personal data."
    )
    size = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Bytes. Empty for a CV carried over until it is read."
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who uploaded it; empty when it came with an enquiry.",
    )
    enquiry = models.OneToOneField(
        Enquiry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cv_version",
        help_text="The enquiry it came with, if any.",
    )
    text = models.TextField(blank=True, editable=False, help_text="For search; staff only.")
    text_status = models.CharField(
        max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    is_current = models.BooleanField(
        "current CV", default=False, help_text="What the candidate's record shows."
    )

    objects = CandidateCVQuerySet.as_manager()

    class Meta:
        verbose_name = "CV version"
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["candidate", "uploaded_at"], name="cv_candidate_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(is_current=True), name="cv_one_current"
            ),
            models.CheckConstraint(
                condition=Q(text_status__in=TextStatus.values), name="cv_text_status_valid"
            ),
        ]

    def __str__(self):
        # No file name: it may hold personal data, and __str__ reaches the admin's log.
        return f"CV {self.pk} of candidate {self.candidate_id}"

    def get_absolute_url(self):
        return reverse("candidates:cv_version_download", args=[self.pk])

    @property
    def download_name(self):
        return self.original_name or f"cv-{self.pk}"

    def make_current(self):
        """The candidate's record shows this CV from now on."""
        with transaction.atomic():
            # The candidate's row is the lock: two staff choosing at once both succeed, in turn.
            Candidate.objects.select_for_update().filter(pk=self.candidate_id).first()
            self.candidate.cvs.current().exclude(pk=self.pk).update(is_current=False)
            CandidateCV.objects.filter(pk=self.pk).update(is_current=True)
        self.is_current = True

    def record_text(self, status, text=""):
        self.text_status, self.text = status, text
        self.save(update_fields=["text_status", "text"])
