import secrets
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from jobs.models import Consultant, Sector, Vacancy


class PrivateStorage(Storage):
    """The "private" storage of STORAGES, looked up at each use rather than once at import.

    A FileField keeps the storage it was given when the model class is built; going through
    this, CVs follow STORAGES as configured now (local disk, or S3 when S3_BUCKET is set).
    """

    def target(self):
        return storages["private"]

    def open(self, name, mode="rb"):
        return self.target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.target().save(name, content, max_length=max_length)

    def delete(self, name):
        return self.target().delete(name)

    def exists(self, name):
        return self.target().exists(name)

    def size(self, name):
        return self.target().size(name)

    def url(self, name):
        return self.target().url(name)

    def path(self, name):
        return self.target().path(name)

    def generate_filename(self, filename):
        return self.target().generate_filename(filename)

    def listdir(self, path):
        return self.target().listdir(path)


def private_storage():
    """CVs live here: never under a public URL, only through the staff download view."""
    return PrivateStorage()


def new_public_token():
    """For the thank-you page's address: unguessable, so nobody reads another's."""
    return secrets.token_urlsafe(24)


def random_cv_name(instance, filename):
    """Store under a random name: the candidate's file name may hold personal data."""
    return f"cvs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


def backoff(attempts):
    """1, 2, 4… minutes after each failed attempt, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


class CandidateQuerySet(models.QuerySet):
    def by_email(self, email):
        return self.filter(email__iexact=email.strip())


class Candidate(models.Model):
    """A person looking for work. Personal data: staff only, never logged."""

    name = models.CharField(max_length=150)
    email = models.EmailField(help_text="One candidate per address, whatever its case.")
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=150, blank=True)
    current_title = models.CharField(max_length=150, blank=True)
    cv = models.FileField(
        "latest CV", upload_to=random_cv_name, storage=private_storage, blank=True
    )
    cv_original_name = models.CharField(max_length=255, blank=True)
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
        return self.name


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

    def get_absolute_url(self):
        return reverse("candidates:thanks", kwargs={"token": self.public_token})

    @property
    def reference(self):
        return f"ENQ-{self.pk:06d}" if self.pk else "ENQ-new"

    @property
    def admin_url(self):
        return settings.SITE_URL + reverse("admin:candidates_enquiry_change", args=[self.pk])

    @property
    def cv_url(self):
        return settings.SITE_URL + reverse("candidates:cv_download", args=[self.pk])

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


def new_alert_token():
    return secrets.token_urlsafe(24)


class JobAlertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)

    def due(self, now=None):
        """Active alerts whose next digest is due: a day (or a week) after the last one."""
        now = now or timezone.now()
        # An hour's grace, so a daily run at a slightly earlier time still sends.
        daily = Q(frequency=JobAlert.Frequency.DAILY, last_sent_at__lte=now - timedelta(hours=23))
        weekly = Q(
            frequency=JobAlert.Frequency.WEEKLY,
            last_sent_at__lte=now - timedelta(days=7) + timedelta(hours=1),
        )
        return self.active().filter(Q(last_sent_at__isnull=True) | daily | weekly)


class JobAlert(models.Model):
    """A saved search emailed as a digest. Nothing is sent until the address is confirmed."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    email = models.EmailField()
    search = models.JSONField(default=dict, blank=True, help_text="The job search's filters.")
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    token = models.CharField(max_length=64, unique=True, default=new_alert_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    jobs_since = models.DateTimeField(
        null=True, blank=True, help_text="The next digest lists jobs published after this."
    )

    objects = JobAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=["daily", "weekly"]), name="job_alert_frequency_valid"
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.describe()}"

    def get_absolute_url(self):
        return reverse("candidates:alert_manage", kwargs={"token": self.token})

    def describe(self):
        parts = [f"“{self.search['q']}”"] if self.search.get("q") else []
        parts += [
            f"{key.replace('_', ' ')}: {value}"
            for key, value in self.search.items()
            if key not in ("q", "sort")
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
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    send_after = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"To {self.email} from {self.sender}"

    @property
    def state(self):
        if self.sent_at:
            return "sent"
        return "failed" if self.attempts >= settings.NOTIFY_MAX_ATTEMPTS else "pending"


class EnquiryLinkQuerySet(models.QuerySet):
    def valid(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class EnquiryLink(models.Model):
    """A consultant's personal link to a job for one candidate: opened? led to an enquiry?"""

    class Channel(models.TextChoices):
        EMAIL = "email", "Emailed by the site"
        COPIED = "copied", "Copied by the consultant"

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
    channel = models.CharField(max_length=6, choices=Channel.choices, default=Channel.EMAIL)
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
                condition=Q(channel__in=["email", "copied"]), name="enquiry_link_channel_valid"
            )
        ]

    def __str__(self):
        return f"{self.vacancy.title} for {self.email}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = timezone.now() + timedelta(days=settings.ENQUIRY_LINK_DAYS)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("candidates:link", kwargs={"token": self.token})

    @property
    def url(self):
        return settings.SITE_URL + self.get_absolute_url()

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


class CVDownload(models.Model):
    """Who opened which CV, and when: every staff download is recorded."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    candidate = models.ForeignKey(Candidate, on_delete=models.SET_NULL, null=True, blank=True)
    enquiry = models.ForeignKey(Enquiry, on_delete=models.SET_NULL, null=True, blank=True)
    downloaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.user} at {self.downloaded_at:%Y-%m-%d %H:%M}"


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
