"""CVs sent to clients: the candidate's agreement first, the profile the client sees, each
introduction on record (the exact file, its SHA-256), and the contact's review link."""

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, new_link_token
from candidates.storage import private_storage, random_cv_name
from jobs.models import Client, ClientContact, Consultant, Vacancy
from recruitment.locking.models import VersionedModel
from recruitment.site import absolute_url

from .core import EmailTemplate, PipelineEntry, RejectionReason


class AgreementHow(models.TextChoices):
    PHONE = "phone", "By phone"
    EMAIL = "email", "By email"
    IN_PERSON = "in_person", "In person"
    IN_WRITING = "in_writing", "In writing"


class AgreementQuerySet(models.QuerySet):
    def to_client(self, client):
        return self.filter(client=client)


class Agreement(models.Model):
    """A candidate's agreement to be put forward to one client, recorded before any CV goes.

    The Conduct of Employment Agencies Regulations 2003 (reg. 19) and UK GDPR both expect
    it: who agreed, to which client, when, how, and who recorded it.
    """

    How = AgreementHow

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="agreements")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="agreements")
    how = models.CharField(max_length=10, choices=AgreementHow.choices)
    note = models.TextField(blank=True, help_text="Staff only, e.g. what they were told.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "agreement to be put forward"
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["candidate", "client"], name="agreement_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(how__in=AgreementHow.values), name="agreement_how")
        ]

    def __str__(self):
        return (
            f"{self.candidate} agreed {self.get_how_display().lower()}, {self.recorded_at:%d %b %Y}"
        )


class CVSource(models.TextChoices):
    OWN = "own", "Their own current CV"
    PREPARED = "prepared", "A version we prepared (contact details removed)"


class ClientProfile(VersionedModel):
    """What a client sees of a candidate on one vacancy: written by the consultant."""

    CVSource = CVSource

    entry = models.OneToOneField(
        PipelineEntry, on_delete=models.CASCADE, related_name="client_profile"
    )
    headline = models.CharField(
        max_length=150, help_text="Shown to the client, e.g. “Account Director, 10 years in PR”."
    )
    summary = models.TextField(
        max_length=3000, help_text="Shown to the client: why this candidate, in your words."
    )
    salary_expectation = models.CharField(
        max_length=100, blank=True, help_text="Shown to the client, e.g. “£55,000 + bonus”."
    )
    notice_period = models.CharField(
        max_length=100, blank=True, help_text="Shown to the client, e.g. “One month”."
    )
    cv_source = models.CharField(
        "CV to send", max_length=8, choices=CVSource.choices, default=CVSource.OWN
    )
    prepared_cv = models.FileField(
        "prepared CV",
        upload_to=random_cv_name,
        storage=private_storage,
        blank=True,
        help_text="Your version with their contact details removed (PDF, DOC, DOCX, ODT, RTF or "
        "TXT, checked like every CV).",
    )
    prepared_cv_original_name = models.CharField(max_length=255, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cv_source__in=CVSource.values), name="client_profile_cv_source"
            )
        ]

    def __str__(self):
        return f"Client profile: {self.entry}"


