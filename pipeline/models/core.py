"""Each vacancy's pipeline: who is on it, at which stage, and every move that got them there;
follow-ups, email templates and the privacy records around it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Enquiry
from jobs.models import Vacancy
from pipeline import templating


class StageRole(models.TextChoices):
    """What the site itself does with a stage; the agency names and orders stages freely."""

    NEW = "new", "Where applications arrive"
    SHORTLISTED = "shortlisted", "Shortlisted"
    CV_SENT = "cv_sent", "CV sent to the client"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    PLACED = "placed", "Placed"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn by the candidate"


class StageQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("position", "pk")

    def open(self):
        """Stages a candidate is still in play at (not an end state)."""
        return self.filter(is_end=False)

    def with_role(self, role):
        return self.get(role=role)


class Stage(models.Model):
    Role = StageRole

    name = models.CharField(max_length=60, unique=True, help_text="What consultants see.")
    position = models.PositiveSmallIntegerField(help_text="Columns on the board, left to right.")
    candidate_wording = models.CharField(
        max_length=150,
        help_text="What the candidate reads about an application at this stage, e.g. "
        "“Your CV is with the employer”. Never internal detail.",
    )
    is_end = models.BooleanField(
        "end state", default=False, help_text="The candidate leaves the active pipeline here."
    )
    needs_reason = models.BooleanField(
        default=False, help_text="Moving here needs a reason from the list (e.g. Rejected)."
    )
    expected_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Candidates here longer than this show on their consultant's desk.",
    )
    role = models.CharField(
        max_length=12,
        choices=StageRole.choices,
        blank=True,
        help_text="What the site does with this stage (applications arrive at “new”, sending "
        "a CV moves to “CV sent”…). At most one stage has each role.",
    )

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=~Q(role=""), name="stage_one_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=StageRole.values), name="stage_role_valid"
            ),
        ]

    def __str__(self):
        return self.name


class RejectionReason(models.Model):
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Offered when rejecting.")
    client_wording = models.CharField(
        max_length=100,
        blank=True,
        help_text="What a client picks on their review page when a candidate is not suitable "
        "(blank: not offered to clients).",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class EntrySource(models.TextChoices):
    APPLICATION = "application", "Applied through the site"
    DATABASE = "database", "Our database"
    REFERRAL = "referral", "Referral"
    JOB_BOARD = "job_board", "Job board"
    SOCIAL = "social", "Social media"
    HEADHUNT = "headhunt", "Headhunted"
    OTHER = "other", "Other"


class EntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(stage__is_end=False)

    def on_vacancy(self, vacancy):
        return self.filter(vacancy=vacancy)

    def for_consultant_user(self, user):
        """On the vacancies this staff user owns."""
        return self.filter(vacancy__consultant__user=user)

    def waiting_too_long(self, now=None):
        """In a stage longer than the stage's expected days."""
        now = now or timezone.now()
        late = Q(pk__in=[])
        for stage in Stage.objects.filter(expected_days__isnull=False, is_end=False):
            since = now - timedelta(days=stage.expected_days)
            late |= Q(stage=stage, entered_stage_at__lt=since)
        return self.filter(late)