class Shortlist(models.Model):
    """One sending of CVs to a client's contacts for a vacancy, with its covering note."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="shortlists")
    consultant = models.ForeignKey(Consultant, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    template = models.ForeignKey(
        EmailTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=200)
    note = models.TextField("covering note", help_text="As written, before each contact's name.")

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"CVs for {self.vacancy} sent {self.sent_at:%d %b %Y %H:%M}"


class ClientDecision(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    HOLD = "hold", "Hold"


class IntroductionQuerySet(models.QuerySet):
    def awaiting_response(self):
        return self.filter(first_response_at__isnull=True)

    def sent_before(self, moment):
        return self.filter(sent_at__lt=moment)

    def of_consultant(self, consultant):
        return self.filter(vacancy__consultant=consultant)

    def to_contact_for(self, contact, vacancy):
        return self.filter(contact=contact, vacancy=vacancy)


def introduction_cv_name(instance, filename):
    """A random name: the file name the candidate gave may hold personal data."""
    return f"introductions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix[:6]}"


class Introduction(models.Model):
    """A candidate's CV sent to one client contact for a vacancy: the record behind a fee.

    `cv` is a copy made when it was sent, never the candidate's current file, so later
    changes to their CV cannot alter what the client received; `cv_sha256` proves which.
    """

    Decision = ClientDecision

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="introductions")
    entry = models.ForeignKey(
        PipelineEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
    )
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="introductions")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="introductions")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="introductions")
    contact = models.ForeignKey(
        ClientContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
    )
    contact_name = models.CharField(max_length=150, help_text="As it was when sent.")
    contact_email = models.EmailField(help_text="As it was when sent.")
    sent_at = models.DateTimeField(default=timezone.now)
    cv = models.FileField(
        "CV as sent",
        upload_to=introduction_cv_name,
        storage=private_storage,
        blank=True,
        max_length=150,
        help_text="Our copy of the file sent; retention and erasure delete it.",
    )
    cv_original_name = models.CharField(max_length=255, blank=True)
    cv_sha256 = models.CharField("CV's SHA-256", max_length=64, blank=True)
    cv_size = models.PositiveIntegerField(default=0)
    headline = models.CharField(max_length=150, blank=True)
    summary = models.TextField(blank=True)
    salary_expectation = models.CharField(max_length=100, blank=True)
    notice_period = models.CharField(max_length=100, blank=True)
    decision = models.CharField(
        "client's decision", max_length=12, choices=ClientDecision.choices, blank=True
    )
    decision_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_comment = models.TextField("client's comment", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(
        null=True, blank=True, help_text="When the client first answered about this CV."
    )

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["contact", "vacancy", "sent_at"], name="introduction_review"),
            models.Index(fields=["client", "sent_at"], name="introduction_client"),
            models.Index(fields=["first_response_at", "sent_at"], name="introduction_waiting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=ClientDecision.values),
                name="introduction_decision_valid",
            )
        ]

    def __str__(self):
        return f"{self.candidate} to {self.contact_name} ({self.client}), {self.sent_at:%d %b %Y}"

    @property
    def response_time(self):
        return self.first_response_at - self.sent_at if self.first_response_at else None


class ReviewLinkQuerySet(models.QuerySet):
    def valid(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ReviewLink(models.Model):
    """A client contact's own link to the candidates sent to them for a vacancy: no login,
    128 random bits, an expiry, revocable, opens counted (not scanners')."""

    token = models.CharField(max_length=32, unique=True, default=new_link_token, editable=False)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="review_links")
    contact = models.ForeignKey(
        ClientContact, on_delete=models.CASCADE, related_name="review_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "client review link"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["contact", "vacancy"], name="review_link_contact")]

    def __str__(self):
        return f"{self.vacancy.title} for {self.contact.name}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + timedelta(days=settings.REVIEW_LINK_DAYS)
        super().save(*args, **kwargs)

    # Not get_absolute_url: the address is the contact's secret.
    def review_path(self):
        return reverse("pipeline:review", kwargs={"token": self.token})

    @property
    def url(self):
        return absolute_url(self.review_path())

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    def introductions(self):
        return Introduction.objects.to_contact_for(self.contact_id, self.vacancy_id)

    def record_open(self):
        """Count an open: an UPDATE with F(), so simultaneous opens all count."""
        now = timezone.now()
        ReviewLink.objects.filter(pk=self.pk).update(
            open_count=models.F("open_count") + 1,
            last_opened_at=now,
            first_opened_at=Coalesce("first_opened_at", models.Value(now)),
        )

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def extend(self, days=None):
        days = days or settings.REVIEW_LINK_DAYS
        self.expires_at = max(self.expires_at, timezone.now() + timedelta(days=days))
        self.revoked_at = None
        self.save(update_fields=["expires_at", "revoked_at"])


class ReviewDownload(models.Model):
    """A CV downloaded through a client's review link: which, by which contact's link, when."""

    link = models.ForeignKey(ReviewLink, on_delete=models.CASCADE, related_name="downloads")
    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, related_name="downloads"
    )
    downloaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "CV download by a client"
        ordering = ["-downloaded_at", "-pk"]

    def __str__(self):
        return f"{self.introduction.candidate} by {self.link.contact.name}"