class PipelineEntry(models.Model):
    """One candidate on one vacancy's pipeline: at most once per vacancy."""

    Source = EntrySource

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="pipeline_entries"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="pipeline")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="entries")
    entered_stage_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=12, choices=EntrySource.choices)
    enquiry = models.ForeignKey(
        Enquiry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pipeline_entries",
        help_text="The application it started from, when it came through the site.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "pipeline entry"
        verbose_name_plural = "pipeline entries"
        ordering = ["-entered_stage_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "vacancy"], name="pipeline_once_per_candidate_and_vacancy"
            ),
            models.CheckConstraint(
                condition=Q(source__in=EntrySource.values), name="pipeline_entry_source_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "stage", "entered_stage_at"], name="pipeline_board"),
            models.Index(fields=["stage", "entered_stage_at"], name="pipeline_waiting"),
        ]

    def __str__(self):
        return f"{self.candidate} on {self.vacancy}"

    @property
    def days_in_stage(self):
        return (timezone.now() - self.entered_stage_at).days

    def move_to(self, stage, *, by=None, reason=None, note="", actor=None):
        """Move to a stage and log it; returns the StageMove.

        The entry's row is locked while the move is written, so two people moving the same
        candidate at once are both logged, in order, and the later move is where it ends.
        """
        if stage.needs_reason and reason is None:
            raise ValidationError(f"Moving to {stage} needs a reason from the list.")
        with transaction.atomic():
            current = PipelineEntry.objects.select_for_update().get(pk=self.pk)
            now = timezone.now()
            move = StageMove.objects.create(
                entry=current,
                from_stage_id=current.stage_id,
                to_stage=stage,
                moved_at=now,
                moved_by=by,
                actor=actor or MoveActor.STAFF,
                reason=reason,
                note=note,
            )
            PipelineEntry.objects.filter(pk=self.pk).update(
                stage=stage,
                entered_stage_at=now,
                rejection_reason=reason if stage.needs_reason else None,
            )
        self.stage, self.entered_stage_at = stage, now
        self.rejection_reason = reason if stage.needs_reason else None
        return move

    def note_in_log(self, note, *, by=None, actor=None, reason=None):
        """A line in the stage log that moves nobody (a client put them on hold)."""
        return StageMove.objects.create(
            entry=self,
            from_stage_id=self.stage_id,
            to_stage_id=self.stage_id,
            moved_by=by,
            actor=actor or MoveActor.STAFF,
            reason=reason,
            note=note,
        )


class MoveActor(models.TextChoices):
    STAFF = "staff", "A consultant"
    CLIENT = "client", "The client, through their link"
    CANDIDATE = "candidate", "The candidate, through their space"
    SITE = "site", "The site"


class StageMove(models.Model):
    """One line of the stage log: append-only, never edited or deleted (but with the person)."""

    Actor = MoveActor

    entry = models.ForeignKey(PipelineEntry, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField(max_length=10, choices=MoveActor.choices, default=MoveActor.STAFF)
    reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["moved_at", "pk"]
        indexes = [
            models.Index(fields=["entry", "moved_at"], name="stage_move_entry"),
            # The agency's numbers read the log a day at a time.
            models.Index(fields=["moved_at"], name="stage_move_moved_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__in=MoveActor.values), name="stage_move_actor_valid"
            )
        ]

    def __str__(self):
        start = self.from_stage or "—"
        return f"{start} → {self.to_stage} ({self.moved_at:%d %b %Y %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The stage log is append-only: a move is never changed.")
        super().save(*args, **kwargs)


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def for_user(self, user):
        return self.filter(owner=user)

    def due_by(self, day):
        """Open, and due on or before the day: today's and the overdue."""
        return self.open().filter(due_on__lte=day)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class FollowUp(models.Model):
    """A dated task for a consultant ("chase client feedback"), on their desk until done."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_ups"
    )
    entry = models.ForeignKey(
        PipelineEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    due_on = models.DateField()
    description = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"], name="follow_up_desk")]

    def __str__(self):
        return f"{self.description} (due {self.due_on:%d %b %Y})"

    @property
    def is_overdue(self):
        return self.done_at is None and self.due_on < timezone.localdate()

    def complete(self, by=None):
        if self.done_at is None:
            self.done_at, self.done_by = timezone.now(), by
            self.save(update_fields=["done_at", "done_by"])


class TemplatePurpose(models.TextChoices):
    REVIEWING = "reviewing", "Thanks: we are reviewing your application"
    PUT_FORWARD = "put_forward", "Put forward to the client"
    REJECTION = "rejection", "Rejection"
    CLIENT_CVS = "client_cvs", "CVs sent to a client (to the client's contacts)"
    FREE = "free", "Any other email"


class EmailTemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_purpose(self, purpose):
        return self.active().filter(purpose=purpose)


class EmailTemplate(models.Model):
    """An email consultants send candidates, written once in the admin, with placeholders."""

    Purpose = TemplatePurpose

    name = models.CharField(max_length=100, unique=True)
    purpose = models.CharField(max_length=12, choices=TemplatePurpose.choices)
    subject = models.CharField(max_length=200, validators=[templating.check])
    body = models.TextField(
        validators=[templating.check],
        help_text="Plain text. Placeholders: "
        + ", ".join(map(templating.shown, templating.PLACEHOLDERS)),
    )
    is_active = models.BooleanField(default=True)

    objects = EmailTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=TemplatePurpose.values), name="email_template_purpose_valid"
            )
        ]

    def __str__(self):
        return self.name

    def render(self, **records):
        """(subject, body) for these records: candidate, vacancy, consultant."""
        values = templating.values_for(**records)
        return templating.fill(self.subject, values), templating.fill(self.body, values)


class Board(PipelineEntry):
    """A vacancy's pipeline as columns of cards: the admin's board pages hang off this."""

    class Meta:
        proxy = True
        verbose_name = "board"


class SuppressionReason(models.TextChoices):
    OBJECTED = "objected", "Objected to our processing their data"


class Suppression(models.Model):
    """An address we must never add or contact again, kept only as a keyed hash of it."""

    Reason = SuppressionReason

    email_hash = models.CharField(
        max_length=64,
        unique=True,
        help_text="HMAC-SHA256 of the address in lower case, keyed by SUPPRESSION_KEY: the "
        "address itself is not kept.",
    )
    reason = models.CharField(max_length=10, choices=SuppressionReason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=SuppressionReason.values), name="suppression_reason_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on {self.created_at:%d %b %Y}"


def new_notice_token():
    return secrets.token_urlsafe(24)


class PrivacyNotice(models.Model):
    """UK GDPR Article 14: the privacy information sent to someone a consultant added.

    The email itself is in the outbox, about this row; the token opens the page where
    they can object. The row outlives the candidate (without them) so the page still
    answers after an objection.
    """

    candidate = models.OneToOneField(
        Candidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_notice",
    )
    token = models.CharField(max_length=64, unique=True, default=new_notice_token, editable=False)
    sent_at = models.DateTimeField(default=timezone.now, help_text="When it was queued.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    objected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"Privacy notice of {self.sent_at:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("candidates:privacy_object", kwargs={"token": self.token})
